#include <gtest/gtest.h>

#include <cstdint>

#include "human_size.hpp"

using swapns::cli::human_size;
using swapns::cli::size_text;

// Boundaries of util-linux's size_to_human_string() as swapon --show prints sizes.
TEST(HumanSize, UnitBoundaries)
{
	EXPECT_EQ(human_size(0), "0B");
	EXPECT_EQ(human_size(1), "1B");
	EXPECT_EQ(human_size(1023), "1023B");
	EXPECT_EQ(human_size(1024), "1K");
	EXPECT_EQ(human_size(1536), "1.5K");
	// 1023.999K rounds up to 1024K; util-linux does not carry it into the next unit.
	EXPECT_EQ(human_size(1048575), "1024K");
	EXPECT_EQ(human_size(1048576), "1M");
	EXPECT_EQ(human_size(uint64_t{1} << 30), "1G");
	EXPECT_EQ(human_size((uint64_t{1} << 30) - 1), "1024M");
	EXPECT_EQ(human_size(uint64_t{1} << 40), "1T");
	EXPECT_EQ(human_size(uint64_t{1} << 50), "1P");
	EXPECT_EQ(human_size(uint64_t{1} << 60), "1E");
	EXPECT_EQ(human_size(UINT64_MAX), "16E");
}

// One decimal, rounded half up from thousandths, dropped when it is 0. Each of these (but
// 31.9M) is what findmnt --df of util-linux 2.38.1 printed for a tmpfs of that size.
TEST(HumanSize, OneDecimalRoundedFromThousandths)
{
	EXPECT_EQ(human_size(33449574), "31.9M");
	EXPECT_EQ(human_size(2035712), "1.9M");
	EXPECT_EQ(human_size(184885248), "176.3M");
	EXPECT_EQ(human_size(6383501312), "5.9G");
	EXPECT_EQ(human_size(1098491678720), "1023.1G");
	// 1.939G and 1.049G: rounding tenths of 1024ths (util-linux before 2.35) would give 2G and
	// 1.1G.
	EXPECT_EQ(human_size(2083061760), "1.9G");
	EXPECT_EQ(human_size(1126813696), "1G");
	// 0.95 of a unit rounds up to the next whole number.
	EXPECT_EQ(human_size(1024 + 973), "2K");
	EXPECT_EQ(human_size(1024 + 972), "1.9K");
}

TEST(HumanSize, BytesAreExact)
{
	for (uint64_t n : {uint64_t{0}, uint64_t{1023}, uint64_t{1536}, uint64_t{1} << 30, UINT64_MAX})
		EXPECT_EQ(size_text(n, true), std::to_string(n));
	EXPECT_EQ(size_text(1536, false), "1.5K");
}
