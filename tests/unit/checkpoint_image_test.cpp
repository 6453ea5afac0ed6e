// Checkpoint images end to end on files: the used slots of a swap area gathered into an image,
// verified, scattered into a new area; and every way an image can be damaged, refused naming
// the damage.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "swapns/checkpoint_image.hpp"
#include "swapns/sha256.hpp"
#include "swapns/unique_fd.hpp"
#include "io_probe.hpp"

using namespace swapns;
using swapns::test::io_uring_works;
using namespace swapns::checkpoint;
namespace fs = std::filesystem;

namespace {

constexpr uint32_t page = 4096;
constexpr uint64_t area_pages = 1024;

std::string read_all(const fs::path& path)
{
	std::ifstream in(path, std::ios::binary);
	return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_all(const fs::path& path, const std::string& bytes)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out << bytes;
}

// Flips one byte of a file in place.
void flip_byte(const fs::path& path, uint64_t at)
{
	std::string s = read_all(path);
	ASSERT_LT(at, s.size());
	s[at] = static_cast<char>(s[at] ^ 0x40);
	write_all(path, s);
}

class CheckpointImage : public ::testing::TestWithParam<bool> {
protected:
	fs::path dir;
	fs::path area_path;
	std::string area; // the source area's bytes
	Manifest m;

	void SetUp() override
	{
		if (GetParam() && !io_uring_works())
			GTEST_SKIP() << "io_uring is not available to this process";
		// On the build's disk: O_DIRECT works there (/tmp may be tmpfs).
		dir = fs::path(SWAPNS_TEST_DISK_DIR) / ("checkpoint-image-" + std::to_string(::getpid()));
		fs::remove_all(dir);
		fs::create_directories(dir);
		area_path = dir / "source.swap";
		Uuid uuid = *parse_uuid("feedface-0000-4000-8000-000000000001");
		auto header = encode_swap_header(area_pages * page, page, uuid, "job");
		ASSERT_TRUE(header.ok());
		area.assign(header->begin(), header->end());
		std::mt19937 rng(42);
		for (uint64_t slot = 1; slot < area_pages; slot++)
			for (uint32_t i = 0; i < page; i++)
				area.push_back(static_cast<char>(rng()));
		write_all(area_path, area);

		m.page_size = page;
		m.device = {uuid, "job", area_pages, area_path.string(), Storage::copied, 0};
		m.cgroup = {"/box", "max", "max"};
		// 1 + 300 + 2 + 1 pages: the header, a long run, a short one, a single slot.
		m.data_runs = {{0, 1}, {10, 300}, {500, 2}, {1023, 1}};
		m.chunk_bytes = 64 * page; // 304 pages: 5 chunks, the last one short
		m.tasks = {{1, {{0x400000, 10, 250, 0}, {0x7ffd0000, 1023, 1, 0}}},
			   {9, {{0x400000, 260, 50, 0}, {0x500000, 500, 2, held_mapped}, {0x600000, 700, 3, held_zero}}}};
		m.created = "2026-12-03T17:00:00Z";
		m.source_kernel = "test";
	}

	void TearDown() override { fs::remove_all(dir); }

	ChunkCopyOptions copy_options() const
	{
		ChunkCopyOptions o;
		o.allow_io_uring = GetParam();
		o.chunks_in_flight = 3;
		return o;
	}

