#include "protocol/wire/wire_frame.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hakto::protocol::wire {

namespace {

constexpr std::array<std::string_view, max_frame_type + 1> type_names = {
    "",    "hello", "auth",      "refuse",  "begin",  "data",
    "end", "ack",   "heartbeat", "service", "cancel", "sealed"};

/// The payload a frame of type `t` may carry: a sealed frame, one other frame and its seal.
constexpr std::size_t payload_limit(std::uint8_t t) noexcept {
    return t == static_cast<std::uint8_t>(frame_type::sealed) ? max_sealed_payload : max_payload;
}

// --- writing --------------------------------------------------------------------------------

class writer {
  public:
    explicit writer(std::vector<std::uint8_t>& out) : out_(out) {}
    void u8(std::uint8_t v) { out_.push_back(v); }
    void u32(std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) out_.push_back(static_cast<std::uint8_t>(v >> s));
    }
    void u64(std::uint64_t v) {
        for (int s = 56; s >= 0; s -= 8) out_.push_back(static_cast<std::uint8_t>(v >> s));
    }
    void str(std::string_view s) {
        u8(static_cast<std::uint8_t>(s.size()));
        out_.insert(out_.end(), s.begin(), s.end());
    }
    void bytes(std::span<const std::uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }

  private:
    std::vector<std::uint8_t>& out_;
};

void payload(writer& w, const hello& h) {
    w.str(h.station);
    w.u8(h.version);
    w.u8(static_cast<std::uint8_t>(h.kind));
    w.u32(h.capabilities);
    w.bytes(h.nonce);
}
void payload(writer& w, const auth& a) {
    w.bytes(a.mac);
}
void payload(writer& w, const refuse& r) {
    w.str(r.reason);
}
void payload(writer& w, const begin& b) {
    w.u32(b.serial);
    w.u8(b.precedence);
    w.u8(static_cast<std::uint8_t>((b.resend ? 1 : 0) | (b.encrypted ? 2 : 0)));
    w.u64(b.key_position);
    w.u32(b.length);
    w.u64(static_cast<std::uint64_t>(b.filed_ns));
    w.str(b.label);
    w.str(b.origin);
    w.u8(static_cast<std::uint8_t>(b.addressees.size()));
    for (const auto& a : b.addressees) w.str(a);
}
void payload(writer& w, const data& d) {
    w.u32(d.serial);
    w.u32(d.offset);
    w.u32(static_cast<std::uint32_t>(d.codes.size()));
    w.bytes(d.codes);
}
void payload(writer& w, const end& e) {
    w.u32(e.serial);
    w.u32(e.length);
    w.u64(e.checksum);
}
void payload(writer& w, const ack& a) {
    w.u32(a.serial);
    w.u32(a.printed);
    w.u8(a.stored ? 1 : 0);
}
void payload(writer& w, const heartbeat& h) {
    w.u64(h.sequence);
}
void payload(writer& w, const service& s) {
    w.u8(static_cast<std::uint8_t>(s.kind));
    w.u32(s.first);
    w.u32(s.last);
    w.str(s.text);
}
void payload(writer& w, const cancel& c) {
    w.u32(c.serial);
    w.str(c.text);
}
void payload(writer& w, const sealed& s) {
    w.u64(s.seq);
    w.bytes(s.body);
}

// --- reading --------------------------------------------------------------------------------

class reader {
  public:
    reader(std::span<const std::uint8_t> in, std::string frame)
        : in_(in), frame_(std::move(frame)) {}

    [[nodiscard]] const std::optional<wire_error>& error() const noexcept { return error_; }

