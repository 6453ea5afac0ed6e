#include "swapns/swap_blocks.hpp"

#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "swapns/file_io.hpp"

namespace swapns {

namespace fs = std::filesystem;

const uint32_t fiemap_unplaced = FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC | FIEMAP_EXTENT_ENCODED |
				 FIEMAP_EXTENT_DATA_ENCRYPTED | FIEMAP_EXTENT_NOT_ALIGNED |
				 FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_DATA_TAIL;

Result<std::vector<PhysicalExtent>> map_file_blocks(int fd, const fs::path& path, uint64_t size)
{
	constexpr unsigned batch = 256;
	std::vector<char> buf(sizeof(fiemap) + batch * sizeof(fiemap_extent));
	auto* fm = reinterpret_cast<fiemap*>(buf.data());
	std::vector<PhysicalExtent> out;
	uint64_t covered = 0;
	while (covered < size) {
		std::fill(buf.begin(), buf.end(), 0);
		fm->fm_start = covered;
		fm->fm_length = size - covered;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = batch;
		if (::ioctl(fd, FS_IOC_FIEMAP, fm) != 0)
			return Error::from_errno("FIEMAP " + path.string());
		if (fm->fm_mapped_extents == 0)
			break;
		bool last = false;
		for (unsigned i = 0; i < fm->fm_mapped_extents; i++) {
			const fiemap_extent& e = fm->fm_extents[i];
			if (e.fe_logical > covered)
				return out; // a hole: the caller sees the extents end at @covered
			uint64_t skip = covered - e.fe_logical; // FIEMAP may start before fm_start
			if (skip < e.fe_length)
				out.push_back({covered, e.fe_physical + skip, e.fe_length - skip, e.fe_flags});
			covered = std::max<uint64_t>(covered, e.fe_logical + e.fe_length);
			last = e.fe_flags & FIEMAP_EXTENT_LAST;
		}
		if (last)
			break;
	}
	return out;
}

Result<std::vector<ChunkPlan>> plan_on_device(const std::vector<ChunkPlan>& plan,
					      const std::vector<PhysicalExtent>& extents)
{
	std::vector<ChunkPlan> out;
	out.reserve(plan.size());
	for (const auto& chunk : plan) {
		ChunkPlan c;
		c.writes = chunk.writes;
		for (const auto& r : chunk.reads) {
			uint64_t at = r.offset, left = r.bytes;
			while (left) {
				// The extent holding byte @at: the last one starting at or before it.
				auto it = std::upper_bound(extents.begin(), extents.end(), at,
							   [](uint64_t off, const PhysicalExtent& e) { return off < e.logical; });
				if (it == extents.begin() || at >= std::prev(it)->logical + std::prev(it)->length)
					return Error::refusal(EIO, "byte " + std::to_string(at) + " of the swapfile is not mapped");
				const PhysicalExtent& e = *std::prev(it);
				uint64_t n = std::min(left, e.logical + e.length - at);
				uint64_t phys = e.physical + (at - e.logical);
				if (!c.reads.empty() && c.reads.back().offset + c.reads.back().bytes == phys)
					c.reads.back().bytes += n;
				else
					c.reads.push_back({phys, n});
				at += n;
				left -= n;
			}
		}
		out.push_back(std::move(c));
	}
	return out;
}

namespace {

constexpr long nfs_magic = 0x6969;
constexpr long btrfs_magic = 0x9123683e;

// /dev/NAME of block device @dev, from /sys/dev/block/MAJ:MIN/uevent (devtmpfs names, which
// need no udev), checked to be that device.
Result<UniqueFd> open_block_device(dev_t dev)
{
	std::string id = std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
	auto uevent = read_small_file("/sys/dev/block/" + id + "/uevent");
	if (!uevent)
		return Error(uevent.error().errnum(), "finding block device " + id + ": " + uevent.error().message());
	std::istringstream in(*uevent);
	std::string name;
	for (std::string line; std::getline(in, line);)
		if (line.rfind("DEVNAME=", 0) == 0)
			name = line.substr(8);
	if (name.empty() || name.find("..") != std::string::npos)
		return Error::refusal(ENODEV, "block device " + id + " has no name in /sys/dev/block/" + id + "/uevent");
	std::string path = "/dev/" + name;
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("opening " + path + " to read the swapfile's blocks");
	struct stat st{};
	if (::fstat(fd.get(), &st) != 0 || !S_ISBLK(st.st_mode) || st.st_rdev != dev)
		return Error::refusal(ENODEV, path + " is not block device " + id);
	return fd;
}

} // namespace

Result<SwapDataSource> open_swap_data_source(int file_fd, const fs::path& path, uint64_t size)
{
	struct statfs sfs{};
	if (::fstatfs(file_fd, &sfs) != 0)
		return Error::from_errno("statfs " + path.string());
	SwapDataSource src;
	if (sfs.f_type == nfs_magic) {
		src.fd = UniqueFd(::fcntl(file_fd, F_DUPFD_CLOEXEC, 0));
		src.name = path.string();
		if (!src.fd.valid())
			return Error::from_errno("duplicating the descriptor of " + path.string());
		return src;
	}
	if (sfs.f_type == btrfs_magic)
		return Error::refusal(ENOTSUP, path.string() + " is on btrfs, whose FIEMAP addresses are not device "
								   "offsets; swapns checkpoint reads swapfiles on ext4, xfs and NFS");
	struct stat st{};
	if (::fstat(file_fd, &st) != 0)
		return Error::from_errno("stat " + path.string());
	auto extents = map_file_blocks(file_fd, path, size);
	if (!extents)
		return extents.error();
	uint64_t covered = 0;
	for (const auto& e : *extents) {
		if (e.flags & fiemap_unplaced)
			return Error::refusal(EIO, path.string() + ": the extent at byte " + std::to_string(e.logical) +
							   " has no fixed place on the device");
		covered = e.logical + e.length;
	}
	if (covered < size)
		return Error::refusal(EIO, path.string() + ": hole at byte " + std::to_string(covered));
	auto dev = open_block_device(st.st_dev);
	if (!dev)
		return dev.error();
	src.fd = std::move(*dev);
	src.name = path.string() + " (its blocks on the device)";
	src.extents = std::move(*extents);
	return src;
}

} // namespace swapns
