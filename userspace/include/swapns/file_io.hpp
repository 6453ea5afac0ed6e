// Whole-file reads for small kernel interface files (/proc, /sys).
#pragma once

#include <filesystem>
#include <string>

#include "swapns/result.hpp"

namespace swapns {

// Reads all of a small file. Errors carry the path.
Result<std::string> read_small_file(const std::filesystem::path& path);

} // namespace swapns
