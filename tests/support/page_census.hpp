// Test support, not part of the tool. Where a range of a task's memory is: in RAM, or swapped out and on which swap device, from
// /proc/PID/pagemap (Documentation/admin-guide/mm/pagemap.rst in the kernel tree). The swap
// type of an entry is the one /proc/PID/swaps gives the device.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <map>

#include "swapns/result.hpp"
#include "swapns/task_status.hpp"

namespace swapns {

// One 64-bit pagemap entry, decoded.
struct PagemapEntry {
	bool present = false;      // in RAM (bit 63)
	bool swapped = false;      // swapped out (bit 62), so the type and offset are valid
	unsigned swap_type = 0;    // bits 0-4
	uint64_t swap_offset = 0;  // bits 5-54

	bool operator==(const PagemapEntry&) const = default;
};

PagemapEntry decode_pagemap_entry(uint64_t raw);

struct PageCensus {
	uint64_t pages = 0;                          // pages in the range
	uint64_t present = 0;                        // in RAM
	std::map<unsigned, uint64_t> swapped_by_type; // swap type -> pages swapped out there

	uint64_t swapped() const;
	// Pages swapped out to a device other than @type.
	uint64_t swapped_elsewhere(unsigned type) const;
};

// Counts the pages of [start, start + length) of task @pid. @start and @length must be
// multiples of @page_size (EINVAL otherwise). Errors: ENOENT when the task does not exist,
// EACCES/EPERM without ptrace read access to it.
Result<PageCensus> census_range(const ProcFs& proc, pid_t pid, uintptr_t start, size_t length,
				size_t page_size);

} // namespace swapns
