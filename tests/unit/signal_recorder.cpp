// A command for the supervisor tests: writes "ready\n" to fd 3, then for every SIGUSR1 a line
// "usr1 PID" to fd 4 naming the sender, and exits 0 at SIGTERM. Each delivery is a line of
// its own, so that a test can tell who signalled the command, not only whether it was.
#include <signal.h>
#include <unistd.h>

#include <cstdio>

namespace {

volatile sig_atomic_t terminated = 0;

void on_usr1(int, siginfo_t* info, void*)
{
	char line[32];
	int n = std::snprintf(line, sizeof(line), "usr1 %d\n", static_cast<int>(info->si_pid));
	(void)!::write(4, line, static_cast<size_t>(n));
}

void on_term(int)
{
	terminated = 1;
}

} // namespace

int main()
{
	struct sigaction usr1 {}, term {};
	usr1.sa_sigaction = on_usr1;
	usr1.sa_flags = SA_SIGINFO;
	::sigaction(SIGUSR1, &usr1, nullptr);
	term.sa_handler = on_term;
	::sigaction(SIGTERM, &term, nullptr);
	(void)!::write(3, "ready\n", 6);
	while (!terminated)
		::pause();
	return 0;
}
