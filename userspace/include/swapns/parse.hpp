// Parsing of numbers as users and the kernel write them: one place for every integer field of
// /proc and every numeric argument, and sizes as util-linux takes them.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string_view>

namespace swapns {

// The whole of S as a decimal integer of type T: digits only (a leading '-' for signed types),
// no sign '+', no spaces, no trailing characters, and in T's range.
template <std::integral T>
std::optional<T> parse_decimal(std::string_view s)
{
	T value{};
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
	if (s.empty() || ec != std::errc() || end != s.data() + s.size())
		return std::nullopt;
	return value;
}

// A size in bytes as util-linux's strtosize() reads it (swapon(8), lsblk(8), fallocate(1)):
// a decimal number, optionally with a fraction and a unit. K, M, G, T, P, E (also k, m, g, ...)
// alone or followed by "iB" are powers of 1024; followed by "B" they are powers of 1000. So
// "512m" and "512MiB" are 512 MiB, "512MB" is 512,000,000 bytes and "1.5G" is 1.5 GiB. A
// fraction needs a unit and is exact, rounded down to a byte (util-linux rounds it per digit:
// its "0.3G" is 357913941 bytes, here 322122547). Unlike strtosize, no "0x" or octal forms.
// Nullopt for anything else, and for sizes beyond 64 bits.
std::optional<uint64_t> parse_size(std::string_view s);

} // namespace swapns
