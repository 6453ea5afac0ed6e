#include "swapns/restore.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "swapns/cgroup_control.hpp"
#include "swapns/checkpoint_image.hpp"
#include "swapns/container.hpp"
#include "swapns/criu_service.hpp"
#include "swapns/sha256.hpp"
#include "swapns/swap_migration.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/unique_fd.hpp"
#include "swapns/zero_fill.hpp"

namespace swapns {

namespace fs = std::filesystem;
using namespace checkpoint;

namespace {

// The swapfile being recreated: a hidden name beside the target until it is complete.
class TargetFile {
public:
	~TargetFile()
	{
		if (!tmp.empty())
			::unlink(tmp.c_str());
		// A file that does not swap off is still in use: its name stays, for swapns gc.
		if (swapped_on && ::swapoff(path.c_str()) != 0)
			return;
		if (placed)
			::unlink(path.c_str());
	}
	fs::path path;
	fs::path tmp;
	bool placed = false;     // renamed to path; removed on failure
	bool swapped_on = false; // swapped off on failure
	void keep()
	{
		placed = false;
		swapped_on = false;
	}
};

Result<bool> recreate_swapfile(const Manifest& m, const fs::path& image, TargetFile& target)
{
	struct stat st{};
	if (::lstat(target.path.c_str(), &st) == 0)
		return Error::refusal(EEXIST, target.path.string() + " exists; give --swapfile PATH for the restored swapfile");
	std::string templ = (target.path.parent_path() / ("." + target.path.filename().string() + ".restore-XXXXXX")).string();
	UniqueFd fd(::mkostemp(templ.data(), O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("creating a file in " + target.path.parent_path().string());
	target.tmp = templ;
	uint64_t size = m.device.pages * m.page_size;
	// Allocated but unwritten (unwritten extents read as zeros, and swapon takes them); on a
	// filesystem without fallocate, written with zeros.
	if (::fallocate(fd.get(), 0, 0, static_cast<off_t>(size)) < 0) {
		if (errno != EOPNOTSUPP)
			return Error::from_errno("allocating " + std::to_string(size) + " bytes for " + target.path.string());
		auto z = zero_fill(fd.get(), target.tmp, 0, size);
		if (!z)
			return z.error();
	}
	UniqueFd out(::open(fd_path(fd.get()).c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC));
	if (!out.valid())
		out = UniqueFd(::open(fd_path(fd.get()).c_str(), O_WRONLY | O_CLOEXEC));
	fs::path data_path = image / data_name;
	UniqueFd data(::open(data_path.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
	if (!data.valid())
		data = UniqueFd(::open(data_path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!out.valid() || !data.valid())
		return Error::from_errno("opening " + data_path.string() + " or " + target.tmp.string());
	// Checked again as it is copied: the image may have changed since it was verified.
	auto r = copy_chunks({data.get(), data_path.string()}, {out.get(), target.tmp.string()},
			     data_plan(m, PlanDirection::scatter),
			     [&](size_t chunk, std::span<const char> bytes) -> Result<bool> {
				     if (sha256_hex(bytes) != m.chunk_sha256[chunk])
					     return Error::refusal(EIO, data_path.string() + ": chunk " + std::to_string(chunk) +
									       " changed since it was verified");
				     return true;
			     });
	if (!r)
		return r.error();
	::fchmod(fd.get(), 0600);
	if (::fsync(fd.get()) < 0)
		return Error::from_errno("syncing " + target.tmp.string());
	if (::renameat2(AT_FDCWD, target.tmp.c_str(), AT_FDCWD, target.path.c_str(), RENAME_NOREPLACE) < 0)
		return Error::from_errno("renaming " + target.tmp.string() + " to " + target.path.string());
	target.tmp.clear();
	target.placed = true;
	UniqueFd dir(::open(target.path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (dir.valid())
		::fsync(dir.get());
	return true;
}

// The restored tree: every process below @root (itself included), by its inner PID.
Result<std::map<pid_t, pid_t>> restored_tree(const ProcFs& proc, pid_t root)
{
	auto snap = read_container_snapshot(proc, root);
	if (!snap)
		return snap.error();
	std::multimap<pid_t, pid_t> children;
	std::map<pid_t, pid_t> inner;
	for (const auto& p : snap->processes) {
		children.emplace(p.ppid, p.pid);
		inner[p.pid] = p.inner_pid;
	}
	std::map<pid_t, pid_t> by_inner;
	std::vector<pid_t> todo{root};
	while (!todo.empty()) {
		pid_t pid = todo.back();
		todo.pop_back();
		by_inner[inner[pid]] = pid;
		auto [b, e] = children.equal_range(pid);
		for (auto it = b; it != e; ++it)
			todo.push_back(it->second);
	}
	return by_inner;
}

// A restored tree that must not live: killed through its cgroup unless disarmed.
class RestoredTasks {
public:
	~RestoredTasks()
	{
		if (cgroup.empty())
			return;
		// Gone before the swapfile goes (its pages are theirs), and the cgroup with them if
		// this restore made it.
		(void)write_cgroup_file(cgroup, "cgroup.kill", "1");
		(void)wait_cgroup_empty(cgroup);
		if (made)
			::rmdir(cgroup.c_str());
	}
	fs::path cgroup;
	bool made = false;
};

} // namespace

std::string criu_restore_hint(std::string_view criu_error)
{
	constexpr std::string_view fork_failed = "Can't fork for ";
	auto at = criu_error.find(fork_failed);
	if (at == std::string_view::npos || criu_error.find("File exists", at) == std::string_view::npos)
		return {};
	auto pid = criu_error.substr(at + fork_failed.size());
	pid = pid.substr(0, pid.find_first_not_of("0123456789"));
	if (pid.empty())
		return {};
	return " (PID " + std::string(pid) + " is in use on this machine: CRIU gives every task back its "
	       "PID, so the container's PIDs must be free here; end what holds them, or run the "
	       "container in a PID namespace of its own)";
}

Result<RestoreReport> restore_container(const ProcFs& proc, const RestoreRequest& rq)
{
	auto step = [&](const std::string& s) {
		if (rq.on_step)
			rq.on_step(s);
	};
	if (auto s = check_swap_ns_support(proc.root().string()); !s)
		return s.error();
	if (!built_with_swap_migration)
		return SetAside::take(-1, {}).error(); // says what is missing
	step("verifying " + rq.image_dir.string());
	auto image = verify_image(rq.image_dir);
	if (!image)
		return image.error();
	const Manifest& m = *image;
	if (m.page_size != static_cast<uint32_t>(::sysconf(_SC_PAGESIZE)))
		return Error::refusal(EINVAL, "the image is of a machine with " + std::to_string(m.page_size) +
						      "-byte pages; this one's differ");
	if (m.device.storage != Storage::copied)
		return Error::refusal(ENOTSUP, "this image moves its swapfile in place (NFS); that restore is not "
					       "built yet");

	// Outlives everything below it: on failure it is swapped off and removed last.
	TargetFile target;
	target.path = fs::absolute(rq.swapfile.value_or(m.device.source_path));
	step("recreating " + target.path.string() + " (" + std::to_string(m.data_pages()) + " used slots)");
	if (auto r = recreate_swapfile(m, rq.image_dir, target); !r)
		return r.error();

	step("swapping it on for the restore in a new swap namespace");
	if (::unshare(static_cast<int>(clone_newswap)) < 0)
		return Error::from_errno("unshare(CLONE_NEWSWAP)");
	if (auto r = swapon_for_restore(target.path.string()); !r)
		return r.error();
	target.swapped_on = true;

	auto mount = cgroup_directory(proc, "/");
	if (!mount)
		return mount.error();
	std::string cgroup_path = rq.cgroup.value_or(m.cgroup.path);
	bool cgroup_existed = fs::exists(*mount / fs::path(cgroup_path).relative_path());
	auto cgdir = make_cgroup_for_restore(*mount, cgroup_path);
	if (!cgdir)
		return cgdir.error();

	char work_templ[] = "/tmp/swapns-restore-XXXXXX";
	if (!::mkdtemp(work_templ))
		return Error::from_errno("making a work directory in /tmp");
	fs::path work = work_templ;
	std::string config = "leave-stopped\n";
	for (const auto& o : rq.criu_options)
		config += (o.rfind("--", 0) == 0 ? o.substr(2) : o) + "\n";
	{
		UniqueFd f(::open((work / "criu.conf").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
		if (!f.valid() || ::write(f.get(), config.data(), config.size()) != static_cast<ssize_t>(config.size()))
			return Error::from_errno("writing " + (work / "criu.conf").string());
	}
	UniqueFd work_fd(::open(work.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	UniqueFd criu_dir(::open((rq.image_dir / criu_dir_name).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!work_fd.valid() || !criu_dir.valid())
		return Error::from_errno("opening the image's criu directory");
	fs::path log = work / "restore.log";
	step("criu restore (log: " + log.string() + ")");
	CriuRequest rr;
	rr.kind = CriuRequest::Kind::restore;
	rr.images_dir_fd = criu_dir.get();
	rr.work_dir_fd = work_fd.get();
	rr.log_file = "restore.log";
	rr.shell_job = true;
	rr.config_file = (work / "criu.conf").string();
	rr.join_cgroup = cgdir->string();
	rr.restore_sibling = true;
	RestoredTasks restored;
	restored.cgroup = *cgdir; // from here on, a failure kills whatever CRIU made
	restored.made = !cgroup_existed;
	auto answer = call_criu(rr, rq.criu);
	if (!answer)
		return Error(answer.error().errnum(), "criu restore: " + answer.error().message() + "; see " + log.string());
	if (!answer->success || answer->restored_pid <= 0)
		return Error::refusal(answer->cr_errno ? answer->cr_errno : EIO,
				      "criu restore failed" + (answer->cr_errmsg.empty() ? "" : ": " + answer->cr_errmsg) +
					      criu_restore_hint(answer->cr_errmsg) + "; see " + log.string());

	step("installing the swapped pages");
	auto tree = restored_tree(proc, answer->restored_pid);
	if (!tree)
		return tree.error();
	std::map<uint64_t, int> slot_users; // slots listed for several tasks are shared (a fork)
	for (const auto& t : m.tasks)
		for (const auto& r : t.runs)
			for (uint64_t i = 0; i < r.count; i++)
				slot_users[r.offset + i]++;
	UniqueFd ns(::open("/proc/self/ns/swap", O_RDONLY | O_CLOEXEC));
	UniqueFd device(::open(target.path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!ns.valid() || !device.valid())
		return Error::from_errno("opening the namespace or the swapfile");
	RestoreReport report;
	report.swapfile = target.path;
	report.root = answer->restored_pid;
	std::vector<char> page(m.page_size);
	for (const auto& t : m.tasks) {
		auto it = tree->find(t.pid);
		if (it == tree->end()) {
			std::string found;
			for (const auto& [inner, host] : *tree)
				found += " " + std::to_string(inner) + (inner == host ? "" : "=" + std::to_string(host));
			return Error::refusal(ESRCH, "the image has pages of process " + std::to_string(t.pid) +
							     ", which criu did not restore (criu restored process " +
							     std::to_string(answer->restored_pid) + ", its tree:" + found + ")");
		}
		pid_t pid = it->second;
		std::vector<InstallEntry> entries;
		for (const auto& r : t.runs)
			for (uint64_t i = 0; i < r.count; i++) {
				uint32_t flags = r.flags;
				if (slot_users[r.offset + i] > 1)
					flags |= install_shared;
				entries.push_back({r.address + i * m.page_size, r.offset + i, flags, -1});
			}
		if (entries.empty())
			continue;
		UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
		if (!pidfd.valid())
			return Error::from_errno("pidfd_open of restored process " + std::to_string(pid));
		auto n = install_pages(ns.get(), pidfd.get(), device.get(), entries);
		if (!n)
			return n.error();
		report.installed += *n;
		UniqueFd mem;
		for (const auto& e : entries) {
			if (e.error == 0)
				continue;
			if (e.error == EEXIST && (e.flags & held_mapped)) {
				report.already_there++; // CRIU's image has the page
				continue;
			}
			// Refused: the page goes into memory instead, so that the task has it.
			if (e.flags & held_zero) {
				std::fill(page.begin(), page.end(), '\0');
			} else {
				// From the recreated swapfile, whose slots were checked as they were written
				// (the image's data file may have changed since).
				if (::pread(device.get(), page.data(), page.size(), static_cast<off_t>(e.offset * m.page_size)) !=
				    static_cast<ssize_t>(page.size()))
					return Error::from_errno("reading slot " + std::to_string(e.offset) + " of " +
								 target.path.string());
			}
			if (!mem.valid())
				mem = UniqueFd(::open((proc.task_dir(pid) / "mem").c_str(), O_RDWR | O_CLOEXEC));
			if (!mem.valid() || ::pwrite(mem.get(), page.data(), page.size(), static_cast<off_t>(e.address)) !=
						    static_cast<ssize_t>(page.size()))
				return Error::from_errno("writing the page at " + std::to_string(e.address) + " of process " +
							 std::to_string(pid) + " (the kernel refused to install it: " +
							 std::to_string(e.error) + ")");
			report.written++;
		}
	}

	step("ending the restore and resuming");
	if (auto r = end_restore(ns.get(), device.get()); !r)
		return r.error();
	if (m.cgroup.memory_max != "max")
		if (auto r = write_cgroup_file(*cgdir, "memory.max", m.cgroup.memory_max); !r)
			return r.error();
	if (m.cgroup.swap_max != "max")
		if (auto r = write_cgroup_file(*cgdir, "memory.swap.max", m.cgroup.swap_max); !r)
			return r.error();
	for (const auto& [inner, pid] : *tree)
		::kill(pid, SIGCONT);
	restored.cgroup.clear();
	target.keep();
	fs::remove_all(work);
	return report;
}

} // namespace swapns
