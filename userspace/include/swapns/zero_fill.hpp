// Writing zeros over a byte range of a file as fast as the disk allows: io_uring keeping several
// large O_DIRECT writes in flight, or, where io_uring or O_DIRECT is unavailable, a pwrite loop.
// For swapfiles on filesystems that need every byte written (NFS) and the VM's plain swapfiles.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "swapns/result.hpp"

namespace swapns {

enum class ZeroFillMethod {
	io_uring, // several writes in flight
	pwrite,   // one write at a time
};

struct ZeroFillOptions {
	// Called with the bytes written so far at most once per progress_interval, and with
	// done == total at the end of a fill that succeeded. Never decreasing.
	std::function<void(uint64_t done, uint64_t total)> progress;
	std::chrono::milliseconds progress_interval{250};
	// Polled between writes (for io_uring: between completions); once it reads true, the fill
	// waits for the writes in flight and fails with ECANCELED. Set by a signal handler, it
	// must be lock-free (std::atomic<bool> is on every platform swapns builds for).
	const std::atomic<bool>* cancel = nullptr;
	// Called once for each step down from io_uring with O_DIRECT, before writing that way,
	// with a line for the user, e.g. "io_uring unavailable (Operation not permitted): writing
	// zeros with pwrite".
	std::function<void(const std::string& message)> on_fallback;
	// Tests and benchmarks: go straight to the pwrite loop, or to buffered writes.
	bool allow_io_uring = true;
	bool allow_direct = true;
	size_t block_size = 1 << 20; // bytes per write; a multiple of direct_alignment
	unsigned queue_depth = 8;    // io_uring writes in flight
};

// O_DIRECT writes start and end on multiples of this (the logical block size of nearly every
// device); the bytes before the first and after the last multiple are written buffered.
constexpr uint64_t direct_alignment = 4096;

struct ZeroFillReport {
	ZeroFillMethod method = ZeroFillMethod::io_uring;
	bool direct = false;  // the aligned part went around the page cache
	std::string fallback; // the last on_fallback message; empty if there was none
};

// Writes zeros to bytes [@offset, @offset + @length) of the regular file (or block device) open
// for writing as @fd; @path names it in errors. A regular file shorter than @offset + @length
// is extended to that size first, so that the writes do not extend it one by one (which
// filesystems serialise); it is never shortened. The caller syncs. O_DIRECT writes go through a
// second descriptor opened via /proc/self/fd; @fd is not changed.
// Errors: ECANCELED when options.cancel was set, EINVAL for a block_size that is not a
// positive multiple of direct_alignment or a queue_depth of 0, otherwise the errno of the
// failing write with the path and offset. A failed fill leaves some of the range unwritten.
Result<ZeroFillReport> zero_fill(int fd, const std::filesystem::path& path, uint64_t offset,
				 uint64_t length, const ZeroFillOptions& options = {});

} // namespace swapns
