// Fault injection below the sockets: the framing layer and two whole nodes over an in-memory
// stream that fails after N operations, N looped over every point of the exchange. In virtual
// time (sim::manual_timers): heartbeats and timeouts fire when the test moves time.
#include <filesystem>
#include <set>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/timers.hpp"
#include "support/net_temp.hpp"
#include "support/net_test_stream.hpp"
#include "support/wait.hpp"
#include "terminals/net/net_framing.hpp"
#include "terminals/net/node/net_node.hpp"

namespace wire = hakto::protocol::wire;
using namespace hakto::terminals;
using hakto::sim::manual_timers;
using hakto::test::fail_counter;
using hakto::test::memory_pair;
using hakto::test::run_until;

namespace {

void fs_remove(const std::string& dir) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

std::vector<wire::frame> some_frames() {
    std::vector<wire::frame> out;
    for (std::uint32_t i = 1; i <= 12; ++i) {
        wire::data d;
        d.serial = i;
        d.offset = i * 10;
        d.codes.assign(i * 37 % 200 + 1, static_cast<std::uint8_t>(i % 32));
        out.push_back(d);
        out.push_back(wire::ack{i, i * 3, i % 2 == 0});
    }
    return out;
}

net_cable cable(const std::string& label, const std::string& to, std::size_t length,
                std::uint8_t seed) {
    net_cable c;
    c.label = label;
    c.origin = "A";
    c.addressees = {to};
    c.precedence = 1;
    c.filed_ns = 86'400'000'000'000LL;
    // Plain text: the receiving operator watches the decrypted stream for text
    // (sim/crypto/crypto.hpp).
    static const std::string words =
        "THREE AND A HALF HOUR SESSION WITH THE PREMIER WAS DEVOTED PRIMARILY TO THE TRADE TALKS "
        "AND THE "
        "EXCHANGES OF JOURNALISTS AND SCIENTISTS AGREED IN PRINCIPLE. ";
    std::string text;
    for (std::size_t i = seed; text.size() < length; ++i)
        text += words.substr(i % 40, 60) + "\r\r\n";
    auto codes = hakto::protocol::encode(text.substr(0, length));
    REQUIRE(codes);
    c.codes.assign(codes.value().codes.begin(), codes.value().codes.end());
    return c;
}

/// Station A dials relay B; B delivers cables addressed to it. No TCP: streams are handed in.
node_config config_a(const std::string& journal, bool crypto) {
    node_config c;
    c.id = "A";
    c.journal_dir = journal;
    c.listen = false;
    c.dial_out = false;
    c.speed = 0;
    c.heartbeat = std::chrono::milliseconds{200};
    c.idle_timeout = std::chrono::milliseconds{1000};
    node_peer p;
    p.id = "B";
    p.dial = true;
    p.circuit.id = "ab";
    if (crypto) p.circuit.crypto = hakto::sim::crypto_spec{4242, 20000};
    if (crypto) c.key = shared_key::from_bytes("a key shared by A and B, for the test").value();
    p.direction = 0;
    c.peers.push_back(p);
    c.routes.emplace_back("", "B");
    // Encoded once: every point of the exchange files the same three.
    static const std::vector<net_cable> cables = {
        cable("ONE", "B", 300, 1), cable("TWO", "B", 1500, 2), cable("THREE", "B", 40, 3)};
    c.to_file = cables;
    return c;
}

node_config config_b(const std::string& journal, bool crypto) {
    node_config c;
    c.id = "B";
    c.role = wire::role::relay;
    c.journal_dir = journal;
    c.listen = false;
    c.dial_out = false;
    c.speed = 0;
    c.heartbeat = std::chrono::milliseconds{200};
    c.idle_timeout = std::chrono::milliseconds{1000};
    node_peer p;
    p.id = "A";
    p.circuit.id = "ab";
    if (crypto) p.circuit.crypto = hakto::sim::crypto_spec{4242, 20000};
    if (crypto) c.key = shared_key::from_bytes("a key shared by A and B, for the test").value();
    p.direction = 1;
    c.peers.push_back(p);
    return c;
}

}  // namespace

