// swapns checkpoint: a container (container.hpp) into an image (checkpoint_image.hpp), its
// swapped pages set aside in the kernel rather than read back, CRIU doing the rest.
// The order, and what a failure undoes (docs/migration.md):
//   1. freeze the cgroup                 -> thaw
//   2. set the swapped pages aside       -> close the set-aside (the page tables never changed)
//   3. criu dump, tasks left frozen      -> (CRIU puts the tree back as it found it)
//   4. commit: the consistency point
//   5. copy the used slots (O_DIRECT)    -> remove the partial image
//   6. write and commit the image
//   7. release the pins (the tasks are still frozen), then kill the tasks (or thaw them).
// Before 6 completes, any failure leaves the container running as before.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "swapns/checkpoint_manifest.hpp"
#include "swapns/proc_fs.hpp"
#include "swapns/result.hpp"
#include "swapns/swap_migration.hpp"

namespace swapns {

struct CheckpointRequest {
	pid_t pid = 0;                     // the container's first process
	std::filesystem::path image_dir;   // must not exist, or be empty
	bool leave_running = false;        // thaw the container after the checkpoint
	std::vector<std::string> criu_options; // extra CRIU options ("tcp-established", ...)
	std::string criu = "criu";
	// Told each step as it starts, e.g. "setting 11735 swapped pages aside".
	std::function<void(const std::string&)> on_step;
};

struct CheckpointReport {
	checkpoint::Manifest manifest;
	uint64_t held_pages = 0;
	uint64_t copied_bytes = 0;
	std::chrono::milliseconds frozen_for{0}; // from the freeze to the kill (or thaw)
};

// After a checkpoint whose swapns was killed (the kernel released its set-aside and CRIU died
// with it): thaws the container's cgroup if it is frozen, and removes the partial images
// (".NAME.partial-*") next to @image_dir. Says what it did through @report.
struct RecoverReport {
	bool thawed = false;
	std::vector<std::filesystem::path> removed;
};
Result<RecoverReport> recover_checkpoint(const ProcFs& proc, pid_t pid, const std::filesystem::path& image_dir);

// The manifest's data runs and tasks from the kernel's records of a set-aside: the header
// slot and every slot holding a non-zero page as data; per task (@inner_pids: the PID of
// record.task in its own PID namespace), its pages by address, runs of consecutive pages in
// consecutive slots with equal flags merged. @m.page_size must be set.
void fill_manifest_pages(checkpoint::Manifest& m, const std::vector<HeldPage>& held,
			 const std::vector<pid_t>& inner_pids);

// Errors name the step that failed ("criu dump failed: ...; see LOG"), after the rollback.
Result<CheckpointReport> checkpoint_container(const ProcFs& proc, const CheckpointRequest& request);

} // namespace swapns
