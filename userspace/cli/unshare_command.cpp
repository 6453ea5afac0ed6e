// swapns unshare [--swapfile PATH[:SIZE]]... [--priority P] [--memory-max X] [--swap-max Y]
// [--keep] -- CMD [ARGS]: CMD in a new swap namespace with its own swapfiles, supervised.
#include "cli.hpp"
#include "command_line.hpp"
#include "cli_args.hpp"
#include "interrupt_scope.hpp"
#include "launch_messages.hpp"

#include "swapns/cgroup_child.hpp"
#include "swapns/leftovers.hpp"
#include "swapns/namespace_swaps.hpp"
#include "swapns/parse.hpp"
#include "swapns/swap_off.hpp"
#include "swapns/supervised_child.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/swapfile_create.hpp"

#include <boost/program_options.hpp>
#include <fcntl.h>
#include <sys/swap.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

struct SwapfileSpec {
	std::filesystem::path path;
	std::optional<uint64_t> size; // create it first
};

// PATH[:SIZE]: a suffix that is not a size belongs to the path.
SwapfileSpec parse_swapfile_spec(const std::string& s)
{
	auto colon = s.rfind(':');
	if (colon != std::string::npos && colon > 0)
		if (auto size = parse_size(s.substr(colon + 1)))
			return {s.substr(0, colon), size};
	return {s, std::nullopt};
}

// The device @path that a dead child namespace left this process's namespace, drain-only, if
// any. @path is canonical, as the kernel shows it.
std::optional<SwapDevice> draining_here(const std::filesystem::path& path, const ProcFs& proc)
{
	auto devices = read_namespace_swaps(proc, ::getpid());
	if (!devices)
		return std::nullopt;
	for (const auto& d : *devices)
		if (d.path == path && d.state == SwapDevice::State::draining)
			return d;
	return std::nullopt;
}

// Swaps off the devices of @plan that a dead namespace left to ours; those still on in a
// living namespace, or that will not go off, are reported and kept in @in_use.
void swap_off_leftovers(const ChildPlan& plan, std::vector<std::filesystem::path>& in_use,
			Environment& env)
{
	for (const auto& s : plan.swapon) {
		if (auto left = draining_here(s.path, env.proc)) {
			// The command may have swapped another file on under this name.
			auto off = swap_off_device(*left);
			if (off)
				continue;
			env.err << "swapns unshare: " << off.error().message()
				<< "; it stays on: run 'swapns gc' later\n";
			in_use.push_back(s.path);
		} else if (is_active_swap_anywhere(s.path)) {
			env.err << "swapns unshare: " << s.path.string()
				<< " stays on: the namespace still has processes (or is held open); "
				   "run 'swapns gc' once they are gone\n";
			in_use.push_back(s.path);
		}
	}
}

// Files made for this run, removed again unless kept or still a swap device: by remove(),
// while a signal cannot end swapns midway, or else when this goes out of scope.
struct CreatedFiles {
	std::vector<std::filesystem::path> paths, in_use;
	bool keep = false;
	void remove()
	{
		if (!keep)
			for (const auto& p : paths)
				if (std::find(in_use.begin(), in_use.end(), p) == in_use.end())
					::unlink(p.c_str());
		paths.clear();
	}
	~CreatedFiles() { remove(); }
};

} // namespace

