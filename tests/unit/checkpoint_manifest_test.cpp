#include "swapns/checkpoint_manifest.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>

using namespace swapns;
using namespace swapns::checkpoint;

namespace {

Manifest sample()
{
	Manifest m;
	m.page_size = 4096;
	m.device.uuid = *parse_uuid("0123abcd-0000-4000-8000-00000000beef");
	m.device.label = "job";
	m.device.pages = 1024;
	m.device.source_path = "/var/swap/job";
	m.cgroup = {"/user/swapns-10", "16777216", "max"};
	m.data_runs = {{0, 1}, {10, 300}, {400, 2}};
	m.chunk_bytes = 256 * 4096; // 303 pages: two chunks
	m.chunk_sha256 = {std::string(64, 'a'), std::string(64, 'b')};
	m.tasks = {{1, {{0x10000, 10, 200, 0}, {0x7f0000000000, 400, 2, held_mapped}}},
		   {7, {{0x10000, 210, 100, 0}, {0x20000000, 900, 5, held_zero}}}};
	m.criu_files = {{"core-1.img", 1200, std::string(64, '0')}, {"pstree.img", 40, std::string(64, '1')}};
	m.created = "2026-12-03T16:00:00Z";
	m.source_kernel = "6.12.57-swapns";
	return m;
}

// The sample's encoding with one JSON edit applied.
std::string edited(const std::function<void(nlohmann::json&)>& edit)
{
	auto j = nlohmann::json::parse(encode_manifest(sample()));
	edit(j);
	return j.dump();
}

void expect_refused(const std::string& text, const std::string& says, int errnum = EINVAL)
{
	auto m = decode_manifest(text);
	ASSERT_FALSE(m.ok()) << "accepted; expected a refusal saying " << says;
	EXPECT_EQ(m.error().errnum(), errnum);
	EXPECT_NE(m.error().message().find(says), std::string::npos) << m.error().message();
}

} // namespace

TEST(CheckpointManifest, RoundTripsExactly)
{
	Manifest m = sample();
	std::string text = encode_manifest(m);
	auto back = decode_manifest(text);
	ASSERT_TRUE(back.ok()) << back.error().message();
	EXPECT_EQ(back->data_runs, m.data_runs);
	EXPECT_EQ(back->tasks, m.tasks);
	EXPECT_EQ(back->criu_files, m.criu_files);
	EXPECT_EQ(back->chunk_sha256, m.chunk_sha256);
	EXPECT_EQ(back->device.uuid, m.device.uuid);
	EXPECT_EQ(back->device.pages, m.device.pages);
	EXPECT_EQ(back->device.label, "job");
	EXPECT_EQ(back->created, m.created);
	EXPECT_EQ(back->cgroup, m.cgroup);
	// Reproducible: the same manifest always encodes to the same bytes.
	EXPECT_EQ(encode_manifest(*back), text);
	// One task per line, so that images diff by task.
	EXPECT_NE(text.find("\n  {\"pid\":7,"), std::string::npos) << text;
}

TEST(CheckpointManifest, ChunkExtentsMapDataBytesToSlots)
{
	Manifest m = sample();
	EXPECT_EQ(m.data_pages(), 303u);
	ChunkExtent c0 = chunk_extent(m, 0);
	EXPECT_EQ(c0.data_offset, 0u);
	EXPECT_EQ(c0.bytes, 256u * 4096);
	EXPECT_EQ(c0.first_slot, 0u);
	EXPECT_EQ(c0.last_slot, 264u); // header, then slots 10.. : page 255 is slot 10 + 254
	ChunkExtent c1 = chunk_extent(m, 1);
	EXPECT_EQ(c1.data_offset, 256u * 4096);
	EXPECT_EQ(c1.bytes, 47u * 4096);
	EXPECT_EQ(c1.first_slot, 265u);
	EXPECT_EQ(c1.last_slot, 401u);
}

TEST(CheckpointManifest, RefusesOtherVersionsNamingBoth)
{
	expect_refused(edited([](auto& j) { j["version"] = 2; }), "format version 2 is not one this swapns reads (it reads version 1)",
		       EPROTONOSUPPORT);
}

TEST(CheckpointManifest, RefusesWhatIsNotAManifest)
{
	expect_refused("", "not JSON");
	expect_refused("[1,2]", "not a JSON object");
	expect_refused("{\"format\": \"something-else\", \"version\": 1}", "is not a swapns checkpoint manifest");
	expect_refused(edited([](auto& j) { j.erase("tasks"); }), "no \"tasks\"");
	expect_refused(edited([](auto& j) { j["page_size"] = "4096"; }), "page_size: not a non-negative integer");
	expect_refused(edited([](auto& j) { j["page_size"] = 4000; }), "not a power of two");
}

TEST(CheckpointManifest, RefusesRunsOutOfRangeOrOrder)
{
	// Past the end of the device, in the data and in a task.
	expect_refused(edited([](auto& j) { j["data_runs"][2] = {1000, 30}; }), "data_runs[2][1]: 30 is above 24");
	expect_refused(edited([](auto& j) { j["tasks"][0]["runs"][0][1] = 1024; }), "tasks[0].runs[0][1]: 1024 is above 1023");
	// Overlapping or unordered.
	expect_refused(edited([](auto& j) { j["data_runs"][1] = {0, 5}; }), "data_runs[1]: slot 0 is not after the previous run");
	expect_refused(edited([](auto& j) { j["tasks"][0]["runs"][1][0] = 0x10000 + 4096; }),
		       "tasks[0].runs[1]: address is not after the previous run");
	// Unaligned, empty, header slot, unknown flags.
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][0] = 0x10001; }), "is not page aligned");
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][2] = 0; }), "an empty run");
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][1] = 0; }), "slot 0 is the swap header");
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][3] = 4; }), "unknown flags 4");
	// A run that wraps the address space.
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][1] = {(uint64_t{1} << 57) - 4096, 900, 5, 1}; }),
		       "past the end of the address space");
	// Negative numbers are not slots.
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][1] = -1; }), "not a non-negative integer");
}

