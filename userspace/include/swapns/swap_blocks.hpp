// Reading what swap wrote to a swapfile. Swap I/O goes straight to the blocks the file had at
// swapon, around the filesystem: on ext4 and xfs, whose swapfiles are preallocated, those
// extents stay "unwritten" in the filesystem's metadata, so a read through the file returns
// zeroes where swap wrote pages. The data is read where swap wrote it instead: on the block
// device, at the blocks FIEMAP maps the file's pages to (the kernel keeps a swapfile's blocks
// from moving while it is on). On NFS swap goes through the filesystem (swap_rw), and the
// file reads right.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "swapns/chunk_copy.hpp"
#include "swapns/result.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

// Bytes [logical, logical + length) of a file are bytes [physical, ...) of its device.
struct PhysicalExtent {
	uint64_t logical = 0;
	uint64_t physical = 0;
	uint64_t length = 0;
	uint32_t flags = 0; // FIEMAP_EXTENT_*
	bool operator==(const PhysicalExtent&) const = default;
};

// FIEMAP of @fd from byte 0 to @size, in order, each extent starting where the one before
// ended (the first one at 0). Stops at the last extent or at @size, whichever comes first;
// a hole is where the extents end short of @size or leave a gap, which the caller judges.
Result<std::vector<PhysicalExtent>> map_file_blocks(int fd, const std::filesystem::path& path, uint64_t size);

// FIEMAP flags of an extent without a fixed place on the device (delayed, inline, encoded...).
extern const uint32_t fiemap_unplaced;

// The reads of @plan (offsets in the file) as reads of the device, through @extents, split
// where an extent ends. EIO when a byte is not mapped.
Result<std::vector<ChunkPlan>> plan_on_device(const std::vector<ChunkPlan>& plan,
					      const std::vector<PhysicalExtent>& extents);

// Where to read a swapfile's slots from: the file itself (NFS), or its block device with the
// plan remapped. @file is the swapfile open for reading.
struct SwapDataSource {
	UniqueFd fd;       // what copy_chunks() reads from
	std::string name;  // for messages
	std::vector<PhysicalExtent> extents; // empty: read the file as it is
};
Result<SwapDataSource> open_swap_data_source(int file_fd, const std::filesystem::path& path, uint64_t size);

} // namespace swapns
