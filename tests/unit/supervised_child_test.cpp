#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "swapns/supervised_child.hpp"
#include "swapns/swap_ns_abi.hpp"

using namespace swapns;

namespace {

ChildPlan shell(const std::string& script)
{
	ChildPlan plan;
	plan.argv = {"/bin/sh", "-c", script};
	return plan;
}

} // namespace

TEST(SupervisedChild, PassesOnTheExitStatus)
{
	auto child = SupervisedChild::start(shell("exit 3"));
	ASSERT_TRUE(child) << child.error().message();
	auto ended = child->wait();
	ASSERT_TRUE(ended) << ended.error().message();
	EXPECT_FALSE(ended->signaled);
	EXPECT_EQ(ended->shell_status(), 3);
}

TEST(SupervisedChild, ReportsTheSignalThatKilledIt)
{
	auto child = SupervisedChild::start(shell("kill -USR1 $$"));
	ASSERT_TRUE(child) << child.error().message();
	auto ended = child->wait();
	ASSERT_TRUE(ended) << ended.error().message();
	EXPECT_TRUE(ended->signaled);
	EXPECT_EQ(ended->code, SIGUSR1);
	EXPECT_EQ(ended->shell_status(), 128 + SIGUSR1);
}

TEST(SupervisedChild, ExecFailureIsTheStartError)
{
	ChildPlan plan;
	plan.argv = {"/nonexistent/swapns-test-command"};
	auto child = SupervisedChild::start(plan);
	ASSERT_FALSE(child);
	EXPECT_EQ(child.error().errnum(), ENOENT);
	EXPECT_EQ(child.error().context(), "running /nonexistent/swapns-test-command");
}

TEST(SupervisedChild, TheFailedStepIsTyped)
{
	// A file that exists but cannot be run: exec fails with EACCES, and the step says exec.
	char tmpl[] = "/tmp/swapns-noexec-XXXXXX";
	int fd = ::mkstemp(tmpl);
	ASSERT_GE(fd, 0);
	::close(fd);
	ChildPlan plan;
	plan.argv = {tmpl};
	LaunchStep failed = LaunchStep::unshare;
	auto child = SupervisedChild::start(plan, &failed);
	::unlink(tmpl);
	ASSERT_FALSE(child);
	EXPECT_EQ(failed, LaunchStep::exec);
	EXPECT_EQ(child.error().errnum(), EACCES);

	ChildPlan swapon;
	swapon.swapon = {{"/nonexistent/a.swap", 0}};
	failed = LaunchStep::exec;
	ASSERT_FALSE(SupervisedChild::start(swapon, &failed));
	EXPECT_EQ(failed, LaunchStep::swapon);
}

// --kill-child: when the supervisor dies first (SIGKILL: no chance to clean up or pass anything
// on), the command gets the signal from the kernel. The scenario runs in a process of its own,
// a subreaper to which the orphaned command comes back, so that a failure leaves nothing set in
// the test binary; alarm() bounds it.
namespace {

enum { KILL_CHILD_OK = 0, KILL_CHILD_NOT_STARTED = 2, KILL_CHILD_NOT_SIGNALED = 3 };

[[noreturn]] void kill_child_scenario()
{
	::alarm(20);
	::signal(SIGTERM, SIG_DFL);
	if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		::_exit(KILL_CHILD_NOT_STARTED);
	int pids[2];
	if (::pipe(pids) != 0)
		::_exit(KILL_CHILD_NOT_STARTED);
	pid_t supervisor = ::fork();
	if (supervisor == 0) {
		ChildPlan plan;
		plan.argv = {"sleep", "30"};
		plan.kill_child_signal = SIGTERM;
		auto child = SupervisedChild::start(plan);
		pid_t pid = child ? child->pid() : -1;
		(void)!::write(pids[1], &pid, sizeof(pid));
		::pause();
		::_exit(0);
	}
	pid_t command = -1;
	if (supervisor < 0 || ::read(pids[0], &command, sizeof(command)) != sizeof(command) ||
	    command <= 0)
		::_exit(KILL_CHILD_NOT_STARTED);
	::kill(supervisor, SIGKILL);
	int status = 0;
	::waitpid(supervisor, &status, 0);
	// The command came back to us; it ends by SIGTERM (not by exiting after 30 s).
	if (::waitpid(command, &status, 0) != command || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGTERM)
		::_exit(KILL_CHILD_NOT_SIGNALED);
	::_exit(KILL_CHILD_OK);
}

} // namespace

