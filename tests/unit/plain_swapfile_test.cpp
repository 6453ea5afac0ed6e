#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "plain_swapfile.hpp"

using namespace swapns;


TEST(PlainSwapfile, WritesWholeFileWithHeaderOnce)
{
	auto path = std::filesystem::temp_directory_path() / ("swapns-plain-" + std::to_string(::getpid()));
	uint64_t size = (3 << 20) + 8192; // not a multiple of the write chunk
	auto written = write_plain_swapfile(path, size, 4096);
	ASSERT_TRUE(written) << written.error().message();
	EXPECT_EQ(*written, size);
	struct stat st {};
	ASSERT_EQ(::stat(path.c_str(), &st), 0);
	EXPECT_EQ(static_cast<uint64_t>(st.st_size), size);
	EXPECT_EQ(st.st_mode & 0777, 0600u);
	std::ifstream in(path, std::ios::binary);
	std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	std::filesystem::remove(path);
	ASSERT_EQ(data.size(), size);
	EXPECT_EQ(std::string(data.data() + 4096 - 10, 10), "SWAPSPACE2");
	// The second 1 MiB chunk starts with zeros, not with another header.
	EXPECT_EQ(std::count(data.begin() + 4096, data.end(), 0), static_cast<long>(size - 4096));
}

TEST(PlainSwapfile, UnwritableDirectoryNamesThePath)
{
	auto r = write_plain_swapfile("/nonexistent-dir/x.swap", 1 << 20, 4096);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	EXPECT_NE(r.error().message().find("/nonexistent-dir/x.swap"), std::string::npos);
}
