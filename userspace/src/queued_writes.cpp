#include "queued_writes.hpp"

#include <algorithm>
#include <cerrno>

namespace swapns {

QueuedWriteResult write_queued(WriteQueue& queue, const QueuedWriteOptions& options,
			       uint64_t begin, uint64_t end)
{
	// What each slot's write in flight still has to write.
	struct Slot {
		uint64_t at = 0;
		uint32_t len = 0;
	};
	std::vector<Slot> slots(options.depth);
	std::vector<unsigned> idle;
	for (unsigned i = options.depth; i-- > 0;)
		idle.push_back(i);

	QueuedWriteResult result;
	std::vector<bool> busy(options.depth, false); // a write prepared or in flight
	unsigned queued = 0, in_flight = 0;
	auto queue_slot = [&](unsigned i) {
		queue.prepare(i, slots[i].at, slots[i].len);
		busy[i] = true;
		queued++;
	};
	auto make_idle = [&](unsigned i) {
		busy[i] = false;
		idle.push_back(i);
	};
	auto fail = [&](int errnum, uint64_t at) {
		if (!result.errnum) {
			result.errnum = errnum;
			result.failed_at = at;
		}
	};

	uint64_t next = begin, done = 0;
	bool cancelled = false;
	std::vector<WriteCompletion> completions;
	for (;;) {
		cancelled = cancelled || (options.cancelled && options.cancelled());
		while (!result.errnum && !cancelled && next < end && !idle.empty()) {
			unsigned i = idle.back();
			idle.pop_back();
			slots[i] = {next, static_cast<uint32_t>(std::min<uint64_t>(options.block, end - next))};
			next += slots[i].len;
			queue_slot(i);
		}
		if (queued) {
			int r = queue.submit();
			if (r >= 0) {
				in_flight += static_cast<unsigned>(r);
				queued -= std::min(queued, static_cast<unsigned>(r));
			} else if (r != -EINTR && r != -EAGAIN && r != -EBUSY) {
				// The queue dropped the writes it did not start.
				fail(-r, next);
				queued = 0;
			}
		}
		if (in_flight == 0) {
			if (queued && !result.errnum && !cancelled)
				continue;
			break;
		}

		completions.clear();
		int r = queue.wait(completions);
		if (r == -EINTR || r == -EAGAIN || r == -EBUSY)
			continue; // a signal: the loop looks at the cancel flag
		if (r < 0) {
			fail(-r, next);
			result.writes_abandoned = true;
			return result;
		}
		for (const auto& c : completions) {
			if (c.slot >= options.depth || !busy[c.slot] || in_flight == 0) {
				fail(EIO, next); // not a write of ours: the queue is broken
				result.writes_abandoned = true;
				return result;
			}
			in_flight--;
			Slot& s = slots[c.slot];
			bool stopping = result.errnum || cancelled;
			if ((c.res == -EAGAIN || c.res == -EINTR) && !stopping) {
				queue_slot(c.slot);
				continue;
			}
			if (c.res <= 0) {
				// EAGAIN or EINTR while stopping anyway is no error of its own.
				if (c.res != -EAGAIN && c.res != -EINTR)
					fail(c.res < 0 ? -c.res : EIO, s.at);
				make_idle(c.slot);
				continue;
			}
			uint32_t written = std::min(static_cast<uint32_t>(c.res), s.len);
			done += written;
			s.at += written;
			s.len -= written;
			if (s.len > 0 && !stopping)
				queue_slot(c.slot); // short write: the rest
			else
				make_idle(c.slot);
		}
		if (options.progress)
			options.progress(done);
	}
	if (cancelled)
		result = {true, 0, 0, false};
	return result;
}

} // namespace swapns
