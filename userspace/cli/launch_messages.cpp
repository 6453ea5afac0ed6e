#include "launch_messages.hpp"

#include "cli.hpp"

#include <cerrno>

namespace swapns::cli {

namespace {

bool starts_with(const std::string& s, const char* prefix)
{
	return s.rfind(prefix, 0) == 0;
}

std::string hint(const Error& e)
{
	const std::string& what = e.context();
	switch (e.errnum()) {
	case EPERM:
		if (starts_with(what, "swapon"))
			return "swapon(2) needs CAP_SYS_ADMIN (run as root); below the initial swap "
			       "namespace it also fails once vm.swap_ns_max_devices devices are on";
		return "this needs CAP_SYS_ADMIN (run as root)";
	case EBUSY:
		return starts_with(what, "swapon") ? "the file is a swap device already" : "";
	case EINVAL:
		return starts_with(what, "swapon")
			       ? "not a swap area this kernel accepts: make one with 'swapns mkswap'"
			       : "";
	case ENOSPC:
		return starts_with(what, "unshare") ? "too many swap namespaces: see "
						      "/proc/sys/user/max_swap_namespaces"
						    : "";
	case ENOENT:
		return starts_with(what, "running") ? "no such command" : "";
	default:
		return "";
	}
}

} // namespace

int launch_exit_status(const Error& error)
{
	return starts_with(error.context(), "running") ? exit_not_run : exit_failure;
}

std::string launch_error_message(const Error& error)
{
	std::string h = hint(error);
	return h.empty() ? error.message() : error.message() + " (" + h + ")";
}

} // namespace swapns::cli
