#include "terminals/net/net_seal.hpp"

#include <limits>

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace hakto::terminals {

namespace wire = protocol::wire;

namespace seal_detail {
struct cipher_ctx {
    EVP_CIPHER_CTX* ctx = nullptr;
};
void cipher_ctx_deleter::operator()(cipher_ctx* c) const noexcept {
    if (c) EVP_CIPHER_CTX_free(c->ctx);
    delete c;
}
}  // namespace seal_detail

namespace {

constexpr std::string_view salt_label = "hakto-seal-1";
constexpr std::string_view client_to_server = "hakto-seal-1 client to server";
constexpr std::string_view server_to_client = "hakto-seal-1 server to client";
constexpr auto sealed_type = static_cast<std::uint8_t>(wire::frame_type::sealed);
constexpr int tag_size = static_cast<int>(wire::seal_tag_size);

/// The IV with the sequence number XORed into its last 8 bytes (big-endian), as TLS 1.3 does.
std::array<std::uint8_t, 12> nonce_for(const std::array<std::uint8_t, 12>& iv, std::uint64_t seq) {
    auto n = iv;
    for (std::size_t i = 0; i < 8; ++i) n[4 + i] ^= static_cast<std::uint8_t>(seq >> (56 - 8 * i));
    return n;
}

/// The additional data: the outer header as the codec writes it for a sealed frame with a body
/// of `body_size` bytes, then the sequence number.
std::array<std::uint8_t, 16> aad_for(std::size_t body_size, std::uint64_t seq) {
    const auto n = static_cast<std::uint32_t>(8 + body_size);
    std::array<std::uint8_t, 16> a{wire::magic0,
                                   wire::magic1,
                                   wire::protocol_version,
                                   sealed_type,
                                   static_cast<std::uint8_t>(n >> 24),
                                   static_cast<std::uint8_t>(n >> 16),
                                   static_cast<std::uint8_t>(n >> 8),
                                   static_cast<std::uint8_t>(n)};
    for (std::size_t i = 0; i < 8; ++i) a[8 + i] = static_cast<std::uint8_t>(seq >> (56 - 8 * i));
    return a;
}

seal_detail::cipher_ptr new_cipher(bool encrypt) {
    seal_detail::cipher_ptr p(new seal_detail::cipher_ctx);
    p->ctx = EVP_CIPHER_CTX_new();
    if (!p->ctx) return nullptr;
    const int ok =
        encrypt ? EVP_EncryptInit_ex(p->ctx, EVP_chacha20_poly1305(), nullptr, nullptr, nullptr)
                : EVP_DecryptInit_ex(p->ctx, EVP_chacha20_poly1305(), nullptr, nullptr, nullptr);
    if (ok != 1) return nullptr;
    return p;
}

void append_chars(std::vector<std::uint8_t>& v, std::string_view s) {
    v.insert(v.end(), s.begin(), s.end());
}

/// HKDF-SHA-256 (extract and expand) of 44 bytes: a key and an IV.
expected<direction_keys, seal_error> hkdf(const std::vector<std::uint8_t>& ikm,
                                          std::vector<std::uint8_t> salt,
                                          std::vector<std::uint8_t> info) {
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    EVP_KDF_CTX* kctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
    EVP_KDF_free(kdf);
    if (!kctx) return seal_error{seal_error_kind::failure, "sealing: OpenSSL has no HKDF"};
    char digest[] = "SHA256";
    std::vector<std::uint8_t> key = ikm;  // OSSL_PARAM takes a non-const pointer
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, key.data(), key.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt.data(), salt.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info.data(), info.size()),
        OSSL_PARAM_construct_end()};
    std::array<std::uint8_t, 44> okm{};
    const int ok = EVP_KDF_derive(kctx, okm.data(), okm.size(), params);
    EVP_KDF_CTX_free(kctx);
    OPENSSL_cleanse(key.data(), key.size());
    if (ok != 1) return seal_error{seal_error_kind::failure, "sealing: HKDF failed"};
    direction_keys out;
    std::copy_n(okm.begin(), out.key.size(), out.key.begin());
    std::copy_n(okm.begin() + static_cast<std::ptrdiff_t>(out.key.size()), out.iv.size(),
                out.iv.begin());
    OPENSSL_cleanse(okm.data(), okm.size());
    return out;
}

