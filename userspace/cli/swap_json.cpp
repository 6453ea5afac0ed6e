#include "swap_json.hpp"

namespace swapns::cli {

nlohmann::json swap_device_json(const SwapDevice& device)
{
	const char* type = device.partition ? "partition" : "file";
	return {{"name", device.path},
		{"type", type},
		{"size", device.size_kib * 1024},
		{"used", device.used_kib * 1024},
		{"prio", device.priority},
		{"swap_type", device.type},
		{"namespace_inode", device.namespace_inode},
		{"state", to_string(device.state)},
		{"path", device.path},
		{"kind", type},
		{"size_kib", device.size_kib},
		{"used_kib", device.used_kib},
		{"priority", device.priority}};
}

std::string json_text(const nlohmann::json& document)
{
	return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace swapns::cli
