#include "swapns/sha256.hpp"

#include <openssl/evp.h>

#include <new>

namespace swapns {

struct Sha256::State {
	EVP_MD_CTX* ctx = nullptr;
	State()
	{
		ctx = EVP_MD_CTX_new();
		if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
			throw std::bad_alloc(); // libcrypto fails here only without memory
	}
	~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const char> bytes)
{
	EVP_DigestUpdate(state_->ctx, bytes.data(), bytes.size());
}

std::string Sha256::hex_digest()
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(state_->ctx, md, &len);
	EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr);
	static const char digits[] = "0123456789abcdef";
	std::string hex;
	hex.reserve(2 * len);
	for (unsigned int i = 0; i < len; i++) {
		hex.push_back(digits[md[i] >> 4]);
		hex.push_back(digits[md[i] & 15]);
	}
	return hex;
}

std::string sha256_hex(std::span<const char> bytes)
{
	Sha256 h;
	h.update(bytes);
	return h.hex_digest();
}

} // namespace swapns
