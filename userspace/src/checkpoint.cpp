#include "swapns/checkpoint.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <optional>

#include "swapns/cgroup_control.hpp"
#include "swapns/checkpoint_image.hpp"
#include "swapns/container.hpp"
#include "swapns/criu_service.hpp"
#include "swapns/namespace_swaps.hpp"
#include "swapns/sha256.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/task_status.hpp"
#include "swapns/swap_blocks.hpp"
#include "swapns/swap_migration.hpp"
#include "swapns/swap_off.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

namespace fs = std::filesystem;
using namespace checkpoint;

namespace {

constexpr uint64_t chunk_bytes = 1 << 20;

std::string utc_now()
{
	char buf[32];
	std::time_t t = std::time(nullptr);
	std::tm tm{};
	::gmtime_r(&t, &tm);
	std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

std::string kernel_release()
{
	struct utsname u{};
	return ::uname(&u) == 0 ? u.release : "";
}

// The container's one swapfile of its own, opened for O_DIRECT reads (swap I/O bypasses the
// file's page cache, so a buffered read could see stale data).
struct SourceArea {
	SwapDevice device;
	UniqueFd fd;
	SwapHeaderInfo header;
	std::vector<char> header_page; // as read through the file
	struct stat st{};
};

Result<SourceArea> open_source_area(const ProcFs& proc, pid_t pid, uint32_t page_size)
{
	auto devices = read_namespace_swaps(proc, pid);
	if (!devices)
		return devices.error();
	std::vector<SwapDevice> own;
	for (const auto& d : *devices)
		if (d.state == SwapDevice::State::own || d.state == SwapDevice::State::restoring)
			own.push_back(d);
	if (own.empty())
		return Error::refusal(ENODEV, "the container has no swapfile of its own; nothing to migrate "
					      "with it (plain 'criu dump' does)");
	if (own.size() > 1)
		return Error::refusal(EINVAL, "the container has " + std::to_string(own.size()) +
						      " swap devices of its own; swapns checkpoint takes one");
	if (own[0].state == SwapDevice::State::restoring)
		return Error::refusal(EBUSY, own[0].path + " is still being restored; wait for the restore to end");
	if (own[0].partition)
		return Error::refusal(EINVAL, own[0].path + " is a partition; swapns checkpoint migrates swapfiles");
	auto opath = open_swap_device(own[0]);
	if (!opath)
		return opath.error();
	UniqueFd fd(::open(path_of_fd(*opath).c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("opening " + own[0].path + " for direct reads");
	void* page = nullptr;
	if (::posix_memalign(&page, 4096, page_size))
		return Error(ENOMEM, "allocating a page");
	std::unique_ptr<char, decltype(&std::free)> buf(static_cast<char*>(page), &std::free);
	if (::pread(fd.get(), buf.get(), page_size, 0) != static_cast<ssize_t>(page_size))
		return Error::from_errno("reading the swap header of " + own[0].path);
	auto header = decode_swap_header({buf.get(), page_size});
	if (!header)
		return Error::refusal(EINVAL, own[0].path + ": " + header.error().message());
	SourceArea area{own[0], std::move(fd), *header, std::vector<char>(buf.get(), buf.get() + page_size), {}};
	if (::fstat(area.fd.get(), &area.st) != 0)
		return Error::from_errno("stat " + own[0].path);
	return area;
}

} // namespace

// Runs of slots: slot 0 (the header) and every slot a non-zero page is in.
static std::vector<SlotRun> data_runs_of(const std::vector<HeldPage>& held)
{
	std::vector<uint64_t> slots{0};
	for (const auto& h : held)
		if (!(h.flags & held_zero))
			slots.push_back(h.offset);
	std::sort(slots.begin(), slots.end());
	slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
	std::vector<SlotRun> runs;
	for (uint64_t s : slots) {
		if (!runs.empty() && runs.back().first + runs.back().count == s)
			runs.back().count++;
		else
			runs.push_back({s, 1});
	}
	return runs;
}

// Per task, by address, consecutive pages in consecutive slots with the same flags merged.
static std::vector<Task> tasks_of(const std::vector<HeldPage>& held, const std::vector<pid_t>& inner_pids,
				  uint32_t page_size)
{
	std::map<pid_t, std::vector<HeldPage>> by_task;
	for (const auto& h : held)
		by_task[inner_pids.at(h.task)].push_back(h);
	std::vector<Task> tasks;
	for (auto& [pid, pages] : by_task) {
		std::sort(pages.begin(), pages.end(), [](const HeldPage& a, const HeldPage& b) { return a.address < b.address; });
		Task t{pid, {}};
		for (const auto& h : pages) {
			uint32_t flags = h.flags & known_held_flags;
			if (!t.runs.empty()) {
				PageRun& r = t.runs.back();
				if (r.flags == flags && r.address + r.count * page_size == h.address && r.offset + r.count == h.offset) {
					r.count++;
					continue;
				}
			}
			t.runs.push_back({h.address, h.offset, 1, flags});
		}
		tasks.push_back(std::move(t));
	}
	return tasks;
}

void fill_manifest_pages(Manifest& m, const std::vector<HeldPage>& held, const std::vector<pid_t>& inner_pids)
{
	m.data_runs = data_runs_of(held);
	m.tasks = tasks_of(held, inner_pids, m.page_size);
}

namespace {

Result<bool> write_text(int dir_fd, const std::string& name, const std::string& text)
{
	UniqueFd fd(::openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	if (!fd.valid() || ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
		return Error::from_errno("writing " + name);
	return true;
}

// What a failure before the image is committed undoes, in reverse order of doing. It owns
// what it undoes, so that those outlive it.
class Rollback {
public:
	~Rollback()
	{
		if (set_aside)
			set_aside->close(); // an abort: the page tables never changed
		if (partial && !committed) {
			// CRIU's log outlives the partial image, next to where the image would have been.
			std::error_code ec;
			fs::path log = partial->dir / "log" / "dump.log";
			if (fs::exists(log, ec))
				fs::rename(log, kept_log, ec);
			remove_partial_image(*partial);
		}
		if (!thaw_dir.empty())
			(void)set_cgroup_frozen(thaw_dir, false);
	}
	std::optional<SetAside> set_aside;
	std::optional<PartialImage> partial;
	bool committed = false;
	fs::path kept_log;
	fs::path thaw_dir;
};

} // namespace

Result<CheckpointReport> checkpoint_container(const ProcFs& proc, const CheckpointRequest& rq)
{
	auto step = [&](const std::string& s) {
		if (rq.on_step)
			rq.on_step(s);
	};
	const auto page_size = static_cast<uint32_t>(::sysconf(_SC_PAGESIZE));
	if (auto st = read_task_status(proc, rq.pid); !st && st.error().errnum() == ENOENT)
		return Error::refusal(ESRCH, "process " + std::to_string(rq.pid) + " does not exist");
	if (auto s = check_swap_ns_support(proc.root().string()); !s)
		return s.error();
	auto snapshot = read_container_snapshot(proc, rq.pid);
	if (!snapshot)
		return snapshot.error();
	auto container = check_container(*snapshot);
	if (!container)
		return container.error();
	const Container& c = *container;
	auto area = open_source_area(proc, rq.pid, page_size);
	if (!area)
		return area.error();
	auto cgdir = cgroup_directory(proc, c.cgroup);
	if (!cgdir)
		return cgdir.error();
	CgroupInfo cgroup{c.cgroup, "max", "max"};
	if (auto v = read_cgroup_value(*cgdir, "memory.max"))
		cgroup.memory_max = *v;
	if (auto v = read_cgroup_value(*cgdir, "memory.swap.max"))
		cgroup.swap_max = *v;

	Rollback rollback;
	auto made = create_partial_image(rq.image_dir);
	if (!made)
		return made.error();
	rollback.partial.emplace(std::move(*made));
	PartialImage* partial = &*rollback.partial;
	rollback.kept_log = partial->final_dir.string() + ".dump.log";
	if (::mkdirat(partial->dir_fd.get(), "log", 0700) < 0)
		return Error::from_errno("making " + (partial->dir / "log").string());
	UniqueFd log_dir(::openat(partial->dir_fd.get(), "log", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	UniqueFd criu_dir(::openat(partial->dir_fd.get(), std::string(criu_dir_name).c_str(),
				   O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!log_dir.valid() || !criu_dir.valid())
		return Error::from_errno("opening " + partial->dir.string());
	std::string config;
	for (const auto& o : rq.criu_options)
		config += (o.rfind("--", 0) == 0 ? o.substr(2) : o) + "\n";
	if (!config.empty())
		if (auto r = write_text(log_dir.get(), "criu.conf", config); !r)
			return r.error();

	step("freezing cgroup " + c.cgroup);
	auto frozen_at = std::chrono::steady_clock::now();
	if (auto r = set_cgroup_frozen(*cgdir, true); !r)
		return Error(r.error().errnum(), "freezing the container: " + r.error().message());
	rollback.thaw_dir = *cgdir;
	// Checked again frozen: what was checked before could have changed until now (a process
	// moved in, one exited and its PID was reused); frozen, it cannot any more.
	{
		auto again = read_container_snapshot(proc, rq.pid);
		if (!again)
			return again.error();
		auto frozen_container = check_container(*again);
		if (!frozen_container)
			return frozen_container.error();
		auto pids = [](const Container& x) {
			std::vector<pid_t> v;
			for (const auto& p : x.processes)
				v.push_back(p.pid);
			return v;
		};
		if (pids(*frozen_container) != pids(c))
			return Error::refusal(EAGAIN, "the container's processes changed while it was being frozen; "
						      "run the checkpoint again");
	}

	std::vector<UniqueFd> pidfds;
	std::vector<int> raw;
	for (const auto& p : c.processes) {
		int fd = static_cast<int>(::syscall(SYS_pidfd_open, p.pid, 0));
		if (fd < 0)
			return Error::from_errno("pidfd_open of process " + std::to_string(p.pid));
		pidfds.emplace_back(fd);
		raw.push_back(fd);
	}
	UniqueFd ns(::open((proc.task_dir(rq.pid) / "ns/swap").c_str(), O_RDONLY | O_CLOEXEC));
	if (!ns.valid())
		return Error::from_errno("opening the swap namespace of " + std::to_string(rq.pid));
	step("setting the swapped pages aside");
	auto taken = SetAside::take(ns.get(), raw);
	if (!taken)
		return taken.error();
	rollback.set_aside.emplace(std::move(*taken));
	SetAside* set_aside = &*rollback.set_aside;

	step("criu dump (log: " + (partial->dir / "log/dump.log").string() + ")");
	CriuRequest dump;
	dump.kind = CriuRequest::Kind::dump;
	dump.images_dir_fd = criu_dir.get();
	dump.work_dir_fd = log_dir.get();
	dump.pid = rq.pid;
	dump.log_file = "dump.log";
	dump.leave_running = true; // CRIU puts the tree back frozen: it found the cgroup frozen
	dump.shell_job = true;
	dump.freeze_cgroup = cgdir->string();
	if (!config.empty())
		dump.config_file = (partial->dir / "log/criu.conf").string();
	auto answer = call_criu(dump, rq.criu);
	std::string log_hint = "; CRIU's log: " + rollback.kept_log.string();
	if (!answer)
		return Error(answer.error().errnum(), "criu dump: " + answer.error().message() + log_hint);
	if (!answer->success)
		return Error::refusal(answer->cr_errno ? answer->cr_errno : EIO,
				      "criu dump failed" + (answer->cr_errmsg.empty() ? "" : ": " + answer->cr_errmsg) +
					      " (the container goes on as before)" + log_hint);
	// CRIU must leave the tree frozen; if it thawed it, the dump is not what the tasks hold.
	auto still = cgroup_is_frozen(*cgdir);
	if (!still || !*still)
		return Error::refusal(EIO, "criu left the container running after its dump; the checkpoint is "
					   "abandoned (the container goes on as before)");

	step("committing the set-aside pages");
	if (auto r = set_aside->commit(); !r)
		return r.error();
	auto held = set_aside->read_all();
	if (!held)
		return held.error();
	for (const auto& h : *held)
		if (h.dev_major != major(area->st.st_dev) || h.dev_minor != minor(area->st.st_dev) ||
		    h.ino != area->st.st_ino)
			return Error::refusal(EBUSY, "a swapped page of the container is on another device than " +
							     area->device.path + " (its devices changed during the "
							     "checkpoint); run it again");

	Manifest m;
	m.page_size = page_size;
	m.device = {area->header.uuid, area->header.label, uint64_t{area->header.last_page} + 1,
		    area->device.path, Storage::copied, 0};
	m.cgroup = cgroup;
	m.chunk_bytes = chunk_bytes;
	std::vector<pid_t> inner_pids;
	for (const auto& p : c.processes)
		inner_pids.push_back(p.inner_pid);
	fill_manifest_pages(m, *held, inner_pids);
	m.created = utc_now();
	m.source_kernel = kernel_release();
	if (m.tasks.empty())
		m.tasks.push_back({c.processes[0].inner_pid, {}}); // nothing was swapped: the root alone

	step("copying " + std::to_string(m.data_pages()) + " used slots of " + area->device.path);
	fs::path data_path = partial->dir / data_name;
	UniqueFd data(::open(data_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600));
	if (!data.valid() && errno == EINVAL)
		data = UniqueFd(::open(data_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	if (!data.valid())
		return Error::from_errno("creating " + data_path.string());
	// What swap wrote is on the device, not necessarily in the file (swap_blocks.hpp).
	auto source = open_swap_data_source(area->fd.get(), area->device.path, m.device.pages * page_size);
	if (!source)
		return source.error();
	auto plan = data_plan(m, PlanDirection::gather);
	if (!source->extents.empty()) {
		auto on_device = plan_on_device(plan, source->extents);
		if (!on_device)
			return on_device.error();
		plan = std::move(*on_device);
	}
	m.chunk_sha256.assign(plan.size(), "");
	auto copied = copy_chunks({source->fd.get(), source->name}, {data.get(), data_path.string()}, plan,
				  [&](size_t chunk, std::span<const char> bytes) -> Result<bool> {
					  // The header page read on the device must be the one read through the
					  // file, or the device reads come from elsewhere (an XFS realtime
					  // file, a filesystem over several devices).
					  if (chunk == 0 && !std::equal(area->header_page.begin(), area->header_page.end(),
									 bytes.begin()))
						  return Error::refusal(EIO, source->name + ": the swap header read on the "
										   "device differs from the file's; its "
										   "blocks are not where FIEMAP says");
					  m.chunk_sha256[chunk] = sha256_hex(bytes);
					  return true;
				  });
	if (!copied)
		return copied.error();

	step("writing the image");
	auto files = describe_criu_files(*partial);
	if (!files)
		return files.error();
	m.criu_files = *files;
	// The image must restore before the container is killed for it: decode what is about to
	// be written, under every rule and limit the restore applies.
	if (auto back = decode_manifest(encode_manifest(m)); !back)
		return Error::refusal(back.error().errnum(), "the image would not restore (" + back.error().message() +
								      "); the container goes on as before");
	if (auto r = commit_image(*partial, m); !r)
		return r.error();
	rollback.committed = true; // the image stays whatever happens now

	CheckpointReport report;
	report.manifest = m;
	report.held_pages = held->size();
	report.copied_bytes = copied->bytes_written;
	// The pins go first, while the tasks are still frozen and cannot touch their memory, and
	// with them every reference this process holds on the namespace: whoever cleans up after
	// the container (swapns unshare) must find the namespace gone once its tasks are.
	rollback.set_aside.reset();
	pidfds.clear();
	ns.reset();
	rollback.thaw_dir.clear();
	if (rq.leave_running) {
		step("thawing the container");
		if (auto r = set_cgroup_frozen(*cgdir, false); !r)
			return Error(r.error().errnum(), "the image is complete, but thawing the container failed: " +
								 r.error().message());
	} else {
		step("killing the container");
		if (auto r = write_cgroup_file(*cgdir, "cgroup.kill", "1"); !r)
			return Error(r.error().errnum(), "the image is complete, but killing the container failed: " +
								 r.error().message());
		if (auto r = wait_cgroup_empty(*cgdir); !r)
			return Error(r.error().errnum(), "the image is complete, but " + r.error().message());
	}
	report.frozen_for = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - frozen_at);
	return report;
}

Result<RecoverReport> recover_checkpoint(const ProcFs& proc, pid_t pid, const fs::path& image_dir)
{
	RecoverReport report;
	fs::path target = image_dir.has_filename() ? image_dir : image_dir.parent_path();
	if (fs::exists(target / manifest_name))
		return Error::refusal(EEXIST, target.string() + " is a complete image: its checkpoint finished, and "
								"the container may have a copy now; --recover leaves it alone");
	fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
	std::string prefix = "." + target.filename().string() + ".partial-";
	std::vector<fs::path> partials;
	std::error_code ec;
	for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
		std::string name = it->path().filename().string();
		if (name.rfind(prefix, 0) != 0 || name.size() != prefix.size() + 6 || it->is_symlink(ec) ||
		    !it->is_directory(ec))
			continue;
		// A checkpoint still building it holds its lock: then nothing is touched.
		UniqueFd fd(::open(it->path().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
		if (fd.valid() && ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
			return Error::refusal(EBUSY, "a checkpoint is still building " + it->path().string() +
							     "; --recover is for one whose swapns is gone");
		partials.push_back(it->path());
	}
	auto snapshot = read_container_snapshot(proc, pid);
	if (!snapshot)
		return snapshot.error();
	auto container = check_container(*snapshot);
	if (!container)
		return container.error();
	auto cgdir = cgroup_directory(proc, container->cgroup);
	if (!cgdir)
		return cgdir.error();
	auto frozen = cgroup_is_frozen(*cgdir);
	if (!frozen)
		return frozen.error();
	if (*frozen) {
		if (auto r = set_cgroup_frozen(*cgdir, false); !r)
			return r.error();
		report.thawed = true;
	}
	for (const auto& p : partials) {
		fs::remove_all(p, ec);
		report.removed.push_back(p);
	}
	return report;
}

} // namespace swapns
