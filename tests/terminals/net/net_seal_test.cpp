// Sealed frames (terminals/net/net_seal.hpp): the keys as documented (checked against OpenSSL's
// other HKDF interface), the frame as documented (opened with a one-shot EVP call), and every
// fault a path can put on a sealed stream detected and named: a flipped byte, a replay, a
// reorder, a drop, a frame sealed under other keys or reflected back. Then a session with a key
// (terminals/net/net_session.hpp) against a hand-driven peer: what goes after the handshake is
// sealed both ways, and a clear, replayed, tampered or dropped frame closes the connection with
// its reason in the log. The key file's mode (terminals/net/net_auth.hpp) is checked here too.
#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "sim/timers.hpp"
#include "support/net_temp.hpp"
#include "support/net_test_stream.hpp"
#include "support/private_file.hpp"
#include "support/wait.hpp"
#include "terminals/net/net_framing.hpp"
#include "terminals/net/net_seal.hpp"
#include "terminals/net/net_session.hpp"

namespace hakto::test::seal_test {
namespace {

namespace wire = hakto::protocol::wire;
using namespace hakto::terminals;

shared_key test_key(std::string_view text = "a key shared by A and R, for the test") {
    return shared_key::from_bytes(text).value();
}

handshake_facts facts(std::uint8_t salt = 0) {
    handshake_facts f;
    for (std::size_t i = 0; i < f.server_nonce.size(); ++i) {
        f.server_nonce[i] = static_cast<std::uint8_t>(i * 3 + salt);
        f.client_nonce[i] = static_cast<std::uint8_t>(200 - i + salt);
    }
    f.client_id = "A";
    f.server_id = "R";
    wire::hello c, s;
    c.station = "A";
    c.nonce = f.client_nonce;
    c.capabilities = wire::capability::authenticate;
    s.station = "R";
    s.kind = wire::role::relay;
    s.nonce = f.server_nonce;
    s.capabilities = wire::capability::authenticate;
    wire::encode_to(c, f.transcript);
    wire::encode_to(s, f.transcript);
    return f;
}

std::vector<wire::frame> frames() {
    wire::begin b;
    b.serial = 3;
    b.precedence = 4;
    b.length = 2000;
    b.label = "HAKTO 12";
    b.origin = "WTE10";
    b.addressees = {"WTE"};
    wire::data big;
    big.serial = 3;
    big.codes.assign(wire::max_codes_per_frame, 0x1F);  // the largest frame there is
    wire::data small;
    small.serial = 3;
    small.offset = 1024;
    small.codes = {1};
    return {b,
            big,
            small,
            wire::end{3, 1025, 99},
            wire::ack{3, 1025, true},
            wire::heartbeat{7},
            wire::refuse{"closing"},
            wire::cancel{3, "HAKTO 12 BROKEN OFF FOR Z"}};
}

/// A client's and a server's seals for the same connection.
struct both_ends {
    frame_seals client, server;
};
both_ends ends(const shared_key& key = test_key(), const handshake_facts& f = facts()) {
    auto c = make_seals(key, auth_side::client, f);
    auto s = make_seals(key, auth_side::server, f);
    REQUIRE(c);
    REQUIRE(s);
    return {std::move(c.value()), std::move(s.value())};
}

wire::sealed seal(frame_sealer& s, const wire::frame& f) {
    auto r = s.seal(f);
    REQUIRE(r);
    return std::move(r.value());
}

/// HKDF-SHA-256 through EVP_PKEY_HKDF: another way into OpenSSL than the code's EVP_KDF.
std::vector<std::uint8_t> pkey_hkdf(const std::vector<std::uint8_t>& ikm,
                                    const std::vector<std::uint8_t>& salt,
                                    const std::vector<std::uint8_t>& info, std::size_t n) {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
    REQUIRE(ctx);
    std::vector<std::uint8_t> out(n);
    std::size_t len = n;
    const bool ok =
        EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1 &&
        EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt.data(), static_cast<int>(salt.size())) == 1 &&
        EVP_PKEY_CTX_set1_hkdf_key(ctx, ikm.data(), static_cast<int>(ikm.size())) == 1 &&
        EVP_PKEY_CTX_add1_hkdf_info(ctx, info.data(), static_cast<int>(info.size())) == 1 &&
        EVP_PKEY_derive(ctx, out.data(), &len) == 1;
    EVP_PKEY_CTX_free(ctx);
    REQUIRE(ok);
    return out;
}

std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

}  // namespace