    std::uint8_t u8(std::string_view field) {
        if (!need(1, field)) return 0;
        return in_[pos_++];
    }
    std::uint32_t u32(std::string_view field) {
        if (!need(4, field)) return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | in_[pos_++];
        return v;
    }
    std::uint64_t u64(std::string_view field) {
        if (!need(8, field)) return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | in_[pos_++];
        return v;
    }
    std::string str(std::string_view field, std::size_t max, bool printable = true) {
        std::size_t n = u8(field);
        if (error_) return {};
        if (n > max) {
            fail(wire_error_kind::field_invalid,
                 fmt::format("field '{}': {} bytes, at most {}", field, n, max));
            return {};
        }
        if (!need(n, field)) return {};
        std::string s(reinterpret_cast<const char*>(in_.data() + pos_), n);
        pos_ += n;
        if (printable &&
            !std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
            fail(wire_error_kind::field_invalid,
                 fmt::format("field '{}': not printable ASCII", field));
        return s;
    }
    template <std::size_t N>
    void bytes(std::array<std::uint8_t, N>& out, std::string_view field) {
        if (!need(N, field)) return;
        std::copy_n(in_.begin() + static_cast<std::ptrdiff_t>(pos_), N, out.begin());
        pos_ += N;
    }
    void fail(wire_error_kind k, std::string reason) {
        if (!error_) error_ = wire_error{k, frame_, std::move(reason)};
    }
    void finish() {
        if (!error_ && pos_ != in_.size())
            fail(wire_error_kind::trailing,
                 fmt::format("{} bytes after the last field", in_.size() - pos_));
    }
    std::span<const std::uint8_t> take(std::size_t n, std::string_view field) {
        if (!need(n, field)) return {};
        auto s = in_.subspan(pos_, n);
        pos_ += n;
        return s;
    }

  private:
    bool need(std::size_t n, std::string_view field) {
        if (error_) return false;
        if (in_.size() - pos_ < n) {
            fail(wire_error_kind::truncated, fmt::format("payload ends inside field '{}'", field));
            return false;
        }
        return true;
    }
    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
    std::string frame_;
    std::optional<wire_error> error_;
};

bool station_id_ok(std::string_view s) {
    return !s.empty() && s.size() <= max_station_id && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
}

std::optional<std::string> check(const hello& h) {
    if (!station_id_ok(h.station)) return "field 'station': 1 to 16 capital letters or figures";
    if (h.kind != role::station && h.kind != role::relay)
        return "field 'role': must be 1 (station) or 2 (relay)";
    if (h.version == 0) return "field 'version': 0 is not a version";
    return std::nullopt;
}
std::optional<std::string> check(const auth&) {
    return std::nullopt;
}
std::optional<std::string> check(const refuse& r) {
    if (r.reason.size() > max_text)
        return fmt::format("field 'reason': at most {} bytes", max_text);
    return std::nullopt;
}
std::optional<std::string> check(const begin& b) {
    if (b.serial == 0) return "field 'serial': channel serials start at 1";
    if (b.precedence > 4) return "field 'precedence': 0 (ROUTINE) to 4 (EMERGENCY COMMAND)";
    if (b.length == 0 || b.length > max_message_codes)
        return fmt::format("field 'length': 1 to {} codes", max_message_codes);
    if (b.label.empty() || b.label.size() > max_label)
        return fmt::format("field 'label': 1 to {} bytes", max_label);
    if (!station_id_ok(b.origin)) return "field 'origin': 1 to 16 capital letters or figures";
    if (b.addressees.empty() || b.addressees.size() > max_addressees)
        return fmt::format("field 'addressees': 1 to {}", max_addressees);
    for (const auto& a : b.addressees)
        if (a.empty() || a.size() > max_addressee || !std::all_of(a.begin(), a.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            }))
            return "field 'addressees': routing indicators of 1 to 8 capital letters or figures";
    return std::nullopt;
}
std::optional<std::string> check(const data& d) {
    if (d.serial == 0) return "field 'serial': channel serials start at 1";
    if (d.codes.empty() || d.codes.size() > max_codes_per_frame)
        return fmt::format("field 'codes': 1 to {} codes", max_codes_per_frame);
    if (std::uint64_t{d.offset} + d.codes.size() > max_message_codes)
        return "field 'offset': past the longest message";
    for (std::size_t i = 0; i < d.codes.size(); ++i)
        if (d.codes[i] > 0x1F)
            return fmt::format("field 'codes': code {} is 0x{:02X}, not a 5-bit code", i,
                               d.codes[i]);
    return std::nullopt;
}
std::optional<std::string> check(const end& e) {
    if (e.serial == 0) return "field 'serial': channel serials start at 1";
    if (e.length > max_message_codes) return "field 'length': past the longest message";
    return std::nullopt;
}
std::optional<std::string> check(const ack& a) {
    if (a.serial == 0) return "field 'serial': channel serials start at 1";
    return std::nullopt;
}
std::optional<std::string> check(const heartbeat&) {
    return std::nullopt;
}
std::optional<std::string> check(const service& s) {
    if (s.kind != service_kind::repeat_request) return "field 'kind': unknown service message";
    if (s.first == 0 || s.last < s.first) return "field 'first'/'last': a range of serials from 1";
    if (s.text.size() > max_text) return fmt::format("field 'text': at most {} bytes", max_text);
    return std::nullopt;
}
std::optional<std::string> check(const cancel& c) {
    if (c.serial == 0) return "field 'serial': channel serials start at 1";
    if (c.text.size() > max_text) return fmt::format("field 'text': at most {} bytes", max_text);
    return std::nullopt;
}
std::optional<std::string> check(const sealed& s) {
    constexpr std::size_t least = 1 + seal_tag_size, most = 1 + max_payload + seal_tag_size;
    if (s.body.size() < least || s.body.size() > most)
        return fmt::format(
            "field 'body': {} bytes, {} to {} (the inner type, its payload, the tag)",
            s.body.size(), least, most);
    return std::nullopt;
}

