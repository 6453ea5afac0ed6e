#include "swapns/checkpoint_manifest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <sstream>

namespace swapns::checkpoint {

using nlohmann::json;

uint64_t Manifest::data_pages() const
{
	uint64_t n = 0;
	for (const auto& r : data_runs)
		n += r.count;
	return n;
}

ChunkExtent chunk_extent(const Manifest& m, size_t chunk)
{
	ChunkExtent e;
	e.data_offset = chunk * m.chunk_bytes;
	uint64_t total = m.data_bytes();
	e.bytes = std::min<uint64_t>(m.chunk_bytes, total > e.data_offset ? total - e.data_offset : 0);
	// Page index within the data file -> slot, through the runs.
	auto slot_of = [&](uint64_t page) {
		for (const auto& r : m.data_runs) {
			if (page < r.count)
				return r.first + page;
			page -= r.count;
		}
		return uint64_t{0};
	};
	if (e.bytes) {
		e.first_slot = slot_of(e.data_offset / m.page_size);
		e.last_slot = slot_of((e.data_offset + e.bytes) / m.page_size - 1);
	}
	return e;
}

namespace {

const char* storage_name(Storage s)
{
	return s == Storage::in_place ? "in_place" : "copied";
}

} // namespace

std::string encode_manifest(const Manifest& m)
{
	// Top-level keys one per line, each task on a line of its own: a manifest diffs and greps
	// well, and the encoding of a given manifest is always the same bytes.
	json device = {
		{"uuid", format_uuid(m.device.uuid)},
		{"label", m.device.label},
		{"pages", m.device.pages},
		{"source_path", m.device.source_path},
		{"storage", storage_name(m.device.storage)},
		{"generation", m.device.generation},
	};
	json data_runs = json::array();
	for (const auto& r : m.data_runs)
		data_runs.push_back({r.first, r.count});
	json criu = json::array();
	for (const auto& f : m.criu_files)
		criu.push_back({{"name", f.name}, {"size", f.size}, {"sha256", f.sha256}});

	std::ostringstream os;
	os << "{\n";
	os << "\"format\": " << json(manifest_format).dump() << ",\n";
	os << "\"version\": " << manifest_version << ",\n";
	os << "\"created\": " << json(m.created).dump() << ",\n";
	os << "\"source_kernel\": " << json(m.source_kernel).dump() << ",\n";
	os << "\"page_size\": " << m.page_size << ",\n";
	os << "\"device\": " << device.dump() << ",\n";
	json cgroup = {{"path", m.cgroup.path}, {"memory_max", m.cgroup.memory_max}, {"swap_max", m.cgroup.swap_max}};
	os << "\"cgroup\": " << cgroup.dump() << ",\n";
	os << "\"data_runs\": " << data_runs.dump() << ",\n";
	os << "\"chunk_bytes\": " << m.chunk_bytes << ",\n";
	os << "\"chunk_sha256\": [";
	for (size_t i = 0; i < m.chunk_sha256.size(); i++)
		os << (i ? ",\n  " : "\n  ") << json(m.chunk_sha256[i]).dump();
	os << (m.chunk_sha256.empty() ? "],\n" : "\n],\n");
	os << "\"tasks\": [";
	for (size_t i = 0; i < m.tasks.size(); i++) {
		json runs = json::array();
		for (const auto& r : m.tasks[i].runs)
			runs.push_back({r.address, r.offset, r.count, r.flags});
		json t = {{"pid", m.tasks[i].pid}, {"runs", std::move(runs)}};
		os << (i ? ",\n  " : "\n  ") << t.dump();
	}
	os << (m.tasks.empty() ? "],\n" : "\n],\n");
	os << "\"criu_files\": " << criu.dump() << "\n";
	os << "}\n";
	return os.str();
}

namespace {

// Decoding state: where in the document we are, for messages, and the run budget.
class Decoder {
public:
	explicit Decoder(const json& root) : root_(root) {}

	Result<Manifest> decode();

private:
	const json& root_;
	size_t runs_seen_ = 0;

	static Error bad(const std::string& where, const std::string& what)
	{
		return Error::refusal(EINVAL, "manifest: " + where + ": " + what);
	}

