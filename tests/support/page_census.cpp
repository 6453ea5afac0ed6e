#include "page_census.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "swapns/unique_fd.hpp"

namespace swapns {

namespace {

constexpr uint64_t present_bit = 1ULL << 63;
constexpr uint64_t swapped_bit = 1ULL << 62;
constexpr unsigned type_bits = 5;
constexpr unsigned offset_bits = 50;

// Entries read per pread(): 64 KiB of pagemap covers 32 MiB of memory with 4 KiB pages.
constexpr size_t batch_entries = 8192;

} // namespace

PagemapEntry decode_pagemap_entry(uint64_t raw)
{
	PagemapEntry e;
	e.present = raw & present_bit;
	e.swapped = raw & swapped_bit;
	if (e.swapped) {
		e.swap_type = static_cast<unsigned>(raw & ((1U << type_bits) - 1));
		e.swap_offset = (raw >> type_bits) & ((1ULL << offset_bits) - 1);
	}
	return e;
}

uint64_t PageCensus::swapped() const
{
	uint64_t n = 0;
	for (const auto& [type, count] : swapped_by_type)
		n += count;
	return n;
}

uint64_t PageCensus::swapped_elsewhere(unsigned type) const
{
	auto it = swapped_by_type.find(type);
	return swapped() - (it == swapped_by_type.end() ? 0 : it->second);
}

Result<PageCensus> census_range(const ProcFs& proc, pid_t pid, uintptr_t start, size_t length,
				size_t page_size)
{
	if (page_size == 0 || start % page_size || length % page_size)
		return Error(EINVAL, "pagemap census: range not page aligned");
	auto path = proc.task_dir(pid) / "pagemap";
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("open " + path.string());

	PageCensus census;
	std::vector<uint64_t> batch(batch_entries);
	uint64_t first = start / page_size, count = length / page_size;
	for (uint64_t done = 0; done < count;) {
		size_t want = static_cast<size_t>(std::min<uint64_t>(batch_entries, count - done));
		ssize_t got = ::pread(fd.get(), batch.data(), want * sizeof(uint64_t),
				      static_cast<off_t>((first + done) * sizeof(uint64_t)));
		if (got < 0)
			return Error::from_errno("read " + path.string());
		if (got == 0 || got % sizeof(uint64_t))
			return Error(EIO, "read " + path.string() + ": short read at page " +
					      std::to_string(first + done));
		size_t n = static_cast<size_t>(got) / sizeof(uint64_t);
		for (size_t i = 0; i < n; i++) {
			PagemapEntry e = decode_pagemap_entry(batch[i]);
			census.pages++;
			if (e.present)
				census.present++;
			else if (e.swapped)
				census.swapped_by_type[e.swap_type]++;
		}
		done += n;
	}
	return census;
}

} // namespace swapns
