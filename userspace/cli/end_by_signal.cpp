// Ending swapns the way its command ended, and the signal names of --kill-child.
#include "cli.hpp"

#include "swapns/parse.hpp"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cctype>
#include <string>

namespace swapns::cli {

void end_by_signal(int sig)
{
	// The command may have dumped core; swapns itself has nothing to dump. RLIMIT_CORE does not
	// stop a core_pattern pipe (systemd-coredump, apport); not being dumpable does.
	struct rlimit no_core {};
	::setrlimit(RLIMIT_CORE, &no_core);
	::prctl(PR_SET_DUMPABLE, 0);
	::signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	::sigprocmask(SIG_UNBLOCK, &set, nullptr);
	::raise(sig);
}

std::optional<int> parse_signal(std::string_view text)
{
	if (auto number = parse_decimal<int>(text))
		return *number > 0 && *number < NSIG ? number : std::nullopt;
	std::string name;
	for (char c : text)
		name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	if (name.starts_with("SIG"))
		name.erase(0, 3);
	for (int sig = 1; sig < NSIG; sig++) {
		const char* abbrev = ::sigabbrev_np(sig);
		if (abbrev && name == abbrev)
			return sig;
	}
	return std::nullopt;
}

} // namespace swapns::cli
