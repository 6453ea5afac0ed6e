#include "swapns/chunk_copy.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>

#include "uring_ring.hpp"

namespace swapns {

uint64_t ChunkPlan::bytes() const
{
	uint64_t n = 0;
	for (const auto& r : reads)
		n += r.bytes;
	return n;
}

namespace {

struct FreeDeleter {
	void operator()(char* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<char, FreeDeleter>;

Result<Buffer> aligned_buffer(uint64_t bytes)
{
	void* p = nullptr;
	if (int r = ::posix_memalign(&p, chunk_alignment, std::max<uint64_t>(bytes, chunk_alignment)); r)
		return Error(r, "allocating a copy buffer of " + std::to_string(bytes) + " bytes");
	return Buffer(static_cast<char*>(p));
}

Result<uint64_t> check_plan(const std::vector<ChunkPlan>& plan)
{
	uint64_t largest = 0;
	for (size_t i = 0; i < plan.size(); i++) {
		uint64_t in = 0, out = 0;
		for (const auto& r : plan[i].reads) {
			if (r.offset % chunk_alignment || r.bytes % chunk_alignment || !r.bytes)
				return Error::refusal(EINVAL, "chunk " + std::to_string(i) + ": a read is not aligned");
			in += r.bytes;
		}
		for (const auto& w : plan[i].writes) {
			if (w.offset % chunk_alignment || w.bytes % chunk_alignment || !w.bytes)
				return Error::refusal(EINVAL, "chunk " + std::to_string(i) + ": a write is not aligned");
			out += w.bytes;
		}
		if (!plan[i].writes.empty() && in != out)
			return Error::refusal(EINVAL, "chunk " + std::to_string(i) + ": reads and writes differ in size");
		largest = std::max(largest, in);
	}
	return largest;
}

Error io_error(int errnum, bool write, const ChunkCopyFile& f, uint64_t offset)
{
	return Error(errnum, std::string(write ? "writing " : "reading ") + f.name + " at byte " +
				     std::to_string(offset));
}

Error truncated(const ChunkCopyFile& f, uint64_t offset)
{
	return Error::refusal(EIO, f.name + " ends at byte " + std::to_string(offset) +
					   ", before the data it should hold (truncated?)");
}

bool cancelled(const ChunkCopyOptions& o)
{
	return o.cancel && o.cancel->load(std::memory_order_relaxed);
}

// One call at a time, for kernels or sandboxes without io_uring.
Result<ChunkCopyReport> copy_sync(const ChunkCopyFile& src, const ChunkCopyFile& dst,
				  const std::vector<ChunkPlan>& plan, const ChunkCallback& on_chunk,
				  const ChunkCopyOptions& options, char* buf)
{
	ChunkCopyReport report;
	uint64_t done = 0;
	for (size_t i = 0; i < plan.size(); i++) {
		if (cancelled(options))
			return Error(ECANCELED, "copying " + src.name);
		uint64_t pos = 0;
		for (const auto& r : plan[i].reads) {
			for (uint64_t got = 0; got < r.bytes;) {
				ssize_t n = ::pread(src.fd, buf + pos + got, r.bytes - got, static_cast<off_t>(r.offset + got));
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0)
					return io_error(errno, false, src, r.offset + got);
				if (n == 0)
					return truncated(src, r.offset + got);
				got += static_cast<uint64_t>(n);
			}
			pos += r.bytes;
		}
		report.bytes_read += pos;
		if (auto r = on_chunk(i, {buf, pos}); !r)
			return r.error();
		pos = 0;
		for (const auto& w : plan[i].writes) {
			for (uint64_t put = 0; put < w.bytes;) {
				ssize_t n = ::pwrite(dst.fd, buf + pos + put, w.bytes - put, static_cast<off_t>(w.offset + put));
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0)
					return io_error(errno, true, dst, w.offset + put);
				if (n == 0)
					return io_error(EIO, true, dst, w.offset + put);
				put += static_cast<uint64_t>(n);
			}
			pos += w.bytes;
		}
		report.bytes_written += pos;
		done += plan[i].bytes();
		if (options.progress)
			options.progress(done);
	}
	return report;
}

// A read or write of one extent, possibly resubmitted for what a short transfer left.
struct Op {
	bool write = false;
	uint64_t offset = 0; // in the file
	uint64_t bytes = 0;
	uint64_t buf_offset = 0;
	uint64_t done = 0;
};

struct Slot {
	Buffer buf;
	size_t chunk = 0;
	bool busy = false;
	bool writing = false;
	std::vector<Op> ops;
	unsigned pending = 0; // ops not yet complete
};

class UringCopy {
public:
	UringCopy(UringRing& ring, const ChunkCopyFile& src, const ChunkCopyFile& dst,
		  const std::vector<ChunkPlan>& plan, const ChunkCallback& on_chunk,
		  const ChunkCopyOptions& options)
		: ring_(ring), src_(src), dst_(dst), plan_(plan), on_chunk_(on_chunk), options_(options)
	{
	}

