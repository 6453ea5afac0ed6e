// How to lay out a swapfile on a given filesystem so that the kernel accepts it (swapon needs
// every block allocated: no holes, no shared, inline or compressed extents), from statfs(2).
#pragma once

#include <cstdint>
#include <string>

namespace swapns {

enum class Allocation {
	preallocate,       // fallocate(): ext4 and xfs take unwritten extents as swap
	nocow_preallocate, // btrfs: set NOCOW on the empty file, then fallocate()
	write_zeros,       // write every byte: NFS (swap goes through the filesystem's swap ops)
	refuse,            // cannot hold swap; the reason says why
};

struct SwapfileStrategy {
	std::string filesystem; // "ext4", "nfs", ... or "unknown (0x...)"
	Allocation allocation = Allocation::refuse;
	std::string reason;     // why refused, or a note for the user
};

// The strategy for a filesystem with statfs f_type @magic.
SwapfileStrategy choose_swapfile_strategy(uint64_t magic);

// What the kernel's btrfs swap support rules out, from the filesystem's device count
// (BTRFS_IOC_FS_INFO) and whether the directory compresses new files (FS_COMPR_FL, set by
// chattr +c or the btrfs compression property): the reason to refuse, or "" if neither.
std::string btrfs_refusal(uint64_t num_devices, bool directory_compresses);

} // namespace swapns
