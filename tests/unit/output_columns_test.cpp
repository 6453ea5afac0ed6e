#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "output_columns.hpp"

using namespace swapns::cli;

namespace {

const std::vector<std::string_view> known = {"NAME", "TYPE", "SIZE", "USED", "PRIO"};

const ColumnSpec specs[] = {
	{"NAME", "device file or partition path"},
	{"SIZE", "size of the swap area", TextTable::Align::right},
	{"PRIO", "swap priority", TextTable::Align::right},
};

} // namespace

// As util-linux compares column names: in any case, in the order given, repeats kept.
TEST(OutputColumns, NamesAreCaseInsensitiveAndKeepTheirOrder)
{
	auto names = parse_column_list("size,Name,PRIO,name", known);
	ASSERT_TRUE(names) << names.error().message();
	EXPECT_EQ(*names, (std::vector<std::string_view>{"SIZE", "NAME", "PRIO", "NAME"}));
}

TEST(OutputColumns, UnknownNameIsNamedWithTheKnownOnes)
{
	// A prefix or an extension of a name is no match either.
	for (const char* list : {"NAME,frob", "NAM", "NAMES", "SIZE,USED,PRIO,UUID"}) {
		auto names = parse_column_list(list, known);
		ASSERT_FALSE(names) << list;
		EXPECT_EQ(names.error().errnum(), EINVAL);
		std::string expected_name = list;
		expected_name = expected_name.substr(expected_name.rfind(',') + 1);
		EXPECT_EQ(names.error().message(),
			  "unknown column '" + expected_name + "'; the columns are NAME, TYPE, SIZE, USED, PRIO");
	}
}

TEST(OutputColumns, EmptyNameIsAnError)
{
	for (const char* list : {"", ",", "NAME,", ",NAME", "NAME,,SIZE"}) {
		auto names = parse_column_list(list, known);
		ASSERT_FALSE(names) << "'" << list << "'";
		EXPECT_NE(names.error().message().find("an empty column name in '" + std::string(list) + "'"),
			  std::string::npos)
			<< names.error().message();
	}
}

TEST(OutputColumns, FindColumnsOfATable)
{
	std::vector<std::string_view> names = {"PRIO", "NAME", "PRIO"};
	EXPECT_EQ(find_columns(names, specs), (std::vector<size_t>{2, 0, 2}));
	std::vector<std::string_view> other = {"NAME", "TYPE"};
	EXPECT_FALSE(find_columns(other, specs));
	EXPECT_EQ(all_columns(specs), (std::vector<size_t>{0, 1, 2}));
	EXPECT_EQ(column_names(specs), (std::vector<std::string_view>{"NAME", "SIZE", "PRIO"}));
	std::vector<size_t> chosen = {1, 0};
	auto columns = table_columns(specs, chosen);
	ASSERT_EQ(columns.size(), 2u);
	EXPECT_EQ(columns[0].heading, "SIZE");
	EXPECT_EQ(columns[0].align, TextTable::Align::right);
	EXPECT_EQ(columns[1].heading, "NAME");
	EXPECT_EQ(columns[1].align, TextTable::Align::left);
}

// As swapon --help lists them: one line each, descriptions aligned.
TEST(OutputColumns, HelpListsEachColumnWithItsDescription)
{
	EXPECT_EQ(columns_help("Columns:", specs), "Columns:\n"
						   " NAME  device file or partition path\n"
						   " SIZE  size of the swap area\n"
						   " PRIO  swap priority\n");
}