	// Member @key of object @o at @where, present and of the expected kind.
	Result<const json*> member(const json& o, const std::string& where, const char* key)
	{
		auto it = o.find(key);
		if (it == o.end())
			return bad(where, std::string("no \"") + key + "\"");
		return &*it;
	}
	Result<uint64_t> unsigned_at(const json& v, const std::string& where, uint64_t max)
	{
		if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
			return bad(where, "not a non-negative integer");
		uint64_t x = v.get<uint64_t>();
		if (x > max)
			return bad(where, std::to_string(x) + " is above " + std::to_string(max));
		return x;
	}
	Result<uint64_t> unsigned_member(const json& o, const std::string& where, const char* key,
					 uint64_t max = std::numeric_limits<uint64_t>::max())
	{
		auto v = member(o, where, key);
		if (!v)
			return v.error();
		return unsigned_at(**v, where + "." + key, max);
	}
	Result<std::string> string_member(const json& o, const std::string& where, const char* key,
					  size_t max_bytes)
	{
		auto v = member(o, where, key);
		if (!v)
			return v.error();
		if (!(*v)->is_string())
			return bad(where + "." + key, "not a string");
		auto s = (*v)->get<std::string>();
		if (s.size() > max_bytes)
			return bad(where + "." + key, "longer than " + std::to_string(max_bytes) + " bytes");
		return s;
	}
	Result<const json*> array_member(const json& o, const std::string& where, const char* key)
	{
		auto v = member(o, where, key);
		if (!v)
			return v.error();
		if (!(*v)->is_array())
			return bad(where + "." + key, "not an array");
		return *v;
	}
	bool spend_runs(size_t n)
	{
		runs_seen_ += n;
		return runs_seen_ <= max_runs;
	}

	Result<bool> decode_device(const json& o, Manifest& m);
	Result<bool> decode_cgroup(Manifest& m);
	Result<bool> decode_data(Manifest& m);
	Result<bool> decode_tasks(Manifest& m);
	Result<bool> decode_criu(Manifest& m);
	Result<bool> check_coverage(const Manifest& m);
};

bool is_sha256_hex(const std::string& s)
{
	return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
		       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
	       });
}

bool is_plain_name(const std::string& s)
{
	return !s.empty() && s.size() <= 255 && s != "." && s != ".." &&
	       s.find('/') == std::string::npos && s.find('\0') == std::string::npos;
}

bool is_limit(const std::string& s)
{
	return s == "max" || (!s.empty() && s.size() <= 20 && std::all_of(s.begin(), s.end(), [](char c) {
				      return c >= '0' && c <= '9';
			      }));
}

bool is_cgroup_path(const std::string& s)
{
	if (s.empty() || s[0] != '/' || s.find('\0') != std::string::npos || s.find('\n') != std::string::npos)
		return false;
	for (size_t at = 1; at <= s.size();) {
		size_t end = s.find('/', at);
		if (end == std::string::npos)
			end = s.size();
		std::string part = s.substr(at, end - at);
		if (part == "." || part == ".." || (part.empty() && end != s.size()))
			return false;
		at = end + 1;
	}
	return true;
}

Result<bool> Decoder::decode_device(const json& o, Manifest& m)
{
	if (!o.is_object())
		return bad("device", "not an object");
	auto uuid_text = string_member(o, "device", "uuid", 64);
	if (!uuid_text)
		return uuid_text.error();
	auto uuid = parse_uuid(*uuid_text);
	if (!uuid)
		return bad("device.uuid", "\"" + *uuid_text + "\" is not a UUID");
	m.device.uuid = *uuid;
	auto label = string_member(o, "device", "label", max_label_bytes);
	if (!label)
		return label.error();
	m.device.label = *label;
	// The swap header's last_page is 32 bits: an area has at most 2^32 pages.
	auto pages = unsigned_member(o, "device", "pages", uint64_t{1} << 32);
	if (!pages)
		return pages.error();
	if (*pages < min_swap_pages)
		return bad("device.pages", std::to_string(*pages) + " is below the smallest swap area (" +
						   std::to_string(min_swap_pages) + " pages)");
	m.device.pages = *pages;
	auto path = string_member(o, "device", "source_path", 4096);
	if (!path)
		return path.error();
	// Where the restore recreates the file by default: an absolute path without . or ..
	// components (an image must not steer the restore with relative or climbing paths).
	if (!is_cgroup_path(*path) || *path == "/")
		return bad("device.source_path", "\"" + *path + "\" is not an absolute path without . or ..");
	m.device.source_path = *path;
	auto storage = string_member(o, "device", "storage", 16);
	if (!storage)
		return storage.error();
	if (*storage == "copied")
		m.device.storage = Storage::copied;
	else if (*storage == "in_place")
		m.device.storage = Storage::in_place;
	else
		return bad("device.storage", "\"" + *storage + "\" is neither \"copied\" nor \"in_place\"");
	auto gen = unsigned_member(o, "device", "generation");
	if (!gen)
		return gen.error();
	m.device.generation = *gen;
	return true;
}

