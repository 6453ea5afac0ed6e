// A checkpoint image directory (docs/checkpoint-image.md): manifest.json, swap.data (the used
// slots' pages, back to back) and criu/ (CRIU's images). Built in a hidden sibling directory
// and renamed into place when complete, so that an interrupted checkpoint never leaves a
// directory that looks like an image; verified before anything is restored from it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "swapns/checkpoint_manifest.hpp"
#include "swapns/chunk_copy.hpp"
#include "swapns/result.hpp"
#include "swapns/unique_fd.hpp"

namespace swapns::checkpoint {

// The chunks of the data file, each with the slots of the swap area it holds: from the area
// into the data file (checkpoint), from the data file into the area (restore), or the data
// file only (verify).
enum class PlanDirection { gather, scatter, read_data };
std::vector<ChunkPlan> data_plan(const Manifest& manifest, PlanDirection direction);

// Where a checkpoint is built: a new hidden directory next to @final (".NAME.partial-XXXXXX")
// with an empty criu/ in it, locked (flock on dir_fd) while it lives. EEXIST (refusal) if
// @final exists and is not an empty directory.
struct PartialImage {
	std::filesystem::path dir;
	std::filesystem::path final_dir;
	UniqueFd dir_fd;
};
Result<PartialImage> create_partial_image(const std::filesystem::path& final_dir);

// Lists criu/ of a partial image for the manifest: every entry must be a regular file (a
// subdirectory or link is refused, naming it), with its size and checksum.
Result<std::vector<CriuFile>> describe_criu_files(const PartialImage& image);

// Writes manifest.json, syncs every file and directory of the image, and renames it to its
// final name; after this returns, the image is complete on disk. On failure the partial
// directory is left for remove_partial_image().
Result<bool> commit_image(PartialImage& image, const Manifest& manifest);

// Removes a partial image and everything in it (a failed or rolled-back checkpoint).
void remove_partial_image(const PartialImage& image);

// Reads and decodes DIR/manifest.json. ENOENT (refusal) when there is none, with what that
// means: not an image, or one whose checkpoint never finished.
Result<Manifest> read_manifest(const std::filesystem::path& dir);

struct VerifyOptions {
	ChunkCopyOptions copy; // how the data file is read
};

// Checks everything the manifest says against the directory: every CRIU file present with its
// size and checksum and nothing else in criu/; the data file's size, every chunk's checksum
// (the first bad chunk named, with its bytes and slots) and its header page (the device's
// UUID and size). Refusals (errnum EINVAL, or EIO for checksums) say what is wrong.
Result<Manifest> verify_image(const std::filesystem::path& dir, const VerifyOptions& options = {});

} // namespace swapns::checkpoint
