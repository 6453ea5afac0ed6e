// The swap namespace ABI, taken from the kernel's uapi headers: those the series exports with
// `make headers_install` when the build has the patched kernel (docs/kernel-workflow.md),
// else the system's. Nothing here is copied from the series by hand: built against headers
// without CLONE_NEWSWAP, the tool has no swap namespace support, which it reports as such, a
// different thing from running on a kernel without swap namespaces.
#pragma once

#include <linux/sched.h>

#include <string>

#include "swapns/result.hpp"

namespace swapns {

#ifdef CLONE_NEWSWAP
inline constexpr bool built_with_swap_ns = true;
inline constexpr unsigned long clone_newswap = CLONE_NEWSWAP;
#else
inline constexpr bool built_with_swap_ns = false;
inline constexpr unsigned long clone_newswap = 0;
#endif

// Whether namespace commands can work here: the tool was built with the ABI and the running
// kernel has swap namespaces (@proc_root/self/ns/swap exists). Errors: ENOTSUP, with a
// message that says which of the two is missing and what to do.
Result<bool> check_swap_ns_support(const std::string& proc_root = "/proc");

} // namespace swapns
