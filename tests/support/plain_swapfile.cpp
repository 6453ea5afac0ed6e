#include "plain_swapfile.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "swapns/swap_area.hpp"
#include "swapns/swap_header.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

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