int unshare_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax(
		"unshare",
		"usage: swapns unshare [--swapfile PATH[:SIZE]]... [--priority P] [--memory-max SIZE]\n"
		"                      [--swap-max SIZE] [--keep] [--kill-child[=SIGNAL]]\n"
		"                      -- COMMAND [ARG]...\n\n"
		"Run COMMAND in a new swap namespace whose pages swap only to the given swapfiles\n"
		"(created first when a SIZE is given), optionally in a new cgroup with memory limits.\n"
		"swapns waits for COMMAND, passing signals on, then swaps the files off and removes\n"
		"those it created (unless --keep), and exits with COMMAND's status (or is killed by\n"
		"the signal that killed COMMAND).\n");
	syntax.options.add_options()
		("swapfile", po::value<std::vector<std::string>>()->composing(),
		 "PATH[:SIZE]: swap on PATH inside the namespace; with SIZE (e.g. 512M), create it "
		 "first with 'swapns mkswap' (it must not exist); repeatable")
		("priority", po::value<std::string>(), "swap priority of the files, 0..32767 (default: automatic)")
		("memory-max", po::value<std::string>(), "memory.max of a new cgroup v2 child for COMMAND")
		("swap-max", po::value<std::string>(), "memory.swap.max of that cgroup")
		("keep", po::bool_switch(), "keep the swapfiles created for this run")
		("kill-child", po::value<std::string>()->implicit_value("KILL"),
		 "SIGNAL: have COMMAND sent SIGNAL (default KILL) if swapns dies before it, as "
		 "unshare(1) --kill-child does");

	SplitArgs split = split_at_double_dash(args);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, split.options, env, vm))
		return *done;
	if (split.command.empty()) {
		env.err << "swapns unshare: no command: give it after '--', e.g. swapns unshare "
			   "--swapfile /var/swap/job:1G -- ./job\n";
		return exit_usage;
	}

	auto kill_child = kill_child_signal(vm, "unshare", env);
	if (!kill_child)
		return exit_usage;
	int swap_flags = 0;
	if (vm.count("priority")) {
		auto flags = parse_priority_flags(vm["priority"].as<std::string>());
		if (!flags) {
			env.err << "swapns unshare: --priority '" << vm["priority"].as<std::string>()
				<< "' is not a number from 0 to 32767\n";
			return exit_usage;
		}
		swap_flags = *flags;
	}
	MemoryLimits limits;
	for (auto [name, field] : {std::pair{"memory-max", &MemoryLimits::memory_max},
				   std::pair{"swap-max", &MemoryLimits::swap_max}}) {
		if (!vm.count(name))
			continue;
		// "max", as the cgroup file takes it: a child cgroup without that limit.
		if (vm[name].as<std::string>() == "max") {
			limits.*field = MemoryLimits::unlimited;
			continue;
		}
		auto size = parse_size(vm[name].as<std::string>());
		if (!size) {
			env.err << "swapns unshare: --" << name << " '" << vm[name].as<std::string>()
				<< "' is neither max nor a size: use " << size_syntax << "\n";
			return exit_usage;
		}
		limits.*field = *size;
	}
	std::vector<SwapfileSpec> specs;
	if (vm.count("swapfile"))
		for (const auto& s : vm["swapfile"].as<std::vector<std::string>>())
			specs.push_back(parse_swapfile_spec(s));
	// A size asks for a new file; unshare never replaces one.
	for (const auto& spec : specs) {
		struct stat st {};
		if (spec.size && ::lstat(spec.path.c_str(), &st) == 0) {
			env.err << "swapns unshare: " << spec.path.string()
				<< " exists: to use it as it is, leave out the size (--swapfile "
				<< spec.path.string() << "); to make a new one, remove it first\n";
			return exit_failure;
		}
	}

	if (auto supported = check_swap_ns_support(env.proc.root().string()); !supported) {
		env.err << "swapns unshare: " << supported.error().context() << "\n";
		return exit_failure;
	}

	// SIGINT or SIGTERM, from here until the command runs, stops cleanly: no file is left
	// half-made, and those already made go again (CreatedFiles, destroyed first). Once the
	// command runs, the supervisor passes them on, and holds them back until it has cleaned up.
	std::optional<InterruptScope> interrupt;
	interrupt.emplace();
	CreatedFiles created;
	created.keep = vm["keep"].as<bool>();
	ChildPlan plan;
	plan.new_swap_namespace = true;
	plan.argv = split.command;
	// Files to use as they are must be there before any is made.
	for (const auto& spec : specs)
		if (!spec.size && ::access(spec.path.c_str(), F_OK) != 0) {
			env.err << "swapns unshare: " << spec.path.string()
				<< " does not exist: give a size (--swapfile " << spec.path.string()
				<< ":SIZE) to create it\n";
			return exit_failure;
		}
	{
		for (const auto& spec : specs) {
			if (spec.size) {
				SwapfileRequest req;
				req.path = spec.path;
				req.size = *spec.size;
				req.label = std::string(created.keep ? unshare_keep_label : unshare_label);
				req.fill.cancel = &interrupt->flag();
				auto made = create_swapfile(req, static_cast<size_t>(::sysconf(_SC_PAGESIZE)));
				if (!made && interrupt->interrupted()) {
					env.err << "swapns unshare: interrupted while making "
						<< spec.path.string() << "; no command was run\n";
					return exit_interrupted;
				}
				if (!made) {
					env.err << "swapns unshare: " << made.error().message() << "\n";
					return exit_failure;
				}
			}
			// As the kernel will show it: no "..", no symlinks.
			std::error_code ec;
			auto path = std::filesystem::canonical(spec.path, ec);
			if (ec) {
				env.err << "swapns unshare: " << spec.path.string() << ": " << ec.message()
					<< "\n";
				return exit_failure;
			}
			if (spec.size)
				created.paths.push_back(path);
			plan.swapon.push_back({path, swap_flags});
		}
	}

	std::optional<CgroupChild> cgroup;
	if (limits.any()) {
		auto parent = own_cgroup_dir(env.proc.root());
		if (!parent) {
			env.err << "swapns unshare: " << parent.error().message() << "\n";
			return exit_failure;
		}
		auto child = CgroupChild::create(*parent, unshare_cgroup_name(::getpid()), limits);
		if (!child) {
			env.err << "swapns unshare: " << child.error().message() << "\n";
			return exit_failure;
		}
		cgroup.emplace(std::move(*child));
		plan.cgroup = cgroup->path();
	}

	plan.kill_child_signal = *kill_child;
	plan.cancel = &interrupt->flag();
	LaunchStep failed = LaunchStep::start;
	auto started = SupervisedChild::start(plan, &failed);
	if (!started && interrupt->interrupted() && failed == LaunchStep::start &&
	    started.error().errnum() == EINTR) {
		env.err << "swapns unshare: interrupted; no command was run\n";
		return exit_interrupted;
	}
	// From here on the supervisor holds the signals back (or, if it failed, the scope still
	// catches them) until the cleanup below is done.
	if (started)
		interrupt.reset();
	if (!started) {
		env.err << "swapns unshare: " << launch_error_message(failed, started.error()) << "\n";
		// A device swapped on before a later step failed is left to us, drain-only.
		swap_off_leftovers(plan, created.in_use, env);
		cgroup.reset();
		created.remove();
		return launch_exit_status(failed, started.error());
	}
	auto ended = started->wait();
	if (!ended) {
		env.err << "swapns unshare: " << ended.error().message() << "\n";
		return exit_failure;
	}

	// The namespace died with COMMAND unless something else still holds it; its devices are
	// then ours, drain-only, and swapping them off brings back any page still on them.
	swap_off_leftovers(plan, created.in_use, env);
	// Before `started` goes, which unblocks the signals.
	cgroup.reset();
	created.remove();
	if (ended->signaled)
		env.end_signal = ended->code;
	return ended->shell_status();
}

} // namespace swapns::cli
