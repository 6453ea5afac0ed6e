// Parsing of argument values shared by the subcommands, each failing with nullopt for the
// caller to name the option in its message.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace swapns::cli {

// A process ID: a positive decimal number.
std::optional<pid_t> parse_pid(const std::string& s);

// A swap priority as swapon(8) takes it, 0..32767, turned into swapon(2) flags.
std::optional<int> parse_priority_flags(const std::string& s);

// Splits ARGS at the first "--": the options before it, the command after it (empty when
// there is no "--").
struct SplitArgs {
	std::vector<std::string> options, command;
};
SplitArgs split_at_double_dash(const std::vector<std::string>& args);

} // namespace swapns::cli
