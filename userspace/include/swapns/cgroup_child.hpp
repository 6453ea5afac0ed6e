// A cgroup v2 child for a command run with memory limits (swapns unshare --memory-max,
// --swap-max): made under the caller's own cgroup, removed again when the command is done.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <utility>

#include "swapns/result.hpp"

namespace swapns {

struct MemoryLimits {
	// "max" in the control files: no limit, in a child cgroup all the same.
	static constexpr uint64_t unlimited = UINT64_MAX;
	std::optional<uint64_t> memory_max; // bytes for memory.max, or unlimited; none: not set
	std::optional<uint64_t> swap_max;   // bytes for memory.swap.max, or unlimited; none: not set
	bool any() const { return memory_max || swap_max; }
};

// The cgroup v2 directory of the caller, from @proc_root/self/cgroup ("0::/PATH") and the
// cgroup2 mount in @proc_root/self/mountinfo. Errors name what is missing (no cgroup2 mount,
// a cgroup v1-only system).
Result<std::filesystem::path> own_cgroup_dir(const std::filesystem::path& proc_root = "/proc");

// The cgroup2 mounts in the text of a mountinfo file: the cgroup it shows at its mount point (the ROOT field, in
// the reader's cgroup namespace) and the mount point, octal escapes (\040 ...) decoded.
struct Cgroup2Mount {
	std::string root;
	std::string mountpoint;
};
std::vector<Cgroup2Mount> cgroup2_mounts(std::string_view mountinfo);

// Owns a cgroup directory: rmdir()s it when destroyed (once its processes are gone).
class CgroupChild {
public:
	// Makes @parent/@name with the limits set. The memory controller must be on for @parent's
	// children (cgroup.subtree_control); if it is not, it is turned on, which cgroup v2 allows
	// only while @parent has no processes of its own (the no-internal-process rule). If this
	// process is the only one in @parent, it moves to a leaf @parent/@name.supervisor first.
	// Destruction undoes all of it, but leaves the controller on while @parent has another
	// child (another swapns's, which would lose its limits). swapns processes serialize these
	// steps with flock(2) on @parent. Errors say what to do: EBUSY when other processes are in
	// @parent, EACCES/EROFS for a cgroup not delegated to the caller, ENOENT for a kernel
	// that does not account swap (no memory.swap.max).
	static Result<CgroupChild> create(const std::filesystem::path& parent, const std::string& name,
					  const MemoryLimits& limits);

	CgroupChild(CgroupChild&& other) noexcept
		: path_(std::exchange(other.path_, {})), parent_(std::exchange(other.parent_, {})),
		  leaf_(std::exchange(other.leaf_, {})),
		  memory_enabled_(std::exchange(other.memory_enabled_, false))
	{
	}
	CgroupChild& operator=(CgroupChild&&) = delete;
	CgroupChild(const CgroupChild&) = delete;
	~CgroupChild();

	const std::filesystem::path& path() const { return path_; }

private:
	CgroupChild() = default;
	std::filesystem::path path_;   // the child made for the command
	std::filesystem::path parent_; // where it was made
	std::filesystem::path leaf_;   // where this process moved to, if it did
	bool memory_enabled_ = false;  // turned on in parent_'s subtree_control by us
};

} // namespace swapns
