#include "swapns/namespace_swaps.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <optional>

#include "swapns/file_io.hpp"
#include "swapns/parse.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns {

namespace {

constexpr std::string_view header = "Type\tFilename\tKind\tSize\tUsed\tPriority\tNamespace\tState";

std::vector<std::string_view> split(std::string_view s, char sep)
{
	std::vector<std::string_view> parts;
	size_t pos = 0;
	for (;;) {
		size_t end = s.find(sep, pos);
		parts.push_back(s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
		if (end == std::string_view::npos)
			return parts;
		pos = end + 1;
	}
}

// The kernel escapes space, tab, newline and backslash in paths as \ooo (seq_file_path).
std::optional<std::string> unescape_path(std::string_view s)
{
	std::string out;
	for (size_t i = 0; i < s.size(); i++) {
		if (s[i] != '\\') {
			out += s[i];
			continue;
		}
		if (s.size() - i < 4)
			return std::nullopt;
		int value = 0;
		for (size_t k = 1; k <= 3; k++) {
			char c = s[i + k];
			if (c < '0' || c > '7')
				return std::nullopt;
			value = value * 8 + (c - '0');
		}
		out += static_cast<char>(value);
		i += 3;
	}
	return out;
}

// "MAJOR:MINOR" and an inode number.
std::optional<FileIdentity> parse_identity(std::string_view dev, std::string_view ino)
{
	auto colon = dev.find(':');
	if (colon == std::string_view::npos)
		return std::nullopt;
	auto major = parse_decimal<unsigned>(dev.substr(0, colon));
	auto minor = parse_decimal<unsigned>(dev.substr(colon + 1));
	auto inode = parse_decimal<uint64_t>(ino);
	if (!major || !minor || !inode)
		return std::nullopt;
	return FileIdentity{*major, *minor, *inode};
}

std::optional<SwapDevice::State> parse_state(std::string_view s)
{
	if (s == "own")
		return SwapDevice::State::own;
	if (s == "inherited")
		return SwapDevice::State::inherited;
	if (s == "draining")
		return SwapDevice::State::draining;
	if (s == "restoring")
		return SwapDevice::State::restoring;
	return std::nullopt;
}

Error malformed(std::string_view line, std::string_view what)
{
	return Error(0, "malformed swaps file: " + std::string(what) + " in line '" + std::string(line) + "'");
}

} // namespace

std::string_view to_string(SwapDevice::State state)
{
	switch (state) {
	case SwapDevice::State::own:
		return "own";
	case SwapDevice::State::inherited:
		return "inherited";
	case SwapDevice::State::draining:
		return "draining";
	case SwapDevice::State::restoring:
		return "restoring";
	}
	return "unknown";
}

Result<std::vector<SwapDevice>> parse_namespace_swaps(std::string_view text)
{
	std::vector<std::string_view> lines = split(text, '\n');
	if (!lines.empty() && lines.back().empty())
		lines.pop_back();
	if (lines.empty() || !lines.front().starts_with(header))
		return Error(0, "malformed swaps file: no header line");
	auto names = split(lines.front(), '\t');
	bool has_identity = names.size() >= 10 && names[8] == "Device" && names[9] == "Inode";

	std::vector<SwapDevice> devices;
	for (size_t i = 1; i < lines.size(); i++) {
		std::string_view line = lines[i];
		auto cols = split(line, '\t');
		if (cols.size() < 8)
			return malformed(line, "fewer than 8 columns");
		SwapDevice dev;
		auto type = parse_decimal<unsigned>(cols[0]);
		auto path = unescape_path(cols[1]);
		auto size = parse_decimal<uint64_t>(cols[3]);
		auto used = parse_decimal<uint64_t>(cols[4]);
		auto prio = parse_decimal<int>(cols[5]);
		auto ns = parse_decimal<uint64_t>(cols[6]);
		auto state = parse_state(cols[7]);
		if (!type || *type >= 32)
			return malformed(line, "bad swap type");
		if (!path)
			return malformed(line, "bad escape in path");
		if (cols[2] != "file" && cols[2] != "partition")
			return malformed(line, "unknown kind '" + std::string(cols[2]) + "'");
		if (!size || !used || !prio || !ns)
			return malformed(line, "bad number");
		if (*size > UINT64_MAX / 1024 || *used > UINT64_MAX / 1024)
			return malformed(line, "size out of range"); // callers count bytes
		if (!state)
			return malformed(line, "unknown state '" + std::string(cols[7]) + "'");
		dev.type = *type;
		dev.path = std::move(*path);
		dev.partition = cols[2] == "partition";
		dev.size_kib = *size;
		dev.used_kib = *used;
		dev.priority = *prio;
		dev.namespace_inode = *ns;
		dev.state = *state;
		if (has_identity) {
			if (cols.size() < 10)
				return malformed(line, "no Device and Inode columns");
			auto identity = parse_identity(cols[8], cols[9]);
			if (!identity)
				return malformed(line, "bad device or inode");
			dev.identity = *identity;
		}
		devices.push_back(std::move(dev));
	}
	return devices;
}

namespace {

Error no_swap_namespaces(const std::filesystem::path& missing)
{
	return Error::refusal(ENOTSUP, "this kernel has no swap namespaces (no " + missing.string() +
				      "; it needs CONFIG_SWAP_NS from the swapns series)");
}

} // namespace

Result<uint64_t> read_swap_namespace_inode(const ProcFs& proc, pid_t pid)
{
	return read_swap_namespace_inode(proc.task_dir(pid));
}

Result<std::vector<SwapDevice>> read_namespace_swaps(const ProcFs& proc, pid_t pid)
{
	return read_namespace_swaps(proc.task_dir(pid));
}

Result<uint64_t> read_swap_namespace_inode(const std::filesystem::path& task_dir)
{
	auto link = task_dir / "ns" / "swap";
	std::error_code ec;
	auto target = std::filesystem::read_symlink(link, ec);
	if (ec) {
		std::error_code ignored;
		if (ec.value() == ENOENT && std::filesystem::exists(task_dir / "status", ignored))
			return no_swap_namespaces(link);
		return Error(ec.value(), "reading " + link.string());
	}
	std::string_view text = target.native();
	constexpr std::string_view prefix = "swap:[";
	if (!text.starts_with(prefix) || !text.ends_with("]"))
		return Error(0, "unexpected link " + link.string() + " -> " + std::string(text));
	text = text.substr(prefix.size(), text.size() - prefix.size() - 1);
	auto inode = parse_decimal<uint64_t>(text);
	if (!inode)
		return Error(0, "unexpected link " + link.string() + " -> " + target.string());
	return *inode;
}

Result<std::vector<SwapDevice>> read_namespace_swaps(const std::filesystem::path& task_dir)
{
	auto path = task_dir / "swaps";
	auto text = read_small_file(path);
	if (!text) {
		std::error_code ec;
		if (text.error().errnum() == ENOENT && std::filesystem::exists(task_dir / "status", ec))
			return no_swap_namespaces(path);
		if (text.error().errnum() == EACCES)
			return Error(EACCES,
				     "reading " + path.string() + ": the task's swap namespace is not below yours");
		return text.error();
	}
	auto devices = parse_namespace_swaps(*text);
	if (!devices)
		return Error(0, path.string() + ": " + devices.error().message());
	return devices;
}

Result<std::vector<uint64_t>> read_swap_namespace_ancestry(const std::filesystem::path& task_dir)
{
	auto link = task_dir / "ns" / "swap";
	UniqueFd ns(::open(link.c_str(), O_RDONLY | O_CLOEXEC));
	if (!ns.valid())
		return Error::from_errno(link.string());
	std::vector<uint64_t> inodes;
	for (;;) {
		struct stat st {};
		if (::fstat(ns.get(), &st) < 0)
			return Error::from_errno("fstat of " + link.string());
		inodes.push_back(st.st_ino);
		// The kernel refuses (EPERM) at the initial namespace and above the caller's own.
		UniqueFd parent(::ioctl(ns.get(), NS_GET_PARENT));
		// Namespaces nest at most 32 levels deep (docs/abi.md); the bound only keeps a file
		// that is not what the kernel puts at ns/swap from making this loop forever.
		constexpr size_t max_chain = 64;
		if (!parent.valid() || inodes.size() == max_chain)
			return inodes;
		ns = std::move(parent);
	}
}

} // namespace swapns