TEST_CASE("sealed frames open at the other end, each direction with its own keys", "[net][seal]") {
    auto e = ends();
    for (const auto& f : frames()) {
        auto s = seal(e.client.out, f);
        CHECK(wire::validate(s));
        CHECK(wire::encode(s).size() <= wire::max_sealed_frame);
        auto back = e.server.in.open(s);
        REQUIRE(back);
        CHECK(back.value() == f);
        auto r = seal(e.server.out, f);
        CHECK(r.body != s.body);  // the other direction's keys
        auto back2 = e.client.in.open(r);
        REQUIRE(back2);
        CHECK(back2.value() == f);
    }
    CHECK(e.client.out.next_seq() == frames().size());
    CHECK(e.server.in.next_seq() == frames().size());
    // The largest frame fills a sealed frame exactly.
    auto big = seal(e.client.out, frames()[1]);
    CHECK(wire::encode(big).size() == wire::encode(frames()[1]).size() + wire::seal_overhead);
    // Nothing of the plain frame shows: 1024 equal codes do not give equal bytes.
    std::set<std::uint8_t> distinct(big.body.begin(), big.body.end());
    CHECK(distinct.size() > 200);
}

TEST_CASE("the keys are HKDF-SHA-256 of the shared key, both nonces, both hellos and both ids",
          "[net][seal]") {
    const auto key = test_key();
    const auto f = facts();
    auto salt = bytes_of("hakto-seal-1");
    salt.insert(salt.end(), f.server_nonce.begin(), f.server_nonce.end());
    salt.insert(salt.end(), f.client_nonce.begin(), f.client_nonce.end());
    std::array<std::uint8_t, 32> hash{};
    unsigned int n = 0;
    REQUIRE(EVP_Digest(f.transcript.data(), f.transcript.size(), hash.data(), &n, EVP_sha256(),
                       nullptr) == 1);
    auto info = [&](std::string_view label) {
        // label | hash | len | "A" | len | "R", laid out in one go
        std::vector<std::uint8_t> v(label.size() + hash.size() + 4);
        auto at = std::copy(label.begin(), label.end(), v.begin());
        at = std::copy(hash.begin(), hash.end(), at);
        *at++ = 1;
        *at++ = 'A';
        *at++ = 1;
        *at = 'R';
        return v;
    };
    const auto c2s = pkey_hkdf(key.bytes(), salt, info("hakto-seal-1 client to server"), 44);
    const auto s2c = pkey_hkdf(key.bytes(), salt, info("hakto-seal-1 server to client"), 44);
    auto client = derive_keys(key, auth_side::client, f);
    auto server = derive_keys(key, auth_side::server, f);
    REQUIRE(client);
    REQUIRE(server);
    auto joined = [](const direction_keys& k) {
        std::vector<std::uint8_t> v(k.key.begin(), k.key.end());
        v.insert(v.end(), k.iv.begin(), k.iv.end());
        return v;
    };
    CHECK(joined(client.value().out) == c2s);
    CHECK(joined(server.value().in) == c2s);
    CHECK(joined(client.value().in) == s2c);
    CHECK(joined(server.value().out) == s2c);

    // Each input changes the keys.
    auto other = [&](auto change) {
        auto g = f;
        change(g);
        return joined(derive_keys(key, auth_side::client, g).value().out);
    };
    CHECK(other([](handshake_facts& g) { g.server_nonce[0] ^= 1; }) != c2s);
    CHECK(other([](handshake_facts& g) { g.client_nonce[31] ^= 1; }) != c2s);
    CHECK(other([](handshake_facts& g) { g.transcript[20] ^= 1; }) != c2s);
    CHECK(other([](handshake_facts& g) { g.client_id = "B"; }) != c2s);
    CHECK(other([](handshake_facts& g) { g.server_id = "RR"; }) != c2s);
    CHECK(joined(derive_keys(test_key("another key of the same length, for the test!"),
                             auth_side::client, f)
                     .value()
                     .out) != c2s);
}

