// The columns of a table of swap devices, as list and status print them. The names of what
// swapon --show also shows are swapon's (NAME, TYPE, SIZE, USED, PRIO), so that --output and
// scripts carry over from it; the JSON device objects carry the same names in lower case.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "output_columns.hpp"
#include "swapns/namespace_swaps.hpp"

namespace swapns::cli {

// Indices into device_columns().
enum class DeviceColumn : size_t {
	namespace_inode, // the namespace whose devices are listed, not necessarily the owner
	swap_type,
	type,
	size,
	used,
	prio,
	state,
	name,
};

std::span<const ColumnSpec> device_columns();

// The text of COLUMN for DEVICE, listed among the devices of namespace LISTED_UNDER.
std::string device_cell(DeviceColumn column, const SwapDevice& device, uint64_t listed_under,
			CellFormat format);

// The cells of the CHOSEN columns (indices into device_columns()) for DEVICE.
std::vector<std::string> device_row(std::span<const size_t> chosen, const SwapDevice& device,
				    uint64_t listed_under, CellFormat format);

} // namespace swapns::cli
