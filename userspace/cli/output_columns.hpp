// Columns that a table offers to --output, as util-linux's tools offer theirs (swapon --show,
// lsblk), and the reading of the comma-separated list that --output takes.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/result.hpp"
#include "text_table.hpp"

namespace swapns::cli {

struct ColumnSpec {
	std::string_view name; // the heading, and what --output takes (in any case)
	std::string_view help; // one line, for --help
	TextTable::Align align = TextTable::Align::left;
};

// How cells are written, from the output options.
struct CellFormat {
	bool exact_sizes = false; // --bytes: sizes in bytes rather than as human_size()
	bool raw = false;         // --raw: no decorations meant for people, e.g. "(yours)"
};

// The names in LIST ("NAME,size", any case) as KNOWN spells them, in order, repeats kept.
// Fails (EINVAL) on an empty name, and on an unknown one, naming it and listing KNOWN.
Result<std::vector<std::string_view>> parse_column_list(std::string_view list,
							 std::span<const std::string_view> known);

// Where each of NAMES is in COLUMNS, in the order of NAMES; nullopt if COLUMNS lacks one.
std::optional<std::vector<size_t>> find_columns(std::span<const std::string_view> names,
						std::span<const ColumnSpec> columns);

// 0, 1, ... for every column of COLUMNS: --output-all.
std::vector<size_t> all_columns(std::span<const ColumnSpec> columns);

// The names of COLUMNS, for parse_column_list().
std::vector<std::string_view> column_names(std::span<const ColumnSpec> columns);

// The headings and alignment of the chosen COLUMNS, for a TextTable.
std::vector<TextTable::Column> table_columns(std::span<const ColumnSpec> columns,
					     std::span<const size_t> chosen);

// For --help, as swapon --help lists its columns: TITLE, then " NAME  help" for each column.
std::string columns_help(std::string_view title, std::span<const ColumnSpec> columns);

} // namespace swapns::cli
