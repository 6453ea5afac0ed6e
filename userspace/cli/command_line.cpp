#include "command_line.hpp"

namespace swapns::cli {

namespace po = boost::program_options;

CommandSyntax::CommandSyntax(std::string name_, std::string usage_)
	: name(std::move(name_)), usage(std::move(usage_))
{
	options.add_options()("help,h", "show this help")("version,V", "show the version of swapns");
}

CommandSyntax& CommandSyntax::argument(const char* arg_name, const po::value_semantic* value,
				       int max_count)
{
	arguments.add_options()(arg_name, value);
	positional.add(arg_name, max_count);
	return *this;
}

std::optional<int> parse_command_line(const CommandSyntax& syntax,
				      const std::vector<std::string>& args, Environment& env,
				      po::variables_map& vm)
{
	po::options_description all;
	all.add(syntax.options).add(syntax.arguments);
	try {
		// A positional description even without arguments, so that stray words are errors.
		po::store(po::command_line_parser(args).options(all).positional(syntax.positional).run(),
			  vm);
		po::notify(vm);
	} catch (const po::error& e) {
		env.err << "swapns " << syntax.name << ": " << e.what() << "; run 'swapns "
			<< syntax.name << " --help'\n";
		return exit_usage;
	}
	if (vm.count("help")) {
		env.out << syntax.usage << "\n" << syntax.options << syntax.epilogue;
		return exit_ok;
	}
	if (vm.count("version")) {
		env.out << "swapns " SWAPNS_VERSION "\n";
		return exit_ok;
	}
	return std::nullopt;
}

std::optional<int> kill_child_signal(const boost::program_options::variables_map& vm,
				     const std::string& command, Environment& env)
{
	if (!vm.count("kill-child"))
		return 0;
	const auto& text = vm["kill-child"].as<std::string>();
	auto sig = parse_signal(text);
	if (!sig)
		env.err << "swapns " << command << ": --kill-child '" << text
			<< "' is not a signal (e.g. TERM, SIGKILL, 9)\n";
	return sig;
}

} // namespace swapns::cli
