// Parsing of argument values shared by the subcommands, each failing with nullopt for the
// caller to name the option in its message.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace swapns::cli {

// How a size may be written (swapns::parse_size()), for messages that refuse one.
inline constexpr const char* size_syntax =
	"bytes, or a number with K, M, G, T, P or E (powers of 1024, also KiB, MiB...) "
	"or KB, MB... (powers of 1000), e.g. 512M or 1.5G";

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
