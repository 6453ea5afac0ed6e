// Migration benchmark (docs/benchmarks.md, issue 13): what setting a container's swapped-out
// memory aside costs against reading the same memory back in, which is what a checkpoint
// without the set-aside does. One round: a workload in its own swap namespace, with its own
// swapfile, swaps out a region of M MiB and has it evicted from the swap cache; the benchmark sets its pages aside
// (SWAP_NS_IOC_SET_ASIDE), commits (SWAP_NS_IOC_COMMIT), reads the whole list and closes the
// set-aside; installs every listed page into a stopped target in another namespace, whose
// device (a second file) is swapped on for a restore (SWAP_NS_IOC_INSTALL, then
// SWAP_NS_IOC_END_RESTORE); then the workload reads its region back, swapping it in. The
// goal is for the set-aside and the install together to cost at most 0.05x the swap-in. The
// install's cost does not depend on what the slots hold, so the target's device is a fresh
// file, not a copy.
#include "bench_support.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/swap.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/swap_ns.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

using bench::bail_out;
using bench::Instant;
using bench::MiB;
using bench::Summary;
using bench::summarize;

namespace {

#ifndef CLONE_NEWSWAP
constexpr int CLONE_NEWSWAP = 0x40;
#endif

uint64_t word(unsigned seed, size_t off)
{
	return (uint64_t{seed} << 40) ^ (off * 0x9e3779b97f4a7c15ULL) ^ 1;
}

// Pages of [p, p + bytes) that pagemap shows swapped out.
size_t swapped_pages(const char* p, size_t bytes)
{
	size_t pages = bytes / bench::page_size(), swapped = 0;
	std::vector<uint64_t> e(pages);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t at = reinterpret_cast<uintptr_t>(p) / bench::page_size() * sizeof(uint64_t);

	if (fd < 0 || pread(fd, e.data(), pages * sizeof(uint64_t), at) !=
			      static_cast<ssize_t>(pages * sizeof(uint64_t)))
		bail_out("read /proc/self/pagemap");
	close(fd);
	for (uint64_t v : e)
		swapped += (v >> 62) == 1; // swapped, not present
	return swapped;
}

void wait_writeback()
{
	for (int tries = 0; tries < 1000; tries++) {
		FILE* f = std::fopen("/proc/vmstat", "r");
		char line[128];
		long nr = -1;

		if (!f)
			bail_out("open /proc/vmstat");
		while (std::fgets(line, sizeof(line), f))
			if (std::sscanf(line, "nr_writeback %ld", &nr) == 1)
				break;
		std::fclose(f);
		if (nr == 0)
			return;
		usleep(10000);
	}
	bail_out("pages stay under writeback");
}

// Written out, the pages stay in the swap cache until memory runs short; a container whose
// memory is in swap has had them evicted, and a checkpoint reads them from the disk. Reclaim
// them through the root memory cgroup (cgroup v2 at /sys/fs/cgroup, mounted by the group).
void evict_swap_cache(size_t bytes)
{
	int fd = open("/sys/fs/cgroup/memory.reclaim", O_WRONLY);
	std::string amount = std::to_string(2 * bytes);

	if (fd < 0)
		bail_out("open /sys/fs/cgroup/memory.reclaim");
	// EAGAIN: less than asked could be reclaimed, which is expected (the rest is in use).
	if (write(fd, amount.data(), amount.size()) < 0 && errno != EAGAIN)
		bail_out("memory.reclaim");
	close(fd);
}

struct Ready {
	size_t swapped;
	uintptr_t region;
};

struct ReadBack {
	Instant from, to;
	bool intact;
};

// The workload: its own namespace and swapfile, a region swapped out; on a byte from the
// benchmark it reads the region back and reports the time it took.
[[noreturn]] void workload(const std::string& swapfile, size_t bytes, unsigned seed, int to_bench,
			   int from_bench)
{
	if (unshare(CLONE_NEWSWAP))
		bail_out("unshare(CLONE_NEWSWAP)");
	bench::swap_on(swapfile, bytes + 16 * MiB);
	auto* p = static_cast<char*>(mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	if (p == MAP_FAILED)
		bail_out("mmap");
	madvise(p, bytes, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < bytes; off += sizeof(uint64_t))
		*reinterpret_cast<uint64_t*>(p + off) = word(seed, off);
	if (madvise(p, bytes, MADV_PAGEOUT))
		bail_out("MADV_PAGEOUT");
	wait_writeback();
	evict_swap_cache(bytes);
	Ready ready{swapped_pages(p, bytes), reinterpret_cast<uintptr_t>(p)};
	char go;
	if (write(to_bench, &ready, sizeof(ready)) != sizeof(ready) ||
	    read(from_bench, &go, 1) != 1)
		_exit(1);
	ReadBack r{Instant::now(), {}, true};
	for (size_t off = 0; off < bytes; off += sizeof(uint64_t))
		r.intact &= *reinterpret_cast<uint64_t*>(p + off) == word(seed, off);
	r.to = Instant::now();
	if (write(to_bench, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	bench::swap_off(swapfile);
	_exit(0);
}

struct Round {
	double set_aside_wall, set_aside_cpu, install_wall, install_cpu, swap_in_wall, swap_in_cpu;
	size_t swapped, held, installed;
};

struct Target {
	pid_t pid;
	uintptr_t region;
};

// The restore target: a namespace of its own with @device swapped on for a restore, a region
// of @bytes mapped (none PTEs, as a checkpointer leaves pages it did not dump), stopped.
Target start_target(const std::string& device, size_t bytes)
{
	int rep[2];
	bench::pipe_or_bail(rep);
	bench::make_swapfile(device, bytes + 16 * MiB);
	pid_t pid = bench::fork_or_bail();
	if (pid == 0) {
		if (unshare(CLONE_NEWSWAP) || ::swapon(device.c_str(), SWAP_FLAG_RESTORE))
			_exit(1);
		void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
		if (p == MAP_FAILED)
			_exit(1);
		madvise(p, bytes, MADV_NOHUGEPAGE);
		uintptr_t region = reinterpret_cast<uintptr_t>(p);
		if (write(rep[1], &region, sizeof(region)) != sizeof(region))
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	Target t{pid, 0};
	int status;
	if (read(rep[0], &t.region, sizeof(t.region)) != sizeof(t.region) ||
	    waitpid(pid, &status, WUNTRACED) != pid || !WIFSTOPPED(status))
		bail_out("the restore target did not start");
	close(rep[0]);
	close(rep[1]);
	return t;
}

Round round(const std::string& swapfile, size_t bytes, unsigned seed)
{
	int to_bench[2], from_bench[2];
	bench::pipe_or_bail(to_bench);
	bench::pipe_or_bail(from_bench);
	pid_t pid = bench::fork_or_bail();
	if (pid == 0)
		workload(swapfile, bytes, seed, to_bench[1], from_bench[0]);
	Ready ready;
	if (read(to_bench[0], &ready, sizeof(ready)) != sizeof(ready))
		bail_out("the workload did not start");

	std::string ns = "/proc/" + std::to_string(pid) + "/ns/swap";
	int nsfd = open(ns.c_str(), O_RDONLY);
	int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
	if (nsfd < 0 || pidfd < 0)
		bail_out("open the workload's namespace and pidfd");
	swap_ns_set_aside arg{};
	arg.pidfds = reinterpret_cast<uintptr_t>(&pidfd);
	arg.nr_pidfds = 1;
	std::vector<swap_ns_held_page> held(bytes / bench::page_size() + 4096);

	Instant t0 = Instant::now();
	int fd = ioctl(nsfd, SWAP_NS_IOC_SET_ASIDE, &arg);
	if (fd < 0)
		bail_out("SWAP_NS_IOC_SET_ASIDE");
	if (ioctl(fd, SWAP_NS_IOC_COMMIT))
		bail_out("SWAP_NS_IOC_COMMIT");
	size_t n = 0;
	for (ssize_t r; n < held.size() &&
			(r = read(fd, held.data() + n, (held.size() - n) * sizeof(held[0]))) > 0;)
		n += r / sizeof(held[0]);
	close(fd);
	Instant t1 = Instant::now();
	// Reclaim may have swapped out a page or two of the workload besides its region.
	size_t in_region = 0;
	for (size_t i = 0; i < n; i++)
		in_region += held[i].address - ready.region < bytes;

	// The install, into a target on another device, of every held page of the region.
	const std::string device = swapfile + ".restore";
	Target target = start_target(device, bytes);
	std::vector<swap_ns_install_entry> entries;
	for (size_t i = 0; i < n; i++)
		if (held[i].address - ready.region < bytes)
			entries.push_back({target.region + (held[i].address - ready.region),
					   held[i].offset, held[i].flags, -1});
	std::string tns = "/proc/" + std::to_string(target.pid) + "/ns/swap";
	int tnsfd = open(tns.c_str(), O_RDONLY);
	int tpidfd = static_cast<int>(syscall(SYS_pidfd_open, target.pid, 0));
	int devfd = open(device.c_str(), O_RDONLY);
	if (tnsfd < 0 || tpidfd < 0 || devfd < 0)
		bail_out("open the target's namespace, pidfd and device");
	size_t installed = 0;
	Instant t2 = Instant::now();
	for (size_t done = 0; done < entries.size();) {
		swap_ns_install in{};
		in.pidfd = tpidfd;
		in.device = devfd;
		in.entries = reinterpret_cast<uintptr_t>(entries.data() + done);
		in.nr_entries = static_cast<uint32_t>(
			std::min<size_t>(entries.size() - done, SWAP_NS_INSTALL_MAX_ENTRIES));
		long r = ioctl(tnsfd, SWAP_NS_IOC_INSTALL, &in);
		if (r < 0)
			bail_out("SWAP_NS_IOC_INSTALL");
		installed += r;
		done += in.nr_entries;
	}
	swap_ns_device end{devfd, 0};
	if (ioctl(tnsfd, SWAP_NS_IOC_END_RESTORE, &end))
		bail_out("SWAP_NS_IOC_END_RESTORE");
	Instant t3 = Instant::now();
	kill(target.pid, SIGKILL);
	waitpid(target.pid, nullptr, 0);
	for (int f : {tnsfd, tpidfd, devfd})
		close(f);
	// The target's namespace died with it: its device is draining in ours.
	bench::swap_off(device);

	char go = 1;
	ReadBack rb;
	if (write(from_bench[1], &go, 1) != 1 || read(to_bench[0], &rb, sizeof(rb)) != sizeof(rb))
		bail_out("the workload died");
	if (!rb.intact)
		bail_out("the workload read back wrong data");
	waitpid(pid, nullptr, 0);
	for (int f : {nsfd, pidfd, to_bench[0], to_bench[1], from_bench[0], from_bench[1]})
		close(f);
	return {t1.wall - t0.wall, t1.cpu - t0.cpu, t3.wall - t2.wall, t3.cpu - t2.cpu,
		rb.to.wall - rb.from.wall, rb.to.cpu - rb.from.cpu, ready.swapped, in_region, installed};
}

} // namespace

int main(int argc, char** argv)
{
	bench::Options o = bench::parse_options(argc, argv, {"", 3, 256}, "DIR [--rounds N] [--mb M]");
	size_t bytes = o.mb * MiB;
	const std::string swapfile = o.dir + "/migrate.swap";
	std::vector<double> wall, cpu, sa_wall, inst_wall;
	bool all_held = true;

	std::printf("TAP version 13\n1..1\n");
	std::printf("# %zu MiB swapped out per round, %d rounds, swapfile on %s\n", o.mb, o.rounds,
		    o.dir.c_str());
	for (int i = 0; i < o.rounds; i++) {
		Round r = round(swapfile, bytes, static_cast<unsigned>(i + 1));
		std::printf("# round %d: %zu pages of the region swapped, %zu held, %zu installed; "
			    "set-aside+commit+list+close %.4f s (cpu %.4f s), install+end %.4f s "
			    "(cpu %.4f s), swap-in %.4f s (cpu %.4f s)\n",
			    i + 1, r.swapped, r.held, r.installed, r.set_aside_wall, r.set_aside_cpu,
			    r.install_wall, r.install_cpu, r.swap_in_wall, r.swap_in_cpu);
		all_held &= r.held == r.swapped && r.installed == r.held &&
			    r.swapped >= bytes / bench::page_size() / 2;
		wall.push_back((r.set_aside_wall + r.install_wall) / r.swap_in_wall);
		cpu.push_back((r.set_aside_cpu + r.install_cpu) / r.swap_in_cpu);
		sa_wall.push_back(r.set_aside_wall / r.swap_in_wall);
		inst_wall.push_back(r.install_wall / r.swap_in_wall);
	}
	Summary sw = summarize(wall), sc = summarize(cpu), ss = summarize(sa_wall),
		si = summarize(inst_wall);
	std::printf("# bench migrate elapsed: (set-aside + install)/swap-in median %.4f (%.4f..%.4f) "
		    "over %d rounds of %zu MiB; goal <= 0.05\n",
		    sw.median, sw.min, sw.max, o.rounds, o.mb);
	std::printf("# bench migrate elapsed parts: set-aside/swap-in %.4f, install/swap-in %.4f\n",
		    ss.median, si.median);
	std::printf("# bench migrate cpu: (set-aside + install)/swap-in median %.4f (%.4f..%.4f)\n",
		    sc.median, sc.min, sc.max);
	std::printf("%s 1 migrate: every swapped page held and installed\n", all_held ? "ok" : "not ok");
	return all_held ? 0 : 1;
}
