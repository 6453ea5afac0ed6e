// swapns list: every swap namespace on the host, its processes and its swap devices, as tables
// (aligned or raw, columns chosen with --output) or as JSON.
#include "cli.hpp"
#include "command_line.hpp"
#include "device_columns.hpp"
#include "list_text.hpp"
#include "namespace_columns.hpp"
#include "output_options.hpp"
#include "swap_json.hpp"

#include "swapns/namespace_census.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

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
			j["size"] = ns.size_bytes();
			j["used"] = ns.used_bytes();
			j["size_kib"] = ns.size_kib();
			j["used_kib"] = ns.used_kib();
		} else {
			j["error"] = ns.devices.error().message();
		}
		namespaces.push_back(std::move(j));
	}
	return {{"version", json_format_version},
		{"namespaces", std::move(namespaces)},
		{"inaccessible_pids", census.inaccessible}};
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
	CommandSyntax syntax("list", "usage: swapns list [-J|--json] [-o|--output COLUMNS] [-O|--output-all]\n"
				     "                   [-n|--noheadings] [-r|--raw] [-b|--bytes]\n\n"
				     "The swap namespaces, their processes and their swap devices.\n");
	OutputOptions output;
	add_output_options(syntax.options, output);
	syntax.epilogue = "\n" + columns_help("Columns of the namespaces table:", namespace_columns()) + "\n" +
			  columns_help("Columns of the devices table:", device_columns()) +
			  "\n--output prints each table that has all the columns named.\n";
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (auto conflict = output_options_conflict(output)) {
		env.err << "swapns list: " << *conflict << "\n";
		return exit_usage;
	}
	auto columns = choose_list_columns(output);
	if (!columns) {
		env.err << "swapns list: --output: " << columns.error().message() << "\n";
		return exit_usage;
	}

	auto census = take_swap_namespace_census(env.proc);
	if (!census) {
		env.err << "swapns list: " << census.error().message() << advice(census.error(), env.proc) << "\n";
		return exit_failure;
	}
	if (output.json)
		env.out << json_text(census_json(*census)) << "\n";
	else
		print_list_text(env.out, env.err, *census, *columns, output);
	return exit_ok;
}

} // namespace swapns::cli