template <class T>
expected<frame, wire_error> checked(T value, reader& r, const char* name) {
    r.finish();
    if (r.error()) return *r.error();
    if (auto bad = check(value)) return wire_error{wire_error_kind::field_invalid, name, *bad};
    return frame{std::move(value)};
}

expected<frame, wire_error> decode_payload(std::uint8_t type, std::span<const std::uint8_t> p) {
    std::string name{type_names[type]};
    reader r(p, name);
    switch (static_cast<frame_type>(type)) {
        case frame_type::hello: {
            hello h;
            h.station = r.str("station", max_station_id);
            h.version = r.u8("version");
            h.kind = static_cast<role>(r.u8("role"));
            h.capabilities = r.u32("capabilities");
            r.bytes(h.nonce, "nonce");
            return checked(std::move(h), r, "hello");
        }
        case frame_type::auth: {
            auth a;
            r.bytes(a.mac, "mac");
            return checked(a, r, "auth");
        }
        case frame_type::refuse: {
            refuse f;
            f.reason = r.str("reason", max_text);
            return checked(std::move(f), r, "refuse");
        }
        case frame_type::begin: {
            begin b;
            b.serial = r.u32("serial");
            b.precedence = r.u8("precedence");
            auto flags = r.u8("flags");
            if (flags & ~3u) r.fail(wire_error_kind::field_invalid, "field 'flags': unknown bits");
            b.resend = flags & 1;
            b.encrypted = flags & 2;
            b.key_position = r.u64("key_position");
            b.length = r.u32("length");
            b.filed_ns = static_cast<std::int64_t>(r.u64("filed"));
            b.label = r.str("label", max_label);
            b.origin = r.str("origin", max_station_id);
            std::size_t n = r.u8("addressees");
            if (n > max_addressees)
                r.fail(wire_error_kind::field_invalid,
                       fmt::format("field 'addressees': {}, at most {}", n, max_addressees));
            for (std::size_t i = 0; i < n && !r.error(); ++i)
                b.addressees.push_back(r.str("addressee", max_addressee));
            return checked(std::move(b), r, "begin");
        }
        case frame_type::data: {
            data d;
            d.serial = r.u32("serial");
            d.offset = r.u32("offset");
            std::size_t n = r.u32("count");
            if (n > max_codes_per_frame)
                r.fail(wire_error_kind::field_invalid,
                       fmt::format("field 'count': {} codes, at most {}", n, max_codes_per_frame));
            auto codes = r.take(r.error() ? 0 : n, "codes");
            d.codes.assign(codes.begin(), codes.end());
            return checked(std::move(d), r, "data");
        }
        case frame_type::end: {
            end e;
            e.serial = r.u32("serial");
            e.length = r.u32("length");
            e.checksum = r.u64("checksum");
            return checked(e, r, "end");
        }
        case frame_type::ack: {
            ack a;
            a.serial = r.u32("serial");
            a.printed = r.u32("printed");
            auto flags = r.u8("flags");
            if (flags > 1) r.fail(wire_error_kind::field_invalid, "field 'flags': unknown bits");
            a.stored = flags == 1;
            return checked(a, r, "ack");
        }
        case frame_type::heartbeat: {
            heartbeat h;
            h.sequence = r.u64("sequence");
            return checked(h, r, "heartbeat");
        }
        case frame_type::service: {
            service s;
            s.kind = static_cast<service_kind>(r.u8("kind"));
            s.first = r.u32("first");
            s.last = r.u32("last");
            s.text = r.str("text", max_text);
            return checked(std::move(s), r, "service");
        }
        case frame_type::cancel: {
            cancel c;
            c.serial = r.u32("serial");
            c.text = r.str("text", max_text);
            return checked(std::move(c), r, "cancel");
        }
        case frame_type::sealed: {
            sealed s;
            s.seq = r.u64("seq");
            auto body = r.take(r.error() ? 0 : p.size() - 8, "body");
            s.body.assign(body.begin(), body.end());
            return checked(std::move(s), r, "sealed");
        }
    }
    return wire_error{wire_error_kind::unknown_type, "frame", fmt::format("frame type {}", type)};
}

