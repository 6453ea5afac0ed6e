#include "swapns/unique_fd.hpp"

#include <unistd.h>

namespace swapns {

void UniqueFd::reset(int fd)
{
	if (fd_ >= 0)
		::close(fd_); // the fd is gone whatever close() returns (Linux semantics)
	fd_ = fd;
}

} // namespace swapns
