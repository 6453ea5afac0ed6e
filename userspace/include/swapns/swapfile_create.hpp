// Creating a swapfile: header as util-linux mkswap writes it, blocks allocated the way the
// filesystem needs (swapfile_strategy.hpp), checked with FIEMAP, and put in place atomically:
// the file appears complete or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "swapns/result.hpp"
#include "swapns/swap_header.hpp"
#include "swapns/swapfile_strategy.hpp"
#include "swapns/zero_fill.hpp"

namespace swapns {

struct SwapfileRequest {
	std::filesystem::path path;
	uint64_t size = 0;        // bytes, a whole number of pages
	std::string label;        // at most 16 bytes
	std::optional<Uuid> uuid; // random (version 4) when not given
	bool force = false;       // replace an existing file (never an active swap device)
	// Where every byte is written (NFS): progress, fallback notices and how. fill.cancel also
	// stops the other strategies: once it is set, the file is not put in place (ECANCELED).
	ZeroFillOptions fill;
};

struct CreatedSwapfile {
	SwapfileStrategy strategy;
	Uuid uuid{};
	uint64_t size = 0;
};

// Errors: EEXIST without force, EBUSY for an active swap device, EINVAL for sizes and labels
// (encode_swap_header()) and for filesystems that cannot hold swap (the reason in the
// message), EIO when the finished file still has holes or shared extents, ECANCELED when
// request.fill.cancel was set before the file was put in place; otherwise the errno of the
// failing call, with the path. Nothing is left behind on failure.
Result<CreatedSwapfile> create_swapfile(const SwapfileRequest& request, size_t page_size);

} // namespace swapns
