// Sizes for people, as util-linux prints them in swapon --show and lsblk, or exact for scripts.
#pragma once

#include <cstdint>
#include <string>

namespace swapns::cli {

// What util-linux's size_to_human_string(SIZE_SUFFIX_1LETTER, bytes) prints (2.38): powers of
// 1024 with the suffixes B K M G T P E, one decimal digit rounded half up and dropped when it
// is 0: "0B", "1023B", "1K", "1.5K", "31.9M", "1024K" for 1048575 (rounded up, not carried
// into the next unit), "16E" for the largest value. The decimal point is always '.', since
// swapns does not follow the locale.
std::string human_size(uint64_t bytes);

// The text of a size column: human_size(), or the exact number of bytes for --bytes.
std::string size_text(uint64_t bytes, bool exact);

} // namespace swapns::cli
