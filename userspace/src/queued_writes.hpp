// Writes kept in flight through a submission queue: the loop behind zero_fill()'s io_uring
// path, apart from io_uring itself, so that the unit tests can feed it the answers the kernel
// gives rarely (short writes, EAGAIN, errors in completions, in submission and in waiting).
// Private to the library.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace swapns {

// What one write came back with.
struct WriteCompletion {
	unsigned slot; // as given to WriteQueue::prepare()
	int res;       // bytes written, or -errno
};

// A queue of writes of one buffer to one file (io_uring in zero_fill.cpp).
class WriteQueue {
public:
	virtual ~WriteQueue() = default;
	// Queues a write of @len bytes at @at, known by @slot; there is room for one per slot.
	virtual void prepare(unsigned slot, uint64_t at, uint32_t len) = 0;
	// Starts what is queued: how many writes started, or -errno. After an error other than
	// EINTR, EAGAIN or EBUSY the writes not started are dropped.
	virtual int submit() = 0;
	// Waits for a completion, then appends every one that is ready to @out: 0, or -errno.
	virtual int wait(std::vector<WriteCompletion>& out) = 0;
};

struct QueuedWriteOptions {
	unsigned depth = 1;  // writes in flight at most
	uint32_t block = 0;  // bytes per write at most
	std::function<bool()> cancelled;              // asked before each new write; may be empty
	std::function<void(uint64_t done)> progress;  // bytes written so far; may be empty
};

struct QueuedWriteResult {
	bool cancelled = false;  // options.cancelled() said so; errnum is then 0
	int errnum = 0;          // 0: all written (or cancelled); else the first error
	// Where the write that failed started; for an error of submission or waiting, the first
	// byte no write had started at.
	uint64_t failed_at = 0;
	// Waiting failed with writes in flight, which may still read the buffer: the caller must
	// keep it alive (leak it) rather than free it.
	bool writes_abandoned = false;
};

// Writes [begin, end) in writes of at most options.block bytes, up to options.depth at once.
// A short write is resubmitted for the rest, one that failed with EAGAIN or EINTR again whole;
// a write of 0 bytes counts as EIO, so that a file that takes nothing cannot make it spin,
// and a completion for a slot with no write in flight as EIO too (a broken queue). After an
// error or a cancellation no new write starts, and those in flight are waited for.
QueuedWriteResult write_queued(WriteQueue& queue, const QueuedWriteOptions& options,
			       uint64_t begin, uint64_t end);

} // namespace swapns
