// swapns swapon -t PID [--priority P] FILE, swapns swapoff -t PID FILE: manage the devices of a
// running swap namespace from outside it.
#include "cli.hpp"
#include "command_line.hpp"
#include "cli_args.hpp"
#include "launch_messages.hpp"
#include "target_process.hpp"

#include "swapns/supervised_child.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/unique_fd.hpp"

#include <boost/program_options.hpp>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

int device_command(bool on, const std::vector<std::string>& args, Environment& env)
{
	const char* name = on ? "swapon" : "swapoff";
	CommandSyntax syntax(
		name,
		std::string("usage: swapns ") + name + " -t PID " + (on ? "[-p|--priority P] " : "") +
			"FILE\n\n" +
			(on ? "Swap on FILE in the swap namespace of process PID: the device belongs to\n"
			      "that namespace. Also adopts a device a dead child namespace left to it.\n"
			    : "Swap off FILE as a task of the swap namespace of process PID, which may act\n"
			      "on its own devices and its descendants'.\n"));
	syntax.options.add_options()
		("target,t", po::value<std::string>(), "a process in the swap namespace to act in");
	if (on)
		syntax.options.add_options()("priority,p", po::value<std::string>(),
				   "swap priority, 0..32767 (default: the namespace's next automatic one)");
	syntax.argument("file", po::value<std::string>(), 1);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (!vm.count("target") || !vm.count("file")) {
		env.err << "swapns " << name << ": give -t PID and FILE, e.g. swapns " << name
			<< " -t 1234 /var/swap/job\n";
		return exit_usage;
	}
	auto pid = parse_pid(vm["target"].as<std::string>());
	if (!pid) {
		env.err << "swapns " << name << ": -t '" << vm["target"].as<std::string>()
			<< "' is not a process ID\n";
		return exit_usage;
	}
	int flags = 0;
	if (on && vm.count("priority")) {
		auto f = parse_priority_flags(vm["priority"].as<std::string>());
		if (!f) {
			env.err << "swapns swapon: --priority '" << vm["priority"].as<std::string>()
				<< "' is not a number from 0 to 32767\n";
			return exit_usage;
		}
		flags = *f;
	}
	if (auto supported = check_swap_ns_support(env.proc.root().string()); !supported) {
		env.err << "swapns " << name << ": " << supported.error().context() << "\n";
		return exit_failure;
	}
	UniqueFd target = open_target(*pid, name, env);
	if (!target.valid())
		return exit_failure;

	std::filesystem::path file = std::filesystem::absolute(vm["file"].as<std::string>());
	ChildPlan plan;
	plan.join_pidfd = target.get();
	if (on)
		plan.swapon.push_back({file, flags});
	else
		plan.swapoff.push_back(file);
	LaunchStep failed = LaunchStep::start;
	auto started = SupervisedChild::start(plan, &failed);
	if (!started) {
		env.err << "swapns " << name << ": " << launch_error_message(failed, started.error()) << "\n";
		return exit_failure;
	}
	auto ended = started->wait();
	if (!ended || ended->shell_status() != 0) {
		env.err << "swapns " << name << ": the helper process failed\n";
		return exit_failure;
	}
	return exit_ok;
}

} // namespace

int swapon_command(const std::vector<std::string>& args, Environment& env)
{
	return device_command(true, args, env);
}

int swapoff_command(const std::vector<std::string>& args, Environment& env)
{
	return device_command(false, args, env);
}

} // namespace swapns::cli
