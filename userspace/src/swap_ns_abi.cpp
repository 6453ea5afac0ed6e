#include "swapns/swap_ns_abi.hpp"

#include <sys/stat.h>

#include <cerrno>

namespace swapns {

Result<bool> check_swap_ns_support(const std::string& proc_root)
{
	if (!built_with_swap_ns)
		return Error::refusal(ENOTSUP, "built without swap namespace support: the kernel headers it was "
				      "built against have no CLONE_NEWSWAP; rebuild it with the "
				      "patched kernel's headers (docs/kernel-workflow.md, \"Kernel "
				      "headers\")");
	std::string link = proc_root + "/self/ns/swap";
	struct stat st;
	// lstat: the link itself tells; fixture trees have it dangling.
	if (::lstat(link.c_str(), &st) != 0)
		return Error::refusal(ENOTSUP, "this kernel lacks swap namespaces (no " + link +
					      "): boot a kernel with the swapns patches and "
					      "CONFIG_SWAP_NS=y");
	return true;
}

} // namespace swapns