	Result<ChunkCopyReport> run(std::vector<Slot>& slots);
	// Waiting failed with I/O in flight, which may still use the buffers.
	bool abandoned() const { return abandoned_; }

private:
	bool abandoned_ = false;
	UringRing& ring_;
	const ChunkCopyFile& src_;
	const ChunkCopyFile& dst_;
	const std::vector<ChunkPlan>& plan_;
	const ChunkCallback& on_chunk_;
	const ChunkCopyOptions& options_;
	std::deque<std::pair<unsigned, unsigned>> queue_; // (slot, op) to submit
	std::optional<Error> failure_;
	unsigned inflight_ = 0;
	size_t finished_ = 0;
	uint64_t done_bytes_ = 0;
	ChunkCopyReport report_;

	void fail(Error e)
	{
		if (!failure_)
			failure_ = std::move(e);
	}
	void queue_phase(unsigned s, Slot& slot, const std::vector<FileExtent>& extents, bool write)
	{
		slot.ops.clear();
		slot.writing = write;
		uint64_t pos = 0;
		for (const auto& e : extents) {
			slot.ops.push_back({write, e.offset, e.bytes, pos, 0});
			pos += e.bytes;
		}
		slot.pending = static_cast<unsigned>(slot.ops.size());
		for (unsigned i = 0; i < slot.ops.size(); i++)
			queue_.emplace_back(s, i);
	}
	void finish(Slot& slot)
	{
		slot.busy = false;
		finished_++;
		done_bytes_ += plan_[slot.chunk].bytes();
		if (options_.progress)
			options_.progress(done_bytes_);
	}
	void complete(std::vector<Slot>& slots, unsigned s, unsigned o, int res);
};

void UringCopy::complete(std::vector<Slot>& slots, unsigned s, unsigned o, int res)
{
	Slot& slot = slots[s];
	Op& op = slot.ops[o];
	const ChunkCopyFile& file = op.write ? dst_ : src_;
	if (failure_) {
		slot.pending--; // draining: nothing new starts
		return;
	}
	if (res == -EAGAIN || res == -EINTR) {
		queue_.emplace_back(s, o);
		return;
	}
	if (res < 0) {
		slot.pending--;
		return fail(io_error(-res, op.write, file, op.offset + op.done));
	}
	if (res == 0) {
		slot.pending--;
		return fail(op.write ? io_error(EIO, true, file, op.offset + op.done) : truncated(file, op.offset + op.done));
	}
	op.done += static_cast<uint64_t>(res);
	(op.write ? report_.bytes_written : report_.bytes_read) += static_cast<uint64_t>(res);
	if (op.done < op.bytes) {
		queue_.emplace_back(s, o); // a short transfer: the rest again
		return;
	}
	if (--slot.pending)
		return;
	const ChunkPlan& chunk = plan_[slot.chunk];
	if (slot.writing)
		return finish(slot);
	auto r = on_chunk_(slot.chunk, {slot.buf.get(), chunk.bytes()});
	if (!r) {
		slot.busy = false;
		return fail(r.error());
	}
	if (chunk.writes.empty())
		return finish(slot);
	queue_phase(s, slot, chunk.writes, true);
}

Result<ChunkCopyReport> UringCopy::run(std::vector<Slot>& slots)
{
	report_.io_uring = true;
	size_t next_chunk = 0;
	while (finished_ < plan_.size()) {
		if (!failure_ && cancelled(options_))
			fail(Error(ECANCELED, "copying " + src_.name));
		for (unsigned s = 0; !failure_ && next_chunk < plan_.size() && s < slots.size(); s++) {
			if (slots[s].busy)
				continue;
			slots[s].busy = true;
			slots[s].chunk = next_chunk;
			queue_phase(s, slots[s], plan_[next_chunk++].reads, false);
		}
		unsigned prepared = 0;
		while (!failure_ && !queue_.empty()) {
			io_uring_sqe* sqe = ::io_uring_get_sqe(ring_.get());
			if (!sqe)
				break;
			auto [s, o] = queue_.front();
			queue_.pop_front();
			Op& op = slots[s].ops[o];
			char* at = slots[s].buf.get() + op.buf_offset + op.done;
			auto len = static_cast<unsigned>(op.bytes - op.done);
			auto off = op.offset + op.done;
			if (op.write)
				::io_uring_prep_write(sqe, dst_.fd, at, len, off);
			else
				::io_uring_prep_read(sqe, src_.fd, at, len, off);
			::io_uring_sqe_set_data64(sqe, (uint64_t{s} << 32) | o);
			prepared++;
		}
		if (prepared) {
			int r = ::io_uring_submit(ring_.get());
			if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY) {
				// Prepared but never started: they read or write nothing.
				fail(Error(-r, "submitting I/O for " + src_.name));
			} else if (r > 0) {
				inflight_ += static_cast<unsigned>(r);
			}
		}
		if (!inflight_) {
			if (failure_)
				break;
			continue; // only transient submission failures: try again
		}
		io_uring_cqe* cqe = nullptr;
		if (int r = ::io_uring_wait_cqe(ring_.get(), &cqe); r < 0) {
			if (r == -EINTR)
				continue;
			// I/O may still be running into the buffers: the caller must not free them.
			abandoned_ = true;
			fail(Error(-r, "waiting for I/O on " + src_.name));
			return *failure_;
		}
		unsigned head = 0, seen = 0;
		std::vector<std::pair<uint64_t, int>> done;
		io_uring_for_each_cqe(ring_.get(), head, cqe)
		{
			done.emplace_back(::io_uring_cqe_get_data64(cqe), cqe->res);
			seen++;
		}
		::io_uring_cq_advance(ring_.get(), seen);
		for (auto [data, res] : done) {
			inflight_--;
			complete(slots, static_cast<unsigned>(data >> 32), static_cast<unsigned>(data), res);
		}
		if (failure_ && !inflight_)
			break;
	}
	if (failure_)
		return *failure_;
	return report_;
}

} // namespace

Result<ChunkCopyReport> copy_chunks(const ChunkCopyFile& src, const ChunkCopyFile& dst,
				    const std::vector<ChunkPlan>& plan, const ChunkCallback& on_chunk,
				    const ChunkCopyOptions& options)
{
	auto largest = check_plan(plan);
	if (!largest)
		return largest.error();
	if (plan.empty())
		return ChunkCopyReport{};
	unsigned nslots = std::max(1u, std::min<unsigned>(options.chunks_in_flight, static_cast<unsigned>(plan.size())));
	std::vector<Slot> slots(nslots);
	for (auto& slot : slots) {
		auto buf = aligned_buffer(*largest);
		if (!buf)
			return buf.error();
		slot.buf = std::move(*buf);
	}
	if (options.allow_io_uring) {
		UringRing ring;
		if (ring.init(64) == 0) {
			UringCopy copier(ring, src, dst, plan, on_chunk, options);
			auto r = copier.run(slots);
			if (copier.abandoned())
				for (auto& slot : slots)
					(void)slot.buf.release(); // still the kernel's: leak rather than free
			return r;
		}
	}
	return copy_sync(src, dst, plan, on_chunk, options, slots[0].buf.get());
}

} // namespace swapns
