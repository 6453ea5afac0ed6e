// What a crash leaves behind (swapns gc): devices of dead swap namespaces still on, drain-only,
// and swapfiles that were being made when their maker died.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/namespace_swaps.hpp"
#include "swapns/result.hpp"

namespace swapns {

// The labels `swapns unshare` gives the swapfiles it creates: unshare_label for those it
// removes when the command ends, and gc after a crash; unshare_keep_label for those made with
// --keep, which gc swaps off (their namespace is dead) but leaves, as swapns(1) promises.
inline constexpr std::string_view unshare_label = "swapns-unshare";
inline constexpr std::string_view unshare_keep_label = "swapns-keep";

// The devices a dead namespace left to the caller's (State "draining" in /proc/self/swaps).
std::vector<SwapDevice> draining_devices(const std::vector<SwapDevice>& own_view);

// The process that is making a swapfile under this name, if @filename is one of the hidden
// names swapns mkswap writes to before the file is complete (".NAME.swapns-PID").
std::optional<pid_t> half_made_creator(std::string_view filename);

// Removes the hidden half-made file @path if nobody is making it any more: its maker holds an
// open file description lock on it while it writes (NFSv4 passes such locks on to the server,
// so this holds across machines). Returns true if removed, false if in use; errors of opening,
// locking or unlinking it.
Result<bool> remove_if_abandoned(const std::filesystem::path& path);

// Whether @path is an active swap device in any namespace: the kernel refuses to open one for
// writing (ETXTBSY). Unlike /proc/self/swaps, this also sees a living child namespace's. Only
// regular files and block devices are opened, without blocking: a FIFO or a terminal at @path is
// no swap device, and opening it for writing could hang or act on it.
bool is_active_swap_anywhere(const std::filesystem::path& path);

// The label in the swap header of the file @path ("" without one). Errors: those of reading
// it, errnum 0 when it holds no swap area.
Result<std::string> read_swap_label(const std::filesystem::path& path);

} // namespace swapns
