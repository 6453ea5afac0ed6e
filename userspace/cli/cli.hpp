// The swapns command line, callable from tests: everything main() would touch is passed in.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/task_status.hpp"

namespace swapns::cli {

// Exit codes (documented in docs/man/swapns.1.md).
enum ExitCode : int {
	exit_ok = 0,
	exit_failure = 1, // the operation failed; the message says why
	exit_usage = 2,   // bad command line; the message says what to change
	exit_not_executable = 126, // unshare, enter: the command was found but could not be run
	exit_not_found = 127,      // unshare, enter: no such command
	exit_interrupted = 130, // stopped by SIGINT or SIGTERM, cleanly (as a shell reports SIGINT)
};

struct Environment {
	ProcFs proc;
	std::ostream& out;
	std::ostream& err;
	// Set by unshare and enter when their command was killed by a signal: main() ends swapns
	// with that signal once everything is cleaned up (end_by_signal()), as unshare(1) does.
	int end_signal = 0;
};

// Ends this process with @sig, with its default action and no core dump of its own. Returns
// only if @sig does not end a process by default.
void end_by_signal(int sig);

// A signal given as unshare(1) takes it: a name with or without "SIG" ("TERM", "SIGTERM",
// any case) or a number.
std::optional<int> parse_signal(std::string_view text);

// args excludes the program name.
int run(const std::vector<std::string>& args, Environment& env);

// Subcommands, each in its own file.
int status_command(const std::vector<std::string>& args, Environment& env);
int list_command(const std::vector<std::string>& args, Environment& env);
int mkswap_command(const std::vector<std::string>& args, Environment& env);
int unshare_command(const std::vector<std::string>& args, Environment& env);
int gc_command(const std::vector<std::string>& args, Environment& env);
int enter_command(const std::vector<std::string>& args, Environment& env);
int swapon_command(const std::vector<std::string>& args, Environment& env);
int swapoff_command(const std::vector<std::string>& args, Environment& env);
int checkpoint_command(const std::vector<std::string>& args, Environment& env);
int restore_command(const std::vector<std::string>& args, Environment& env);
int verify_command(const std::vector<std::string>& args, Environment& env);

} // namespace swapns::cli
