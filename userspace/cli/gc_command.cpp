// swapns gc [--dry-run] [DIR]...: clean up what crashes left: devices of dead swap namespaces
// (swapped off; their files removed if swapns unshare made them), the cgroups of killed
// unshare runs, and half-made swapfiles in DIRs.
#include "cli.hpp"
#include "command_line.hpp"

#include "swapns/cgroup_child.hpp"
#include "swapns/file_io.hpp"
#include "swapns/leftovers.hpp"
#include "swapns/namespace_swaps.hpp"
#include "swapns/swap_ns_abi.hpp"
#include "swapns/swap_off.hpp"

#include <boost/program_options.hpp>
#include <signal.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

bool process_alive(pid_t pid)
{
	return ::kill(pid, 0) == 0 || errno == EPERM;
}

// Removes the name of @device, swapped off, if it still names that file.
bool remove_name_of(const SwapDevice& device, Environment& env)
{
	struct stat st {};
	if (::lstat(device.path.c_str(), &st) != 0 ||
	    !is_same_swap_device(st, device.partition, *device.identity)) {
		env.err << "swapns gc: " << device.path << " is swapped off but not removed: the "
			<< "name no longer names that file\n";
		return false;
	}
	if (::unlink(device.path.c_str()) != 0) {
		env.err << "swapns gc: remove " << device.path << ": " << std::strerror(errno) << "\n";
		return false;
	}
	return true;
}

// Removes the cgroups that killed `swapns unshare` runs left, empty, in the cgroup2 hierarchy
// this process sees. Returns false if one could not be removed.
bool collect_cgroups(bool dry, Environment& env)
{
	auto mountinfo = read_small_file(env.proc.root() / "self/mountinfo");
	if (!mountinfo)
		return true; // no procfs to tell: nothing to collect
	auto mounts = cgroup2_mounts(*mountinfo);
	if (mounts.empty())
		return true;
	bool ok = true;
	for (const auto& stale : stale_unshare_cgroups(mounts.front().mountpoint, process_alive)) {
		env.out << (dry ? "would remove" : "removing") << " cgroup " << stale.path.string()
			<< " (made by swapns unshare process " << stale.maker << ", which is gone)\n";
		if (!dry && ::rmdir(stale.path.c_str()) != 0 && errno != ENOENT) {
			env.err << "swapns gc: remove cgroup " << stale.path.string() << ": "
				<< std::strerror(errno)
				<< (errno == EBUSY || errno == ENOTEMPTY
					    ? " (it has processes or child cgroups of its own)"
					    : "")
				<< "\n";
			ok = false;
		}
	}
	return ok;
}

} // namespace

int gc_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax(
		"gc",
		"usage: swapns gc [--dry-run] [DIR]...\n\n"
		"Swap off the devices that dead swap namespaces left to yours (draining), removing\n"
		"those files that 'swapns unshare' made; remove the empty cgroups of killed\n"
		"'swapns unshare' runs (swapns-PID); and remove the hidden half-made files of\n"
		"'swapns mkswap' runs that died, in each DIR. A device still in use by a living\n"
		"namespace, a cgroup with processes, or a file still being made, is never touched.\n");
	syntax.options.add_options()
		("dry-run,n", po::bool_switch(), "say what would be done, do nothing");
	syntax.argument("dir", po::value<std::vector<std::string>>(), -1);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	bool dry = vm["dry-run"].as<bool>();
	const char* would = dry ? "would " : "";
	bool failed = false;

	// Devices: only with swap namespaces; without them there are none to collect.
	if (check_swap_ns_support(env.proc.root().string())) {
		auto view = read_namespace_swaps(env.proc.root() / "self");
		if (!view) {
			env.err << "swapns gc: " << view.error().message() << "\n";
			return exit_failure;
		}
		for (const auto& d : draining_devices(*view)) {
			// The name here must be that device (a dead container's /swapfile may be
			// the host's here); from then on, the open file is used, not the name.
			auto fd = open_swap_device(d);
			if (!fd) {
				env.err << "swapns gc: " << fd.error().message() << "\n";
				failed = true;
				continue;
			}
			auto label = read_swap_label(path_of_fd(*fd));
			bool ours = label && *label == unshare_label;
			env.out << would << "swap off " << d.path << " (left by dead namespace, "
				<< d.used_kib << " KiB in use)" << (ours ? ", and remove it" : "") << "\n";
			if (dry)
				continue;
			if (::swapoff(path_of_fd(*fd).c_str()) != 0) {
				env.err << "swapns gc: swapoff " << d.path << ": " << std::strerror(errno)
					<< (errno == ENOMEM ? " (not enough memory for its pages; free some "
							      "and run gc again)" : "")
					<< "\n";
				failed = true;
				continue;
			}
			if (ours && !remove_name_of(d, env))
				failed = true;
		}
	}

	if (!collect_cgroups(dry, env))
		failed = true;

	if (vm.count("dir"))
		for (const auto& dir : vm["dir"].as<std::vector<std::string>>()) {
			std::error_code ec;
			std::filesystem::directory_iterator it(dir, ec), end;
			if (ec) {
				env.err << "swapns gc: " << dir << ": " << ec.message() << "\n";
				failed = true;
				continue;
			}
			for (; it != end; it.increment(ec)) {
				auto creator = half_made_creator(it->path().filename().string());
				// Same host and PID namespace: a live maker is enough to keep it. Else
				// the lock its maker holds decides (remove_if_abandoned()).
				if (!creator || process_alive(*creator))
					continue;
				if (dry) {
					env.out << "would remove " << it->path().string()
						<< " (half-made by process " << *creator
						<< ", which is gone), unless it is still locked\n";
					continue;
				}
				auto done = remove_if_abandoned(it->path());
				if (!done) {
					env.err << "swapns gc: " << done.error().message() << "\n";
					failed = true;
				} else if (done->outcome == AbandonedFile::Outcome::removed) {
					env.out << "removed " << it->path().string() << " (half-made by process "
						<< *creator << ", which is gone)\n";
				} else if (done->outcome == AbandonedFile::Outcome::not_ours) {
					env.out << "left " << it->path().string() << " alone: " << done->why
						<< "\n";
				}
			}
		}
	return failed ? exit_failure : exit_ok;
}

} // namespace swapns::cli
