// Writing a swap area into an open file: its header, then zeros to the end, as mkswap does.
#pragma once

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

} // namespace swapns
