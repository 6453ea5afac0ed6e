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

inline CliRun run_cli(const std::vector<std::string>& args)
{
	std::ostringstream out, err;
	cli::Environment env{ProcFs(SWAPNS_FIXTURES "/proc"), out, err};
	int code = cli::run(args, env);
	return {code, out.str(), err.str()};
}

} // namespace swapns::test
