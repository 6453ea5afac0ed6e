// swapns checkpoint -t PID DIR [--leave-running] [--criu-opt OPT]...: a container with its
// swapfile into an image, the swapped pages never read back into memory (checkpoint.hpp).
#include "cli.hpp"
#include "command_line.hpp"
#include "criu_options.hpp"
#include "human_size.hpp"

#include "swapns/checkpoint.hpp"

#include <csignal>
#include <cstdlib>

namespace swapns::cli {

namespace po = boost::program_options;

int checkpoint_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax(
		"checkpoint",
		"usage: swapns checkpoint -t PID DIR [--leave-running] [--criu-opt OPT]...\n"
		"       swapns checkpoint --recover -t PID DIR\n\n"
		"Checkpoint the container whose first process is PID into the new directory DIR: its\n"
		"swapped pages are set aside in the kernel and their slots copied from its swapfile,\n"
		"CRIU (run through its RPC) dumps the rest. The container is frozen throughout and\n"
		"killed once the image is complete (--leave-running: thawed). A failure before that\n"
		"leaves it running as before. The container is PID's process tree, which must be\n"
		"exactly the processes of its cgroup and of its swap namespace.\n"
		"--recover undoes what a checkpoint killed midway left: the kernel has released the\n"
		"pages and CRIU died with swapns; the container is thawed, the partial image removed.\n");
	syntax.options.add_options()
		("target,t", po::value<pid_t>(), "the container's first process")
		("leave-running", po::bool_switch(), "thaw the container after the checkpoint")
		("recover", po::bool_switch(), "after a checkpoint whose swapns was killed: thaw the container, "
					       "remove the partial image")
;
	add_criu_options(syntax.options, "dump");
	syntax.argument("dir", po::value<std::string>(), 1);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (!vm.count("target") || !vm.count("dir")) {
		env.err << "swapns checkpoint: give -t PID and an image directory; run 'swapns checkpoint --help'\n";
		return exit_usage;
	}
	if (vm["recover"].as<bool>()) {
		auto r = recover_checkpoint(env.proc, vm["target"].as<pid_t>(), vm["dir"].as<std::string>());
		if (!r) {
			env.err << "swapns checkpoint: " << r.error().message() << "\n";
			return exit_failure;
		}
		env.out << (r->thawed ? "thawed the container" : "the container was not frozen");
		for (const auto& p : r->removed)
			env.out << "; removed " << p.string();
		env.out << "\n";
		return exit_ok;
	}
	CheckpointRequest rq;
	rq.pid = vm["target"].as<pid_t>();
	rq.image_dir = vm["dir"].as<std::string>();
	rq.leave_running = vm["leave-running"].as<bool>();
	CriuSettings criu = criu_settings(vm);
	rq.criu_options = criu.options;
	rq.criu = criu.program;
	// Tests only: SWAPNS_TEST_STOP_AT=TEXT stops swapns (SIGSTOP) as a step starting with TEXT
	// begins, so that a test can kill it there (tests/vm/tools/swapns_migrate_faults.sh).
	const char* stop_at = std::getenv("SWAPNS_TEST_STOP_AT");
	bool quiet = criu.quiet;
	rq.on_step = [&env, quiet, stop_at](const std::string& s) {
		if (!quiet)
			env.err << "swapns checkpoint: " << s << std::endl;
		if (stop_at && *stop_at && s.rfind(stop_at, 0) == 0)
			::raise(SIGSTOP);
	};
	auto r = checkpoint_container(env.proc, rq);
	if (!r) {
		env.err << "swapns checkpoint: " << r.error().message() << "\n";
		return exit_failure;
	}
	env.out << rq.image_dir.string() << ": " << r->manifest.tasks.size() << " tasks, " << r->held_pages
		<< " swapped pages set aside, " << human_size(r->copied_bytes) << " of slots copied; frozen for "
		<< r->frozen_for.count() << " ms\n";
	return exit_ok;
}

} // namespace swapns::cli
