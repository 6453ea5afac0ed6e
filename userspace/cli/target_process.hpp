// The process a namespace command acts on (-t PID), as a pidfd.
#pragma once

#include <sys/types.h>

#include "cli.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns::cli {

// A pidfd for PID, which setns(2) takes: the namespace of that very process, even if its PID
// is reused meanwhile. On failure prints why, naming "swapns COMMAND", and returns no fd.
UniqueFd open_target(pid_t pid, const char* command, Environment& env);

} // namespace swapns::cli
