#include "cli_args.hpp"

#include "swapns/parse.hpp"

#include <sys/swap.h>

#include <algorithm>
#include <utility>

namespace swapns::cli {

std::optional<pid_t> parse_pid(const std::string& s)
{
	auto pid = parse_decimal<pid_t>(s);
	if (!pid || *pid <= 0)
		return std::nullopt;
	return pid;
}

std::optional<int> parse_priority_flags(const std::string& s)
{
	auto prio = parse_decimal<int>(s);
	if (!prio || *prio < 0 || *prio > SWAP_FLAG_PRIO_MASK)
		return std::nullopt;
	return SWAP_FLAG_PREFER | ((*prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
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
