#include "namespace_columns.hpp"

#include "human_size.hpp"

namespace swapns::cli {

namespace {

using Align = TextTable::Align;

constexpr ColumnSpec columns[] = {
	{"NAMESPACE", "inode of the swap namespace, as in /proc/PID/ns/swap"},
	{"PARENT", "inode of its parent, where the kernel shows it"},
	{"PROCESSES", "number of processes with a thread in it", Align::right},
	{"PIDS", "the first five of those processes"},
	{"SIZE", "size of its own and draining devices", Align::right},
	{"USED", "bytes in use on them", Align::right},
};

constexpr size_t members_shown = 5;

} // namespace

std::span<const ColumnSpec> namespace_columns()
{
	return columns;
}

std::string namespace_cell(NamespaceColumn column, const SwapNamespaceEntry& ns, CellFormat format)
{
	bool known = ns.devices.ok();
	switch (column) {
	case NamespaceColumn::namespace_inode:
		return std::to_string(ns.inode) + (ns.self && !format.raw ? " (yours)" : "");
	case NamespaceColumn::parent:
		return ns.parent ? std::to_string(*ns.parent) : "-";
	case NamespaceColumn::processes:
		return std::to_string(ns.members.size());
	case NamespaceColumn::pids:
		return pid_list(ns.members);
	case NamespaceColumn::size:
		return known ? size_text(ns.size_bytes(), format.exact_sizes) : "-";
	case NamespaceColumn::used:
		return known ? size_text(ns.used_bytes(), format.exact_sizes) : "-";
	}
	return "";
}

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

} // namespace swapns::cli
