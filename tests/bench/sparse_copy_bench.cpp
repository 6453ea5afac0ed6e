// The checkpoint's slot copy against a plain copy of the whole swapfile (issue 14: a sparse
// copy of a 1 GiB swapfile with 10 % of its slots used <= 0.15 x `dd iflag=direct bs=1M`).
// Usage: sparse_copy_bench DIR [SIZE_MIB [USED_PERCENT [ROUNDS]]]
// Makes DIR/bench.swap (SIZE_MIB, random bytes, written and synced once), then alternates:
//   sparse: copy_chunks() of USED_PERCENT of its slots (in runs of 1 to 64 slots, spread over
//           the file as a swap allocator leaves them) into DIR/bench.data, O_DIRECT, with
//           SHA-256 per chunk, as swapns checkpoint does;
//   dd:     dd if=bench.swap iflag=direct bs=1M of=bench.copy oflag=direct.
// Both end with fsync (dd: conv=fsync). Prints each round and the ratio of the medians.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "swapns/checkpoint_image.hpp"
#include "swapns/sha256.hpp"
#include "swapns/unique_fd.hpp"

using namespace swapns;
using namespace swapns::checkpoint;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point t0)
{
	return std::chrono::duration<double>(clock_type::now() - t0).count();
}

double median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: sparse_copy_bench DIR [SIZE_MIB [USED_PERCENT [ROUNDS]]]\n");
		return 2;
	}
	fs::path dir = argv[1];
	uint64_t mib = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1024;
	unsigned percent = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 10;
	int rounds = argc > 4 ? std::atoi(argv[4]) : 5;
	const uint64_t page = 4096, pages = mib * 256;
	fs::path swap = dir / "bench.swap", data = dir / "bench.data", copy = dir / "bench.copy";

	{
		std::FILE* f = std::fopen(swap.c_str(), "wb");
		std::mt19937_64 rng(1);
		std::vector<uint64_t> buf(1 << 17);
		for (uint64_t done = 0; done < mib; done++) {
			for (auto& x : buf)
				x = rng();
			std::fwrite(buf.data(), 1, 1 << 20, f);
		}
		std::fflush(f);
		::fsync(fileno(f));
		std::fclose(f);
	}
	// Used slots: runs of 1..64 slots at random places, up to the share asked for.
	Manifest m;
	m.page_size = page;
	m.chunk_bytes = 1 << 20;
	std::mt19937 rng(2);
	std::vector<bool> used(pages, false);
	uint64_t want = pages * percent / 100, have = 0;
	while (have < want) {
		uint64_t start = 1 + rng() % (pages - 65), len = 1 + rng() % 64;
		for (uint64_t s = start; s < start + len && have < want; s++)
			if (!used[s]) {
				used[s] = true;
				have++;
			}
	}
	m.data_runs.push_back({0, 1});
	for (uint64_t s = 1; s < pages; s++)
		if (used[s]) {
			if (m.data_runs.back().first + m.data_runs.back().count == s)
				m.data_runs.back().count++;
			else
				m.data_runs.push_back({s, 1});
		}
	auto plan = data_plan(m, PlanDirection::gather);
	std::printf("# %llu MiB swapfile, %llu of %llu slots used (%u %%) in %zu runs, %zu chunks\n",
		    static_cast<unsigned long long>(mib), static_cast<unsigned long long>(have),
		    static_cast<unsigned long long>(pages), percent, m.data_runs.size(), plan.size());

	std::vector<double> sparse, dd;
	for (int r = 0; r < rounds; r++) {
		fs::remove(data);
		auto t0 = clock_type::now();
		UniqueFd src(::open(swap.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
		UniqueFd dst(::open(data.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600));
		std::vector<std::string> sums(plan.size());
		auto res = copy_chunks({src.get(), "swap"}, {dst.get(), "data"}, plan,
				       [&](size_t c, std::span<const char> b) -> Result<bool> {
					       sums[c] = sha256_hex(b);
					       return true;
				       });
		if (!res) {
			std::fprintf(stderr, "sparse copy: %s\n", res.error().message().c_str());
			return 1;
		}
		::fsync(dst.get());
		sparse.push_back(seconds_since(t0));

		fs::remove(copy);
		t0 = clock_type::now();
		std::string cmd = "dd if=" + swap.string() + " of=" + copy.string() +
				  " iflag=direct oflag=direct bs=1M conv=fsync status=none";
		if (std::system(cmd.c_str()) != 0)
			return 1;
		dd.push_back(seconds_since(t0));
		std::printf("round %d: sparse %.3f s, dd %.3f s\n", r + 1, sparse.back(), dd.back());
	}
	std::printf("# bench sparse_copy median %.3f s, dd %.3f s, ratio %.3f (goal <= 0.15)\n", median(sparse),
		    median(dd), median(sparse) / median(dd));
	fs::remove(swap);
	fs::remove(data);
	fs::remove(copy);
	return 0;
}
