#include "swapns/namespace_census.hpp"

#include "swapns/parse.hpp"

#include <algorithm>
#include <map>
#include <string_view>

namespace swapns {

namespace {

std::optional<pid_t> parse_id(std::string_view name)
{
	auto id = parse_decimal<pid_t>(name);
	if (!id || *id <= 0)
		return std::nullopt;
	return id;
}

// The numeric entries of dir, ascending: PIDs in /proc, TIDs in /proc/PID/task.
Result<std::vector<pid_t>> numeric_entries(const std::filesystem::path& dir)
{
	std::vector<pid_t> ids;
	std::error_code ec;
	for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
		if (auto id = parse_id(it->path().filename().native()))
			ids.push_back(*id);
	}
	if (ec)
		return Error(ec.value(), "listing " + dir.string());
	std::sort(ids.begin(), ids.end());
	return ids;
}

// The procfs directories of the threads of process pid (/proc/PID/task/TID), since a thread
// may be in another swap namespace than its process. A process without a task directory (a
// test fixture, or one that just exited) stands for itself.
std::vector<std::filesystem::path> thread_dirs(const ProcFs& proc, pid_t pid)
{
	auto process_dir = proc.task_dir(pid);
	auto tids = numeric_entries(process_dir / "task");
	if (!tids || tids->empty())
		return {process_dir};
	std::vector<std::filesystem::path> dirs;
	for (pid_t tid : *tids)
		dirs.push_back(process_dir / "task" / std::to_string(tid));
	return dirs;
}

// The task exited (ESRCH: it is a zombie) while we looked at it.
bool vanished(const Error& error)
{
	return error.errnum() == ENOENT || error.errnum() == ESRCH;
}

// A namespace as the scan of /proc finds it.
struct Sighting {
	std::vector<pid_t> members;
	std::vector<std::filesystem::path> threads; // of its members, in it at the time of the scan
};

// Devices as /proc/PID/swaps of one thread of the namespace shows them, and that thread.
struct DeviceReading {
	Result<std::vector<SwapDevice>> devices;
	std::filesystem::path thread_dir;
};

// Reads the devices through the first thread still there and still in the namespace: tasks
// exit and change namespaces while we look. Nothing when all of them are gone.
std::optional<DeviceReading> read_devices(uint64_t inode, const Sighting& sighting)
{
	for (const auto& dir : sighting.threads) {
		auto devices = read_namespace_swaps(dir);
		if (!devices && vanished(devices.error()))
			continue;
		// A thread that moved may have shown another namespace's devices.
		auto still = read_swap_namespace_inode(dir);
		if (!still || *still != inode)
			continue;
		return DeviceReading{std::move(devices), dir};
	}
	return std::nullopt;
}

Error no_swap_namespaces(const ProcFs& proc)
{
	return Error::refusal(ENOTSUP, "this kernel has no swap namespaces (no " + (proc.root() / "PID/ns/swap").string() +
				      "; it needs the swapns kernel series with CONFIG_SWAP_NS=y)");
}

} // namespace

namespace {

// The sum of FIELD * UNIT over the devices that belong to NS, UINT64_MAX if it does not fit.
uint64_t own_total(const SwapNamespaceEntry& ns, uint64_t SwapDevice::*field, uint64_t unit)
{
	uint64_t sum = 0;
	if (ns.devices)
		for (const auto& d : *ns.devices) {
			uint64_t amount = 0;
			if (d.namespace_inode != ns.inode)
				continue;
			if (__builtin_mul_overflow(d.*field, unit, &amount) || __builtin_add_overflow(sum, amount, &sum))
				return UINT64_MAX;
		}
	return sum;
}

} // namespace

uint64_t SwapNamespaceEntry::size_kib() const
{
	return own_total(*this, &SwapDevice::size_kib, 1);
}

uint64_t SwapNamespaceEntry::used_kib() const
{
	return own_total(*this, &SwapDevice::used_kib, 1);
}

uint64_t SwapNamespaceEntry::size_bytes() const
{
	return own_total(*this, &SwapDevice::size_kib, 1024);
}

uint64_t SwapNamespaceEntry::used_bytes() const
{
	return own_total(*this, &SwapDevice::used_kib, 1024);
}

Result<SwapNamespaceCensus> take_swap_namespace_census(const ProcFs& proc)
{
	auto pids = numeric_entries(proc.root());
	if (!pids)
		return pids.error();

	SwapNamespaceCensus census;
	std::map<uint64_t, Sighting> sightings;
	bool without_swap_namespace = false;
	for (pid_t pid : *pids) {
		for (const auto& dir : thread_dirs(proc, pid)) {
			auto inode = read_swap_namespace_inode(dir);
			if (inode) {
				Sighting& s = sightings[*inode];
				if (s.members.empty() || s.members.back() != pid)
					s.members.push_back(pid);
				s.threads.push_back(dir);
			} else if (inode.error().errnum() == ENOTSUP) {
				// Also what a zombie looks like on a kernel with swap namespaces.
				without_swap_namespace = true;
			} else if (inode.error().errnum() == EACCES) {
				if (census.inaccessible.empty() || census.inaccessible.back() != pid)
					census.inaccessible.push_back(pid);
			} else if (!vanished(inode.error())) {
				return inode.error();
			}
		}
	}
	if (sightings.empty() && without_swap_namespace)
		return no_swap_namespaces(proc);

	std::map<uint64_t, SwapNamespaceEntry> entries;
	for (const auto& [inode, sighting] : sightings) {
		auto reading = read_devices(inode, sighting);
		if (!reading)
			continue; // every member exited: the namespace may be gone too
		SwapNamespaceEntry& entry = entries[inode];
		entry.inode = inode;
		entry.members = sighting.members;
		entry.devices = std::move(reading->devices);

		// Ancestors without tasks of their own are alive too (a child keeps its parent), so
		// they are listed; their devices cannot be read, /proc/PID/swaps needs a task.
		auto ancestry = read_swap_namespace_ancestry(reading->thread_dir);
		if (!ancestry || ancestry->front() != inode)
			continue; // no access to ns/swap, or the thread moved: the parent stays unknown
		for (size_t i = 1; i < ancestry->size(); i++) {
			uint64_t ancestor = (*ancestry)[i];
			entries[(*ancestry)[i - 1]].parent = ancestor;
			auto [it, added] = entries.try_emplace(ancestor);
			if (added) {
				it->second.inode = ancestor;
				it->second.devices = Error(0, "no process is in this namespace, so no /proc/PID/swaps "
							      "shows its devices");
			}
		}
	}

	auto own = read_swap_namespace_inode(proc.root() / "self");
	for (auto& [inode, entry] : entries) {
		entry.self = own && *own == inode;
		census.namespaces.push_back(std::move(entry));
	}
	return census;
}

} // namespace swapns