TEST(SupervisedChild, KillChildSignalReachesTheCommandWhenTheSupervisorDies)
{
	pid_t scenario = ::fork();
	ASSERT_GE(scenario, 0);
	if (scenario == 0)
		kill_child_scenario();
	int status = 0;
	ASSERT_EQ(::waitpid(scenario, &status, 0), scenario);
	ASSERT_TRUE(WIFEXITED(status)) << "the scenario was killed (alarm: it hung) " << status;
	EXPECT_NE(WEXITSTATUS(status), KILL_CHILD_NOT_STARTED) << "the command did not start";
	EXPECT_EQ(WEXITSTATUS(status), KILL_CHILD_OK) << "the command was not killed by SIGTERM";
}

TEST(SupervisedChild, FailingStepIsNamedWithItsErrno)
{
	ChildPlan plan;
	plan.swapon = {{"/nonexistent/a.swap", 0}, {"/nonexistent/b.swap", 0}};
	auto child = SupervisedChild::start(plan);
	ASSERT_FALSE(child);
	// EPERM unprivileged, ENOENT as root: either way the first request failed.
	EXPECT_TRUE(child.error().errnum() == EPERM || child.error().errnum() == ENOENT)
		<< child.error().message();
	EXPECT_EQ(child.error().context(), "swapon /nonexistent/a.swap");

	ChildPlan join;
	join.cgroup = "/nonexistent/cgroup";
	auto joined = SupervisedChild::start(join);
	ASSERT_FALSE(joined);
	EXPECT_EQ(joined.error().errnum(), ENOENT);
	EXPECT_EQ(joined.error().context(),
		  "joining cgroup /nonexistent/cgroup (writing its cgroup.procs)");
}

TEST(SupervisedChild, PlanWithoutCommandEndsAfterItsSteps)
{
	auto child = SupervisedChild::start(ChildPlan{});
	ASSERT_TRUE(child) << child.error().message();
	auto ended = child->wait();
	ASSERT_TRUE(ended);
	EXPECT_EQ(ended->shell_status(), 0);
}

TEST(SupervisedChild, UnshareWithoutSupportFails)
{
	if (!::access("/proc/self/ns/swap", F_OK) && ::geteuid() == 0)
		GTEST_SKIP() << "this host could create a swap namespace";
	ChildPlan plan;
	plan.new_swap_namespace = true;
	plan.argv = {"/bin/true"};
	auto child = SupervisedChild::start(plan);
	ASSERT_FALSE(child);
	EXPECT_EQ(child.error().context(), "unshare(CLONE_NEWSWAP)");
	if (!built_with_swap_ns)
		EXPECT_EQ(child.error().errnum(), ENOTSUP);
	else // unknown flag on a stock kernel, or no CAP_SYS_ADMIN
		EXPECT_TRUE(child.error().errnum() == EINVAL || child.error().errnum() == EPERM);
}

// A signal sent to the supervisor by another process reaches the command. The supervisor runs
// in a child of the test, which exits with the command's status.
TEST(SupervisedChild, ForwardsSignalsSentToIt)
{
	int ready[2];
	ASSERT_EQ(::pipe(ready), 0);
	pid_t supervisor = ::fork();
	ASSERT_GE(supervisor, 0);
	if (supervisor == 0) {
		::close(ready[0]);
		::dup2(ready[1], 3);
		auto child = SupervisedChild::start(
			shell("trap 'exit 7' TERM; echo >&3; while :; do sleep 0.05; done"));
		if (!child)
			::_exit(100);
		auto ended = child->wait();
		::_exit(ended ? ended->shell_status() : 101);
	}
	::close(ready[1]);
	char c;
	ASSERT_EQ(::read(ready[0], &c, 1), 1) << "the command did not start";
	::close(ready[0]);
	ASSERT_EQ(::kill(supervisor, SIGTERM), 0);
	int status = 0;
	ASSERT_EQ(::waitpid(supervisor, &status, 0), supervisor);
	ASSERT_TRUE(WIFEXITED(status)) << "the supervisor itself died of signal " << WTERMSIG(status);
	EXPECT_EQ(WEXITSTATUS(status), 7);
}

