// Debian's unmodified CRIU driven through its RPC (criu swrk over a socket pair, messages of
// CRIU's own rpc.proto): swapns starts it as a child that is killed when swapns dies
// (PR_SET_PDEATHSIG), so that no CRIU goes on acting on a container swapns gave up on.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "swapns/result.hpp"

namespace swapns {

struct CriuRequest {
	enum class Kind { dump, restore };
	Kind kind = Kind::dump;
	int images_dir_fd = -1; // ours: CRIU opens it through /proc/OUR_PID/fd
	int work_dir_fd = -1;   // where the log goes; the images directory when -1
	pid_t pid = 0;          // dump: the root of the tree
	std::string log_file;   // a plain name in the work directory
	int log_level = 4;
	bool leave_running = false;
	bool shell_job = false;
	// dump: the cgroup v2 directory CRIU freezes the tree with, and leaves frozen when it was
	// frozen before (CRIU puts back the freezer state it found).
	std::string freeze_cgroup;
	// A CRIU configuration file (options as on the command line, without "--", one per line),
	// for what the RPC has no field for in 3.17 (leave-stopped) and the user's --criu-opt.
	std::string config_file;
	// restore: a cgroup v2 directory CRIU runs in (and so the tasks it restores).
	std::string join_cgroup;
	// restore: the restored tree's root becomes a child of the caller, not of criu. A stopped
	// tree whose parent (criu) exits is an orphaned process group with a stopped member, which
	// the kernel sends SIGHUP; the caller's child is none.
	bool restore_sibling = false;
};

struct CriuAnswer {
	bool success = false;
	int cr_errno = 0;       // what CRIU reports, if anything
	std::string cr_errmsg;
	pid_t restored_pid = 0; // restore: the root of the restored tree
};

// Runs one request in a new `@criu swrk` child and waits for it. Errors: the system's when
// CRIU cannot be started or talked to, EPROTO when it died without answering (its exit status
// in the message). A request CRIU refused is an answer with success false.
Result<CriuAnswer> call_criu(const CriuRequest& request, const std::string& criu = "criu");

} // namespace swapns
