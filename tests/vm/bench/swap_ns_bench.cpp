// Swap namespace benchmarks, run in the VM (docs/benchmarks.md). Each measurement is the
// throughput of one round: fill a fresh anonymous region, swap all of it out with
// MADV_PAGEOUT, read it back (swapping it in), in MB/s of data moved out and in. Variants take
// turns round by round in one boot, so drift in TCG speed hits both sides alike; the report
// gives the median of the per-pair ratios and their spread.
//
// usage: swap-ns-bench DIR [--rounds N] [--mb M] [--init-only]
//   DIR          a directory on a filesystem that can hold swapfiles (e.g. ext4)
//   --init-only  only the initial namespace with one device: the fast path, comparable with
//                the unpatched kernel (which has no swap namespaces)
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "swapns/swap_ns_abi.hpp"

static_assert(swapns::built_with_swap_ns, "built against the patched kernel's uapi headers (kernel-headers)");

namespace {

using bench::bail_out;
using bench::MiB;
using bench::summarize;
using bench::Summary;
using bench::swap_off;
using bench::swap_on;
using bench::Throughput;

// One round: MB/s of data moved (out and in) over the time spent swapping out and reading back.
Throughput round_throughput(size_t bytes, unsigned seed)
{
	bench::RoundTimes t = bench::timed_round(bytes, seed);
	if (!t.valid)
		return {-1, -1};
	bench::Interval moving;
	moving.add(t.start, t.paged_out).add(t.counted, t.read_back);
	return moving.throughput(static_cast<double>(2 * bytes) / MiB);
}

// A process in a swap namespace of its own, with its own device, running rounds on request.
struct NamespaceWorker {
	pid_t pid = 0;
	int to = -1, from = -1;

	void start(const std::string& swapfile, size_t device_size)
	{
		int down[2], up[2];
		bench::pipe_or_bail(down);
		bench::pipe_or_bail(up);
		pid = bench::fork_or_bail();
		if (pid == 0) {
			// Without its own copy of the write end, the worker sees EOF when stop() closes it.
			::close(down[1]);
			::close(up[0]);
			if (::unshare(static_cast<int>(swapns::clone_newswap)) != 0)
				bail_out("unshare(CLONE_NEWSWAP)");
			swap_on(swapfile, device_size);
			size_t bytes;
			unsigned seed = 100;
			while (::read(down[0], &bytes, sizeof(bytes)) == sizeof(bytes)) {
				Throughput mbs = bytes ? round_throughput(bytes, seed++) : Throughput{};
				if (::write(up[1], &mbs, sizeof(mbs)) != sizeof(mbs))
					break;
			}
			swap_off(swapfile);
			::_exit(0);
		}
		::close(down[0]);
		::close(up[1]);
		to = down[1];
		from = up[0];
		run(0); // wait until its device is on
	}

	Throughput run(size_t bytes)
	{
		Throughput mbs;
		if (::write(to, &bytes, sizeof(bytes)) != sizeof(bytes) ||
		    ::read(from, &mbs, sizeof(mbs)) != sizeof(mbs))
			bail_out("namespace worker died");
		return mbs;
	}

	void stop()
	{
		::close(to);
		::close(from);
		int status = 0;
		if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			bail_out("namespace worker failed");
	}
};

// Namespaces that each hold one idle device. A namespace lives only while a task is in it
// (devices do not keep it alive), so each has a process that waits until it is removed. The
// swapfiles are made once, up front, so that making them does not load the disk while a
// round is measured.
struct IdleNamespaces {
	std::string dir;
	int count;
	std::vector<pid_t> pids;

	std::string path(int i) const { return dir + "/idle" + std::to_string(i) + ".swap"; }

	void make_files() const
	{
		for (int i = 0; i < count; i++)
			bench::make_swapfile(path(i), 8 * MiB);
	}

