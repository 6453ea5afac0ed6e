#include <gtest/gtest.h>

#include <sys/swap.h>

#include "cli_args.hpp"

using namespace swapns::cli;

TEST(CliArgs, Pids)
{
	EXPECT_EQ(parse_pid("1234"), 1234);
	EXPECT_FALSE(parse_pid("0"));
	EXPECT_FALSE(parse_pid("-5"));
	EXPECT_FALSE(parse_pid("12a"));
	EXPECT_FALSE(parse_pid(""));
}

TEST(CliArgs, PriorityBecomesSwaponFlags)
{
	EXPECT_EQ(parse_priority_flags("0"), SWAP_FLAG_PREFER);
	EXPECT_EQ(parse_priority_flags("5"), SWAP_FLAG_PREFER | 5);
	EXPECT_EQ(parse_priority_flags("32767"), SWAP_FLAG_PREFER | 32767);
	EXPECT_FALSE(parse_priority_flags("32768"));
	EXPECT_FALSE(parse_priority_flags("-1"));
	EXPECT_FALSE(parse_priority_flags("high"));
}

TEST(CliArgs, SplitAtDoubleDash)
{
	auto s = split_at_double_dash({"--keep", "--", "ls", "--", "-l"});
	EXPECT_EQ(s.options, (std::vector<std::string>{"--keep"}));
	EXPECT_EQ(s.command, (std::vector<std::string>{"ls", "--", "-l"}));
	auto none = split_at_double_dash({"-t", "5"});
	EXPECT_EQ(none.options.size(), 2u);
	EXPECT_TRUE(none.command.empty());
}
