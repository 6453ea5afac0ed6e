// Zero-fill throughput against dd: zero_fill() with io_uring, zero_fill() with its pwrite
// fallback, and `dd if=/dev/zero bs=1M oflag=direct conv=fsync`, each writing a fresh file of
// the same size in the same directory and syncing it, alternating round by round. Prints MB/s
// (10^6 bytes per second, as dd does) per run, then medians and the ratios to dd. A benchmark,
// not a test: see docs/benchmarks.md.
#include <fcntl.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "swapns/result.hpp"
#include "swapns/unique_fd.hpp"
#include "swapns/zero_fill.hpp"

using namespace swapns;

namespace {

Result<bool> library_fill(const std::filesystem::path& path, uint64_t size, bool uring,
			  std::string& how)
{
	UniqueFd fd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600));
	if (!fd.valid())
		return Error::from_errno("create " + path.string());
	ZeroFillOptions options;
	options.allow_io_uring = uring;
	auto r = zero_fill(fd.get(), path, 0, size, options);
	if (!r)
		return r.error();
	how = std::string(r->method == ZeroFillMethod::io_uring ? "io_uring" : "pwrite") +
	      (r->direct ? " O_DIRECT" : " buffered") + (r->fallback.empty() ? "" : "; " + r->fallback);
	if (::fsync(fd.get()) != 0)
		return Error::from_errno("fsync " + path.string());
	return true;
}

Result<bool> dd_fill(const std::filesystem::path& path, uint64_t size, std::string& how)
{
	std::string of = "of=" + path.string();
	std::string count = "count=" + std::to_string(size >> 20);
	how = "dd if=/dev/zero " + of + " bs=1M " + count + " oflag=direct conv=fsync";
	pid_t pid = ::fork();
	if (pid < 0)
		return Error::from_errno("fork");
	if (pid == 0) {
		::execlp("dd", "dd", "if=/dev/zero", of.c_str(), "bs=1M", count.c_str(), "oflag=direct",
			 "conv=fsync", "status=none", static_cast<char*>(nullptr));
		::_exit(127);
	}
	int status = 0;
	if (::waitpid(pid, &status, 0) != pid)
		return Error::from_errno("wait for dd");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return Error(0, "dd failed (status " + std::to_string(status) + ")");
	return true;
}

double median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t n = v.size();
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char** argv)
{
	if (argc < 2 || argc > 4) {
		std::fprintf(stderr, "usage: zero_fill_bench DIR [SIZE_MIB (1024)] [ROUNDS (5)]\n"
				     "DIR on the filesystem to measure, not tmpfs; needs SIZE_MIB free.\n");
		return 2;
	}
	std::filesystem::path dir = argv[1];
	uint64_t size = (argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1024) << 20;
	int rounds = argc > 3 ? std::atoi(argv[3]) : 5;
	if (size == 0 || rounds <= 0) {
		std::fprintf(stderr, "zero_fill_bench: SIZE_MIB and ROUNDS must be positive\n");
		return 2;
	}
	struct statfs fs {};
	if (::statfs(dir.c_str(), &fs) != 0) {
		std::perror(dir.c_str());
		return 1;
	}
	std::printf("# zero-fill %llu MiB in %s (statfs f_type 0x%lx), %d rounds\n",
		    static_cast<unsigned long long>(size >> 20), dir.c_str(),
		    static_cast<unsigned long>(fs.f_type), rounds);

	auto path = dir / ("zero-fill-bench-" + std::to_string(::getpid()));
	struct Variant {
		const char* name;
		std::function<Result<bool>(std::string&)> run;
	};
	const Variant variants[] = {
		{"io_uring", [&](std::string& how) { return library_fill(path, size, true, how); }},
		{"pwrite", [&](std::string& how) { return library_fill(path, size, false, how); }},
		{"dd", [&](std::string& how) { return dd_fill(path, size, how); }},
	};
	constexpr size_t n = std::size(variants);
	std::map<std::string, std::vector<double>> mbps;
	std::vector<double> uring_ratio, pwrite_ratio;
	for (int round = 0; round < rounds; round++) {
		double got[n] = {};
		for (size_t k = 0; k < n; k++) {
			size_t v = (k + static_cast<size_t>(round)) % n; // each goes first in turn
			std::filesystem::remove(path);
			std::string how;
			auto start = std::chrono::steady_clock::now();
			auto r = variants[v].run(how);
			std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
			std::filesystem::remove(path);
			if (!r) {
				std::fprintf(stderr, "zero_fill_bench: %s: %s\n", variants[v].name,
					     r.error().message().c_str());
				return 1;
			}
			got[v] = static_cast<double>(size) / 1e6 / took.count();
			mbps[variants[v].name].push_back(got[v]);
			std::printf("round %d %-8s %8.1f MB/s  %6.3f s  (%s)\n", round + 1, variants[v].name,
				    got[v], took.count(), how.c_str());
			std::fflush(stdout);
		}
		uring_ratio.push_back(got[0] / got[2]);
		pwrite_ratio.push_back(got[1] / got[2]);
	}
	for (const auto& v : variants)
		std::printf("median %-8s %8.1f MB/s\n", v.name, median(mbps[v.name]));
	auto spread = [](const std::vector<double>& r) {
		return std::to_string(*std::min_element(r.begin(), r.end())).substr(0, 4) + ".." +
		       std::to_string(*std::max_element(r.begin(), r.end())).substr(0, 4);
	};
	std::printf("ratio io_uring/dd %.2f (per round %s; goal >= 0.9)\n", median(uring_ratio),
		    spread(uring_ratio).c_str());
	std::printf("ratio pwrite/dd   %.2f (per round %s)\n", median(pwrite_ratio),
		    spread(pwrite_ratio).c_str());
	return 0;
}
