// Command-line checks of unshare, enter, swapon and swapoff that need no swap namespaces:
// usage errors, and the message on a kernel (the fixture /proc) without them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli_run.hpp"
#include "launch_messages.hpp"
#include "swapns/swap_ns_abi.hpp"

using namespace swapns;
using swapns::test::run_cli;

namespace {

// What a namespace command says on the fixture /proc, which has no /proc/self/ns/swap.
std::string missing_support()
{
	return built_with_swap_ns ? "this kernel lacks swap namespaces" : "built without swap namespace support";
}

} // namespace

TEST(CliUnshare, NeedsACommand)
{
	auto r = run_cli({"unshare", "--swapfile", "/x:1G"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("no command: give it after '--'"), std::string::npos) << r.err;
}

TEST(CliUnshare, BadValuesAreNamed)
{
	auto prio = run_cli({"unshare", "--priority", "40000", "--", "true"});
	EXPECT_EQ(prio.code, cli::exit_usage);
	EXPECT_NE(prio.err.find("--priority '40000' is not a number from 0 to 32767"), std::string::npos)
		<< prio.err;
	auto mem = run_cli({"unshare", "--memory-max", "lots", "--", "true"});
	EXPECT_EQ(mem.code, cli::exit_usage);
	EXPECT_NE(mem.err.find("--memory-max 'lots' is neither max nor a size"), std::string::npos) << mem.err;
	auto unknown = run_cli({"unshare", "--bogus", "--", "true"});
	EXPECT_EQ(unknown.code, cli::exit_usage);
	EXPECT_NE(unknown.err.find("run 'swapns unshare --help'"), std::string::npos) << unknown.err;
}

// "max" is what memory.max and memory.swap.max take for no limit: accepted, so the run gets as
// far as the kernel check (the fixture /proc has no swap namespaces).
TEST(CliUnshare, MaxIsALimit)
{
	auto r = run_cli({"unshare", "--memory-max", "max", "--swap-max", "max", "--", "true"});
	EXPECT_EQ(r.code, cli::exit_failure) << r.err;
	EXPECT_EQ(r.err.rfind("swapns unshare: " + missing_support(), 0), 0u) << r.err;
}

// unshare has no --force: a size for a file that exists says what to do instead, and nothing is
// touched.
TEST(CliUnshare, ExistingFileWithASize)
{
	auto dir = std::filesystem::temp_directory_path() / ("swapns-unshare-test-" + std::to_string(::getpid()));
	std::filesystem::create_directories(dir);
	auto file = dir / "swapfile";
	{
		std::ofstream f(file);
		f << "data";
	}
	auto r = run_cli({"unshare", "--swapfile", file.string() + ":16M", "--", "true"});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_EQ(r.err, "swapns unshare: " + file.string() + " exists: to use it as it is, leave out the size "
			 "(--swapfile " + file.string() + "); to make a new one, remove it first\n");
	EXPECT_EQ(r.err.find("--force"), std::string::npos) << r.err;
	EXPECT_EQ(std::filesystem::file_size(file), 4u);
	std::filesystem::remove_all(dir);
}

TEST(CliUnshare, KernelWithoutSwapNamespaces)
{
	auto r = run_cli({"unshare", "--", "true"});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_EQ(r.err.rfind("swapns unshare: " + missing_support(), 0), 0u) << r.err;
}

TEST(CliEnter, TargetIsRequiredAndChecked)
{
	EXPECT_EQ(run_cli({"enter", "--", "true"}).code, cli::exit_usage);
	auto bad = run_cli({"enter", "-t", "abc"});
	EXPECT_EQ(bad.code, cli::exit_usage);
	EXPECT_NE(bad.err.find("-t 'abc' is not a process ID"), std::string::npos) << bad.err;
	auto r = run_cli({"enter", "-t", "1"});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_EQ(r.err.rfind("swapns enter: " + missing_support(), 0), 0u) << r.err;
}

TEST(CliSwapon, FileAndTargetAreRequired)
{
	auto r = run_cli({"swapon", "-t", "1"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("give -t PID and FILE"), std::string::npos) << r.err;
	auto prio = run_cli({"swapon", "-t", "1", "--priority", "x", "/f"});
	EXPECT_EQ(prio.code, cli::exit_usage);
	// -p as swapon(8) has it.
	auto short_prio = run_cli({"swapon", "-t", "1", "-p", "x", "/f"});
	EXPECT_EQ(short_prio.code, cli::exit_usage);
	EXPECT_EQ(short_prio.err, "swapns swapon: --priority 'x' is not a number from 0 to 32767\n");
	auto off = run_cli({"swapoff", "-t", "1", "/f"});
	EXPECT_EQ(off.code, cli::exit_failure);
	EXPECT_EQ(off.err.rfind("swapns swapoff: " + missing_support(), 0), 0u) << off.err;
	// swapoff takes no priority.
	EXPECT_EQ(run_cli({"swapoff", "-t", "1", "--priority", "1", "/f"}).code, cli::exit_usage);
}

TEST(CliLaunch, ExitStatusTellsACommandNotRunFromAFailedStep)
{
	// As unshare(1) and nsenter(1): 127 not found, 126 found but not runnable.
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::exec, Error(ENOENT, "running ./job")),
		  cli::exit_not_found);
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::exec, Error(EACCES, "running ./job")),
		  cli::exit_not_executable);
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::exec, Error(ENOEXEC, "running ./job")),
		  cli::exit_not_executable);
	// The step decides, not the message: a swapon path that reads like a command is a swapon.
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::swapon, Error(ENOENT, "running")), cli::exit_failure);
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::swapon, Error(EPERM, "swapon /x.swap")),
		  cli::exit_failure);
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::unshare, Error(EPERM, "unshare(CLONE_NEWSWAP)")),
		  cli::exit_failure);
	// No fork: nothing was run, but nothing was found unrunnable either.
	EXPECT_EQ(cli::launch_exit_status(LaunchStep::start, Error(EAGAIN, "fork")), cli::exit_failure);
	EXPECT_NE(cli::launch_error_message(LaunchStep::swapon, Error(EBUSY, "swapon /x")).find("swap device already"),
		  std::string::npos);
}

