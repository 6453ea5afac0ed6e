#include "interrupt_scope.hpp"

namespace swapns::cli {

namespace {

// The one piece of process-wide state: a signal handler gets no argument, so the flag it sets
// must be reachable without one. Lock-free, so setting it is async-signal-safe.
std::atomic<bool> interrupt_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int)
{
	interrupt_requested.store(true, std::memory_order_relaxed);
}

} // namespace

InterruptScope::InterruptScope() : saved_{{SIGINT, {}, false}, {SIGTERM, {}, false}}
{
	interrupt_requested.store(false);
	for (Saved& s : saved_) {
		if (::sigaction(s.signo, nullptr, &s.old) != 0 || s.old.sa_handler == SIG_IGN)
			continue;
		struct sigaction sa {};
		sa.sa_handler = on_interrupt;
		sigemptyset(&sa.sa_mask);
		// Restarted system calls: the code being interrupted need not expect EINTR; it
		// polls the flag between steps (each a few milliseconds at most).
		sa.sa_flags = SA_RESTART;
		s.installed = ::sigaction(s.signo, &sa, nullptr) == 0;
	}
}

InterruptScope::~InterruptScope()
{
	for (Saved& s : saved_)
		if (s.installed)
			::sigaction(s.signo, &s.old, nullptr);
}

const std::atomic<bool>& InterruptScope::flag() const
{
	return interrupt_requested;
}

} // namespace swapns::cli
