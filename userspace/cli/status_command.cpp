// swapns status -t PID [--json]: what the kernel says about a task's mm owner and swap namespace.
#include "cli.hpp"
#include "command_line.hpp"
#include "cli_args.hpp"
#include "swap_json.hpp"

#include "swapns/namespace_swaps.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <optional>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

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

// The swap namespace part of the report; a kernel without swap namespaces is not an error.
struct SwapReport {
	Result<uint64_t> inode;
	Result<std::vector<SwapDevice>> devices;
};

SwapReport read_swap_report(const ProcFs& proc, pid_t pid)
{
	return {read_swap_namespace_inode(proc, pid), read_namespace_swaps(proc, pid)};
}

void print_swap_report(std::ostream& out, const SwapReport& r)
{
	if (!r.inode) {
		out << "swap ns:   " << (r.inode.error().errnum() == ENOTSUP ? "not supported: " : "unknown: ")
		    << r.inode.error().message() << "\n";
		return;
	}
	out << "swap ns:   " << *r.inode << "\n";
	if (!r.devices) {
		out << "swap devs: unknown: " << r.devices.error().message() << "\n";
		return;
	}
	if (r.devices->empty()) {
		out << "swap devs: none (pages of this namespace are not swapped)\n";
		return;
	}
	out << "swap devs:\n";
	for (const auto& d : *r.devices) {
		out << "  type " << d.type << "  " << d.path << "  " << (d.partition ? "partition" : "file") << "  "
		    << d.size_kib << " KiB, " << d.used_kib << " KiB used, priority " << d.priority << ", "
		    << to_string(d.state);
		// The kernel shows 0 for a namespace above the reader's own (docs/abi.md).
		if (d.state == SwapDevice::State::inherited && d.namespace_inode)
			out << " from namespace " << d.namespace_inode;
		else if (d.state == SwapDevice::State::inherited)
			out << " from a namespace above yours";
		out << "\n";
	}
}

nlohmann::json swap_report_json(const SwapReport& r)
{
	if (!r.inode)
		return {{"supported", r.inode.error().errnum() != ENOTSUP}, {"error", r.inode.error().message()}};
	nlohmann::json j = {{"supported", true}, {"inode", *r.inode}};
	if (!r.devices) {
		j["error"] = r.devices.error().message();
		return j;
	}
	j["devices"] = nlohmann::json::array();
	for (const auto& d : *r.devices)
		j["devices"].push_back(swap_device_json(d));
	return j;
}

} // namespace

int status_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax("status", "usage: swapns status -t PID [--json]\n\n"
				       "The swap namespace of a task and the devices it swaps to.\n");
	std::string target;
	syntax.options.add_options()
		("target,t", po::value<std::string>(&target)->value_name("PID"), "the task to inspect")
		("json", "print JSON (fields documented in swapns(1))");
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (target.empty()) {
		env.err << "swapns status: which task? give its PID with -t PID\n";
		return exit_usage;
	}
	auto pid = parse_pid(target);
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

	SwapReport swap = read_swap_report(env.proc, *pid);
	if (vm.count("json")) {
		nlohmann::json j = {
			{"pid", st->pid},
			{"tgid", st->tgid},
			{"name", st->name},
			{"mm_owner", {{"state", to_string(st->mm_owner.state)}, {"tid", st->mm_owner.tid}}},
			{"swap_namespace", swap_report_json(swap)},
		};
		env.out << json_text(j) << "\n";
	} else {
		env.out << "pid:       " << st->pid << "\n"
			<< "name:      " << st->name << "\n"
			<< "mm owner:  " << describe_owner(*st) << "\n";
		print_swap_report(env.out, swap);
	}
	return exit_ok;
}

} // namespace swapns::cli
