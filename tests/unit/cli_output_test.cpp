// The util-linux output options of list and status: --output, --output-all, --noheadings,
// --raw, --bytes, and what --json does with them.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using namespace swapns;
using swapns::test::run_cli;

namespace {

const std::string census_proc = SWAPNS_FIXTURES "/proc-census";
// One process whose namespace has devices with paths that raw output escapes and sizes at
// the boundaries of human sizes (fixtures/README.md).
const std::string output_proc = SWAPNS_FIXTURES "/proc-output";
const std::string unknown_devices = "swapns list: namespace 4026532310: devices unknown: " + census_proc +
				    "/1000/swaps: malformed swaps file: no header line\n";

} // namespace

TEST(CliOutput, ListPrintsTheDevicesTableForItsColumns)
{
	auto r = run_cli({"list", "-o", "NAME,size,Prio", "--bytes"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	// No remarks without the namespace in front: the unreadable namespace is reported apart.
	EXPECT_EQ(r.out, "NAME                           SIZE  PRIO\n"
			 "/swapfile                1073737728    -2\n"
			 "/var/lib/old/swapfile     268431360    -3\n"
			 "/var/lib/ctr a/swapfile    67104768    -2\n"
			 "/dev/vdb                  536866816     5\n"
			 "/swapfile                1073737728    -2\n"
			 "/var/lib/old/swapfile     268431360    -3\n"
			 "/var/lib/ctr-c/swapfile   134213632    -2\n");
	EXPECT_EQ(r.err, unknown_devices);
}

TEST(CliOutput, ListPrintsTheNamespacesTableForItsColumns)
{
	auto r = run_cli({"list", "--output", "pids,NAMESPACE", "-n"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "1 2 900                  4026531830 (yours)\n"
			 "700 701                  4026532283\n"
			 "800 801 802 803 804 ...  4026532290\n"
			 "900                      4026532300\n"
			 "1000                     4026532310\n");
	EXPECT_TRUE(r.err.empty()) << r.err;
}

// NAMESPACE, SIZE and USED are columns of both tables.
TEST(CliOutput, ListPrintsBothTablesForColumnsBothHave)
{
	auto r = run_cli({"list", "-o", "NAMESPACE,USED"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "NAMESPACE           USED\n"
			 "4026531830 (yours)    5M\n"
			 "4026532283            1M\n"
			 "4026532290            0B\n"
			 "4026532300            2M\n"
			 "4026532310             -\n"
			 "\n"
			 "NAMESPACE   USED\n"
			 "4026531830    4M\n"
			 "4026531830    1M\n"
			 "4026532283    1M\n"
			 "4026532283    0B\n"
			 "4026532290    4M\n"
			 "4026532290    1M\n"
			 "4026532300    2M\n"
			 "4026532310  devices unknown: " +
				 census_proc + "/1000/swaps: malformed swaps file: no header line\n");
}

TEST(CliOutput, ListRefusesColumnsOfDifferentTables)
{
	auto r = run_cli({"list", "-o", "PIDS,NAME"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_TRUE(r.out.empty()) << r.out;
	EXPECT_EQ(r.err, "swapns list: --output: 'PIDS,NAME' names columns of both tables, the namespaces' and "
			 "the devices'; name those of one (NAMESPACE, SIZE and USED are in both)\n");
}

TEST(CliOutput, UnknownColumnIsNamedWithTheValidOnes)
{
	auto list = run_cli({"list", "-o", "NAME,bogus"}, census_proc);
	EXPECT_EQ(list.code, cli::exit_usage);
	EXPECT_TRUE(list.out.empty()) << list.out;
	EXPECT_EQ(list.err, "swapns list: --output: unknown column 'bogus'; the columns are NAMESPACE, PARENT, "
			    "PROCESSES, PIDS, SIZE, USED, SWAPTYPE, TYPE, PRIO, STATE, NAME\n");
	auto status = run_cli({"status", "-t", "700", "-o", "PIDS"});
	EXPECT_EQ(status.code, cli::exit_usage);
	EXPECT_TRUE(status.out.empty()) << status.out;
	EXPECT_EQ(status.err, "swapns status: --output: unknown column 'PIDS'; the columns are NAMESPACE, SWAPTYPE, "
			      "TYPE, SIZE, USED, PRIO, STATE, NAME\n");
}

// Raw output escapes as util-linux does: space, tab, backslash, newline and every byte that is
// not ASCII (here one that is not UTF-8, then a UTF-8 "é") as \xHH.
TEST(CliOutput, RawEscapesPaths)
{
	const std::string names = "/srv/a\\x20b\n"
				  "/srv/tab\\x09here\n"
				  "/srv/back\\x5cslash\n"
				  "/srv/new\\x0aline\n"
				  "/srv/caf\\xe9\n"
				  "/srv/caf\\xc3\\xa9\n"
				  "/dev/vdz\n";
	auto status = run_cli({"status", "-t", "1", "-r", "-n", "-o", "NAME"}, output_proc);
	EXPECT_EQ(status.code, cli::exit_ok) << status.err;
	EXPECT_EQ(status.out, names);
	auto list = run_cli({"list", "--raw", "--noheadings", "--output", "name"}, output_proc);
	EXPECT_EQ(list.code, cli::exit_ok) << list.err;
	EXPECT_EQ(list.out, names);
}

// Raw: no alignment, no "(yours)", no remarks; the unreadable namespace is reported on stderr.
TEST(CliOutput, RawListIsForScripts)
{
	auto r = run_cli({"list", "-r"}, census_proc);
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "NAMESPACE PARENT PROCESSES PIDS SIZE USED\n"
			 "4026531830 - 3 1\\x202\\x20900 1.2G 5M\n"
			 "4026532283 - 2 700\\x20701 576M 1M\n"
			 "4026532290 - 6 800\\x20801\\x20802\\x20803\\x20804\\x20... 0B 0B\n"
			 "4026532300 - 1 900 128M 2M\n"
			 "4026532310 - 1 1000 - -\n"
			 "\n"
			 "NAMESPACE SWAPTYPE TYPE SIZE USED PRIO STATE NAME\n"
			 "4026531830 0 file 1024M 4M -2 own /swapfile\n"
			 "4026531830 3 file 256M 1M -3 draining /var/lib/old/swapfile\n"
			 "4026532283 1 file 64M 1M -2 own /var/lib/ctr\\x20a/swapfile\n"
			 "4026532283 2 partition 512M 0B 5 own /dev/vdb\n"
			 "4026532290 0 file 1024M 4M -2 inherited\\x20from\\x204026531830 /swapfile\n"
			 "4026532290 3 file 256M 1M -3 draining\\x20from\\x204026531830 /var/lib/old/swapfile\n"
			 "4026532300 4 file 128M 2M -2 own /var/lib/ctr-c/swapfile\n");
	EXPECT_EQ(r.err, unknown_devices);
}

// Raw status is the devices table alone; why there is none goes to stderr.
TEST(CliOutput, RawStatusIsTheDevicesTable)
{
	auto r = run_cli({"status", "-t", "700", "--raw"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "SWAPTYPE TYPE SIZE USED PRIO STATE NAME\n"
			 "1 file 64M 1M -2 own /var/lib/ctr\\x20a/swapfile\n"
			 "2 partition 512M 0B 5 own /dev/vdb\n");
	EXPECT_TRUE(r.err.empty()) << r.err;

	auto none = run_cli({"status", "-t", "100", "--raw"});
	EXPECT_EQ(none.code, cli::exit_ok) << none.err;
	EXPECT_TRUE(none.out.empty()) << none.out;
	EXPECT_EQ(none.err.rfind("swapns status: swap namespace not supported: this kernel has no swap namespaces", 0),
		  0u)
		<< none.err;
}

TEST(CliOutput, NoHeadings)
{
	auto r = run_cli({"status", "-t", "700", "--noheadings"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "pid:       700\n"
			 "name:      postgres\n"
			 "mm owner:  700 (this task)\n"
			 "swap ns:   4026532283\n"
			 "swap devs:\n"
			 "  1  file        64M  1M  -2  own  /var/lib/ctr a/swapfile\n"
			 "  2  partition  512M  0B   5  own  /dev/vdb\n");
	auto raw = run_cli({"status", "-t", "700", "-rn", "-o", "SWAPTYPE"});
	EXPECT_EQ(raw.out, "1\n2\n");
}

// Sizes in /proc are KiB: 1, 1023, 1024, 1536, 1048575 and 1048576 KiB, and the largest
// number of KiB whose bytes fit in 64 bits.
TEST(CliOutput, HumanSizesAndBytes)
{
	auto human = run_cli({"status", "-t", "1", "-r", "-o", "SIZE,USED"}, output_proc);
	EXPECT_EQ(human.code, cli::exit_ok) << human.err;
	EXPECT_EQ(human.out, "SIZE USED\n"
			     "1K 0B\n"
			     "1023K 1K\n"
			     "1M 1023K\n"
			     "1.5M 1M\n"
			     "1024M 1.5M\n"
			     "1G 1024M\n"
			     "16E 16E\n");
	auto bytes = run_cli({"status", "-t", "1", "-r", "-o", "SIZE,USED", "-b"}, output_proc);
	EXPECT_EQ(bytes.code, cli::exit_ok) << bytes.err;
	EXPECT_EQ(bytes.out, "SIZE USED\n"
			     "1024 0\n"
			     "1047552 1024\n"
			     "1048576 1047552\n"
			     "1572864 1048576\n"
			     "1073740800 1572864\n"
			     "1073741824 1073740800\n"
			     "18446744073709550592 18446744073709550592\n");
	// The namespace's total does not fit: it stays at the largest number.
	auto total = run_cli({"list", "-rn", "-o", "SIZE,PIDS", "--bytes"}, output_proc);
	EXPECT_EQ(total.out, "18446744073709551615 1\n");
}

TEST(CliOutput, OutputAllAddsTheNamespaceToStatus)
{
	auto r = run_cli({"status", "-t", "700", "-O", "-r"});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_EQ(r.out, "NAMESPACE SWAPTYPE TYPE SIZE USED PRIO STATE NAME\n"
			 "4026532283 1 file 64M 1M -2 own /var/lib/ctr\\x20a/swapfile\n"
			 "4026532283 2 partition 512M 0B 5 own /dev/vdb\n");
	auto list = run_cli({"list", "--output-all"}, census_proc);
	EXPECT_EQ(list.out, run_cli({"list"}, census_proc).out);
}

// Version 2: a "version" at the top, swapon's names in the devices, exact bytes.
TEST(CliOutput, JsonVersionNamesAndExactNumbers)
{
	auto status = nlohmann::json::parse(run_cli({"status", "-t", "1", "--json"}, output_proc).out);
	EXPECT_EQ(status["version"], 2);
	const auto& devices = status["swap_namespace"]["devices"];
	ASSERT_EQ(devices.size(), 7u);
	EXPECT_EQ(devices[1]["name"], "/srv/tab\there");
	EXPECT_EQ(devices[3]["name"], "/srv/new\nline");
	EXPECT_EQ(devices[3]["size"], 1572864u);
	EXPECT_EQ(devices[3]["used"], 1048576u);
	const auto& large = devices[6];
	EXPECT_EQ(large["name"], "/dev/vdz");
	EXPECT_EQ(large["type"], "partition");
	EXPECT_EQ(large["prio"], 10);
	EXPECT_EQ(large["swap_type"], 6);
	EXPECT_TRUE(large["size"].is_number_unsigned());
	EXPECT_EQ(large["size"].get<uint64_t>(), 18446744073709550592u);
	EXPECT_EQ(large["used"].get<uint64_t>(), 18446744073709550592u);
	EXPECT_EQ(large["size_kib"].get<uint64_t>(), 18014398509481983u);

	auto list = nlohmann::json::parse(run_cli({"list", "--json"}, output_proc).out);
	EXPECT_EQ(list["version"], 2);
	EXPECT_EQ(list["namespaces"][0]["size"].get<uint64_t>(), UINT64_MAX);
	EXPECT_EQ(list["namespaces"][0]["devices"], devices);
}

// JSON has every field and exact sizes: what it cannot honour is refused, not ignored.
TEST(CliOutput, JsonRefusesOutputSelectionAndRaw)
{
	struct Case {
		std::vector<std::string> args;
		std::string message;
	} cases[] = {
		{{"--json", "-o", "NAME"}, "--json prints every field; select fields with a JSON tool (e.g. jq) rather "
					   "than --output"},
		{{"-J", "-O"}, "--json prints every field; select fields with a JSON tool (e.g. jq) rather than "
			       "--output-all"},
		{{"--json", "--raw"}, "--json and --raw are two formats; choose one"},
		{{"-o", "NAME", "--output-all"}, "--output and --output-all contradict each other; choose one"},
	};
	for (const auto& c : cases) {
		for (std::vector<std::string> command : {std::vector<std::string>{"list"},
							 std::vector<std::string>{"status", "-t", "700"}}) {
			command.insert(command.end(), c.args.begin(), c.args.end());
			auto r = run_cli(command, census_proc);
			EXPECT_EQ(r.code, cli::exit_usage) << command[0] << " " << c.message;
			EXPECT_TRUE(r.out.empty()) << r.out;
			EXPECT_EQ(r.err, "swapns " + command[0] + ": " + c.message + "\n");
		}
	}
	// --bytes and --noheadings it honours as it is.
	EXPECT_EQ(run_cli({"list", "-J", "-b", "-n"}, census_proc).out, run_cli({"list", "-J"}, census_proc).out);
}

TEST(CliOutput, HelpListsTheColumns)
{
	auto list = run_cli({"list", "--help"});
	EXPECT_EQ(list.code, cli::exit_ok);
	for (const char* text : {"-o [ --output ] COLUMNS", "-O [ --output-all ]", "-n [ --noheadings ]", "-r [ --raw ]",
				 "-b [ --bytes ]", "-J [ --json ]", "\nColumns of the namespaces table:\n NAMESPACE  inode",
				 "\n PIDS       the first five of those processes\n",
				 "\nColumns of the devices table:\n NAMESPACE  inode",
				 "\n NAME       swap file or partition path\n"})
		EXPECT_NE(list.out.find(text), std::string::npos) << text << "\n" << list.out;
	auto status = run_cli({"status", "--help"});
	EXPECT_EQ(status.code, cli::exit_ok);
	EXPECT_NE(status.out.find("\nColumns of the devices table:\n NAMESPACE  "), std::string::npos) << status.out;
	EXPECT_EQ(status.out.find("PIDS"), std::string::npos) << status.out;
}