TEST(CheckpointManifest, RefusesPagesWhoseDataTheImageLacks)
{
	// Task 7's slots 210..309 are data; moving the run to slots 700.. leaves them out.
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][1] = 700; }),
		       "tasks[1].runs[0]: slots 700-799 are not all in the data");
	// Half in: slots 305..404 straddle the end of the run 10..309.
	expect_refused(edited([](auto& j) { j["tasks"][1]["runs"][0][1] = 305; }), "slots 305-404 are not all in the data");
	// Zero pages need no data.
	auto ok = decode_manifest(edited([](auto& j) { j["tasks"][1]["runs"][1][1] = 1000; }));
	EXPECT_TRUE(ok.ok()) << ok.error().message();
}

TEST(CheckpointManifest, RefusesChecksumsThatDoNotMatchTheChunks)
{
	expect_refused(edited([](auto& j) { j["chunk_sha256"].erase(1); }), "1 checksums for 2 chunks");
	expect_refused(edited([](auto& j) { j["chunk_sha256"][0] = std::string(64, 'A'); }), "not 64 lowercase hex digits");
	expect_refused(edited([](auto& j) { j["chunk_bytes"] = 4097; }), "not a positive multiple of the page size");
}

TEST(CheckpointManifest, RefusesTasksAndFilesOutOfOrder)
{
	expect_refused(edited([](auto& j) { j["tasks"][1]["pid"] = 1; }), "tasks are ordered by pid, each once");
	expect_refused(edited([](auto& j) { j["tasks"][0]["pid"] = 0; }), "0 is not a task");
	expect_refused(edited([](auto& j) { j["tasks"] = nlohmann::json::array(); }), "between 1 and 65536 tasks");
	expect_refused(edited([](auto& j) { j["criu_files"][0]["name"] = "../../etc/passwd"; }), "is not a plain file name");
	expect_refused(edited([](auto& j) { j["criu_files"][0]["name"] = ".."; }), "is not a plain file name");
	expect_refused(edited([](auto& j) { j["criu_files"][1]["name"] = "a.img"; }), "files are ordered by name");
}

TEST(CheckpointManifest, InPlaceImagesCarryNoDataCopiedOnesStartWithTheHeader)
{
	expect_refused(edited([](auto& j) { j["device"]["storage"] = "in_place"; }), "an in_place image carries no data");
	expect_refused(edited([](auto& j) { j["data_runs"][0] = {1, 1}; }), "a copied image starts with the header page");
	expect_refused(edited([](auto& j) { j["device"]["storage"] = "moved"; }), "neither \"copied\" nor \"in_place\"");
	auto in_place = decode_manifest(edited([](auto& j) {
		j["device"]["storage"] = "in_place";
		j["data_runs"] = nlohmann::json::array();
		j["chunk_sha256"] = nlohmann::json::array();
	}));
	ASSERT_TRUE(in_place.ok()) << in_place.error().message();
	EXPECT_EQ(in_place->data_bytes(), 0u);
}

TEST(CheckpointManifest, RefusesCgroupPathsThatLeaveTheHierarchy)
{
	expect_refused(edited([](auto& j) { j["cgroup"]["path"] = "/a/../../etc"; }), "is not an absolute cgroup path");
	expect_refused(edited([](auto& j) { j["cgroup"]["path"] = "a"; }), "is not an absolute cgroup path");
	expect_refused(edited([](auto& j) { j["cgroup"]["memory_max"] = "16M"; }), "limits are \"max\" or a number of bytes");
	EXPECT_TRUE(decode_manifest(edited([](auto& j) { j["cgroup"]["path"] = "/"; })).ok());
}

#include "swapns/checkpoint.hpp"

TEST(CheckpointManifest, FilledFromTheKernelsRecords)
{
	// Records come by slot; two tasks; a fork-shared slot (30) in both; a zero page; a page
	// whose neighbour is in a non-consecutive slot.
	std::vector<HeldPage> held = {
		{0x1000, 10, 0, 8, 1, 0, 0}, {0x2000, 11, 0, 8, 1, 0, 0}, {0x3000, 12, 0, 8, 1, 0, held_mapped},
		{0x5000, 13, 0, 8, 1, 0, 0}, {0x9000, 30, 0, 8, 1, 0, 0},  {0x9000, 30, 0, 8, 1, 1, 0},
		{0xa000, 40, 0, 8, 1, 1, held_zero}, {0x4000, 50, 0, 8, 1, 0, 0},
	};
	Manifest m;
	m.page_size = 4096;
	fill_manifest_pages(m, held, {7, 1});
	EXPECT_EQ(m.data_runs, (std::vector<SlotRun>{{0, 1}, {10, 4}, {30, 1}, {50, 1}}));
	ASSERT_EQ(m.tasks.size(), 2u);
	EXPECT_EQ(m.tasks[0].pid, 1); // task index 1, by inner pid
	EXPECT_EQ(m.tasks[0].runs, (std::vector<PageRun>{{0x9000, 30, 1, 0}, {0xa000, 40, 1, held_zero}}));
	EXPECT_EQ(m.tasks[1].pid, 7);
	EXPECT_EQ(m.tasks[1].runs, (std::vector<PageRun>{{0x1000, 10, 2, 0},
							  {0x3000, 12, 1, held_mapped},
							  {0x4000, 50, 1, 0},
							  {0x5000, 13, 1, 0},
							  {0x9000, 30, 1, 0}}));
}
