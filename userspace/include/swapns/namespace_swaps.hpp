// The swap devices a task's swap namespace swaps to, as /proc/PID/swaps reports them
// (format: docs/abi.md, "/proc/PID/swaps").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/result.hpp"
#include "swapns/task_status.hpp"

namespace swapns {

struct SwapDevice {
	enum class State {
		own,       // belongs to the task's namespace
		inherited, // the namespace has no device of its own and swaps to this ancestor's device
		draining,  // left behind by a dead child namespace; takes no new slots
	};
	unsigned type = 0;        // the swap type /proc/PID/pagemap reports for its entries
	std::string path;         // unescaped
	bool partition = false;   // block device rather than a file
	uint64_t size_kib = 0;
	uint64_t used_kib = 0;
	int priority = 0;
	uint64_t namespace_inode = 0; // the namespace the device belongs to
	State state = State::own;

	bool operator==(const SwapDevice&) const = default;
};

std::string_view to_string(SwapDevice::State state);

// Parses the text of /proc/PID/swaps. Extra trailing columns are ignored, as the format allows.
// Malformed text fails with errnum 0 and the offending line.
Result<std::vector<SwapDevice>> parse_namespace_swaps(std::string_view text);

// Reads /proc/PID/swaps. Errors: ENOENT when the task does not exist, ENOTSUP (with a message
// naming the missing kernel feature) when the task exists but the kernel has no swap namespaces,
// EACCES when the caller's swap namespace is not an ancestor of the task's.
Result<std::vector<SwapDevice>> read_namespace_swaps(const ProcFs& proc, pid_t pid);

// The inode of the task's swap namespace, from the /proc/PID/ns/swap link ("swap:[INODE]").
// Errors: ENOENT when the task does not exist, ENOTSUP when the kernel has no swap namespaces.
Result<uint64_t> read_swap_namespace_inode(const ProcFs& proc, pid_t pid);

} // namespace swapns
