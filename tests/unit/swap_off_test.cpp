#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "swapns/swap_off.hpp"

using namespace swapns;

namespace {

// A file standing in for a swapfile: swap_off_device() must check it before any swapoff.
struct TempFile {
	std::filesystem::path path;
	TempFile()
	{
		char tmpl[] = "/tmp/swapns-off-XXXXXX";
		int fd = ::mkstemp(tmpl);
		::close(fd);
		path = tmpl;
	}
	~TempFile() { std::filesystem::remove(path); }
	FileIdentity identity() const
	{
		struct stat st {};
		::stat(path.c_str(), &st);
		return {major(st.st_dev), minor(st.st_dev), st.st_ino};
	}
};

SwapDevice draining_file(const std::filesystem::path& path, std::optional<FileIdentity> identity)
{
	SwapDevice d;
	d.path = path.string();
	d.state = SwapDevice::State::draining;
	d.identity = identity;
	return d;
}

} // namespace

TEST(SwapOff, AnotherFileUnderTheNameIsRefused)
{
	TempFile f;
	auto id = f.identity();
	id.inode += 1; // the device the kernel lists is another file than this name gives here
	auto off = swap_off_device(draining_file(f.path, id));
	ASSERT_FALSE(off);
	EXPECT_EQ(off.error().errnum(), ESTALE);
	EXPECT_NE(off.error().message().find("not the swap device of that name"), std::string::npos)
		<< off.error().message();
	EXPECT_EQ(off.error().message().find("Stale"), std::string::npos) << off.error().message();
}

TEST(SwapOff, AnotherFilesystemIsRefusedToo)
{
	TempFile f;
	auto id = f.identity();
	id.minor += 1;
	auto off = swap_off_device(draining_file(f.path, id));
	ASSERT_FALSE(off);
	EXPECT_EQ(off.error().errnum(), ESTALE);
}

TEST(SwapOff, WithoutIdentityNothingIsSwappedOffByName)
{
	TempFile f;
	auto off = swap_off_device(draining_file(f.path, std::nullopt));
	ASSERT_FALSE(off);
	EXPECT_EQ(off.error().errnum(), ENOTSUP);
	EXPECT_NE(off.error().message().find("Device and Inode"), std::string::npos) << off.error().message();
}

namespace {

// What swapoff(2) is given: the file that was checked, open, never the name.
struct SwapoffSeen {
	std::string path;
	struct stat st {};
	bool reached = false;
};
SwapoffSeen seen;
int record_swapoff(const char* path)
{
	seen.reached = true;
	seen.path = path;
	::stat(path, &seen.st);
	return 0;
}

} // namespace

TEST(SwapOff, TheSameFileIsSwappedOffThroughItsDescriptor)
{
	TempFile f;
	seen = {};
	auto off = swap_off_device(draining_file(f.path, f.identity()), record_swapoff);
	ASSERT_TRUE(off) << off.error().message();
	ASSERT_TRUE(seen.reached);
	EXPECT_TRUE(seen.path.starts_with("/proc/self/fd/")) << seen.path;
	auto id = f.identity();
	EXPECT_EQ(seen.st.st_ino, id.inode); // the descriptor was still open, on that file
	EXPECT_NE(seen.path, f.path.string());
}

TEST(SwapOff, ASwapoffFailureNamesThePath)
{
	TempFile f;
	auto off = swap_off_device(draining_file(f.path, f.identity()),
				   [](const char*) { errno = ENOMEM; return -1; });
	ASSERT_FALSE(off);
	EXPECT_EQ(off.error().errnum(), ENOMEM);
	EXPECT_EQ(off.error().context(), "swapoff " + f.path.string());
}

TEST(SwapOff, RefusalsNeverReachSwapoff)
{
	TempFile f;
	auto id = f.identity();
	id.inode += 1;
	seen = {};
	EXPECT_FALSE(swap_off_device(draining_file(f.path, id), record_swapoff));
	EXPECT_FALSE(swap_off_device(draining_file(f.path, std::nullopt), record_swapoff));
	EXPECT_FALSE(swap_off_device(draining_file(f.path, FileIdentity{}), record_swapoff));
	EXPECT_FALSE(seen.reached);
}

TEST(SwapOff, AnIdentityTheKernelKeptToItselfIsRefused)
{
	TempFile f;
	auto off = swap_off_device(draining_file(f.path, FileIdentity{}));
	ASSERT_FALSE(off);
	EXPECT_EQ(off.error().errnum(), ENOTSUP);
	EXPECT_NE(off.error().message().find("only to CAP_SYS_ADMIN"), std::string::npos)
		<< off.error().message();
}

TEST(SwapOff, MissingPathIsAnError)
{
	auto off = swap_off_device(draining_file("/nonexistent/swapfile", FileIdentity{8, 1, 12}));
	ASSERT_FALSE(off);
	EXPECT_EQ(off.error().errnum(), ENOENT);
}

TEST(SwapOff, PartitionsCompareByDeviceNumber)
{
	struct stat st {};
	st.st_mode = S_IFBLK | 0660;
	st.st_rdev = makedev(254, 16);
	st.st_ino = 999; // the node's inode does not matter
	EXPECT_TRUE(is_same_swap_device(st, true, FileIdentity{254, 16, 0}));
	EXPECT_FALSE(is_same_swap_device(st, true, FileIdentity{254, 17, 0}));
	EXPECT_FALSE(is_same_swap_device(st, false, FileIdentity{254, 16, 0}));
	st.st_mode = S_IFREG | 0600;
	EXPECT_FALSE(is_same_swap_device(st, true, FileIdentity{254, 16, 0}));
}
