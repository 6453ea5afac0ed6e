// The series' migration interfaces (<linux/swap_ns.h>, docs/abi.md "Migration") as typed
// calls: setting a container's swapped pages aside for a checkpoint, and installing them into
// the restored tasks from a device swapped on for the restore.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "swapns/result.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

// Whether the tool was built with the migration ABI (the series' uapi headers).
extern const bool built_with_swap_migration;

// struct swap_ns_held_page.
struct HeldPage {
	uint64_t address = 0;
	uint64_t offset = 0; // slot
	uint64_t ino = 0;
	uint32_t dev_major = 0;
	uint32_t dev_minor = 0;
	uint32_t task = 0; // index into the pidfds of the set-aside
	uint32_t flags = 0;
};

// A set-aside (SWAP_NS_IOC_SET_ASIDE): while it is open, the listed tasks' swapped pages stay
// in their slots and are hidden from their pagemap. Closing it before commit() is an abort;
// after, it releases the pins.
class SetAside {
public:
	// @ns_fd: the container's /proc/PID/ns/swap; @pidfds: one per process (not per thread).
	// Errors: the kernel's errno with what it means (docs/abi.md), ENOTSUP without the ABI.
	static Result<SetAside> take(int ns_fd, std::span<const int> pidfds);

	// Every record, from the start.
	Result<std::vector<HeldPage>> read_all() const;
	// The consistency point (SWAP_NS_IOC_COMMIT).
	Result<bool> commit() const;
	void close() { fd_.reset(); }

private:
	explicit SetAside(UniqueFd fd) : fd_(std::move(fd)) {}
	UniqueFd fd_;
};

// swapon(2) of @path with SWAP_FLAG_RESTORE in the caller's swap namespace.
Result<bool> swapon_for_restore(const std::string& path);

// struct swap_ns_install_entry.
struct InstallEntry {
	uint64_t address = 0;
	uint64_t offset = 0;
	uint32_t flags = 0; // held flags, plus install_shared
	int32_t error = -1; // what the kernel said of it: 0, a positive errno, or -1 (not processed)
};
extern const uint32_t install_shared; // SWAP_NS_INSTALL_SHARED

// SWAP_NS_IOC_INSTALL of @entries into the process of @pidfd, from the restoring device open as
// @device_fd, in calls of at most the kernel's maximum. Returns how many went in; each entry's
// error says what became of it. A call refused with EBUSY (a transient user of the task's
// memory) is retried a few times. Call errors: the kernel's errno with what it means.
Result<uint64_t> install_pages(int ns_fd, int pidfd, int device_fd, std::span<InstallEntry> entries);

// SWAP_NS_IOC_END_RESTORE: the device becomes an ordinary device of the namespace.
Result<bool> end_restore(int ns_fd, int device_fd);

} // namespace swapns
