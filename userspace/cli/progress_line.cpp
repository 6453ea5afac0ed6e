#include "progress_line.hpp"

namespace swapns::cli {

ProgressLine::ProgressLine(std::ostream& os, bool enabled, std::string label,
			   std::chrono::milliseconds delay)
	: os_(os), enabled_(enabled), label_(std::move(label)),
	  show_after_(std::chrono::steady_clock::now() + delay)
{
}

void ProgressLine::update(uint64_t done, uint64_t total)
{
	if (!enabled_ || std::chrono::steady_clock::now() < show_after_)
		return;
	uint64_t percent = total ? done * 100 / total : 100;
	// To the nearest MiB: a 4 GiB swapfile's zeros are 4 GiB less its header page.
	auto mib = [](uint64_t bytes) { return std::to_string((bytes + (1 << 19)) >> 20); };
	std::string line = label_ + ": " + mib(done) + " of " + mib(total) + " MiB (" +
			   std::to_string(percent) + "%)";
	// Blanks over the rest of a longer line before.
	size_t pad = width_ > line.size() ? width_ - line.size() : 0;
	os_ << '\r' << line << std::string(pad, ' ') << std::flush;
	width_ = line.size() + pad;
}

void ProgressLine::clear()
{
	if (width_ == 0)
		return;
	os_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
	width_ = 0;
}

} // namespace swapns::cli
