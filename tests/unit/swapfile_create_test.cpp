#include <gtest/gtest.h>

#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "swapns/swapfile_create.hpp"

using namespace swapns;

// A cancelled creation puts nothing in place, even where all the work was done already.
TEST(SwapfileCreate, CancelledCreationLeavesNothing)
{
	auto dir = std::filesystem::path(SWAPNS_TEST_DISK_DIR) /
		   ("swapfile-create-" + std::to_string(::getpid()));
	std::filesystem::create_directories(dir);
	struct statfs fs {};
	ASSERT_EQ(::statfs(dir.c_str(), &fs), 0);
	if (choose_swapfile_strategy(static_cast<uint64_t>(fs.f_type)).allocation == Allocation::refuse) {
		std::filesystem::remove_all(dir);
		GTEST_SKIP() << dir << " cannot hold swap";
	}
	std::atomic<bool> cancel{true};
	SwapfileRequest req;
	req.path = dir / "a.swap";
	req.size = 1 << 20;
	req.fill.cancel = &cancel;
	auto made = create_swapfile(req, 4096);
	auto left = std::distance(std::filesystem::directory_iterator(dir), {});
	std::filesystem::remove_all(dir);
	ASSERT_FALSE(made);
	EXPECT_EQ(made.error().errnum(), ECANCELED);
	EXPECT_EQ(left, 0);
}