// A signal sent to the supervisor's whole process group (a job scheduler stopping a job, a
// script's kill -- -PGID) reaches the command once, from the supervisor: the command, started
// outside a terminal's foreground, leads a group of its own. Before, it got the signal from
// the sender too. The supervisor runs in a process group the test makes for it.
TEST(SupervisedChild, GroupSignalReachesTheCommandOnce)
{
	int ready[2], record[2];
	ASSERT_EQ(::pipe(ready), 0);
	ASSERT_EQ(::pipe(record), 0);
	pid_t supervisor = ::fork();
	ASSERT_GE(supervisor, 0);
	if (supervisor == 0) {
		::setpgid(0, 0);
		// No terminal: standard input, output and error are not a terminal's foreground.
		int devnull = ::open("/dev/null", O_RDWR);
		for (int fd = 0; fd <= 2; fd++)
			::dup2(devnull, fd);
		::dup2(ready[1], 3);
		::dup2(record[1], 4);
		ChildPlan plan;
		plan.argv = {SWAPNS_SIGNAL_RECORDER};
		auto child = SupervisedChild::start(plan);
		if (!child)
			::_exit(100);
		if (!child->own_process_group() || ::getpgid(child->pid()) != child->pid())
			::_exit(102);
		auto ended = child->wait();
		::_exit(ended ? ended->shell_status() : 101);
	}
	::setpgid(supervisor, supervisor);
	::close(ready[1]);
	::close(record[1]);
	char line[8];
	ASSERT_EQ(::read(ready[0], line, 6), 6) << "the command did not start";
	ASSERT_EQ(::kill(-supervisor, SIGUSR1), 0);
	// Both deliveries, if there are two, come within this time; then end the command.
	::usleep(300 * 1000);
	ASSERT_EQ(::kill(supervisor, SIGTERM), 0);
	int status = 0;
	ASSERT_EQ(::waitpid(supervisor, &status, 0), supervisor);
	ASSERT_TRUE(WIFEXITED(status)) << "the supervisor died of signal " << WTERMSIG(status);
	EXPECT_EQ(WEXITSTATUS(status), 0) << "100: not started, 101: wait failed, 102: same group";
	std::string recorded;
	char buf[256];
	for (ssize_t n; (n = ::read(record[0], buf, sizeof(buf))) > 0;)
		recorded.append(buf, static_cast<size_t>(n));
	EXPECT_EQ(recorded, "usr1 " + std::to_string(supervisor) + "\n")
		<< "each line is a SIGUSR1 the command got, with its sender; the test is "
		<< ::getpid();
	::close(ready[0]);
	::close(record[0]);
}

// Which signals wait() passes on: a terminal's (SI_KERNEL) only to a child in a group of its
// own, which the terminal's foreground group does not include; never the child's own.
TEST(SupervisedChild, WhatIsPassedOn)
{
	siginfo_t from_kill{}, from_terminal{}, from_child{};
	from_kill.si_code = SI_USER;
	from_kill.si_pid = 1234;
	from_terminal.si_code = SI_KERNEL;
	from_child.si_code = SI_USER;
	from_child.si_pid = 42;
	for (bool own_group : {false, true}) {
		EXPECT_TRUE(should_pass_on(from_kill, 42, own_group)) << own_group;
		EXPECT_FALSE(should_pass_on(from_child, 42, own_group)) << own_group;
	}
	EXPECT_FALSE(should_pass_on(from_terminal, 42, false));
	EXPECT_TRUE(should_pass_on(from_terminal, 42, true));
}

namespace {

// Whether @pid is gone or a zombie (killed, not yet reaped by whoever inherited it).
bool ended(pid_t pid)
{
	char path[64], state = 0;
	std::snprintf(path, sizeof(path), "/proc/%d/stat", static_cast<int>(pid));
	FILE* f = std::fopen(path, "r");
	if (!f)
		return true;
	bool zombie = std::fscanf(f, "%*d %*s %c", &state) == 1 && state == 'Z';
	std::fclose(f);
	return zombie;
}

} // namespace

