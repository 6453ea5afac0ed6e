#include "swapns/parse.hpp"

#include <string>

namespace swapns {

namespace {

// Wide enough for any 64-bit size times a unit of up to 2^60 bytes.
__extension__ typedef unsigned __int128 Wide;

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

// The power of the unit letter: K 1, M 2, ... E 6 (Z and Y exceed 64 bits for any size but 0,
// and are refused with them).
std::optional<unsigned> unit_power(char c)
{
	static constexpr std::string_view upper = "KMGTPE", lower = "kmgtpe";
	if (auto at = upper.find(c); at != std::string_view::npos)
		return static_cast<unsigned>(at) + 1;
	if (auto at = lower.find(c); at != std::string_view::npos)
		return static_cast<unsigned>(at) + 1;
	return std::nullopt;
}

} // namespace

std::optional<uint64_t> parse_size(std::string_view s)
{
	size_t pos = 0;
	while (pos < s.size() && is_digit(s[pos]))
		pos++;
	auto whole = parse_decimal<uint64_t>(s.substr(0, pos));
	if (!whole)
		return std::nullopt;
	std::string_view fraction;
	if (pos < s.size() && s[pos] == '.') {
		size_t start = ++pos;
		while (pos < s.size() && is_digit(s[pos]))
			pos++;
		fraction = s.substr(start, pos - start);
		if (fraction.empty())
			return std::nullopt;
	}
	std::string_view unit = s.substr(pos);
	if (unit.empty())
		return fraction.empty() ? whole : std::nullopt;
	auto power = unit_power(unit[0]);
	std::string_view rest = unit.substr(1);
	Wide base;
	if (rest.empty() || rest == "iB" || rest == "ib")
		base = 1024;
	else if (rest == "B" || rest == "b")
		base = 1000;
	else
		return std::nullopt;
	if (!power)
		return std::nullopt;
	Wide scale = 1;
	for (unsigned i = 0; i < *power; i++)
		scale *= base;
	Wide bytes = *whole * scale;
	// Digits beyond the 19th cannot add a byte to a size that fits 64 bits: 10^19 > 2^63.
	fraction = fraction.substr(0, 19);
	if (!fraction.empty()) {
		Wide numerator = *parse_decimal<uint64_t>(fraction), denominator = 1;
		for (size_t i = 0; i < fraction.size(); i++)
			denominator *= 10;
		bytes += numerator * scale / denominator;
	}
	if (bytes > UINT64_MAX)
		return std::nullopt;
	return static_cast<uint64_t>(bytes);
}

} // namespace swapns
