// swapns status -t PID [--json]: what the kernel says about a task's mm owner.
#include "cli.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <optional>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

std::optional<pid_t> parse_target(const std::string& s)
{
	pid_t pid = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
	if (ec != std::errc() || end != s.data() + s.size() || pid <= 0)
		return std::nullopt;
	return pid;
}

std::string describe_owner(const TaskStatus& st)
{
	switch (st.mm_owner.state) {
	case MmOwner::State::task:
		return std::to_string(st.mm_owner.tid) + (st.mm_owner.tid == st.pid ? " (this task)" : "");
	case MmOwner::State::none:
		return "none (no owner, or the owner is outside this pid namespace)";
	case MmOwner::State::no_mm:
		return st.kernel_thread ? "none (kernel thread: no mm)" : "none (no mm)";
	case MmOwner::State::unsupported:
		return "not reported by this kernel (it lacks the swapns mm owner patches)";
	}
	return "unknown";
}

} // namespace

int status_command(const std::vector<std::string>& args, Environment& env)
{
	po::options_description opts("usage: swapns status -t PID [--json]\n\noptions");
	std::string target;
	opts.add_options()
		("help,h", "show this help")
		("target,t", po::value<std::string>(&target)->value_name("PID"), "the task to inspect")
		("json", "print JSON (fields documented in docs/man/swapns-status.1.md)");
	po::variables_map vm;
	try {
		po::store(po::command_line_parser(args).options(opts).run(), vm);
		po::notify(vm);
	} catch (const po::error& e) {
		env.err << "swapns status: " << e.what() << "; run 'swapns status --help'\n";
		return exit_usage;
	}
	if (vm.count("help")) {
		env.out << opts;
		return exit_ok;
	}
	if (target.empty()) {
		env.err << "swapns status: which task? give its PID with -t PID\n";
		return exit_usage;
	}
	auto pid = parse_target(target);
	if (!pid) {
		env.err << "swapns status: invalid PID '" << target << "': expected a positive number\n";
		return exit_usage;
	}

	auto st = read_task_status(env.proc, *pid);
	if (!st) {
		if (st.error().errnum() == ENOENT)
			env.err << "swapns status: no task with PID " << *pid << " (" << st.error().message() << ")\n";
		else
			env.err << "swapns status: " << st.error().message() << "\n";
		return exit_failure;
	}

	if (vm.count("json")) {
		nlohmann::json j = {
			{"pid", st->pid},
			{"tgid", st->tgid},
			{"name", st->name},
			{"mm_owner", {{"state", to_string(st->mm_owner.state)}, {"tid", st->mm_owner.tid}}},
		};
		env.out << j.dump(2) << "\n";
	} else {
		env.out << "pid:       " << st->pid << "\n"
			<< "name:      " << st->name << "\n"
			<< "mm owner:  " << describe_owner(*st) << "\n";
	}
	return exit_ok;
}

} // namespace swapns::cli
