// Every swap namespace on the host that has a task in it (or a descendant that has), found by
// scanning /proc: its processes, the devices it swaps to and, where the kernel shows it, its parent.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "swapns/namespace_swaps.hpp"
#include "swapns/result.hpp"
#include "swapns/task_status.hpp"

namespace swapns {

struct SwapNamespaceEntry {
	uint64_t inode = 0; // as in /proc/PID/ns/swap
	// From NS_GET_PARENT; unknown for the initial namespace, above the caller's own namespace,
	// and where the caller may not open ns/swap of any task of the namespace.
	std::optional<uint64_t> parent;
	bool self = false; // the caller's own namespace (/proc/self/ns/swap)
	// PIDs of the processes with a thread in the namespace, ascending. A process whose threads
	// are in different namespaces is a member of each. Kernel threads are members of the initial
	// namespace. Empty for a namespace that only a descendant (or an open file) keeps alive.
	std::vector<pid_t> members;
	// What /proc/PID/swaps of a member shows (own, inherited and draining devices), or why
	// that could not be read, e.g. EACCES when the namespace is not below the caller's.
	Result<std::vector<SwapDevice>> devices = std::vector<SwapDevice>{};

	// Size and use of the devices that belong to the namespace: its own and the draining ones
	// its dead children left it, not those of an ancestor it swaps to. 0 when devices are
	// unknown. UINT64_MAX when the sum does not fit: no kernel has that much swap, but a
	// malformed file must not make a small number.
	uint64_t size_kib() const;
	uint64_t used_kib() const;
	uint64_t size_bytes() const;
	uint64_t used_bytes() const;
};

struct SwapNamespaceCensus {
	std::vector<SwapNamespaceEntry> namespaces; // ascending by inode, so the initial namespace first
	// Processes whose namespace the caller may not read (/proc/PID/ns/swap needs ptrace read
	// access), ascending.
	std::vector<pid_t> inaccessible;
};

// Scans proc. Tasks that exit during the scan are left out. Errors: ENOTSUP (with a message
// naming the missing kernel feature) when no task has a swap namespace; what keeps proc from
// being listed; a /proc/PID/ns/swap link that is not what the kernel writes (errnum 0).
Result<SwapNamespaceCensus> take_swap_namespace_census(const ProcFs& proc);

} // namespace swapns