TEST_CASE("a sealed frame is ChaCha20-Poly1305 with the header and number as additional data",
          "[net][seal]") {
    auto keys = derive_keys(test_key(), auth_side::client, facts()).value();
    frame_sealer sealer(keys.out);
    seal(sealer, wire::heartbeat{1});
    seal(sealer, wire::heartbeat{2});
    const wire::frame f = wire::ack{12, 77, true};
    auto s = seal(sealer, f);  // seq 2
    REQUIRE(s.seq == 2);
    const auto outer = wire::encode(s);
    // Opened here with one EVP call a step, from the documented layout alone.
    auto nonce = keys.out.iv;
    nonce[11] ^= 2;
    std::vector<std::uint8_t> aad(outer.begin(), outer.begin() + 16);  // header, seq
    const std::size_t ct = s.body.size() - 16;
    std::vector<std::uint8_t> plain(ct);
    EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
    int len = 0;
    std::vector<std::uint8_t> tag(s.body.end() - 16, s.body.end());
    const bool ok =
        EVP_DecryptInit_ex(c, EVP_chacha20_poly1305(), nullptr, keys.out.key.data(),
                           nonce.data()) == 1 &&
        EVP_DecryptUpdate(c, nullptr, &len, aad.data(), 16) == 1 &&
        EVP_DecryptUpdate(c, plain.data(), &len, s.body.data(), static_cast<int>(ct)) == 1 &&
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(c, plain.data() + ct, &len) == 1;
    EVP_CIPHER_CTX_free(c);
    REQUIRE(ok);
    const auto inner = wire::encode(f);
    CHECK(plain[0] == static_cast<std::uint8_t>(wire::frame_type::ack));
    CHECK(std::vector<std::uint8_t>(plain.begin() + 1, plain.end()) ==
          std::vector<std::uint8_t>(inner.begin() + 8, inner.end()));
}

TEST_CASE("a flipped bit anywhere in a sealed frame is found: tampered, and nothing after it",
          "[net][seal]") {
    const auto f = frames()[0];
    std::size_t tried = 0;
    auto probe = ends();
    const auto size = seal(probe.client.out, f).body.size();
    for (std::size_t at = 0; at < size + 8; ++at)
        for (std::uint8_t bit : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
            auto e = ends();
            auto s = seal(e.client.out, f);
            if (at < 8)
                s.seq ^= std::uint64_t{bit} << (8 * at);  // the number, sent in clear
            else
                s.body[at - 8] ^= bit;
            auto r = e.server.in.open(s);
            INFO("byte " << at << " bit " << int{bit});
            REQUIRE_FALSE(r);
            CHECK(r.error().kind == seal_error_kind::tampered);
            CHECK_THAT(r.error().message,
                       Catch::Contains("tampered: authentication tag wrong (seq "));
            // The opener stays failed: even the untouched frame is refused now.
            auto again = seal(e.client.out, f);
            CHECK_FALSE(e.server.in.open(again));
            ++tried;
        }
    CHECK(tried == 2 * (size + 8));
    // A frame cut short, or one byte longer.
    auto e = ends();
    auto s = seal(e.client.out, f);
    s.body.pop_back();
    CHECK(e.server.in.open(s).error().kind == seal_error_kind::tampered);
    auto e2 = ends();
    auto s2 = seal(e2.client.out, f);
    s2.body.push_back(0);
    CHECK(e2.server.in.open(s2).error().kind == seal_error_kind::tampered);
}

