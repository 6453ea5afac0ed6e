#include "swapns/swap_migration.hpp"

#include <sys/ioctl.h>
#include <sys/swap.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#if __has_include(<linux/swap_ns.h>)
#include <linux/swap_ns.h>
#endif

namespace swapns {

#ifdef SWAP_NS_IOC_INSTALL

const bool built_with_swap_migration = true;
const uint32_t install_shared = SWAP_NS_INSTALL_SHARED;

static_assert(sizeof(swap_ns_held_page) == sizeof(HeldPage));
static_assert(sizeof(swap_ns_install_entry) == sizeof(InstallEntry));

Result<SetAside> SetAside::take(int ns_fd, std::span<const int> pidfds)
{
	std::vector<__s32> fds(pidfds.begin(), pidfds.end());
	swap_ns_set_aside arg{};
	arg.pidfds = reinterpret_cast<uintptr_t>(fds.data());
	arg.nr_pidfds = static_cast<__u32>(fds.size());
	int fd = ::ioctl(ns_fd, SWAP_NS_IOC_SET_ASIDE, &arg);
	if (fd < 0) {
		int e = errno;
		std::string why;
		switch (e) {
		case ENOTTY:
			why = " (the kernel has no CONFIG_SWAP_NS_MIGRATION)";
			break;
		case ENODEV:
			why = " (the container's namespace has no swap device of its own)";
			break;
		case EBUSY:
			why = " (another checkpoint holds the device)";
			break;
		case EOPNOTSUPP:
			why = " (zswap was enabled, or the swapfile's blocks are smaller than a page)";
			break;
		case EPERM:
			why = " (needs CAP_SYS_ADMIN and ptrace access to every task)";
			break;
		}
		return Error(e, "setting the swapped pages aside" + why);
	}
	return SetAside(UniqueFd(fd));
}

Result<std::vector<HeldPage>> SetAside::read_all() const
{
	// The set-aside reads from its file position (no pread): back to the first record.
	if (::lseek(fd_.get(), 0, SEEK_SET) < 0)
		return Error::from_errno("rewinding the set-aside");
	std::vector<HeldPage> out;
	std::vector<HeldPage> buf(4096);
	for (;;) {
		ssize_t n = ::read(fd_.get(), buf.data(), buf.size() * sizeof(HeldPage));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return Error::from_errno("reading the set-aside pages");
		if (n == 0)
			break;
		size_t records = static_cast<size_t>(n) / sizeof(HeldPage);
		out.insert(out.end(), buf.begin(), buf.begin() + static_cast<ptrdiff_t>(records));
	}
	return out;
}

Result<bool> SetAside::commit() const
{
	if (::ioctl(fd_.get(), SWAP_NS_IOC_COMMIT) < 0) {
		int e = errno;
		return Error(e, std::string("committing the set-aside pages") +
					(e == ESRCH ? " (a task of the container exited)" : e == EIO ? " (writeback failed)" : ""));
	}
	return true;
}

Result<bool> swapon_for_restore(const std::string& path)
{
	if (::swapon(path.c_str(), SWAP_FLAG_RESTORE) < 0)
		return Error::from_errno("swapon " + path + " for the restore");
	return true;
}

Result<uint64_t> install_pages(int ns_fd, int pidfd, int device_fd, std::span<InstallEntry> entries)
{
	uint64_t installed = 0;
	size_t done = 0;
	int busy_retries = 0;
	while (done < entries.size()) {
		size_t n = std::min<size_t>(entries.size() - done, SWAP_NS_INSTALL_MAX_ENTRIES);
		swap_ns_install arg{};
		arg.pidfd = pidfd;
		arg.device = device_fd;
		arg.entries = reinterpret_cast<uintptr_t>(entries.data() + done);
		arg.nr_entries = static_cast<__u32>(n);
		long r = ::ioctl(ns_fd, SWAP_NS_IOC_INSTALL, &arg);
		if (r < 0) {
			int e = errno;
			if ((e == EBUSY || e == EINTR) && busy_retries++ < 50) {
				std::this_thread::sleep_for(std::chrono::milliseconds(20));
				continue;
			}
			return Error(e, std::string("installing the swapped pages") +
						(e == EBUSY ? " (a user of the task's memory is not stopped)" : ""));
		}
		installed += static_cast<uint64_t>(r);
		busy_retries = 0; // the budget is per call
		// A partial call (after a call error) processed entries up to the first one still -1.
		size_t processed = n;
		for (size_t i = 0; i < n; i++)
			if (entries[done + i].error == -1) {
				processed = i;
				break;
			}
		done += processed;
		if (processed == 0)
			return Error(EIO, "installing the swapped pages: the kernel processed none");
	}
	return installed;
}

Result<bool> end_restore(int ns_fd, int device_fd)
{
	swap_ns_device arg{};
	arg.fd = device_fd;
	if (::ioctl(ns_fd, SWAP_NS_IOC_END_RESTORE, &arg) < 0)
		return Error::from_errno("ending the restore");
	return true;
}

#else // built without the series' uapi headers

const bool built_with_swap_migration = false;
const uint32_t install_shared = 1u << 16;

namespace {
Error no_abi()
{
	return Error::refusal(ENOTSUP, "this swapns was built without the swap namespace migration ABI "
				       "(<linux/swap_ns.h> of the patched kernel); rebuild it against the series' headers");
}
} // namespace

Result<SetAside> SetAside::take(int, std::span<const int>) { return no_abi(); }
Result<std::vector<HeldPage>> SetAside::read_all() const { return no_abi(); }
Result<bool> SetAside::commit() const { return no_abi(); }
Result<bool> swapon_for_restore(const std::string&) { return no_abi(); }
Result<uint64_t> install_pages(int, int, int, std::span<InstallEntry>) { return no_abi(); }
Result<bool> end_restore(int, int) { return no_abi(); }

#endif

} // namespace swapns
