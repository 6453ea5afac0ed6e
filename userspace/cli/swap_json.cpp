#include "swap_json.hpp"

namespace swapns::cli {

nlohmann::json swap_device_json(const SwapDevice& device)
{
	return {{"type", device.type},
		{"path", device.path},
		{"kind", device.partition ? "partition" : "file"},
		{"size_kib", device.size_kib},
		{"used_kib", device.used_kib},
		{"priority", device.priority},
		{"namespace_inode", device.namespace_inode},
		{"state", to_string(device.state)}};
}

} // namespace swapns::cli
