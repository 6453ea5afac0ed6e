#include "swapns/zero_fill.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "swapns/proc_fs.hpp"
#include "swapns/unique_fd.hpp"
#include "queued_writes.hpp"
#include "uring_ring.hpp"

namespace swapns {

namespace {

static_assert(std::atomic<bool>::is_always_lock_free, "the cancel flag is set by signal handlers");

struct FreeDeleter {
	void operator()(char* p) const { std::free(p); }
};
using ZeroBuffer = std::unique_ptr<char, FreeDeleter>;

// Reports progress at most once per interval, never going back (a step down to another way of
// writing starts its part of the range again).
class Progress {
public:
	Progress(const ZeroFillOptions& options, uint64_t total) : options_(options), total_(total) {}

	void update(uint64_t done)
	{
		if (!options_.progress || done <= reported_)
			return;
		auto now = std::chrono::steady_clock::now();
		if (reported_any_ && now - last_ < options_.progress_interval)
			return;
		reported_any_ = true;
		last_ = now;
		reported_ = done;
		options_.progress(done, total_);
	}

	void finish()
	{
		if (options_.progress)
			options_.progress(total_, total_);
	}

private:
	const ZeroFillOptions& options_;
	uint64_t total_;
	uint64_t reported_ = 0;
	bool reported_any_ = false;
	std::chrono::steady_clock::time_point last_{};
};

// What every way of writing needs.
struct Fill {
	const std::filesystem::path& path;
	ZeroBuffer& zeros; // options.block_size bytes, aligned for O_DIRECT
	size_t block;
	const std::atomic<bool>* cancel;
	Progress& progress;

	bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
	Error write_error(int errnum, uint64_t at) const
	{
		return Error(errnum, "write zeros to " + path.string() + " at byte " + std::to_string(at));
	}
	Error cancel_error() const { return Error(ECANCELED, "write zeros to " + path.string()); }
};

// [begin, end) with one pwrite at a time; @base is what progress counted before this part.
Result<bool> pwrite_zeros(const Fill& f, int fd, uint64_t begin, uint64_t end, uint64_t base)
{
	for (uint64_t at = begin; at < end;) {
		if (f.cancelled())
			return f.cancel_error();
		size_t n = static_cast<size_t>(std::min<uint64_t>(f.block, end - at));
		ssize_t got = ::pwrite(fd, f.zeros.get(), n, static_cast<off_t>(at));
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got < 0)
			return f.write_error(errno, at);
		if (got == 0)
			return f.write_error(EIO, at); // no progress and no errno: do not spin
		at += static_cast<uint64_t>(got);
		f.progress.update(base + at - begin);
	}
	return true;
}

// The writes of write_queued() as io_uring writes of the zeros, registered once if it can be.
class UringZeroWrites : public WriteQueue {
public:
	UringZeroWrites(UringRing& ring, int fd, char* zeros, size_t block)
		: ring_(ring), fd_(fd), zeros_(zeros)
	{
		// The buffer registered once saves pinning its pages for every write; without it
		// (e.g. RLIMIT_MEMLOCK too low) plain writes do the same.
		iovec iov{zeros, block};
		fixed_ = ::io_uring_register_buffers(ring.get(), &iov, 1) == 0;
	}

	void prepare(unsigned slot, uint64_t at, uint32_t len) override
	{
		io_uring_sqe* sqe = ::io_uring_get_sqe(ring_.get()); // never null: depth sqes in all
		if (fixed_)
			::io_uring_prep_write_fixed(sqe, fd_, zeros_, len, at, 0);
		else
			::io_uring_prep_write(sqe, fd_, zeros_, len, at);
		::io_uring_sqe_set_data64(sqe, slot);
	}

	int submit() override
	{
		// An error leaves the unsubmitted entries in the ring, which is torn down next: they
		// never reach the kernel.
		return ::io_uring_submit(ring_.get());
	}

	int wait(std::vector<WriteCompletion>& out) override
	{
		io_uring_cqe* cqe = nullptr;
		if (int r = ::io_uring_wait_cqe(ring_.get(), &cqe); r < 0)
			return r;
		unsigned head = 0, seen = 0;
		io_uring_for_each_cqe(ring_.get(), head, cqe) {
			seen++;
			out.push_back({static_cast<unsigned>(::io_uring_cqe_get_data64(cqe)), cqe->res});
		}
		::io_uring_cq_advance(ring_.get(), seen);
		return 0;
	}

private:
	UringRing& ring_;
	int fd_;
	char* zeros_;
	bool fixed_ = false;
};

// [begin, end) with up to @depth io_uring writes of f.block bytes in flight (write_queued()).
Result<bool> uring_zeros(const Fill& f, int fd, UringRing& ring, unsigned depth, uint64_t begin,
			 uint64_t end, uint64_t base)
{
	UringZeroWrites writes(ring, fd, f.zeros.get(), f.block);
	QueuedWriteOptions options{depth, static_cast<uint32_t>(f.block),
				   [&f] { return f.cancelled(); },
				   [&f, base](uint64_t done) { f.progress.update(base + done); }};
	QueuedWriteResult r = write_queued(writes, options, begin, end);
	if (r.writes_abandoned) {
		// Writes in flight may still read the buffer and cannot be waited for: leak it
		// rather than let them write whatever reuses the memory.
		(void)f.zeros.release();
	}
	if (r.cancelled)
		return f.cancel_error();
	if (r.errnum)
		return f.write_error(r.errnum, r.failed_at);
	return true;
}

std::string errno_text(int errnum)
{
	return std::strerror(errnum);
}

} // namespace

