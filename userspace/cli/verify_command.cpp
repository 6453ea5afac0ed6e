// swapns verify [--json] DIR: check a checkpoint image against its manifest (every checksum,
// the swap header, nothing missing or added) and say what it holds.
#include "cli.hpp"
#include "command_line.hpp"
#include "human_size.hpp"

#include "swapns/checkpoint_image.hpp"

#include <nlohmann/json.hpp>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

struct HeldPages {
	uint64_t pages = 0;
	uint64_t zero = 0;
};

HeldPages count_held(const checkpoint::Manifest& m)
{
	HeldPages h;
	for (const auto& t : m.tasks)
		for (const auto& r : t.runs) {
			h.pages += r.count;
			if (r.flags & checkpoint::held_zero)
				h.zero += r.count;
		}
	return h;
}

uint64_t criu_bytes(const checkpoint::Manifest& m)
{
	uint64_t n = 0;
	for (const auto& f : m.criu_files)
		n += f.size;
	return n;
}

} // namespace

int verify_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax(
		"verify",
		"usage: swapns verify [--json] DIR\n\n"
		"Check the checkpoint image in DIR (made by 'swapns checkpoint'): the manifest, every\n"
		"checksum of the swap data and of CRIU's files, the swapfile's header, and that nothing\n"
		"is missing or was added. Exits 0 if the image is intact, 1 naming the first problem.\n");
	syntax.options.add_options()
		("json,J", po::bool_switch(), "describe the image in JSON")
		("bytes,b", po::bool_switch(), "print sizes in bytes");
	syntax.argument("dir", po::value<std::string>(), 1);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (!vm.count("dir")) {
		env.err << "swapns verify: no image directory given; run 'swapns verify --help'\n";
		return exit_usage;
	}
	std::string dir = vm["dir"].as<std::string>();
	auto image = checkpoint::verify_image(dir);
	if (!image) {
		env.err << "swapns verify: " << dir << ": " << image.error().message() << "\n";
		return exit_failure;
	}
	const auto& m = *image;
	HeldPages held = count_held(m);
	bool copied = m.device.storage == checkpoint::Storage::copied;
	bool exact = vm["bytes"].as<bool>();
	if (vm["json"].as<bool>()) {
		nlohmann::json pids = nlohmann::json::array();
		for (const auto& t : m.tasks)
			pids.push_back(t.pid);
		nlohmann::json j = {
			{"image", dir},
			{"version", checkpoint::manifest_version},
			{"created", m.created},
			{"source_kernel", m.source_kernel},
			{"uuid", format_uuid(m.device.uuid)},
			{"label", m.device.label},
			{"size", m.device.pages * m.page_size},
			{"source_path", m.device.source_path},
			{"storage", copied ? "copied" : "in_place"},
			{"data_size", m.data_bytes()},
			{"chunks", m.chunk_sha256.size()},
			{"pids", pids},
			{"held_pages", held.pages},
			{"zero_pages", held.zero},
			{"criu_files", m.criu_files.size()},
			{"criu_size", criu_bytes(m)},
			{"intact", true},
		};
		env.out << j.dump(2) << "\n";
		return exit_ok;
	}
	env.out << dir << ": intact checkpoint image (format " << checkpoint::manifest_version << "), taken "
		<< m.created << " on " << m.source_kernel << "\n";
	env.out << "  swapfile  " << m.device.source_path << ", UUID " << format_uuid(m.device.uuid) << ", "
		<< size_text(m.device.pages * m.page_size, exact) << ", "
		<< (copied ? "copied: " + size_text(m.data_bytes(), exact) + " of used slots in " +
				     std::to_string(m.chunk_sha256.size()) + " chunks"
			   : std::string("moves in place (fence generation ") + std::to_string(m.device.generation) + ")")
		<< "\n";
	env.out << "  tasks     " << m.tasks.size() << ", " << held.pages << " pages held in swap ("
		<< held.zero << " of them zero)\n";
	env.out << "  criu      " << m.criu_files.size() << " files, " << size_text(criu_bytes(m), exact) << "\n";
	return exit_ok;
}

} // namespace swapns::cli
