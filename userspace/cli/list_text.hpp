// The text output of swapns list: a table of the namespaces, then a table of their devices.
#pragma once

#include <ostream>
#include <vector>

#include "output_options.hpp"
#include "swapns/namespace_census.hpp"
#include "swapns/result.hpp"

namespace swapns::cli {

// The columns of each table, indices into namespace_columns() and device_columns(); a table
// without columns is not printed.
struct ListColumns {
	std::vector<size_t> namespaces;
	std::vector<size_t> devices;
};

// All columns of both tables by default and for --output-all. --output prints each table that
// has every column it names: NAMESPACE, SIZE and USED are in both, the others in one. Fails
// (EINVAL) for a name that is no column and for names that no one table has.
Result<ListColumns> choose_list_columns(const OutputOptions& options);

// The tables, a blank line between them. A namespace whose devices are unknown, or without
// devices, has a remark in the devices table in place of its devices when NAMESPACE is the
// first of several columns and the output is aligned; otherwise it has no row there, and why
// its devices are unknown goes to ERR. So does the note on processes not shown in raw output.
void print_list_text(std::ostream& out, std::ostream& err, const SwapNamespaceCensus& census,
		     const ListColumns& columns, const OutputOptions& options);

} // namespace swapns::cli
