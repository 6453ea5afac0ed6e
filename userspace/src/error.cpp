#include "swapns/result.hpp"

#include <cstring>

namespace swapns {

std::string Error::message() const
{
	if (errnum_ == 0 || explained_)
		return context_;
	return context_ + ": " + std::strerror(errnum_);
}

} // namespace swapns