TEST_CASE(
    "framing over a stream failing after N operations delivers a prefix of the frames, never a bad "
    "one",
    "[net][fault]") {
    const auto frames = some_frames();
    std::size_t n = 0;
    for (;; ++n) {
        boost::asio::io_context io;
        manual_timers timers;
        fail_counter fc(n);
        auto [a, b] = memory_pair(io, &fc, 7);
        auto tx = std::make_shared<frame_channel>(std::move(a));
        auto rx = std::make_shared<frame_channel>(std::move(b));
        std::vector<wire::frame> got;
        int closed_tx = 0, closed_rx = 0;
        tx->start({nullptr, [&](const std::string&) { ++closed_tx; }});
        rx->start({[&](wire::frame f) { got.push_back(std::move(f)); },
                   [&](const std::string&) { ++closed_rx; }});
        for (const auto& f : frames) tx->send(f);
        tx->close_after_flush("done");
        REQUIRE(run_until(io, timers, [&] { return closed_rx == 1 && closed_tx == 1; }));
        INFO("failure after " << n << " operations");
        REQUIRE(got.size() <= frames.size());
        for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == frames[i]);
        CHECK(closed_tx == 1);
        CHECK(closed_rx == 1);
        if (!fc.tripped()) {
            CHECK(got.size() == frames.size());
            break;
        }
    }
    CHECK(n > 20);  // the exchange has that many points, every one tried
}

TEST_CASE(
    "two nodes over a stream failing after N operations, then restarted from their journals, "
    "deliver every cable exactly once",
    "[net][fault]") {
    // Plain, then with on-line encryption and a shared key (the challenge-response in the
    // handshake).
    for (bool crypto : {false, true}) {
        std::size_t n = 0;
        for (;; ++n) {
            INFO("crypto " << crypto << ", failure after " << n << " operations");
            auto ja = hakto::test::net_temp_dir("fault-a"),
                 jb = hakto::test::net_temp_dir("fault-b"),
                 out = hakto::test::net_temp_dir("fault-out");
            std::multiset<std::string> announced;  // on_delivered, over both lives of B
            bool tripped = false;
            std::map<std::string, int> stored_copies;
            std::map<std::string, std::vector<std::uint8_t>> texts;
            for (int phase = 0; phase < 2; ++phase) {
                boost::asio::io_context io;
                manual_timers timers;
                auto ca = config_a(ja, crypto);
                auto cb = config_b(jb, crypto);
                cb.out_dir = out;
                auto a = net_node::create(io, timers, ca);
                auto b = net_node::create(io, timers, cb);
                REQUIRE(a);
                REQUIRE(b);
                a.value()->on_log([](const std::string&) {});
                b.value()->on_log([](const std::string&) {});
                b.value()->on_delivered([&](const net_cable& c) { announced.insert(c.label); });
                a.value()->start();
                b.value()->start();
                fail_counter fc(phase == 0 ? n : std::numeric_limits<std::size_t>::max());
                auto [sa, sb] = memory_pair(io, &fc, 13);
                a.value()->adopt(std::move(sa), true, "B");
                b.value()->adopt(std::move(sb), false, "");
                auto local_count = [&] {
                    std::size_t k = 0;
                    for (const auto& [id, c] : b.value()->store().cables()) k += c.local ? 1 : 0;
                    return k;
                };
                auto all_done = [&] { return a.value()->outstanding() == 0 && local_count() == 3; };
                if (phase == 0) {
                    REQUIRE(run_until(io, timers, [&] { return fc.tripped() || all_done(); }));
                    tripped = fc.tripped();
                    // Let both ends see the broken connection.
                    for (int i = 0; i < 50; ++i) {
                        io.restart();
                        io.poll();
                    }
                } else {
                    REQUIRE(run_until(io, timers, all_done));
                    for (const auto& [id, c] : b.value()->store().cables())
                        if (c.local) {
                            ++stored_copies[c.label];
                            texts[c.label] = c.codes;
                        }
                }
                a.value()->stop();
                b.value()->stop();
                io.restart();
                io.poll();
            }
            CHECK(stored_copies ==
                  std::map<std::string, int>{{"ONE", 1}, {"THREE", 1}, {"TWO", 1}});
            for (const auto& c : config_a(ja, crypto).to_file) CHECK(texts[c.label] == c.codes);
            for (const auto& label : {"ONE", "TWO", "THREE"}) CHECK(announced.count(label) <= 1);
            std::size_t files = 0;
            for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(out)) ++files;
            CHECK(files == 3);
            for (const auto& d : {ja, jb, out}) fs_remove(d);
            if (!tripped) break;
        }
        CHECK(n > 20);
    }
}
