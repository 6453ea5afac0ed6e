// What to tell the user when starting a command in a swap namespace, or a swapon/swapoff
// there, fails: the error, plus what to do about the usual causes.
#pragma once

#include <string>

#include "swapns/result.hpp"

namespace swapns::cli {

std::string launch_error_message(const Error& error);

// The exit status for a command that could not be started: exit_not_run when the command
// itself could not be run (as a shell reports it), exit_failure when a step before it failed.
int launch_exit_status(const Error& error);

} // namespace swapns::cli
