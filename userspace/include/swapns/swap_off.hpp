// Swapping off a device that /proc/PID/swaps listed, by its name in the caller's mount
// namespace, without ever turning off another file of the same name.
#pragma once

#include <sys/stat.h>

#include "swapns/namespace_swaps.hpp"
#include "swapns/result.hpp"

namespace swapns {

// Whether @st (fstat of what a name gives here) is the device /proc/PID/swaps identified.
bool is_same_swap_device(const struct stat& st, bool partition, const FileIdentity& identity);

// Swaps off @device by its path as the caller sees it. The name is resolved in the caller's mount
// namespace, the device's in that of the task that swapped it on: a dead container's /swapfile
// may be the host's /swapfile here. So the path is opened first, compared with the Device and
// Inode columns, and swapoff(2) is given the opened file (/proc/self/fd/N), so that the name
// cannot change in between. Returns true when it is off. Errors: those of opening the path;
// a refusal with ESTALE when it is another file here, or ENOTSUP when the kernel did not say
// which file the device is; those of swapoff(2).
Result<bool> swap_off_device(const SwapDevice& device);

} // namespace swapns
