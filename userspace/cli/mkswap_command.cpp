// swapns mkswap FILE --size N [--label L] [--uuid U] [--force]: a swapfile the kernel accepts,
// laid out for the filesystem it is on (see swapfile_create.hpp).
#include "cli.hpp"

#include "swapns/swapfile_create.hpp"

#include <boost/program_options.hpp>
#include <unistd.h>

#include <charconv>
#include <optional>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

// "512M", "1G", "65536", "4KiB": bytes. Suffixes are powers of 1024.
std::optional<uint64_t> parse_size(const std::string& s)
{
	uint64_t n = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
	if (ec != std::errc() || end == s.data())
		return std::nullopt;
	std::string unit(end, s.data() + s.size());
	static const std::pair<const char*, unsigned> units[] = {
		{"", 0}, {"K", 10}, {"KiB", 10}, {"M", 20}, {"MiB", 20}, {"G", 30}, {"GiB", 30}, {"T", 40}, {"TiB", 40}};
	for (const auto& [name, shift] : units)
		if (unit == name) {
			if (shift && n > (UINT64_MAX >> shift))
				return std::nullopt;
			return n << shift;
		}
	return std::nullopt;
}

void usage(std::ostream& os, const po::options_description& opts)
{
	os << "usage: swapns mkswap FILE --size SIZE [--label LABEL] [--uuid UUID] [--force]\n\n"
	      "Create a swapfile: a version-1 swap header as mkswap(8) writes it, every block\n"
	      "allocated the way the filesystem needs, checked, and put in place atomically.\n\n"
	   << opts;
}

} // namespace

int mkswap_command(const std::vector<std::string>& args, Environment& env)
{
	po::options_description opts("options");
	opts.add_options()
		("help,h", "show this help")
		("size,s", po::value<std::string>(), "size, in bytes or with K, M, G, T (powers of 1024)")
		("label,L", po::value<std::string>()->default_value(""), "label, at most 16 bytes")
		("uuid,U", po::value<std::string>(), "UUID (default: random)")
		("force,f", "replace an existing file (never an active swap device)");
	po::options_description hidden;
	hidden.add_options()("file", po::value<std::vector<std::string>>());
	po::options_description all;
	all.add(opts).add(hidden);
	po::positional_options_description pos;
	pos.add("file", -1);

	po::variables_map vm;
	try {
		po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
		po::notify(vm);
	} catch (const po::error& e) {
		env.err << "swapns mkswap: " << e.what() << "; run 'swapns mkswap --help'\n";
		return exit_usage;
	}
	if (vm.count("help")) {
		usage(env.out, opts);
		return exit_ok;
	}
	if (!vm.count("file") || vm["file"].as<std::vector<std::string>>().size() != 1) {
		env.err << "swapns mkswap: name exactly one FILE to create\n";
		return exit_usage;
	}
	if (!vm.count("size")) {
		env.err << "swapns mkswap: --size is required, e.g. --size 512M\n";
		return exit_usage;
	}
	SwapfileRequest req;
	req.path = vm["file"].as<std::vector<std::string>>().front();
	auto size = parse_size(vm["size"].as<std::string>());
	if (!size) {
		env.err << "swapns mkswap: --size '" << vm["size"].as<std::string>()
			<< "' is not a size; use bytes or a number with K, M, G or T (e.g. 512M)\n";
		return exit_usage;
	}
	req.size = *size;
	req.label = vm["label"].as<std::string>();
	if (vm.count("uuid")) {
		auto uuid = parse_uuid(vm["uuid"].as<std::string>());
		if (!uuid) {
			env.err << "swapns mkswap: --uuid: " << uuid.error().message() << "\n";
			return exit_usage;
		}
		req.uuid = *uuid;
	}
	req.force = vm.count("force") > 0;

	auto page_size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
	auto made = create_swapfile(req, page_size);
	if (!made) {
		env.err << "swapns mkswap: " << made.error().message() << "\n";
		return made.error().errnum() == EINVAL || made.error().errnum() == EEXIST ? exit_usage
											 : exit_failure;
	}
	env.out << "swapns mkswap: " << req.path.string() << ": " << made->size / 1024 << " KiB on "
		<< made->strategy.filesystem << ", UUID " << format_uuid(made->uuid);
	if (!req.label.empty())
		env.out << ", label " << req.label;
	env.out << "\n";
	return exit_ok;
}

} // namespace swapns::cli
