#include "swapns/swap_area.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

namespace swapns {

Result<uint64_t> write_swap_area(int fd, const std::filesystem::path& path,
				 std::span<const char> header, uint64_t size, const ZeroFillOptions& fill)
{
	// The header first, whole, then zeros: a short write never loses part of the header.
	uint64_t head = std::min<uint64_t>(header.size(), size);
	for (uint64_t done = 0; done < head;) {
		ssize_t got = ::pwrite(fd, header.data() + done, static_cast<size_t>(head - done),
				       static_cast<off_t>(done));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return Error::from_errno("write " + path.string());
		done += static_cast<uint64_t>(got);
	}
	auto zeros = zero_fill(fd, path, head, size - head, fill);
	if (!zeros)
		return zeros.error();
	return size;
}

} // namespace swapns
