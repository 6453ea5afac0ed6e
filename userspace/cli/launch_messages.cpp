#include "launch_messages.hpp"

#include "cli.hpp"

#include <cerrno>

namespace swapns::cli {

namespace {

std::string hint(LaunchStep step, const Error& e)
{
	switch (e.errnum()) {
	case EPERM:
		if (step == LaunchStep::swapon)
			return "swapon(2) needs CAP_SYS_ADMIN (run as root); below the initial swap "
			       "namespace it also fails once vm.swap_ns_max_devices devices are on";
		return step == LaunchStep::exec ? "" : "this needs CAP_SYS_ADMIN (run as root)";
	case EBUSY:
		return step == LaunchStep::swapon ? "the file is a swap device already" : "";
	case EINVAL:
		return step == LaunchStep::swapon
			       ? "not a swap area this kernel accepts: make one with 'swapns mkswap'"
			       : "";
	case ENOSPC:
		return step == LaunchStep::unshare ? "too many swap namespaces: see "
						     "/proc/sys/user/max_swap_namespaces"
						   : "";
	case ENOENT:
		return step == LaunchStep::exec ? "no such command" : "";
	default:
		return "";
	}
}

} // namespace

int launch_exit_status(LaunchStep step, const Error& error)
{
	if (step != LaunchStep::exec)
		return exit_failure;
	return error.errnum() == ENOENT ? exit_not_found : exit_not_executable;
}

std::string launch_error_message(LaunchStep step, const Error& error)
{
	std::string h = hint(step, error);
	return h.empty() ? error.message() : error.message() + " (" + h + ")";
}

} // namespace swapns::cli