// A child destroyed unwaited for is killed with the group it leads: a command's own children
// do not outlive it, running in the swap namespace unsupervised.
TEST(SupervisedChild, DestroyedUnwaitedTakesItsGroupAlong)
{
	int report[2];
	ASSERT_EQ(::pipe(report), 0);
	pid_t supervisor = ::fork();
	ASSERT_GE(supervisor, 0);
	if (supervisor == 0) {
		::setsid(); // no controlling terminal: the child leads its own group
		// Above the pipe's own descriptors, which the supervisor still reads.
		::dup2(report[1], 9);
		pid_t grandchild = -1;
		{
			auto child = SupervisedChild::start(shell("sleep 30 & echo $! >&9; wait"));
			if (!child || !child->own_process_group())
				::_exit(100);
			char buf[32] = "";
			if (::read(report[0], buf, sizeof(buf) - 1) <= 0)
				::_exit(101);
			grandchild = static_cast<pid_t>(std::atoi(buf));
		}
		for (int i = 0; i < 100 && !ended(grandchild); i++)
			::usleep(20 * 1000);
		::_exit(ended(grandchild) ? 0 : 1);
	}
	int status = 0;
	ASSERT_EQ(::waitpid(supervisor, &status, 0), supervisor);
	ASSERT_TRUE(WIFEXITED(status)) << "the supervisor died of signal " << WTERMSIG(status);
	EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the command's child outlived it; 100/101: setup";
	::close(report[0]);
	::close(report[1]);
}

// An inherited SIG_IGN for SIGCHLD would have the kernel reap the child unseen, and wait()
// would never hear of its end.
TEST(SupervisedChild, IgnoredSigchldDoesNotHideTheChild)
{
	struct sigaction ign {}, old {};
	ign.sa_handler = SIG_IGN;
	ASSERT_EQ(::sigaction(SIGCHLD, &ign, &old), 0);
	{
		auto child = SupervisedChild::start(shell("sleep 0.2; exit 4"));
		ASSERT_TRUE(child) << child.error().message();
		auto ended = child->wait();
		ASSERT_TRUE(ended) << ended.error().message();
		EXPECT_EQ(ended->shell_status(), 4);
	}
	struct sigaction now {};
	::sigaction(SIGCHLD, nullptr, &now);
	EXPECT_EQ(now.sa_handler, SIG_IGN) << "SIGCHLD's action was not restored";
	::sigaction(SIGCHLD, &old, nullptr);
}

// A stop request that came before the signals were blocked is seen: no child is made, so the
// caller cleans up instead of a command starting that the request was meant to prevent.
TEST(SupervisedChild, StopRequestedBeforeTheStartMakesNoChild)
{
	char dir_tmpl[] = "/tmp/swapns-cancel-XXXXXX";
	ASSERT_NE(::mkdtemp(dir_tmpl), nullptr);
	std::string marker = std::string(dir_tmpl) + "/ran";
	std::atomic<bool> stop{true};
	ChildPlan plan = shell("touch " + marker);
	plan.cancel = &stop;
	LaunchStep failed = LaunchStep::exec;
	auto child = SupervisedChild::start(plan, &failed);
	ASSERT_FALSE(child);
	EXPECT_EQ(child.error().errnum(), EINTR);
	EXPECT_EQ(failed, LaunchStep::start);
	EXPECT_NE(::access(marker.c_str(), F_OK), 0) << "the command ran";
	// Nothing left blocked: the mask is as before.
	sigset_t mask;
	::sigprocmask(SIG_SETMASK, nullptr, &mask);
	EXPECT_EQ(sigismember(&mask, SIGINT), 0);

	stop = false;
	auto started = SupervisedChild::start(plan, &failed);
	ASSERT_TRUE(started) << started.error().message();
	auto ended = started->wait();
	ASSERT_TRUE(ended) << ended.error().message();
	EXPECT_EQ(ended->shell_status(), 0);
	EXPECT_EQ(::access(marker.c_str(), F_OK), 0) << "without a stop request the command runs";
	::unlink(marker.c_str());
	::rmdir(dir_tmpl);
}
