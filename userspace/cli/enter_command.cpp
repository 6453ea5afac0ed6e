// swapns enter -t PID [-- CMD [ARGS]]: CMD (default: $SHELL) in the swap namespace of PID.
#include "cli.hpp"
#include "command_line.hpp"
#include "cli_args.hpp"
#include "launch_messages.hpp"
#include "target_process.hpp"

#include "swapns/supervised_child.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/unique_fd.hpp"

#include <boost/program_options.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace swapns::cli {

namespace po = boost::program_options;

int enter_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax("enter",
			     "usage: swapns enter -t PID [--kill-child[=SIGNAL]] [-- COMMAND [ARG]...]\n\n"
			     "Run COMMAND (default: $SHELL, else /bin/sh) in the swap namespace of process PID,\n"
			     "wait for it, passing signals on, and exit with its status.\n");
	syntax.options.add_options()
		("target,t", po::value<std::string>(), "the process whose swap namespace to enter")
		("kill-child", po::value<std::string>()->implicit_value("KILL"),
		 "SIGNAL: have COMMAND sent SIGNAL (default KILL) if swapns dies before it, as "
		 "unshare(1) --kill-child does");
	SplitArgs split = split_at_double_dash(args);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, split.options, env, vm))
		return *done;
	if (!vm.count("target")) {
		env.err << "swapns enter: missing -t PID: whose swap namespace to enter\n";
		return exit_usage;
	}
	auto kill_child = kill_child_signal(vm, "enter", env);
	if (!kill_child)
		return exit_usage;
	auto pid = parse_pid(vm["target"].as<std::string>());
	if (!pid) {
		env.err << "swapns enter: -t '" << vm["target"].as<std::string>()
			<< "' is not a process ID\n";
		return exit_usage;
	}
	if (auto supported = check_swap_ns_support(env.proc.root().string()); !supported) {
		env.err << "swapns enter: " << supported.error().context() << "\n";
		return exit_failure;
	}
	UniqueFd target = open_target(*pid, "enter", env);
	if (!target.valid())
		return exit_failure;

	ChildPlan plan;
	plan.join_pidfd = target.get();
	plan.argv = split.command;
	if (plan.argv.empty()) {
		const char* shell = std::getenv("SHELL");
		plan.argv = {shell && *shell ? shell : "/bin/sh"};
	}
	plan.kill_child_signal = *kill_child;
	LaunchStep failed = LaunchStep::start;
	auto started = SupervisedChild::start(plan, &failed);
	if (!started) {
		env.err << "swapns enter: " << launch_error_message(failed, started.error()) << "\n";
		return launch_exit_status(failed, started.error());
	}
	auto ended = started->wait();
	if (!ended) {
		env.err << "swapns enter: " << ended.error().message() << "\n";
		return exit_failure;
	}
	if (ended->signaled)
		env.end_signal = ended->code;
	return ended->shell_status();
}

} // namespace swapns::cli
