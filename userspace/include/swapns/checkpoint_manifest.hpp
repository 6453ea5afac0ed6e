// The manifest of a checkpoint image (docs/checkpoint-image.md): which swap device the
// container's swapped pages were on, which of its slots the image carries, where each task had
// each held page, and checksums for everything else in the image directory. Encoding and a
// strict decoder: an image is root-equivalent input (it says what to map into a process), so
// the decoder refuses anything out of range, unordered or inconsistent, naming it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "swapns/result.hpp"
#include "swapns/swap_header.hpp"

namespace swapns::checkpoint {

inline constexpr std::string_view manifest_format = "swapns-checkpoint";
inline constexpr uint32_t manifest_version = 1;
inline constexpr std::string_view manifest_name = "manifest.json";
inline constexpr std::string_view data_name = "swap.data";
inline constexpr std::string_view criu_dir_name = "criu";

// Decoder limits: far above what a checkpoint of one container needs, low enough that a
// hostile manifest cannot make the reader allocate without bound.
inline constexpr uint64_t max_manifest_bytes = 256u << 20;
inline constexpr size_t max_tasks = 65536;       // SWAP_NS_IOC_SET_ASIDE's pidfd limit
inline constexpr size_t max_runs = 1u << 24;     // in all run lists together
inline constexpr size_t max_criu_files = 1u << 16;

// The swap_ns_held_page flags the kernel reports (<linux/swap_ns.h>), as the image keeps them.
inline constexpr uint32_t held_zero = 1;   // SWAP_NS_HELD_ZERO: no data in the slot
inline constexpr uint32_t held_mapped = 2; // SWAP_NS_HELD_MAPPED: CRIU has the page too
inline constexpr uint32_t known_held_flags = held_zero | held_mapped;

// How the target gets the device's contents.
enum class Storage {
	copied,   // the image's data file carries the used slots (and the header page)
	in_place, // the swapfile itself moves (NFS both hosts mount): the image carries no data
};

struct Device {
	Uuid uuid{};            // from the swap header
	std::string label;      // from the swap header
	uint64_t pages = 0;     // size of the area in pages, header page included (last_page + 1)
	std::string source_path; // where it was on the source host, for messages and the default
	Storage storage = Storage::copied;
	// in_place only: the fence generation the source wrote after its swapoff; the target
	// swaps the file on only if the header still says this (docs/checkpoint-image.md).
	uint64_t generation = 0;
};

// Slots [first, first + count).
struct SlotRun {
	uint64_t first = 0;
	uint64_t count = 0;
	bool operator==(const SlotRun&) const = default;
};

// Pages [address, address + count * page_size) of a task were in slots [offset, offset +
// count), each with @flags.
struct PageRun {
	uint64_t address = 0;
	uint64_t offset = 0;
	uint64_t count = 0;
	uint32_t flags = 0;
	bool operator==(const PageRun&) const = default;
};

struct Task {
	int32_t pid = 0; // in the container's own PID namespace (the last NSpid field)
	std::vector<PageRun> runs; // ordered by address, not overlapping
	bool operator==(const Task&) const = default;
};

struct CriuFile {
	std::string name; // a plain name in the criu directory
	uint64_t size = 0;
	std::string sha256; // 64 lowercase hex digits
	bool operator==(const CriuFile&) const = default;
};

// The container's cgroup v2 directory and the limits it had, recreated on restore.
struct CgroupInfo {
	std::string path;       // as in /proc/PID/cgroup: absolute, no "." or ".." components
	std::string memory_max; // memory.max: "max" or a number of bytes
	std::string swap_max;   // memory.swap.max: the same
	bool operator==(const CgroupInfo&) const = default;
};

struct Manifest {
	uint32_t page_size = 0;
	Device device;
	CgroupInfo cgroup;
	// The data file is these slots' pages, back to back, in this order (ordered, not
	// overlapping); empty for in_place. Slot 0 (the header page) comes first in a copy.
	std::vector<SlotRun> data_runs;
	uint64_t chunk_bytes = 0;             // the data file is checksummed in chunks of this size
	std::vector<std::string> chunk_sha256; // one per chunk, the last one possibly short
	std::vector<Task> tasks;               // ordered by pid
	std::vector<CriuFile> criu_files;      // ordered by name
	// Informational, not checked: where and when the checkpoint was taken.
	std::string created;
	std::string source_kernel;

	uint64_t data_pages() const;
	uint64_t data_bytes() const { return data_pages() * page_size; }
};

// Where a chunk's bytes come from: data-file byte range and the slots it covers.
struct ChunkExtent {
	uint64_t data_offset = 0;
	uint64_t bytes = 0;
	uint64_t first_slot = 0; // the slot of the chunk's first page
	uint64_t last_slot = 0;  // the slot of its last page
};
ChunkExtent chunk_extent(const Manifest& manifest, size_t chunk);

// JSON, keys in a fixed order, one task or run list per line: diffable, reproducible.
std::string encode_manifest(const Manifest& manifest);

// errnum EINVAL with what is wrong ("tasks[3].runs[7]: address 0x1001 is not page aligned"),
// EPROTONOSUPPORT for another format version (the message says which this swapns reads).
Result<Manifest> decode_manifest(std::string_view text);

} // namespace swapns::checkpoint
