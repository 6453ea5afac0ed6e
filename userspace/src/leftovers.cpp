#include "swapns/leftovers.hpp"

#include "swapns/file_io.hpp"
#include "swapns/parse.hpp"
#include "swapns/proc_fs.hpp"
#include "swapns/swap_header.hpp"
#include "swapns/unique_fd.hpp"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>


namespace swapns {

std::vector<SwapDevice> draining_devices(const std::vector<SwapDevice>& own_view)
{
	std::vector<SwapDevice> out;
	for (const auto& d : own_view)
		if (d.state == SwapDevice::State::draining)
			out.push_back(d);
	return out;
}

namespace {

constexpr std::string_view half_made_marker = ".swapns-";

} // namespace

std::string unshare_cgroup_name(pid_t supervisor)
{
	return "swapns-" + std::to_string(supervisor);
}

std::optional<pid_t> unshare_cgroup_maker(std::string_view name)
{
	constexpr std::string_view prefix = "swapns-", leaf = ".supervisor";
	if (!name.starts_with(prefix))
		return std::nullopt;
	name.remove_prefix(prefix.size());
	if (name.ends_with(leaf))
		name.remove_suffix(leaf.size());
	auto pid = parse_decimal<pid_t>(name);
	if (!pid || *pid <= 0)
		return std::nullopt;
	return pid;
}

std::vector<StaleCgroup> stale_unshare_cgroups(const std::filesystem::path& root,
					       bool (*alive)(pid_t))
{
	std::vector<StaleCgroup> found;
	std::error_code ec;
	auto options = std::filesystem::directory_options::skip_permission_denied;
	for (std::filesystem::recursive_directory_iterator it(root, options, ec), end;
	     !ec && it != end; it.increment(ec)) {
		if (!it->is_directory(ec) || it->is_symlink(ec))
			continue;
		auto maker = unshare_cgroup_maker(it->path().filename().native());
		if (!maker || alive(*maker))
			continue;
		auto events = read_small_file(it->path() / "cgroup.events");
		if (events && events->find("populated 0") == std::string::npos)
			continue;
		found.push_back({it->path(), *maker});
	}
	// Deeper first: an unshare run by another's command made its cgroup inside that one's.
	std::sort(found.begin(), found.end(), [](const StaleCgroup& a, const StaleCgroup& b) {
		return std::distance(a.path.begin(), a.path.end()) >
		       std::distance(b.path.begin(), b.path.end());
	});
	return found;
}

std::filesystem::path half_made_path(const std::filesystem::path& target, pid_t maker)
{
	std::string name = "." + target.filename().string() + std::string(half_made_marker) +
			   std::to_string(maker);
	return target.parent_path() / name;
}

std::optional<pid_t> half_made_creator(std::string_view filename)
{
	constexpr std::string_view marker = half_made_marker;
	if (filename.size() < 2 || filename[0] != '.')
		return std::nullopt;
	auto at = filename.rfind(marker);
	// A name of at least one character between the leading dot and the marker.
	if (at == std::string_view::npos || at < 2)
		return std::nullopt;
	std::string_view digits = filename.substr(at + marker.size());
	auto pid = parse_decimal<pid_t>(digits);
	if (!pid || *pid <= 0)
		return std::nullopt;
	return pid;
}

namespace {

AbandonedFile left_alone(std::string why)
{
	return {AbandonedFile::Outcome::not_ours, std::move(why)};
}

std::string kind_of(mode_t mode)
{
	if (S_ISLNK(mode))
		return "it is a symbolic link";
	if (S_ISDIR(mode))
		return "it is a directory";
	if (S_ISFIFO(mode))
		return "it is a FIFO";
	if (S_ISSOCK(mode))
		return "it is a socket";
	if (S_ISBLK(mode) || S_ISCHR(mode))
		return "it is a device node";
	return "it is not a regular file";
}

} // namespace

Result<AbandonedFile> remove_if_abandoned(const std::filesystem::path& path)
{
	auto dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
	std::string name = path.filename().string();
	UniqueFd dirfd(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
	if (!dirfd.valid())
		return Error::from_errno("open " + dir.string());
	// O_PATH: a FIFO, a device node or a symbolic link of that name is looked at, not opened.
	UniqueFd pathfd(::openat(dirfd.get(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
	if (!pathfd.valid()) {
		if (errno == ENOENT)
			return AbandonedFile{AbandonedFile::Outcome::gone, {}};
		return Error::from_errno("open " + path.string());
	}
	struct stat st {};
	if (::fstat(pathfd.get(), &st) != 0)
		return Error::from_errno("stat " + path.string());
	if (!S_ISREG(st.st_mode))
		return left_alone(kind_of(st.st_mode));
	if (st.st_uid != ::geteuid())
		return left_alone("it is owned by user " + std::to_string(st.st_uid) + ", not by you");
	// The same inode, now opened for writing, which the lock needs.
	UniqueFd fd(::open(fd_path(pathfd.get()).c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
	if (!fd.valid())
		return Error::from_errno("open " + path.string());
	struct flock lock {};
	lock.l_type = F_WRLCK;
	lock.l_whence = SEEK_SET;
	if (::fcntl(fd.get(), F_OFD_SETLK, &lock) != 0) {
		if (errno == EAGAIN || errno == EACCES)
			return AbandonedFile{AbandonedFile::Outcome::in_use, {}};
		return Error::from_errno("lock " + path.string());
	}
	// Locked by us, so no maker takes it up again; the name must still be this file.
	struct stat now {};
	if (::fstatat(dirfd.get(), name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return AbandonedFile{AbandonedFile::Outcome::gone, {}};
		return Error::from_errno("stat " + path.string());
	}
	if (now.st_dev != st.st_dev || now.st_ino != st.st_ino)
		return left_alone("the name was given to another file while gc checked it");
	if (::unlinkat(dirfd.get(), name.c_str(), 0) != 0) {
		if (errno == ENOENT)
			return AbandonedFile{AbandonedFile::Outcome::gone, {}};
		return Error::from_errno("remove " + path.string());
	}
	return AbandonedFile{};
}

bool is_active_swap_anywhere(const std::filesystem::path& path)
{
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0)
		return false;
	if (S_ISBLK(st.st_mode)) {
		UniqueFd fd(::open(path.c_str(), O_RDONLY | O_EXCL | O_NONBLOCK | O_CLOEXEC));
		return !fd.valid() && errno == EBUSY;
	}
	if (!S_ISREG(st.st_mode))
		return false;
	UniqueFd fd(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
	if (!fd.valid())
		return errno == ETXTBSY;
	return ::fallocate(fd.get(), FALLOC_FL_KEEP_SIZE, 0, 1) != 0 && errno == ETXTBSY;
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
