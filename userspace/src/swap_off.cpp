#include "swapns/swap_off.hpp"

#include "swapns/proc_fs.hpp"

#include <fcntl.h>
#include <sys/sysmacros.h>

namespace swapns {

namespace {

std::string describe(const FileIdentity& id, bool partition)
{
	std::string dev = std::to_string(id.major) + ":" + std::to_string(id.minor);
	return partition ? "device " + dev : "inode " + std::to_string(id.inode) + " on " + dev;
}

std::string describe(const struct stat& st)
{
	if (S_ISBLK(st.st_mode))
		return "device " + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
	return "inode " + std::to_string(st.st_ino) + " on " + std::to_string(major(st.st_dev)) + ":" +
	       std::to_string(minor(st.st_dev));
}

} // namespace

bool is_same_swap_device(const struct stat& st, bool partition, const FileIdentity& identity)
{
	if (partition)
		return S_ISBLK(st.st_mode) && major(st.st_rdev) == identity.major &&
		       minor(st.st_rdev) == identity.minor;
	return S_ISREG(st.st_mode) && major(st.st_dev) == identity.major &&
	       minor(st.st_dev) == identity.minor && st.st_ino == identity.inode;
}

std::string path_of_fd(const UniqueFd& fd)
{
	return fd_path(fd.get());
}

Result<UniqueFd> open_swap_device(const SwapDevice& device)
{
	if (!device.identity)
		return Error::refusal(ENOTSUP, "cannot tell whether " + device.path +
						       " here is the swap device the kernel lists: this "
						       "kernel's /proc/PID/swaps has no Device and Inode "
						       "columns; not swapping off by name alone");
	if (!device.identity->known())
		return Error::refusal(ENOTSUP, "cannot tell whether " + device.path +
						       " here is the swap device the kernel lists: it says "
						       "which file a device is only to CAP_SYS_ADMIN, and not "
						       "for devices of a namespace above yours");
	// O_PATH: no open of the device itself (a partition's exclusive claim, a FIFO's wait).
	UniqueFd fd(::open(device.path.c_str(), O_PATH | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("open " + device.path);
	struct stat st {};
	if (::fstat(fd.get(), &st) != 0)
		return Error::from_errno("stat " + device.path);
	if (!is_same_swap_device(st, device.partition, *device.identity))
		return Error::refusal(ESTALE, device.path + " here is " + describe(st) +
						      ", not the swap device of that name (" +
						      describe(*device.identity, device.partition) +
						      "), which was swapped on in another mount namespace; "
						      "swap it off from there, or by a path that reaches it "
						      "here");
	return fd;
}

Result<bool> swap_off_device(const SwapDevice& device, SwapoffCall call)
{
	auto fd = open_swap_device(device);
	if (!fd)
		return fd.error();
	if (call(path_of_fd(*fd).c_str()) != 0)
		return Error::from_errno("swapoff " + device.path);
	return true;
}

} // namespace swapns