	// Gathers the data runs of the source area into a new image at @final, with two CRIU
	// files, and commits it.
	void make_image(const fs::path& final)
	{
		auto partial = create_partial_image(final);
		ASSERT_TRUE(partial.ok()) << partial.error().message();
		EXPECT_EQ(partial->dir.filename().string().rfind(".image.partial-", 0), 0u) << partial->dir;
		UniqueFd src(::open(area_path.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
		ASSERT_TRUE(src.valid());
		auto data_path = partial->dir / data_name;
		UniqueFd dst(::open(data_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600));
		ASSERT_TRUE(dst.valid());
		auto plan = data_plan(m, PlanDirection::gather);
		m.chunk_sha256.assign(plan.size(), "");
		auto r = copy_chunks({src.get(), "source"}, {dst.get(), "data"}, plan,
				     [&](size_t c, std::span<const char> bytes) -> Result<bool> {
					     m.chunk_sha256[c] = sha256_hex(bytes);
					     return true;
				     },
				     copy_options());
		ASSERT_TRUE(r.ok()) << r.error().message();
		EXPECT_EQ(r->io_uring, GetParam());
		EXPECT_EQ(r->bytes_written, m.data_bytes());
		write_all(partial->dir / criu_dir_name / "core-1.img", std::string(5000, 'c'));
		write_all(partial->dir / criu_dir_name / "pstree.img", "tree");
		auto files = describe_criu_files(*partial);
		ASSERT_TRUE(files.ok()) << files.error().message();
		m.criu_files = *files;
		auto done = commit_image(*partial, m);
		ASSERT_TRUE(done.ok()) << done.error().message();
		EXPECT_FALSE(fs::exists(partial->dir.parent_path() / partial->dir.filename()) &&
			     partial->dir != final);
	}

	void expect_verify_fails(const fs::path& image, const std::string& says)
	{
		VerifyOptions o;
		o.copy = copy_options();
		auto v = verify_image(image, o);
		ASSERT_FALSE(v.ok()) << "verified; expected: " << says;
		EXPECT_NE(v.error().message().find(says), std::string::npos) << v.error().message();
	}
};

} // namespace

TEST_P(CheckpointImage, GathersVerifiesAndScattersTheUsedSlots)
{
	fs::path image = dir / "image";
	make_image(image);
	ASSERT_TRUE(fs::is_regular_file(image / manifest_name));
	EXPECT_EQ(fs::file_size(image / data_name), 304u * page);
	// Nothing left beside it but the source.
	for (const auto& e : fs::directory_iterator(dir))
		EXPECT_TRUE(e.path() == image || e.path() == area_path) << e.path();

	VerifyOptions vo;
	vo.copy = copy_options();
	auto v = verify_image(image, vo);
	ASSERT_TRUE(v.ok()) << v.error().message();
	EXPECT_EQ(v->tasks, m.tasks);

	// Scatter into a fresh area: the data slots as on the source, every other slot zero.
	fs::path target = dir / "target.swap";
	UniqueFd out(::open(target.c_str(), O_RDWR | O_CREAT | O_EXCL | O_DIRECT | O_CLOEXEC, 0600));
	ASSERT_TRUE(out.valid());
	ASSERT_EQ(::ftruncate(out.get(), static_cast<off_t>(area_pages * page)), 0);
	UniqueFd data(::open((image / data_name).c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
	auto plan = data_plan(*v, PlanDirection::scatter);
	auto r = copy_chunks({data.get(), "data"}, {out.get(), "target"}, plan,
			     [&](size_t c, std::span<const char> bytes) -> Result<bool> {
				     if (sha256_hex(bytes) != v->chunk_sha256[c])
					     return Error::refusal(EIO, "chunk " + std::to_string(c));
				     return true;
			     },
			     copy_options());
	ASSERT_TRUE(r.ok()) << r.error().message();
	std::string got = read_all(target);
	ASSERT_EQ(got.size(), area.size());
	auto in_data = [&](uint64_t slot) {
		for (const auto& run : m.data_runs)
			if (slot >= run.first && slot < run.first + run.count)
				return true;
		return false;
	};
	for (uint64_t slot = 0; slot < area_pages; slot++) {
		std::string want = in_data(slot) ? area.substr(slot * page, page) : std::string(page, '\0');
		ASSERT_EQ(got.substr(slot * page, page), want) << "slot " << slot;
	}
}

TEST_P(CheckpointImage, NamesTheFirstBadChunk)
{
	fs::path image = dir / "image";
	make_image(image);
	// Chunks 3 and 1 damaged: chunk 1 is named, and that two fail.
	flip_byte(image / data_name, 3 * 64 * page + 17);
	flip_byte(image / data_name, 1 * 64 * page + 5);
	// Chunk 1 is data pages 64..127: slots 10+63 = 73 to 136.
	expect_verify_fails(image, "chunk 1 (bytes 262144-524287 of swap.data, slots 73-136) fails its checksum (2 chunks fail)");
}

TEST_P(CheckpointImage, RefusesTruncatedOrMissingData)
{
	fs::path image = dir / "image";
	make_image(image);
	fs::resize_file(image / data_name, 200 * page);
	expect_verify_fails(image, "is 819200 bytes, the manifest says 1245184: chunk 3 (bytes 786432-1048575");
	fs::remove(image / data_name);
	expect_verify_fails(image, "swap.data is missing: chunk 0");
}

TEST_P(CheckpointImage, RefusesChangedCriuFiles)
{
	fs::path image = dir / "image";
	make_image(image);
	write_all(image / criu_dir_name / "extra.img", "planted");
	expect_verify_fails(image, "criu/extra.img is not in the manifest");
	fs::remove(image / criu_dir_name / "extra.img");
	flip_byte(image / criu_dir_name / "core-1.img", 100);
	expect_verify_fails(image, "criu/core-1.img fails its checksum");
	fs::resize_file(image / criu_dir_name / "core-1.img", 10);
	expect_verify_fails(image, "criu/core-1.img is 10 bytes, the manifest says 5000");
	write_all(image / criu_dir_name / "core-1.img", std::string(5000, 'c'));
	fs::remove(image / criu_dir_name / "pstree.img");
	expect_verify_fails(image, "criu/pstree.img is missing");
}

TEST_P(CheckpointImage, RefusesAManifestThatDoesNotMatchTheHeader)
{
	fs::path image = dir / "image";
	make_image(image);
	Manifest other = m;
	other.device.uuid = *parse_uuid("feedface-0000-4000-8000-000000000002");
	write_all(image / manifest_name, encode_manifest(other));
	expect_verify_fails(image, "its swap header has UUID feedface-0000-4000-8000-000000000001, the manifest says "
				   "feedface-0000-4000-8000-000000000002");
}

TEST_P(CheckpointImage, RefusesOtherVersionsAndUnfinishedImages)
{
	fs::path image = dir / "image";
	make_image(image);
	std::string text = read_all(image / manifest_name);
	auto at = text.find("\"version\": 1");
	ASSERT_NE(at, std::string::npos);
	text.replace(at, 12, "\"version\": 7");
	write_all(image / manifest_name, text);
	expect_verify_fails(image, "format version 7 is not one this swapns reads");
	fs::remove(image / manifest_name);
	expect_verify_fails(image, "has no manifest.json: not a checkpoint image, or one whose checkpoint did not finish");
}

TEST_P(CheckpointImage, NeverBuildsOverAnExistingDirectory)
{
	fs::path image = dir / "image";
	fs::create_directories(image);
	write_all(image / "something", "x");
	auto partial = create_partial_image(image);
	ASSERT_FALSE(partial.ok());
	EXPECT_EQ(partial.error().errnum(), EEXIST);
	EXPECT_NE(partial.error().message().find("exists and is not an empty directory"), std::string::npos);
	// An empty one is taken over by the rename.
	fs::remove(image / "something");
	make_image(image);
	EXPECT_TRUE(fs::exists(image / manifest_name));
}

TEST_P(CheckpointImage, AnAbandonedPartialImageIsNoImage)
{
	fs::path image = dir / "image";
	auto partial = create_partial_image(image);
	ASSERT_TRUE(partial.ok());
	EXPECT_FALSE(fs::exists(image));
	auto v = verify_image(partial->dir);
	EXPECT_FALSE(v.ok());
	remove_partial_image(*partial);
	EXPECT_FALSE(fs::exists(partial->dir));
}

INSTANTIATE_TEST_SUITE_P(IoUringAndSync, CheckpointImage, ::testing::Values(true, false),
			 [](const auto& info) { return info.param ? "io_uring" : "sync"; });

// The copy engine's own refusals.
TEST(ChunkCopy, ReportsATruncatedSourceWithTheFileAndOffset)
{
	fs::path path = fs::path(SWAPNS_TEST_DISK_DIR) / ("chunk-copy-" + std::to_string(::getpid()));
	write_all(path, std::string(3 * page, 'x'));
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	for (bool uring : {true, false}) {
		ChunkCopyOptions o;
		o.allow_io_uring = uring;
		std::vector<ChunkPlan> plan{{{{0, 2 * page}}, {}}, {{{2 * page, 2 * page}}, {}}};
		auto r = copy_chunks({fd.get(), "src"}, {}, plan, [](size_t, std::span<const char>) -> Result<bool> { return true; }, o);
		ASSERT_FALSE(r.ok());
		EXPECT_EQ(r.error().errnum(), EIO);
		EXPECT_NE(r.error().message().find("src ends at byte 12288"), std::string::npos) << r.error().message();
	}
	fs::remove(path);
}

TEST(ChunkCopy, StopsAtTheCallbacksErrorWithoutWritingThatChunk)
{
	fs::path path = fs::path(SWAPNS_TEST_DISK_DIR) / ("chunk-copy-cb-" + std::to_string(::getpid()));
	fs::path out = path.string() + ".out";
	write_all(path, std::string(4 * page, 'y'));
	UniqueFd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
	for (bool uring : {true, false}) {
		write_all(out, std::string(4 * page, '\0'));
		UniqueFd o(::open(out.c_str(), O_WRONLY | O_CLOEXEC));
		ChunkCopyOptions opts;
		opts.allow_io_uring = uring;
		opts.chunks_in_flight = 1; // in order: chunk 0 is written before chunk 1 is read
		std::vector<ChunkPlan> plan;
		for (uint64_t c = 0; c < 4; c++)
			plan.push_back({{{c * page, page}}, {{c * page, page}}});
		auto r = copy_chunks({in.get(), "in"}, {o.get(), "out"}, plan,
				     [](size_t c, std::span<const char>) -> Result<bool> {
					     if (c == 1)
						     return Error::refusal(EIO, "chunk 1 is bad");
					     return true;
				     },
				     opts);
		ASSERT_FALSE(r.ok());
		EXPECT_EQ(r.error().message(), "chunk 1 is bad");
		std::string got = read_all(out);
		EXPECT_EQ(got.substr(0, page), std::string(page, 'y'));
		EXPECT_EQ(got.substr(page), std::string(3 * page, '\0')) << "written past the refused chunk";
	}
	fs::remove(path);
	fs::remove(out);
}

TEST(ChunkCopy, RefusesUnalignedOrUnevenPlans)
{
	auto cb = [](size_t, std::span<const char>) -> Result<bool> { return true; };
	auto r = copy_chunks({-1, "a"}, {-1, "b"}, {{{{100, page}}, {}}}, cb);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().errnum(), EINVAL);
	r = copy_chunks({-1, "a"}, {-1, "b"}, {{{{0, page}}, {{0, 2 * page}}}}, cb);
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message().find("reads and writes differ in size"), std::string::npos);
}

TEST(ChunkCopy, CancelsBeforeStarting)
{
	std::atomic<bool> cancel{true};
	ChunkCopyOptions o;
	o.cancel = &cancel;
	for (bool uring : {true, false}) {
		o.allow_io_uring = uring;
		auto r = copy_chunks({0, "a"}, {}, {{{{0, page}}, {}}},
				     [](size_t, std::span<const char>) -> Result<bool> { return true; }, o);
		ASSERT_FALSE(r.ok());
		EXPECT_EQ(r.error().errnum(), ECANCELED);
	}
}
