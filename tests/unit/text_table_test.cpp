#include <gtest/gtest.h>

#include <sstream>

#include "text_table.hpp"

using swapns::cli::TextTable;

TEST(TextTable, AlignsColumnsWithoutTrailingBlanks)
{
	TextTable table({{"NAME"}, {"SIZE", TextTable::Align::right}, {"PATH"}});
	table.add_row({"a", "1", "/x"});
	table.add_row({"longer", "12345", "/y z"});
	std::ostringstream os;
	table.print(os);
	EXPECT_EQ(os.str(), "NAME     SIZE  PATH\n"
			    "a           1  /x\n"
			    "longer  12345  /y z\n");
}

TEST(TextTable, ShortRowRunsOnAndDoesNotWidenItsColumn)
{
	TextTable table({{"NAME"}, {"SIZE", TextTable::Align::right}, {"PATH"}});
	table.add_row({"a", "no size: a long remark"});
	table.add_row({"b", "7", "/p"});
	std::ostringstream os;
	table.print(os);
	EXPECT_EQ(os.str(), "NAME  SIZE  PATH\n"
			    "a     no size: a long remark\n"
			    "b        7  /p\n");
}