void cleanse(direction_keys& k) noexcept {
    OPENSSL_cleanse(k.key.data(), k.key.size());
    OPENSSL_cleanse(k.iv.data(), k.iv.size());
}

}  // namespace

expected<connection_keys, seal_error> derive_keys(const shared_key& key, auth_side side,
                                                  const handshake_facts& facts) {
    std::vector<std::uint8_t> salt;
    append_chars(salt, salt_label);
    salt.insert(salt.end(), facts.server_nonce.begin(), facts.server_nonce.end());
    salt.insert(salt.end(), facts.client_nonce.begin(), facts.client_nonce.end());
    std::array<std::uint8_t, 32> hash{};
    unsigned int hash_len = 0;
    if (EVP_Digest(facts.transcript.data(), facts.transcript.size(), hash.data(), &hash_len,
                   EVP_sha256(), nullptr) != 1)
        return seal_error{seal_error_kind::failure, "sealing: SHA-256 failed"};
    auto info = [&](std::string_view label) {
        std::vector<std::uint8_t> v;
        append_chars(v, label);
        v.insert(v.end(), hash.begin(), hash.end());
        // Ids with their lengths, so that no two (client, server) pairs give the same bytes.
        v.push_back(static_cast<std::uint8_t>(facts.client_id.size()));
        append_chars(v, facts.client_id);
        v.push_back(static_cast<std::uint8_t>(facts.server_id.size()));
        append_chars(v, facts.server_id);
        return v;
    };
    auto c2s = hkdf(key.bytes(), salt, info(client_to_server));
    if (!c2s) return c2s.error();
    auto s2c = hkdf(key.bytes(), salt, info(server_to_client));
    if (!s2c) return s2c.error();
    connection_keys k;
    k.out = side == auth_side::client ? c2s.value() : s2c.value();
    k.in = side == auth_side::client ? s2c.value() : c2s.value();
    cleanse(c2s.value());
    cleanse(s2c.value());
    return k;
}

frame_sealer::frame_sealer(const direction_keys& keys) : keys_(keys), ctx_(new_cipher(true)) {}
frame_sealer::~frame_sealer() {
    cleanse(keys_);
}
frame_sealer::frame_sealer(frame_sealer&&) noexcept = default;
frame_sealer& frame_sealer::operator=(frame_sealer&&) noexcept = default;

expected<wire::sealed, seal_error> frame_sealer::seal(const wire::frame& f) {
    if (!ctx_) return seal_error{seal_error_kind::failure, "sealing: no cipher context"};
    if (std::holds_alternative<wire::sealed>(f))
        return seal_error{seal_error_kind::malformed,
                          "sealing: a sealed frame is not sealed again"};
    if (seq_ == std::numeric_limits<std::uint64_t>::max())
        return seal_error{seal_error_kind::exhausted,
                          "sealing: 2^64 frames sent on this connection, no numbers left"};
    plain_.clear();
    wire::encode_to(f, plain_);
    const std::size_t payload = plain_.size() - wire::header_size;
    if (payload > wire::max_payload)
        return seal_error{
            seal_error_kind::malformed,
            fmt::format("sealing: a payload of {} bytes, at most {}", payload, wire::max_payload)};
    wire::sealed s;
    s.seq = seq_;
    s.body.resize(1 + payload + wire::seal_tag_size);
    const auto nonce = nonce_for(keys_.iv, seq_);
    const auto aad = aad_for(s.body.size(), seq_);
    EVP_CIPHER_CTX* c = ctx_->ctx;
    int len = 0;
    const bool ok =
        EVP_EncryptInit_ex(c, nullptr, nullptr, keys_.key.data(), nonce.data()) == 1 &&
        EVP_EncryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
        EVP_EncryptUpdate(c, s.body.data(), &len, plain_.data() + 3, 1) == 1 &&
        (payload == 0 ||
         EVP_EncryptUpdate(c, s.body.data() + 1, &len, plain_.data() + wire::header_size,
                           static_cast<int>(payload)) == 1) &&
        EVP_EncryptFinal_ex(c, s.body.data() + 1 + payload, &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, tag_size, s.body.data() + 1 + payload) == 1;
    OPENSSL_cleanse(plain_.data(), plain_.size());
    if (!ok) return seal_error{seal_error_kind::failure, "sealing: the cipher failed"};
    ++seq_;
    return s;
}

