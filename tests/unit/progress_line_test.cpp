#include <gtest/gtest.h>

#include <sstream>

#include "progress_line.hpp"

using namespace swapns::cli;
using namespace std::chrono_literals;

TEST(ProgressLine, RewritesOneLineAndErasesIt)
{
	std::ostringstream os;
	{
		ProgressLine line(os, true, "fill", 0ms);
		line.update(1 << 20, 4 << 20);
		EXPECT_EQ(os.str(), "\rfill: 1 of 4 MiB (25%)");
		line.update(3 << 20, 4 << 20);
		EXPECT_EQ(os.str(), "\rfill: 1 of 4 MiB (25%)\rfill: 3 of 4 MiB (75%)");
		os.str("");
		line.clear();
		EXPECT_EQ(os.str(), "\r" + std::string(22, ' ') + "\r");
		os.str("");
		line.clear(); // nothing on screen any more
		EXPECT_EQ(os.str(), "");
		line.update(4 << 20, 4 << 20);
		os.str("");
	} // the end of its life erases it too
	EXPECT_EQ(os.str(), "\r" + std::string(23, ' ') + "\r");
}

TEST(ProgressLine, BlanksTheRestOfALongerLine)
{
	std::ostringstream os;
	ProgressLine line(os, true, "fill", 0ms);
	line.update(10ull << 30, 10ull << 30); // "fill: 10240 of 10240 MiB (100%)"
	os.str("");
	line.update(1 << 20, 1 << 20);
	EXPECT_EQ(os.str(), "\rfill: 1 of 1 MiB (100%)" + std::string(8, ' '));
}

TEST(ProgressLine, SilentWhenDisabledOrShort)
{
	std::ostringstream os;
	{
		ProgressLine off(os, false, "fill", 0ms);
		off.update(1, 2);
		ProgressLine later(os, true, "fill", 1h);
		later.update(1, 2);
	}
	EXPECT_EQ(os.str(), "");
}
