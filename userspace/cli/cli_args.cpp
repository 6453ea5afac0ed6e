#include "cli_args.hpp"

#include <sys/swap.h>

#include <algorithm>
#include <charconv>
#include <utility>

namespace swapns::cli {

std::optional<uint64_t> parse_size(const std::string& s)
{
	uint64_t n = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
	if (ec != std::errc() || end == s.data())
		return std::nullopt;
	std::string unit(end, s.data() + s.size());
	static const std::pair<const char*, unsigned> units[] = {
		{"", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20}, {"G", 30}, {"GiB", 30}, {"T", 40}, {"TiB", 40}};
	for (const auto& [name, shift] : units)
		if (unit == name) {
			if (shift && n > (UINT64_MAX >> shift))
				return std::nullopt;
			return n << shift;
		}
	return std::nullopt;
}

std::optional<pid_t> parse_pid(const std::string& s)
{
	pid_t pid = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), pid);
	if (ec != std::errc() || end != s.data() + s.size() || pid <= 0)
		return std::nullopt;
	return pid;
}

std::optional<int> parse_priority_flags(const std::string& s)
{
	int prio = -1;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), prio);
	if (ec != std::errc() || end != s.data() + s.size() || prio < 0 || prio > SWAP_FLAG_PRIO_MASK)
		return std::nullopt;
	return SWAP_FLAG_PREFER | ((prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
}

SplitArgs split_at_double_dash(const std::vector<std::string>& args)
{
	auto dash = std::find(args.begin(), args.end(), "--");
	SplitArgs split;
	split.options.assign(args.begin(), dash);
	if (dash != args.end())
		split.command.assign(dash + 1, args.end());
	return split;
}

} // namespace swapns::cli
