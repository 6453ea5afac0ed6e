#include "swapns/cgroup_control.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "swapns/cgroup_child.hpp"
#include "swapns/file_io.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

namespace fs = std::filesystem;

Result<fs::path> cgroup_directory(const ProcFs& proc, const std::string& path)
{
	auto mountinfo = read_small_file(proc.root() / "self/mountinfo");
	if (!mountinfo)
		return mountinfo.error();
	auto mounts = cgroup2_mounts(*mountinfo);
	if (mounts.empty())
		return Error::refusal(ENOENT, "no cgroup2 filesystem is mounted here; mount one on /sys/fs/cgroup");
	const auto& m = mounts.front();
	// The mount shows cgroup m.root at its mount point; @path must be at or below it.
	std::string rel = path;
	if (m.root != "/") {
		if (rel.compare(0, m.root.size(), m.root) != 0 || (rel.size() > m.root.size() && rel[m.root.size()] != '/'))
			return Error::refusal(ENOENT, "cgroup " + path + " is not below the cgroup2 mount at " + m.mountpoint);
		rel = rel.substr(m.root.size());
	}
	return fs::path(m.mountpoint) / fs::path(rel).relative_path();
}

Result<bool> write_cgroup_file(const fs::path& dir, const std::string& file, const std::string& value)
{
	fs::path path = dir / file;
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("opening " + path.string());
	if (::write(fd.get(), value.data(), value.size()) != static_cast<ssize_t>(value.size()))
		return Error::from_errno("writing \"" + value + "\" to " + path.string());
	return true;
}

Result<std::string> read_cgroup_value(const fs::path& dir, const std::string& file)
{
	auto text = read_small_file(dir / file);
	if (!text)
		return text.error();
	return text->substr(0, text->find('\n'));
}

Result<bool> cgroup_is_frozen(const fs::path& dir)
{
	auto events = read_small_file(dir / "cgroup.events");
	if (!events)
		return events.error();
	std::istringstream in(*events);
	for (std::string key, value; in >> key >> value;)
		if (key == "frozen")
			return value == "1";
	return Error::refusal(ENOTSUP, (dir / "cgroup.events").string() + " has no \"frozen\" line: the kernel "
									     "has no cgroup v2 freezer");
}

Result<bool> set_cgroup_frozen(const fs::path& dir, bool frozen, std::chrono::milliseconds timeout)
{
	if (auto r = write_cgroup_file(dir, "cgroup.freeze", frozen ? "1" : "0"); !r)
		return r;
	auto deadline = std::chrono::steady_clock::now() + timeout;
	for (;;) {
		auto now = cgroup_is_frozen(dir);
		if (!now)
			return now;
		if (*now == frozen)
			return true;
		if (std::chrono::steady_clock::now() > deadline)
			return Error::refusal(ETIMEDOUT, "cgroup " + dir.string() + (frozen ? " did not freeze" : " did not thaw") +
								 " within " + std::to_string(timeout.count()) + " ms");
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
}

Result<bool> wait_cgroup_empty(const fs::path& dir, std::chrono::milliseconds timeout)
{
	auto deadline = std::chrono::steady_clock::now() + timeout;
	for (;;) {
		auto events = read_small_file(dir / "cgroup.events");
		if (!events)
			return events.error();
		if (events->find("populated 0") != std::string::npos)
			return true;
		if (std::chrono::steady_clock::now() > deadline)
			return Error::refusal(ETIMEDOUT, "cgroup " + dir.string() + " still has processes after " +
								 std::to_string(timeout.count()) + " ms");
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
}

Result<fs::path> make_cgroup_for_restore(const fs::path& mount, const std::string& path)
{
	fs::path dir = mount;
	for (const auto& part : fs::path(path).relative_path()) {
		fs::path parent = dir;
		dir /= part;
		struct stat st{};
		if (::stat(dir.c_str(), &st) == 0)
			continue;
		// The parent's children get the memory controller (a no-op where it is on already).
		// Refused only for a parent with processes of its own below the root: then the
		// mkdir still works and the limits are what fails, naming the file.
		(void)write_cgroup_file(parent, "cgroup.subtree_control", "+memory");
		if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
			return Error::from_errno("making cgroup " + dir.string());
	}
	auto procs = read_small_file(dir / "cgroup.procs");
	if (!procs)
		return procs.error();
	if (!procs->empty())
		return Error::refusal(EBUSY, "cgroup " + dir.string() + " has processes; restore into an empty "
									 "cgroup (--cgroup PATH)");
	return dir;
}

} // namespace swapns
