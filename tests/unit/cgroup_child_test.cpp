#include <gtest/gtest.h>

#include "swapns/cgroup_child.hpp"

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