TEST_CASE("replayed, reordered and dropped frames are told apart by their authentic numbers",
          "[net][seal]") {
    auto e = ends();
    std::vector<wire::sealed> s;
    for (std::uint64_t i = 0; i < 6; ++i) s.push_back(seal(e.client.out, wire::heartbeat{i}));
    SECTION("a replay") {
        REQUIRE(e.server.in.open(s[0]));
        REQUIRE(e.server.in.open(s[1]));
        auto r = e.server.in.open(s[1]);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == seal_error_kind::replayed);
        CHECK(r.error().message == "sealed frame replayed or reordered: seq 1, expected 2");
        CHECK_FALSE(e.server.in.open(s[2]));  // and nothing after it
    }
    SECTION("two swapped") {
        REQUIRE(e.server.in.open(s[0]));
        auto r = e.server.in.open(s[2]);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == seal_error_kind::dropped);
        CHECK(r.error().message ==
              "sealed frame dropped or reordered: seq 2, expected 1 (1 frame missing)");
        CHECK_FALSE(e.server.in.open(s[1]));
    }
    SECTION("three dropped") {
        REQUIRE(e.server.in.open(s[0]));
        auto r = e.server.in.open(s[4]);
        REQUIRE_FALSE(r);
        CHECK(r.error().message ==
              "sealed frame dropped or reordered: seq 4, expected 1 (3 frames missing)");
    }
    SECTION("in order, every one opens") {
        for (const auto& x : s) CHECK(e.server.in.open(x));
        CHECK(e.server.in.next_seq() == 6);
    }
}

TEST_CASE("a frame sealed under other keys does not open: another connection, a reflection",
          "[net][seal]") {
    auto e = ends();
    auto later = ends(test_key(), facts(1));  // the next connection: new nonces
    auto s = seal(e.client.out, wire::heartbeat{1});
    // Replayed into the next connection, with its number right.
    CHECK(later.server.in.open(s).error().kind == seal_error_kind::tampered);
    // Sent back to its sender (the directions have their own keys).
    CHECK(e.client.in.open(s).error().kind == seal_error_kind::tampered);
    // Another shared key.
    auto stranger = ends(test_key("not the key at all, not the key at all"));
    CHECK(stranger.server.in.open(s).error().kind == seal_error_kind::tampered);
}

TEST_CASE("the sealer takes no sealed frame, the opener finds none inside", "[net][seal]") {
    auto e = ends();
    auto s = seal(e.client.out, wire::heartbeat{1});
    auto twice = e.client.out.seal(s);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().kind == seal_error_kind::malformed);
    CHECK(e.client.out.next_seq() == 1);  // no number used up
    CHECK(e.server.in.open(s));
}

TEST_CASE("the codec frames a sealed payload up to max_payload plus the seal", "[net][seal]") {
    wire::sealed s;
    s.seq = 0x0102030405060708ULL;
    s.body.assign(1 + wire::max_payload + wire::seal_tag_size, 0xAB);
    auto bytes = wire::encode(s);
    CHECK(bytes.size() == wire::max_sealed_frame);
    CHECK(bytes[3] == 11);
    auto back = wire::decode(bytes);
    REQUIRE(back);
    CHECK(back.value() == wire::frame{s});
    s.body.push_back(0);
    CHECK_FALSE(wire::validate(s));
    auto over = wire::decode(wire::encode(s));
    REQUIRE_FALSE(over);
    CHECK(over.error().kind == wire::wire_error_kind::oversized);
    s.body.assign(16, 0);  // no room for the inner type
    auto under = wire::decode(wire::encode(s));
    REQUIRE_FALSE(under);
    CHECK(under.error().kind == wire::wire_error_kind::field_invalid);
    CHECK(wire::frame_type_name(11) == "sealed");
}

namespace {

/// A session with a key, listening as R, and a peer A driven by hand over a frame channel.
struct session_rig {
    boost::asio::io_context io;
    hakto::sim::manual_timers timers;
    std::shared_ptr<session> r;
    std::shared_ptr<frame_channel> a;
    std::vector<wire::frame> at_a, at_r;  // frames each end received (R: handed to its owner)
    std::vector<std::string> log;
    std::string closed;
    bool established = false;
    std::optional<frame_seals> seals;  // A's
    shared_key key = test_key();

