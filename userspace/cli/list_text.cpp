#include "list_text.hpp"

#include <algorithm>

#include "device_columns.hpp"
#include "namespace_columns.hpp"

namespace swapns::cli {

namespace {

// Each name once, in the order of the namespaces table, then of the devices table.
std::vector<std::string_view> list_column_names()
{
	auto names = column_names(namespace_columns());
	for (auto name : column_names(device_columns()))
		if (std::find(names.begin(), names.end(), name) == names.end())
			names.push_back(name);
	return names;
}

TextTable namespaces_table(const SwapNamespaceCensus& census, const std::vector<size_t>& chosen,
			   CellFormat format)
{
	TextTable table(table_columns(namespace_columns(), chosen));
	for (const auto& ns : census.namespaces) {
		std::vector<std::string> cells;
		for (size_t column : chosen)
			cells.push_back(namespace_cell(static_cast<NamespaceColumn>(column), ns, format));
		table.add_row(std::move(cells));
	}
	return table;
}

TextTable devices_table(const SwapNamespaceCensus& census, const std::vector<size_t>& chosen,
			const OutputOptions& options, std::ostream& err)
{
	TextTable table(table_columns(device_columns(), chosen));
	// A remark needs the namespace in front of it to say whose devices it is about, and a
	// column after it to stand in.
	bool remarks = !options.raw && chosen.size() > 1 &&
		       chosen.front() == static_cast<size_t>(DeviceColumn::namespace_inode);
	for (const auto& ns : census.namespaces) {
		std::string inode = std::to_string(ns.inode);
		if (!ns.devices) {
			std::string why = "devices unknown: " + ns.devices.error().message();
			if (remarks)
				table.add_remark({inode, why});
			else
				err << "swapns list: namespace " << inode << ": " << why << "\n";
			continue;
		}
		if (ns.devices->empty() && remarks)
			table.add_remark({inode, "no devices: pages of this namespace are not swapped"});
		for (const auto& device : *ns.devices)
			table.add_row(device_row(chosen, device, ns.inode, options.cell_format()));
	}
	return table;
}

} // namespace

Result<ListColumns> choose_list_columns(const OutputOptions& options)
{
	if (!options.columns)
		return ListColumns{all_columns(namespace_columns()), all_columns(device_columns())};
	auto known = list_column_names();
	auto names = parse_column_list(*options.columns, known);
	if (!names)
		return names.error();
	auto namespaces = find_columns(*names, namespace_columns());
	auto devices = find_columns(*names, device_columns());
	if (!namespaces && !devices)
		return Error::refusal(EINVAL, "'" + *options.columns +
					      "' names columns of both tables, the namespaces' and the "
					      "devices'; name those of one (NAMESPACE, SIZE and USED are in both)");
	return ListColumns{namespaces.value_or(std::vector<size_t>{}), devices.value_or(std::vector<size_t>{})};
}

void print_list_text(std::ostream& out, std::ostream& err, const SwapNamespaceCensus& census,
		     const ListColumns& columns, const OutputOptions& options)
{
	if (census.namespaces.empty() && !options.raw)
		out << "no swap namespace is visible to you\n";
	bool printed = false;
	if (!columns.namespaces.empty()) {
		TextTable table = namespaces_table(census, columns.namespaces, options.cell_format());
		table.print(out, options.style());
		printed = !table.empty();
	}
	if (!columns.devices.empty()) {
		TextTable table = devices_table(census, columns.devices, options, err);
		if (printed && !table.empty())
			out << "\n";
		table.print(out, options.style());
	}
	if (!census.inaccessible.empty()) {
		std::string note = std::to_string(census.inaccessible.size()) + " process(es) not shown (" +
				   pid_list(census.inaccessible) +
				   "): reading their /proc/PID/ns/swap needs ptrace read access; "
				   "run as root to see them\n";
		if (options.raw)
			err << "swapns list: " << note;
		else
			out << "\n" << note;
	}
}

} // namespace swapns::cli
