// JSON for the library's types, shared by the commands so that they name the same things alike
// (fields documented in docs/man/swapns.1; names are stable).
#pragma once

#include <nlohmann/json.hpp>

#include "swapns/namespace_swaps.hpp"

namespace swapns::cli {

// The "version" at the top of the documents of list and status. 2 since 2026-12-02: devices
// carry swapon's names, and "type" is swapon's ("file" or "partition") where version 1, which
// had no "version" field, had the swap type. A new version only for changes that break readers.
constexpr int json_format_version = 2;

// {"name", "type", "size", "used", "prio": swapon --show's columns, sizes in bytes;
//  "swap_type", "namespace_inode", "state";
//  "path", "kind", "size_kib", "used_kib", "priority": version 1's names, kept for its readers}
nlohmann::json swap_device_json(const SwapDevice& device);

// The text of a JSON document as the commands print it. Process names and paths come from the
// kernel as bytes, and any user can give a process a name that is not UTF-8
// (prctl(PR_SET_NAME)): each invalid byte becomes U+FFFD, so that the output stays valid JSON.
std::string json_text(const nlohmann::json& document);

} // namespace swapns::cli