TEST(CliSignals, NamesAsUnshareTakesThem)
{
	EXPECT_EQ(cli::parse_signal("TERM"), SIGTERM);
	EXPECT_EQ(cli::parse_signal("SIGTERM"), SIGTERM);
	EXPECT_EQ(cli::parse_signal("sigkill"), SIGKILL);
	EXPECT_EQ(cli::parse_signal("9"), SIGKILL);
	EXPECT_FALSE(cli::parse_signal("0"));
	EXPECT_FALSE(cli::parse_signal("TERMINATE"));
	EXPECT_FALSE(cli::parse_signal(""));
	EXPECT_FALSE(cli::parse_signal("999"));
}

TEST(CliSignals, KillChildTakesASignalOrNone)
{
	auto bad = run_cli({"unshare", "--kill-child=NOPE", "--", "true"});
	EXPECT_EQ(bad.code, cli::exit_usage);
	EXPECT_NE(bad.err.find("--kill-child 'NOPE' is not a signal"), std::string::npos) << bad.err;
	auto enter = run_cli({"enter", "-t", "1", "--kill-child=SIGNOPE", "--", "true"});
	EXPECT_EQ(enter.code, cli::exit_usage);
	EXPECT_NE(enter.err.find("--kill-child 'SIGNOPE' is not a signal"), std::string::npos) << enter.err;
	// Bare, it is KILL: accepted, so the command goes on to what this host lacks.
	auto bare = run_cli({"unshare", "--kill-child", "--", "true"});
	EXPECT_NE(bare.code, cli::exit_usage) << bare.err;
}

// swapns ends as its command did: by the same signal, with no core dump of its own.
TEST(CliSignals, EndBySignalEndsTheProcess)
{
	for (int sig : {SIGTERM, SIGSEGV}) {
		pid_t pid = ::fork();
		ASSERT_GE(pid, 0);
		if (pid == 0) {
			sigset_t all;
			sigfillset(&all);
			::sigprocmask(SIG_BLOCK, &all, nullptr); // as after SupervisedChild
			::signal(sig, SIG_IGN);
			cli::end_by_signal(sig);
			::_exit(99);
		}
		int status = 0;
		ASSERT_EQ(::waitpid(pid, &status, 0), pid);
		EXPECT_TRUE(WIFSIGNALED(status)) << sig;
		EXPECT_EQ(WTERMSIG(status), sig);
		EXPECT_FALSE(WCOREDUMP(status)) << sig;
	}
}
