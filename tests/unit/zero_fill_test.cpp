#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/io_uring.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "swapns/unique_fd.hpp"
#include "io_probe.hpp"
#include "swapns/zero_fill.hpp"

using namespace swapns;
using swapns::test::io_uring_works;

namespace {

constexpr char filler = static_cast<char>(0xA5);
constexpr uint64_t tmpfs_magic = 0x01021994;

bool direct_io_works(const std::filesystem::path& dir)
{
	auto probe = dir / "direct-probe";
	UniqueFd fd(::open(probe.c_str(), O_CREAT | O_WRONLY | O_DIRECT | O_CLOEXEC, 0600));
	::unlink(probe.c_str());
	return fd.valid();
}

std::string read_all(const std::filesystem::path& path)
{
	std::ifstream in(path, std::ios::binary);
	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Index of the first byte in [begin, end) of @s that is not @c, or npos.
size_t first_not(const std::string& s, char c, size_t begin, size_t end)
{
	for (size_t i = begin; i < end; i++)
		if (s[i] != c)
			return i;
	return std::string::npos;
}

class ZeroFillDir : public ::testing::Test {
protected:
	// A directory on the disk the build is on: O_DIRECT works there, unlike on an old
	// kernel's tmpfs.
	void SetUp() override
	{
		dir_ = std::filesystem::path(SWAPNS_TEST_DISK_DIR) /
		       ("zero-fill-" + std::to_string(::getpid()));
		std::filesystem::create_directories(dir_);
		path_ = dir_ / "f";
	}
	void TearDown() override { std::filesystem::remove_all(dir_); }

	// @size bytes of filler, open for reading and writing.
	UniqueFd make_file(uint64_t size)
	{
		{
			std::ofstream out(path_, std::ios::binary);
			std::string chunk(1 << 20, filler);
			for (uint64_t left = size; left > 0;) {
				auto n = std::min<uint64_t>(left, chunk.size());
				out.write(chunk.data(), static_cast<std::streamsize>(n));
				left -= n;
			}
		}
		return UniqueFd(::open(path_.c_str(), O_RDWR | O_CLOEXEC));
	}

	std::filesystem::path dir_;
	std::filesystem::path path_;
};

} // namespace

// Existing content is overwritten, bytes outside the range are kept, the file grows to the end
// of the range exactly (an unaligned tail), and on a disk where the kernel allows it the fill
// really went through io_uring with O_DIRECT.
TEST_F(ZeroFillDir, OverwritesAndExtendsWithIoUringAndODirect)
{
	const uint64_t offset = 4096, length = (5 << 20) + 3 * 4096 + 100;
	auto fd = make_file(2 << 20);
	ASSERT_TRUE(fd.valid());
	ZeroFillOptions options;
	options.block_size = 256 << 10; // more writes than the queue holds
	options.queue_depth = 4;
	std::vector<std::string> notices;
	options.on_fallback = [&](const std::string& m) { notices.push_back(m); };
	auto r = zero_fill(fd.get(), path_, offset, length, options);
	ASSERT_TRUE(r) << r.error().message();

	auto data = read_all(path_);
	ASSERT_EQ(data.size(), offset + length);
	EXPECT_EQ(first_not(data, filler, 0, offset), std::string::npos);
	EXPECT_EQ(first_not(data, 0, offset, data.size()), std::string::npos);

	if (!io_uring_works() || !direct_io_works(dir_))
		GTEST_SKIP() << "io_uring or O_DIRECT unavailable here; fallback: " << r->fallback;
	EXPECT_EQ(r->method, ZeroFillMethod::io_uring);
	EXPECT_TRUE(r->direct);
	EXPECT_EQ(r->fallback, "");
	EXPECT_TRUE(notices.empty());
}

TEST_F(ZeroFillDir, PwriteFallbackOnRequest)
{
	auto fd = make_file(3 << 20);
	ZeroFillOptions options;
	options.allow_io_uring = false;
	std::vector<std::string> notices;
	options.on_fallback = [&](const std::string& m) { notices.push_back(m); };
	const uint64_t length = (3 << 20) - 4096 - 1; // the last byte stays
	auto r = zero_fill(fd.get(), path_, 4096, length, options);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(r->method, ZeroFillMethod::pwrite);
	ASSERT_EQ(notices.size(), 1u);
	EXPECT_EQ(notices[0], "io_uring not requested: writing zeros with pwrite");
	EXPECT_EQ(r->fallback, notices[0]);
	EXPECT_EQ(r->direct, direct_io_works(dir_));

	auto data = read_all(path_);
	ASSERT_EQ(data.size(), 3u << 20);
	EXPECT_EQ(first_not(data, filler, 0, 4096), std::string::npos);
	EXPECT_EQ(first_not(data, 0, 4096, data.size() - 1), std::string::npos);
	EXPECT_EQ(data.back(), filler);
}

TEST_F(ZeroFillDir, BufferedOnRequest)
{
	auto fd = make_file(1 << 20);
	ZeroFillOptions options;
	options.allow_direct = false;
	std::vector<std::string> notices;
	options.on_fallback = [&](const std::string& m) { notices.push_back(m); };
	auto r = zero_fill(fd.get(), path_, 0, 3 << 20, options);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(r->method, ZeroFillMethod::pwrite);
	EXPECT_FALSE(r->direct);
	ASSERT_EQ(notices.size(), 1u);
	EXPECT_NE(notices[0].find("buffered pwrite"), std::string::npos) << notices[0];
	auto data = read_all(path_);
	ASSERT_EQ(data.size(), 3u << 20);
	EXPECT_EQ(first_not(data, 0, 0, data.size()), std::string::npos);
}

// Ranges that start unaligned or fit in one aligned block go through the page cache; the file
// is never shortened.
TEST_F(ZeroFillDir, UnalignedRangesAndNoShrinking)
{
	auto fd = make_file(3 << 20);
	struct Range {
		uint64_t offset, length;
	} ranges[] = {{10, 20}, {1000, 9000}, {4095, (1 << 20) + 2}, {2 << 20, 4096}};
	for (auto [offset, length] : ranges) {
		auto r = zero_fill(fd.get(), path_, offset, length);
		ASSERT_TRUE(r) << r.error().message();
	}
	auto data = read_all(path_);
	ASSERT_EQ(data.size(), 3u << 20);
	std::string want(3 << 20, filler);
	for (auto [offset, length] : ranges)
		std::fill_n(want.begin() + static_cast<long>(offset), length, '\0');
	EXPECT_TRUE(data == want) << "first difference at byte "
				  << std::distance(data.begin(),
						   std::mismatch(data.begin(), data.end(), want.begin()).first);
}

// tmpfs takes no O_DIRECT on kernels before 6.6: the fill must still be complete there.
TEST(ZeroFill, TmpfsIsFilledWhateverTheMethod)
{
	struct statfs fs {};
	if (::statfs("/dev/shm", &fs) != 0 || static_cast<uint64_t>(fs.f_type) != tmpfs_magic)
		GTEST_SKIP() << "/dev/shm is not tmpfs here";
	auto path = std::filesystem::path("/dev/shm") / ("swapns-zero-fill-" + std::to_string(::getpid()));
	UniqueFd fd(::open(path.c_str(), O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600));
	ASSERT_TRUE(fd.valid());
	ASSERT_EQ(::pwrite(fd.get(), "xxxx", 4, 4096), 4);
	auto r = zero_fill(fd.get(), path, 0, (2 << 20) + 5);
	auto data = read_all(path);
	::unlink(path.c_str());
	ASSERT_TRUE(r) << r.error().message();
	ASSERT_EQ(data.size(), (2u << 20) + 5);
	EXPECT_EQ(first_not(data, 0, 0, data.size()), std::string::npos);
	EXPECT_EQ(r->fallback.empty(), r->method == ZeroFillMethod::io_uring && r->direct) << r->fallback;
}

TEST_F(ZeroFillDir, ProgressRisesAndEndsAtTotal)
{
	for (bool uring : {true, false}) {
		auto fd = make_file(0);
		ZeroFillOptions options;
		options.allow_io_uring = uring;
		options.block_size = 128 << 10;
		options.progress_interval = std::chrono::milliseconds(0);
		std::vector<std::pair<uint64_t, uint64_t>> calls;
		options.progress = [&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
		const uint64_t length = (4 << 20) + 777;
		auto r = zero_fill(fd.get(), path_, 0, length, options);
		ASSERT_TRUE(r) << r.error().message();
		ASSERT_GE(calls.size(), 3u) << "uring " << uring;
		for (size_t i = 0; i < calls.size(); i++) {
			EXPECT_EQ(calls[i].second, length);
			if (i > 0)
				EXPECT_GE(calls[i].first, calls[i - 1].first) << "call " << i;
		}
		EXPECT_EQ(calls.back().first, length);
	}
}

TEST_F(ZeroFillDir, ProgressIsRateLimited)
{
	auto fd = make_file(0);
	ZeroFillOptions options;
	options.block_size = 64 << 10;
	options.progress_interval = std::chrono::hours(1);
	int calls = 0;
	options.progress = [&](uint64_t, uint64_t) { calls++; };
	auto r = zero_fill(fd.get(), path_, 0, 8 << 20, options);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(calls, 2); // the first report and the end
}

// Cancelling midway stops the fill well before the end: the filler there survives.
TEST_F(ZeroFillDir, CancelStopsWithEcanceled)
{
	for (bool uring : {true, false}) {
		const uint64_t length = 16 << 20;
		auto fd = make_file(length);
		std::atomic<bool> cancel{false};
		ZeroFillOptions options;
		options.allow_io_uring = uring;
		options.block_size = 128 << 10;
		options.progress_interval = std::chrono::milliseconds(0);
		options.cancel = &cancel;
		uint64_t last = 0;
		options.progress = [&](uint64_t done, uint64_t) {
			last = done;
			cancel = true;
		};
		auto r = zero_fill(fd.get(), path_, 0, length, options);
		ASSERT_FALSE(r) << "uring " << uring;
		EXPECT_EQ(r.error().errnum(), ECANCELED);
		EXPECT_NE(r.error().message().find(path_.string()), std::string::npos);
		EXPECT_LT(last, length);
		auto data = read_all(path_);
		ASSERT_EQ(data.size(), length);
		EXPECT_EQ(data.back(), filler) << "uring " << uring;
	}
}

TEST_F(ZeroFillDir, CancelledBeforeStartWritesNothing)
{
	auto fd = make_file(1 << 20);
	std::atomic<bool> cancel{true};
	ZeroFillOptions options;
	options.cancel = &cancel;
	int calls = 0;
	options.progress = [&](uint64_t, uint64_t) { calls++; };
	auto r = zero_fill(fd.get(), path_, 0, 1 << 20, options);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ECANCELED);
	EXPECT_EQ(calls, 0);
	auto data = read_all(path_);
	EXPECT_EQ(first_not(data, filler, 0, data.size()), std::string::npos);
}

// A descriptor not open for writing is refused, not written through a reopened one.
TEST_F(ZeroFillDir, ReadOnlyDescriptorIsRefused)
{
	make_file(1 << 20);
	UniqueFd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
	auto r = zero_fill(fd.get(), path_, 0, 1 << 20);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EBADF);
	EXPECT_NE(r.error().message().find(path_.string()), std::string::npos) << r.error().message();
	auto data = read_all(path_);
	EXPECT_EQ(first_not(data, filler, 0, data.size()), std::string::npos);
}

TEST_F(ZeroFillDir, BadOptionsAreRefused)
{
	auto fd = make_file(0);
	ZeroFillOptions unaligned;
	unaligned.block_size = 1000;
	auto r = zero_fill(fd.get(), path_, 0, 1 << 20, unaligned);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	ZeroFillOptions no_depth;
	no_depth.queue_depth = 0;
	r = zero_fill(fd.get(), path_, 0, 1 << 20, no_depth);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	struct stat st {};
	ASSERT_EQ(::fstat(fd.get(), &st), 0);
	EXPECT_EQ(st.st_size, 0); // nothing done
}
