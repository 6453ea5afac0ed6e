#include "swapns/cgroup_child.hpp"

#include "swapns/file_io.hpp"
#include "swapns/unique_fd.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <sstream>
#include <thread>

namespace swapns {

namespace {

std::string limit_text(uint64_t bytes)
{
	return bytes == MemoryLimits::unlimited ? "max" : std::to_string(bytes);
}

Result<bool> write_control(const std::filesystem::path& file, const std::string& value)
{
	UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CLOEXEC));
	if (!fd.valid() || ::write(fd.get(), value.data(), value.size()) !=
				   static_cast<ssize_t>(value.size()))
		return Error::from_errno("writing '" + value + "' to " + file.string());
	return true;
}

bool has_word(const std::string& text, const std::string& word)
{
	std::istringstream in(text);
	std::string w;
	while (in >> w)
		if (w == word)
			return true;
	return false;
}

// mountinfo escapes space, tab, newline and backslash in paths as \ooo (octal).
std::string unescape_mountinfo(const std::string& field)
{
	std::string out;
	for (size_t i = 0; i < field.size(); i++) {
		auto octal = [&](size_t j) { return field[j] >= '0' && field[j] <= '7'; };
		if (field[i] == '\\' && i + 3 < field.size() && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
			out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
						 (field[i + 3] - '0'));
			i += 3;
		} else {
			out += field[i];
		}
	}
	return out;
}

// Serializes the swapns processes that turn @dir's memory controller on or off, or make a
// child under it: one that turns it off must not do so under another's child, which would
// lose its limits (its memory.* files) with it. Released when the descriptor closes.
UniqueFd lock_cgroup(const std::filesystem::path& dir)
{
	UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (fd.valid())
		while (::flock(fd.get(), LOCK_EX) != 0 && errno == EINTR) {
		}
	return fd;
}

// Whether @dir has a child cgroup other than @except.
bool has_child_cgroup(const std::filesystem::path& dir, const std::filesystem::path& except)
{
	std::error_code ec;
	for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
		if (entry.is_directory(ec) && entry.path() != except)
			return true;
	return ec.operator bool(); // unreadable: assume there is one, and leave the controller on
}

} // namespace

std::vector<Cgroup2Mount> cgroup2_mounts(std::string_view mountinfo)
{
	// "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER"
	std::vector<Cgroup2Mount> mounts;
	std::istringstream in{std::string(mountinfo)};
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream fields(line);
		std::string id, parent, dev, root, mountpoint, word;
		fields >> id >> parent >> dev >> root >> mountpoint;
		while (fields >> word && word != "-") {
		}
		if (fields >> word && word == "cgroup2")
			mounts.push_back({unescape_mountinfo(root), unescape_mountinfo(mountpoint)});
	}
	return mounts;
}


Result<std::filesystem::path> own_cgroup_dir(const std::filesystem::path& proc_root)
{
	auto mountinfo = read_small_file(proc_root / "self/mountinfo");
	if (!mountinfo)
		return mountinfo.error();
	auto mounts = cgroup2_mounts(*mountinfo);
	if (mounts.empty())
		return Error::refusal(ENOENT, "no cgroup v2 hierarchy is mounted (no cgroup2 line in " +
					     (proc_root / "self/mountinfo").string() +
					     "): mount one (mount -t cgroup2 none /sys/fs/cgroup) or drop "
					     "--memory-max and --swap-max");
	auto cgroups = read_small_file(proc_root / "self/cgroup");
	if (!cgroups)
		return cgroups.error();
	std::istringstream in(*cgroups);
	std::string line;
	while (std::getline(in, line)) {
		if (line.rfind("0::", 0) != 0)
			continue;
		std::filesystem::path cgroup(line.substr(3));
		// The mount shows its ROOT at its mount point: the caller's cgroup must lie below it.
		for (const auto& m : mounts) {
			auto below = cgroup.lexically_relative(m.root);
			if (below == ".")
				return std::filesystem::path(m.mountpoint);
			if (!below.empty() && *below.begin() != "..")
				return std::filesystem::path(m.mountpoint) / below;
		}
		return Error::refusal(ENOENT, "no cgroup2 mount shows this process's cgroup " + cgroup.string() +
					     " (the mounts show " + mounts.front().root + " and below): mount "
					     "the hierarchy where it can be seen, or drop --memory-max and --swap-max");
	}
	return Error::refusal(ENOENT, "this process is in no cgroup v2 cgroup (no 0:: line in " +
				     (proc_root / "self/cgroup").string() + ")");
}

