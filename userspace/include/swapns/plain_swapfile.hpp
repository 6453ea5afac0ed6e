// The simplest swapfile the kernel accepts: fully written (no holes), version-1 header with
// no label, UUID or bad pages. Used by the VM demo and benchmarks to set up devices; the
// `swapns mkswap` command (util-linux compatible header, allocation strategy per filesystem)
// is a separate, fuller path. Both write zeros with zero_fill().
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

#include "swapns/result.hpp"
#include "swapns/zero_fill.hpp"

namespace swapns {

// Writes @header, then zeros up to @size bytes in all (zero_fill(), with @fill), from the start
// of the open file @fd (@path names it in errors). Short writes and EINTR are retried.
Result<uint64_t> write_swap_area(int fd, const std::filesystem::path& path,
				 std::span<const char> header, uint64_t size,
				 const ZeroFillOptions& fill = {});

// Writes @path (mode 0600, replacing a file of that name) as a swap area of @size bytes, with
// no label and a zero UUID, and syncs it. Returns the number of bytes written. Size errors as
// encode_swap_header().
Result<uint64_t> write_plain_swapfile(const std::filesystem::path& path, uint64_t size,
				      size_t page_size);

} // namespace swapns
