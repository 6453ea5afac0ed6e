// What the host lets the unit tests use, asked of the kernel directly rather than through the
// code under test.
#pragma once

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace swapns::test {

// Whether this process may use io_uring at all (kernel.io_uring_disabled, seccomp, no
// CONFIG_IO_URING).
inline bool io_uring_works()
{
	io_uring_params p{};
	long fd = ::syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return false;
	::close(static_cast<int>(fd));
	return true;
}

} // namespace swapns::test
