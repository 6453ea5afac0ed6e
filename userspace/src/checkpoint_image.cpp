#include "swapns/checkpoint_image.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "swapns/sha256.hpp"
#include "swapns/swap_header.hpp"

namespace swapns::checkpoint {

namespace fs = std::filesystem;

std::vector<ChunkPlan> data_plan(const Manifest& m, PlanDirection direction)
{
	std::vector<ChunkPlan> plan;
	const uint64_t page = m.page_size;
	uint64_t data_pos = 0; // bytes of the data file planned so far
	auto area_side = [&](ChunkPlan& c) -> std::vector<FileExtent>& {
		return direction == PlanDirection::scatter ? c.writes : c.reads;
	};
	auto add = [](std::vector<FileExtent>& v, uint64_t offset, uint64_t bytes) {
		if (!v.empty() && v.back().offset + v.back().bytes == offset)
			v.back().bytes += bytes; // contiguous on that side: one extent
		else
			v.push_back({offset, bytes});
	};
	for (const auto& run : m.data_runs) {
		uint64_t slot = run.first, left = run.count;
		while (left) {
			if (data_pos % m.chunk_bytes == 0)
				plan.emplace_back();
			ChunkPlan& c = plan.back();
			uint64_t room = (m.chunk_bytes - data_pos % m.chunk_bytes) / page;
			uint64_t n = std::min(left, room);
			if (direction == PlanDirection::read_data) {
				add(c.reads, data_pos, n * page);
			} else {
				add(area_side(c), slot * page, n * page);
				add(direction == PlanDirection::gather ? c.writes : c.reads, data_pos, n * page);
			}
			data_pos += n * page;
			slot += n;
			left -= n;
		}
	}
	return plan;
}

namespace {

Error sys_error(const std::string& what, const fs::path& path)
{
	return Error::from_errno(what + " " + path.string());
}

Result<bool> fsync_fd(int fd, const fs::path& path)
{
	if (::fsync(fd) < 0)
		return sys_error("syncing", path);
	return true;
}

Result<bool> fsync_path(const fs::path& path, int flags)
{
	UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC | O_NOFOLLOW));
	if (!fd.valid())
		return sys_error("opening", path);
	return fsync_fd(fd.get(), path);
}

// Lists the entries of directory @fd (not "." or ".."), by name, each with its stat.
Result<std::map<std::string, struct stat>> list_dir(int fd, const fs::path& path)
{
	int dup = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dup < 0)
		return sys_error("opening", path);
	DIR* d = ::fdopendir(dup);
	if (!d) {
		::close(dup);
		return sys_error("listing", path);
	}
	std::map<std::string, struct stat> out;
	errno = 0;
	while (struct dirent* e = ::readdir(d)) {
		std::string name = e->d_name;
		if (name == "." || name == "..")
			continue;
		struct stat st{};
		if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			auto err = sys_error("examining", path / name);
			::closedir(d);
			return err;
		}
		out.emplace(name, st);
	}
	int saved = errno;
	::closedir(d);
	if (saved)
		return Error(saved, "listing " + path.string());
	return out;
}

// The checksum of a whole file, read through @fd.
Result<std::string> hash_file(int fd, const fs::path& path)
{
	Sha256 h;
	std::vector<char> buf(1 << 20);
	for (off_t at = 0;;) {
		ssize_t n = ::pread(fd, buf.data(), buf.size(), at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sys_error("reading", path);
		if (n == 0)
			break;
		h.update({buf.data(), static_cast<size_t>(n)});
		at += n;
	}
	return h.hex_digest();
}

std::string chunk_name(const Manifest& m, size_t chunk)
{
	ChunkExtent e = chunk_extent(m, chunk);
	return "chunk " + std::to_string(chunk) + " (bytes " + std::to_string(e.data_offset) + "-" +
	       std::to_string(e.data_offset + e.bytes - 1) + " of " + std::string(data_name) + ", slots " +
	       std::to_string(e.first_slot) + "-" + std::to_string(e.last_slot) + ")";
}

} // namespace

Result<PartialImage> create_partial_image(const fs::path& final_dir)
{
	fs::path target = final_dir.has_filename() ? final_dir : final_dir.parent_path();
	struct stat st{};
	if (::lstat(target.c_str(), &st) == 0) {
		std::error_code ec;
		if (!S_ISDIR(st.st_mode) || !fs::is_empty(target, ec))
			return Error::refusal(EEXIST, target.string() + " exists and is not an empty directory; "
								  "give a new directory for the image");
	} else if (errno != ENOENT) {
		return sys_error("examining", target);
	}
	fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
	std::string templ = (parent / ("." + target.filename().string() + ".partial-XXXXXX")).string();
	if (!::mkdtemp(templ.data()))
		return sys_error("creating a directory in", parent);
	PartialImage image{templ, target, UniqueFd(::open(templ.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))};
	// Held as long as the image is being built: swapns checkpoint --recover leaves a partial
	// image alone (and its container frozen) while its checkpoint still runs.
	if (!image.dir_fd.valid() || ::flock(image.dir_fd.get(), LOCK_EX | LOCK_NB) != 0 ||
	    ::mkdirat(image.dir_fd.get(), std::string(criu_dir_name).c_str(), 0700) < 0) {
		auto err = sys_error("preparing", image.dir);
		remove_partial_image(image);
		return err;
	}
	return image;
}

