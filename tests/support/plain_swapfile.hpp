// The simplest swapfile the kernel accepts: fully written (no holes), version-1 header with
// no label, UUID or bad pages. Test support, not part of the tool: the VM demo and benchmarks
// set up devices with it; the `swapns mkswap` command (util-linux compatible header,
// allocation strategy per filesystem) is the fuller path. Both write with write_swap_area().
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "swapns/result.hpp"

namespace swapns {

// Writes @path (mode 0600, replacing a file of that name) as a swap area of @size bytes, with
// no label and a zero UUID, and syncs it. Returns the number of bytes written. Size errors as
// encode_swap_header().
Result<uint64_t> write_plain_swapfile(const std::filesystem::path& path, uint64_t size,
				      size_t page_size);

} // namespace swapns
