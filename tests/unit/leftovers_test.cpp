#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_run.hpp"
#include "swapns/leftovers.hpp"
#include "swapns/swap_header.hpp"

using namespace swapns;
using swapns::test::run_cli;

namespace {

struct TempDir {
	std::filesystem::path path;
	TempDir()
	{
		char tmpl[] = "/tmp/swapns-gc-XXXXXX";
		path = ::mkdtemp(tmpl);
	}
	~TempDir() { std::filesystem::remove_all(path); }
	void touch(const std::string& name) const { std::ofstream(path / name) << "x"; }
	bool has(const std::string& name) const { return std::filesystem::exists(path / name); }
};

} // namespace

TEST(Leftovers, HalfMadeNames)
{
	EXPECT_EQ(half_made_creator(".job.swap.swapns-1234"), 1234);
	EXPECT_EQ(half_made_creator(".a.swapns-7"), 7);
	EXPECT_FALSE(half_made_creator("job.swap.swapns-1234")); // not hidden
	EXPECT_FALSE(half_made_creator("..swapns-1234"));        // no name
	EXPECT_FALSE(half_made_creator(".job.swap.swapns-"));
	EXPECT_FALSE(half_made_creator(".job.swap.swapns-12x"));
	EXPECT_FALSE(half_made_creator(".job.swap.swapns-0"));
	EXPECT_FALSE(half_made_creator(".job.swap"));
}

// The one format: what mkswap names a file it is making, gc reads back as its maker.
TEST(Leftovers, HalfMadePathRoundTrips)
{
	EXPECT_EQ(half_made_path("/srv/swap/job.swap", 1234), "/srv/swap/.job.swap.swapns-1234");
	EXPECT_EQ(half_made_path("job.swap", 5), ".job.swap.swapns-5");
	EXPECT_EQ(half_made_creator(half_made_path("/srv/a.b.swapns-9", 42).filename().native()), 42);
}

TEST(Leftovers, DrainingDevicesOnly)
{
	std::vector<SwapDevice> view(3);
	view[0].path = "/a";
	view[1].path = "/b";
	view[1].state = SwapDevice::State::draining;
	view[2].path = "/c";
	view[2].state = SwapDevice::State::inherited;
	auto d = draining_devices(view);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].path, "/b");
}

TEST(Leftovers, LabelOfASwapArea)
{
	TempDir dir;
	size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
	auto header = encode_swap_header(16 * page, page, Uuid{}, unshare_label);
	ASSERT_TRUE(header);
	std::ofstream(dir.path / "s").write(header->data(), static_cast<std::streamsize>(header->size()));
	auto label = read_swap_label(dir.path / "s");
	ASSERT_TRUE(label) << label.error().message();
	EXPECT_EQ(*label, unshare_label);

	dir.touch("plain");
	auto none = read_swap_label(dir.path / "plain");
	ASSERT_FALSE(none);
	EXPECT_NE(none.error().context().find("no swap header"), std::string::npos);
	EXPECT_FALSE(read_swap_label(dir.path / "missing"));
}

TEST(CliGc, RemovesHalfMadeFilesOfDeadMakersOnly)
{
	TempDir dir;
	// PIDs above the kernel's maximum (4194304) never run.
	dir.touch(".dead.swap.swapns-99999999");
	std::string alive = ".alive.swap.swapns-" + std::to_string(::getpid());
	dir.touch(alive);
	dir.touch("finished.swap");

	auto dry = run_cli({"gc", "--dry-run", dir.path.string()});
	EXPECT_EQ(dry.code, cli::exit_ok) << dry.err;
	EXPECT_NE(dry.out.find("would remove " + (dir.path / ".dead.swap.swapns-99999999").string()),
		  std::string::npos) << dry.out;
	EXPECT_TRUE(dir.has(".dead.swap.swapns-99999999"));

	auto r = run_cli({"gc", dir.path.string()});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_FALSE(dir.has(".dead.swap.swapns-99999999"));
	EXPECT_TRUE(dir.has(alive));
	EXPECT_TRUE(dir.has("finished.swap"));
	EXPECT_EQ(r.out.find("alive"), std::string::npos) << r.out;
}