/// Checks a header; returns the payload length.
expected<std::uint32_t, wire_error> read_header(std::span<const std::uint8_t> h) {
    if (h[0] != magic0 || h[1] != magic1)
        return wire_error{wire_error_kind::bad_magic, "frame",
                          fmt::format("magic is 0x{:02X}{:02X}, not 0x484B (\"HK\")", h[0], h[1])};
    std::string name =
        h[3] >= 1 && h[3] <= max_frame_type ? std::string{type_names[h[3]]} : std::string{"frame"};
    if (h[2] != protocol_version)
        return wire_error{
            wire_error_kind::bad_version, name,
            fmt::format("protocol version {}, this end speaks {}", h[2], protocol_version)};
    if (h[3] < 1 || h[3] > max_frame_type)
        return wire_error{wire_error_kind::unknown_type, "frame",
                          fmt::format("unknown frame type {}", h[3])};
    std::uint32_t n = (std::uint32_t{h[4]} << 24) | (std::uint32_t{h[5]} << 16) |
                      (std::uint32_t{h[6]} << 8) | h[7];
    if (n > payload_limit(h[3]))
        return wire_error{wire_error_kind::oversized, name,
                          fmt::format("payload of {} bytes, at most {}", n, payload_limit(h[3]))};
    return n;
}

}  // namespace

std::string frame_type_name(std::uint8_t t) {
    if (t >= 1 && t <= max_frame_type) return std::string{type_names[t]};
    return fmt::format("type {}", t);
}

frame_type type_of(const frame& f) noexcept {
    return static_cast<frame_type>(f.index() + 1);
}

std::string_view wire_error_kind_name(wire_error_kind k) noexcept {
    switch (k) {
        case wire_error_kind::bad_magic:
            return "bad magic";
        case wire_error_kind::bad_version:
            return "unsupported version";
        case wire_error_kind::unknown_type:
            return "unknown frame type";
        case wire_error_kind::oversized:
            return "oversized frame";
        case wire_error_kind::truncated:
            return "truncated frame";
        case wire_error_kind::trailing:
            return "trailing bytes";
        case wire_error_kind::field_invalid:
            return "field invalid";
        case wire_error_kind::buffer_full:
            return "buffer full";
    }
    return "error";
}

std::string wire_error::message() const {
    return fmt::format("{}: {}: {}", frame, wire_error_kind_name(kind), reason);
}

