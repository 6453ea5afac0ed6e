// The version-1 swap header ("SWAPSPACE2") that mkswap(8) writes and swapon(2) reads, as
// bytes: struct swap_header_v1_2 of the kernel's include/linux/swap.h, in the first page.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/result.hpp"

namespace swapns {

using Uuid = std::array<uint8_t, 16>;

struct SwapHeaderInfo {
	uint32_t version = 0;
	uint32_t last_page = 0; // index of the last usable page: size / page_size - 1
	uint32_t nr_badpages = 0;
	Uuid uuid{};
	std::string label; // up to 16 bytes, NUL-padded on disk

	bool operator==(const SwapHeaderInfo&) const = default;
};

// The smallest swap area mkswap(8) makes: 10 pages.
constexpr uint64_t min_swap_pages = 10;
constexpr size_t max_label_bytes = 16;

// The first page of a swap area of @size bytes. EINVAL (errnum) with the reason if @size is
// not a whole number of pages, is under min_swap_pages pages, is too large for the header's
// 32-bit last_page, or @label is longer than max_label_bytes.
Result<std::vector<char>> encode_swap_header(uint64_t size, size_t page_size, const Uuid& uuid,
					     std::string_view label);

// Reads the header from the first page of a swap area. Fails (errnum 0) without the
// SWAPSPACE2 magic or with a version other than 1.
Result<SwapHeaderInfo> decode_swap_header(std::span<const char> page);

// "01234567-89ab-cdef-0123-456789abcdef" (as blkid and mkswap -U show it), either case.
// libuuid's, as mkswap(8) uses them.
Result<Uuid> parse_uuid(std::string_view text);
std::string format_uuid(const Uuid& uuid);
// A random (version 4) UUID, as mkswap(8) makes by default.
Uuid random_uuid();

} // namespace swapns