TEST(CliGc, MissingDirectoryIsAnError)
{
	auto r = run_cli({"gc", "/nonexistent/swapns-gc"});
	EXPECT_EQ(r.code, cli::exit_failure);
	EXPECT_NE(r.err.find("/nonexistent/swapns-gc"), std::string::npos) << r.err;
}

// A maker on another machine (or in another PID namespace) is not seen by kill(); the lock it
// holds on the file keeps gc away.
TEST(CliGc, KeepsAHalfMadeFileThatIsStillLocked)
{
	TempDir dir;
	dir.touch(".remote.swap.swapns-99999998");
	int fd = ::open((dir.path / ".remote.swap.swapns-99999998").c_str(), O_RDWR);
	ASSERT_GE(fd, 0);
	struct flock lock {};
	lock.l_type = F_WRLCK;
	lock.l_whence = SEEK_SET;
	ASSERT_EQ(::fcntl(fd, F_OFD_SETLK, &lock), 0);
	auto r = run_cli({"gc", dir.path.string()});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_TRUE(dir.has(".remote.swap.swapns-99999998"));
	::close(fd);
	auto again = run_cli({"gc", dir.path.string()});
	EXPECT_EQ(again.code, cli::exit_ok) << again.err;
	EXPECT_FALSE(dir.has(".remote.swap.swapns-99999998"));
}

