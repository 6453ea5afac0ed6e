// The columns of swapns list's table of namespaces.
#pragma once

#include <sys/types.h>

#include <span>
#include <string>
#include <vector>

#include "output_columns.hpp"
#include "swapns/namespace_census.hpp"

namespace swapns::cli {

// Indices into namespace_columns().
enum class NamespaceColumn : size_t { namespace_inode, parent, processes, pids, size, used };

std::span<const ColumnSpec> namespace_columns();

// The text of COLUMN for NS. The caller's own namespace is "INODE (yours)", but in raw output.
std::string namespace_cell(NamespaceColumn column, const SwapNamespaceEntry& ns, CellFormat format);

// "1 2 900", the first five and "..." after them if there are more, "-" for none: the table
// stays readable, JSON has them all.
std::string pid_list(const std::vector<pid_t>& pids);

} // namespace swapns::cli
