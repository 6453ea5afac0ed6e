#include "swapns/swapfile_create.hpp"

#include "swapns/swap_blocks.hpp"

#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "swapns/leftovers.hpp"
#include "swapns/proc_fs.hpp"
#include "swapns/swap_area.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

namespace {

// The reason btrfs cannot hold a swapfile in @dir, or "".
Result<std::string> btrfs_check(const std::filesystem::path& dir)
{
	UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("open " + dir.string());
	btrfs_ioctl_fs_info_args info{};
	if (::ioctl(fd.get(), BTRFS_IOC_FS_INFO, &info) != 0)
		return Error::from_errno("BTRFS_IOC_FS_INFO " + dir.string());
	int attr = 0;
	if (::ioctl(fd.get(), FS_IOC_GETFLAGS, &attr) != 0)
		return Error::from_errno("FS_IOC_GETFLAGS " + dir.string());
	return btrfs_refusal(info.num_devices, attr & FS_COMPR_FL);
}

// Every byte of [0, size) must be in an allocated extent the kernel can map for swap.
Result<bool> check_extents(int fd, const std::filesystem::path& path, uint64_t size)
{
	auto extents = map_file_blocks(fd, path, size);
	if (!extents)
		return extents.error();
	uint64_t covered = 0;
	for (const auto& e : *extents) {
		if (e.flags & (fiemap_unplaced | FIEMAP_EXTENT_SHARED)) {
			char flags[16];
			std::snprintf(flags, sizeof(flags), "0x%x", e.flags);
			return Error(EIO, path.string() + ": extent at byte " + std::to_string(e.logical) +
						  " is shared, inline, compressed or not yet allocated "
						  "(FIEMAP flags " + flags + ")");
		}
		covered = e.logical + e.length;
	}
	if (covered < size)
		return Error(EIO, path.string() + ": hole at byte " + std::to_string(covered) +
					  "; the kernel would refuse it as swap");
	return true;
}

bool lock_whole_file(int fd)
{
	struct flock lock {};
	lock.l_type = F_WRLCK;
	lock.l_whence = SEEK_SET;
	return ::fcntl(fd, F_OFD_SETLK, &lock) == 0;
}

// Whether @path names the file open on @fd (errno ESTALE or ENOENT if not).
bool still_named(int fd, const std::filesystem::path& path)
{
	struct stat mine {}, named {};
	if (::fstat(fd, &mine) != 0 || ::lstat(path.c_str(), &named) != 0)
		return false;
	if (mine.st_dev == named.st_dev && mine.st_ino == named.st_ino)
		return true;
	errno = ESTALE;
	return false;
}

// A file that has no name until it is complete (O_TMPFILE), or, where the filesystem has no
// O_TMPFILE (NFS), a hidden name that is removed on failure.
class PendingFile {
	static constexpr int max_attempts = 5;
	static constexpr useconds_t retry_delay_us = 20000;

public:
	static Result<PendingFile> open(const std::filesystem::path& target)
	{
		PendingFile f;
		f.target_ = target;
		auto dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
		f.fd_ = UniqueFd(::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
		if (f.fd_.valid())
			return f;
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			return Error::from_errno("create a file in " + dir.string());
		auto temp = dir / half_made_path(target, ::getpid()).filename();
		// The lock is held while the file is made: swapns gc removes only hidden files it can
		// lock, so never one still being written, from this machine or (over NFS) another.
		// A gc on another machine may meet the file between its creation and the lock, lock
		// it first and remove it: then this name no longer names our file, or gc holds the
		// lock. Make it again; the name is ours (temp_, removed on failure) only once locked.
		for (int attempt = 1;; attempt++) {
			f.fd_ = UniqueFd(::open(temp.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600));
			if (!f.fd_.valid()) {
				// Another run's file, or one gc is removing: never ours to remove.
				if (errno != EEXIST || attempt == 1 || attempt > max_attempts)
					return Error::from_errno("create " + temp.string());
				::usleep(retry_delay_us);
				continue;
			}
			if (lock_whole_file(f.fd_.get()) && still_named(f.fd_.get(), temp)) {
				f.temp_ = temp;
				return f;
			}
			if (errno != EAGAIN && errno != EACCES && errno != ESTALE && errno != ENOENT)
				return Error::from_errno("lock " + temp.string());
			f.fd_.reset();
			if (attempt == max_attempts)
				return Error::from_errno("create " + temp.string() +
							 " (another process kept removing it)");
			::usleep(retry_delay_us);
		}
	}

	PendingFile() = default;
	PendingFile(PendingFile&&) = default;
	PendingFile& operator=(PendingFile&&) = default;
	~PendingFile()
	{
		if (!temp_.empty())
			::unlink(temp_.c_str());
	}

	int fd() const { return fd_.get(); }

	// Gives the finished file its name, replacing an existing file only if @replace.
	Result<bool> publish(bool replace)
	{
		std::filesystem::path staged = temp_;
		if (staged.empty()) {
			staged = half_made_path(target_, ::getpid());
			if (::linkat(AT_FDCWD, fd_path(fd_.get()).c_str(), AT_FDCWD, staged.c_str(),
				     AT_SYMLINK_FOLLOW) != 0)
				return Error::from_errno("link " + staged.string());
			temp_ = staged;
		}
		int flags = replace ? 0 : RENAME_NOREPLACE;
		if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target_.c_str(), flags) == 0) {
			temp_.clear();
			return true;
		}
		// Filesystems without RENAME_NOREPLACE (NFS): link() never replaces either.
		if (errno != EINVAL || replace)
			return Error::from_errno("rename to " + target_.string());
		if (::link(staged.c_str(), target_.c_str()) != 0)
			return Error::from_errno("link " + target_.string());
		return true; // the destructor removes the staged name

	}

private:
	std::filesystem::path target_;
	std::filesystem::path temp_;
	UniqueFd fd_;
};

} // namespace

