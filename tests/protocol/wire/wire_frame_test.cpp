// The wire protocol's frame codec: round trips, the incremental decoder, bounds and typed errors.
#include <catch2/catch.hpp>

#include "protocol/wire/wire_frame.hpp"

namespace wire = hakto::protocol::wire;

namespace {

std::vector<wire::frame> samples() {
    wire::hello h;
    h.station = "WTE10";
    h.kind = wire::role::relay;
    h.capabilities = wire::capability::authenticate | wire::capability::pacing;
    for (std::size_t i = 0; i < h.nonce.size(); ++i) h.nonce[i] = static_cast<std::uint8_t>(i * 7);
    wire::auth a;
    a.mac[0] = 0xAB;
    a.mac[31] = 0xCD;
    wire::begin b;
    b.serial = 12;
    b.precedence = 2;
    b.resend = true;
    b.encrypted = true;
    b.key_position = 123456789012ULL;
    b.length = 2000;
    b.filed_ns = -86400LL * 1'000'000'000LL;
    b.label = "HAKTO 12";
    b.origin = "WTE10";
    b.addressees = {"WTE", "RUEHC"};
    wire::data d;
    d.serial = 12;
    d.offset = 1000;
    d.codes = {0x1F, 0x00, 0x08, 0x02, 0x1B};
    wire::service s;
    s.first = 2;
    s.last = 3;
    s.text = "INT ZDK 002-003";
    return {h,
            a,
            wire::refuse{"authentication failed"},
            b,
            d,
            wire::end{12, 2000, 0x0123456789ABCDEFULL},
            wire::ack{12, 77, true},
            wire::heartbeat{99},
            s};
}

}  // namespace

TEST_CASE("wire frames round trip through encode and decode", "[wire]") {
    for (const auto& f : samples()) {
        INFO(wire::frame_type_name(static_cast<std::uint8_t>(wire::type_of(f))));
        REQUIRE(wire::validate(f));
        auto bytes = wire::encode(f);
        CHECK(bytes[0] == 'H');
        CHECK(bytes[1] == 'K');
        CHECK(bytes[2] == wire::protocol_version);
        CHECK(bytes[3] == static_cast<std::uint8_t>(wire::type_of(f)));
        auto back = wire::decode(bytes);
        REQUIRE(back);
        CHECK(back.value() == f);
    }
}

