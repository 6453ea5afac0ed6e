#include <gtest/gtest.h>

#include "swapns/namespace_swaps.hpp"

using namespace swapns;

namespace {
const ProcFs fixture_proc(SWAPNS_FIXTURES "/proc");
constexpr std::string_view header = "Type\tFilename\tKind\tSize\tUsed\tPriority\tNamespace\tState\n";
} // namespace

TEST(NamespaceSwaps, OwnDevices)
{
	auto devs = read_namespace_swaps(fixture_proc, 700);
	ASSERT_TRUE(devs) << devs.error().message();
	ASSERT_EQ(devs->size(), 2u);
	EXPECT_EQ((*devs)[0], (SwapDevice{1, "/var/lib/ctr a/swapfile", false, 65532, 1024, -2, 4026532283,
					   SwapDevice::State::own}));
	EXPECT_EQ((*devs)[1], (SwapDevice{2, "/dev/vdb", true, 524284, 0, 5, 4026532283, SwapDevice::State::own}));
}

TEST(NamespaceSwaps, InheritedDevice)
{
	auto devs = read_namespace_swaps(fixture_proc, 701);
	ASSERT_TRUE(devs) << devs.error().message();
	ASSERT_EQ(devs->size(), 1u);
	EXPECT_EQ((*devs)[0].state, SwapDevice::State::inherited);
	EXPECT_EQ((*devs)[0].namespace_inode, 4026531830u);
	EXPECT_EQ(to_string((*devs)[0].state), "inherited");
}

TEST(NamespaceSwaps, KernelWithoutSwapNamespaces)
{
	auto devs = read_namespace_swaps(fixture_proc, 100);
	ASSERT_FALSE(devs);
	EXPECT_EQ(devs.error().errnum(), ENOTSUP);
	EXPECT_NE(devs.error().message().find("CONFIG_SWAP_NS"), std::string::npos) << devs.error().message();
}

TEST(NamespaceSwaps, NoSuchTask)
{
	auto devs = read_namespace_swaps(fixture_proc, 99999);
	ASSERT_FALSE(devs);
	EXPECT_EQ(devs.error().errnum(), ENOENT);
}

TEST(NamespaceSwaps, HeaderOnlyIsEmpty)
{
	auto devs = parse_namespace_swaps(header);
	ASSERT_TRUE(devs) << devs.error().message();
	EXPECT_TRUE(devs->empty());
}

TEST(NamespaceSwaps, ExtraColumnsAreIgnored)
{
	std::string text = "Type\tFilename\tKind\tSize\tUsed\tPriority\tNamespace\tState\tFuture\n"
			   "3\t/s\tfile\t10\t0\t-2\t77\town\tx\n";
	auto devs = parse_namespace_swaps(text);
	ASSERT_TRUE(devs) << devs.error().message();
	ASSERT_EQ(devs->size(), 1u);
	EXPECT_EQ((*devs)[0].type, 3u);
	EXPECT_EQ((*devs)[0].namespace_inode, 77u);
}

// A device swapped on with SWAP_FLAG_RESTORE (kernel patch 0055) during a restore.
TEST(NamespaceSwaps, RestoringDevice)
{
	std::string text = "Type\tFilename\tKind\tSize\tUsed\tPriority\tNamespace\tState\tDevice\tInode\n"
			   "2\t/ctr/swap\tfile\t16380\t1024\t-2\t77\trestoring\t254:1\t12\n";
	auto devs = parse_namespace_swaps(text);
	ASSERT_TRUE(devs) << devs.error().message();
	ASSERT_EQ(devs->size(), 1u);
	EXPECT_EQ((*devs)[0].state, SwapDevice::State::restoring);
	EXPECT_EQ(to_string((*devs)[0].state), "restoring");
}

