#include "target_process.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace swapns::cli {

UniqueFd open_target(pid_t pid, const char* command, Environment& env)
{
	UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
	if (!fd.valid())
		env.err << "swapns " << command << ": process " << pid << ": " << std::strerror(errno)
			<< (errno == ESRCH ? " (no such process)" : "") << "\n";
	return fd;
}

} // namespace swapns::cli
