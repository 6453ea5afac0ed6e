#include <gtest/gtest.h>

#include <pthread.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "cli_run.hpp"
#include "swapns/swap_header.hpp"
#include "swapns/swapfile_strategy.hpp"

using namespace swapns;

namespace {

test::CliRun mkswap(std::vector<std::string> args)
{
	args.insert(args.begin(), "mkswap");
	return test::run_cli(args);
}

class MkswapDir : public ::testing::Test {
protected:
	void SetUp() override { std::filesystem::create_directories(dir_); }
	void TearDown() override { std::filesystem::remove_all(dir_); }
	std::string file(const char* name) const { return (dir_ / name).string(); }

	std::filesystem::path dir_ = std::filesystem::temp_directory_path() /
				     ("swapns-mkswap-cli-" + std::to_string(::getpid()));
};

} // namespace

TEST(CliMkswap, HelpShowsOptions)
{
	auto r = mkswap({"--help"});
	EXPECT_EQ(r.code, cli::exit_ok);
	for (const char* opt : {"--size", "--label", "--uuid", "--force"})
		EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST(CliMkswap, BadCommandLinesSayWhatToChange)
{
	struct Case {
		std::vector<std::string> args;
		const char* message;
	} cases[] = {
		{{"--size", "16M"}, "name exactly one FILE"},
		{{"a.swap"}, "--size is required"},
		{{"a.swap", "--size", "16Q"}, "is not a size"},
		{{"a.swap", "--size", "-5"}, "is not a size"},
		{{"a.swap", "--size", "16M", "--uuid", "nope"}, "8-4-4-4-12"},
		{{"a.swap", "--size", "16M", "--bogus"}, "unrecognised option"},
		// mkswap(8)'s -p is --pagesize: not taken for --priority.
		{{"a.swap", "--size", "16M", "-p", "5"}, "unrecognised option '-p'"},
		{{"a.swap", "--size", "1.5"}, "e.g. 512M or 1.5G"},
		// Refused before anything is made, not after the file was written.
		{{"", "--size", "16M"}, "the FILE name is empty"},
		{{"a.swap", "--size", "16M", "--uuid", "01234567-89ab-cdef-012a04567890bcdef"}, "8-4-4-4-12"},
	};
	for (const auto& c : cases) {
		auto r = mkswap(c.args);
		EXPECT_EQ(r.code, cli::exit_usage) << c.message;
		EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
	}
}

TEST_F(MkswapDir, ExistingFileNeedsForce)
{
	std::ofstream(file("a.swap")) << "precious";
	auto r = mkswap({file("a.swap"), "--size", "1M"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("exists; pass --force"), std::string::npos) << r.err;
	// The explanation is complete: no strerror() text repeated after it.
	EXPECT_EQ(r.err.find("File exists"), std::string::npos) << r.err;
	std::ifstream in(file("a.swap"));
	std::string content;
	in >> content;
	EXPECT_EQ(content, "precious"); // nothing lost
}

TEST_F(MkswapDir, SizeErrorsComeFromTheHeader)
{
	auto r = mkswap({file("a.swap"), "--size", "1000"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("whole number"), std::string::npos) << r.err;
	EXPECT_FALSE(std::filesystem::exists(file("a.swap")));
}

TEST(CliMkswap, TmpfsIsRefused)
{
	struct statfs fs {};
	if (::statfs("/dev/shm", &fs) != 0 || fs.f_type != 0x01021994)
		GTEST_SKIP() << "/dev/shm is not tmpfs here";
	std::string path = "/dev/shm/swapns-mkswap-" + std::to_string(::getpid());
	auto r = mkswap({path, "--size", "1M"});
	EXPECT_EQ(r.code, cli::exit_usage);
	EXPECT_NE(r.err.find("is on tmpfs"), std::string::npos) << r.err;
	EXPECT_FALSE(std::filesystem::exists(path));
}

// Where the host's temporary directory can hold swap, a real file is made.
TEST_F(MkswapDir, CreatesACompleteSwapfile)
{
	struct statfs fs {};
	ASSERT_EQ(::statfs(dir_.c_str(), &fs), 0);
	auto strategy = choose_swapfile_strategy(static_cast<uint64_t>(fs.f_type));
	if (strategy.allocation == Allocation::refuse)
		GTEST_SKIP() << dir_ << " is on " << strategy.filesystem;
	auto r = mkswap({file("a.swap"), "--size", "4M", "--label", "unit", "--uuid",
			 "01234567-89ab-cdef-0123-456789abcdef"});
	ASSERT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_NE(r.out.find("UUID 01234567-89ab-cdef-0123-456789abcdef"), std::string::npos) << r.out;
	struct stat st {};
	ASSERT_EQ(::stat(file("a.swap").c_str(), &st), 0);
	EXPECT_EQ(st.st_size, 4 << 20);
	EXPECT_EQ(st.st_mode & 0777, 0600u);
	std::vector<char> page(static_cast<size_t>(::sysconf(_SC_PAGESIZE)));
	std::ifstream(file("a.swap"), std::ios::binary).read(page.data(), static_cast<std::streamsize>(page.size()));
	auto info = decode_swap_header(page);
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(info->label, "unit");
	EXPECT_EQ(info->last_page, (4u << 20) / page.size() - 1);
	// No temporary names left in the directory.
	EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);

	auto again = mkswap({file("a.swap"), "--size", "4M", "--force"});
	EXPECT_EQ(again.code, cli::exit_ok) << again.err;
}

namespace {

// Takes the SIGINTs that arrive before and after the command's own handlers.
volatile std::sig_atomic_t stray_sigints = 0;
extern "C" void count_stray_sigint(int)
{
	stray_sigints = stray_sigints + 1;
}

} // namespace

// Ctrl-C while the file is made: exit 130, the message, and no file or temporary name left;
// the SIGINT handler from before is back afterwards. Signals arrive every few tens of
// microseconds from another thread until the command returns; a run that completed before
// one was noticed made the whole file, and is repeated.
TEST_F(MkswapDir, InterruptLeavesNoFile)
{
	struct statfs fs {};
	ASSERT_EQ(::statfs(dir_.c_str(), &fs), 0);
	auto strategy = choose_swapfile_strategy(static_cast<uint64_t>(fs.f_type));
	if (strategy.allocation == Allocation::refuse)
		GTEST_SKIP() << dir_ << " is on " << strategy.filesystem;
	struct sigaction counting {}, before {};
	counting.sa_handler = count_stray_sigint;
	sigemptyset(&counting.sa_mask);
	ASSERT_EQ(::sigaction(SIGINT, &counting, &before), 0);

	bool interrupted = false;
	for (int attempt = 0; attempt < 50 && !interrupted; attempt++) {
		std::filesystem::remove(file("a.swap"));
		std::atomic<bool> stop{false};
		std::thread sender([&] {
			sigset_t set;
			sigemptyset(&set);
			sigaddset(&set, SIGINT);
			::pthread_sigmask(SIG_BLOCK, &set, nullptr); // delivered to the command's thread
			while (!stop) {
				::kill(::getpid(), SIGINT);
				::usleep(20);
			}
		});
		auto r = mkswap({file("a.swap"), "--size", "64M"});
		stop = true;
		sender.join();
		auto entries = std::distance(std::filesystem::directory_iterator(dir_), {});
		if (r.code == cli::exit_interrupted) {
			interrupted = true;
			EXPECT_NE(r.err.find("interrupted: " + file("a.swap") + " was not created"),
				  std::string::npos) << r.err;
			EXPECT_EQ(entries, 0);
		} else {
			EXPECT_EQ(r.code, cli::exit_ok) << r.err;
			EXPECT_EQ(entries, 1);
		}
	}
	struct sigaction now {};
	::sigaction(SIGINT, nullptr, &now);
	::sigaction(SIGINT, &before, nullptr);
	EXPECT_TRUE(interrupted);
	EXPECT_EQ(now.sa_handler, count_stray_sigint);
}

TEST(CliMkswap, BadPriorityIsRefusedBeforeAnythingIsMade)
{
	auto r = swapns::test::run_cli({"mkswap", "/nonexistent/p.swap", "--size", "1M", "--priority", "40000"});
	EXPECT_EQ(r.code, swapns::cli::exit_usage);
	EXPECT_NE(r.err.find("--priority '40000' is not a number from 0 to 32767"), std::string::npos) << r.err;
}