Result<CreatedSwapfile> create_swapfile(const SwapfileRequest& req, size_t page_size)
{
	CreatedSwapfile made;
	made.size = req.size;
	made.uuid = req.uuid ? *req.uuid : random_uuid();
	auto header = encode_swap_header(req.size, page_size, made.uuid, req.label);
	if (!header)
		return header.error();

	struct stat st {};
	if (::lstat(req.path.c_str(), &st) == 0) {
		// Any namespace's device, not only those /proc/swaps lists here.
		if (is_active_swap_anywhere(req.path))
			return Error::refusal(EBUSY, req.path.string() + " is an active swap device; swapoff it first");
		if (!req.force)
			return Error::refusal(EEXIST, req.path.string() + " exists; pass --force to replace it");
		if (!S_ISREG(st.st_mode))
			return Error::refusal(EEXIST, req.path.string() + " exists and is not a regular file");
	}

	auto dir = req.path.parent_path().empty() ? std::filesystem::path(".") : req.path.parent_path();
	struct statfs fs {};
	if (::statfs(dir.c_str(), &fs) != 0)
		return Error::from_errno("statfs " + dir.string());
	made.strategy = choose_swapfile_strategy(static_cast<uint64_t>(fs.f_type));
	if (made.strategy.allocation == Allocation::refuse)
		return Error::refusal(EINVAL, dir.string() + " is on " + made.strategy.filesystem + ": " +
					     made.strategy.reason);

	if (made.strategy.allocation == Allocation::nocow_preallocate) {
		auto refusal = btrfs_check(dir);
		if (!refusal)
			return refusal.error();
		if (!refusal->empty())
			return Error::refusal(EINVAL, dir.string() + " is on btrfs: " + *refusal);
	}

	auto file = PendingFile::open(req.path);
	if (!file)
		return file.error();
	int fd = file->fd();
	switch (made.strategy.allocation) {
	case Allocation::nocow_preallocate: {
		int attr = 0;
		if (::ioctl(fd, FS_IOC_GETFLAGS, &attr) != 0)
			return Error::from_errno("FS_IOC_GETFLAGS " + req.path.string());
		attr = (attr | FS_NOCOW_FL) & ~FS_COMPR_FL;
		if (::ioctl(fd, FS_IOC_SETFLAGS, &attr) != 0)
			return Error::from_errno("set NOCOW on " + req.path.string() +
						 " (btrfs needs it for swapfiles)");
		[[fallthrough]];
	}
	case Allocation::preallocate:
		if (::fallocate(fd, 0, 0, static_cast<off_t>(req.size)) != 0) {
			// ext2 and ext3 share ext4's magic but have no fallocate: write the zeros.
			if (errno == EOPNOTSUPP && made.strategy.allocation == Allocation::preallocate) {
				auto w = write_swap_area(fd, req.path, *header, req.size, req.fill);
				if (!w)
					return w.error();
				break;
			}
			return Error::from_errno("fallocate " + std::to_string(req.size) + " bytes for " +
						 req.path.string());
		}
		if (::pwrite(fd, header->data(), header->size(), 0) != static_cast<ssize_t>(header->size()))
			return Error::from_errno("write the header of " + req.path.string());
		break;
	case Allocation::write_zeros: {
		auto w = write_swap_area(fd, req.path, *header, req.size, req.fill);
		if (!w)
			return w.error();
		break;
	}
	case Allocation::refuse:
		break;
	}
	if (::fsync(fd) != 0)
		return Error::from_errno("fsync " + req.path.string());
	if (made.strategy.allocation == Allocation::write_zeros) {
		// No FIEMAP on NFS: the server allocated what was written.
		if (::fstat(fd, &st) != 0)
			return Error::from_errno("stat " + req.path.string());
		if (static_cast<uint64_t>(st.st_size) != req.size)
			return Error(EIO, req.path.string() + ": size " + std::to_string(st.st_size) +
						  " after writing " + std::to_string(req.size) + " bytes");
	} else {
		auto ok = check_extents(fd, req.path, req.size);
		if (!ok)
			return ok.error();
	}
	// The last moment to stop: from here on the file exists under its name.
	if (req.fill.cancel && req.fill.cancel->load())
		return Error(ECANCELED, "create " + req.path.string());
	auto published = file->publish(req.force);
	if (!published)
		return published.error();
	return made;
}

} // namespace swapns
