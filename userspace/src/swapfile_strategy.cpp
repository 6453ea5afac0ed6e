#include "swapns/swapfile_strategy.hpp"

#include <cstdio>

namespace swapns {

namespace {

// statfs f_type values (include/uapi/linux/magic.h).
constexpr uint64_t ext4_magic = 0xEF53; // ext2/3/4 share it
constexpr uint64_t xfs_magic = 0x58465342;
constexpr uint64_t btrfs_magic = 0x9123683E;
constexpr uint64_t nfs_magic = 0x6969;
constexpr uint64_t tmpfs_magic = 0x01021994;
constexpr uint64_t ramfs_magic = 0x858458f6;
constexpr uint64_t overlayfs_magic = 0x794c7630;
constexpr uint64_t cifs_magic = 0xFF534D42;
constexpr uint64_t smb2_magic = 0xFE534D42;
constexpr uint64_t fuse_magic = 0x65735546;
constexpr uint64_t zfs_magic = 0x2fc12fc1;

} // namespace

std::string btrfs_refusal(uint64_t num_devices, bool directory_compresses)
{
	if (num_devices > 1)
		return "this btrfs spans " + std::to_string(num_devices) +
		       " devices, and the kernel takes a btrfs swapfile only with a single data "
		       "profile on one device; put it on a single-device btrfs, or on ext4 or xfs";
	if (directory_compresses)
		return "the directory has compression on (chattr +c, or the btrfs compression "
		       "property), and a swapfile must not be compressed; use a directory without it "
		       "(chattr -c DIR) for swapfiles";
	return "";
}

SwapfileStrategy choose_swapfile_strategy(uint64_t magic)
{
	switch (magic) {
	case ext4_magic:
		return {"ext4", Allocation::preallocate, ""};
	case xfs_magic:
		return {"xfs", Allocation::preallocate, ""};
	case btrfs_magic:
		return {"btrfs", Allocation::nocow_preallocate,
			"btrfs needs the file NOCOW and uncompressed, on a single-device filesystem"};
	case nfs_magic:
		return {"nfs", Allocation::write_zeros,
			"NFS swap goes through the filesystem (needs CONFIG_NFS_SWAP); the file is written in full"};
	case tmpfs_magic:
		return {"tmpfs", Allocation::refuse,
			"tmpfs lives in memory and swap: a swapfile there cannot free memory; use a disk filesystem"};
	case ramfs_magic:
		return {"ramfs", Allocation::refuse, "ramfs lives in memory; use a disk filesystem"};
	case overlayfs_magic:
		return {"overlayfs", Allocation::refuse,
			"overlayfs cannot hold swapfiles; create it on the underlying filesystem (e.g. a volume)"};
	case cifs_magic:
	case smb2_magic:
		return {"cifs", Allocation::refuse, "CIFS/SMB does not support swapfiles; use NFS or a local filesystem"};
	case fuse_magic:
		return {"fuse", Allocation::refuse, "FUSE filesystems cannot hold swapfiles"};
	case zfs_magic:
		return {"zfs", Allocation::refuse, "ZFS cannot hold swapfiles; use a zvol as a swap partition"};
	default: {
		char hex[32];
		std::snprintf(hex, sizeof(hex), "unknown (0x%llx)", static_cast<unsigned long long>(magic));
		return {hex, Allocation::refuse,
			"swapns does not know whether this filesystem can hold swapfiles; use ext4, xfs, btrfs or NFS"};
	}
	}
}

} // namespace swapns
