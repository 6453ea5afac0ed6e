// Running a command in another swap namespace the way unshare(1) --fork and nsenter(1) do: a
// freshly forked child, single-threaded whatever its parent runs (io_uring workers are threads
// too), changes swap namespace, swaps devices on or off there, joins a cgroup and execs the
// command, while the parent supervises it: forwards signals and collects its exit status.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "swapns/result.hpp"

namespace swapns {

struct SwaponRequest {
	std::filesystem::path path;
	int flags = 0; // swapon(2) flags, e.g. SWAP_FLAG_PREFER | priority
};

// The steps of starting a command, in order: making the child (pipe, fork), then the plan's,
// which the child takes; the one that failed when the command could not be started.
enum class LaunchStep { start, unshare, setns, swapon, swapoff, cgroup, exec };

// What the child does, in this order, before it execs argv.
struct ChildPlan {
	bool new_swap_namespace = false; // unshare(CLONE_NEWSWAP)
	int join_pidfd = -1;             // setns(pidfd, CLONE_NEWSWAP); borrowed, not closed
	std::vector<SwaponRequest> swapon;
	std::vector<std::filesystem::path> swapoff;
	std::optional<std::filesystem::path> cgroup; // a cgroup v2 directory to move into
	std::vector<std::string> argv;               // searched in PATH; empty: exit 0 after setup
	// Sent to the child when its supervisor dies first (PR_SET_PDEATHSIG), as unshare(1)
	// --kill-child does; 0 for none.
	int kill_child_signal = 0;
	// A stop request set by a signal handler (the CLI's InterruptScope), looked at once the
	// forwarded signals are blocked: if it is set, no child is made and start() fails with
	// EINTR. A SIGINT or SIGTERM thus either stops the launch or, arriving later, reaches the
	// command; none falls in between, where the caller could not clean up. Null for none.
	const std::atomic<bool>* cancel = nullptr;
};

// How the child ended.
struct ChildExit {
	bool signaled = false;
	int code = 0; // exit status, or the signal that killed it

	// The status a shell reports: the exit status, or 128 + the signal.
	int shell_status() const { return signaled ? 128 + code : code; }
};

// Whether wait() passes a signal it received on to the child: not what the child itself sent,
// nor what the terminal sent a foreground group the child shares (it has it already).
bool should_pass_on(const siginfo_t& info, pid_t child, bool own_group);

class SupervisedChild {
public:
	// Forks the child and returns once it has run its plan up to exec (or, with an empty
	// argv, to its end). If a step fails in the child, the child exits and the result is that
	// step's error: its errno and what it did (e.g. "swapon /x/swapfile"); unshare and setns
	// with CLONE_NEWSWAP fail with ENOTSUP when built without swap namespace support
	// (swap_ns_abi.hpp); @failed, if given, is then set to the step that failed. From here until
	// this object is destroyed, the forwarded signals are
	// blocked in this thread and SIGCHLD has its default action (an inherited SIG_IGN would
	// reap the child unseen): signals arriving after wait() wait for the caller's cleanup
	// and are then dropped. The caller must be single-threaded, or block them in all threads.
	static Result<SupervisedChild> start(const ChildPlan& plan, LaunchStep* failed = nullptr);

	SupervisedChild(SupervisedChild&& other) noexcept;
	SupervisedChild& operator=(SupervisedChild&&) = delete;
	SupervisedChild(const SupervisedChild&) = delete;
	// A child never waited for is killed and reaped; the signal mask and SIGCHLD's action
	// are restored.
	~SupervisedChild();

	pid_t pid() const { return pid_; }

	// Waits for the child to end. Signals sent to this process by another process (kill(1):
	// SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2) are passed on to the child, once:
	// - In the foreground of its controlling terminal the child stays in this process's
	//   group, for job control; what the terminal sends that whole group (Ctrl-C) is not
	//   passed on, since the child has it already.
	// - Otherwise the child leads a process group of its own (see own_process_group()), so
	//   that a signal sent to this process's group (kill -TERM -PGID, a script's or a job
	//   scheduler's way to stop a job) reaches only this process; it is passed on to the
	//   child's group, which it would have reached. Signals that cannot be passed on
	//   (SIGKILL, SIGSTOP) sent to this process's group do not reach the child's; and the
	//   child, a group leader, cannot call setsid(2) itself.
	// A service manager that signals every process of a cgroup (systemd's default
	// KillMode=control-group) still reaches the child twice: directly and through this
	// process; swapns(1) recommends KillMode=mixed.
	Result<ChildExit> wait();

	// Whether the child leads a process group of its own: this process was not in the
	// foreground of a terminal on standard input, output or error when it started the child.
	bool own_process_group() const { return own_group_; }

private:
	SupervisedChild(pid_t pid, bool own_group, const sigset_t& saved_mask,
			const struct sigaction& saved_chld)
		: pid_(pid), own_group_(own_group), saved_mask_(saved_mask), saved_chld_(saved_chld)
	{
	}

	pid_t pid_ = -1; // -1 once waited for
	bool own_group_ = false;
	bool restore_ = true; // false once moved from
	sigset_t saved_mask_;
	struct sigaction saved_chld_;
};

} // namespace swapns
