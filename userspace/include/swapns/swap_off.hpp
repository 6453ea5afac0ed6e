// Swapping off a device that /proc/PID/swaps listed, by its name in the caller's mount
// namespace, without ever turning off another file of the same name.
#pragma once

#include <sys/stat.h>
#include <sys/swap.h>

#include <string>

#include "swapns/namespace_swaps.hpp"
#include "swapns/result.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

// Whether @st (fstat of what a name gives here) is the device /proc/PID/swaps identified.
bool is_same_swap_device(const struct stat& st, bool partition, const FileIdentity& identity);

// The name the kernel resolves to the file open on @fd, whatever its path: /proc/self/fd/N.
std::string path_of_fd(const UniqueFd& fd);

// Opens @device's path as the caller sees it (O_PATH: a partition is not claimed, nothing is
// read) and checks that it is that very device by the Device and Inode columns: the name is
// resolved in the caller's mount namespace, the device's in that of the task that swapped it
// on, and a dead container's /swapfile may be the host's /swapfile here. Errors: those of
// opening the path; refusals with ESTALE when it is another file here, ENOTSUP when the kernel
// did not say which file the device is.
Result<UniqueFd> open_swap_device(const SwapDevice& device);

// swapoff(2), injectable for tests.
using SwapoffCall = int (*)(const char* path);

// Swaps off @device by its name here, only if the name is that device (open_swap_device()),
// and through the opened file, so that the name cannot change in between. Returns true when it
// is off. Errors: those of open_swap_device(); those of swapoff(2) ("swapoff PATH").
Result<bool> swap_off_device(const SwapDevice& device, SwapoffCall call = ::swapoff);

} // namespace swapns
