#include "swapns/supervised_child.hpp"

#include "swapns/swap_ns_abi.hpp"
#include "swapns/unique_fd.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace swapns {

namespace {

struct FailureReport {
	int errnum;
	LaunchStep step;
	int index; // which swapon or swapoff request
};

std::string describe(const ChildPlan& plan, const FailureReport& r)
{
	switch (r.step) {
	case LaunchStep::start:
		break;
	case LaunchStep::unshare:
		return "unshare(CLONE_NEWSWAP)";
	case LaunchStep::setns:
		return "setns(CLONE_NEWSWAP) into the target's swap namespace";
	case LaunchStep::swapon:
		return "swapon " + plan.swapon.at(static_cast<size_t>(r.index)).path.string();
	case LaunchStep::swapoff:
		return "swapoff " + plan.swapoff.at(static_cast<size_t>(r.index)).string();
	case LaunchStep::cgroup:
		return "joining cgroup " + plan.cgroup->string() + " (writing its cgroup.procs)";
	case LaunchStep::exec:
		return "running " + plan.argv.front();
	}
	return "starting the command";
}

} // namespace

bool should_pass_on(const siginfo_t& info, pid_t child, bool own_group)
{
	// What the child sends its parent is not for it to receive back.
	if (info.si_code != SI_KERNEL && info.si_pid == child)
		return false;
	// SI_KERNEL: the terminal's signals (Ctrl-C, Ctrl-\, hangup) go to its foreground
	// group. A child in this process's group has them already; one that leads its own (this
	// process was started in the background, and brought to the foreground since) does not,
	// and gets them from here.
	return info.si_code != SI_KERNEL || own_group;
}

namespace {

// The signals wait() passes on to the child.
constexpr int passed_on[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2};

// Blocked while the child runs: those passed on, and SIGCHLD, which ends the wait.
sigset_t forwarded_signals()
{
	sigset_t set;
	sigemptyset(&set);
	for (int sig : passed_on)
		sigaddset(&set, sig);
	sigaddset(&set, SIGCHLD);
	return set;
}

// Everything the child needs, prepared before fork(): between fork() and exec() the child
// of a multi-threaded parent may only make async-signal-safe calls, so no allocation.
struct PreparedPlan {
	std::vector<const char*> swapon_paths, swapoff_paths;
	std::string procs_path;
	std::vector<char*> argv;

