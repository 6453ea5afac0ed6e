// What every subcommand does alike with its command line: parse the options with
// Boost.Program_options, answer --help, and turn a parse error into a usage error.
#pragma once

#include "cli.hpp"

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <vector>

namespace swapns::cli {

struct CommandSyntax {
	std::string name;  // as in "swapns NAME"
	std::string usage; // "usage: ..." and what the command does, printed before the options
	boost::program_options::options_description options{"options"}; // shown by --help
	std::string epilogue; // printed by --help after the options, e.g. the output columns
	boost::program_options::options_description arguments; // positional ones, not shown
	boost::program_options::positional_options_description positional; // which ARGS are which

	CommandSyntax(std::string name, std::string usage);
	// Adds a positional argument NAME, taken max_count times (-1: any number).
	CommandSyntax& argument(const char* name, const boost::program_options::value_semantic* value,
				int max_count);
};

// Parses ARGS into VM. Returns the exit status to return at once, or nullopt to go on:
// exit_ok after printing the usage, options and epilogue for --help, or the version for
// --version (every subcommand has -h, --help and -V, --version, as util-linux's tools do),
// exit_usage after saying what was wrong, with a pointer to --help.
std::optional<int> parse_command_line(const CommandSyntax& syntax,
				      const std::vector<std::string>& args, Environment& env,
				      boost::program_options::variables_map& vm);

// The signal of --kill-child[=SIGNAL] (0 without the option). nullopt after saying that the
// value is not a signal: the caller exits with exit_usage.
std::optional<int> kill_child_signal(const boost::program_options::variables_map& vm,
				     const std::string& command, Environment& env);

} // namespace swapns::cli
