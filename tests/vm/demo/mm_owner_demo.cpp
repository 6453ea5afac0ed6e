// The mm owner at work, for the VM demo: a process starts threads that share its mm, then
// the owner exits, twice; each time ownership moves to a task still using the mm. Reads
// MmOwner through the swapns library and prints TAP, so the demo is also a VM test.
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "swapns/task_status.hpp"

namespace {

constexpr int nr_threads = 3;
constexpr int nr_handovers = 2;

struct DemoState {
	swapns::ProcFs proc;
	pid_t leader = 0;
	std::mutex tids_lock;
	std::vector<pid_t> tids; // leader first, then the threads
	std::atomic<int> started{0};
	std::atomic<bool> leader_gone{false};
	std::atomic<pid_t> last_owner{0};
	std::atomic<int> handovers{0};
};

// Ends only the calling thread, without unwinding its stack (pthread_exit unwinds, which
// static binaries handle badly); the other threads go on using the shared state.
[[noreturn]] void exit_this_thread()
{
	for (;;)
		::syscall(SYS_exit, 0);
}

// Ends the process at once, without running static destructors under running threads.
[[noreturn]] void exit_process(int status)
{
	std::fflush(stdout);
	::_exit(status);
}

pid_t gettid_now()
{
	return static_cast<pid_t>(::syscall(SYS_gettid));
}

pid_t owner_seen_by(const DemoState& st, pid_t tid)
{
	auto status = swapns::read_task_status(st.proc, tid);
	if (!status || status->mm_owner.state != swapns::MmOwner::State::task)
		return 0;
	return status->mm_owner.tid;
}

// Prints each live task's MmOwner; true if all agree on `owner`.
bool show_tasks(const DemoState& st, pid_t owner)
{
	bool agree = true;
	for (pid_t tid : st.tids) {
		auto status = swapns::read_task_status(st.proc, tid);
		if (!status || status->mm_owner.state == swapns::MmOwner::State::no_mm)
			continue; // exited
		pid_t seen = owner_seen_by(st, tid);
		std::printf("#   task %d%s: MmOwner %d\n", tid, tid == st.leader ? " (leader)" : "", seen);
		agree = agree && seen == owner;
	}
	std::fflush(stdout);
	return agree;
}

DemoState* state;

void* worker(void*)
{
	DemoState& st = *state;
	pid_t self = gettid_now();
	{
		std::lock_guard<std::mutex> guard(st.tids_lock);
		st.tids.push_back(self);
	}
	st.started++;
	while (!st.leader_gone)
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
	for (;;) {
		pid_t owner = owner_seen_by(st, self);
		if (owner == self && owner != st.last_owner) {
			int n = ++st.handovers;
			bool ok = show_tasks(st, self) && owner != st.last_owner.load();
			std::printf("%s %d ownership moved from task %d to task %d, which still uses the mm\n",
				    ok ? "ok" : "not ok", n + 1, st.last_owner.load(), self);
			if (n == nr_handovers)
				exit_process(ok ? 0 : 1);
			std::printf("# task %d, now the owner, exits\n", self);
			std::fflush(stdout);
			st.last_owner = self;
			exit_this_thread();
		}
		if (std::chrono::steady_clock::now() > deadline) {
			std::printf("not ok %d ownership did not move within 30s (owner %d)\n",
				    st.handovers.load() + 2, owner);
			exit_process(1);
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
}

} // namespace

int main()
{
	static DemoState st;
	state = &st;
	st.leader = getpid();
	st.tids.push_back(st.leader);

	std::printf("TAP version 13\n1..%d\n", nr_handovers + 1);
	std::printf("# process %d starts %d threads; all %d tasks share one mm\n", st.leader, nr_threads,
		    nr_threads + 1);
	for (int i = 0; i < nr_threads; i++) {
		pthread_t t;
		if (pthread_create(&t, nullptr, worker, nullptr) != 0) {
			std::printf("Bail out! pthread_create failed\n");
			return 1;
		}
		pthread_detach(t);
	}
	while (st.started < nr_threads)
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	bool ok = show_tasks(st, st.leader);
	std::printf("%s 1 the thread group leader %d owns the mm\n", ok ? "ok" : "not ok", st.leader);
	std::printf("# the leader thread exits alone; the other threads go on\n");
	std::fflush(stdout);
	st.last_owner = st.leader;
	st.leader_gone = true;
	exit_this_thread();
}
