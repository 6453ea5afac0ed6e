#include "output_columns.hpp"

#include <algorithm>
#include <strings.h>

namespace swapns::cli {

namespace {

bool same_name(std::string_view a, std::string_view b)
{
	return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string joined(std::span<const std::string_view> names)
{
	std::string text;
	for (auto name : names)
		text += (text.empty() ? "" : ", ") + std::string(name);
	return text;
}

} // namespace

Result<std::vector<std::string_view>> parse_column_list(std::string_view list,
							 std::span<const std::string_view> known)
{
	std::vector<std::string_view> names;
	for (size_t begin = 0;;) {
		size_t comma = list.find(',', begin);
		size_t end = comma == std::string_view::npos ? list.size() : comma;
		std::string_view given = list.substr(begin, end - begin);
		if (given.empty())
			return Error::refusal(EINVAL, "an empty column name in '" + std::string(list) +
						      "'; the columns are " + joined(known));
		auto match = std::find_if(known.begin(), known.end(),
					  [&](std::string_view name) { return same_name(name, given); });
		if (match == known.end())
			return Error::refusal(EINVAL, "unknown column '" + std::string(given) +
						      "'; the columns are " + joined(known));
		names.push_back(*match);
		if (comma == std::string_view::npos)
			return names;
		begin = comma + 1;
	}
}

std::optional<std::vector<size_t>> find_columns(std::span<const std::string_view> names,
						std::span<const ColumnSpec> columns)
{
	std::vector<size_t> found;
	for (auto name : names) {
		auto match = std::find_if(columns.begin(), columns.end(),
					  [&](const ColumnSpec& column) { return column.name == name; });
		if (match == columns.end())
			return std::nullopt;
		found.push_back(static_cast<size_t>(match - columns.begin()));
	}
	return found;
}

std::vector<size_t> all_columns(std::span<const ColumnSpec> columns)
{
	std::vector<size_t> all(columns.size());
	for (size_t i = 0; i < all.size(); i++)
		all[i] = i;
	return all;
}

std::vector<std::string_view> column_names(std::span<const ColumnSpec> columns)
{
	std::vector<std::string_view> names;
	for (const auto& column : columns)
		names.push_back(column.name);
	return names;
}

std::vector<TextTable::Column> table_columns(std::span<const ColumnSpec> columns,
					     std::span<const size_t> chosen)
{
	std::vector<TextTable::Column> table;
	for (size_t i : chosen)
		table.push_back({std::string(columns[i].name), columns[i].align});
	return table;
}

std::string columns_help(std::string_view title, std::span<const ColumnSpec> columns)
{
	size_t width = 0;
	for (const auto& column : columns)
		width = std::max(width, column.name.size());
	std::string text = std::string(title) + "\n";
	for (const auto& column : columns)
		text += " " + std::string(column.name) + std::string(width - column.name.size() + 2, ' ') +
			std::string(column.help) + "\n";
	return text;
}

} // namespace swapns::cli
