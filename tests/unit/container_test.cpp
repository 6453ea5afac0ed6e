#include "swapns/container.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace swapns;

namespace {

constexpr uint64_t host_ns = 100, box_ns = 200, nested_ns = 300;

ContainerProcess proc(pid_t pid, pid_t ppid, uint64_t ns, std::string cgroup, pid_t inner = 0)
{
	return {pid, inner ? inner : pid, ppid, ns, std::move(cgroup), "p" + std::to_string(pid)};
}

// swapns unshare (10, host) started 20, which forked 21 and 22; 21 forked 23.
ContainerSnapshot box()
{
	ContainerSnapshot s;
	s.root = 20;
	s.caller_swap_ns = host_ns;
	s.processes = {proc(1, 0, host_ns, "/init.scope"), proc(10, 1, host_ns, "/user/swapns-10.supervisor"),
		       proc(20, 10, box_ns, "/user/swapns-10", 1), proc(21, 20, box_ns, "/user/swapns-10", 2),
		       proc(22, 20, box_ns, "/user/swapns-10/sub", 3), proc(23, 21, box_ns, "/user/swapns-10", 4),
		       proc(30, 1, host_ns, "/user/swapns-100")};
	return s;
}

void expect_refused(const ContainerSnapshot& s, const std::string& says)
{
	auto c = check_container(s);
	ASSERT_FALSE(c.ok()) << "accepted; expected: " << says;
	EXPECT_NE(c.error().message().find(says), std::string::npos) << c.error().message();
}

} // namespace

TEST(Container, TakesATreeThatIsItsCgroupAndNamespace)
{
	auto c = check_container(box());
	ASSERT_TRUE(c.ok()) << c.error().message();
	EXPECT_EQ(c->cgroup, "/user/swapns-10");
	EXPECT_EQ(c->swap_ns, box_ns);
	ASSERT_EQ(c->processes.size(), 4u);
	EXPECT_EQ(c->processes[0].pid, 20); // the root first
	EXPECT_EQ(c->processes[1].pid, 21);
	EXPECT_EQ(c->processes[3].pid, 23);
	EXPECT_EQ(c->processes[3].inner_pid, 4);
}

TEST(Container, RefusesTheCallersNamespaceAndTheRootCgroup)
{
	auto s = box();
	s.root = 10;
	expect_refused(s, "process 10 (p10) is in your own swap namespace");
	s = box();
	for (auto& p : s.processes)
		if (p.swap_ns == box_ns)
			p.cgroup = "/";
	expect_refused(s, "is in the root cgroup");
	s.root = 99;
	expect_refused(s, "process 99 does not exist");
}

TEST(Container, RefusesNestedNamespaces)
{
	auto s = box();
	s.processes[5].swap_ns = nested_ns; // 23 unshared its own
	expect_refused(s, "process 23 (p23), below 20, is in another swap namespace: nested swap namespaces are not checkpointed");
}

TEST(Container, RefusesATreeLeavingItsCgroup)
{
	auto s = box();
	s.processes[4].cgroup = "/user/elsewhere";
	expect_refused(s, "process 22 (p22), below 20, is in cgroup /user/elsewhere, outside /user/swapns-10");
	// A sibling cgroup whose name starts the same is outside too.
	s = box();
	s.processes[4].cgroup = "/user/swapns-100";
	expect_refused(s, "outside /user/swapns-10");
}

TEST(Container, RefusesProcessesOfTheCgroupOrNamespaceOutsideTheTree)
{
	auto s = box();
	s.processes.push_back(proc(40, 1, host_ns, "/user/swapns-10/sub"));
	expect_refused(s, "process 40 (p40) is in cgroup /user/swapns-10/sub of 20 but not below it");
	s = box();
	s.processes.push_back(proc(41, 1, box_ns, "/other")); // setns'd in from outside
	expect_refused(s, "process 41 (p41) is in the swap namespace of 20 but not below it");
}

TEST(Container, CgroupWithinIsByPathComponent)
{
	EXPECT_TRUE(cgroup_within("/a/b", "/a"));
	EXPECT_TRUE(cgroup_within("/a", "/a"));
	EXPECT_FALSE(cgroup_within("/ab", "/a"));
	EXPECT_TRUE(cgroup_within("/x", "/"));
}

TEST(Container, RefusesNestedPidNamespaces)
{
	auto s = box();
	s.processes[5].inner_pid = 1; // 23 is the first process of a PID namespace of its own
	expect_refused(s, "process 23 (p23) and process 20 are both PID 1 in their PID namespaces: nested PID namespaces");
}
