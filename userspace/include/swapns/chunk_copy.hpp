// Moving pages between a swap area and a checkpoint's data file in chunks: each chunk is read
// (from one place or gathered from many) into a buffer, handed to a callback (which checksums
// or checks it), then written (to one place or scattered to many), or not written at all.
// io_uring keeps several chunks and all their reads and writes in flight; O_DIRECT is the
// caller's choice when it opens the files (swap I/O bypasses a swap file's page cache, so the
// source of a checkpoint is read with it). Without io_uring the same happens one call at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "swapns/result.hpp"

namespace swapns {

// @bytes at @offset of a file; both multiples of chunk_alignment for O_DIRECT.
struct FileExtent {
	uint64_t offset = 0;
	uint64_t bytes = 0;
};

// What one chunk reads and writes: the reads fill the buffer in order, the writes take it in
// order. Without writes, the chunk is only read (a verification). Reads and writes cover the
// same number of bytes otherwise.
struct ChunkPlan {
	std::vector<FileExtent> reads;
	std::vector<FileExtent> writes;
	uint64_t bytes() const;
};

inline constexpr uint64_t chunk_alignment = 4096;

struct ChunkCopyFile {
	int fd = -1;
	std::string name; // for messages
};

struct ChunkCopyOptions {
	unsigned chunks_in_flight = 8;
	// Polled between completions; once true, no new I/O starts and the copy fails with ECANCELED.
	const std::atomic<bool>* cancel = nullptr;
	// Called with the bytes of chunks finished so far.
	std::function<void(uint64_t done)> progress;
	bool allow_io_uring = true; // tests and benchmarks: false for the pread/pwrite loop
};

// Called once per chunk, with its index and the bytes read, before they are written, in no
// particular order of chunks (never concurrently). An error stops the copy: that chunk is not
// written, no new chunk starts, and the copy returns the error.
using ChunkCallback = std::function<Result<bool>(size_t chunk, std::span<const char> data)>;

struct ChunkCopyReport {
	bool io_uring = false; // the chunks went through io_uring
	uint64_t bytes_read = 0;
	uint64_t bytes_written = 0;
};

// Runs @plan: reads from @src, writes to @dst (which may be unset when no chunk writes).
// Errors: the callback's; EIO for a read that ends before the extent does ("truncated", with
// the file and offset) or a write of 0 bytes; ECANCELED; EINVAL for an extent that is not
// aligned or a chunk whose reads and writes differ in size; otherwise the errno of the failing
// read or write, naming the file and offset. A failed copy leaves some chunks written.
Result<ChunkCopyReport> copy_chunks(const ChunkCopyFile& src, const ChunkCopyFile& dst,
				    const std::vector<ChunkPlan>& plan, const ChunkCallback& on_chunk,
				    const ChunkCopyOptions& options = {});

} // namespace swapns
