#include <gtest/gtest.h>

#include <csignal>

#include "interrupt_scope.hpp"

using swapns::cli::InterruptScope;

namespace {

volatile std::sig_atomic_t outside = 0;
extern "C" void count_outside(int)
{
	outside = outside + 1;
}

// Installs count_outside for @signo for the test's duration.
class OwnHandler {
public:
	explicit OwnHandler(int signo, void (*handler)(int) = count_outside) : signo_(signo)
	{
		struct sigaction sa {};
		sa.sa_handler = handler;
		sigemptyset(&sa.sa_mask);
		::sigaction(signo_, &sa, &before_);
	}
	~OwnHandler() { ::sigaction(signo_, &before_, nullptr); }

	void (*current() const)(int)
	{
		struct sigaction now {};
		::sigaction(signo_, nullptr, &now);
		return now.sa_handler;
	}

private:
	int signo_;
	struct sigaction before_ {};
};

} // namespace

TEST(InterruptScope, SignalsSetTheFlagAndHandlersComeBack)
{
	for (int signo : {SIGINT, SIGTERM}) {
		OwnHandler own(signo);
		outside = 0;
		{
			InterruptScope scope;
			EXPECT_FALSE(scope.interrupted());
			ASSERT_EQ(::raise(signo), 0); // would end the test without the scope's handler
			EXPECT_TRUE(scope.interrupted()) << signo;
			EXPECT_EQ(outside, 0);
		}
		EXPECT_EQ(own.current(), count_outside);
		ASSERT_EQ(::raise(signo), 0);
		EXPECT_EQ(outside, 1);
	}
}

TEST(InterruptScope, StartsClear)
{
	OwnHandler own(SIGINT);
	{
		InterruptScope first;
		ASSERT_EQ(::raise(SIGINT), 0);
		EXPECT_TRUE(first.interrupted());
	}
	InterruptScope second;
	EXPECT_FALSE(second.interrupted());
}

TEST(InterruptScope, IgnoredSignalsStayIgnored)
{
	OwnHandler ignored(SIGINT, SIG_IGN);
	{
		InterruptScope scope;
		EXPECT_EQ(ignored.current(), SIG_IGN);
		ASSERT_EQ(::raise(SIGINT), 0);
		EXPECT_FALSE(scope.interrupted());
	}
	EXPECT_EQ(ignored.current(), SIG_IGN);
}