Result<ZeroFillReport> zero_fill(int fd, const std::filesystem::path& path, uint64_t offset,
				 uint64_t length, const ZeroFillOptions& options)
{
	if (options.block_size == 0 || options.block_size % direct_alignment != 0 ||
	    options.block_size > UINT32_MAX)
		return Error(EINVAL, "zero-fill block size " + std::to_string(options.block_size) +
					     " is not a multiple of " + std::to_string(direct_alignment));
	if (options.queue_depth == 0)
		return Error(EINVAL, "zero-fill queue depth 0");
	uint64_t end = offset + length;
	if (end < offset)
		return Error(EINVAL, "zero-fill range past the largest offset");

	ZeroFillReport report;
	report.method = ZeroFillMethod::pwrite;
	auto step_down = [&](std::string message) {
		report.fallback = std::move(message);
		if (options.on_fallback)
			options.on_fallback(report.fallback);
	};

	if (options.cancel && options.cancel->load())
		return Error(ECANCELED, "write zeros to " + path.string());
	// O_DIRECT goes through a descriptor reopened for writing, which must not write where
	// the caller's could not.
	int mode = ::fcntl(fd, F_GETFL);
	if (mode < 0)
		return Error::from_errno("write zeros to " + path.string());
	if ((mode & O_ACCMODE) == O_RDONLY)
		return Error(EBADF, "write zeros to " + path.string() + ": not open for writing");
	struct stat st {};
	if (::fstat(fd, &st) != 0)
		return Error::from_errno("stat " + path.string());
	if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) < end &&
	    ::ftruncate(fd, static_cast<off_t>(end)) != 0)
		return Error::from_errno("extend " + path.string() + " to " + std::to_string(end) + " bytes");

	ZeroBuffer zeros(static_cast<char*>(std::aligned_alloc(direct_alignment, options.block_size)));
	if (!zeros)
		return Error(ENOMEM, "allocate " + std::to_string(options.block_size) + " bytes of zeros");
	std::memset(zeros.get(), 0, options.block_size);
	Progress progress(options, length);
	Fill f{path, zeros, options.block_size, options.cancel, progress};

	// The bytes outside whole aligned blocks go through the page cache, before the rest.
	uint64_t first = (offset + direct_alignment - 1) / direct_alignment * direct_alignment;
	uint64_t last = end / direct_alignment * direct_alignment;
	if (first >= last)
		first = last = end;
	if (auto r = pwrite_zeros(f, fd, offset, first, 0); !r)
		return r.error();
	uint64_t base = first - offset;
	if (auto r = pwrite_zeros(f, fd, last, end, base); !r)
		return r.error();
	base += end - last;

	if (first < last) {
		UniqueFd direct;
		if (!options.allow_direct) {
			step_down("O_DIRECT not requested: writing zeros with buffered pwrite");
		} else {
			// A second open file, so that the caller's keeps its flags.
			direct = UniqueFd(::open(fd_path(fd).c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC));
			if (!direct.valid())
				step_down("O_DIRECT unavailable (" + errno_text(errno) +
					  "): writing zeros with buffered pwrite");
		}

		bool done = false;
		if (direct.valid()) {
			UringRing ring;
			int r = 0;
			if (!options.allow_io_uring) {
				step_down("io_uring not requested: writing zeros with pwrite");
			} else if ((r = ring.init(options.queue_depth)) < 0) {
				step_down("io_uring unavailable (" + errno_text(-r) +
					  "): writing zeros with pwrite");
			} else {
				auto w = uring_zeros(f, direct.get(), ring, options.queue_depth, first, last, base);
				if (w) {
					report.method = ZeroFillMethod::io_uring;
					report.direct = true;
					done = true;
				} else if (w.error().errnum() == EINVAL && zeros) {
					// Alignment the filesystem does not take, or a kernel without
					// IORING_OP_WRITE: pwrite tells which. Not after writes were
					// abandoned in flight: their buffer is gone (released).
					step_down("io_uring O_DIRECT write rejected (" + errno_text(EINVAL) +
						  "): writing zeros with pwrite");
				} else {
					return w.error();
				}
			}
		}
		if (!done && direct.valid()) {
			auto w = pwrite_zeros(f, direct.get(), first, last, base);
			if (w) {
				report.direct = true;
				done = true;
			} else if (w.error().errnum() == EINVAL) {
				step_down("O_DIRECT write rejected (" + errno_text(EINVAL) +
					  "): writing zeros with buffered pwrite");
			} else {
				return w.error();
			}
		}
		if (!done) {
			if (auto w = pwrite_zeros(f, fd, first, last, base); !w)
				return w.error();
		}
	}
	progress.finish();
	return report;
}

} // namespace swapns