Result<bool> Decoder::decode_cgroup(Manifest& m)
{
	auto o = member(root_, "manifest", "cgroup");
	if (!o)
		return o.error();
	if (!(*o)->is_object())
		return bad("cgroup", "not an object");
	auto path = string_member(**o, "cgroup", "path", 4096);
	if (!path)
		return path.error();
	if (!is_cgroup_path(*path))
		return bad("cgroup.path", "\"" + *path + "\" is not an absolute cgroup path without . or ..");
	auto mem = string_member(**o, "cgroup", "memory_max", 32);
	if (!mem)
		return mem.error();
	auto swap = string_member(**o, "cgroup", "swap_max", 32);
	if (!swap)
		return swap.error();
	if (!is_limit(*mem) || !is_limit(*swap))
		return bad("cgroup", "limits are \"max\" or a number of bytes");
	m.cgroup = {*path, *mem, *swap};
	return true;
}

Result<bool> Decoder::decode_data(Manifest& m)
{
	auto runs = array_member(root_, "manifest", "data_runs");
	if (!runs)
		return runs.error();
	if (!spend_runs((*runs)->size()))
		return bad("data_runs", "more runs than a manifest may have");
	uint64_t next_free = 0; // runs are ordered and do not overlap
	for (size_t i = 0; i < (*runs)->size(); i++) {
		const json& r = (**runs)[i];
		std::string where = "data_runs[" + std::to_string(i) + "]";
		if (!r.is_array() || r.size() != 2)
			return bad(where, "not a [first slot, count] pair");
		auto first = unsigned_at(r[0], where + "[0]", m.device.pages - 1);
		if (!first)
			return first.error();
		auto count = unsigned_at(r[1], where + "[1]", m.device.pages - *first);
		if (!count)
			return count.error();
		if (*count == 0)
			return bad(where, "an empty run");
		if (i && *first < next_free)
			return bad(where, "slot " + std::to_string(*first) +
						  " is not after the previous run (runs are ordered and do not overlap)");
		next_free = *first + *count;
		m.data_runs.push_back({*first, *count});
	}
	if (m.device.storage == Storage::in_place && !m.data_runs.empty())
		return bad("data_runs", "an in_place image carries no data");
	if (m.device.storage == Storage::copied && (m.data_runs.empty() || m.data_runs[0].first != 0))
		return bad("data_runs", "a copied image starts with the header page (slot 0)");

	// Chunks of at least a page and at most 64 MiB, a whole number of pages.
	auto chunk = unsigned_member(root_, "manifest", "chunk_bytes", uint64_t{64} << 20);
	if (!chunk)
		return chunk.error();
	if (*chunk < m.page_size || *chunk % m.page_size)
		return bad("chunk_bytes", std::to_string(*chunk) + " is not a positive multiple of the page size");
	m.chunk_bytes = *chunk;
	auto sums = array_member(root_, "manifest", "chunk_sha256");
	if (!sums)
		return sums.error();
	uint64_t expected = (m.data_bytes() + m.chunk_bytes - 1) / m.chunk_bytes;
	if ((*sums)->size() != expected)
		return bad("chunk_sha256", std::to_string((*sums)->size()) + " checksums for " +
						   std::to_string(expected) + " chunks of the data");
	for (size_t i = 0; i < (*sums)->size(); i++) {
		const json& s = (**sums)[i];
		if (!s.is_string() || !is_sha256_hex(s.get<std::string>()))
			return bad("chunk_sha256[" + std::to_string(i) + "]", "not 64 lowercase hex digits");
		m.chunk_sha256.push_back(s.get<std::string>());
	}
	return true;
}

