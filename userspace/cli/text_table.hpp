// Text in aligned columns, for the human-readable output of the commands.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace swapns::cli {

class TextTable {
public:
	enum class Align { left, right };
	struct Column {
		std::string heading;
		Align align = Align::left;
	};

	explicit TextTable(std::vector<Column> columns) : columns_(std::move(columns)) {}

	// A row may have fewer cells than there are columns: its last cell then runs on unpadded
	// and does not widen its column (a remark in place of the rest of the row).
	void add_row(std::vector<std::string> cells);

	// The headings, then the rows; two spaces between columns, no trailing blanks.
	void print(std::ostream& os) const;

private:
	std::vector<Column> columns_;
	std::vector<std::vector<std::string>> rows_;
};

} // namespace swapns::cli
