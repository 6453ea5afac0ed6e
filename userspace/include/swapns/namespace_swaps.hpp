// A task's swap namespace: its inode, its ancestors, and the swap devices it swaps to as
// /proc/PID/swaps reports them (format: docs/abi.md, "/proc/PID/swaps").
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/result.hpp"
#include "swapns/task_status.hpp"

namespace swapns {

// Which file a swap device is, as stat(2) of its path gives it: the filesystem's device and the
// file's inode for a swap file, the device number (st_rdev) and 0 for a partition.
// All 0 when the kernel does not tell the reader (see /proc/PID/swaps in docs/abi.md).
struct FileIdentity {
	unsigned major = 0;
	unsigned minor = 0;
	uint64_t inode = 0;

	bool known() const { return major || minor || inode; }
	bool operator==(const FileIdentity&) const = default;
};

struct SwapDevice {
	enum class State {
		own,       // belongs to the task's namespace
		inherited, // the namespace has no device of its own and swaps to this ancestor's device
		draining,  // left behind by a dead child namespace; takes no new slots
		restoring, // swapped on with SWAP_FLAG_RESTORE: the namespace's own, no slots yet
	};
	unsigned type = 0;        // the swap type /proc/PID/pagemap reports for its entries
	std::string path;         // unescaped
	bool partition = false;   // block device rather than a file
	uint64_t size_kib = 0;    // at most UINT64_MAX / 1024, so that bytes fit in 64 bits
	uint64_t used_kib = 0;
	int priority = 0;
	uint64_t namespace_inode = 0; // the namespace the device belongs to
	State state = State::own;
	// The Device and Inode columns; none from a kernel without them.
	std::optional<FileIdentity> identity;

	bool operator==(const SwapDevice&) const = default;
};

std::string_view to_string(SwapDevice::State state);

// Parses the text of /proc/PID/swaps. Extra trailing columns are ignored, as the format allows;
// Device and Inode are read when the header names them.
// Malformed text fails with errnum 0 and the offending line.
Result<std::vector<SwapDevice>> parse_namespace_swaps(std::string_view text);

// Reads /proc/PID/swaps. Errors: ENOENT when the task does not exist, ENOTSUP (with a message
// naming the missing kernel feature) when the task exists but the kernel has no swap namespaces,
// EACCES when the caller's swap namespace is not an ancestor of the task's, errnum 0 (naming
// the file) when the text is malformed.
Result<std::vector<SwapDevice>> read_namespace_swaps(const ProcFs& proc, pid_t pid);

// The inode of the task's swap namespace, from the /proc/PID/ns/swap link ("swap:[INODE]").
// Errors: ENOENT when the task does not exist, ENOTSUP when the kernel has no swap namespaces
// (or the task is a zombie, which has no namespaces), EACCES without ptrace read access to it.
Result<uint64_t> read_swap_namespace_inode(const ProcFs& proc, pid_t pid);

// The same two for the task whose procfs directory is task_dir: /proc/PID/task/TID for a thread
// (the threads of a process may be in different swap namespaces), /proc/self for the caller.
Result<std::vector<SwapDevice>> read_namespace_swaps(const std::filesystem::path& task_dir);
Result<uint64_t> read_swap_namespace_inode(const std::filesystem::path& task_dir);

// The inodes of the task's swap namespace and of its ancestors, the task's own first, then its
// parent and so on, as far up as the kernel shows them (NS_GET_PARENT on task_dir/ns/swap): not
// above the caller's own namespace, and only the task's own if the kernel does not give parents.
// Errors: those of opening task_dir/ns/swap (ENOENT when there is no task or no swap namespaces,
// EACCES without ptrace read access to the task).
Result<std::vector<uint64_t>> read_swap_namespace_ancestry(const std::filesystem::path& task_dir);

} // namespace swapns
