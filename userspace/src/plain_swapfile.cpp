#include "swapns/plain_swapfile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "swapns/unique_fd.hpp"

namespace swapns {

namespace {

constexpr size_t info_offset = 1024; // union swap_header: info follows 1024 bytes of bootbits
constexpr char magic[] = "SWAPSPACE2";
constexpr size_t magic_len = sizeof(magic) - 1;
constexpr size_t chunk = 1 << 20;

} // namespace

Result<std::vector<char>> plain_swap_header(uint64_t size, size_t page_size)
{
	if (page_size < info_offset + 16 || size % page_size || size < 2 * page_size)
		return Error(EINVAL, "swap area of " + std::to_string(size) +
					     " bytes: need a whole number of pages, at least 2");
	uint64_t last_page = size / page_size - 1;
	if (last_page > UINT32_MAX)
		return Error(EINVAL, "swap area of " + std::to_string(size) +
					     " bytes: too large for a version-1 header");
	std::vector<char> page(page_size, 0);
	uint32_t info[2] = {1, static_cast<uint32_t>(last_page)}; // version, last_page
	std::memcpy(page.data() + info_offset, info, sizeof(info));
	std::memcpy(page.data() + page_size - magic_len, magic, magic_len);
	return page;
}

Result<uint64_t> write_plain_swapfile(const std::filesystem::path& path, uint64_t size,
				      size_t page_size)
{
	auto header = plain_swap_header(size, page_size);
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