Result<std::vector<CriuFile>> describe_criu_files(const PartialImage& image)
{
	fs::path dir = image.dir / criu_dir_name;
	UniqueFd dfd(::openat(image.dir_fd.get(), std::string(criu_dir_name).c_str(),
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (!dfd.valid())
		return sys_error("opening", dir);
	auto entries = list_dir(dfd.get(), dir);
	if (!entries)
		return entries.error();
	std::vector<CriuFile> files;
	for (const auto& [name, st] : *entries) {
		if (!S_ISREG(st.st_mode))
			return Error::refusal(EINVAL, (dir / name).string() +
							      " is not a regular file; a checkpoint image holds only CRIU's files");
		UniqueFd fd(::openat(dfd.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
		if (!fd.valid())
			return sys_error("opening", dir / name);
		auto sum = hash_file(fd.get(), dir / name);
		if (!sum)
			return sum.error();
		files.push_back({name, static_cast<uint64_t>(st.st_size), *sum});
	}
	return files; // std::map: by name, as the manifest orders them
}

Result<bool> commit_image(PartialImage& image, const Manifest& manifest)
{
	std::string text = encode_manifest(manifest);
	fs::path path = image.dir / manifest_name;
	{
		UniqueFd fd(::openat(image.dir_fd.get(), std::string(manifest_name).c_str(),
				     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
		if (!fd.valid())
			return sys_error("creating", path);
		for (size_t put = 0; put < text.size();) {
			ssize_t n = ::write(fd.get(), text.data() + put, text.size() - put);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return sys_error("writing", path);
			put += static_cast<size_t>(n);
		}
		if (auto r = fsync_fd(fd.get(), path); !r)
			return r;
	}
	// Everything else the image holds, then the directories, then the rename that makes it
	// an image, then the directory that records the rename.
	for (const auto& f : manifest.criu_files)
		if (auto r = fsync_path(image.dir / criu_dir_name / f.name, O_RDONLY); !r)
			return r;
	if (manifest.device.storage == Storage::copied)
		if (auto r = fsync_path(image.dir / data_name, O_RDONLY); !r)
			return r;
	if (auto r = fsync_path(image.dir / criu_dir_name, O_RDONLY | O_DIRECTORY); !r)
		return r;
	if (auto r = fsync_fd(image.dir_fd.get(), image.dir); !r)
		return r;
	if (::rename(image.dir.c_str(), image.final_dir.c_str()) < 0)
		return Error::from_errno("renaming " + image.dir.string() + " to " + image.final_dir.string());
	image.dir = image.final_dir;
	fs::path parent = image.final_dir.parent_path().empty() ? fs::path(".") : image.final_dir.parent_path();
	if (auto r = fsync_path(parent, O_RDONLY | O_DIRECTORY); !r)
		return r;
	return true;
}

void remove_partial_image(const PartialImage& image)
{
	std::error_code ec;
	fs::remove_all(image.dir, ec);
}

Result<Manifest> read_manifest(const fs::path& dir)
{
	fs::path path = dir / manifest_name;
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	if (!fd.valid()) {
		if (errno == ENOENT)
			return Error::refusal(ENOENT, dir.string() + " has no " + std::string(manifest_name) +
							      ": not a checkpoint image, or one whose checkpoint did not finish");
		return sys_error("opening", path);
	}
	struct stat st{};
	if (::fstat(fd.get(), &st) < 0)
		return sys_error("examining", path);
	if (!S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) > max_manifest_bytes)
		return Error::refusal(EINVAL, path.string() + " is not a regular file of at most " +
						      std::to_string(max_manifest_bytes) + " bytes");
	std::string text(static_cast<size_t>(st.st_size), '\0');
	for (size_t got = 0; got < text.size();) {
		ssize_t n = ::pread(fd.get(), text.data() + got, text.size() - got, static_cast<off_t>(got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sys_error("reading", path);
		if (n == 0) {
			text.resize(got);
			break;
		}
		got += static_cast<size_t>(n);
	}
	auto m = decode_manifest(text);
	if (!m)
		return Error::refusal(m.error().errnum(), path.string() + ": " + m.error().message());
	return m;
}

namespace {

Result<bool> verify_criu_files(const fs::path& dir, const Manifest& m)
{
	fs::path cdir = dir / criu_dir_name;
	UniqueFd dfd(::open(cdir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	if (!dfd.valid())
		return sys_error("opening", cdir);
	auto entries = list_dir(dfd.get(), cdir);
	if (!entries)
		return entries.error();
	for (const auto& entry : *entries) {
		const std::string& name = entry.first;
		bool listed = std::any_of(m.criu_files.begin(), m.criu_files.end(),
					  [&](const CriuFile& f) { return f.name == name; });
		if (!listed)
			return Error::refusal(EINVAL, (cdir / name).string() + " is not in the manifest: the image "
									       "was changed after the checkpoint");
	}
	for (const auto& f : m.criu_files) {
		fs::path path = cdir / f.name;
		auto it = entries->find(f.name);
		if (it == entries->end())
			return Error::refusal(EINVAL, path.string() + " is missing");
		if (!S_ISREG(it->second.st_mode))
			return Error::refusal(EINVAL, path.string() + " is not a regular file");
		if (static_cast<uint64_t>(it->second.st_size) != f.size)
			return Error::refusal(EIO, path.string() + " is " + std::to_string(it->second.st_size) +
							   " bytes, the manifest says " + std::to_string(f.size));
		UniqueFd fd(::openat(dfd.get(), f.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
		if (!fd.valid())
			return sys_error("opening", path);
		auto sum = hash_file(fd.get(), path);
		if (!sum)
			return sum.error();
		if (*sum != f.sha256)
			return Error::refusal(EIO, path.string() + " fails its checksum");
	}
	return true;
}

Result<bool> verify_data(const fs::path& dir, const Manifest& m, const VerifyOptions& options)
{
	fs::path path = dir / data_name;
	if (m.device.storage == Storage::in_place) {
		struct stat st{};
		if (::lstat(path.c_str(), &st) == 0)
			return Error::refusal(EINVAL, path.string() + " exists, but the manifest says the swapfile "
								      "moves in place and the image carries no data");
		return true;
	}
	// O_DIRECT where the filesystem takes it: a verification should read the disk, not what
	// the page cache kept from writing it.
	UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_DIRECT));
	if (!fd.valid() && errno == EINVAL)
		fd = UniqueFd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	if (!fd.valid()) {
		if (errno == ENOENT)
			return Error::refusal(EIO, path.string() + " is missing: " + chunk_name(m, 0) + " onward");
		return sys_error("opening", path);
	}
	struct stat st{};
	if (::fstat(fd.get(), &st) < 0)
		return sys_error("examining", path);
	uint64_t want = m.data_bytes();
	if (!S_ISREG(st.st_mode))
		return Error::refusal(EINVAL, path.string() + " is not a regular file");
	if (static_cast<uint64_t>(st.st_size) < want) {
		size_t first_missing = static_cast<size_t>(static_cast<uint64_t>(st.st_size) / m.chunk_bytes);
		return Error::refusal(EIO, path.string() + " is " + std::to_string(st.st_size) +
						   " bytes, the manifest says " + std::to_string(want) + ": " +
						   chunk_name(m, first_missing) + " onward is missing");
	}
	if (static_cast<uint64_t>(st.st_size) > want)
		return Error::refusal(EIO, path.string() + " is " + std::to_string(st.st_size) +
						   " bytes, longer than the " + std::to_string(want) + " the manifest says");

	// Every chunk is checked; the first bad one (by position) is the one reported.
	std::vector<size_t> bad;
	std::string header_problem;
	auto check = [&](size_t chunk, std::span<const char> data) -> Result<bool> {
		if (sha256_hex(data) != m.chunk_sha256[chunk]) {
			bad.push_back(chunk);
			return true;
		}
		if (chunk == 0) {
			auto h = decode_swap_header(data.first(m.page_size));
			if (!h)
				header_problem = "its first page is not a swap header (" + h.error().message() + ")";
			else if (h->uuid != m.device.uuid)
				header_problem = "its swap header has UUID " + format_uuid(h->uuid) + ", the manifest says " +
						 format_uuid(m.device.uuid);
			else if (uint64_t{h->last_page} + 1 != m.device.pages)
				header_problem = "its swap header is for " + std::to_string(uint64_t{h->last_page} + 1) +
						 " pages, the manifest says " + std::to_string(m.device.pages);
		}
		return true;
	};
	auto r = copy_chunks({fd.get(), path.string()}, {}, data_plan(m, PlanDirection::read_data), check,
			     options.copy);
	if (!r)
		return r.error();
	if (!bad.empty()) {
		std::sort(bad.begin(), bad.end());
		std::string more = bad.size() > 1 ? " (" + std::to_string(bad.size()) + " chunks fail)" : "";
		return Error::refusal(EIO, path.string() + ": " + chunk_name(m, bad.front()) + " fails its checksum" + more);
	}
	if (!header_problem.empty())
		return Error::refusal(EINVAL, path.string() + ": " + header_problem);
	return true;
}

} // namespace

Result<Manifest> verify_image(const fs::path& dir, const VerifyOptions& options)
{
	auto m = read_manifest(dir);
	if (!m)
		return m.error();
	if (auto r = verify_criu_files(dir, *m); !r)
		return r.error();
	if (auto r = verify_data(dir, *m, options); !r)
		return r.error();
	return m;
}

} // namespace swapns::checkpoint
