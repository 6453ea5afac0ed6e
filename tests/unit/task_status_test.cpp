#include <gtest/gtest.h>

#include "swapns/task_status.hpp"

using namespace swapns;

namespace {
const ProcFs fixture_proc(SWAPNS_FIXTURES "/proc");
}

TEST(TaskStatus, ProcessOwningItsMm)
{
	auto st = read_task_status(fixture_proc, 100);
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(st->name, "postgres");
	EXPECT_EQ(st->pid, 100);
	EXPECT_EQ(st->tgid, 100);
	EXPECT_EQ(st->ppid, 1);
	EXPECT_FALSE(st->kernel_thread);
	EXPECT_EQ(st->mm_owner, (MmOwner{MmOwner::State::task, 100}));
}

TEST(TaskStatus, ThreadSeesLeaderAsOwner)
{
	auto st = read_task_status(fixture_proc, 101);
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(st->pid, 101);
	EXPECT_EQ(st->tgid, 100);
	EXPECT_EQ(st->mm_owner, (MmOwner{MmOwner::State::task, 100}));
}

TEST(TaskStatus, KernelThreadHasNoMm)
{
	auto st = read_task_status(fixture_proc, 2);
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_TRUE(st->kernel_thread);
	EXPECT_EQ(st->mm_owner.state, MmOwner::State::no_mm);
}

TEST(TaskStatus, KernelWithoutMmOwnerLine)
{
	auto st = read_task_status(fixture_proc, 300);
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(st->mm_owner.state, MmOwner::State::unsupported);
}

TEST(TaskStatus, ZeroMeansNoVisibleOwner)
{
	auto st = read_task_status(fixture_proc, 400);
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(st->mm_owner, (MmOwner{MmOwner::State::none, 0}));
}

TEST(TaskStatus, MissingPidIsMalformed)
{
	auto st = read_task_status(fixture_proc, 500);
	ASSERT_FALSE(st);
	EXPECT_EQ(st.error().errnum(), 0);
	EXPECT_NE(st.error().message().find("no Pid line"), std::string::npos) << st.error().message();
	EXPECT_NE(st.error().message().find("500/status"), std::string::npos) << st.error().message();
}

TEST(TaskStatus, NonNumericOwnerIsMalformed)
{
	auto st = read_task_status(fixture_proc, 600);
	ASSERT_FALSE(st);
	EXPECT_NE(st.error().message().find("MmOwner is 'x7'"), std::string::npos) << st.error().message();
}

TEST(TaskStatus, MissingTaskIsEnoent)
{
	auto st = read_task_status(fixture_proc, 4242);
	ASSERT_FALSE(st);
	EXPECT_EQ(st.error().errnum(), ENOENT);
}

TEST(TaskStatus, ParsesKeysExactly)
{
	// "PPid" and "TracerPid" must not be taken for "Pid".
	auto st = parse_task_status("Name:\tx\nTgid:\t7\nPPid:\t3\nTracerPid:\t9\nPid:\t8\n");
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(st->pid, 8);
	EXPECT_EQ(st->ppid, 3);
	EXPECT_EQ(st->mm_owner.state, MmOwner::State::no_mm);
}

TEST(TaskStatus, ReadsLiveProcOfThisProcess)
{
	auto st = read_task_status(ProcFs(), getpid());
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(st->pid, getpid());
	// A stock host kernel has no MmOwner; a patched one reports this process as owner.
	if (st->mm_owner.state != MmOwner::State::unsupported)
		EXPECT_EQ(st->mm_owner, (MmOwner{MmOwner::State::task, getpid()}));
}

TEST(TaskStatus, InnerPidIsTheLastNSpidField)
{
	auto s = parse_task_status("Name:\tsh\nTgid:\t700\nPid:\t700\nPPid:\t1\nNSpid:\t700\t12\t3\n");
	ASSERT_TRUE(s.ok());
	EXPECT_EQ(s->inner_pid, 3);
	auto old = parse_task_status("Name:\tsh\nTgid:\t70\nPid:\t70\nPPid:\t1\n");
	ASSERT_TRUE(old.ok());
	EXPECT_EQ(old->inner_pid, 70); // no NSpid line: the PID itself
	EXPECT_FALSE(parse_task_status("Tgid:\t7\nPid:\t7\nNSpid:\t7\tx\n").ok());
}
