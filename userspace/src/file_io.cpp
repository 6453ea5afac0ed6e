#include "swapns/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "swapns/unique_fd.hpp"

namespace swapns {

Result<std::string> read_small_file(const std::filesystem::path& path)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno(path.string());
	std::string text;
	char buf[4096];
	for (;;) {
		ssize_t n = ::read(fd.get(), buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return Error::from_errno("reading " + path.string());
		}
		if (n == 0)
			break;
		text.append(buf, static_cast<size_t>(n));
	}
	return text;
}

} // namespace swapns
