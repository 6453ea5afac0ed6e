// The io_uring path of zero_fill() as the kernel rarely answers it: short writes, EAGAIN and
// EINTR in completions, errors in completions, in submission and in waiting, a file that takes
// 0 bytes, cancellation. A scripted queue stands in for io_uring and records which bytes were
// written, so that each test can tell that every byte was written exactly once, or where the
// writing stopped.
#include <gtest/gtest.h>

#include <cerrno>
#include <algorithm>
#include <deque>
#include <functional>
#include <map>

#include "queued_writes.hpp"

using swapns::QueuedWriteOptions;
using swapns::QueuedWriteResult;
using swapns::WriteCompletion;
using swapns::WriteQueue;
using swapns::write_queued;

namespace {

// Completes each started write with what answer() says (bytes written or -errno), given the
// write and how many writes were started before it; writes the bytes it reports into a map of
// byte -> times written. submit() and wait() answers can be scripted too.
class ScriptedQueue : public WriteQueue {
public:
	struct Write {
		unsigned slot;
		uint64_t at;
		uint32_t len;
	};
	std::function<int(const Write&, unsigned started)> answer = [](const Write& w, unsigned) {
		return static_cast<int>(w.len);
	};
	std::deque<int> submit_errors; // answered by the next submits, before any write starts
	std::deque<int> wait_errors;   // answered by the next waits
	unsigned submit_limit = ~0u;   // writes started per submit at most
	bool forge_slot = false;       // the first completion names a slot never prepared
	std::map<uint64_t, int> written;
	unsigned started = 0, prepared = 0, max_in_flight = 0;

	void prepare(unsigned slot, uint64_t at, uint32_t len) override
	{
		queued_.push_back({slot, at, len});
		prepared++;
	}

	int submit() override
	{
		if (!submit_errors.empty()) {
			int r = submit_errors.front();
			submit_errors.pop_front();
			if (r != -EINTR && r != -EAGAIN && r != -EBUSY)
				queued_.clear();
			return r;
		}
		int n = static_cast<int>(std::min<size_t>(queued_.size(), submit_limit));
		for (int i = 0; i < n; i++) {
			in_flight_.push_back(queued_.front());
			queued_.pop_front();
		}
		started += static_cast<unsigned>(n);
		max_in_flight = std::max(max_in_flight, static_cast<unsigned>(in_flight_.size()));
		return n;
	}

	int wait(std::vector<WriteCompletion>& out) override
	{
		if (!wait_errors.empty()) {
			int r = wait_errors.front();
			wait_errors.pop_front();
			return r;
		}
		EXPECT_FALSE(in_flight_.empty()) << "wait() with no write in flight would block";
		// One at a time, oldest first: the loop must cope with any order and any batch.
		Write w = in_flight_.front();
		in_flight_.pop_front();
		int res = answer(w, completed_++);
		for (int64_t i = 0; i < res; i++)
			written[w.at + static_cast<uint64_t>(i)]++;
		out.push_back({forge_slot ? 1000u : w.slot, res});
		forge_slot = false;
		return 0;
	}

private:
	std::deque<Write> queued_, in_flight_;
	unsigned completed_ = 0;
};

// Every byte of [begin, end) written exactly once, and nothing else.
void expect_written_once(const ScriptedQueue& q, uint64_t begin, uint64_t end)
{
	EXPECT_EQ(q.written.size(), end - begin);
	for (const auto& [at, times] : q.written) {
		EXPECT_TRUE(at >= begin && at < end) << "byte " << at << " is outside the range";
		EXPECT_EQ(times, 1) << "byte " << at << " written " << times << " times";
	}
}

QueuedWriteOptions options(unsigned depth, uint32_t block)
{
	return {depth, block, {}, {}};
}

} // namespace

TEST(QueuedWrites, WritesTheRangeInBlocksUpToTheDepth)
{
	ScriptedQueue q;
	uint64_t last_progress = 0;
	auto o = options(4, 100);
	o.progress = [&](uint64_t done) { last_progress = done; };
	QueuedWriteResult r = write_queued(q, o, 1000, 2050);
	EXPECT_EQ(r.errnum, 0);
	expect_written_once(q, 1000, 2050);
	EXPECT_EQ(q.started, 11u);
	EXPECT_EQ(q.max_in_flight, 4u);
	EXPECT_EQ(last_progress, 1050u);
}

TEST(QueuedWrites, ShortWritesAreResubmittedForTheRest)
{
	ScriptedQueue q;
	// Every write takes a third of what it was given, at least one byte.
	q.answer = [](const ScriptedQueue::Write& w, unsigned) {
		return static_cast<int>(std::max<uint32_t>(1, w.len / 3));
	};
	QueuedWriteResult r = write_queued(q, options(3, 90), 0, 1000);
	EXPECT_EQ(r.errnum, 0);
	expect_written_once(q, 0, 1000);
	EXPECT_GT(q.started, 12u); // more writes than blocks
}

TEST(QueuedWrites, EagainAndEintrAreRetriedWhole)
{
	ScriptedQueue q;
	q.answer = [](const ScriptedQueue::Write& w, unsigned n) {
		if (n % 3 == 0)
			return -EAGAIN;
		if (n % 3 == 1)
			return -EINTR;
		return static_cast<int>(w.len);
	};
	QueuedWriteResult r = write_queued(q, options(2, 64), 0, 640);
	EXPECT_EQ(r.errnum, 0);
	expect_written_once(q, 0, 640);
	EXPECT_EQ(q.started, 30u); // each of the 10 blocks three times
}

