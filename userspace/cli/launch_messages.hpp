// What to tell the user when starting a command in a swap namespace, or a swapon/swapoff
// there, fails: the error, plus what to do about the usual causes; and the exit status.
#pragma once

#include <string>

#include "swapns/result.hpp"
#include "swapns/supervised_child.hpp"

namespace swapns::cli {

std::string launch_error_message(LaunchStep step, const Error& error);

// The exit status for a command that could not be started, as unshare(1) and nsenter(1) give
// it: exit_not_found when the command was not found, exit_not_executable when it was found but
// could not be run, exit_failure when a step before it failed.
int launch_exit_status(LaunchStep step, const Error& error);

} // namespace swapns::cli
