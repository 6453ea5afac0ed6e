// swapns restore: a checkpoint image (checkpoint_image.hpp) back into running tasks whose
// swapped pages are swapped pages again, on a swapfile recreated from the image. In order:
//   1. verify the image
//   2. recreate the swapfile: allocated, only the used slots written, checked again
//   3. a new swap namespace (this process's), the swapfile on with SWAP_FLAG_RESTORE
//   4. the cgroup, then criu restore inside it, tasks left stopped
//   5. install every page of the manifest (SWAP_NS_IOC_INSTALL); write those the kernel
//      refuses into the task's memory instead
//   6. end the restore, set the cgroup's limits, resume the tasks.
// A failure kills what was restored, swaps the file off and removes it: nothing half-made
// stays, and no task runs unless every page is in place.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/proc_fs.hpp"
#include "swapns/result.hpp"

namespace swapns {

struct RestoreRequest {
	std::filesystem::path image_dir;
	std::optional<std::filesystem::path> swapfile; // default: where the source had it
	std::optional<std::string> cgroup;             // default: the source's cgroup path
	std::vector<std::string> criu_options;
	std::string criu = "criu";
	std::function<void(const std::string&)> on_step;
};

struct RestoreReport {
	pid_t root = 0;             // the restored tree's first process, in this PID namespace
	std::filesystem::path swapfile;
	uint64_t installed = 0;     // pages that are swap entries again
	uint64_t written = 0;       // pages the kernel refused, written into memory instead
	uint64_t already_there = 0; // pages CRIU restored itself (mapped at the checkpoint)
};

Result<RestoreReport> restore_container(const ProcFs& proc, const RestoreRequest& request);

// What to do about a failed criu restore, from CRIU's error message; empty when there is
// nothing to add. CRIU restores every task at its PID: "Can't fork for N: File exists" means
// PID N is taken on this machine.
std::string criu_restore_hint(std::string_view criu_error);

} // namespace swapns
