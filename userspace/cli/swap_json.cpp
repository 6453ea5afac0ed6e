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

std::string json_text(const nlohmann::json& document)
{
	return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace swapns::cli
