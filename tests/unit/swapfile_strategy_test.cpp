#include <gtest/gtest.h>

#include "swapns/swapfile_strategy.hpp"

using namespace swapns;

TEST(SwapfileStrategy, LocalFilesystemsPreallocate)
{
	EXPECT_EQ(choose_swapfile_strategy(0xEF53).allocation, Allocation::preallocate);
	EXPECT_EQ(choose_swapfile_strategy(0xEF53).filesystem, "ext4");
	EXPECT_EQ(choose_swapfile_strategy(0x58465342).allocation, Allocation::preallocate);
}

TEST(SwapfileStrategy, BtrfsNeedsNocow)
{
	auto s = choose_swapfile_strategy(0x9123683E);
	EXPECT_EQ(s.allocation, Allocation::nocow_preallocate);
	EXPECT_NE(s.reason.find("NOCOW"), std::string::npos);
}

TEST(SwapfileStrategy, NfsIsWrittenInFull)
{
	EXPECT_EQ(choose_swapfile_strategy(0x6969).allocation, Allocation::write_zeros);
}

TEST(SwapfileStrategy, MemoryAndStackedFilesystemsAreRefusedWithAReason)
{
	for (uint64_t magic : {0x01021994ULL, 0x858458f6ULL, 0x794c7630ULL, 0xFF534D42ULL, 0xFE534D42ULL,
			       0x65735546ULL}) {
		auto s = choose_swapfile_strategy(magic);
		EXPECT_EQ(s.allocation, Allocation::refuse) << s.filesystem;
		EXPECT_FALSE(s.reason.empty()) << s.filesystem;
	}
	EXPECT_NE(choose_swapfile_strategy(0x01021994).reason.find("memory"), std::string::npos);
	EXPECT_NE(choose_swapfile_strategy(0x794c7630).reason.find("underlying"), std::string::npos);
}

TEST(SwapfileStrategy, UnknownFilesystemIsRefusedNamingItsMagic)
{
	auto s = choose_swapfile_strategy(0x12345678);
	EXPECT_EQ(s.allocation, Allocation::refuse);
	EXPECT_EQ(s.filesystem, "unknown (0x12345678)");
}

TEST(SwapfileStrategy, BtrfsRefusals)
{
	EXPECT_EQ(btrfs_refusal(1, false), "");
	auto multi = btrfs_refusal(2, false);
	EXPECT_NE(multi.find("spans 2 devices"), std::string::npos) << multi;
	auto compressed = btrfs_refusal(1, true);
	EXPECT_NE(compressed.find("compression on"), std::string::npos) << compressed;
	EXPECT_NE(compressed.find("chattr -c"), std::string::npos) << compressed;
}
