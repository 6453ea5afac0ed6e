#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

#include "cli_run.hpp"

using namespace swapns;
using swapns::test::run_cli;

namespace {

const std::string census_proc = SWAPNS_FIXTURES "/proc-census";
const std::string noswapns_proc = SWAPNS_FIXTURES "/proc-noswapns";

} // namespace

TEST(CliList, HumanOutput)
{
	auto r = run_cli({"list"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_TRUE(r.err.empty()) << r.err;
	// Sizes as swapon --show prints them (1048572 KiB is 1024M there too), the devices' columns
	// under swapon's names.
	EXPECT_EQ(r.out,
		  "NAMESPACE           PARENT  PROCESSES  PIDS                     SIZE  USED\n"
		  "4026531830 (yours)  -               3  1 2 900                  1.2G    5M\n"
		  "4026532283          -               2  700 701                  576M    1M\n"
		  "4026532290          -               6  800 801 802 803 804 ...    0B    0B\n"
		  "4026532300          -               1  900                      128M    2M\n"
		  "4026532310          -               1  1000                        -     -\n"
		  "\n"
		  "NAMESPACE   SWAPTYPE  TYPE        SIZE  USED  PRIO  STATE                      NAME\n"
		  "4026531830         0  file       1024M    4M    -2  own                        /swapfile\n"
		  "4026531830         3  file        256M    1M    -3  draining                   /var/lib/old/swapfile\n"
		  "4026532283         1  file         64M    1M    -2  own                        /var/lib/ctr a/swapfile\n"
		  "4026532283         2  partition   512M    0B     5  own                        /dev/vdb\n"
		  "4026532290         0  file       1024M    4M    -2  inherited from 4026531830  /swapfile\n"
		  "4026532290         3  file        256M    1M    -3  draining from 4026531830   /var/lib/old/swapfile\n"
		  "4026532300         4  file        128M    2M    -2  own                        /var/lib/ctr-c/swapfile\n"
		  "4026532310  devices unknown: " +
			  census_proc + "/1000/swaps: malformed swaps file: no header line\n");
}

TEST(CliList, Json)
{
	auto r = run_cli({"list", "--json"}, census_proc);
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	auto j = nlohmann::json::parse(r.out);
	ASSERT_EQ(j.size(), 3u) << j.dump(2);
	EXPECT_EQ(j["version"], 2);
	EXPECT_EQ(j["inaccessible_pids"], nlohmann::json::array());
	const auto& namespaces = j["namespaces"];
	ASSERT_EQ(namespaces.size(), 5u) << j.dump(2);

	const auto& init = namespaces[0];
	EXPECT_EQ(init.size(), 9u) << init.dump(2);
	EXPECT_EQ(init["inode"], 4026531830u);
	EXPECT_EQ(init["self"], true);
	EXPECT_TRUE(init["parent"].is_null());
	EXPECT_EQ(init["members"], nlohmann::json::parse("[1, 2, 900]"));
	EXPECT_EQ(init["size_kib"], 1048572u + 262140u);
	EXPECT_EQ(init["used_kib"], 4096u + 1024u);
	EXPECT_EQ(init["size"], (1048572u + 262140u) * 1024u);
	EXPECT_EQ(init["used"], (4096u + 1024u) * 1024u);
	ASSERT_EQ(init["devices"].size(), 2u);
	const auto& own = init["devices"][0];
	EXPECT_EQ(own.size(), 13u) << own.dump(2);
	// swapon --show's names, sizes in bytes.
	EXPECT_EQ(own["name"], "/swapfile");
	EXPECT_EQ(own["type"], "file");
	EXPECT_EQ(own["size"], 1048572u * 1024u);
	EXPECT_EQ(own["used"], 4096u * 1024u);
	EXPECT_EQ(own["prio"], -2);
	EXPECT_EQ(own["swap_type"], 0);
	// Version 1's names, kept.
	EXPECT_EQ(own["path"], "/swapfile");
	EXPECT_EQ(own["kind"], "file");
	EXPECT_EQ(own["size_kib"], 1048572);
	EXPECT_EQ(own["used_kib"], 4096);
	EXPECT_EQ(own["priority"], -2);
	EXPECT_EQ(own["namespace_inode"], 4026531830u);
	EXPECT_EQ(own["state"], "own");
	EXPECT_EQ(init["devices"][1]["state"], "draining");
	EXPECT_EQ(init["devices"][1]["swap_type"], 3);

	const auto& a = namespaces[1];
	EXPECT_EQ(a["inode"], 4026532283u);
	EXPECT_EQ(a["self"], false);
	EXPECT_EQ(a["members"], nlohmann::json::parse("[700, 701]"));
	ASSERT_EQ(a["devices"].size(), 2u);
	EXPECT_EQ(a["devices"][0]["path"], "/var/lib/ctr a/swapfile");
	EXPECT_EQ(a["devices"][1]["kind"], "partition");
	EXPECT_EQ(a["devices"][1]["priority"], 5);
	EXPECT_EQ(a["used_kib"], 1024);

	const auto& b = namespaces[2];
	EXPECT_EQ(b["inode"], 4026532290u);
	EXPECT_EQ(b["members"], nlohmann::json::parse("[800, 801, 802, 803, 804, 805]"));
	ASSERT_EQ(b["devices"].size(), 2u);
	EXPECT_EQ(b["devices"][0]["state"], "inherited");
	EXPECT_EQ(b["devices"][0]["namespace_inode"], 4026531830u);
	EXPECT_EQ(b["devices"][1]["state"], "draining");
	EXPECT_EQ(b["size_kib"], 0);
	EXPECT_EQ(b["used_kib"], 0);

	const auto& c = namespaces[3];
	EXPECT_EQ(c["inode"], 4026532300u);
	EXPECT_EQ(c["members"], nlohmann::json::parse("[900]"));
	EXPECT_EQ(c["used_kib"], 2048);

	// Devices that cannot be read give an error in place of devices and sizes.
	const auto& d = namespaces[4];
	EXPECT_EQ(d["inode"], 4026532310u);
	EXPECT_EQ(d["members"], nlohmann::json::parse("[1000]"));
	EXPECT_FALSE(d.contains("devices"));
	EXPECT_FALSE(d.contains("size_kib"));
	EXPECT_FALSE(d.contains("size"));
	EXPECT_FALSE(d.contains("used"));
	EXPECT_FALSE(d.contains("used_kib"));
	EXPECT_EQ(d["error"], census_proc + "/1000/swaps: malformed swaps file: no header line");
}

TEST(CliList, JsonDevicesAgreeWithStatus)
{
	auto list = nlohmann::json::parse(run_cli({"list", "--json"}, census_proc).out);
	// /proc/700 of the status fixtures shows the same namespace as 701 of the census fixtures.
	auto status = nlohmann::json::parse(run_cli({"status", "-t", "700", "--json"}).out);
	EXPECT_EQ(list["namespaces"][1]["devices"], status["swap_namespace"]["devices"]);
}

TEST(CliList, KernelWithoutSwapNamespaces)
{
	for (const char* json : {"", "--json"}) {
		std::vector<std::string> args = {"list"};
		if (*json)
			args.push_back(json);
		auto r = run_cli(args, noswapns_proc);
		EXPECT_EQ(r.code, cli::exit_failure);
		EXPECT_TRUE(r.out.empty()) << r.out;
		EXPECT_EQ(r.err, "swapns list: this kernel has no swap namespaces (no " + noswapns_proc +
					 "/PID/ns/swap; it needs the swapns kernel series with CONFIG_SWAP_NS=y)\n");
	}
}

TEST(CliList, NoProcfs)
{
	auto r = run_cli({"list"}, SWAPNS_FIXTURES "/no-such-proc");
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_EQ(r.err, "swapns list: listing " SWAPNS_FIXTURES "/no-such-proc: No such file or directory; "
			 "is procfs mounted at " SWAPNS_FIXTURES "/no-such-proc?\n");
}

TEST(CliList, UnknownOption)
{
	auto r = run_cli({"list", "--frob"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_TRUE(r.out.empty()) << r.out;
	EXPECT_NE(r.err.find("swapns list: "), std::string::npos) << r.err;
	EXPECT_NE(r.err.find("--frob"), std::string::npos) << r.err;
	EXPECT_NE(r.err.find("run 'swapns list --help'"), std::string::npos) << r.err;
}

TEST(CliList, ArgumentsAreUsageErrors)
{
	auto r = run_cli({"list", "700"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_TRUE(r.out.empty()) << r.out;
	EXPECT_NE(r.err.find("run 'swapns list --help'"), std::string::npos) << r.err;
}

TEST(CliList, IsAmongTheCommands)
{
	auto r = run_cli({"--help"});
	EXPECT_EQ(r.code, cli::exit_ok);
	EXPECT_NE(r.out.find("  list        list the swap namespaces"), std::string::npos) << r.out;
}

TEST(CliList, HelpMatchesManPage)
{
	auto r = run_cli({"list", "--help"});
	EXPECT_EQ(r.code, cli::exit_ok);
	EXPECT_NE(r.out.find("usage: swapns list [-J|--json] [-o|--output COLUMNS]"), std::string::npos) << r.out;
	for (const char* opt : {"--json", "--output", "--output-all", "--noheadings", "--raw", "--bytes", "--help"})
		EXPECT_NE(r.out.find(opt), std::string::npos) << opt;

	std::ifstream man(SWAPNS_FIXTURES "/../../../docs/man/swapns.1");
	ASSERT_TRUE(man);
	std::stringstream text;
	text << man.rdbuf();
	// The synopsis and the command's entry, with the JSON fields the tests above check.
	EXPECT_NE(text.str().find(".B swapns list\n.RB [ \\-J | \\-\\-json ]\n.RB [ \\-o | \\-\\-output\n"),
		  std::string::npos);
	EXPECT_NE(text.str().find(".B list \\fR[\\fIoutput options\\fR]"), std::string::npos);
	for (const char* field : {"\"version\": 2", "\"namespaces\"", "\"inode\"", "\"self\"", "\"parent\"",
				  "\"members\"", "\"devices\"", "\"size\"", "\"used\"", "\"size_kib\"", "\"used_kib\"",
				  "\"error\"", "\"inaccessible_pids\"", "\"name\"", "\"type\"", "\"prio\"",
				  "\"swap_type\"", "\"path\"", "\"kind\"", "\"priority\""})
		EXPECT_NE(text.str().find(field), std::string::npos) << field;
	// Every column that --help lists is described under OUTPUT COLUMNS.
	auto columns = text.str().find(".SH OUTPUT COLUMNS");
	ASSERT_NE(columns, std::string::npos);
	std::istringstream help(r.out.substr(r.out.find("Columns of")));
	for (std::string line; std::getline(help, line);)
		if (line.size() > 1 && line[0] == ' ' && std::isupper(static_cast<unsigned char>(line[1]))) {
			std::string name = line.substr(1, line.find(' ', 1) - 1);
			EXPECT_NE(text.str().find(".TP\n.B " + name + "\n", columns), std::string::npos) << name;
		}
}

TEST(CliList, JsonWithPathsThatAreNotUtf8)
{
	auto r = run_cli({"list", "--json"}, SWAPNS_FIXTURES "/proc-nonutf8");
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	auto j = nlohmann::json::parse(r.out);
	EXPECT_EQ(j["namespaces"][0]["devices"][0]["path"], "/srv/sw\xEF\xBF\xBDp/file");
}
