#include "swapns/plain_swapfile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "swapns/swap_header.hpp"
#include "swapns/unique_fd.hpp"

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

Result<uint64_t> write_plain_swapfile(const std::filesystem::path& path, uint64_t size,
				      size_t page_size)
{
	auto header = encode_swap_header(size, page_size, Uuid{}, "");
	if (!header)
		return header.error();
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	if (!fd.valid())
		return Error::from_errno("create " + path.string());
	auto written = write_swap_area(fd.get(), path, *header, size);
	if (!written)
		return written.error();
	if (::fsync(fd.get()) != 0)
		return Error::from_errno("fsync " + path.string());
	return size;
}

} // namespace swapns
