#pragma once
// Authentication of stations by a shared key (--key-file): a challenge-response on hello.
//
// Each side puts a fresh 32-byte random nonce in its hello (OpenSSL RAND_bytes). The side that
// connected answers with auth = HMAC-SHA-256(key, "hakto-auth-1 client" | nonce of the listener
// | its own nonce | its id | the listener's id); the listener checks it (in constant time) and
// answers with its own HMAC over the same nonces under the label "hakto-auth-1 server", so
// both ends prove they hold the key. A recorded answer is worth nothing on a new connection:
// the listener's nonce is new each time (no replay).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/text/expected.hpp"
#include "protocol/wire/wire_frame.hpp"

namespace hakto::terminals {

using nonce = std::array<std::uint8_t, protocol::wire::nonce_size>;
using mac = std::array<std::uint8_t, protocol::wire::mac_size>;

struct auth_error {
    std::string message;
};

/// A shared key: the bytes of a file (a trailing newline is not part of it), at least 16.
class shared_key {
  public:
    /// The key in `path`. Refused when the file's mode lets its group or others read or write
    /// it (check_mode).
    static expected<shared_key, auth_error> from_file(const std::string& path);
    /// Fails, naming the file and its mode in octal, when any group or other permission bit is
    /// set: `key file /tmp/k: mode 0644 lets others read it; chmod 600 /tmp/k`.
    static expected<void, auth_error> check_mode(const std::string& path);
    static expected<shared_key, auth_error> from_bytes(std::string_view bytes);
    [[nodiscard]] const std::vector<std::uint8_t>& bytes() const noexcept { return key_; }

  private:
    std::vector<std::uint8_t> key_;
};

/// A fresh random nonce (OpenSSL's CSPRNG). Fails only if the generator cannot be seeded.
expected<nonce, auth_error> fresh_nonce();

enum class auth_side : std::uint8_t { client, server };

/// The answer of `side` for a connection from `client_id` to `server_id`.
mac auth_answer(const shared_key& key, auth_side side, const nonce& server_nonce,
                const nonce& client_nonce, std::string_view client_id, std::string_view server_id);

/// Constant-time comparison (CRYPTO_memcmp).
bool same_mac(const mac& a, const mac& b) noexcept;

}  // namespace hakto::terminals
