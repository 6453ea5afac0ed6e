#include "swapns/container.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "swapns/file_io.hpp"
#include "swapns/namespace_swaps.hpp"
#include "swapns/task_status.hpp"

namespace swapns {

bool cgroup_within(const std::string& path, const std::string& dir)
{
	if (dir == "/")
		return true;
	return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
			       path[dir.size()] == '/');
}

namespace {

std::string describe(const ContainerProcess& p)
{
	return "process " + std::to_string(p.pid) + (p.name.empty() ? "" : " (" + p.name + ")");
}

} // namespace

Result<Container> check_container(const ContainerSnapshot& s)
{
	std::map<pid_t, const ContainerProcess*> by_pid;
	for (const auto& p : s.processes)
		by_pid.emplace(p.pid, &p);
	auto root_it = by_pid.find(s.root);
	if (root_it == by_pid.end())
		return Error::refusal(ESRCH, "process " + std::to_string(s.root) + " does not exist");
	const ContainerProcess& root = *root_it->second;
	if (root.swap_ns == s.caller_swap_ns)
		return Error::refusal(EINVAL, describe(root) + " is in your own swap namespace: give the first "
							       "process of a container (one started with 'swapns unshare')");
	if (root.cgroup.empty() || root.cgroup == "/")
		return Error::refusal(EINVAL, describe(root) + " is in the root cgroup: a container has a "
							       "cgroup of its own (swapns unshare --memory-max makes one)");

	// The tree: the root and its descendants.
	std::multimap<pid_t, const ContainerProcess*> children;
	for (const auto& p : s.processes)
		children.emplace(p.ppid, &p);
	std::set<pid_t> tree{s.root};
	std::vector<pid_t> todo{s.root};
	while (!todo.empty()) {
		pid_t parent = todo.back();
		todo.pop_back();
		auto [b, e] = children.equal_range(parent);
		for (auto it = b; it != e; ++it)
			if (tree.insert(it->second->pid).second)
				todo.push_back(it->second->pid);
	}
	for (pid_t pid : tree) {
		const ContainerProcess& p = *by_pid[pid];
		if (p.swap_ns != root.swap_ns)
			return Error::refusal(EINVAL, describe(p) + ", below " + std::to_string(s.root) +
							      ", is in another swap namespace: nested swap "
							      "namespaces are not checkpointed");
		if (!cgroup_within(p.cgroup, root.cgroup))
			return Error::refusal(EINVAL, describe(p) + ", below " + std::to_string(s.root) +
							      ", is in cgroup " + p.cgroup + ", outside " + root.cgroup +
							      ": the tree, its cgroup and its swap namespace must "
							      "hold the same processes");
	}
	for (const auto& p : s.processes) {
		if (tree.count(p.pid))
			continue;
		if (p.swap_ns == root.swap_ns)
			return Error::refusal(EINVAL, describe(p) + " is in the swap namespace of " +
							      std::to_string(s.root) + " but not below it: the "
							      "container's tree must hold every process of its namespace");
		if (cgroup_within(p.cgroup, root.cgroup))
			return Error::refusal(EINVAL, describe(p) + " is in cgroup " + p.cgroup + " of " +
							      std::to_string(s.root) + " but not below it: the "
							      "container's tree must hold every process of its cgroup");
	}
	// The image names processes by their PID in their own PID namespace, as CRIU restores
	// them: two with the same one (a PID namespace inside the container) cannot be told apart.
	std::map<pid_t, pid_t> inner_seen;
	for (pid_t pid : tree) {
		const ContainerProcess& p = *by_pid[pid];
		auto [it, fresh] = inner_seen.emplace(p.inner_pid, p.pid);
		if (!fresh)
			return Error::refusal(EINVAL, describe(p) + " and process " + std::to_string(it->second) +
							      " are both PID " + std::to_string(p.inner_pid) +
							      " in their PID namespaces: nested PID namespaces are not "
							      "checkpointed");
	}
	Container c;
	c.root = s.root;
	c.swap_ns = root.swap_ns;
	c.cgroup = root.cgroup;
	c.processes.push_back(root);
	for (pid_t pid : tree) // std::set: by pid
		if (pid != s.root)
			c.processes.push_back(*by_pid[pid]);
	return c;
}

namespace {

// The cgroup v2 path in the text of /proc/PID/cgroup (the "0::" line), or empty.
std::string cgroup2_path(const std::string& text)
{
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);)
		if (line.rfind("0::", 0) == 0)
			return line.substr(3);
	return {};
}

} // namespace

Result<ContainerSnapshot> read_container_snapshot(const ProcFs& proc, pid_t root)
{
	ContainerSnapshot s;
	s.root = root;
	auto self_ns = read_swap_namespace_inode(proc.root() / "self");
	if (!self_ns)
		return self_ns.error();
	s.caller_swap_ns = *self_ns;
	auto root_status = read_task_status(proc, root);
	if (!root_status) {
		if (root_status.error().errnum() == ENOENT)
			return Error::refusal(ESRCH, "process " + std::to_string(root) + " does not exist");
		return root_status.error();
	}
	std::error_code ec;
	std::vector<ContainerProcess> all;
	for (std::filesystem::directory_iterator it(proc.root(), ec), end; !ec && it != end; it.increment(ec)) {
		const std::string name = it->path().filename().string();
		if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit))
			continue;
		pid_t pid = static_cast<pid_t>(std::stol(name));
		auto status = read_task_status(proc, pid);
		if (!status || status->kernel_thread)
			continue; // gone meanwhile, or a kernel thread: in no container
		ContainerProcess p;
		p.pid = pid;
		p.inner_pid = status->inner_pid;
		p.ppid = status->ppid;
		p.name = status->name;
		auto ns = read_swap_namespace_inode(proc, pid);
		if (!ns)
			continue; // exited, or not ours to read: then it is in no container of ours
		p.swap_ns = *ns;
		auto cg = read_small_file(proc.task_dir(pid) / "cgroup");
		if (!cg)
			continue;
		p.cgroup = cgroup2_path(*cg);
		all.push_back(std::move(p));
	}
	if (ec)
		return Error(ec.value(), "listing " + proc.root().string());
	// Every process: a descendant of the root may be in neither the namespace nor the
	// cgroup, which is what the check must see.
	s.processes = std::move(all);
	return s;
}

} // namespace swapns
