#include "swapns/plain_swapfile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "swapns/swap_header.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

namespace {

constexpr size_t chunk = 1 << 20;

} // namespace

Result<uint64_t> write_plain_swapfile(const std::filesystem::path& path, uint64_t size,
				      size_t page_size)
{
	auto header = encode_swap_header(size, page_size, Uuid{}, "");
	if (!header)
		return header.error();
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	if (!fd.valid())
		return Error::from_errno("create " + path.string());
	std::vector<char> buf(chunk, 0);
	std::copy(header->begin(), header->end(), buf.begin());
	for (uint64_t done = 0; done < size;) {
		size_t n = static_cast<size_t>(std::min<uint64_t>(chunk, size - done));
		ssize_t got = ::write(fd.get(), buf.data(), n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return Error::from_errno("write " + path.string());
		if (done == 0) // the header only once
			std::fill(buf.begin(), buf.begin() + static_cast<long>(page_size), 0);
		done += static_cast<uint64_t>(got);
	}
	if (::fsync(fd.get()) != 0)
		return Error::from_errno("fsync " + path.string());
	return size;
}

} // namespace swapns
