#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using namespace swapns;
using swapns::test::run_cli;

TEST(Cli, NoArgumentsIsUsageError)
{
	auto r = run_cli({});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("usage: swapns"), std::string::npos);
}

TEST(Cli, HelpListsCommands)
{
	auto r = run_cli({"--help"});
	EXPECT_EQ(r.code, cli::exit_ok);
	EXPECT_NE(r.out.find("status"), std::string::npos);
	EXPECT_TRUE(r.err.empty());
}

TEST(Cli, UnknownCommandSaysWhatToDo)
{
	auto r = run_cli({"frobnicate"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_EQ(r.err, "swapns: unknown command 'frobnicate'; run 'swapns --help' for the list of commands\n");
}

TEST(CliStatus, HumanOutput)
{
	auto r = run_cli({"status", "-t", "700"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "pid:       700\n"
			 "name:      postgres\n"
			 "mm owner:  700 (this task)\n"
			 "swap ns:   4026532283\n"
			 "swap devs:\n"
			 "  SWAPTYPE  TYPE       SIZE  USED  PRIO  STATE  NAME\n"
			 "         1  file        64M    1M    -2  own    /var/lib/ctr a/swapfile\n"
			 "         2  partition  512M    0B     5  own    /dev/vdb\n");
}

TEST(CliStatus, InheritedDevicesNameTheirNamespace)
{
	auto r = run_cli({"status", "-t", "701"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_NE(r.out.find("swap ns:   4026532290\n"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find("    -2  inherited from 4026531830  /swapfile\n"), std::string::npos) << r.out;
}

// A reader below the namespace a device belongs to sees 0 for it, as NS_GET_PARENT tells it
// nothing about the namespaces above its own.
TEST(CliStatus, InheritedFromAboveTheReader)
{
	auto r = run_cli({"status", "-t", "702"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_NE(r.out.find("    -2  inherited from above  /swapfile\n"), std::string::npos) << r.out;
	EXPECT_EQ(r.out.find("from 0"), std::string::npos) << r.out;
}

TEST(CliStatus, KernelWithoutSwapNamespaces)
{
	auto r = run_cli({"status", "-t", "100"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_NE(r.out.find("swap ns:   not supported: this kernel has no swap namespaces"), std::string::npos)
		<< r.out;
	auto j = nlohmann::json::parse(run_cli({"status", "-t", "100", "--json"}).out);
	EXPECT_EQ(j["swap_namespace"]["supported"], false);
}

TEST(CliStatus, JsonSwapNamespace)
{
	auto r = run_cli({"status", "-t", "700", "--json"});
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	auto j = nlohmann::json::parse(r.out)["swap_namespace"];
	EXPECT_EQ(j["supported"], true);
	EXPECT_EQ(j["inode"], 4026532283u);
	ASSERT_EQ(j["devices"].size(), 2u);
	EXPECT_EQ(j["devices"][0]["path"], "/var/lib/ctr a/swapfile");
	EXPECT_EQ(j["devices"][0]["swap_type"], 1);
	EXPECT_EQ(j["devices"][0]["type"], "file");
	EXPECT_EQ(j["devices"][1]["kind"], "partition");
	EXPECT_EQ(j["devices"][1]["state"], "own");
}

TEST(CliStatus, ThreadShowsOtherOwner)
{
	auto r = run_cli({"status", "--target", "101"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_NE(r.out.find("mm owner:  100\n"), std::string::npos) << r.out;
}

TEST(CliStatus, JsonOutput)
{
	auto r = run_cli({"status", "-t", "2", "--json"});
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	auto j = nlohmann::json::parse(r.out);
	EXPECT_EQ(j["pid"], 2);
	EXPECT_EQ(j["name"], "kthreadd");
	EXPECT_EQ(j["mm_owner"]["state"], "no-mm");
	EXPECT_EQ(j["mm_owner"]["tid"], 0);
}

TEST(CliStatus, UnsupportedKernelIsExplained)
{
	auto r = run_cli({"status", "-t", "300"});
	EXPECT_EQ(r.code, cli::exit_ok);
	EXPECT_NE(r.out.find("not reported by this kernel"), std::string::npos) << r.out;
}

TEST(CliStatus, MissingTargetIsUsageError)
{
	auto r = run_cli({"status"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_EQ(r.err, "swapns status: which task? give its PID with -t PID\n");
}

TEST(CliStatus, InvalidPid)
{
	for (const char* bad : {"abc", "0", "-5", "12x"}) {
		auto r = run_cli({"status", "-t", bad});
		EXPECT_EQ(r.code, cli::exit_usage) << bad;
		EXPECT_EQ(r.err, std::string("swapns status: invalid PID '") + bad + "': expected a positive number\n");
	}
}

TEST(CliStatus, UnknownOption)
{
	auto r = run_cli({"status", "--frob"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("swapns status: "), std::string::npos);
	EXPECT_NE(r.err.find("--frob"), std::string::npos) << r.err;
	EXPECT_NE(r.err.find("run 'swapns status --help'"), std::string::npos);
}

TEST(CliStatus, NoSuchTask)
{
	auto r = run_cli({"status", "-t", "4242"});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_NE(r.err.find("swapns status: no task with PID 4242"), std::string::npos) << r.err;
}

TEST(CliStatus, MalformedStatusFile)
{
	auto r = run_cli({"status", "-t", "500"});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_NE(r.err.find("malformed status file: no Pid line"), std::string::npos) << r.err;
}

TEST(CliStatus, HelpMatchesOptions)
{
	auto r = run_cli({"status", "--help"});
	EXPECT_EQ(r.code, cli::exit_ok);
	for (const char* opt : {"--target", "--json", "--help"})
		EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

// Any user can name a process with bytes that are not UTF-8 (prctl(PR_SET_NAME)); JSON output
// must stay valid JSON, each invalid byte replaced by U+FFFD, instead of aborting.
TEST(CliStatus, JsonWithNamesThatAreNotUtf8)
{
	auto r = run_cli({"status", "-t", "1", "--json"}, SWAPNS_FIXTURES "/proc-nonutf8");
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	auto j = nlohmann::json::parse(r.out);
	EXPECT_EQ(j["name"], "job\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT_EQ(j["swap_namespace"]["devices"][0]["path"], "/srv/sw\xEF\xBF\xBDp/file");
}

// The human output escapes such bytes as libsmartcols does (\xHH), so that a name cannot
// write raw bytes, or terminal controls, to whoever reads the report.
TEST(CliStatus, HumanOutputEscapesNamesThatAreNotUtf8)
{
	auto r = run_cli({"status", "-t", "1"}, SWAPNS_FIXTURES "/proc-nonutf8");
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_NE(r.out.find("name:      job\\xff\\xfe\n"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find("  /srv/sw\\xe9p/file\n"), std::string::npos) << r.out;
}

// util-linux's short form of --version.
TEST(Cli, VersionShortAndLong)
{
	for (const char* flag : {"-V", "--version"}) {
		auto r = run_cli({flag});
		EXPECT_EQ(r.code, cli::exit_ok) << flag;
		EXPECT_EQ(r.out.rfind("swapns ", 0), 0u) << r.out;
		EXPECT_TRUE(r.err.empty()) << r.err;
	}
}

// Every command answers -V and --version, as util-linux's tools do.
TEST(Cli, CommandsTellTheVersion)
{
	for (const char* command : {"list", "status", "mkswap", "gc"})
		for (const char* flag : {"-V", "--version"}) {
			auto r = run_cli({command, flag});
			EXPECT_EQ(r.code, cli::exit_ok) << command << " " << flag;
			EXPECT_EQ(r.out.rfind("swapns ", 0), 0u) << r.out;
		}
}
