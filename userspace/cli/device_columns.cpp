#include "device_columns.hpp"

#include "human_size.hpp"

namespace swapns::cli {

namespace {

using Align = TextTable::Align;

constexpr ColumnSpec columns[] = {
	{"NAMESPACE", "inode of the swap namespace that swaps to the device"},
	{"SWAPTYPE", "swap type, as /proc/PID/pagemap gives it for pages on the device", Align::right},
	{"TYPE", "type of the device: file or partition"},
	{"SIZE", "size of the swap area", Align::right},
	{"USED", "bytes in use", Align::right},
	{"PRIO", "swap priority", Align::right},
	{"STATE", "own, inherited, draining or restoring, with the namespace it belongs to if not this one"},
	{"NAME", "swap file or partition path"},
};

// "own", "inherited from 4026531830", "draining from 4026531830": a device that belongs to
// another namespace names it; "inherited from above" for one whose namespace lies above the
// reader's own, which the kernel shows as 0 (docs/abi.md).
std::string state_text(const SwapDevice& device, uint64_t listed_under)
{
	std::string state(to_string(device.state));
	if (device.namespace_inode == 0)
		state += " from above";
	else if (device.namespace_inode != listed_under)
		state += " from " + std::to_string(device.namespace_inode);
	return state;
}

} // namespace

std::span<const ColumnSpec> device_columns()
{
	return columns;
}

std::string device_cell(DeviceColumn column, const SwapDevice& device, uint64_t listed_under,
			CellFormat format)
{
	switch (column) {
	case DeviceColumn::namespace_inode:
		return std::to_string(listed_under);
	case DeviceColumn::swap_type:
		return std::to_string(device.type);
	case DeviceColumn::type:
		return device.partition ? "partition" : "file";
	case DeviceColumn::size:
		return size_text(device.size_kib * 1024, format.exact_sizes);
	case DeviceColumn::used:
		return size_text(device.used_kib * 1024, format.exact_sizes);
	case DeviceColumn::prio:
		return std::to_string(device.priority);
	case DeviceColumn::state:
		return state_text(device, listed_under);
	case DeviceColumn::name:
		return device.path;
	}
	return "";
}

std::vector<std::string> device_row(std::span<const size_t> chosen, const SwapDevice& device,
				    uint64_t listed_under, CellFormat format)
{
	std::vector<std::string> cells;
	for (size_t column : chosen)
		cells.push_back(device_cell(static_cast<DeviceColumn>(column), device, listed_under, format));
	return cells;
}

} // namespace swapns::cli
