// A progress line on a terminal, rewritten in place with \r ("LABEL: 512 of 4096 MiB (12%)").
// It appears only once the operation has run for a while, so that short ones print nothing,
// and is erased by clear() (or at the end of its life), leaving the terminal as it was.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace swapns::cli {

class ProgressLine {
public:
	// Prints nothing unless @enabled (the caller checks that @os is a terminal).
	ProgressLine(std::ostream& os, bool enabled, std::string label, std::chrono::milliseconds delay);
	~ProgressLine() { clear(); }
	ProgressLine(const ProgressLine&) = delete;
	ProgressLine& operator=(const ProgressLine&) = delete;

	void update(uint64_t done, uint64_t total);
	void clear();

private:
	std::ostream& os_;
	bool enabled_;
	std::string label_;
	std::chrono::steady_clock::time_point show_after_;
	size_t width_ = 0; // of the line on screen; 0 when none is
};

} // namespace swapns::cli
