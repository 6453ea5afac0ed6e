#include "output_options.hpp"

namespace swapns::cli {

namespace po = boost::program_options;

void add_output_options(po::options_description& options, OutputOptions& into)
{
	auto store_columns = [&into](const std::string& list) { into.columns = list; };
	options.add_options()
		("json,J", po::bool_switch(&into.json), "print JSON (fields documented in swapns(1))")
		("output,o", po::value<std::string>()->value_name("COLUMNS")->notifier(store_columns),
		 "the columns to print, comma-separated (see below)")
		("output-all,O", po::bool_switch(&into.all_columns), "print all columns")
		("noheadings,n", po::bool_switch(&into.noheadings), "do not print headings")
		("raw,r", po::bool_switch(&into.raw), "print the raw format: one space between columns, "
						      "unsafe characters escaped as \\xHH")
		("bytes,b", po::bool_switch(&into.bytes), "print sizes in bytes rather than as 1.5G");
}

std::optional<std::string> output_options_conflict(const OutputOptions& options)
{
	if (options.json && options.raw)
		return "--json and --raw are two formats; choose one";
	if (options.json && (options.columns || options.all_columns))
		return std::string("--json prints every field; select fields with a JSON tool (e.g. jq) "
				   "rather than ") + (options.columns ? "--output" : "--output-all");
	if (options.columns && options.all_columns)
		return "--output and --output-all contradict each other; choose one";
	return std::nullopt;
}

Result<std::vector<size_t>> choose_columns(const OutputOptions& options, std::span<const ColumnSpec> columns,
					    std::vector<size_t> defaults)
{
	if (options.all_columns)
		return all_columns(columns);
	if (!options.columns)
		return defaults;
	auto known = column_names(columns);
	auto names = parse_column_list(*options.columns, known);
	if (!names)
		return names.error();
	return *find_columns(*names, columns);
}

} // namespace swapns::cli
