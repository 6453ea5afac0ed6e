// The options swapns checkpoint and restore share: how CRIU is run, and how much is said.
#pragma once

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace swapns::cli {

// --criu-opt OPT (repeatable), --criu PROGRAM, -q/--quiet; @what names the CRIU action.
void add_criu_options(boost::program_options::options_description& options, const std::string& what);

struct CriuSettings {
	std::vector<std::string> options;
	std::string program;
	bool quiet = false;
};
CriuSettings criu_settings(const boost::program_options::variables_map& vm);

} // namespace swapns::cli
