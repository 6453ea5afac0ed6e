// libFuzzer target for the readers of checkpoint images, which take root-equivalent input
// from wherever the image came from. The first byte chooses what is fuzzed:
//   0: decode_manifest() on the rest;
//   1: verify_image() on a directory made from the rest: a 4-byte little-endian length N,
//      N bytes of manifest.json, then swap.data (an empty criu/ beside them).
// A decoded manifest must encode and decode back to itself.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "swapns/checkpoint_image.hpp"

using namespace swapns::checkpoint;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const char* data, size_t size)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out.write(data, static_cast<std::streamsize>(size));
}

const fs::path& image_dir()
{
	static const fs::path dir = [] {
		fs::path d = fs::temp_directory_path() / ("swapns-fuzz-" + std::to_string(::getpid()));
		fs::create_directories(d / criu_dir_name);
		return d;
	}();
	return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
	if (size < 1)
		return 0;
	const char* rest = reinterpret_cast<const char*>(data + 1);
	size_t rest_size = size - 1;
	if (data[0] == 0) {
		auto m = decode_manifest({rest, rest_size});
		if (m) {
			auto again = decode_manifest(encode_manifest(*m));
			if (!again || again->tasks != m->tasks || again->data_runs != m->data_runs ||
			    again->criu_files != m->criu_files || again->chunk_sha256 != m->chunk_sha256)
				std::abort(); // the encoding lost something
		}
		return 0;
	}
	if (data[0] != 1 || rest_size < 4)
		return 0;
	uint32_t n = uint32_t(data[1]) | uint32_t(data[2]) << 8 | uint32_t(data[3]) << 16 | uint32_t(data[4]) << 24;
	if (n > rest_size - 4)
		return 0;
	const fs::path& dir = image_dir();
	write_file(dir / manifest_name, rest + 4, n);
	write_file(dir / data_name, rest + 4 + n, rest_size - 4 - n);
	VerifyOptions o;
	o.copy.allow_io_uring = false; // a ring per input would dominate the run
	(void)verify_image(dir, o);
	return 0;
}
