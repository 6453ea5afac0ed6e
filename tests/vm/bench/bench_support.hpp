// What the VM benchmarks share (docs/benchmarks.md): clocks, throughput figures, swapfiles and
// the TAP report of a pairwise comparison.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace bench {

constexpr size_t MiB = 1 << 20;

size_t page_size();

// Prints a TAP "Bail out!" with errno's text and exits.
[[noreturn]] void bail_out(const std::string& what);

// pipe(2) and fork(2), bailing out on failure; fork flushes stdout first, so that the child
// does not print the parent's buffered lines again.
void pipe_or_bail(int fds[2]);
pid_t fork_or_bail();

// What every benchmark program takes: DIR [--rounds N] [--mb M].
struct Options {
	std::string dir; // a directory on a filesystem that can hold swapfiles (e.g. ext4)
	int rounds;
	size_t mb;
};

// Parses the command line over @defaults. An argument that is none of the above goes to
// @flag, if given, which says whether it took it; otherwise, or with a bad value, prints
// "usage: PROGRAM @usage" and exits 2.
Options parse_options(int argc, char** argv, Options defaults, const char* usage,
		      const std::function<bool(const std::string&)>& flag = {});

// A moment on two clocks: elapsed time, and the CPU time this process used (user and
// system). The CPU time leaves out waiting for the disk, so it measures the code that runs
// the swap paths; with QEMU's -icount it counts instructions and repeats from boot to boot.
struct Instant {
	double wall, cpu;
	static Instant now();
};

// MB/s of data moved, over elapsed time and over CPU time; negative if a round swapped out
// too little to mean much.
struct Throughput {
	double wall = 0, cpu = 0;
	bool valid() const { return wall > 0 && cpu > 0; }
	static Throughput of(double mb, const Instant& from, const Instant& to);
};

// One round of the swap workload: fill a fresh anonymous region (MADV_NOHUGEPAGE, distinct
// contents per page), swap all of it out with MADV_PAGEOUT, count its swapped pages, read it
// back (swapping it in) and unmap it (freeing its slots), taking the time between the phases.
// Bails out if the data read back differs.
struct RoundTimes {
	Instant start, paged_out, counted, read_back, unmapped;
	// Whether at least half the region was swapped out: otherwise the figures mean little.
	bool valid;
};

RoundTimes timed_round(size_t bytes, unsigned seed);

// Seconds between two instants on both clocks, summed over several intervals.
struct Interval {
	double wall = 0, cpu = 0;
	Interval& add(const Instant& from, const Instant& to);
	Throughput throughput(double mb) const { return {mb / wall, mb / cpu}; }
};

// A swapfile with a version 1 header (what mkswap(8) writes), fully written: no holes.
void make_swapfile(const std::string& path, size_t size);
void swap_on(const std::string& path, size_t size);
void swap_off(const std::string& path);

struct Summary {
	double median, min, max;
};

Summary summarize(std::vector<double> v);

// Numbers the TAP lines of one benchmark program.
class Report {
public:
	// The figures of a pairwise comparison of variants a and b, over elapsed and over CPU
	// time, as "# bench" comments plus an ok line.
	void compare(const char* name, const std::vector<Throughput>& a,
		     const std::vector<Throughput>& b, const char* a_name, const char* b_name,
		     const char* goal);

private:
	int test_number_ = 0;
};

} // namespace bench