Result<bool> Decoder::decode_tasks(Manifest& m)
{
	auto tasks = array_member(root_, "manifest", "tasks");
	if (!tasks)
		return tasks.error();
	if ((*tasks)->empty() || (*tasks)->size() > max_tasks)
		return bad("tasks", "between 1 and " + std::to_string(max_tasks) + " tasks expected");
	const uint64_t page = m.page_size;
	// User addresses fit in 57 bits on every architecture the kernel runs on (5-level paging).
	const uint64_t address_limit = uint64_t{1} << 57;
	for (size_t i = 0; i < (*tasks)->size(); i++) {
		const json& t = (**tasks)[i];
		std::string where = "tasks[" + std::to_string(i) + "]";
		if (!t.is_object())
			return bad(where, "not an object");
		auto pid = unsigned_member(t, where, "pid", 0x3fffffff); // PID_MAX_LIMIT
		if (!pid)
			return pid.error();
		if (*pid == 0)
			return bad(where + ".pid", "0 is not a task");
		if (i && static_cast<int32_t>(*pid) <= m.tasks.back().pid)
			return bad(where + ".pid", "tasks are ordered by pid, each once");
		Task task;
		task.pid = static_cast<int32_t>(*pid);
		auto runs = array_member(t, where, "runs");
		if (!runs)
			return runs.error();
		if (!spend_runs((*runs)->size()))
			return bad(where + ".runs", "more runs than a manifest may have");
		uint64_t next_address = 0;
		for (size_t j = 0; j < (*runs)->size(); j++) {
			const json& r = (**runs)[j];
			std::string rw = where + ".runs[" + std::to_string(j) + "]";
			if (!r.is_array() || r.size() != 4)
				return bad(rw, "not an [address, slot, count, flags] list");
			auto address = unsigned_at(r[0], rw + "[0]", address_limit - page);
			auto offset = unsigned_at(r[1], rw + "[1]", m.device.pages - 1);
			if (!address)
				return address.error();
			if (!offset)
				return offset.error();
			auto count = unsigned_at(r[2], rw + "[2]", m.device.pages - *offset);
			if (!count)
				return count.error();
			auto flags = unsigned_at(r[3], rw + "[3]", 0xffffffff);
			if (!flags)
				return flags.error();
			if (*address % page)
				return bad(rw, "address " + std::to_string(*address) + " is not page aligned");
			if (*offset == 0)
				return bad(rw, "slot 0 is the swap header");
			if (*count == 0)
				return bad(rw, "an empty run");
			if (*count > (address_limit - *address) / page)
				return bad(rw, "runs past the end of the address space");
			if (*flags & ~uint64_t{known_held_flags})
				return bad(rw, "unknown flags " + std::to_string(*flags));
			if (j && *address < next_address)
				return bad(rw, "address is not after the previous run (runs are ordered and do not overlap)");
			next_address = *address + *count * page;
			task.runs.push_back({*address, *offset, *count, static_cast<uint32_t>(*flags)});
		}
		m.tasks.push_back(std::move(task));
	}
	return true;
}

Result<bool> Decoder::decode_criu(Manifest& m)
{
	auto files = array_member(root_, "manifest", "criu_files");
	if (!files)
		return files.error();
	if ((*files)->size() > max_criu_files)
		return bad("criu_files", "more than " + std::to_string(max_criu_files) + " files");
	for (size_t i = 0; i < (*files)->size(); i++) {
		const json& f = (**files)[i];
		std::string where = "criu_files[" + std::to_string(i) + "]";
		if (!f.is_object())
			return bad(where, "not an object");
		auto name = string_member(f, where, "name", 255);
		if (!name)
			return name.error();
		if (!is_plain_name(*name))
			return bad(where + ".name", "\"" + *name + "\" is not a plain file name");
		if (i && *name <= m.criu_files.back().name)
			return bad(where + ".name", "files are ordered by name, each once");
		auto size = unsigned_member(f, where, "size", uint64_t{1} << 50);
		if (!size)
			return size.error();
		auto sum = string_member(f, where, "sha256", 64);
		if (!sum)
			return sum.error();
		if (!is_sha256_hex(*sum))
			return bad(where + ".sha256", "not 64 lowercase hex digits");
		m.criu_files.push_back({*name, *size, *sum});
	}
	return true;
}

