#include "swapns/swap_blocks.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

using namespace swapns;

TEST(SwapBlocks, ReadsOfTheFileBecomeReadsOfItsBlocks)
{
	// The file's first 16 KiB at 1 MiB on the device, the next 8 KiB at 64 KiB.
	std::vector<PhysicalExtent> extents = {{0, 1 << 20, 16384}, {16384, 65536, 8192}};
	std::vector<ChunkPlan> plan = {{{{4096, 8192}, {12288, 8192}}, {{0, 16384}}}, {{{20480, 4096}}, {{16384, 4096}}}};
	auto on = plan_on_device(plan, extents);
	ASSERT_TRUE(on.ok()) << on.error().message();
	ASSERT_EQ(on->size(), 2u);
	// 4096..12287 and 12288..16383 are one run on the device; 16384..20479 is elsewhere.
	ASSERT_EQ((*on)[0].reads.size(), 2u);
	EXPECT_EQ((*on)[0].reads[0].offset, (1u << 20) + 4096);
	EXPECT_EQ((*on)[0].reads[0].bytes, 12288u);
	EXPECT_EQ((*on)[0].reads[1].offset, 65536u);
	EXPECT_EQ((*on)[0].reads[1].bytes, 4096u);
	EXPECT_EQ((*on)[0].writes.size(), 1u); // the writes are left as they are
	EXPECT_EQ((*on)[1].reads[0].offset, 65536u + 4096);
	// A read past what is mapped is refused.
	std::vector<ChunkPlan> past = {{{{24576, 4096}}, {}}};
	auto bad = plan_on_device(past, extents);
	ASSERT_FALSE(bad.ok());
	EXPECT_NE(bad.error().message().find("byte 24576 of the swapfile is not mapped"), std::string::npos);
}

TEST(SwapBlocks, MapsAFileOnThisDisk)
{
	auto path = std::filesystem::path(SWAPNS_TEST_DISK_DIR) / ("blocks-" + std::to_string(::getpid()));
	UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_TRUE(fd.valid());
	std::string data(65536, 'x');
	ASSERT_EQ(::write(fd.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
	::fsync(fd.get());
	auto extents = map_file_blocks(fd.get(), path, data.size());
	if (!extents.ok() && extents.error().errnum() == EOPNOTSUPP)
		GTEST_SKIP() << "no FIEMAP here";
	ASSERT_TRUE(extents.ok()) << extents.error().message();
	uint64_t covered = 0;
	for (const auto& e : *extents) {
		EXPECT_EQ(e.logical, covered);
		covered += e.length;
	}
	EXPECT_GE(covered, data.size());
	std::filesystem::remove(path);
}
