// The output options that list and status share, spelled as lsblk(8) spells them: -J/--json,
// -o/--output, -O/--output-all, -n/--noheadings, -r/--raw, -b/--bytes.
#pragma once

#include <boost/program_options.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "output_columns.hpp"
#include "swapns/result.hpp"
#include "text_table.hpp"

namespace swapns::cli {

struct OutputOptions {
	std::optional<std::string> columns; // --output
	bool all_columns = false;           // --output-all
	bool noheadings = false;
	bool raw = false;
	bool bytes = false;
	bool json = false;

	TextTable::Style style() const { return {.headings = !noheadings, .raw = raw}; }
	CellFormat cell_format() const { return {.exact_sizes = bytes, .raw = raw}; }
};

// Adds the options to OPTIONS, to be stored into INTO when the command line is parsed.
void add_output_options(boost::program_options::options_description& options, OutputOptions& into);

// What is wrong with the combination, or nullopt. JSON is one documented document with every
// field and sizes in bytes: --output, --output-all and --raw, which it cannot honour, are
// refused with it rather than ignored (--noheadings and --bytes it honours as it is). --output
// and --output-all contradict each other.
std::optional<std::string> output_options_conflict(const OutputOptions& options);

// The columns to print of a table with COLUMNS: those --output names (EINVAL, saying why, for a
// name that is none of COLUMNS), all of them for --output-all, else DEFAULTS.
Result<std::vector<size_t>> choose_columns(const OutputOptions& options, std::span<const ColumnSpec> columns,
					    std::vector<size_t> defaults);

} // namespace swapns::cli
