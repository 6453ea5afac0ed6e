// swapns checkpoint, restore and verify: what the command line refuses before touching anything
// (the VM tier runs them for real: tests/vm/tools/swapns_migrate.sh).
#include <gtest/gtest.h>

#include <filesystem>

#include "cli_run.hpp"
#include "swapns/swap_ns_abi.hpp"

using namespace swapns;
using swapns::test::run_cli;

namespace {
const std::string noswapns_proc = SWAPNS_FIXTURES "/proc-noswapns";
}

TEST(CliCheckpoint, NeedsATargetAndADirectory)
{
	auto r = run_cli({"checkpoint", "/tmp/x"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_EQ(r.err, "swapns checkpoint: give -t PID and an image directory; run 'swapns checkpoint --help'\n");
	r = run_cli({"restore"});
	EXPECT_EQ(r.code, cli::exit_usage);
	r = run_cli({"verify"});
	EXPECT_EQ(r.code, cli::exit_usage);
}

TEST(CliCheckpoint, RestoreOnAKernelWithoutSwapNamespacesSaysSo)
{
	auto dir = std::filesystem::path(SWAPNS_TEST_DISK_DIR) / "no-such-image";
	auto r = run_cli({"restore", dir.string()}, noswapns_proc);
	EXPECT_EQ(r.code, cli::exit_failure);
	// Built without the series' headers, that is what it says first.
	const char* says = built_with_swap_ns ? "swapns restore: this kernel lacks swap namespaces"
					      : "swapns restore: built without swap namespace support";
	EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
	EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(CliCheckpoint, CheckpointOfAProcessThatDoesNotExist)
{
	auto dir = std::filesystem::path(SWAPNS_TEST_DISK_DIR) / "no-image";
	auto r = run_cli({"checkpoint", "-t", "999999", dir.string()});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_NE(r.err.find("process 999999 does not exist"), std::string::npos) << r.err;
	EXPECT_FALSE(std::filesystem::exists(dir)) << "nothing is made for a refused checkpoint";
}

TEST(CliCheckpoint, VerifySaysWhatIsNotAnImage)
{
	auto r = run_cli({"verify", SWAPNS_FIXTURES});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_NE(r.err.find("has no manifest.json: not a checkpoint image, or one whose checkpoint did not finish"),
		  std::string::npos)
		<< r.err;
}
