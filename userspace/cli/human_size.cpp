#include "human_size.hpp"

namespace swapns::cli {

namespace {

// The power of 2 of the unit: 0 for bytes, 10 for KiB, ... 60 for EiB.
unsigned unit_shift(uint64_t bytes)
{
	unsigned shift = 10;
	while (shift <= 60 && bytes >= (uint64_t{1} << shift))
		shift += 10;
	return shift - 10;
}

} // namespace

std::string human_size(uint64_t bytes)
{
	static constexpr char suffixes[] = "BKMGTPE";
	unsigned shift = unit_shift(bytes);
	uint64_t whole = bytes >> shift;
	uint64_t rest = shift ? bytes & ((uint64_t{1} << shift) - 1) : 0;
	uint64_t tenth = 0;
	if (rest) {
		// Thousandths of the unit, truncated; then rounded to tenths. Large remainders are
		// scaled down first so that the product cannot overflow, as util-linux does.
		uint64_t thousandths = rest >= UINT64_MAX / 1000 ? (rest / 1024) * 1000 >> (shift - 10)
								 : rest * 1000 >> shift;
		tenth = (thousandths + 50) / 100;
		if (tenth == 10) {
			whole++;
			tenth = 0;
		}
	}
	std::string text = std::to_string(whole);
	if (tenth)
		text += "." + std::to_string(tenth);
	return text + suffixes[shift / 10];
}

std::string size_text(uint64_t bytes, bool exact)
{
	return exact ? std::to_string(bytes) : human_size(bytes);
}

} // namespace swapns::cli
