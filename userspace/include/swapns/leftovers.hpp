// What a crash leaves behind (swapns gc): devices of dead swap namespaces still on, drain-only,
// and swapfiles that were being made when their maker died.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/namespace_swaps.hpp"
#include "swapns/result.hpp"

namespace swapns {

// The labels `swapns unshare` gives the swapfiles it creates: unshare_label for those it
// removes when the command ends, and gc after a crash; unshare_keep_label for those made with
// --keep, which gc swaps off (their namespace is dead) but leaves, as swapns(1) promises.
inline constexpr std::string_view unshare_label = "swapns-unshare";
inline constexpr std::string_view unshare_keep_label = "swapns-keep";

// The devices a dead namespace left to the caller's (State "draining" in /proc/self/swaps).
std::vector<SwapDevice> draining_devices(const std::vector<SwapDevice>& own_view);

// The hidden name beside @target under which process @maker writes a swapfile before it is
// complete, where the filesystem has no O_TMPFILE (NFS): ".NAME.swapns-PID".
std::filesystem::path half_made_path(const std::filesystem::path& target, pid_t maker);

// The process that is making a swapfile under this name, if @filename is one of the hidden
// names of half_made_path().
std::optional<pid_t> half_made_creator(std::string_view filename);

// What remove_if_abandoned() did with a file of a half-made name.
struct AbandonedFile {
	enum class Outcome {
		removed,
		in_use,   // its maker still holds the lock
		not_ours, // not a regular file of the caller's, or replaced while checked: left alone
		gone,     // removed by someone else meanwhile
	};
	Outcome outcome = Outcome::removed;
	std::string why; // for not_ours: what it is instead
};

// Removes the hidden half-made file @path if it is one swapns mkswap made and nobody is making
// it any more. Everything is done on file descriptors, so that the name cannot be switched to
// something else in between: the name is opened without following symbolic links and without
// opening what it names (O_PATH), and left alone unless it is a regular file owned by the
// caller's effective user; the file is then opened for writing through that descriptor and
// locked (its maker holds an open file description lock while it writes, which NFSv4 passes on
// to the server, so this holds across machines); the name must still name that file; only then
// is it unlinked, relative to the directory's descriptor. Errors: those of opening the
// directory or the file, locking or unlinking it.
Result<AbandonedFile> remove_if_abandoned(const std::filesystem::path& path);

// Whether @path is an active swap device in any namespace. Unlike /proc/self/swaps, this also
// sees a living child namespace's. A regular file is opened for writing (which the kernel
// allows for a swapfile) and asked to fallocate its first byte, which the kernel refuses for an
// active swapfile (ETXTBSY) before anything else; on another file this may allocate that byte's
// block if it was a hole, and nothing more. A block device is opened exclusively, which fails
// (EBUSY) while swap, or a mount, holds it. Nothing else is opened: a FIFO or a terminal at
// @path is no swap device, and opening it for writing could hang or act on it.
bool is_active_swap_anywhere(const std::filesystem::path& path);

// The label in the swap header of the file @path ("" without one). Errors: those of reading
// it, errnum 0 when it holds no swap area.
Result<std::string> read_swap_label(const std::filesystem::path& path);

// The cgroup `swapns unshare` process @supervisor makes for its command's memory limits
// ("swapns-PID"); CgroupChild adds a ".supervisor" leaf beside it when it must move itself.
std::string unshare_cgroup_name(pid_t supervisor);

// The supervisor that made a cgroup of this name: "swapns-PID" or "swapns-PID.supervisor".
std::optional<pid_t> unshare_cgroup_maker(std::string_view name);

// A cgroup an `swapns unshare` made and left when it was killed (SIGKILL skips its clean-up).
struct StaleCgroup {
	std::filesystem::path path;
	pid_t maker = 0;
};

// The cgroups under @root (a cgroup2 mount point), at any depth, named by
// unshare_cgroup_name() for a process that @alive says is gone, and without processes
// (cgroup.events says "populated 0"), deepest first. Unreadable directories are skipped.
std::vector<StaleCgroup> stale_unshare_cgroups(const std::filesystem::path& root,
					       bool (*alive)(pid_t));

} // namespace swapns
