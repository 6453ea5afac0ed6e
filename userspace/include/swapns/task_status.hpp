// What /proc/PID/status says about a task and the owner of its mm.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "swapns/proc_fs.hpp"
#include "swapns/result.hpp"

namespace swapns {

// The owner of a task's mm (mm->owner), as the MmOwner line of /proc/PID/status reports it.
struct MmOwner {
	enum class State {
		task,        // owned by the task with thread ID tid (in the proc mount's pid namespace)
		none,        // no owner, or the owner is outside the proc mount's pid namespace
		no_mm,       // the task has no mm: a kernel thread, or a process that has exited
		unsupported, // the kernel does not report mm owners (no MmOwner line)
	};
	State state = State::unsupported;
	pid_t tid = 0;

	bool operator==(const MmOwner&) const = default;
};

std::string_view to_string(MmOwner::State state);

struct TaskStatus {
	std::string name;
	pid_t tgid = 0;
	pid_t pid = 0;
	pid_t ppid = 0;
	// The last NSpid field: the PID in the task's own (innermost) PID namespace; pid when the
	// kernel has no NSpid line.
	pid_t inner_pid = 0;
	bool kernel_thread = false;
	MmOwner mm_owner;
};

// Parses the text of a /proc/PID/status file. Fails (errnum 0) on a file without Pid/Tgid.
Result<TaskStatus> parse_task_status(std::string_view text);

// Reads and parses /proc/PID/status. A task that does not exist fails with ENOENT.
Result<TaskStatus> read_task_status(const ProcFs& proc, pid_t pid);

} // namespace swapns
