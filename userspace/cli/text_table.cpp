#include "text_table.hpp"

#include <algorithm>

namespace swapns::cli {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_escaped(std::string& out, unsigned char byte)
{
	out += "\\x";
	out += hex_digits[byte >> 4];
	out += hex_digits[byte & 15];
}

// The length of the valid UTF-8 sequence at the start of @text (not overlong, no surrogate,
// at most U+10FFFF), or 0; and the code point it encodes.
size_t utf8_sequence(std::string_view text, char32_t& code_point)
{
	auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
	unsigned char lead = byte(0);
	size_t length;
	char32_t min;
	if (lead >= 0xc2 && lead <= 0xdf) {
		length = 2, min = 0x80, code_point = lead & 0x1f;
	} else if (lead >= 0xe0 && lead <= 0xef) {
		length = 3, min = 0x800, code_point = lead & 0x0f;
	} else if (lead >= 0xf0 && lead <= 0xf4) {
		length = 4, min = 0x10000, code_point = lead & 0x07;
	} else {
		return 0;
	}
	if (text.size() < length)
		return 0;
	for (size_t i = 1; i < length; i++) {
		if ((byte(i) & 0xc0) != 0x80)
			return 0;
		code_point = code_point << 6 | (byte(i) & 0x3f);
	}
	if (code_point < min || code_point > 0x10ffff ||
	    (code_point >= 0xd800 && code_point <= 0xdfff))
		return 0;
	return length;
}

void print_aligned_row(std::ostream& os, const std::vector<std::string>& cells, bool remark,
		       const std::vector<TextTable::Column>& columns, const std::vector<size_t>& widths)
{
	for (size_t i = 0; i < cells.size(); i++) {
		bool last = i + 1 == cells.size();
		size_t width = cell_width(cells[i]);
		size_t pad = widths[i] > width ? widths[i] - width : 0;
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
	std::string out;
	for (char c : text) {
		auto byte = static_cast<unsigned char>(c);
		if (byte > ' ' && byte < 0x7f && byte != '\\')
			out += c;
		else
			append_escaped(out, byte);
	}
	return out;
}

std::string aligned_cell(std::string_view text)
{
	std::string out;
	for (size_t i = 0; i < text.size();) {
		auto byte = static_cast<unsigned char>(text[i]);
		if (byte < 0x80) {
			bool starts_escape = byte == '\\' && i + 1 < text.size() && text[i + 1] == 'x';
			if (byte < ' ' || byte == 0x7f || starts_escape)
				append_escaped(out, byte);
			else
				out += text[i];
			i++;
			continue;
		}
		char32_t code_point = 0;
		size_t length = utf8_sequence(text.substr(i), code_point);
		if (length == 0 || code_point < 0xa0) {
			// Not UTF-8, or a C1 control: each byte of it.
			size_t n = length ? length : 1;
			for (size_t k = 0; k < n; k++)
				append_escaped(out, static_cast<unsigned char>(text[i + k]));
			i += n;
			continue;
		}
		out.append(text.substr(i, length));
		i += length;
	}
	return out;
}

size_t cell_width(std::string_view escaped)
{
	// UTF-8 continuation bytes take no column of their own.
	return static_cast<size_t>(std::count_if(escaped.begin(), escaped.end(), [](char c) {
		return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
	}));
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
	std::vector<Row> escaped;
	for (const auto& row : rows_) {
		Row copy{{}, row.remark};
		for (const auto& cell : row.cells)
			copy.cells.push_back(aligned_cell(cell));
		escaped.push_back(std::move(copy));
	}
	std::vector<size_t> widths;
	for (const auto& column : columns_)
		widths.push_back(style.headings ? cell_width(column.heading) : 0);
	for (const auto& row : escaped)
		for (size_t i = 0; i < row.cells.size(); i++)
			if (!row.remark || i + 1 < row.cells.size())
				widths[i] = std::max(widths[i], cell_width(row.cells[i]));
	if (style.headings)
		print_aligned_row(os, headings, false, columns_, widths);
	for (const auto& row : escaped)
		print_aligned_row(os, row.cells, row.remark, columns_, widths);
}

} // namespace swapns::cli
