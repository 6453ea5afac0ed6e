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
#include <sys/mman.h>
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

#include "swapns/page_census.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/plain_swapfile.hpp"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static_assert(swapns::built_with_swap_ns, "built against the patched kernel's uapi headers (kernel-headers)");

namespace {

constexpr size_t MiB = 1 << 20;
const size_t page_size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));

struct Options {
	std::string dir;
	int rounds = 7;
	size_t mb = 32;
	bool init_only = false;
};

[[noreturn]] void bail_out(const std::string& what)
{
	std::printf("Bail out! %s: %s\n", what.c_str(), std::strerror(errno));
	std::fflush(stdout);
	::_exit(1);
}

double seconds(clockid_t clock)
{
	timespec ts;
	::clock_gettime(clock, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A moment on two clocks: elapsed time, and the CPU time this process used (user and
// system). The CPU time leaves out waiting for the disk, so it measures the code that runs
// the swap paths; with QEMU's -icount it counts instructions and repeats from boot to boot.
struct Instant {
	double wall, cpu;
	static Instant now() { return {seconds(CLOCK_MONOTONIC), seconds(CLOCK_PROCESS_CPUTIME_ID)}; }
};

// MB/s of data moved, over elapsed time and over CPU time; negative if a round swapped out
// too little to mean much.
struct Throughput {
	double wall = 0, cpu = 0;
	bool valid() const { return wall > 0 && cpu > 0; }
};

// A swapfile with a version 1 header (what mkswap(8) writes), fully written: no holes.
void make_swapfile(const std::string& path, size_t size)
{
	auto written = swapns::write_plain_swapfile(path, size, page_size);
	if (!written) {
		errno = written.error().errnum();
		bail_out(written.error().context());
	}
}

void swap_on(const std::string& path, size_t size)
{
	make_swapfile(path, size);
	if (::swapon(path.c_str(), 0) != 0)
		bail_out("swapon " + path);
}

void swap_off(const std::string& path)
{
	if (::swapoff(path.c_str()) != 0)
		bail_out("swapoff " + path);
	::unlink(path.c_str());
}

// One round.
Throughput round_throughput(size_t bytes, unsigned seed)
{
	auto* p = static_cast<uint64_t*>(
		::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	if (p == MAP_FAILED)
		bail_out("mmap");
	::madvise(p, bytes, MADV_NOHUGEPAGE);
	size_t words = bytes / sizeof(uint64_t);
	for (size_t i = 0; i < words; i++)
		p[i] = (uint64_t{seed} << 48) ^ (i * 0x9e3779b97f4a7c15ULL);
	Instant t0 = Instant::now();
	if (::madvise(p, bytes, MADV_PAGEOUT) != 0)
		bail_out("MADV_PAGEOUT");
	Instant t1 = Instant::now();
	auto census = swapns::census_range(swapns::ProcFs(), ::getpid(), reinterpret_cast<uintptr_t>(p),
					   bytes, page_size);
	Instant t2 = Instant::now();
	bool intact = true;
	for (size_t i = 0; i < words; i++)
		intact &= p[i] == ((uint64_t{seed} << 48) ^ (i * 0x9e3779b97f4a7c15ULL));
	Instant t3 = Instant::now();
	::munmap(p, bytes);
	if (!intact) {
		std::printf("Bail out! data changed after swap-in\n");
		::_exit(1);
	}
	if (!census || census->swapped() * page_size < bytes / 2)
		return {-1, -1};
	double mb = static_cast<double>(2 * bytes) / MiB;
	return {mb / ((t1.wall - t0.wall) + (t3.wall - t2.wall)),
		mb / ((t1.cpu - t0.cpu) + (t3.cpu - t2.cpu))};
}

// A process in a swap namespace of its own, with its own device, running rounds on request.
struct NamespaceWorker {
	pid_t pid = 0;
	int to = -1, from = -1;

	void start(const std::string& swapfile, size_t device_size)
	{
		int down[2], up[2];
		if (::pipe(down) || ::pipe(up))
			bail_out("pipe");
		std::fflush(stdout);
		pid = ::fork();
		if (pid < 0)
			bail_out("fork");
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
			make_swapfile(path(i), 8 * MiB);
	}

	void add()
	{
		for (int i = 0; i < count; i++) {
			int ready[2];
			if (::pipe(ready))
				bail_out("pipe");
			std::fflush(stdout);
			pid_t pid = ::fork();
			if (pid < 0)
				bail_out("fork");
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

struct Summary {
	double median, min, max;
};

Summary summarize(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return {median, v.front(), v.back()};
}

int test_number = 0;

// Prints the figures of a pairwise comparison, over elapsed and over CPU time, as TAP comments
// plus an ok line.
void report(const char* name, const std::vector<Throughput>& a, const std::vector<Throughput>& b,
	    const char* a_name, const char* b_name, const char* goal)
{
	bool valid = !a.empty() && a.size() == b.size();
	for (size_t i = 0; valid && i < a.size(); i++)
		valid = a[i].valid() && b[i].valid();
	if (!valid) {
		std::printf("not ok %d %s: a round swapped out less than half its data\n", ++test_number,
			    name);
		return;
	}
	for (auto [clock, field] : {std::pair{"elapsed", &Throughput::wall},
				    std::pair{"cpu", &Throughput::cpu}}) {
		std::vector<double> va, vb, ratios;
		for (size_t i = 0; i < a.size(); i++) {
			va.push_back(a[i].*field);
			vb.push_back(b[i].*field);
			ratios.push_back(b[i].*field / a[i].*field);
		}
		Summary sa = summarize(va), sb = summarize(vb), r = summarize(ratios);
		std::printf("# bench %s %s: %s median %.1f MB/s (%.1f..%.1f), %s median %.1f MB/s "
			    "(%.1f..%.1f)\n", name, clock, a_name, sa.median, sa.min, sa.max, b_name,
			    sb.median, sb.min, sb.max);
		std::printf("# bench %s %s: ratio %s/%s median %.3f, spread %.3f..%.3f over %zu pairs "
			    "(goal %s)\n", name, clock, b_name, a_name, r.median, r.min, r.max,
			    ratios.size(), goal);
	}
	std::printf("ok %d %s measured\n", ++test_number, name);
	std::fflush(stdout);
}

Options parse(int argc, char** argv)
{
	Options o;
	for (int i = 1; i < argc; i++) {
		std::string arg = argv[i];
		if (arg == "--rounds" && i + 1 < argc)
			o.rounds = std::atoi(argv[++i]);
		else if (arg == "--mb" && i + 1 < argc)
			o.mb = static_cast<size_t>(std::atoi(argv[++i]));
		else if (arg == "--init-only")
			o.init_only = true;
		else if (o.dir.empty() && arg[0] != '-')
			o.dir = arg;
		else {
			std::fprintf(stderr, "usage: %s DIR [--rounds N] [--mb M] [--init-only]\n", argv[0]);
			std::exit(2);
		}
	}
	if (o.dir.empty() || o.rounds < 1 || o.mb < 1) {
		std::fprintf(stderr, "usage: %s DIR [--rounds N] [--mb M] [--init-only]\n", argv[0]);
		std::exit(2);
	}
	return o;
}

} // namespace

int main(int argc, char** argv)
{
	Options o = parse(argc, argv);
	size_t bytes = o.mb * MiB, device_size = 2 * bytes + MiB;
	const std::string init_swapfile = o.dir + "/init.swap", child_swapfile = o.dir + "/child.swap";
	constexpr int idle_namespaces = 15;

	std::printf("TAP version 13\n1..%d\n", o.init_only ? 1 : 2);
	std::printf("# %zu MiB per round, %d rounds per variant, devices of %zu MiB on %s\n", o.mb,
		    o.rounds, device_size / MiB, o.dir.c_str());
	swap_on(init_swapfile, device_size);
	unsigned seed = 1;

	if (o.init_only) {
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
	report("child-vs-init", init_runs, child_runs, "initial", "child", ">= 0.95");

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
	report("16-namespaces-vs-1", one_ns, many_ns, "1-ns", "16-ns", "cost <= 1.1x, i.e. >= 0.91");
	child.stop();
	swap_off(init_swapfile);
	return 0;
}