TEST_CASE("the header is magic version type and a big-endian length", "[wire]") {
    auto bytes = wire::encode(wire::heartbeat{0x0102030405060708ULL});
    REQUIRE(bytes.size() == 16);
    CHECK(bytes == std::vector<std::uint8_t>{0x48, 0x4B, 1, 8, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("the incremental decoder takes frames fed a byte at a time", "[wire]") {
    std::vector<std::uint8_t> stream;
    auto all = samples();
    for (const auto& f : all) wire::encode_to(f, stream);
    wire::decoder dec;
    std::vector<wire::frame> got;
    for (auto byte : stream) {
        REQUIRE(dec.feed(std::span(&byte, 1)));
        for (;;) {
            auto f = dec.next();
            REQUIRE(f);
            if (!f.value()) break;
            got.push_back(std::move(*f.value()));
        }
    }
    CHECK(got == all);
    CHECK(dec.buffered() == 0);
}

TEST_CASE("the incremental decoder takes many frames fed at once", "[wire]") {
    std::vector<std::uint8_t> stream;
    for (int i = 0; i < 20; ++i)
        wire::encode_to(wire::ack{static_cast<std::uint32_t>(i + 1), 5, false}, stream);
    wire::decoder dec;
    REQUIRE(dec.feed(stream));
    for (int i = 0; i < 20; ++i) {
        auto f = dec.next();
        REQUIRE(f);
        REQUIRE(f.value());
        CHECK(std::get<wire::ack>(*f.value()).serial == static_cast<std::uint32_t>(i + 1));
    }
    auto none = dec.next();
    REQUIRE(none);
    CHECK(!none.value());
}

TEST_CASE("garbage is refused at the first byte with a typed error", "[wire]") {
    wire::decoder dec;
    const std::string junk = "GET / HTTP/1.1\r\n\r\n";
    REQUIRE(dec.feed(std::span(reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size())));
    auto f = dec.next();
    REQUIRE(!f);
    CHECK(f.error().kind == wire::wire_error_kind::bad_magic);
    // A failed stream stays failed.
    CHECK(!dec.next());
}

TEST_CASE("an oversized frame is refused from its header alone", "[wire]") {
    std::vector<std::uint8_t> h{0x48, 0x4B, 1, 5, 0x7F, 0xFF, 0xFF, 0xFF};
    wire::decoder dec;
    REQUIRE(dec.feed(h));
    auto f = dec.next();
    REQUIRE(!f);
    CHECK(f.error().kind == wire::wire_error_kind::oversized);
    CHECK(f.error().frame == "data");
    CHECK(f.error().message().find("2147483647") != std::string::npos);
}

TEST_CASE("wrong versions and unknown types are named", "[wire]") {
    auto bytes = wire::encode(wire::heartbeat{1});
    bytes[2] = 2;
    auto v = wire::decode(bytes);
    REQUIRE(!v);
    CHECK(v.error().kind == wire::wire_error_kind::bad_version);
    CHECK(v.error().frame == "heartbeat");
    bytes[2] = 1;
    bytes[3] = 42;
    auto t = wire::decode(bytes);
    REQUIRE(!t);
    CHECK(t.error().kind == wire::wire_error_kind::unknown_type);
}

TEST_CASE("truncated frames and fields are errors naming the field", "[wire]") {
    for (const auto& f : samples()) {
        auto bytes = wire::encode(f);
        for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
            auto r = wire::decode(std::span(bytes).first(cut));
            REQUIRE(!r);
            CHECK(r.error().kind == wire::wire_error_kind::truncated);
        }
        // A payload whose declared length is short of its fields.
        if (bytes.size() > wire::header_size) {
            auto shorter = bytes;
            shorter.pop_back();
            auto n = static_cast<std::uint32_t>(shorter.size() - wire::header_size);
            shorter[7] = static_cast<std::uint8_t>(n & 0xFF);
            shorter[6] = static_cast<std::uint8_t>(n >> 8);
            auto r = wire::decode(shorter);
            REQUIRE(!r);
            CHECK(r.error().kind == wire::wire_error_kind::truncated);
            CHECK(r.error().reason.find("field '") != std::string::npos);
        }
    }
}

TEST_CASE("fields out of range are refused", "[wire]") {
    wire::data d;
    d.serial = 1;
    d.codes = {0x20};
    auto bytes = wire::encode(d);
    auto r = wire::decode(bytes);
    REQUIRE(!r);
    CHECK(r.error().kind == wire::wire_error_kind::field_invalid);
    CHECK(r.error().reason.find("5-bit") != std::string::npos);
    CHECK(!wire::validate(d));

    wire::hello h;
    h.station = "wte";
    CHECK(!wire::decode(wire::encode(h)));
    h.station = std::string(17, 'A');
    CHECK(!wire::validate(h));

    wire::begin b;
    b.serial = 0;
    b.length = 1;
    b.label = "X";
    b.origin = "A";
    b.addressees = {"B"};
    CHECK(!wire::decode(wire::encode(b)));
    b.serial = 1;
    CHECK(wire::decode(wire::encode(b)));
    b.addressees.clear();
    CHECK(!wire::decode(wire::encode(b)));

    // Extra bytes inside the payload.
    auto hb = wire::encode(wire::heartbeat{1});
    hb.push_back(0);
    hb[7] = 9;
    auto t = wire::decode(hb);
    REQUIRE(!t);
    CHECK(t.error().kind == wire::wire_error_kind::trailing);
}

TEST_CASE("the decoder holds a bounded number of bytes", "[wire]") {
    // At least one sealed frame of the largest size: a smaller capacity is raised to it.
    wire::decoder dec(wire::max_frame);
    CHECK(dec.room() == wire::max_sealed_frame);
    std::vector<std::uint8_t> big(wire::max_sealed_frame + 1, 0x48);
    auto r = dec.feed(big);
    REQUIRE(!r);
    CHECK(r.error().kind == wire::wire_error_kind::buffer_full);
    CHECK(dec.buffered() == 0);
}

TEST_CASE("a sealed frame: its number in clear, then a body of ciphertext and tag", "[wire]") {
    wire::sealed s;
    s.seq = 0x0102030405060708ULL;
    s.body.assign(17, 0xEE);  // the least: an inner type and a tag
    auto bytes = wire::encode(s);
    std::vector<std::uint8_t> want{0x48, 0x4B, 1, 11, 0, 0, 0, 25, 1, 2, 3, 4, 5, 6, 7, 8};
    want.insert(want.end(), 17, 0xEE);
    CHECK(bytes == want);
    auto back = wire::decode(bytes);
    REQUIRE(back);
    CHECK(back.value() == wire::frame{s});
    CHECK(wire::type_of(back.value()) == wire::frame_type::sealed);
    CHECK(wire::frame_type_name(11) == "sealed");
    CHECK(wire::frame_type_name(12) == "type 12");

    // Too short a body, or none at all.
    s.body.pop_back();
    CHECK(!wire::validate(s));
    auto small = wire::decode(wire::encode(s));
    REQUIRE(!small);
    CHECK(small.error().kind == wire::wire_error_kind::field_invalid);
    CHECK(small.error().frame == "sealed");
    auto cut =
        wire::decode(std::vector<std::uint8_t>{0x48, 0x4B, 1, 11, 0, 0, 0, 5, 1, 2, 3, 4, 5});
    REQUIRE(!cut);
    CHECK(cut.error().kind == wire::wire_error_kind::truncated);
    CHECK(cut.error().reason.find("'seq'") != std::string::npos);

    // The largest: any frame's largest payload and the seal; one byte more is refused from the
    // header alone. Other frames keep their own limit.
    s.body.assign(1 + wire::max_payload + wire::seal_tag_size, 1);
    REQUIRE(wire::validate(s));
    bytes = wire::encode(s);
    CHECK(bytes.size() == wire::max_sealed_frame);
    wire::decoder dec;
    REQUIRE(dec.feed(bytes));
    auto f = dec.next();
    REQUIRE(f);
    REQUIRE(f.value());
    CHECK(f.value().value() == wire::frame{s});
    std::vector<std::uint8_t> over{0x48, 0x4B, 1, 11, 0, 0, 0, 0};
    const auto n = static_cast<std::uint32_t>(wire::max_sealed_payload + 1);
    over[6] = static_cast<std::uint8_t>(n >> 8);
    over[7] = static_cast<std::uint8_t>(n & 0xFF);
    wire::decoder d2;
    REQUIRE(d2.feed(over));
    auto o = d2.next();
    REQUIRE(!o);
    CHECK(o.error().kind == wire::wire_error_kind::oversized);
    CHECK(o.error().message() == "sealed: oversized frame: payload of 2074 bytes, at most 2073");
    over[3] = 8;  // a heartbeat of 2049 bytes: past its own limit
    over[6] = 0x08;
    over[7] = 0x01;
    auto h = wire::decode(over);
    REQUIRE(!h);
    CHECK(h.error().kind == wire::wire_error_kind::oversized);
}

TEST_CASE("the end-of-message checksum is FNV-1a", "[wire]") {
    CHECK(wire::codes_checksum({}) == 0xcbf29ce484222325ULL);
    std::vector<std::uint8_t> a{1, 2, 3}, b{1, 3, 2};
    CHECK(wire::codes_checksum(a) != wire::codes_checksum(b));
}