// An error in a completion stops new writes, lets those in flight finish, and names the
// offset of the write that failed.
TEST(QueuedWrites, CompletionErrorStopsAndTellsWhere)
{
	ScriptedQueue q;
	q.answer = [](const ScriptedQueue::Write& w, unsigned) {
		return w.at == 300 ? -ENOSPC : static_cast<int>(w.len);
	};
	QueuedWriteResult r = write_queued(q, options(2, 100), 0, 1000);
	EXPECT_EQ(r.errnum, ENOSPC);
	EXPECT_EQ(r.failed_at, 300u);
	EXPECT_FALSE(r.writes_abandoned);
	// [0, 300) and the write in flight beside the failed one; nothing started after.
	EXPECT_LE(q.started, 5u);
	EXPECT_EQ(q.written.count(300), 0u);
	EXPECT_EQ(q.written.count(999), 0u);
}

// The first error is the one reported, whatever the writes in flight answer after it.
TEST(QueuedWrites, FirstErrorWins)
{
	ScriptedQueue q;
	q.answer = [](const ScriptedQueue::Write& w, unsigned) {
		return w.at == 0 ? -EIO : w.at == 100 ? -ENOSPC : static_cast<int>(w.len);
	};
	QueuedWriteResult r = write_queued(q, options(4, 100), 0, 1000);
	EXPECT_EQ(r.errnum, EIO);
	EXPECT_EQ(r.failed_at, 0u);
}

// A file that takes 0 bytes without an error must not make the loop spin.
TEST(QueuedWrites, ZeroBytesWrittenIsEio)
{
	ScriptedQueue q;
	q.answer = [](const ScriptedQueue::Write& w, unsigned) {
		return w.at == 200 ? 0 : static_cast<int>(w.len);
	};
	QueuedWriteResult r = write_queued(q, options(1, 100), 0, 1000);
	EXPECT_EQ(r.errnum, EIO);
	EXPECT_EQ(r.failed_at, 200u);
	EXPECT_EQ(q.started, 3u);
}

TEST(QueuedWrites, SubmitRetriesEagainAndFailsOnOtherErrors)
{
	ScriptedQueue again;
	again.submit_errors = {-EAGAIN, -EBUSY, -EINTR};
	QueuedWriteResult r = write_queued(again, options(2, 100), 0, 500);
	EXPECT_EQ(r.errnum, 0);
	expect_written_once(again, 0, 500);

	ScriptedQueue broken;
	broken.submit_errors = {-ENOMEM};
	r = write_queued(broken, options(2, 100), 0, 500);
	EXPECT_EQ(r.errnum, ENOMEM);
	EXPECT_EQ(broken.started, 0u);
	EXPECT_TRUE(broken.written.empty());
}

// Waiting that fails leaves writes in flight that may still read the buffer: the caller is
// told to keep it.
TEST(QueuedWrites, WaitErrorAbandonsTheWritesInFlight)
{
	ScriptedQueue q;
	q.wait_errors = {-EINTR, -EFAULT};
	QueuedWriteResult r = write_queued(q, options(2, 100), 0, 500);
	EXPECT_EQ(r.errnum, EFAULT);
	EXPECT_TRUE(r.writes_abandoned);
}

TEST(QueuedWrites, CancelStopsNewWritesAndWaitsForThoseInFlight)
{
	ScriptedQueue q;
	unsigned asked = 0;
	auto o = options(2, 100);
	o.cancelled = [&] { return ++asked > 2; };
	QueuedWriteResult r = write_queued(q, o, 0, 1000);
	EXPECT_TRUE(r.cancelled);
	EXPECT_EQ(r.errnum, 0);
	EXPECT_FALSE(r.writes_abandoned);
	EXPECT_LT(q.started, 10u);
	// Whatever started was waited for: each such write completed once.
	for (const auto& [at, times] : q.written)
		EXPECT_EQ(times, 1) << at;
}

// io_uring_submit() may start fewer writes than are queued; the rest start on a later call.
TEST(QueuedWrites, PartialSubmitStartsTheRestLater)
{
	ScriptedQueue q;
	q.submit_limit = 1;
	QueuedWriteResult r = write_queued(q, options(4, 100), 0, 1000);
	EXPECT_EQ(r.errnum, 0);
	expect_written_once(q, 0, 1000);
	EXPECT_EQ(q.started, 10u);
}

// A completion for a slot with no write in flight is a broken queue: EIO, and the writes
// still in flight are abandoned rather than waited for forever.
TEST(QueuedWrites, CompletionOfAnUnknownSlotIsEio)
{
	ScriptedQueue q;
	q.forge_slot = true;
	QueuedWriteResult r = write_queued(q, options(2, 100), 0, 1000);
	EXPECT_EQ(r.errnum, EIO);
	EXPECT_TRUE(r.writes_abandoned);
}

// A write the kernel cancelled (-ECANCELED in its completion) is an error with its offset,
// not the caller's cancellation.
TEST(QueuedWrites, KernelCancelledWriteIsAnError)
{
	ScriptedQueue q;
	q.answer = [](const ScriptedQueue::Write& w, unsigned) {
		return w.at == 200 ? -ECANCELED : static_cast<int>(w.len);
	};
	QueuedWriteResult r = write_queued(q, options(1, 100), 0, 1000);
	EXPECT_FALSE(r.cancelled);
	EXPECT_EQ(r.errnum, ECANCELED);
	EXPECT_EQ(r.failed_at, 200u);
}