// gc looks at every name of the half-made pattern, but removes only a regular file of the
// caller's that it could lock: never what the name is made to point at, nor a FIFO, a
// directory or a socket, which it must neither open nor fail on.
TEST(CliGc, LeavesWhatIsNoHalfMadeFileAlone)
{
	TempDir dir;
	dir.touch("target");
	std::filesystem::create_symlink(dir.path / "target", dir.path / ".link.swap.swapns-99999997");
	ASSERT_EQ(::mkfifo((dir.path / ".fifo.swap.swapns-99999996").c_str(), 0600), 0);
	std::filesystem::create_directory(dir.path / ".dir.swap.swapns-99999995");
	dir.touch(".dead.swap.swapns-99999994");

	auto r = run_cli({"gc", dir.path.string()});
	EXPECT_EQ(r.code, cli::exit_ok) << r.err;
	EXPECT_TRUE(std::filesystem::is_symlink(dir.path / ".link.swap.swapns-99999997"));
	EXPECT_TRUE(dir.has("target"));
	EXPECT_TRUE(dir.has(".fifo.swap.swapns-99999996"));
	EXPECT_TRUE(dir.has(".dir.swap.swapns-99999995"));
	EXPECT_FALSE(dir.has(".dead.swap.swapns-99999994")); // the real leftover still goes
	EXPECT_NE(r.out.find(".link.swap.swapns-99999997 alone: it is a symbolic link"), std::string::npos)
		<< r.out;
	EXPECT_NE(r.out.find(".fifo.swap.swapns-99999996 alone: it is a FIFO"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(".dir.swap.swapns-99999995 alone: it is a directory"), std::string::npos)
		<< r.out;
}

TEST(Leftovers, AnotherUsersFileIsLeftAlone)
{
	if (::geteuid() != 0)
		GTEST_SKIP() << "needs root to give a file to another user";
	TempDir dir;
	dir.touch(".other.swap.swapns-99999993");
	auto path = dir.path / ".other.swap.swapns-99999993";
	ASSERT_EQ(::chown(path.c_str(), 65534, 65534), 0);
	auto done = remove_if_abandoned(path);
	ASSERT_TRUE(done) << done.error().message();
	EXPECT_EQ(done->outcome, AbandonedFile::Outcome::not_ours);
	EXPECT_NE(done->why.find("owned by user 65534"), std::string::npos) << done->why;
	EXPECT_TRUE(dir.has(".other.swap.swapns-99999993"));
}

TEST(Leftovers, AFileGoneMeanwhileIsNoError)
{
	TempDir dir;
	auto done = remove_if_abandoned(dir.path / ".gone.swap.swapns-99999992");
	ASSERT_TRUE(done) << done.error().message();
	EXPECT_EQ(done->outcome, AbandonedFile::Outcome::gone);
}

// unshare's cleanup asks this of the user's own swapfile paths: a FIFO there must not hang it
// (opening a FIFO for writing blocks until a reader comes), nor a regular file count as on.
TEST(ActiveSwap, FifoAndPlainFileAreNoSwapDevices)
{
	auto dir = std::filesystem::temp_directory_path() / ("swapns-active-" + std::to_string(::getpid()));
	std::filesystem::create_directories(dir);
	auto fifo = dir / "fifo.swap";
	ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
	EXPECT_FALSE(is_active_swap_anywhere(fifo));
	auto plain = dir / "plain.swap";
	std::ofstream(plain) << "x";
	EXPECT_FALSE(is_active_swap_anywhere(plain));
	EXPECT_FALSE(is_active_swap_anywhere(dir / "missing.swap"));
	std::filesystem::remove_all(dir);
}

TEST(Leftovers, UnshareCgroupNames)
{
	EXPECT_EQ(unshare_cgroup_name(77), "swapns-77");
	EXPECT_EQ(unshare_cgroup_maker("swapns-77"), 77);
	EXPECT_EQ(unshare_cgroup_maker("swapns-77.supervisor"), 77);
	EXPECT_EQ(unshare_cgroup_maker(unshare_cgroup_name(4321)), 4321);
	EXPECT_FALSE(unshare_cgroup_maker("swapns-"));
	EXPECT_FALSE(unshare_cgroup_maker("swapns-0"));
	EXPECT_FALSE(unshare_cgroup_maker("swapns-7x"));
	EXPECT_FALSE(unshare_cgroup_maker("swapns-7.supervisorx"));
	EXPECT_FALSE(unshare_cgroup_maker("xswapns-7"));
	EXPECT_FALSE(unshare_cgroup_maker("system.slice"));
}

namespace {

// Stands for kill(PID, 0): only PID 100 is alive.
bool only_100_alive(pid_t pid)
{
	return pid == 100;
}

} // namespace

// A cgroup tree as a killed unshare leaves it: its command's cgroup and its own leaf, empty;
// one of a living run; one still populated; names that only look alike.
TEST(Leftovers, StaleUnshareCgroups)
{
	TempDir dir;
	auto make = [&](const std::string& rel, const char* events) {
		std::filesystem::create_directories(dir.path / rel);
		std::ofstream(dir.path / rel / "cgroup.events") << events;
	};
	make("user.slice/swapns-200", "populated 0\nfrozen 0\n");
	make("user.slice/swapns-200.supervisor", "populated 0\nfrozen 0\n");
	make("user.slice/swapns-100", "populated 0\nfrozen 0\n");   // its maker lives
	make("system.slice/swapns-300", "populated 1\nfrozen 0\n"); // processes left in it
	make("system.slice/swapns-300/swapns-301", "populated 0\nfrozen 0\n");
	make("swapns-abc", "populated 0\n");
	make("swapns-400.old", "populated 0\n");
	auto stale = stale_unshare_cgroups(dir.path, only_100_alive);
	std::vector<std::pair<std::string, pid_t>> got;
	for (const auto& s : stale)
		got.emplace_back(s.path.lexically_relative(dir.path).string(), s.maker);
	ASSERT_EQ(got.size(), 3u);
	// Deepest first, then the two of run 200 in either order.
	EXPECT_EQ(got[0], std::make_pair(std::string("system.slice/swapns-300/swapns-301"), 301));
	std::sort(got.begin() + 1, got.end());
	EXPECT_EQ(got[1], std::make_pair(std::string("user.slice/swapns-200"), 200));
	EXPECT_EQ(got[2], std::make_pair(std::string("user.slice/swapns-200.supervisor"), 200));
	EXPECT_TRUE(stale_unshare_cgroups(dir.path / "missing", only_100_alive).empty());
}
