#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <vector>

#include "page_census.hpp"

using namespace swapns;

namespace {

constexpr uint64_t present = 1ULL << 63;
constexpr uint64_t swapped = 1ULL << 62;

uint64_t swap_entry(unsigned type, uint64_t offset)
{
	return swapped | (offset << 5) | type;
}

// A fake /proc with one task whose pagemap holds @entries from page 0 on.
class FakePagemap : public ::testing::Test {
protected:
	void write_pagemap(pid_t pid, const std::vector<uint64_t>& entries)
	{
		auto dir = root_ / std::to_string(pid);
		std::filesystem::create_directories(dir);
		std::ofstream out(dir / "pagemap", std::ios::binary);
		out.write(reinterpret_cast<const char*>(entries.data()),
			  static_cast<std::streamsize>(entries.size() * sizeof(uint64_t)));
	}
	void TearDown() override { std::filesystem::remove_all(root_); }

	std::filesystem::path root_ = std::filesystem::temp_directory_path() /
				      ("swapns-pagemap-" + std::to_string(::getpid()));
	ProcFs proc_{root_};
};

} // namespace

TEST(PagemapEntry, DecodesSwapTypeAndOffset)
{
	EXPECT_EQ(decode_pagemap_entry(swap_entry(3, 12345)), (PagemapEntry{false, true, 3, 12345}));
	EXPECT_EQ(decode_pagemap_entry(present | 0x1234), (PagemapEntry{true, false, 0, 0}));
	EXPECT_EQ(decode_pagemap_entry(0), (PagemapEntry{}));
	// The highest type and offset the format holds; soft-dirty and exclusive bits ignored.
	EXPECT_EQ(decode_pagemap_entry(swap_entry(31, (1ULL << 50) - 1) | (1ULL << 55) | (1ULL << 56)),
		  (PagemapEntry{false, true, 31, (1ULL << 50) - 1}));
}

TEST_F(FakePagemap, CountsPagesByDevice)
{
	write_pagemap(42, {present, swap_entry(1, 7), swap_entry(1, 8), 0, swap_entry(2, 9), present});
	auto c = census_range(proc_, 42, 0, 6 * 4096, 4096);
	ASSERT_TRUE(c) << c.error().message();
	EXPECT_EQ(c->pages, 6u);
	EXPECT_EQ(c->present, 2u);
	EXPECT_EQ(c->swapped(), 3u);
	EXPECT_EQ(c->swapped_by_type, (std::map<unsigned, uint64_t>{{1, 2}, {2, 1}}));
	EXPECT_EQ(c->swapped_elsewhere(1), 1u);
	EXPECT_EQ(c->swapped_elsewhere(5), 3u);
}

TEST_F(FakePagemap, RangeInTheMiddle)
{
	write_pagemap(42, {present, swap_entry(1, 7), swap_entry(2, 8), present});
	auto c = census_range(proc_, 42, 4096, 2 * 4096, 4096);
	ASSERT_TRUE(c) << c.error().message();
	EXPECT_EQ(c->pages, 2u);
	EXPECT_EQ(c->present, 0u);
	EXPECT_EQ(c->swapped_by_type, (std::map<unsigned, uint64_t>{{1, 1}, {2, 1}}));
}

TEST_F(FakePagemap, RangeBeyondTheFileIsAnError)
{
	write_pagemap(42, {present, present});
	auto c = census_range(proc_, 42, 0, 4 * 4096, 4096);
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().errnum(), EIO);
}

TEST_F(FakePagemap, UnalignedRangeIsRejected)
{
	write_pagemap(42, {present});
	auto c = census_range(proc_, 42, 100, 4096, 4096);
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().errnum(), EINVAL);
}

TEST_F(FakePagemap, NoSuchTask)
{
	auto c = census_range(proc_, 43, 0, 4096, 4096);
	ASSERT_FALSE(c);
	EXPECT_EQ(c.error().errnum(), ENOENT);
	EXPECT_NE(c.error().message().find("43/pagemap"), std::string::npos) << c.error().message();
}
