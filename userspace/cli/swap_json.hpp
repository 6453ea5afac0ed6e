// JSON for the library's types, shared by the commands so that they name the same things alike
// (fields documented in docs/man/swapns.1; names are stable).
#pragma once

#include <nlohmann/json.hpp>

#include "swapns/namespace_swaps.hpp"

namespace swapns::cli {

// {"type", "path", "kind", "size_kib", "used_kib", "priority", "namespace_inode", "state"}
nlohmann::json swap_device_json(const SwapDevice& device);

// The text of a JSON document as the commands print it. Process names and paths come from the
// kernel as bytes, and any user can give a process a name that is not UTF-8
// (prctl(PR_SET_NAME)): each invalid byte becomes U+FFFD, so that the output stays valid JSON.
std::string json_text(const nlohmann::json& document);

} // namespace swapns::cli
