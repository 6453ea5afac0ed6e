// swapns: thin entry point; everything else lives in the library and cli/.
#include <iostream>

#include "cli.hpp"

int main(int argc, char** argv)
{
	swapns::cli::Environment env{swapns::ProcFs("/proc"), std::cout, std::cerr};
	int status = swapns::cli::run(std::vector<std::string>(argv + 1, argv + argc), env);
	if (env.end_signal) {
		std::cout.flush();
		swapns::cli::end_by_signal(env.end_signal);
	}
	return status;
}
