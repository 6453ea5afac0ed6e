#include "criu_options.hpp"

namespace swapns::cli {

namespace po = boost::program_options;

void add_criu_options(po::options_description& options, const std::string& what)
{
	options.add_options()
		("criu-opt", po::value<std::vector<std::string>>(), ("a CRIU option for the " + what + ", as on its command line").c_str())
		("criu", po::value<std::string>()->default_value("criu"), "the criu program")
		("quiet,q", po::bool_switch(), "do not say what is being done");
}

CriuSettings criu_settings(const po::variables_map& vm)
{
	CriuSettings s;
	if (vm.count("criu-opt"))
		s.options = vm["criu-opt"].as<std::vector<std::string>>();
	s.program = vm["criu"].as<std::string>();
	s.quiet = vm["quiet"].as<bool>();
	return s;
}

} // namespace swapns::cli
