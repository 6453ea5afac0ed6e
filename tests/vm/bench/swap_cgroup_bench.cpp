// Swap controller benchmark, run in the VM (docs/benchmarks.md): the throughput of a process
// in a memory cgroup of a cgroup v1 hierarchy that swaps a fresh region out with MADV_PAGEOUT,
// reads it back and frees it, with the swap controller not mounted (the hierarchy has memory
// only) and with it mounted beside memory, charging every slot. One boot: the hierarchy is
// remounted between rounds, so the variants take turns and drift hits both alike.
//
// usage: swap-cgroup-bench DIR [--rounds N] [--mb M]
//   DIR   a directory on a filesystem that can hold swapfiles (e.g. ext4)
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bench_support.hpp"

namespace {

using bench::bail_out;
using bench::MiB;
using bench::Throughput;

// Swap-out alone, and the whole cycle: swap-out, swap-in and freeing the slots.
struct Round {
	Throughput out, cycle;
};

void write_file(const std::string& path, const std::string& value)
{
	std::ofstream f(path);
	f << value;
	f.flush();
	if (!f)
		bail_out("write " + value + " to " + path);
}

uint64_t read_u64(const std::string& path)
{
	std::ifstream f(path);
	uint64_t v = 0;
	if (!(f >> v))
		bail_out("read " + path);
	return v;
}

// A cgroup v1 hierarchy with the memory controller, and the swap controller when asked.
class Hierarchy {
public:
	explicit Hierarchy(std::string mnt) : mnt_(std::move(mnt))
	{
		::mkdir(mnt_.c_str(), 0755);
		if (::mount("none", mnt_.c_str(), "cgroup", 0, "memory") != 0)
			bail_out("mount -t cgroup -o memory " + mnt_);
	}

	~Hierarchy() { ::umount(mnt_.c_str()); }

	void set_swap(bool on)
	{
		if (on == swap_)
			return;
		// Until a removed cgroup's css is freed the hierarchy counts as populated (EBUSY).
		for (int tries = 0;; tries++) {
			if (::mount("none", mnt_.c_str(), "cgroup", MS_REMOUNT,
				    on ? "memory,swap" : "memory") == 0)
				break;
			if (errno != EBUSY || tries == 600)
				bail_out(std::string("remount ") + (on ? "memory,swap" : "memory"));
			::usleep(50000);
		}
		swap_ = on;
	}

	// Runs @fn in a process of its own in a fresh child cgroup; with the swap controller,
	// checks that it charged. The process exits, so that no page of it keeps the removed
	// cgroup (and with it the hierarchy) busy.
	template <typename Fn> Round in_child(Fn fn)
	{
		std::string cg = mnt_ + "/bench";
		if (::mkdir(cg.c_str(), 0755) != 0)
			bail_out("mkdir " + cg);
		int result[2];
		bench::pipe_or_bail(result);
		pid_t pid = bench::fork_or_bail();
		if (pid == 0) {
			write_file(cg + "/cgroup.procs", "0");
			Round r = fn();
			if (::write(result[1], &r, sizeof(r)) != sizeof(r))
				bail_out("write to pipe");
			::_exit(0);
		}
		::close(result[1]);
		Round r;
		int status = 0;
		if (::read(result[0], &r, sizeof(r)) != sizeof(r) || ::waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			bail_out("benchmark process failed");
		::close(result[0]);
		if (swap_ && read_u64(cg + "/swap.max_usage_in_bytes") == 0) {
			std::printf("Bail out! the swap controller charged nothing\n");
			std::exit(1);
		}
		if (::rmdir(cg.c_str()) != 0)
			bail_out("rmdir " + cg);
		return r;
	}

private:
	std::string mnt_;
	bool swap_ = false;
};

Round round_throughput(size_t bytes, unsigned seed)
{
	bench::RoundTimes t = bench::timed_round(bytes, seed);
	if (!t.valid)
		return {{-1, -1}, {-1, -1}};
	double mb = static_cast<double>(bytes) / MiB;
	bench::Interval out, cycle;
	out.add(t.start, t.paged_out);
	// The census is not part of the cycle.
	cycle.add(t.start, t.paged_out).add(t.counted, t.unmapped);
	return {out.throughput(mb), cycle.throughput(2 * mb)};
}

} // namespace

int main(int argc, char** argv)
{
	bench::Options o = bench::parse_options(argc, argv, {"", 9, 32}, "DIR [--rounds N] [--mb M]");
	size_t bytes = o.mb * MiB, device_size = 2 * bytes + MiB;
	const std::string swapfile = o.dir + "/bench.swap";

	std::printf("TAP version 13\n1..2\n");
	std::printf("# %zu MiB per round, %d rounds per variant, a device of %zu MiB on %s\n", o.mb,
		    o.rounds, device_size / MiB, o.dir.c_str());
	bench::swap_on(swapfile, device_size);
	std::vector<Throughput> plain_out, charged_out, plain_cycle, charged_cycle;
	{
		Hierarchy h(o.dir + "/cgroup.mnt");
		unsigned seed = 1;
		for (int i = 0; i < o.rounds; i++) {
			// Alternate which variant goes first.
			for (bool swap : {i % 2 == 1, i % 2 == 0}) {
				// The removed cgroup of the last round keeps the hierarchy from a
				// remount until its memory cgroup is freed, which its last pages
				// in per-CPU caches put off: pages waiting to go on an LRU list
				// (drop_caches drains them on every CPU), and freed swap slots
				// that the memory controller uncharges only when they go back to
				// their device (swapoff drains them). Each round also starts on
				// an empty device this way.
				write_file("/proc/sys/vm/drop_caches", "1");
				if (::swapoff(swapfile.c_str()) != 0 || ::swapon(swapfile.c_str(), 0) != 0)
					bail_out("swapoff and swapon " + swapfile);
				h.set_swap(swap);
				Round r = h.in_child([&] { return round_throughput(bytes, seed++); });
				(swap ? charged_out : plain_out).push_back(r.out);
				(swap ? charged_cycle : plain_cycle).push_back(r.cycle);
			}
		}
	}
	bench::Report report;
	report.compare("swap-cgroup-out", plain_out, charged_out, "unmounted", "charging", ">= 0.95");
	report.compare("swap-cgroup-cycle", plain_cycle, charged_cycle, "unmounted", "charging",
		       ">= 0.95");
	bench::swap_off(swapfile);
	return 0;
}
