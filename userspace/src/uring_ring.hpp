// An io_uring instance (liburing) that is torn down exactly once. Private to the library: the
// public headers do not expose liburing.
#pragma once

#include <liburing.h>

namespace swapns {

class UringRing {
public:
	UringRing() = default;
	// Not movable: liburing's struct io_uring is used in place.
	UringRing(const UringRing&) = delete;
	UringRing& operator=(const UringRing&) = delete;
	~UringRing()
	{
		if (live_)
			::io_uring_queue_exit(&ring_);
	}

	// 0, or the negative errno of io_uring_setup(2): ENOSYS without CONFIG_IO_URING, EPERM when
	// kernel.io_uring_disabled or a seccomp filter forbids it, ENOMEM, ...
	int init(unsigned entries)
	{
		int r = ::io_uring_queue_init(entries, &ring_, 0);
		live_ = r == 0;
		return r;
	}

	io_uring* get() { return &ring_; }

private:
	io_uring ring_{};
	bool live_ = false;
};

} // namespace swapns
