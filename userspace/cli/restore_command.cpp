// swapns restore DIR [--swapfile PATH] [--cgroup PATH] [--criu-opt OPT]...: a checkpoint image
// back into running tasks in a new swap namespace, their swapped pages swapped (restore.hpp).
#include "cli.hpp"
#include "command_line.hpp"
#include "criu_options.hpp"

#include "swapns/restore.hpp"

namespace swapns::cli {

namespace po = boost::program_options;

int restore_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax(
		"restore",
		"usage: swapns restore DIR [--swapfile PATH] [--cgroup PATH] [--criu-opt OPT]...\n\n"
		"Restore the container checkpointed in DIR: verify the image, recreate its swapfile\n"
		"(only the used slots written), swap it on in a new swap namespace, restore the tasks\n"
		"with CRIU inside it, install their swapped pages as swap entries again, and resume\n"
		"them. The tasks never run unless every page is in place; a failure removes all that\n"
		"was made. Restoring an image is root-equivalent: use only images from a trusted place.\n");
	syntax.options.add_options()
		("swapfile", po::value<std::string>(), "where the swapfile goes (default: where it was)")
		("cgroup", po::value<std::string>(), "the cgroup v2 path for the tasks (default: where they were)")
;
	add_criu_options(syntax.options, "restore");
	syntax.argument("dir", po::value<std::string>(), 1);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (!vm.count("dir")) {
		env.err << "swapns restore: give the image directory; run 'swapns restore --help'\n";
		return exit_usage;
	}
	RestoreRequest rq;
	rq.image_dir = vm["dir"].as<std::string>();
	if (vm.count("swapfile"))
		rq.swapfile = vm["swapfile"].as<std::string>();
	if (vm.count("cgroup"))
		rq.cgroup = vm["cgroup"].as<std::string>();
	CriuSettings criu = criu_settings(vm);
	rq.criu_options = criu.options;
	rq.criu = criu.program;
	if (!criu.quiet)
		rq.on_step = [&](const std::string& s) { env.err << "swapns restore: " << s << "\n"; };
	auto r = restore_container(env.proc, rq);
	if (!r) {
		env.err << "swapns restore: " << r.error().message() << "\n";
		return exit_failure;
	}
	env.out << "restored process " << r->root << " on " << r->swapfile.string() << ": " << r->installed
		<< " pages installed as swap, " << r->written << " written into memory, " << r->already_there
		<< " restored by criu\n";
	return exit_ok;
}

} // namespace swapns::cli
