#include "text_table.hpp"

#include <algorithm>

namespace swapns::cli {

namespace {

void print_aligned_row(std::ostream& os, const std::vector<std::string>& cells, bool remark,
		       const std::vector<TextTable::Column>& columns, const std::vector<size_t>& widths)
{
	for (size_t i = 0; i < cells.size(); i++) {
		bool last = i + 1 == cells.size();
		size_t pad = widths[i] > cells[i].size() ? widths[i] - cells[i].size() : 0;
		if (i > 0)
			os << "  ";
		if (remark && last) {
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

void print_raw_row(std::ostream& os, const std::vector<std::string>& cells)
{
	for (size_t i = 0; i < cells.size(); i++)
		os << (i ? " " : "") << raw_cell(cells[i]);
	os << "\n";
}

} // namespace

std::string raw_cell(std::string_view text)
{
	static constexpr char hex[] = "0123456789abcdef";
	std::string out;
	for (char c : text) {
		auto byte = static_cast<unsigned char>(c);
		if (byte > ' ' && byte < 0x7f && byte != '\\') {
			out += c;
		} else {
			out += "\\x";
			out += hex[byte >> 4];
			out += hex[byte & 15];
		}
	}
	return out;
}

void TextTable::add(std::vector<std::string> cells, bool remark)
{
	cells.resize(std::min(cells.size(), columns_.size()));
	remark = remark || cells.size() < columns_.size();
	rows_.push_back({std::move(cells), remark});
}

void TextTable::print(std::ostream& os, Style style) const
{
	if (rows_.empty())
		return;
	std::vector<std::string> headings;
	for (const auto& column : columns_)
		headings.push_back(column.heading);
	if (style.raw) {
		if (style.headings)
			print_raw_row(os, headings);
		for (const auto& row : rows_)
			print_raw_row(os, row.cells);
		return;
	}
	std::vector<size_t> widths;
	for (const auto& column : columns_)
		widths.push_back(style.headings ? column.heading.size() : 0);
	for (const auto& row : rows_)
		for (size_t i = 0; i < row.cells.size(); i++)
			if (!row.remark || i + 1 < row.cells.size())
				widths[i] = std::max(widths[i], row.cells[i].size());
	if (style.headings)
		print_aligned_row(os, headings, false, columns_, widths);
	for (const auto& row : rows_)
		print_aligned_row(os, row.cells, row.remark, columns_, widths);
}

} // namespace swapns::cli
