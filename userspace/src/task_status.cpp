#include "swapns/task_status.hpp"

#include <optional>

#include "swapns/file_io.hpp"
#include "swapns/parse.hpp"

namespace swapns {

namespace {

// The value of "Key:\tvalue" lines, or nullopt when the key is absent.
std::optional<std::string_view> field(std::string_view text, std::string_view key)
{
	size_t pos = 0;
	while (pos < text.size()) {
		size_t end = text.find('\n', pos);
		if (end == std::string_view::npos)
			end = text.size();
		std::string_view line = text.substr(pos, end - pos);
		if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ':') {
			std::string_view value = line.substr(key.size() + 1);
			while (!value.empty() && (value.front() == '\t' || value.front() == ' '))
				value.remove_prefix(1);
			return value;
		}
		pos = end + 1;
	}
	return std::nullopt;
}

std::optional<pid_t> parse_pid(std::string_view s)
{
	auto value = parse_decimal<pid_t>(s);
	if (!value || *value < 0)
		return std::nullopt;
	return value;
}

Result<pid_t> required_pid(std::string_view text, std::string_view key)
{
	auto value = field(text, key);
	if (!value)
		return Error(0, "malformed status file: no " + std::string(key) + " line");
	auto pid = parse_pid(*value);
	if (!pid)
		return Error(0, "malformed status file: " + std::string(key) + " is '" + std::string(*value) + "'");
	return *pid;
}

} // namespace

std::string_view to_string(MmOwner::State state)
{
	switch (state) {
	case MmOwner::State::task:
		return "task";
	case MmOwner::State::none:
		return "none";
	case MmOwner::State::no_mm:
		return "no-mm";
	case MmOwner::State::unsupported:
		return "unsupported";
	}
	return "unknown";
}

Result<TaskStatus> parse_task_status(std::string_view text)
{
	TaskStatus status;
	auto tgid = required_pid(text, "Tgid");
	if (!tgid)
		return tgid.error();
	auto pid = required_pid(text, "Pid");
	if (!pid)
		return pid.error();
	status.tgid = *tgid;
	status.pid = *pid;
	if (auto ppid = field(text, "PPid"))
		status.ppid = parse_pid(*ppid).value_or(0);
	status.inner_pid = status.pid;
	if (auto nspid = field(text, "NSpid")) {
		auto last = nspid->find_last_of(" \t");
		auto inner = parse_pid(last == std::string_view::npos ? *nspid : nspid->substr(last + 1));
		if (!inner || *inner <= 0)
			return Error(0, "malformed status file: NSpid is '" + std::string(*nspid) + "'");
		status.inner_pid = *inner;
	}
	if (auto name = field(text, "Name"))
		status.name = std::string(*name);
	status.kernel_thread = field(text, "Kthread") == std::optional<std::string_view>("1");

	// The mm fields (Vm*, MmOwner) are only there for tasks that have an mm.
	if (!field(text, "VmSize")) {
		status.mm_owner.state = MmOwner::State::no_mm;
	} else if (auto owner = field(text, "MmOwner")) {
		auto tid = parse_pid(*owner);
		if (!tid)
			return Error(0, "malformed status file: MmOwner is '" + std::string(*owner) + "'");
		status.mm_owner.state = *tid ? MmOwner::State::task : MmOwner::State::none;
		status.mm_owner.tid = *tid;
	} else {
		status.mm_owner.state = MmOwner::State::unsupported;
	}
	return status;
}

Result<TaskStatus> read_task_status(const ProcFs& proc, pid_t pid)
{
	auto text = read_small_file(proc.status_path(pid));
	if (!text)
		return text.error();
	auto status = parse_task_status(*text);
	if (!status)
		return Error(0, proc.status_path(pid).string() + ": " + status.error().message());
	return status;
}

} // namespace swapns