TEST(NamespaceSwaps, DeviceAndInodeColumns)
{
	std::string text = "Type\tFilename\tKind\tSize\tUsed\tPriority\tNamespace\tState\tDevice\tInode\n"
			   "3\t/s\tfile\t10\t0\t-2\t77\town\t254:1\t12\n"
			   "4\t/dev/vdb\tpartition\t10\t0\t-3\t77\town\t254:16\t0\n"
			   "0\t/host\tfile\t10\t0\t-2\t0\tinherited\t0:0\t0\n";
	auto devs = parse_namespace_swaps(text);
	ASSERT_TRUE(devs) << devs.error().message();
	ASSERT_EQ(devs->size(), 3u);
	EXPECT_EQ((*devs)[0].identity, (FileIdentity{254, 1, 12}));
	EXPECT_EQ((*devs)[1].identity, (FileIdentity{254, 16, 0}));
	// A device above the reader's namespace: the kernel does not say which file it is.
	ASSERT_TRUE((*devs)[2].identity);
	EXPECT_FALSE((*devs)[2].identity->known());
}

TEST(NamespaceSwaps, BadDeviceOrInodeIsMalformed)
{
	for (std::string row : {"3\t/s\tfile\t10\t0\t-2\t77\town\t254\t12\n",
				"3\t/s\tfile\t10\t0\t-2\t77\town\t254:1\tx\n",
				"3\t/s\tfile\t10\t0\t-2\t77\town\n"}) {
		auto devs = parse_namespace_swaps(
			"Type\tFilename\tKind\tSize\tUsed\tPriority\tNamespace\tState\tDevice\tInode\n" + row);
		ASSERT_FALSE(devs) << row;
		EXPECT_NE(devs.error().message().find("malformed swaps file"), std::string::npos);
	}
}

TEST(NamespaceSwaps, MalformedInputNamesTheProblem)
{
	struct Case {
		std::string text;
		std::string expect;
	} cases[] = {
		{"", "no header line"},
		{"Filename\tType\n", "no header line"},
		{std::string(header) + "1\t/s\tfile\t10\t0\t-2\t77\n", "fewer than 8 columns"},
		{std::string(header) + "32\t/s\tfile\t10\t0\t-2\t77\town\n", "bad swap type"},
		{std::string(header) + "1\t/s\\04\tfile\t10\t0\t-2\t77\town\n", "bad escape in path"},
		{std::string(header) + "1\t/s\\089\tfile\t10\t0\t-2\t77\town\n", "bad escape in path"},
		{std::string(header) + "1\t/s\tdisk\t10\t0\t-2\t77\town\n", "unknown kind 'disk'"},
		{std::string(header) + "1\t/s\tfile\t1x\t0\t-2\t77\town\n", "bad number"},
		{std::string(header) + "1\t/s\tfile\t10\t0\t\t77\town\n", "bad number"},
		{std::string(header) + "1\t/s\tfile\t10\t0\t-2\t77\tlent\n", "unknown state 'lent'"},
		// KiB whose bytes would not fit in 64 bits.
		{std::string(header) + "1\t/s\tfile\t18014398509481984\t0\t-2\t77\town\n", "size out of range"},
		{std::string(header) + "1\t/s\tfile\t10\t18014398509481984\t-2\t77\town\n", "size out of range"},
	};
	for (const auto& c : cases) {
		auto devs = parse_namespace_swaps(c.text);
		ASSERT_FALSE(devs) << c.text;
		EXPECT_EQ(devs.error().errnum(), 0);
		EXPECT_NE(devs.error().message().find(c.expect), std::string::npos)
			<< "input: " << c.text << "\nmessage: " << devs.error().message();
	}
}

TEST(NamespaceSwaps, ThreadDirectoryReadsLikeAProcess)
{
	const std::filesystem::path thread = SWAPNS_FIXTURES "/proc-census/900/task/902";
	auto inode = read_swap_namespace_inode(thread);
	ASSERT_TRUE(inode) << inode.error().message();
	EXPECT_EQ(*inode, 4026532300u); // not the namespace of its process (/proc-census/900)
	auto devs = read_namespace_swaps(thread);
	ASSERT_TRUE(devs) << devs.error().message();
	ASSERT_EQ(devs->size(), 1u);
	EXPECT_EQ((*devs)[0].namespace_inode, 4026532300u);
}

TEST(NamespaceSwaps, MalformedFileIsNamed)
{
	auto devs = read_namespace_swaps(std::filesystem::path(SWAPNS_FIXTURES "/proc-census/1000"));
	ASSERT_FALSE(devs);
	EXPECT_EQ(devs.error().errnum(), 0);
	EXPECT_NE(devs.error().message().find("/proc-census/1000/swaps: malformed swaps file"), std::string::npos)
		<< devs.error().message();
}
