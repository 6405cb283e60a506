#pragma once
// Sealed frames (docs/wire-protocol.md, "Handshake and authentication"): on a connection whose
// two ends share a key, every frame after the handshake travels inside a `sealed` frame
// (protocol/wire/wire_frame.hpp), encrypted and authenticated with ChaCha20-Poly1305 (OpenSSL
// EVP).
//
//  * Keys: one a direction, fresh on every connection. HKDF-SHA-256 (EVP_KDF) with the shared key
//    as input key material, salt = "hakto-seal-1" | listener's nonce | dialler's nonce, and info =
//    the direction's label | SHA-256 of both hellos as sent | both station ids: 32 bytes of key
//    and a 12-byte IV for each direction. The hellos in the derivation bind what they said
//    (capabilities, roles) to the keys: a hello altered on the path gives the two ends different
//    keys, and the first sealed frame fails.
//  * Sequence: a 64-bit number a direction, from 0, sent in clear. The nonce is the IV XOR the
//    number (as TLS 1.3 does), so no nonce repeats under one key.
//  * Additional data: the outer 8-byte header and the sequence number, so that neither can be
//    altered.
//  * Checks on receipt, in order: the tag (else "tampered"), then the number against the next
//    expected one ("replayed or reordered" when lower, "dropped or reordered" when higher: the
//    number was authentic, so the frame is the peer's, out of its place). After a failure the
//    opener refuses everything: the connection is to be closed.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/text/expected.hpp"
#include "protocol/wire/wire_frame.hpp"
#include "terminals/net/net_auth.hpp"

namespace hakto::terminals {

enum class seal_error_kind : std::uint8_t {
    tampered,   ///< the tag does not verify: altered, forged, or sealed under other keys
    replayed,   ///< an authentic frame whose number is lower than the next expected
    dropped,    ///< an authentic frame whose number is higher: one or more before it are missing
    malformed,  ///< the opened frame is not a frame this end takes inside a seal
    exhausted,  ///< 2^64 frames sent: no more numbers (the connection must be renewed)
    failure,    ///< OpenSSL refused an operation
};

struct seal_error {
    seal_error_kind kind = seal_error_kind::failure;
    std::string message;
};

/// The key and IV of one direction of one connection.
struct direction_keys {
    std::array<std::uint8_t, 32> key{};
    std::array<std::uint8_t, 12> iv{};
};

/// Both directions' keys, as one end sees them.
struct connection_keys {
    direction_keys out;  ///< what this end seals
    direction_keys in;   ///< what it opens
};

/// What of the handshake goes into the keys.
struct handshake_facts {
    nonce server_nonce{};  ///< the listener's
    nonce client_nonce{};  ///< the dialler's
    std::string client_id, server_id;
    /// Both hellos, as encoded (the dialler's, then the listener's).
    std::vector<std::uint8_t> transcript;
};

/// The keys of `side` (the dialler is the client) for this connection.
expected<connection_keys, seal_error> derive_keys(const shared_key& key, auth_side side,
                                                  const handshake_facts& facts);

namespace seal_detail {
struct cipher_ctx;
struct cipher_ctx_deleter {
    void operator()(cipher_ctx* c) const noexcept;
};
using cipher_ptr = std::unique_ptr<cipher_ctx, cipher_ctx_deleter>;
}  // namespace seal_detail

/// The sending half: seals frames in order.
class frame_sealer {
  public:
    explicit frame_sealer(const direction_keys& keys);
    ~frame_sealer();
    frame_sealer(frame_sealer&&) noexcept;
    frame_sealer& operator=(frame_sealer&&) noexcept;

    /// `f` (not itself sealed; fields within their bounds) as the next sealed frame.
    expected<protocol::wire::sealed, seal_error> seal(const protocol::wire::frame& f);
    /// The number the next frame gets.
    [[nodiscard]] std::uint64_t next_seq() const noexcept { return seq_; }

  private:
    direction_keys keys_;
    seal_detail::cipher_ptr ctx_;
    std::uint64_t seq_ = 0;
    std::vector<std::uint8_t> plain_;  // the inner frame's bytes, reused
};

/// The receiving half: opens frames in order, once each.
class frame_opener {
  public:
    explicit frame_opener(const direction_keys& keys);
    ~frame_opener();
    frame_opener(frame_opener&&) noexcept;
    frame_opener& operator=(frame_opener&&) noexcept;

    /// The frame inside `s`, or why it is refused (and every later one with it).
    expected<protocol::wire::frame, seal_error> open(const protocol::wire::sealed& s);
    /// The number the next frame must have.
    [[nodiscard]] std::uint64_t next_seq() const noexcept { return seq_; }

  private:
    direction_keys keys_;
    seal_detail::cipher_ptr ctx_;
    std::uint64_t seq_ = 0;
    bool failed_ = false;
    std::vector<std::uint8_t> plain_;  // header, inner type, inner payload, reused
};

/// Both halves of one end of a connection.
struct frame_seals {
    frame_sealer out;
    frame_opener in;
};

/// The seals of `side` for this connection (derive_keys, then one sealer and one opener).
expected<frame_seals, seal_error> make_seals(const shared_key& key, auth_side side,
                                             const handshake_facts& facts);

}  // namespace hakto::terminals