Result<CgroupChild> CgroupChild::create(const std::filesystem::path& parent, const std::string& name,
					const MemoryLimits& limits)
{
	CgroupChild child;
	child.parent_ = parent;
	UniqueFd lock = lock_cgroup(parent);
	auto controllers = read_small_file(parent / "cgroup.subtree_control");
	if (!controllers)
		return controllers.error();
	if (!has_word(*controllers, "memory")) {
		auto enabled = write_control(parent / "cgroup.subtree_control", "+memory");
		if (!enabled && enabled.error().errnum() == EBUSY) {
			// Processes in @parent: if this one is the only one, a leaf of its own clears it.
			std::filesystem::path leaf = parent / (name + ".supervisor");
			if (::mkdir(leaf.c_str(), 0755) == 0) {
				child.leaf_ = leaf;
				if (write_control(leaf / "cgroup.procs", "0"))
					enabled = write_control(parent / "cgroup.subtree_control", "+memory");
			}
		}
		if (!enabled && enabled.error().errnum() == EBUSY)
			return Error::refusal(EBUSY, "cannot turn on the memory controller for the children of " +
						    parent.string() +
						    ": other processes than swapns are in it, and cgroup v2 "
						    "hands controllers down only from cgroups without processes. "
						    "Start swapns in a cgroup of its own (e.g. systemd-run --user "
						    "--scope -p Delegate=yes swapns unshare ...), or without "
						    "--memory-max/--swap-max");
		if (!enabled)
			return enabled.error();
		child.memory_enabled_ = true;
	}
	std::filesystem::path dir = parent / name;
	if (::mkdir(dir.c_str(), 0755) != 0) {
		int err = errno;
		if (err == EACCES || err == EPERM || err == EROFS)
			return Error(err, "making cgroup " + dir.string() +
						  ": the cgroup is not delegated to you; run as root or "
						  "in a delegated cgroup (systemd-run --user --scope -p "
						  "Delegate=yes ...)");
		return Error(err, "making cgroup " + dir.string());
	}
	child.path_ = dir;
	if (limits.memory_max) {
		auto set = write_control(dir / "memory.max", limit_text(*limits.memory_max));
		if (!set)
			return set.error();
	}
	if (limits.swap_max) {
		if (::access((dir / "memory.swap.max").c_str(), F_OK) != 0)
			return Error::refusal(ENOENT, "this kernel does not account swap per cgroup (no " +
						     (dir / "memory.swap.max").string() +
						     "): drop --swap-max, or boot with swap accounting");
		auto set = write_control(dir / "memory.swap.max", limit_text(*limits.swap_max));
		if (!set)
			return set.error();
	}
	return child;
}

CgroupChild::~CgroupChild()
{
	// The last process leaves a moment after its parent reaps it: retry for a while.
	if (!path_.empty())
		for (int i = 0; i < 50 && ::rmdir(path_.c_str()) != 0 && errno == EBUSY; i++)
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
	// Back as it was: the controller off again, then this process back in the parent. Not
	// while another child is there (another swapns unshare's, which found the controller on):
	// it would lose its limits. The controller then stays on.
	if (memory_enabled_) {
		UniqueFd lock = lock_cgroup(parent_);
		if (!has_child_cgroup(parent_, leaf_))
			(void)write_control(parent_ / "cgroup.subtree_control", "-memory");
	}
	if (!leaf_.empty()) {
		(void)write_control(parent_ / "cgroup.procs", "0");
		::rmdir(leaf_.c_str());
	}
}

} // namespace swapns
