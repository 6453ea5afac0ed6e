// A container's cgroup v2 directory, as swapns checkpoint and restore work with it: found from
// a cgroup path, frozen and thawed (cgroup.freeze, waiting for cgroup.events to say so),
// killed (cgroup.kill), its memory limits read and set, made for a restore.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "swapns/proc_fs.hpp"
#include "swapns/result.hpp"

namespace swapns {

// The directory of cgroup @path ("/a/b" as /proc/PID/cgroup shows it) under the cgroup2 mount
// the caller sees (@proc/self/mountinfo). ENOENT (refusal) without a cgroup2 mount.
Result<std::filesystem::path> cgroup_directory(const ProcFs& proc, const std::string& path);

// Writes @value to @dir/@file (one write, as the kernel wants for control files).
Result<bool> write_cgroup_file(const std::filesystem::path& dir, const std::string& file, const std::string& value);

// cgroup.freeze 1 (or 0), then waits until cgroup.events says "frozen 1" (or 0).
// ETIMEDOUT (refusal) when it does not within @timeout.
Result<bool> set_cgroup_frozen(const std::filesystem::path& dir, bool frozen,
			       std::chrono::milliseconds timeout = std::chrono::seconds(30));
Result<bool> cgroup_is_frozen(const std::filesystem::path& dir);

// Waits until cgroup.events says "populated 0" (no process in the cgroup or below).
Result<bool> wait_cgroup_empty(const std::filesystem::path& dir,
			       std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The first line of @dir/@file ("max", a number, ...), without its newline.
Result<std::string> read_cgroup_value(const std::filesystem::path& dir, const std::string& file);

// Makes the directory for cgroup @path under the cgroup2 mount @mount, with every missing
// ancestor, turning on the memory controller for the children of each new one and of the
// existing parent. An existing directory is taken only if it has no processes (EBUSY).
Result<std::filesystem::path> make_cgroup_for_restore(const std::filesystem::path& mount, const std::string& path);

} // namespace swapns
