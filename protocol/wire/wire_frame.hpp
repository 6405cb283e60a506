#pragma once
// The wire protocol between hakto stations and relays (docs/wire-protocol.md): typed,
// length-prefixed, versioned frames, and their codec. Pure: bytes in, values or typed errors
// out; no I/O, no clock.
//
// Every frame is an 8-byte header and a payload:
//
//   offset  size  field
//   0       2     magic "HK" (0x48 0x4B)
//   2       1     protocol version (1)
//   3       1     frame type (frame_type)
//   4       4     payload length, big-endian, at most max_payload
//   8       n     payload (layout per type; integers big-endian, strings u8 length + bytes)
//
// Every field is bounded (max_payload, max_codes_per_frame, max_addressees, …): a decoder never
// holds more than one frame and one read's worth of bytes, whatever a peer sends.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/text/expected.hpp"

namespace hakto::protocol::wire {

inline constexpr std::uint8_t magic0 = 0x48;  // 'H'
inline constexpr std::uint8_t magic1 = 0x4B;  // 'K'
inline constexpr std::uint8_t protocol_version = 1;
inline constexpr std::size_t header_size = 8;
inline constexpr std::size_t max_payload = 2048;
inline constexpr std::size_t max_frame = header_size + max_payload;
inline constexpr std::size_t max_codes_per_frame = 1024;
inline constexpr std::size_t max_station_id = 16;
inline constexpr std::size_t max_label = 64;
inline constexpr std::size_t max_addressees = 16;
inline constexpr std::size_t max_addressee = 8;  // a routing indicator: up to 8 letters
inline constexpr std::size_t max_text = 256;     // refuse reasons, service text
inline constexpr std::size_t nonce_size = 32;
inline constexpr std::size_t mac_size = 32;  // HMAC-SHA-256
/// The authentication tag of a sealed frame (Poly1305).
inline constexpr std::size_t seal_tag_size = 16;
/// What sealing adds to a frame's payload: the sequence number (8), the inner type (1), the tag.
inline constexpr std::size_t seal_overhead = 8 + 1 + seal_tag_size;
/// A sealed frame carries one frame of at most max_payload bytes of payload.
inline constexpr std::size_t max_sealed_payload = max_payload + seal_overhead;
inline constexpr std::size_t max_sealed_frame = header_size + max_sealed_payload;
/// A cable's length on the line, in codes (about 40 pages of page copy).
inline constexpr std::uint32_t max_message_codes = 1u << 20;

enum class frame_type : std::uint8_t {
    hello = 1,      ///< station id, protocol version, capabilities, nonce
    auth = 2,       ///< HMAC over both nonces (challenge-response)
    refuse = 3,     ///< the connection is refused or closed, with the reason
    begin = 4,      ///< start of a message: channel serial, precedence, label, addressees
    data = 5,       ///< line data: 5-bit codes of the message with its channel serial
    end = 6,        ///< end of message: the count and a checksum of the codes
    ack = 7,        ///< characters printed so far; the message stored (on disk)
    heartbeat = 8,  ///< nothing to say, still here
    service = 9,    ///< a service message: a repeat request (INT ZDK)
    cancel = 10,    ///< the message on the line is broken off for a higher precedence
    sealed = 11,    ///< any other frame, encrypted and authenticated (after the handshake)
};
inline constexpr std::uint8_t max_frame_type = 11;

/// "hello", "auth", …; "type 42" for an unknown value.
std::string frame_type_name(std::uint8_t t);

/// Capability bits of hello.
namespace capability {
inline constexpr std::uint32_t authenticate = 1u << 0;  ///< has a shared key: expects auth
inline constexpr std::uint32_t pacing = 1u << 1;        ///< sends at line speed
inline constexpr std::uint32_t crypto = 1u << 2;        ///< on-line encryption on the line
/// Puts line noise on what it sends: the receiving operator must watch for slips and walk
/// the key tape (without it the key is read in step, exactly).
inline constexpr std::uint32_t noise = 1u << 3;
inline constexpr std::uint32_t known = authenticate | pacing | crypto | noise;
}  // namespace capability

enum class role : std::uint8_t { station = 1, relay = 2 };

struct hello {
    std::string station;  ///< call sign: "WTE10"
    std::uint8_t version = protocol_version;
    role kind = role::station;
    std::uint32_t capabilities = 0;
    std::array<std::uint8_t, nonce_size> nonce{};
    friend bool operator==(const hello&, const hello&) = default;
};

struct auth {
    std::array<std::uint8_t, mac_size> mac{};
    friend bool operator==(const auth&, const auth&) = default;
};

struct refuse {
    std::string reason;
    friend bool operator==(const refuse&, const refuse&) = default;
};

/// Start of a message on a channel.
struct begin {
    std::uint32_t serial = 0;        ///< channel serial (FL1), 1 for the channel's first message
    std::uint8_t precedence = 0;     ///< protocol::precedence as a number
    bool resend = false;             ///< sent before, in full or in part
    bool encrypted = false;          ///< the codes are ciphertext (on-line Vernam)
    std::uint64_t key_position = 0;  ///< where the sender's key tape starts for this message
    std::uint32_t length = 0;        ///< codes that follow in data frames
    std::int64_t filed_ns = 0;       ///< filing time, ns since 1970-01-01T00:00:00Z
    std::string label;               ///< "HAKTO 12"
    std::string origin;              ///< station id
    std::vector<std::string> addressees;  ///< routing indicators
    friend bool operator==(const begin&, const begin&) = default;
};

/// Line data: codes [offset, offset + codes.size()) of the message with `serial`.
struct data {
    std::uint32_t serial = 0;
    std::uint32_t offset = 0;
    std::vector<std::uint8_t> codes;  ///< each 0..31
    friend bool operator==(const data&, const data&) = default;
};

struct end {
    std::uint32_t serial = 0;
    std::uint32_t length = 0;
    std::uint64_t checksum = 0;  ///< codes_checksum() of the codes
    friend bool operator==(const end&, const end&) = default;
};

struct ack {
    std::uint32_t serial = 0;
    std::uint32_t printed = 0;  ///< characters of the message printed (taken off the line) so far
    bool stored = false;        ///< the whole message is on disk: the sender may forget it
    friend bool operator==(const ack&, const ack&) = default;
};

struct heartbeat {
    std::uint64_t sequence = 0;
    friend bool operator==(const heartbeat&, const heartbeat&) = default;
};

enum class service_kind : std::uint8_t {
    /// INT ZDK: please send again the messages with serials [first, last] (ACP 127 operators'
    /// "INT ZDK <DTG>", protocol facts §1.12).
    repeat_request = 1,
};

struct service {
    service_kind kind = service_kind::repeat_request;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    std::string text;  ///< as an operator would send it: "INT ZDK 002-003"
    friend bool operator==(const service&, const service&) = default;
};

/// The message with `serial` is broken off: a FLASH or EMERGENCY COMMAND message pre-empts it
/// (ACP 127: the higher precedence interrupts the lower on the circuit, protocol facts §1.7). The
/// serial is used up: the receiver takes it as void (nothing of the broken copy is delivered)
/// and acknowledges it as stored once that is on its disk; the broken cable goes again later,
/// in full, under a new serial.
struct cancel {
    std::uint32_t serial = 0;
    std::string text;  ///< as an operator would send it: "001 BROKEN OFF: TO BE SENT AGAIN"
    friend bool operator==(const cancel&, const cancel&) = default;
};

/// Another frame, sealed (terminals/net/net_seal.hpp): on a connection with a shared key every
/// frame after the handshake travels inside one. The codec only frames it: `seq` in clear (so
/// that a receiver can tell a replayed or dropped frame from a tampered one), then `body`, the
/// ciphertext of (inner frame type u8, inner payload) and the tag. Its payload may be
/// max_sealed_payload bytes, seal_overhead more than any other frame's.
struct sealed {
    std::uint64_t seq = 0;           ///< this direction's sequence number, from 0
    std::vector<std::uint8_t> body;  ///< 1 + seal_tag_size to 1 + max_payload + seal_tag_size
    friend bool operator==(const sealed&, const sealed&) = default;
};

using frame =
    std::variant<hello, auth, refuse, begin, data, end, ack, heartbeat, service, cancel, sealed>;

frame_type type_of(const frame& f) noexcept;

enum class wire_error_kind : std::uint8_t {
    bad_magic,
    bad_version,
    unknown_type,
    oversized,      ///< payload length above max_payload
    truncated,      ///< the payload ends inside a field, or the bytes end inside a frame
    trailing,       ///< bytes left in the payload after the last field
    field_invalid,  ///< a field out of its range
    buffer_full,    ///< more bytes fed than the decoder holds
};

std::string_view wire_error_kind_name(wire_error_kind k) noexcept;

struct wire_error {
    wire_error_kind kind = wire_error_kind::bad_magic;
    std::string frame;   ///< the frame type's name when known, else "frame"
    std::string reason;  ///< "field 'station': 17 bytes, at most 16"
    /// "begin: field invalid: …"
    [[nodiscard]] std::string message() const;
};

/// FNV-1a (64-bit) over the codes: the end-of-message check.
std::uint64_t codes_checksum(std::span<const std::uint8_t> codes) noexcept;

/// The frame's bytes (header and payload). Precondition: every field within its bound
/// (validate() says which is not).
std::vector<std::uint8_t> encode(const frame& f);
/// Appends the frame's bytes to `out`.
void encode_to(const frame& f, std::vector<std::uint8_t>& out);
/// Checks every bound of a frame to be sent.
expected<void, wire_error> validate(const frame& f);

/// Exactly one frame from `bytes` (no more, no fewer).
expected<frame, wire_error> decode(std::span<const std::uint8_t> bytes);

/// An incremental decoder: feed it bytes as they come, take frames out.
class decoder {
  public:
    /// Holds at most `capacity` bytes not yet decoded (at least max_sealed_frame).
    explicit decoder(std::size_t capacity = 2 * max_frame);

    /// Adds bytes. Fails (and keeps nothing of them) if they would not fit: take frames out
    /// with next() first.
    expected<void, wire_error> feed(std::span<const std::uint8_t> bytes);
    /// The next whole frame, nullopt when more bytes are needed, or the error of the first bad
    /// frame (a stream is not resynchronised after an error: the connection is closed).
    expected<std::optional<frame>, wire_error> next();
    /// Bytes held, not yet decoded.
    [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size() - start_; }
    /// Room left for feed().
    [[nodiscard]] std::size_t room() const noexcept { return capacity_ - buffered(); }
    /// The type of the frame whose bytes have started, for an error at the end of the stream.
    [[nodiscard]] std::optional<std::uint8_t> partial_type() const noexcept;

  private:
    std::size_t capacity_;
    std::vector<std::uint8_t> buffer_;
    std::size_t start_ = 0;
    bool failed_ = false;
};

}  // namespace hakto::protocol::wire
