// What to tell the user when starting a command in a swap namespace, or a swapon/swapoff
// there, fails: the error, plus what to do about the usual causes.
#pragma once

#include <string>

#include "swapns/result.hpp"

namespace swapns::cli {

std::string launch_error_message(const Error& error);

} // namespace swapns::cli
