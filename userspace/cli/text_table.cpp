#include "text_table.hpp"

#include <algorithm>

namespace swapns::cli {

namespace {

void print_row(std::ostream& os, const std::vector<std::string>& cells,
	       const std::vector<TextTable::Column>& columns, const std::vector<size_t>& widths)
{
	bool full = cells.size() == columns.size();
	for (size_t i = 0; i < cells.size(); i++) {
		bool last = i + 1 == cells.size();
		size_t pad = widths[i] > cells[i].size() ? widths[i] - cells[i].size() : 0;
		if (i > 0)
			os << "  ";
		if (!full && last) {
			os << cells[i];
		} else if (columns[i].align == TextTable::Align::right) {
			os << std::string(pad, ' ') << cells[i];
		} else {
			os << cells[i];
			if (!last)
				os << std::string(pad, ' ');
		}
	}
	os << "\n";
}

} // namespace

void TextTable::add_row(std::vector<std::string> cells)
{
	cells.resize(std::min(cells.size(), columns_.size()));
	rows_.push_back(std::move(cells));
}

void TextTable::print(std::ostream& os) const
{
	std::vector<size_t> widths;
	std::vector<std::string> headings;
	for (const auto& column : columns_) {
		widths.push_back(column.heading.size());
		headings.push_back(column.heading);
	}
	for (const auto& row : rows_) {
		bool full = row.size() == columns_.size();
		for (size_t i = 0; i < row.size(); i++)
			if (full || i + 1 < row.size())
				widths[i] = std::max(widths[i], row[i].size());
	}
	print_row(os, headings, columns_, widths);
	for (const auto& row : rows_)
		print_row(os, row, columns_, widths);
}

} // namespace swapns::cli
