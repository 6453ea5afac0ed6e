#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

#include "swapns/swap_header.hpp"

using namespace swapns;

namespace {

const Uuid sample_uuid = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
			  0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};

uint32_t u32_at(const std::vector<char>& b, size_t off)
{
	uint32_t v;
	std::memcpy(&v, b.data() + off, sizeof(v));
	return v;
}

} // namespace

TEST(SwapHeader, Version1Layout)
{
	auto h = encode_swap_header(1 << 20, 4096, sample_uuid, "mylabel");
	ASSERT_TRUE(h) << h.error().message();
	ASSERT_EQ(h->size(), 4096u);
	EXPECT_EQ(u32_at(*h, 1024), 1u);   // version
	EXPECT_EQ(u32_at(*h, 1028), 255u); // last_page
	EXPECT_EQ(u32_at(*h, 1032), 0u);   // nr_badpages
	EXPECT_EQ(std::memcmp(h->data() + 1036, sample_uuid.data(), 16), 0);
	EXPECT_EQ(std::string(h->data() + 1052), "mylabel");
	EXPECT_EQ(std::string(h->data() + 4096 - 10, 10), "SWAPSPACE2");
}

TEST(SwapHeader, RoundTrip)
{
	auto h = encode_swap_header(64 << 20, 4096, sample_uuid, "exactly16bytes!!");
	ASSERT_TRUE(h) << h.error().message();
	auto info = decode_swap_header(*h);
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(*info, (SwapHeaderInfo{1, (64u << 20) / 4096 - 1, 0, sample_uuid, "exactly16bytes!!"}));
}

TEST(SwapHeader, SizeAndLabelErrorsSayWhy)
{
	auto partial = encode_swap_header((1 << 20) + 512, 4096, {}, "");
	ASSERT_FALSE(partial);
	EXPECT_EQ(partial.error().errnum(), EINVAL);
	EXPECT_NE(partial.error().message().find("whole number"), std::string::npos);

	auto tiny = encode_swap_header(9 * 4096, 4096, {}, "");
	ASSERT_FALSE(tiny);
	EXPECT_NE(tiny.error().message().find("at least 10 pages"), std::string::npos);
	EXPECT_TRUE(encode_swap_header(10 * 4096, 4096, {}, ""));

	auto huge = encode_swap_header((uint64_t{1} << 32) * 4096 + 4096, 4096, {}, "");
	ASSERT_FALSE(huge);
	EXPECT_NE(huge.error().message().find("too large"), std::string::npos);

	auto label = encode_swap_header(1 << 20, 4096, {}, "seventeen bytes!!");
	ASSERT_FALSE(label);
	EXPECT_NE(label.error().message().find("longer than 16"), std::string::npos);
}

TEST(SwapHeader, DecodeRejectsOtherData)
{
	std::vector<char> zeros(4096, 0);
	auto none = decode_swap_header(zeros);
	ASSERT_FALSE(none);
	EXPECT_NE(none.error().message().find("SWAPSPACE2"), std::string::npos);

	auto h = encode_swap_header(1 << 20, 4096, {}, "");
	ASSERT_TRUE(h);
	(*h)[1024] = 2; // version 2
	EXPECT_FALSE(decode_swap_header(*h));
}

TEST(Uuid, ParseAndFormat)
{
	auto u = parse_uuid("01234567-89AB-cdef-0123-456789abcdef");
	ASSERT_TRUE(u) << u.error().message();
	EXPECT_EQ(*u, sample_uuid);
	EXPECT_EQ(format_uuid(*u), "01234567-89ab-cdef-0123-456789abcdef");
	for (const char* bad : {"", "0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcde",
				"01234567-89ab-cdef-0123-456789abcdeg", "0123456-789ab-cdef-0123-456789abcdef",
				// 36 characters, 32 hex digits, but dashes where a digit belongs.
				"01234567-89ab-cdef-0123-456789abcde-f", "0123456789ab-cdef-0123-456789abcdef-",
				"-01234567-89ab-cdef-0123-456789abcdef", "01234567-89ab-cdef-0123-456789abcdef-",
				"01234567-89ab-cdef-012345-6789abcdef",
				// Found by a fuzzer of the old parser: 16 bytes read, the rest unchecked.
				"01234567-89ab-cdef-012a04567890bcdef", "01234560-89ab-cdef-01230456789abcde-",
				"01234567-80ab-cdefa01230456789abcdef"}) {
		auto r = parse_uuid(bad);
		EXPECT_FALSE(r) << bad;
		if (!r)
			EXPECT_NE(r.error().message().find("8-4-4-4-12"), std::string::npos);
	}
}

// mkswap's default: a random UUID, version 4 of the RFC 4122 variant.
TEST(Uuid, RandomIsVersion4)
{
	Uuid a = random_uuid(), b = random_uuid();
	EXPECT_NE(a, b);
	for (const Uuid& u : {a, b}) {
		EXPECT_EQ(u[6] >> 4, 4) << format_uuid(u);
		EXPECT_EQ(u[8] >> 6, 2) << format_uuid(u);
	}
	EXPECT_EQ(format_uuid(a).size(), 36u);
}

// A NUL inside the text is not the end of it.
TEST(Uuid, EmbeddedNulIsMalformed)
{
	using namespace std::string_view_literals;
	EXPECT_FALSE(parse_uuid("01234567-89ab-cdef-0123-456789abcde\0"sv));
	EXPECT_FALSE(parse_uuid("01234567\0"sv));
}

// Byte for byte what util-linux writes for the same size, UUID and label.
TEST(SwapHeader, MatchesUtilLinuxMkswap)
{
	const char* mkswap = ::access("/usr/sbin/mkswap", X_OK) == 0 ? "/usr/sbin/mkswap"
			     : ::access("/sbin/mkswap", X_OK) == 0    ? "/sbin/mkswap"
								      : nullptr;
	if (!mkswap)
		GTEST_SKIP() << "util-linux mkswap is not installed";
	size_t page_size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
	uint64_t size = 4 << 20;
	auto path = std::filesystem::temp_directory_path() / ("swapns-mkswap-" + std::to_string(::getpid()));
	{
		std::ofstream out(path, std::ios::binary);
		std::vector<char> zeros(size, 0);
		out.write(zeros.data(), static_cast<std::streamsize>(size));
	}
	std::string cmd = std::string(mkswap) + " -q -U 01234567-89ab-cdef-0123-456789abcdef -L mylabel " +
			  path.string() + " >/dev/null 2>&1";
	ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
	std::vector<char> theirs(page_size);
	{
		std::ifstream in(path, std::ios::binary);
		in.read(theirs.data(), static_cast<std::streamsize>(page_size));
	}
	std::filesystem::remove(path);
	auto ours = encode_swap_header(size, page_size, sample_uuid, "mylabel");
	ASSERT_TRUE(ours) << ours.error().message();
	EXPECT_EQ(*ours, theirs);
}
