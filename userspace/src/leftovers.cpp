#include "swapns/leftovers.hpp"

#include "swapns/swap_header.hpp"
#include "swapns/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>

namespace swapns {

std::vector<SwapDevice> draining_devices(const std::vector<SwapDevice>& own_view)
{
	std::vector<SwapDevice> out;
	for (const auto& d : own_view)
		if (d.state == SwapDevice::State::draining)
			out.push_back(d);
	return out;
}

std::optional<pid_t> half_made_creator(std::string_view filename)
{
	constexpr std::string_view marker = ".swapns-";
	if (filename.size() < 2 || filename[0] != '.')
		return std::nullopt;
	auto at = filename.rfind(marker);
	// A name of at least one character between the leading dot and the marker.
	if (at == std::string_view::npos || at < 2)
		return std::nullopt;
	std::string_view digits = filename.substr(at + marker.size());
	pid_t pid = 0;
	auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
	if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || pid <= 0)
		return std::nullopt;
	return pid;
}

Result<bool> remove_if_abandoned(const std::filesystem::path& path)
{
	UniqueFd fd(::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("open " + path.string());
	struct flock lock {};
	lock.l_type = F_WRLCK;
	lock.l_whence = SEEK_SET;
	if (::fcntl(fd.get(), F_OFD_SETLK, &lock) != 0) {
		if (errno == EAGAIN || errno == EACCES)
			return false;
		return Error::from_errno("lock " + path.string());
	}
	// Still locked by us, so no maker can have taken it up again in between.
	if (::unlink(path.c_str()) != 0)
		return Error::from_errno("remove " + path.string());
	return true;
}

bool is_active_swap_anywhere(const std::filesystem::path& path)
{
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		return false;
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
	return !fd.valid() && errno == ETXTBSY;
}

Result<std::string> read_swap_label(const std::filesystem::path& path)
{
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("open " + path.string());
	// The signature ends the first page, so this must be the page size the area was made for.
	std::vector<char> page(static_cast<size_t>(::sysconf(_SC_PAGESIZE)));
	ssize_t n = ::pread(fd.get(), page.data(), page.size(), 0);
	if (n < 0)
		return Error::from_errno("read " + path.string());
	page.resize(static_cast<size_t>(n));
	auto header = decode_swap_header(page);
	if (!header)
		return Error(0, path.string() + ": " + header.error().context());
	return header->label;
}

} // namespace swapns
