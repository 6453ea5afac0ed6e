// Errors as values: an errno plus what was being done, and Result<T> holding a value or one.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace swapns {

class Error {
public:
	// errnum 0 means the error did not come from a system call (e.g. malformed input).
	Error(int errnum, std::string context) : errnum_(errnum), context_(std::move(context)) {}

	static Error from_errno(std::string context) { return Error(errno, std::move(context)); }
	// A refusal whose text says all there is: what is wrong and what to do. The errnum is kept
	// for callers that branch on it, but not spelled out after the text (": File exists" after
	// "a.swap exists; pass --force to replace it" only repeats it).
	static Error refusal(int errnum, std::string explanation)
	{
		Error e(errnum, std::move(explanation));
		e.explained_ = true;
		return e;
	}

	int errnum() const { return errnum_; }
	const std::string& context() const { return context_; }
	// "context: strerror(errnum)", or just the context when errnum is 0 or for a refusal.
	std::string message() const;

private:
	int errnum_;
	std::string context_;
	bool explained_ = false;
};

template <typename T>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::move(value)) {}
	Result(Error error) : v_(std::move(error)) {}

	bool ok() const { return v_.index() == 0; }
	explicit operator bool() const { return ok(); }
	T& value() & { return std::get<0>(v_); }
	const T& value() const& { return std::get<0>(v_); }
	T&& value() && { return std::get<0>(std::move(v_)); }
	const Error& error() const { return std::get<1>(v_); }
	T* operator->() { return &value(); }
	const T* operator->() const { return &value(); }
	T& operator*() & { return value(); }
	const T& operator*() const& { return value(); }

private:
	std::variant<T, Error> v_;
};

} // namespace swapns
