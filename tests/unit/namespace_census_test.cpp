#include <gtest/gtest.h>

#include "swapns/namespace_census.hpp"

using namespace swapns;

namespace {

const ProcFs census_proc(SWAPNS_FIXTURES "/proc-census");

constexpr uint64_t initial_ns = 4026531830; // PROC_SWAP_INIT_INO
constexpr uint64_t ns_a = 4026532283;
constexpr uint64_t ns_b = 4026532290;
constexpr uint64_t ns_c = 4026532300;
constexpr uint64_t ns_d = 4026532310;

SwapNamespaceCensus take_census()
{
	auto census = take_swap_namespace_census(census_proc);
	if (!census)
		ADD_FAILURE() << census.error().message();
	return census ? std::move(census).value() : SwapNamespaceCensus{};
}

const SwapNamespaceEntry* find(const SwapNamespaceCensus& census, uint64_t inode)
{
	for (const auto& ns : census.namespaces)
		if (ns.inode == inode)
			return &ns;
	return nullptr;
}

} // namespace

TEST(NamespaceCensus, EveryNamespaceOnceInInodeOrder)
{
	auto census = take_census();
	std::vector<uint64_t> inodes;
	for (const auto& ns : census.namespaces)
		inodes.push_back(ns.inode);
	EXPECT_EQ(inodes, (std::vector<uint64_t>{initial_ns, ns_a, ns_b, ns_c, ns_d}));
	EXPECT_TRUE(census.inaccessible.empty());
}

TEST(NamespaceCensus, MembersIncludeKernelThreadsAndThreadsInOtherNamespaces)
{
	auto census = take_census();
	auto* init = find(census, initial_ns);
	auto* c = find(census, ns_c);
	ASSERT_TRUE(init && c);
	// 2 is kthreadd; 900's main thread is in the initial namespace, its thread 902 in C.
	EXPECT_EQ(init->members, (std::vector<pid_t>{1, 2, 900}));
	EXPECT_EQ(c->members, (std::vector<pid_t>{900}));
	// C's devices can only have come from /proc/900/task/902/swaps.
	ASSERT_TRUE(c->devices) << c->devices.error().message();
	ASSERT_EQ(c->devices->size(), 1u);
	EXPECT_EQ((*c->devices)[0].path, "/var/lib/ctr-c/swapfile");
}

TEST(NamespaceCensus, VanishedAndZombieTasksAreLeftOut)
{
	auto census = take_census();
	for (const auto& ns : census.namespaces)
		for (pid_t pid : ns.members)
			EXPECT_TRUE(pid != 950 && pid != 960) << pid << " in " << ns.inode;
}

TEST(NamespaceCensus, DevicesAreReadThroughAMemberThatIsStillThere)
{
	// 700 is A's first member but exited before its swaps could be read.
	auto census = take_census();
	auto* a = find(census, ns_a);
	ASSERT_TRUE(a);
	EXPECT_EQ(a->members, (std::vector<pid_t>{700, 701}));
	ASSERT_TRUE(a->devices) << a->devices.error().message();
	ASSERT_EQ(a->devices->size(), 2u);
	EXPECT_EQ((*a->devices)[0], (SwapDevice{1, "/var/lib/ctr a/swapfile", false, 65532, 1024, -2, ns_a,
						SwapDevice::State::own}));
	EXPECT_EQ((*a->devices)[1], (SwapDevice{2, "/dev/vdb", true, 524284, 0, 5, ns_a, SwapDevice::State::own}));
	EXPECT_EQ(a->size_kib(), 65532u + 524284u);
	EXPECT_EQ(a->used_kib(), 1024u);
}