	explicit PreparedPlan(const ChildPlan& plan)
	{
		for (const auto& s : plan.swapon)
			swapon_paths.push_back(s.path.c_str());
		for (const auto& p : plan.swapoff)
			swapoff_paths.push_back(p.c_str());
		if (plan.cgroup)
			procs_path = (*plan.cgroup / "cgroup.procs").string();
		for (const auto& a : plan.argv)
			argv.push_back(const_cast<char*>(a.c_str()));
		argv.push_back(nullptr);
	}
};

[[noreturn]] void child_fail(int report_fd, LaunchStep step, int index = 0)
{
	FailureReport r{errno, step, index};
	// Nothing to do about a failed report: the parent then sees the child exit 127.
	(void)!::write(report_fd, &r, sizeof(r));
	::_exit(127);
}

// Whether this process is in the foreground process group of its controlling terminal: an
// interactive session, where the child must share its group for job control. Standard
// input, output and error may all be redirected while a program still opens /dev/tty.
bool in_terminal_foreground()
{
	int fd = ::open("/dev/tty", O_RDONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false; // no controlling terminal
	bool foreground = ::tcgetpgrp(fd) == ::getpgrp();
	::close(fd);
	return foreground;
}

[[noreturn]] void run_child(const ChildPlan& plan, const PreparedPlan& prepared, int report_fd,
			    const sigset_t& saved_mask, pid_t supervisor, bool own_group)
{
	// Before anything can stop it: a group of its own, so that signals sent to the
	// supervisor's group reach it only through the supervisor (see wait()).
	if (own_group)
		::setpgid(0, 0);
	// The parent's handlers (the CLI's InterruptScope) are not the child's: a SIGINT before
	// exec must end it as it would end the command, not set a flag in this copy of memory.
	// Ignored signals stay ignored, as exec would keep them.
	for (int sig : passed_on) {
		struct sigaction sa {};
		if (::sigaction(sig, nullptr, &sa) != 0 || sa.sa_handler == SIG_IGN ||
		    sa.sa_handler == SIG_DFL)
			continue;
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = 0;
		::sigaction(sig, &sa, nullptr);
	}
	// Interruptible from the start: a long swapoff stops for a signal (EINTR).
	::sigprocmask(SIG_SETMASK, &saved_mask, nullptr);
	if (plan.kill_child_signal) {
		::prctl(PR_SET_PDEATHSIG, plan.kill_child_signal);
		// The supervisor died before the death signal was set up: act as if it came.
		if (::getppid() != supervisor)
			::raise(plan.kill_child_signal);
	}
	if (plan.new_swap_namespace || plan.join_pidfd >= 0) {
		if (!built_with_swap_ns) {
			errno = ENOTSUP;
			child_fail(report_fd, plan.new_swap_namespace ? LaunchStep::unshare : LaunchStep::setns);
		}
		if (plan.new_swap_namespace && ::unshare(static_cast<int>(clone_newswap)) != 0)
			child_fail(report_fd, LaunchStep::unshare);
		if (plan.join_pidfd >= 0 && ::setns(plan.join_pidfd, static_cast<int>(clone_newswap)) != 0)
			child_fail(report_fd, LaunchStep::setns);
	}
	for (size_t i = 0; i < prepared.swapon_paths.size(); i++)
		if (::swapon(prepared.swapon_paths[i], plan.swapon[i].flags) != 0)
			child_fail(report_fd, LaunchStep::swapon, static_cast<int>(i));
	for (size_t i = 0; i < prepared.swapoff_paths.size(); i++)
		if (::swapoff(prepared.swapoff_paths[i]) != 0)
			child_fail(report_fd, LaunchStep::swapoff, static_cast<int>(i));
	if (plan.cgroup) {
		// "0" moves the writer itself (cgroup v2).
		int fd = ::open(prepared.procs_path.c_str(), O_WRONLY | O_CLOEXEC);
		if (fd < 0 || ::write(fd, "0", 1) != 1)
			child_fail(report_fd, LaunchStep::cgroup);
		::close(fd);
	}
	if (plan.argv.empty())
		::_exit(0);
	::execvp(prepared.argv[0], prepared.argv.data());
	child_fail(report_fd, LaunchStep::exec);
}

} // namespace

Result<SupervisedChild> SupervisedChild::start(const ChildPlan& plan, LaunchStep* failed)
{
	if (failed)
		*failed = LaunchStep::start; // until the child reports a step of its own
	PreparedPlan prepared(plan);
	int pipe_fds[2];
	if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
		return Error::from_errno("creating a pipe to the child");
	UniqueFd report_read(pipe_fds[0]), report_write(pipe_fds[1]);

	// Blocked before fork(), so that none arrives unseen between fork() and wait().
	sigset_t block = forwarded_signals(), saved;
	struct sigaction dfl {}, saved_chld {};
	dfl.sa_handler = SIG_DFL;
	::sigaction(SIGCHLD, &dfl, &saved_chld);
	::sigprocmask(SIG_BLOCK, &block, &saved);
	if (plan.cancel && plan.cancel->load()) {
		::sigprocmask(SIG_SETMASK, &saved, nullptr);
		::sigaction(SIGCHLD, &saved_chld, nullptr);
		return Error(EINTR, "interrupted before the command started");
	}
	pid_t supervisor = ::getpid();
	bool own_group = !in_terminal_foreground();
	pid_t pid = ::fork();
	if (pid < 0) {
		int err = errno;
		::sigprocmask(SIG_SETMASK, &saved, nullptr);
		::sigaction(SIGCHLD, &saved_chld, nullptr);
		return Error(err, "fork");
	}
	if (pid == 0)
		run_child(plan, prepared, report_write.get(), saved, supervisor, own_group);
	// Here too, so that the group exists before wait() may signal it (EACCES once the child
	// has exec'd, when it did so itself). If neither call could make it (a seccomp filter,
	// say), signals go to the child alone, as in a shared group.
	if (own_group) {
		::setpgid(pid, pid);
		own_group = ::getpgid(pid) == pid;
	}

	SupervisedChild child(pid, own_group, saved, saved_chld);
	report_write.reset();
	// EOF without a report: the child exec'd (the pipe is close-on-exec) or finished its plan.
	FailureReport report{};
	ssize_t n;
	do
		n = ::read(report_read.get(), &report, sizeof(report));
	while (n < 0 && errno == EINTR);
	if (n == static_cast<ssize_t>(sizeof(report))) {
		(void)child.wait();
		if (failed)
			*failed = report.step;
		return Error(report.errnum, describe(plan, report));
	}
	return child;
}

SupervisedChild::SupervisedChild(SupervisedChild&& other) noexcept
	: pid_(std::exchange(other.pid_, -1)), own_group_(other.own_group_),
	  restore_(std::exchange(other.restore_, false)),
	  saved_mask_(other.saved_mask_), saved_chld_(other.saved_chld_)
{
}

SupervisedChild::~SupervisedChild()
{
	if (pid_ >= 0) {
		// The whole group it leads, if it leads one: what it started goes with it. The
		// unreaped child keeps the group's id from being reused.
		::kill(own_group_ ? -pid_ : pid_, SIGKILL);
		(void)wait();
	}
	if (!restore_)
		return;
	// Signals that came after the child ended were for it: drop them, so that unblocking
	// does not act on them now that the caller's cleanup is done.
	sigset_t set = forwarded_signals();
	timespec now{};
	while (::sigtimedwait(&set, nullptr, &now) > 0) {
	}
	::sigprocmask(SIG_SETMASK, &saved_mask_, nullptr);
	::sigaction(SIGCHLD, &saved_chld_, nullptr);
}

Result<ChildExit> SupervisedChild::wait()
{
	if (pid_ < 0)
		return Error(ECHILD, "waiting for the command: already waited for");
	sigset_t set = forwarded_signals();
	for (;;) {
		int status = 0;
		pid_t r = ::waitpid(pid_, &status, WNOHANG);
		if (r < 0 && errno != EINTR) {
			int err = errno;
			pid_ = -1;
			return Error(err, "waiting for the command");
		}
		if (r == pid_ && (WIFEXITED(status) || WIFSIGNALED(status))) {
			pid_ = -1;
			if (WIFSIGNALED(status))
				return ChildExit{true, WTERMSIG(status)};
			return ChildExit{false, WEXITSTATUS(status)};
		}
		siginfo_t info{};
		int sig = ::sigwaitinfo(&set, &info);
		if (sig < 0 || sig == SIGCHLD)
			continue;
		if (should_pass_on(info, pid_, own_group_))
			::kill(own_group_ ? -pid_ : pid_, sig);
	}
}

} // namespace swapns
