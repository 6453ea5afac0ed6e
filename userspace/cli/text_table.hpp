// Text in columns, for the text output of the commands: aligned for people, or raw for
// scripts, as util-linux's tools print their tables (libsmartcols).
//
// libsmartcols itself is not used: Debian ships it only as a shared library, and the test
// guest runs a statically linked swapns (docs/design.md, "The swapns tool").
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace swapns::cli {

class TextTable {
public:
	enum class Align { left, right };
	struct Column {
		std::string heading;
		Align align = Align::left;
	};
	// How to print: the defaults are the aligned table with its headings.
	struct Style {
		bool headings = true; // false: --noheadings
		bool raw = false;     // --raw: see print()
	};

	explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

	// A row may have fewer cells than there are columns: its last cell then runs on unpadded
	// and does not widen its column (a remark in place of the rest of the row).
	void add_row(std::vector<std::string> cells) { add(std::move(cells), false); }
	// The same for a row as long as the others: its last cell is a remark all the same.
	void add_remark(std::vector<std::string> cells) { add(std::move(cells), true); }
	bool empty() const { return rows_.empty(); }

	// The headings, then the rows; nothing for a table without rows, as libsmartcols does.
	// Aligned: each cell escaped by aligned_cell(), two spaces between columns, no trailing
	// blanks. Raw: cells separated by one space, each cell escaped by raw_cell().
	void print(std::ostream& os, Style style) const;
	void print(std::ostream& os) const { print(os, Style{}); }

private:
	struct Row {
		std::vector<std::string> cells;
		bool remark; // the last cell runs on
	};
	void add(std::vector<std::string> cells, bool remark);

	std::vector<Column> columns_;
	std::vector<Row> rows_;
};

// A cell as util-linux's raw output prints it (fputs_nonblank(), in the C or a UTF-8 locale):
// every byte that is a blank, a control character, a backslash or not ASCII becomes \xHH, so
// that a cell is never empty of meaning nor splits into two: "/a b" is "/a\x20b".
std::string raw_cell(std::string_view text);

// A cell for the aligned output, escaped as util-linux's mbs_safe_encode() escapes what a
// terminal acts on: C0 and C1 control characters and bytes that are not valid UTF-8 become
// \xHH, and so does a backslash that starts "\x", so that a process name or a path can
// neither move the cursor, clear the screen nor pass for an escape; blanks and other UTF-8
// stay (mbs_safe_encode() also escapes what iswprint() rejects in the locale, such as
// unassigned code points, which a terminal shows as a placeholder).
std::string aligned_cell(std::string_view text);

// The columns a cell escaped by aligned_cell() takes: one per character (a wide character
// takes two on a terminal; libsmartcols asks wcwidth(), which depends on the locale).
size_t cell_width(std::string_view escaped);

} // namespace swapns::cli
