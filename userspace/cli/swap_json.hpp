// JSON for the library's types, shared by the commands so that they name the same things alike
// (fields documented in docs/man/swapns.1; names are stable).
#pragma once

#include <nlohmann/json.hpp>

#include "swapns/namespace_swaps.hpp"

namespace swapns::cli {

// {"type", "path", "kind", "size_kib", "used_kib", "priority", "namespace_inode", "state"}
nlohmann::json swap_device_json(const SwapDevice& device);

} // namespace swapns::cli
