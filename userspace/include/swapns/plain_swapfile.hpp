// The simplest swapfile the kernel accepts: fully written (no holes), version-1 header with
// no label, UUID or bad pages. Used by the VM demo and benchmarks to set up devices; the
// `swapns mkswap` command (util-linux compatible header, allocation strategy per filesystem,
// io_uring zero-fill) is a separate, fuller path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "swapns/result.hpp"

namespace swapns {

// The first page of a version-1 swap area of @size bytes: bootbits, version 1 and last_page
// at offset 1024, "SWAPSPACE2" in the page's last 10 bytes. EINVAL (errnum) if @size is not a
// whole number of pages, or smaller than two pages.
Result<std::vector<char>> plain_swap_header(uint64_t size, size_t page_size);

// Writes @path (mode 0600, replacing a file of that name) as a swap area of @size bytes and
// syncs it. Returns the number of bytes written.
Result<uint64_t> write_plain_swapfile(const std::filesystem::path& path, uint64_t size,
				      size_t page_size);

} // namespace swapns
