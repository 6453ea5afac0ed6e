#include "bench_support.hpp"

#include <sys/mman.h>
#include <sys/swap.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "page_census.hpp"
#include "plain_swapfile.hpp"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

namespace bench {

size_t page_size()
{
	return static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

void bail_out(const std::string& what)
{
	std::printf("Bail out! %s: %s\n", what.c_str(), std::strerror(errno));
	std::fflush(stdout);
	::_exit(1);
}

void pipe_or_bail(int fds[2])
{
	if (::pipe(fds) != 0)
		bail_out("pipe");
}

pid_t fork_or_bail()
{
	std::fflush(stdout);
	pid_t pid = ::fork();
	if (pid < 0)
		bail_out("fork");
	return pid;
}

Options parse_options(int argc, char** argv, Options o, const char* usage,
		      const std::function<bool(const std::string&)>& flag)
{
	bool ok = true;
	for (int i = 1; i < argc && ok; i++) {
		std::string arg = argv[i];
		if (arg == "--rounds" && i + 1 < argc)
			o.rounds = std::atoi(argv[++i]);
		else if (arg == "--mb" && i + 1 < argc)
			o.mb = static_cast<size_t>(std::atoi(argv[++i]));
		else if (o.dir.empty() && arg[0] != '-')
			o.dir = arg;
		else
			ok = flag && flag(arg);
	}
	if (!ok || o.dir.empty() || o.rounds < 1 || o.mb < 1) {
		std::fprintf(stderr, "usage: %s %s\n", argv[0], usage);
		std::exit(2);
	}
	return o;
}

namespace {

double seconds(clockid_t clock)
{
	timespec ts;
	::clock_gettime(clock, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

} // namespace

Instant Instant::now()
{
	return {seconds(CLOCK_MONOTONIC), seconds(CLOCK_PROCESS_CPUTIME_ID)};
}

Throughput Throughput::of(double mb, const Instant& from, const Instant& to)
{
	return {mb / (to.wall - from.wall), mb / (to.cpu - from.cpu)};
}

Interval& Interval::add(const Instant& from, const Instant& to)
{
	wall += to.wall - from.wall;
	cpu += to.cpu - from.cpu;
	return *this;
}

RoundTimes timed_round(size_t bytes, unsigned seed)
{
	auto* p = static_cast<uint64_t*>(
		::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	if (p == MAP_FAILED)
		bail_out("mmap");
	::madvise(p, bytes, MADV_NOHUGEPAGE);
	size_t words = bytes / sizeof(uint64_t);
	auto word = [seed](size_t i) { return (uint64_t{seed} << 48) ^ (i * 0x9e3779b97f4a7c15ULL); };
	for (size_t i = 0; i < words; i++)
		p[i] = word(i);
	RoundTimes t;
	t.start = Instant::now();
	if (::madvise(p, bytes, MADV_PAGEOUT) != 0)
		bail_out("MADV_PAGEOUT");
	t.paged_out = Instant::now();
	auto census = swapns::census_range(swapns::ProcFs(), ::getpid(), reinterpret_cast<uintptr_t>(p),
					   bytes, page_size());
	t.counted = Instant::now();
	bool intact = true;
	for (size_t i = 0; i < words; i++)
		intact &= p[i] == word(i);
	t.read_back = Instant::now();
	::munmap(p, bytes);
	t.unmapped = Instant::now();
	if (!intact) {
		std::printf("Bail out! data changed after swap-in\n");
		std::fflush(stdout);
		::_exit(1);
	}
	t.valid = census && census->swapped() * page_size() >= bytes / 2;
	return t;
}

void make_swapfile(const std::string& path, size_t size)
{
	auto written = swapns::write_plain_swapfile(path, size, page_size());
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

Summary summarize(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return {median, v.front(), v.back()};
}

void Report::compare(const char* name, const std::vector<Throughput>& a,
		     const std::vector<Throughput>& b, const char* a_name, const char* b_name,
		     const char* goal)
{
	bool valid = !a.empty() && a.size() == b.size();
	for (size_t i = 0; valid && i < a.size(); i++)
		valid = a[i].valid() && b[i].valid();
	if (!valid) {
		std::printf("not ok %d %s: a round swapped out less than half its data\n",
			    ++test_number_, name);
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
	std::printf("ok %d %s measured\n", ++test_number_, name);
	std::fflush(stdout);
}

} // namespace bench
