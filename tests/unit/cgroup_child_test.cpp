#include <gtest/gtest.h>

#include "swapns/cgroup_child.hpp"

#include <stdlib.h>

#include <fstream>
#include <iterator>

using namespace swapns;

TEST(CgroupChild, FindsTheCgroup2Mount)
{
	auto mountpoints = [](const char* mountinfo) {
		std::vector<std::string> out;
		for (const auto& m : cgroup2_mounts(mountinfo))
			out.push_back(m.mountpoint);
		return out;
	};
	EXPECT_EQ(mountpoints("22 28 0:21 / /proc rw shared:13 - proc proc rw\n"
			      "31 26 0:27 / /sys/fs/cgroup/unified rw shared:10 - cgroup2 cgroup2 rw\n"),
		  std::vector<std::string>{"/sys/fs/cgroup/unified"});
	// Optional fields vary in number; "cgroup" (v1) is not cgroup2.
	EXPECT_TRUE(mountpoints("40 26 0:35 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n").empty());
	EXPECT_EQ(mountpoints("30 26 0:26 / /cg rw shared:9 master:2 - cgroup2 none rw\n"),
		  std::vector<std::string>{"/cg"});
}

TEST(CgroupChild, OwnCgroupFromProc)
{
	auto dir = own_cgroup_dir(SWAPNS_FIXTURES "/proc-cgroup");
	ASSERT_TRUE(dir) << dir.error().message();
	EXPECT_EQ(*dir, "/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope");
}

TEST(CgroupChild, NoCgroup2MountIsExplained)
{
	// The plain fixture tree has neither file: the read error names the file.
	auto dir = own_cgroup_dir(SWAPNS_FIXTURES "/proc");
	ASSERT_FALSE(dir);
	EXPECT_NE(dir.error().context().find("mountinfo"), std::string::npos) << dir.error().message();
}

// A cgroup2 mount shows its ROOT (a bind mount of a subtree, or a mount made in a cgroup
// namespace) at its mount point, and mountinfo writes a space in a path as \040: the caller's
// cgroup is found under the mount that shows it, by its real path.
TEST(CgroupChild, OwnCgroupUnderASubtreeMountWithEscapes)
{
	auto dir = own_cgroup_dir(SWAPNS_FIXTURES "/proc-cgroup-bind");
	ASSERT_TRUE(dir) << dir.error().message();
	EXPECT_EQ(*dir, "/run/my cgroups/user-1000.slice/job.scope");
	auto mounts = cgroup2_mounts("31 26 0:26 /a\\134b /x\\011y rw - cgroup2 cgroup2 rw\n");
	ASSERT_EQ(mounts.size(), 1u);
	EXPECT_EQ(mounts[0].root, "/a\\b");
	EXPECT_EQ(mounts[0].mountpoint, "/x\ty");
}

namespace {

// A stand-in for a cgroup v2 directory: cgroup.subtree_control as the kernel shows it.
struct FakeCgroup {
	std::filesystem::path path;
	FakeCgroup()
	{
		char tmpl[] = "/tmp/swapns-cgroup-child-XXXXXX";
		path = ::mkdtemp(tmpl);
		set_subtree_control("");
	}
	~FakeCgroup() { std::filesystem::remove_all(path); }
	void set_subtree_control(const std::string& text) const
	{
		std::ofstream(path / "cgroup.subtree_control", std::ios::trunc) << text;
	}
	std::string subtree_control() const
	{
		std::ifstream in(path / "cgroup.subtree_control");
		return {std::istreambuf_iterator<char>(in), {}};
	}
};

} // namespace

// The first of two swapns processes turns the memory controller on; the second finds it on.
// When the first is done while the second's child is still there, it must leave the
// controller on: turning it off would take the second container's limits with it.
TEST(CgroupChild, LeavesTheControllerOnWhileAnotherChildNeedsIt)
{
	FakeCgroup parent;
	auto first = CgroupChild::create(parent.path, "swapns-1", {});
	ASSERT_TRUE(first) << first.error().message();
	EXPECT_EQ(parent.subtree_control(), "+memory");
	parent.set_subtree_control("memory"); // as the kernel shows it once on
	{
		auto second = CgroupChild::create(parent.path, "swapns-2", {});
		ASSERT_TRUE(second) << second.error().message();
		EXPECT_EQ(parent.subtree_control(), "memory") << "the second found it on";
		{
			auto done = std::move(*first);
		}
		EXPECT_FALSE(std::filesystem::exists(parent.path / "swapns-1"));
		EXPECT_EQ(parent.subtree_control(), "memory") << "turned off under the second's child";
	}
	EXPECT_FALSE(std::filesystem::exists(parent.path / "swapns-2"));
	EXPECT_EQ(parent.subtree_control(), "memory") << "the second did not turn it on";
}

TEST(CgroupChild, TurnsTheControllerOffWhenItsChildWasTheLast)
{
	FakeCgroup parent;
	{
		auto only = CgroupChild::create(parent.path, "swapns-1", {});
		ASSERT_TRUE(only) << only.error().message();
		parent.set_subtree_control("memory");
	}
	EXPECT_FALSE(std::filesystem::exists(parent.path / "swapns-1"));
	EXPECT_EQ(parent.subtree_control(), "-memory");
}
