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

TEST(TextTable, NoHeadingsAlignsOnTheCellsAlone)
{
	TextTable table({{"NAME"}, {"SIZE", TextTable::Align::right}, {"PATH"}});
	table.add_row({"a", "1", "/x"});
	table.add_row({"bb", "12", "/y"});
	std::ostringstream os;
	table.print(os, {.headings = false});
	EXPECT_EQ(os.str(), "a    1  /x\n"
			    "bb  12  /y\n");
}

// Raw as util-linux prints it: one space between cells, no padding, escapes in every cell.
TEST(TextTable, RawSeparatesByOneSpaceAndEscapes)
{
	TextTable table({{"NAME"}, {"SIZE", TextTable::Align::right}, {"PATH"}});
	table.add_row({"a", "1", "/x y"});
	table.add_row({"longer", "12345", "/z"});
	std::ostringstream with, without;
	table.print(with, {.raw = true});
	table.print(without, {.headings = false, .raw = true});
	EXPECT_EQ(with.str(), "NAME SIZE PATH\n"
			      "a 1 /x\\x20y\n"
			      "longer 12345 /z\n");
	EXPECT_EQ(without.str(), "a 1 /x\\x20y\n"
				 "longer 12345 /z\n");
}

// What findmnt --raw of util-linux 2.38.1 printed for a mount point with these bytes.
TEST(TextTable, RawCellEscapesWhatUtilLinuxEscapes)
{
	EXPECT_EQ(swapns::cli::raw_cell("/tmp/ul a\tb\\c\xff\xc3\xa9\nz"),
		  "/tmp/ul\\x20a\\x09b\\x5cc\\xff\\xc3\\xa9\\x0az");
	EXPECT_EQ(swapns::cli::raw_cell("plain-ASCII_1.2:3,~!@#$%^&*()\"'`"), "plain-ASCII_1.2:3,~!@#$%^&*()\"'`");
	EXPECT_EQ(swapns::cli::raw_cell(std::string("\x01\x1f\x7f", 3)), "\\x01\\x1f\\x7f");
	EXPECT_EQ(swapns::cli::raw_cell(std::string(1, '\0')), "\\x00");
	EXPECT_EQ(swapns::cli::raw_cell(""), "");
}

// libsmartcols prints nothing for a table without rows, not even its headings.
TEST(TextTable, EmptyTablePrintsNothing)
{
	TextTable table({{"NAME"}, {"SIZE", TextTable::Align::right}});
	for (TextTable::Style style : {TextTable::Style{}, TextTable::Style{.raw = true}}) {
		std::ostringstream os;
		table.print(os, style);
		EXPECT_EQ(os.str(), "");
	}
	EXPECT_TRUE(table.empty());
}

// A remark as long as a full row still runs on and leaves its column alone.
TEST(TextTable, RemarkInTheLastColumnDoesNotWidenIt)
{
	TextTable table({{"NAME"}, {"SIZE", TextTable::Align::right}});
	table.add_row({"a", "1"});
	table.add_remark({"b", "no size: a long remark"});
	std::ostringstream os;
	table.print(os);
	EXPECT_EQ(os.str(), "NAME  SIZE\n"
			    "a        1\n"
			    "b     no size: a long remark\n");
}

// Aligned output escapes what would act on the terminal, as libsmartcols' mbs_safe_encode()
// does in a UTF-8 locale: a process name set with prctl(PR_SET_NAME) may hold any byte.
TEST(TextTable, AlignedCellEscapesControlsAndInvalidUtf8)
{
	using swapns::cli::aligned_cell;
	EXPECT_EQ(aligned_cell("\x1b[2J"), "\\x1b[2J");
	EXPECT_EQ(aligned_cell("a\nb\tc\rd"), "a\\x0ab\\x09c\\x0dd");
	EXPECT_EQ(aligned_cell(std::string("x\0y\x7f", 4)), "x\\x00y\\x7f");
	EXPECT_EQ(aligned_cell("/a b/caf\xc3\xa9/\xe2\x82\xac"), "/a b/caf\xc3\xa9/\xe2\x82\xac");
	EXPECT_EQ(aligned_cell("bad\xff\xc3"), "bad\\xff\\xc3");
	EXPECT_EQ(aligned_cell("\xc2\x9b" "31m"), "\\xc2\\x9b31m"); // C1 CSI
	EXPECT_EQ(aligned_cell("\xc0\xaf"), "\\xc0\\xaf");               // overlong '/'
	EXPECT_EQ(aligned_cell("\xed\xa0\x80"), "\\xed\\xa0\\x80");       // surrogate
	EXPECT_EQ(aligned_cell("c:\\x41 \\n"), "c:\\x5cx41 \\n");
	EXPECT_EQ(aligned_cell(""), "");
}

TEST(TextTable, AlignedOutputEscapesCellsAndAlignsOnCharacters)
{
	TextTable table({{"COMMAND"}, {"PID", TextTable::Align::right}});
	table.add_row({"caf\xc3\xa9", "1"});
	table.add_row({"evil\x1b[2J", "22"});
	std::ostringstream os;
	table.print(os);
	EXPECT_EQ(os.str(), "COMMAND      PID\n"
			    "caf\xc3\xa9           1\n"
			    "evil\\x1b[2J   22\n");
}
