#include <gtest/gtest.h>

#include <sys/types.h>

#include <cstdint>

#include "swapns/parse.hpp"

using swapns::parse_decimal;
using swapns::parse_size;

TEST(ParseDecimal, TakesTheWholeStringOnly)
{
	EXPECT_EQ(parse_decimal<int>("42"), 42);
	EXPECT_EQ(parse_decimal<int>("-7"), -7);
	EXPECT_EQ(parse_decimal<uint64_t>("18446744073709551615"), UINT64_MAX);
	EXPECT_FALSE(parse_decimal<int>(""));
	EXPECT_FALSE(parse_decimal<int>("+1"));
	EXPECT_FALSE(parse_decimal<int>(" 1"));
	EXPECT_FALSE(parse_decimal<int>("1 "));
	EXPECT_FALSE(parse_decimal<int>("12a"));
	EXPECT_FALSE(parse_decimal<unsigned>("-1"));
	EXPECT_FALSE(parse_decimal<uint64_t>("18446744073709551616"));
	EXPECT_FALSE(parse_decimal<pid_t>("4294967296"));
}

TEST(ParseSize, PlainBytes)
{
	EXPECT_EQ(parse_size("0"), 0u);
	EXPECT_EQ(parse_size("65536"), 65536u);
	EXPECT_EQ(parse_size("18446744073709551615"), UINT64_MAX);
}

// The forms util-linux's strtosize() documents: X and XiB are powers of 1024, XB of 1000.
TEST(ParseSize, UnitsAsUtilLinux)
{
	EXPECT_EQ(parse_size("4K"), 4096u);
	EXPECT_EQ(parse_size("4k"), 4096u);
	EXPECT_EQ(parse_size("4KiB"), 4096u);
	EXPECT_EQ(parse_size("4Kib"), 4096u);
	EXPECT_EQ(parse_size("4KB"), 4000u);
	EXPECT_EQ(parse_size("512m"), 512ull << 20);
	EXPECT_EQ(parse_size("512MiB"), 512ull << 20);
	EXPECT_EQ(parse_size("512MB"), 512000000u);
	EXPECT_EQ(parse_size("2G"), 2ull << 30);
	EXPECT_EQ(parse_size("3T"), 3ull << 40);
	EXPECT_EQ(parse_size("1P"), 1ull << 50);
	EXPECT_EQ(parse_size("1E"), 1ull << 60);
	EXPECT_EQ(parse_size("15E"), 15ull << 60);
}

TEST(ParseSize, FractionsAreExact)
{
	EXPECT_EQ(parse_size("1.5G"), 3ull << 29);
	EXPECT_EQ(parse_size("0.5K"), 512u);
	EXPECT_EQ(parse_size("0.3G"), 322122547u); // 0.3 * 2^30 = 322122547.2
	EXPECT_EQ(parse_size("1.05M"), 1101004u);  // 1.05 * 2^20 = 1101004.8
	EXPECT_EQ(parse_size("2.5MB"), 2500000u);
	EXPECT_EQ(parse_size("1.000000000000000000000001K"), 1024u);
	EXPECT_EQ(parse_size("0.999999999999999999999999E"), (1ull << 60) - 1);
}

TEST(ParseSize, RefusesMalformedSizes)
{
	EXPECT_FALSE(parse_size(""));
	EXPECT_FALSE(parse_size("G"));
	EXPECT_FALSE(parse_size("-1"));
	EXPECT_FALSE(parse_size("-1G"));
	EXPECT_FALSE(parse_size("+1G"));
	EXPECT_FALSE(parse_size("12X"));
	EXPECT_FALSE(parse_size("12B")); // no unit letter before B
	EXPECT_FALSE(parse_size("1.5"));  // a fraction needs a unit
	EXPECT_FALSE(parse_size("1.G"));
	EXPECT_FALSE(parse_size(".5G"));
	EXPECT_FALSE(parse_size("1GiBs"));
	EXPECT_FALSE(parse_size("1Gi"));
	EXPECT_FALSE(parse_size("1 G"));
	EXPECT_FALSE(parse_size("1Z")); // beyond 64 bits
	EXPECT_FALSE(parse_size("16E"));
	EXPECT_FALSE(parse_size("99999999999T"));
	EXPECT_FALSE(parse_size("18446744073709551616"));
}
