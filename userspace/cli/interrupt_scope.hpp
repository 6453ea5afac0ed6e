// Ctrl-C (SIGINT) and SIGTERM as a request to stop, for as long as one InterruptScope lives:
// a long operation polls the flag, stops cleanly (leaving nothing half-made) and says so,
// instead of the process dying midway. The dispositions from before come back at the end.
#pragma once

#include <atomic>
#include <csignal>

namespace swapns::cli {

class InterruptScope {
public:
	// Clears the flag and installs the handlers. A signal that was ignored (e.g. SIGINT of a
	// background job) stays ignored. One scope at a time: they share the flag.
	InterruptScope();
	~InterruptScope();
	InterruptScope(const InterruptScope&) = delete;
	InterruptScope& operator=(const InterruptScope&) = delete;

	// Set once SIGINT or SIGTERM arrived during this scope; for ZeroFillOptions::cancel.
	const std::atomic<bool>& flag() const;
	bool interrupted() const { return flag().load(); }

private:
	struct Saved {
		int signo;
		struct sigaction old;
		bool installed;
	};
	Saved saved_[2];
};

} // namespace swapns::cli