TEST(NamespaceCensus, UsageCountsOwnAndDrainingDevicesNotAnAncestors)
{
	auto census = take_census();
	auto* init = find(census, initial_ns);
	auto* b = find(census, ns_b);
	ASSERT_TRUE(init && b);
	ASSERT_TRUE(init->devices) << init->devices.error().message();
	ASSERT_EQ(init->devices->size(), 2u);
	EXPECT_EQ((*init->devices)[1].state, SwapDevice::State::draining);
	EXPECT_EQ(init->size_kib(), 1048572u + 262140u);
	EXPECT_EQ(init->used_kib(), 4096u + 1024u);
	EXPECT_EQ(init->size_bytes(), (1048572u + 262140u) * 1024u);
	EXPECT_EQ(init->used_bytes(), (4096u + 1024u) * 1024u);

	// B swaps to the initial namespace's devices, and sees its draining one too.
	ASSERT_TRUE(b->devices) << b->devices.error().message();
	ASSERT_EQ(b->devices->size(), 2u);
	EXPECT_EQ((*b->devices)[0].state, SwapDevice::State::inherited);
	EXPECT_EQ((*b->devices)[0].namespace_inode, initial_ns);
	EXPECT_EQ((*b->devices)[1].state, SwapDevice::State::draining);
	EXPECT_EQ((*b->devices)[1].namespace_inode, initial_ns);
	EXPECT_EQ(b->size_kib(), 0u);
	EXPECT_EQ(b->used_kib(), 0u);
	EXPECT_EQ(b->size_bytes(), 0u);
}

// Sums that do not fit in 64 bits stay at the largest number rather than wrap to a small one.
TEST(NamespaceCensus, UsageSaturates)
{
	constexpr uint64_t largest_kib = UINT64_MAX / 1024; // what the parser lets through
	SwapNamespaceEntry ns;
	ns.inode = ns_a;
	ns.devices = std::vector<SwapDevice>{
		{0, "/a", false, largest_kib, largest_kib, -2, ns_a, SwapDevice::State::own},
		{1, "/b", false, 2, 1, -3, ns_a, SwapDevice::State::own},
	};
	EXPECT_EQ(ns.size_kib(), largest_kib + 2);
	EXPECT_EQ(ns.size_bytes(), UINT64_MAX);
	EXPECT_EQ(ns.used_bytes(), UINT64_MAX);
	ns.devices->pop_back();
	EXPECT_EQ(ns.size_bytes(), largest_kib * 1024);
	ns.devices->front().size_kib = UINT64_MAX;
	ns.devices->push_back(ns.devices->front());
	EXPECT_EQ(ns.size_kib(), UINT64_MAX);
}

TEST(NamespaceCensus, UnreadableDevicesAreReportedForTheirNamespaceOnly)
{
	auto census = take_census();
	auto* d = find(census, ns_d);
	ASSERT_TRUE(d);
	ASSERT_FALSE(d->devices);
	EXPECT_NE(d->devices.error().message().find("proc-census/1000/swaps: malformed swaps file: no header line"),
		  std::string::npos)
		<< d->devices.error().message();
	EXPECT_EQ(d->size_kib(), 0u);
	EXPECT_EQ(d->used_kib(), 0u);
}

TEST(NamespaceCensus, CallersNamespaceIsMarked)
{
	auto census = take_census();
	for (const auto& ns : census.namespaces)
		EXPECT_EQ(ns.self, ns.inode == initial_ns) << ns.inode; // /proc/self -> 1
}

TEST(NamespaceCensus, ParentsAreUnknownWithoutNsfs)
{
	// The fixture's ns/swap links lead nowhere, so NS_GET_PARENT cannot be asked.
	auto census = take_census();
	for (const auto& ns : census.namespaces)
		EXPECT_FALSE(ns.parent) << ns.inode;
	auto ancestry = read_swap_namespace_ancestry(census_proc.root() / "1");
	ASSERT_FALSE(ancestry);
	EXPECT_EQ(ancestry.error().errnum(), ENOENT);
}

TEST(NamespaceCensus, KernelWithoutSwapNamespaces)
{
	auto census = take_swap_namespace_census(ProcFs(SWAPNS_FIXTURES "/proc-noswapns"));
	ASSERT_FALSE(census);
	EXPECT_EQ(census.error().errnum(), ENOTSUP);
	EXPECT_NE(census.error().message().find("this kernel has no swap namespaces"), std::string::npos)
		<< census.error().message();
	EXPECT_NE(census.error().message().find("CONFIG_SWAP_NS=y"), std::string::npos) << census.error().message();
}

TEST(NamespaceCensus, NoProcfs)
{
	auto census = take_swap_namespace_census(ProcFs(SWAPNS_FIXTURES "/no-such-proc"));
	ASSERT_FALSE(census);
	EXPECT_EQ(census.error().errnum(), ENOENT);
	EXPECT_NE(census.error().message().find("listing "), std::string::npos) << census.error().message();
}
