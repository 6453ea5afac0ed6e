#include <gtest/gtest.h>

#include <cerrno>

#include "swapns/file_io.hpp"
#include "swapns/result.hpp"
#include "swapns/unique_fd.hpp"

#include <fcntl.h>
#include <unistd.h>

using namespace swapns;

TEST(Error, MessageAddsStrerrorOnlyForSystemErrors)
{
	EXPECT_EQ(Error(ENOENT, "/proc/1/status").message(), "/proc/1/status: No such file or directory");
	EXPECT_EQ(Error(0, "malformed status file").message(), "malformed status file");
}

TEST(Result, HoldsValueOrError)
{
	Result<int> good(42);
	ASSERT_TRUE(good.ok());
	EXPECT_EQ(*good, 42);
	Result<int> bad(Error(EPERM, "swapon"));
	ASSERT_FALSE(bad);
	EXPECT_EQ(bad.error().errnum(), EPERM);
	EXPECT_EQ(bad.error().context(), "swapon");
}

TEST(UniqueFd, ClosesOnceAndMoves)
{
	int raw = ::open("/dev/null", O_RDONLY);
	ASSERT_GE(raw, 0);
	{
		UniqueFd a(raw);
		UniqueFd b(std::move(a));
		EXPECT_FALSE(a.valid());
		EXPECT_EQ(b.get(), raw);
	}
	errno = 0;
	EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
	EXPECT_EQ(errno, EBADF);
}

TEST(ReadSmallFile, ReportsPathOnError)
{
	auto r = read_small_file("/nonexistent/swapns-test");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	EXPECT_NE(r.error().message().find("/nonexistent/swapns-test"), std::string::npos);
}
