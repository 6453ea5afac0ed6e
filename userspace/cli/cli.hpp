// The swapns command line, callable from tests: everything main() would touch is passed in.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "swapns/task_status.hpp"

namespace swapns::cli {

// Exit codes (documented in docs/man/swapns.1.md).
enum ExitCode : int {
	exit_ok = 0,
	exit_failure = 1, // the operation failed; the message says why
	exit_usage = 2,   // bad command line; the message says what to change
	exit_not_run = 127,     // unshare, enter: the command could not be run
	exit_interrupted = 130, // stopped by SIGINT or SIGTERM, cleanly (as a shell reports SIGINT)
};

struct Environment {
	ProcFs proc;
	std::ostream& out;
	std::ostream& err;
};

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

} // namespace swapns::cli
