// swapns mkswap FILE --size N [--label L] [--uuid U] [--force]: a swapfile the kernel accepts,
// laid out for the filesystem it is on (see swapfile_create.hpp).
#include "cli.hpp"
#include "command_line.hpp"
#include "cli_args.hpp"
#include "interrupt_scope.hpp"
#include "progress_line.hpp"

#include "swapns/parse.hpp"
#include "swapns/swapfile_create.hpp"

#include <boost/program_options.hpp>
#include <sys/swap.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <optional>

namespace swapns::cli {

namespace po = boost::program_options;

namespace {

struct Outcome {
	Result<CreatedSwapfile> made;
	bool interrupted;
};

// create_swapfile() with Ctrl-C and SIGTERM stopping it cleanly, a progress line on a terminal
// while zeros are written for more than a second, and a line saying why if that cannot be done
// with io_uring and O_DIRECT.
Outcome create_interruptibly(SwapfileRequest req, Environment& env)
{
	InterruptScope interrupt;
	ProgressLine progress(env.err, ::isatty(STDERR_FILENO) == 1, "swapns mkswap: writing zeros",
			      std::chrono::seconds(1));
	req.fill.cancel = &interrupt.flag();
	req.fill.progress = [&](uint64_t done, uint64_t total) { progress.update(done, total); };
	req.fill.on_fallback = [&](const std::string& message) {
		progress.clear();
		env.err << "swapns mkswap: " << message << "\n";
	};
	auto made = create_swapfile(req, static_cast<size_t>(::sysconf(_SC_PAGESIZE)));
	progress.clear();
	return {std::move(made), interrupt.interrupted()};
}

} // namespace

int mkswap_command(const std::vector<std::string>& args, Environment& env)
{
	CommandSyntax syntax(
		"mkswap",
		"usage: swapns mkswap FILE --size SIZE [--label LABEL] [--uuid UUID] [--force]\n"
		"                     [--priority P]\n\n"
		"Create a swapfile: a version-1 swap header as mkswap(8) writes it, every block\n"
		"allocated the way the filesystem needs, checked, and put in place atomically.\n");
	syntax.options.add_options()
		("size,s", po::value<std::string>(), "size, in bytes or with K, M, G, T (powers of 1024)")
		("label,L", po::value<std::string>()->default_value(""), "label, at most 16 bytes")
		("uuid,U", po::value<std::string>(), "UUID (default: random)")
		("force,f", "replace an existing file (never an active swap device)")
		// No -p: in mkswap(8), -p is --pagesize.
		("priority", po::value<std::string>(),
		 "then swap it on, in your swap namespace, with this priority (0..32767)");
	syntax.argument("file", po::value<std::vector<std::string>>(), -1);
	po::variables_map vm;
	if (auto done = parse_command_line(syntax, args, env, vm))
		return *done;
	if (!vm.count("file") || vm["file"].as<std::vector<std::string>>().size() != 1) {
		env.err << "swapns mkswap: name exactly one FILE to create\n";
		return exit_usage;
	}
	if (vm["file"].as<std::vector<std::string>>().front().empty()) {
		env.err << "swapns mkswap: the FILE name is empty\n";
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
			<< "' is not a size: use " << size_syntax << "\n";
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
	std::optional<int> swap_flags;
	if (vm.count("priority")) {
		swap_flags = parse_priority_flags(vm["priority"].as<std::string>());
		if (!swap_flags) {
			env.err << "swapns mkswap: --priority '" << vm["priority"].as<std::string>()
				<< "' is not a number from 0 to 32767\n";
			return exit_usage;
		}
	}

	auto [made, interrupted] = create_interruptibly(req, env);
	// Any failure after a signal is its doing (ECANCELED, or a call it cut short); a file
	// completed before the signal was noticed stays, as reported below.
	if (!made && interrupted) {
		env.err << "swapns mkswap: interrupted: " << req.path.string() << " was not created\n";
		return exit_interrupted;
	}
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
	if (swap_flags) {
		if (::swapon(req.path.c_str(), *swap_flags) != 0) {
			int err = errno;
			env.err << "swapns mkswap: swapon " << req.path.string() << ": " << std::strerror(err)
				<< (err == EPERM ? " (swapon needs CAP_SYS_ADMIN; the file is made, swap it on "
						   "as root)" : "; the file is made")
				<< "\n";
			return exit_failure;
		}
		env.out << "swapns mkswap: " << req.path.string() << " swapped on with priority "
			<< vm["priority"].as<std::string>() << "\n";
	}
	return exit_ok;
}

} // namespace swapns::cli
