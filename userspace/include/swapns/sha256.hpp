// SHA-256 (OpenSSL's libcrypto) for the checksums of checkpoint images.
#pragma once

#include <memory>
#include <span>
#include <string>

namespace swapns {

class Sha256 {
public:
	Sha256();
	~Sha256();
	Sha256(Sha256&&) noexcept;
	Sha256& operator=(Sha256&&) noexcept;

	void update(std::span<const char> bytes);
	// The digest as 64 lowercase hex digits; the object starts over.
	std::string hex_digest();

private:
	struct State;
	std::unique_ptr<State> state_;
};

// The digest of @bytes as 64 lowercase hex digits.
std::string sha256_hex(std::span<const char> bytes);

} // namespace swapns
