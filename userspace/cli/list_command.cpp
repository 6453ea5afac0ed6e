// swapns list [--json]: every swap namespace on the host, its processes and its swap devices.
#include "cli.hpp"
#include "command_line.hpp"
#include "swap_json.hpp"
#include "text_table.hpp"

#include "swapns/namespace_census.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

using Align = TextTable::Align;

// The text table shows the first few members, to stay readable; JSON has them all.
constexpr size_t members_shown = 5;

std::string pid_list(const std::vector<pid_t>& pids)
{
	if (pids.empty())
		return "-";
	std::string text;
	for (size_t i = 0; i < pids.size() && i < members_shown; i++)
		text += (i ? " " : "") + std::to_string(pids[i]);
	if (pids.size() > members_shown)
		text += " ...";
	return text;
}

// "own", "inherited from 4026531830", "draining": a device of another namespace names it; "inherited
// from above" for one whose namespace lies above the caller's, which the kernel shows as 0.
std::string device_state(const SwapNamespaceEntry& ns, const SwapDevice& d)
{
	std::string state(to_string(d.state));
	if (d.namespace_inode == 0)
		state += " from above";
	else if (d.namespace_inode != ns.inode)
		state += " from " + std::to_string(d.namespace_inode);
	return state;
}

void print_namespaces(std::ostream& out, const SwapNamespaceCensus& census)
{
	TextTable table({{"NAMESPACE"},
			 {"PARENT"},
			 {"PROCESSES", Align::right},
			 {"PIDS"},
			 {"SIZE KiB", Align::right},
			 {"USED KiB", Align::right}});
	for (const auto& ns : census.namespaces) {
		bool known = ns.devices.ok();
		table.add_row({std::to_string(ns.inode) + (ns.self ? " (yours)" : ""),
			       ns.parent ? std::to_string(*ns.parent) : "-",
			       std::to_string(ns.members.size()),
			       pid_list(ns.members),
			       known ? std::to_string(ns.size_kib()) : "-",
			       known ? std::to_string(ns.used_kib()) : "-"});
	}
	table.print(out);
}

void print_devices(std::ostream& out, const SwapNamespaceCensus& census)
{
	TextTable table({{"NAMESPACE"},
			 {"TYPE", Align::right},
			 {"KIND"},
			 {"SIZE KiB", Align::right},
			 {"USED KiB", Align::right},
			 {"PRIORITY", Align::right},
			 {"STATE"},
			 {"PATH"}});
	for (const auto& ns : census.namespaces) {
		std::string inode = std::to_string(ns.inode);
		if (!ns.devices) {
			table.add_row({inode, "devices unknown: " + ns.devices.error().message()});
			continue;
		}
		if (ns.devices->empty()) {
			table.add_row({inode, "no devices: pages of this namespace are not swapped"});
			continue;
		}
		for (const auto& d : *ns.devices)
			table.add_row({inode,
				       std::to_string(d.type),
				       d.partition ? "partition" : "file",
				       std::to_string(d.size_kib),
				       std::to_string(d.used_kib),
				       std::to_string(d.priority),
				       device_state(ns, d),
				       d.path});
	}
	table.print(out);
}

void print_text(std::ostream& out, const SwapNamespaceCensus& census)
{
	if (census.namespaces.empty()) {
		out << "no swap namespace is visible to you\n";
	} else {
		print_namespaces(out, census);
		out << "\n";
		print_devices(out, census);
	}
	if (!census.inaccessible.empty())
		out << "\n"
		    << census.inaccessible.size() << " process(es) not shown (" << pid_list(census.inaccessible)
		    << "): reading their /proc/PID/ns/swap needs ptrace read access; run as root to see them\n";
}

nlohmann::json census_json(const SwapNamespaceCensus& census)
{
	nlohmann::json namespaces = nlohmann::json::array();
	for (const auto& ns : census.namespaces) {
		nlohmann::json j = {{"inode", ns.inode},
				    {"self", ns.self},
				    {"parent", nullptr},
				    {"members", ns.members}};
		if (ns.parent)
			j["parent"] = *ns.parent;
		if (ns.devices) {
			j["devices"] = nlohmann::json::array();
			for (const auto& d : *ns.devices)
				j["devices"].push_back(swap_device_json(d));
			j["size_kib"] = ns.size_kib();
			j["used_kib"] = ns.used_kib();
		} else {
			j["error"] = ns.devices.error().message();
		}
		namespaces.push_back(std::move(j));
	}
	return {{"namespaces", std::move(namespaces)}, {"inaccessible_pids", census.inaccessible}};
}

// What to do about a failed census, beyond what the error says.
std::string advice(const Error& error, const ProcFs& proc)
{
	switch (error.errnum()) {
	case ENOTSUP:
		return ""; // the message names the missing kernel feature
	case 0:
		return "; swapns does not understand this kernel's swap namespace interface (docs/abi.md)";
	case ENOENT:
	case ENOTDIR:
		return "; is procfs mounted at " + proc.root().string() + "?";
	default:
		return "";
	}
}

} // namespace

int list_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax("list", "usage: swapns list [--json]\n\n"
				     "The swap namespaces, their processes and their swap devices.\n");
	syntax.options.add_options()("json", "print JSON (fields documented in swapns(1))");
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;

	auto census = take_swap_namespace_census(env.proc);
	if (!census) {
		env.err << "swapns list: " << census.error().message() << advice(census.error(), env.proc) << "\n";
		return exit_failure;
	}
	if (vm.count("json"))
		env.out << json_text(census_json(*census)) << "\n";
	else
		print_text(env.out, *census);
	return exit_ok;
}

} // namespace swapns::cli