	void add()
	{
		for (int i = 0; i < count; i++) {
			int ready[2];
			bench::pipe_or_bail(ready);
			pid_t pid = bench::fork_or_bail();
			if (pid == 0) {
				::close(ready[0]);
				if (::unshare(static_cast<int>(swapns::clone_newswap)) != 0)
					bail_out("unshare(CLONE_NEWSWAP)");
				if (::swapon(path(i).c_str(), 0) != 0)
					bail_out("swapon " + path(i));
				char c = 'r';
				if (::write(ready[1], &c, 1) != 1)
					bail_out("write to pipe");
				for (;;)
					::pause();
			}
			::close(ready[1]);
			char c;
			if (::read(ready[0], &c, 1) != 1)
				bail_out("idle namespace " + std::to_string(i) + " did not start");
			::close(ready[0]);
			pids.push_back(pid);
		}
	}

	void remove()
	{
		for (int i = 0; i < count; i++)
			if (::swapoff(path(i).c_str()) != 0)
				bail_out("swapoff " + path(i));
		for (pid_t pid : pids) {
			::kill(pid, SIGKILL);
			::waitpid(pid, nullptr, 0);
		}
		pids.clear();
	}

	void remove_files() const
	{
		for (int i = 0; i < count; i++)
			::unlink(path(i).c_str());
	}
};

} // namespace

int main(int argc, char** argv)
{
	bool init_only = false;
	bench::Options o = bench::parse_options(argc, argv, {"", 7, 32},
						"DIR [--rounds N] [--mb M] [--init-only]",
						[&](const std::string& arg) {
							init_only = arg == "--init-only";
							return init_only;
						});
	size_t bytes = o.mb * MiB, device_size = 2 * bytes + MiB;
	const std::string init_swapfile = o.dir + "/init.swap", child_swapfile = o.dir + "/child.swap";
	constexpr int idle_namespaces = 15;

	std::printf("TAP version 13\n1..%d\n", init_only ? 1 : 2);
	std::printf("# %zu MiB per round, %d rounds per variant, devices of %zu MiB on %s\n", o.mb,
		    o.rounds, device_size / MiB, o.dir.c_str());
	swap_on(init_swapfile, device_size);
	unsigned seed = 1;
	bench::Report report;

	if (init_only) {
		std::vector<double> wall, cpu;
		for (int i = 0; i < o.rounds; i++) {
			Throughput t = round_throughput(bytes, seed++);
			wall.push_back(t.wall);
			cpu.push_back(t.cpu);
		}
		Summary sw = summarize(wall), sc = summarize(cpu);
		std::printf("# bench init-fast-path elapsed: initial namespace median %.1f MB/s "
			    "(%.1f..%.1f) over %d rounds\n", sw.median, sw.min, sw.max, o.rounds);
		std::printf("# bench init-fast-path cpu: initial namespace median %.1f MB/s "
			    "(%.1f..%.1f) over %d rounds\n", sc.median, sc.min, sc.max, o.rounds);
		std::printf("%s 1 init-fast-path measured\n", sw.min > 0 && sc.min > 0 ? "ok" : "not ok");
		swap_off(init_swapfile);
		return 0;
	}

	// Child vs initial namespace, identical devices on the same filesystem.
	NamespaceWorker child;
	child.start(child_swapfile, device_size);
	std::vector<Throughput> init_runs, child_runs;
	for (int i = 0; i < o.rounds; i++) {
		init_runs.push_back(round_throughput(bytes, seed++));
		child_runs.push_back(child.run(bytes));
	}
	report.compare("child-vs-init", init_runs, child_runs, "initial", "child", ">= 0.95");

	// The child's rounds with 15 more namespaces holding a device each, and without.
	IdleNamespaces idle{o.dir, idle_namespaces, {}};
	idle.make_files();
	std::vector<Throughput> one_ns, many_ns;
	for (int i = 0; i < o.rounds; i++) {
		one_ns.push_back(child.run(bytes));
		idle.add();
		many_ns.push_back(child.run(bytes));
		idle.remove();
	}
	idle.remove_files();
	report.compare("16-namespaces-vs-1", one_ns, many_ns, "1-ns", "16-ns", "cost <= 1.1x, i.e. >= 0.91");
	child.stop();
	swap_off(init_swapfile);
	return 0;
}