    session_rig() {
        auto [sr, sa] = hakto::test::memory_pair(io, nullptr, 5);
        session_config cfg;
        cfg.self_id = "R";
        cfg.role = wire::role::relay;
        cfg.key = key;
        r = std::make_shared<session>(timers, std::move(sr), cfg, false, "");
        session::hooks h;
        h.admit = [](const std::string&) { return std::string{}; };
        h.established = [this](const std::shared_ptr<session>&) { established = true; };
        h.on_frame = [this](const std::shared_ptr<session>&, wire::frame f) {
            at_r.push_back(std::move(f));
        };
        h.closed = [this](const std::shared_ptr<session>&, const std::string& why) {
            closed = why;
        };
        h.log = [this](const std::string& m) { log.push_back(m); };
        r->start(std::move(h));
        a = std::make_shared<frame_channel>(std::move(sa));
        a->start({[this](wire::frame f) { at_a.push_back(std::move(f)); }, nullptr});
    }
    session_rig(const session_rig&) = delete;
    session_rig& operator=(const session_rig&) = delete;
    ~session_rig() {
        // Both ends closed and their reads completed, so that nothing holds them.
        r->close("end of the test");
        a->close("end of the test");
        for (int i = 0; i < 10; ++i) {
            io.restart();
            io.poll();
        }
    }
    bool run(const std::function<bool()>& until) {
        return hakto::test::run_until(io, timers, until);
    }
    /// A's half of the handshake, as the dialler does it (net_session.cpp).
    void handshake() {
        wire::hello mine;
        mine.station = "A";
        mine.capabilities = wire::capability::authenticate;
        mine.nonce[5] = 42;
        a->send(mine);
        REQUIRE(run([&] { return !at_a.empty(); }));
        const auto theirs = std::get<wire::hello>(at_a.at(0));
        wire::auth answer;
        answer.mac =
            auth_answer(key, auth_side::client, theirs.nonce, mine.nonce, "A", theirs.station);
        a->send(answer);
        REQUIRE(run([&] { return at_a.size() >= 2 && established; }));
        const auto server = std::get<wire::auth>(at_a.at(1));
        CHECK(same_mac(server.mac,
                       auth_answer(key, auth_side::server, theirs.nonce, mine.nonce, "A", "R")));
        handshake_facts f;
        f.server_nonce = theirs.nonce;
        f.client_nonce = mine.nonce;
        f.client_id = "A";
        f.server_id = "R";
        wire::encode_to(mine, f.transcript);
        wire::encode_to(theirs, f.transcript);
        auto s = make_seals(key, auth_side::client, f);
        REQUIRE(s);
        seals.emplace(std::move(s.value()));
        at_a.clear();
    }
    wire::sealed sealed_from_a(const wire::frame& f) { return seal(seals->out, f); }
    /// What R sent A after the handshake, opened.
    std::vector<wire::frame> opened_at_a() {
        std::vector<wire::frame> out;
        for (const auto& f : at_a) {
            const auto* s = std::get_if<wire::sealed>(&f);
            REQUIRE(s);  // nothing in clear
            auto o = seals->in.open(*s);
            REQUIRE(o);
            out.push_back(o.value());
        }
        return out;
    }
};

}  // namespace

TEST_CASE("a session with a key seals every frame after the handshake, both ways", "[net][seal]") {
    session_rig rig;
    rig.handshake();
    REQUIRE(rig.r->sealed());
    rig.r->send(wire::ack{1, 5, false});
    rig.a->send(rig.sealed_from_a(wire::ack{2, 6, true}));
    rig.a->send(rig.sealed_from_a(wire::heartbeat{1}));  // taken by the session itself
    rig.a->send(rig.sealed_from_a(wire::end{2, 6, 7}));
    REQUIRE(rig.run([&] { return rig.at_r.size() == 2 && !rig.at_a.empty(); }));
    CHECK(rig.at_r[0] == wire::frame{wire::ack{2, 6, true}});
    CHECK(rig.at_r[1] == wire::frame{wire::end{2, 6, 7}});
    CHECK(rig.opened_at_a() == std::vector<wire::frame>{wire::ack{1, 5, false}});
    // Heartbeats go sealed too.
    rig.at_a.clear();
    rig.timers.advance(std::chrono::milliseconds{1500});
    REQUIRE(rig.run([&] { return !rig.at_a.empty(); }));
    CHECK(std::holds_alternative<wire::heartbeat>(rig.opened_at_a().at(0)));
    CHECK(rig.r->open());
}

