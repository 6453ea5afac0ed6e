#include "cli.hpp"

#include <boost/program_options.hpp>

#include <map>
#include <sstream>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

struct Command {
	int (*run)(const std::vector<std::string>& args, Environment& env);
	const char* summary;
};

const std::map<std::string, Command>& commands()
{
	static const std::map<std::string, Command> table = {
		{"checkpoint", {checkpoint_command, "checkpoint a container with its swapfile (CRIU)"}},
		{"enter", {enter_command, "run a command in a process's swap namespace"}},
		{"gc", {gc_command, "clean up devices of dead namespaces and half-made swapfiles"}},
		{"list", {list_command, "list the swap namespaces, their processes and devices"}},
		{"mkswap", {mkswap_command, "create a swapfile the kernel accepts"}},
		{"restore", {restore_command, "restore a checkpointed container with its swapfile"}},
		{"status", {status_command, "show a task's mm owner and swap namespace"}},
		{"swapoff", {swapoff_command, "swap a file off in a process's swap namespace"}},
		{"swapon", {swapon_command, "swap a file on in a process's swap namespace"}},
		{"unshare", {unshare_command, "run a command in a new swap namespace with its own swapfiles"}},
		{"verify", {verify_command, "check a checkpoint image"}},
	};
	return table;
}

void usage(std::ostream& os)
{
	os << "usage: swapns [-h|--help] [-V|--version] COMMAND [ARGS]\n\n"
	      "Per-container swap: swap namespaces and their swapfiles.\n\ncommands:\n";
	for (const auto& [name, cmd] : commands())
		os << "  " << name << std::string(12 - name.size(), ' ') << cmd.summary << "\n";
	os << "\nRun 'swapns COMMAND --help' for a command's options.\n";
}

} // namespace

int run(const std::vector<std::string>& args, Environment& env)
{
	if (args.empty()) {
		usage(env.err);
		return exit_usage;
	}
	const std::string& first = args.front();
	if (first == "--help" || first == "-h") {
		usage(env.out);
		return exit_ok;
	}
	if (first == "--version" || first == "-V") {
		env.out << "swapns " SWAPNS_VERSION "\n";
		return exit_ok;
	}
	auto it = commands().find(first);
	if (it == commands().end()) {
		env.err << "swapns: unknown command '" << first << "'; run 'swapns --help' for the list of commands\n";
		return exit_usage;
	}
	return it->second.run(std::vector<std::string>(args.begin() + 1, args.end()), env);
}

} // namespace swapns::cli
