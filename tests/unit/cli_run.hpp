// Runs the swapns command line in-process against the fixture /proc, capturing its output.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli.hpp"

namespace swapns::test {

struct CliRun {
	int code;
	std::string out;
	std::string err;
};

// proc_root: which fixture tree stands for /proc.
inline CliRun run_cli(const std::vector<std::string>& args, const std::string& proc_root = SWAPNS_FIXTURES "/proc")
{
	std::ostringstream out, err;
	cli::Environment env{ProcFs(proc_root), out, err};
	int code = cli::run(args, env);
	return {code, out.str(), err.str()};
}

} // namespace swapns::test