frame_opener::frame_opener(const direction_keys& keys) : keys_(keys), ctx_(new_cipher(false)) {}
frame_opener::~frame_opener() {
    cleanse(keys_);
}
frame_opener::frame_opener(frame_opener&&) noexcept = default;
frame_opener& frame_opener::operator=(frame_opener&&) noexcept = default;

expected<wire::frame, seal_error> frame_opener::open(const wire::sealed& s) {
    if (failed_)
        return seal_error{seal_error_kind::failure, "sealed frame: the connection failed before"};
    if (!ctx_) {
        failed_ = true;
        return seal_error{seal_error_kind::failure, "sealed frame: no cipher context"};
    }
    constexpr std::size_t least = 1 + wire::seal_tag_size;
    if (s.body.size() < least || s.body.size() > least + wire::max_payload) {
        failed_ = true;
        return seal_error{seal_error_kind::malformed,
                          fmt::format("sealed frame malformed: a body of {} bytes", s.body.size())};
    }
    const std::size_t payload = s.body.size() - least;
    plain_.assign(wire::header_size + payload, 0);
    const auto nonce = nonce_for(keys_.iv, s.seq);
    const auto aad = aad_for(s.body.size(), s.seq);
    EVP_CIPHER_CTX* c = ctx_->ctx;
    // The tag is read, never written, through this pointer.
    auto* tag = const_cast<std::uint8_t*>(s.body.data() + 1 + payload);
    int len = 0;
    const bool ran =
        EVP_DecryptInit_ex(c, nullptr, nullptr, keys_.key.data(), nonce.data()) == 1 &&
        EVP_DecryptUpdate(c, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(c, plain_.data() + 3, &len, s.body.data(), 1) == 1 &&
        (payload == 0 || EVP_DecryptUpdate(c, plain_.data() + wire::header_size, &len,
                                           s.body.data() + 1, static_cast<int>(payload)) == 1) &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, tag_size, tag) == 1;
    if (!ran) {
        failed_ = true;
        return seal_error{seal_error_kind::failure, "sealed frame: the cipher failed"};
    }
    if (EVP_DecryptFinal_ex(c, plain_.data() + wire::header_size + payload, &len) != 1) {
        failed_ = true;
        OPENSSL_cleanse(plain_.data(), plain_.size());
        return seal_error{seal_error_kind::tampered,
                          fmt::format("sealed frame tampered: authentication tag wrong (seq {}, "
                                      "{} bytes)",
                                      s.seq, s.body.size())};
    }
    if (s.seq != seq_) {
        failed_ = true;
        OPENSSL_cleanse(plain_.data(), plain_.size());
        if (s.seq < seq_)
            return seal_error{seal_error_kind::replayed,
                              fmt::format("sealed frame replayed or reordered: seq {}, expected {}",
                                          s.seq, seq_)};
        const auto missing = s.seq - seq_;
        return seal_error{
            seal_error_kind::dropped,
            fmt::format(
                "sealed frame dropped or reordered: seq {}, expected {} ({} frame{} missing)",
                s.seq, seq_, missing, missing == 1 ? "" : "s")};
    }
    ++seq_;
    if (plain_[3] == sealed_type) {
        failed_ = true;
        return seal_error{seal_error_kind::malformed, "sealed frame: a sealed frame inside it"};
    }
    plain_[0] = wire::magic0;
    plain_[1] = wire::magic1;
    plain_[2] = wire::protocol_version;
    const auto n = static_cast<std::uint32_t>(payload);
    for (std::size_t i = 0; i < 4; ++i)
        plain_[4 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
    auto f = wire::decode(plain_);
    OPENSSL_cleanse(plain_.data(), plain_.size());
    if (!f) {
        failed_ = true;
        return seal_error{seal_error_kind::malformed,
                          fmt::format("sealed frame: inside it, {}", f.error().message())};
    }
    return std::move(f.value());
}

expected<frame_seals, seal_error> make_seals(const shared_key& key, auth_side side,
                                             const handshake_facts& facts) {
    auto k = derive_keys(key, side, facts);
    if (!k) return k.error();
    frame_seals seals{frame_sealer(k.value().out), frame_opener(k.value().in)};
    cleanse(k.value().out);
    cleanse(k.value().in);
    return seals;
}

}  // namespace hakto::terminals
