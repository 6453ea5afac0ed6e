// Where the library reads procfs, and how it names an open file for a system call.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace swapns {

// Where procfs is mounted; every read of /proc data goes through one, and tests point it at a
// fixture tree.
class ProcFs {
public:
	explicit ProcFs(std::filesystem::path root = "/proc") : root_(std::move(root)) {}
	const std::filesystem::path& root() const { return root_; }
	std::filesystem::path task_dir(pid_t pid) const { return root_ / std::to_string(pid); }
	std::filesystem::path status_path(pid_t pid) const { return task_dir(pid) / "status"; }

private:
	std::filesystem::path root_;
};

// The name the kernel resolves to the file open on @fd, whatever its path: /proc/self/fd/N in
// the kernel's own procfs, never a ProcFs root, since it is handed to system calls (open,
// linkat, swapon) to reach that very file, not read as data.
inline std::string fd_path(int fd)
{
	return "/proc/self/fd/" + std::to_string(fd);
}

} // namespace swapns