TEST_CASE("a session with a key closes on a clear, tampered, replayed or dropped frame",
          "[net][seal]") {
    session_rig rig;
    rig.handshake();
    auto first = rig.sealed_from_a(wire::ack{1, 1, false});
    rig.a->send(first);
    REQUIRE(rig.run([&] { return rig.at_r.size() == 1; }));
    std::string fault;
    SECTION("a frame in clear") {
        rig.a->send(wire::ack{1, 2, false});
        fault = "protocol: a frame in clear after the handshake (ack)";
    }
    SECTION("a refusal in clear") {
        rig.a->send(wire::refuse{"go away"});
        fault =
            "protocol: a refuse frame in clear after the handshake (unauthenticated: 'go away')";
    }
    SECTION("a flipped byte") {
        auto s = rig.sealed_from_a(wire::ack{1, 2, false});
        s.body[3] ^= 0x10;
        rig.a->send(s);
        fault = "sealed frame tampered: authentication tag wrong (seq 1";
    }
    SECTION("a replay") {
        rig.a->send(first);
        fault = "sealed frame replayed or reordered: seq 0, expected 1";
    }
    SECTION("a drop") {
        rig.sealed_from_a(wire::ack{1, 2, false});  // lost on the way
        rig.a->send(rig.sealed_from_a(wire::ack{1, 3, false}));
        fault = "sealed frame dropped or reordered: seq 2, expected 1 (1 frame missing)";
    }
    rig.a->send(rig.sealed_from_a(wire::ack{1, 4, false}));  // right behind it
    REQUIRE(rig.run([&] { return !rig.closed.empty(); }));
    CHECK_THAT(rig.closed, Catch::StartsWith(fault));
    CHECK(rig.at_r.size() == 1);   // nothing of the bad frame, or after it, reached the owner
    REQUIRE(rig.log.size() == 1);  // one refusal, for the first bad frame
    CHECK_THAT(rig.log.back(), Catch::Contains("refused memory:b (A): " + fault));
    // The peer is told why, sealed.
    REQUIRE(rig.run([&] { return !rig.at_a.empty(); }));
    auto told = rig.opened_at_a();
    REQUIRE(told.size() == 1);
    CHECK_THAT(std::get<wire::refuse>(told[0]).reason, Catch::StartsWith(fault));
}

TEST_CASE("a key file that its group or others may read or write is refused, naming its mode",
          "[net][seal][auth]") {
    const auto dir = hakto::test::net_temp_dir("seal-key");
    const auto path = dir + "/key";
    hakto::test::write_private_file(path, "a shared key for the backchannel, 1972\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(shared_key::from_file(path));
    for (auto [mode, word] :
         {std::pair{0644, "read"}, std::pair{0640, "read"}, std::pair{0604, "read"},
          std::pair{0620, "write"}, std::pair{0602, "write"}, std::pair{0610, "execute"}}) {
        REQUIRE(::chmod(path.c_str(), static_cast<mode_t>(mode)) == 0);
        auto k = shared_key::from_file(path);
        REQUIRE_FALSE(k);
        CHECK(k.error().message == fmt::format("key file {}: mode {:04o} lets others {} it; "
                                               "chmod 600 {}",
                                               path, mode, word, path));
    }
    REQUIRE(::chmod(path.c_str(), 0400) == 0);  // read-only for its owner: fine
    CHECK(shared_key::from_file(path));
    std::filesystem::remove_all(dir);
}

}  // namespace hakto::test::seal_test
