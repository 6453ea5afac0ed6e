#include "swapns/swap_header.hpp"

#include <uuid/uuid.h>

#include <cstring>

namespace swapns {

namespace {

// Offsets in the first page (struct swap_header_v1_2 after 1024 bytes of bootbits).
constexpr size_t version_offset = 1024;
constexpr size_t last_page_offset = 1028;
constexpr size_t nr_badpages_offset = 1032;
constexpr size_t uuid_offset = 1036;
constexpr size_t label_offset = 1052;
constexpr std::string_view magic = "SWAPSPACE2";

void put_u32(std::vector<char>& page, size_t offset, uint32_t value)
{
	std::memcpy(page.data() + offset, &value, sizeof(value));
}

uint32_t get_u32(std::span<const char> page, size_t offset)
{
	uint32_t value;
	std::memcpy(&value, page.data() + offset, sizeof(value));
	return value;
}

} // namespace

Result<std::vector<char>> encode_swap_header(uint64_t size, size_t page_size, const Uuid& uuid,
					     std::string_view label)
{
	const std::string what = "swap area of " + std::to_string(size) + " bytes";
	if (page_size < label_offset + max_label_bytes + magic.size())
		return Error::refusal(EINVAL, "page size " + std::to_string(page_size) + " is too small");
	if (size % page_size)
		return Error::refusal(EINVAL, what + ": not a whole number of " + std::to_string(page_size) +
					     "-byte pages");
	if (size / page_size < min_swap_pages)
		return Error::refusal(EINVAL, what + ": too small, a swap area needs at least " +
					     std::to_string(min_swap_pages) + " pages (" +
					     std::to_string(min_swap_pages * page_size) + " bytes)");
	uint64_t last_page = size / page_size - 1;
	if (last_page > UINT32_MAX)
		return Error::refusal(EINVAL, what + ": too large for a version-1 swap header (at most " +
					     std::to_string((uint64_t{UINT32_MAX} + 1) * page_size) +
					     " bytes)");
	if (label.size() > max_label_bytes)
		return Error::refusal(EINVAL, "label '" + std::string(label) + "' is longer than " +
					     std::to_string(max_label_bytes) + " bytes");

	std::vector<char> page(page_size, 0);
	put_u32(page, version_offset, 1);
	put_u32(page, last_page_offset, static_cast<uint32_t>(last_page));
	put_u32(page, nr_badpages_offset, 0);
	std::memcpy(page.data() + uuid_offset, uuid.data(), uuid.size());
	std::memcpy(page.data() + label_offset, label.data(), label.size());
	std::memcpy(page.data() + page_size - magic.size(), magic.data(), magic.size());
	return page;
}

Result<SwapHeaderInfo> decode_swap_header(std::span<const char> page)
{
	if (page.size() < label_offset + max_label_bytes + magic.size() ||
	    std::string_view(page.data() + page.size() - magic.size(), magic.size()) != magic)
		return Error(0, "no swap header (SWAPSPACE2 signature missing)");
	SwapHeaderInfo info;
	info.version = get_u32(page, version_offset);
	if (info.version != 1)
		return Error(0, "unsupported swap header version " + std::to_string(info.version));
	info.last_page = get_u32(page, last_page_offset);
	info.nr_badpages = get_u32(page, nr_badpages_offset);
	std::memcpy(info.uuid.data(), page.data() + uuid_offset, info.uuid.size());
	const char* label = page.data() + label_offset;
	info.label.assign(label, strnlen(label, max_label_bytes));
	return info;
}

Result<Uuid> parse_uuid(std::string_view text)
{
	// libuuid wants exactly 36 characters with dashes at 8, 13, 18 and 23 and hex digits
	// elsewhere; the range form also refuses a NUL inside the text.
	Uuid uuid{};
	if (uuid_parse_range(text.data(), text.data() + text.size(), uuid.data()) != 0)
		return Error::refusal(EINVAL, "'" + std::string(text) +
					     "' is not a UUID (want 8-4-4-4-12 hex digits, e.g. "
					     "01234567-89ab-cdef-0123-456789abcdef)");
	return uuid;
}

std::string format_uuid(const Uuid& uuid)
{
	char text[UUID_STR_LEN];
	uuid_unparse_lower(uuid.data(), text);
	return text;
}

Uuid random_uuid()
{
	Uuid uuid{};
	uuid_generate_random(uuid.data());
	return uuid;
}

} // namespace swapns
