// What swapns checkpoint takes as a container: a process tree whose tasks are exactly the
// processes of one cgroup v2 subtree and of one swap namespace (not the caller's, and no
// namespace below it). Read from /proc and the cgroup filesystem into a snapshot, then
// checked as plain data, so that every refusal can be tested on fixtures.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "swapns/proc_fs.hpp"
#include "swapns/result.hpp"

namespace swapns {

struct ContainerProcess {
	pid_t pid = 0;       // in the caller's PID namespace
	pid_t inner_pid = 0; // in the process's own PID namespace (last NSpid field)
	pid_t ppid = 0;
	uint64_t swap_ns = 0; // inode of /proc/PID/ns/swap
	std::string cgroup;   // its cgroup v2 path ("/a/b"), from /proc/PID/cgroup
	std::string name;
};

struct ContainerSnapshot {
	pid_t root = 0;
	uint64_t caller_swap_ns = 0;
	// Every process on the host that is in the root's swap namespace, in the root's cgroup
	// subtree, or a descendant of the root (each once, any order).
	std::vector<ContainerProcess> processes;
};

struct Container {
	pid_t root = 0;
	uint64_t swap_ns = 0;
	std::string cgroup; // the root's cgroup path; every process is in it or below it
	std::vector<ContainerProcess> processes; // the tree, the root first, then by pid
};

// EINVAL (refusal) with what differs: the root in the caller's own swap namespace or in the
// root cgroup; a process of the tree in another swap namespace (nesting) or outside the cgroup;
// a process of the cgroup or the namespace that is not in the tree.
Result<Container> check_container(const ContainerSnapshot& snapshot);

// Scans @proc for the snapshot of the container rooted at @root. ESRCH for a root that does
// not exist; errors of reading @proc otherwise (processes that exit meanwhile are left out).
Result<ContainerSnapshot> read_container_snapshot(const ProcFs& proc, pid_t root);

// Whether cgroup path @path is @dir or below it.
bool cgroup_within(const std::string& path, const std::string& dir);

} // namespace swapns
