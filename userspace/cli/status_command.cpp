// swapns status -t PID: what the kernel says about a task's mm owner and swap namespace, as
// text with a table of the devices (aligned or raw, columns chosen with --output) or as JSON.
#include "cli.hpp"
#include "command_line.hpp"
#include "cli_args.hpp"
#include "device_columns.hpp"
#include "output_options.hpp"
#include "swap_json.hpp"
#include "text_table.hpp"

#include "swapns/namespace_swaps.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <sstream>

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

// The columns status shows by default: those of list's devices table but NAMESPACE, which is
// the task's namespace in every row.
std::vector<size_t> default_device_columns()
{
	std::vector<size_t> columns = all_columns(device_columns());
	columns.erase(columns.begin() + static_cast<ptrdiff_t>(DeviceColumn::namespace_inode));
	return columns;
}

TextTable devices_table(const std::vector<SwapDevice>& devices, uint64_t inode,
			const std::vector<size_t>& columns, CellFormat format)
{
	TextTable table(table_columns(device_columns(), columns));
	for (const auto& d : devices)
		table.add_row(device_row(columns, d, inode, format));
	return table;
}

// The text output: the swap namespace and a table of its devices, indented under "swap devs:".
void print_swap_report(std::ostream& out, const SwapReport& r, const std::vector<size_t>& columns,
		       const OutputOptions& options)
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
	std::ostringstream table;
	devices_table(*r.devices, *r.inode, columns, options.cell_format()).print(table, options.style());
	std::istringstream lines(table.str());
	for (std::string line; std::getline(lines, line);)
		out << "  " << line << "\n";
}

// The raw output is the devices table alone, for scripts; why there is none goes to ERR.
void print_swap_report_raw(std::ostream& out, std::ostream& err, const SwapReport& r,
			   const std::vector<size_t>& columns, const OutputOptions& options)
{
	if (!r.inode) {
		err << "swapns status: swap namespace "
		    << (r.inode.error().errnum() == ENOTSUP ? "not supported: " : "unknown: ")
		    << r.inode.error().message() << "\n";
		return;
	}
	if (!r.devices) {
		err << "swapns status: swap devices unknown: " << r.devices.error().message() << "\n";
		return;
	}
	devices_table(*r.devices, *r.inode, columns, options.cell_format()).print(out, options.style());
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
	CommandSyntax syntax("status",
			     "usage: swapns status -t PID [-J|--json] [-o|--output COLUMNS] [-O|--output-all]\n"
			     "                     [-n|--noheadings] [-r|--raw] [-b|--bytes]\n\n"
			     "The mm owner and swap namespace of a task, and the devices its namespace swaps to.\n"
			     "--raw prints the devices table alone.\n");
	std::string target;
	syntax.options.add_options()
		("target,t", po::value<std::string>(&target)->value_name("PID"), "the task to inspect");
	OutputOptions output;
	add_output_options(syntax.options, output);
	syntax.epilogue = "\n" + columns_help("Columns of the devices table:", device_columns());
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
	if (auto conflict = output_options_conflict(output)) {
		env.err << "swapns status: " << *conflict << "\n";
		return exit_usage;
	}
	auto columns = choose_columns(output, device_columns(), default_device_columns());
	if (!columns) {
		env.err << "swapns status: --output: " << columns.error().message() << "\n";
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
	if (output.json) {
		nlohmann::json j = {
			{"version", json_format_version},
			{"pid", st->pid},
			{"tgid", st->tgid},
			{"name", st->name},
			{"mm_owner", {{"state", to_string(st->mm_owner.state)}, {"tid", st->mm_owner.tid}}},
			{"swap_namespace", swap_report_json(swap)},
		};
		env.out << json_text(j) << "\n";
	} else if (output.raw) {
		print_swap_report_raw(env.out, env.err, swap, *columns, output);
	} else {
		env.out << "pid:       " << st->pid << "\n"
			<< "name:      " << aligned_cell(st->name) << "\n"
			<< "mm owner:  " << describe_owner(*st) << "\n";
		print_swap_report(env.out, swap, *columns, output);
	}
	return exit_ok;
}

} // namespace swapns::cli