std::uint64_t codes_checksum(std::span<const std::uint8_t> codes) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (auto c : codes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void encode_to(const frame& f, std::vector<std::uint8_t>& out) {
    const std::size_t at = out.size();
    out.insert(out.end(), {magic0, magic1, protocol_version, static_cast<std::uint8_t>(type_of(f)),
                           0, 0, 0, 0});
    writer w(out);
    std::visit([&](const auto& v) { payload(w, v); }, f);
    const auto n = static_cast<std::uint32_t>(out.size() - at - header_size);
    for (int i = 0; i < 4; ++i)
        out[at + 4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
}

std::vector<std::uint8_t> encode(const frame& f) {
    std::vector<std::uint8_t> out;
    encode_to(f, out);
    return out;
}

expected<void, wire_error> validate(const frame& f) {
    auto bad = std::visit([](const auto& v) { return check(v); }, f);
    std::string name{type_names[f.index() + 1]};
    if (bad) return wire_error{wire_error_kind::field_invalid, name, *bad};
    // String fields are written with a one-byte length and read back as printable ASCII.
    std::vector<std::uint8_t> bytes;
    encode_to(f, bytes);
    if (bytes.size() - header_size > payload_limit(bytes[3]))
        return wire_error{wire_error_kind::oversized, name,
                          fmt::format("payload of {} bytes", bytes.size() - header_size)};
    auto back = decode(bytes);
    if (!back) return back.error();
    return outcome::success();
}

expected<frame, wire_error> decode(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < header_size)
        return wire_error{wire_error_kind::truncated, "frame",
                          fmt::format("{} bytes, a header is {}", bytes.size(), header_size)};
    auto n = read_header(bytes.first(header_size));
    if (!n) return n.error();
    if (bytes.size() < header_size + n.value())
        return wire_error{
            wire_error_kind::truncated, frame_type_name(bytes[3]),
            fmt::format("{} payload bytes of {}", bytes.size() - header_size, n.value())};
    if (bytes.size() > header_size + n.value())
        return wire_error{
            wire_error_kind::trailing, frame_type_name(bytes[3]),
            fmt::format("{} bytes after the frame", bytes.size() - header_size - n.value())};
    return decode_payload(bytes[3], bytes.subspan(header_size, n.value()));
}

decoder::decoder(std::size_t capacity) : capacity_(std::max(capacity, max_sealed_frame)) {
    buffer_.reserve(capacity_);
}

expected<void, wire_error> decoder::feed(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > room())
        return wire_error{wire_error_kind::buffer_full, "frame",
                          fmt::format("{} bytes fed, room for {}", bytes.size(), room())};
    if (start_ > 0 && buffer_.size() + bytes.size() > capacity_) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
        start_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    return outcome::success();
}

expected<std::optional<frame>, wire_error> decoder::next() {
    if (failed_)
        return wire_error{wire_error_kind::field_invalid, "frame", "the stream failed before"};
    auto held = std::span<const std::uint8_t>(buffer_).subspan(start_);
    if (held.size() < header_size) {
        // A bad magic or version shows in the first bytes: say so at once, not after 8.
        if (!held.empty() && held[0] != magic0) {
            failed_ = true;
            return wire_error{wire_error_kind::bad_magic, "frame",
                              fmt::format("first byte 0x{:02X}, not 0x48", held[0])};
        }
        return std::optional<frame>{};
    }
    auto n = read_header(held.first(header_size));
    if (!n) {
        failed_ = true;
        return n.error();
    }
    if (held.size() < header_size + n.value()) return std::optional<frame>{};
    auto f = decode_payload(held[3], held.subspan(header_size, n.value()));
    start_ += header_size + n.value();
    if (start_ == buffer_.size()) {
        buffer_.clear();
        start_ = 0;
    }
    if (!f) {
        failed_ = true;
        return f.error();
    }
    return std::optional<frame>{std::move(f.value())};
}

std::optional<std::uint8_t> decoder::partial_type() const noexcept {
    if (buffered() >= 4) return buffer_[start_ + 3];
    return std::nullopt;
}

}  // namespace hakto::protocol::wire