// Every page the restore installs from a copy must have its slot in the data, or it would
// map a slot of zeros in place of the page.
Result<bool> Decoder::check_coverage(const Manifest& m)
{
	if (m.device.storage != Storage::copied)
		return true;
	const auto& runs = m.data_runs;
	for (size_t i = 0; i < m.tasks.size(); i++) {
		for (size_t j = 0; j < m.tasks[i].runs.size(); j++) {
			const PageRun& r = m.tasks[i].runs[j];
			if (r.flags & held_zero)
				continue;
			// The data run that could hold r.offset: the last one starting at or before it.
			auto it = std::upper_bound(runs.begin(), runs.end(), r.offset,
						   [](uint64_t off, const SlotRun& s) { return off < s.first; });
			bool covered = it != runs.begin() && r.offset + r.count <= std::prev(it)->first + std::prev(it)->count;
			if (!covered)
				return bad("tasks[" + std::to_string(i) + "].runs[" + std::to_string(j) + "]",
					   "slots " + std::to_string(r.offset) + "-" + std::to_string(r.offset + r.count - 1) +
						   " are not all in the data");
		}
	}
	return true;
}

Result<Manifest> Decoder::decode()
{
	if (!root_.is_object())
		return bad("manifest", "not a JSON object");
	auto format = string_member(root_, "manifest", "format", 64);
	if (!format)
		return format.error();
	if (*format != manifest_format)
		return bad("format", "\"" + *format + "\" is not a swapns checkpoint manifest");
	auto version = unsigned_member(root_, "manifest", "version");
	if (!version)
		return version.error();
	if (*version != manifest_version)
		return Error::refusal(EPROTONOSUPPORT,
				      "manifest: format version " + std::to_string(*version) +
					      " is not one this swapns reads (it reads version " +
					      std::to_string(manifest_version) + "); use the swapns that wrote the image");
	Manifest m;
	auto page = unsigned_member(root_, "manifest", "page_size", 1u << 16);
	if (!page)
		return page.error();
	if (*page < 4096 || (*page & (*page - 1)))
		return bad("page_size", std::to_string(*page) + " is not a power of two from 4096 to 65536");
	m.page_size = static_cast<uint32_t>(*page);
	auto created = string_member(root_, "manifest", "created", 64);
	if (!created)
		return created.error();
	m.created = *created;
	auto kernel = string_member(root_, "manifest", "source_kernel", 256);
	if (!kernel)
		return kernel.error();
	m.source_kernel = *kernel;
	auto device = member(root_, "manifest", "device");
	if (!device)
		return device.error();
	// In this order: each step's checks rely on what the earlier ones established.
	if (auto r = decode_device(**device, m); !r)
		return r.error();
	if (auto r = decode_cgroup(m); !r)
		return r.error();
	if (auto r = decode_data(m); !r)
		return r.error();
	if (auto r = decode_tasks(m); !r)
		return r.error();
	if (auto r = decode_criu(m); !r)
		return r.error();
	auto c = check_coverage(m);
	if (!c)
		return c.error();
	return m;
}

} // namespace

Result<Manifest> decode_manifest(std::string_view text)
{
	if (text.size() > max_manifest_bytes)
		return Error::refusal(EINVAL, "manifest: larger than " + std::to_string(max_manifest_bytes) + " bytes");
	json root;
	try {
		root = json::parse(text.begin(), text.end());
	} catch (const json::exception& e) {
		return Error::refusal(EINVAL, std::string("manifest: not JSON: ") + e.what());
	}
	try {
		return Decoder(root).decode();
	} catch (const json::exception& e) {
		// A type the checks above missed: still bad input, never a crash.
		return Error::refusal(EINVAL, std::string("manifest: ") + e.what());
	}
}

} // namespace swapns::checkpoint
