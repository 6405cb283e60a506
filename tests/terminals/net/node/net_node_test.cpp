// Nodes in one process over in-memory streams: the journal and the store, serial gaps and the
// repeat request (INT ZDK), printer-paced flow control.
#include <filesystem>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "support/net_temp.hpp"
#include "support/net_test_stream.hpp"
#include "terminals/net/net_framing.hpp"
#include "terminals/net/net_journal.hpp"
#include "terminals/net/net_store.hpp"
#include "terminals/net/node/net_node.hpp"

namespace fs = std::filesystem;
namespace wire = hakto::protocol::wire;
using namespace hakto::terminals;
using hakto::test::memory_pair;

namespace {

std::string temp_dir(const std::string& name) {
    return hakto::test::net_temp_dir(name);
}

template <class F>
bool run_until(boost::asio::io_context& io, F done,
               std::chrono::milliseconds limit = std::chrono::milliseconds{5000}) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        io.restart();
        io.run_one_for(std::chrono::milliseconds{5});
    }
    return true;
}

net_cable text_cable(const std::string& label, const std::string& text) {
    net_cable c;
    c.label = label;
    c.origin = "A";
    c.addressees = {"B"};
    auto codes = hakto::protocol::encode(text);
    REQUIRE(codes);
    c.codes.assign(codes.value().codes.begin(), codes.value().codes.end());
    return c;
}

node_config station(const std::string& id, const std::string& peer, bool dials,
                    const std::string& journal) {
    node_config c;
    c.id = id;
    c.journal_dir = journal;
    c.listen = false;
    c.dial_out = false;
    c.speed = 0;
    node_peer p;
    p.id = peer;
    p.dial = dials;
    p.circuit.id = "ab";
    p.direction = dials ? 0 : 1;
    c.peers.push_back(p);
    c.routes.emplace_back("", peer);
    return c;
}

std::size_t local_count(const net_node& n) {
    std::size_t k = 0;
    for (const auto& [id, c] : n.store().cables()) k += c.local ? 1 : 0;
    return k;
}

}  // namespace

TEST_CASE("a journal reads back its records and cuts a torn tail", "[net][journal]") {
    auto dir = temp_dir("journal");
    auto path = dir + "/j.log";
    {
        std::vector<journal_record> none;
        auto j = journal::open(path, none);
        REQUIRE(j);
        CHECK(none.empty());
        for (std::uint8_t i = 1; i <= 5; ++i) {
            std::vector<std::uint8_t> p(i * 10, i);
            REQUIRE(j.value()->append(i, p));
        }
        REQUIRE(j.value()->sync());
    }
    auto whole = fs::file_size(path);
    {
        // A crash in the middle of a write: half a record at the end.
        std::ofstream f(path, std::ios::binary | std::ios::app);
        f.write("\x00\x00\x00\x40\x12\x34", 6);
    }
    std::vector<journal_record> recs;
    auto j = journal::open(path, recs);
    REQUIRE(j);
    REQUIRE(recs.size() == 5);
    for (std::uint8_t i = 1; i <= 5; ++i) {
        CHECK(recs[i - 1].type == i);
        CHECK(recs[i - 1].payload == std::vector<std::uint8_t>(i * 10, i));
    }
    CHECK(j.value()->dropped_bytes() == 6);
    CHECK(fs::file_size(path) == whole);
    REQUIRE(j.value()->append(9, std::vector<std::uint8_t>{1, 2, 3}));
    REQUIRE(j.value()->sync());
    j.value().reset();

    // A flipped bit fails the CRC: the journal stops before that record.
    {
        std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
        f.seekp(9 + 10 + 9 + 5);  // inside the payload of the second record
        f.put('\x7F');
    }
    recs.clear();
    auto k = journal::open(path, recs);
    REQUIRE(k);
    CHECK(recs.size() == 1);
    CHECK(k.value()->dropped_bytes() > 0);
}

TEST_CASE("CRC-32 is the IEEE polynomial", "[net][journal]") {
    const std::string s = "123456789";
    CHECK(crc32(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())) ==
          0xCBF43926u);
}

TEST_CASE("the store comes back from its journal as it was", "[net][journal]") {
    auto dir = temp_dir("store");
    {
        auto s = net_store::open(dir);
        REQUIRE(s);
        net_cable c = text_cable("ONE", "HELLO");
        c.from_peer = "X";
        c.from_serial = 1;
        auto id = s.value()->accept(c, {{"B", {"B"}}});
        REQUIRE(id);
        auto serial = s.value()->transmit("B", id.value(), 100, 5);
        REQUIRE(serial);
        CHECK(serial.value() == 1);
        REQUIRE(s.value()->done("B", 1));
        auto id2 = s.value()->accept(text_cable("TWO", "WORLD"), {{"B", {"B"}}});
        REQUIRE(id2);
        REQUIRE(s.value()->transmit("B", id2.value(), 105, 5));
        REQUIRE(s.value()->sync());
    }
    auto s = net_store::open(dir);
    REQUIRE(s);
    CHECK(s.value()->cables().size() == 2);
    CHECK(s.value()->last_received("X") == 1);
    CHECK(s.value()->filed_here("TWO"));
    CHECK(!s.value()->filed_here("ONE"));
    auto& out = s.value()->out("B");
    CHECK(out.last_serial == 2);
    CHECK(out.next_key == 110);
    REQUIRE(out.copies.size() == 2);
    CHECK(out.copies[0].done);
    CHECK(!out.copies[1].done);
    CHECK(out.copies[1].serial == 2);
}

TEST_CASE("a serial gap (a receiver's journal restored from an older copy) is recovered by INT ZDK",
          "[net][node]") {
    auto ja = temp_dir("gap-a"), jb = temp_dir("gap-b"), backup = temp_dir("gap-backup");
    std::vector<std::string> b_log;
    auto run = [&](std::vector<net_cable> to_file, std::size_t want_local) {
        boost::asio::io_context io;
        auto ca = station("A", "B", true, ja);
        ca.to_file = std::move(to_file);
        auto a = net_node::create(io, ca);
        auto b = net_node::create(io, station("B", "A", false, jb));
        REQUIRE(a);
        REQUIRE(b);
        a.value()->on_log([](const std::string&) {});
        b.value()->on_log([&](const std::string& m) { b_log.push_back(m); });
        a.value()->start();
        b.value()->start();
        auto [sa, sb] = memory_pair(io);
        a.value()->adopt(std::move(sa), true, "B");
        b.value()->adopt(std::move(sb), false, "");
        REQUIRE(run_until(io, [&] {
            return a.value()->outstanding() == 0 && local_count(*b.value()) == want_local;
        }));
        auto stats = std::pair{a.value()->stats(), b.value()->stats()};
        a.value()->stop();
        b.value()->stop();
        io.restart();
        io.poll();
        return stats;
    };
    run({text_cable("ONE", "FIRST MESSAGE")}, 1);
    fs::copy_file(jb + "/journal.log", backup + "/journal.log");
    run({text_cable("TWO", "SECOND MESSAGE")}, 2);
    fs::copy_file(backup + "/journal.log", jb + "/journal.log",
                  fs::copy_options::overwrite_existing);
    auto [a, b] = run({text_cable("THREE", "THIRD MESSAGE")}, 3);
    CHECK(b.gaps == 1);
    CHECK(a.repeats_served == 1);
    bool asked = false;
    for (const auto& m : b_log) asked = asked || m.find("INT ZDK 002") != std::string::npos;
    CHECK(asked);
    // B holds each cable once, with its serial: 1, 2 (sent again), 3.
    auto bn = net_store::open(jb);
    REQUIRE(bn);
    std::map<std::string, std::uint32_t> serials;
    for (const auto& [id, c] : bn.value()->cables()) serials[c.label] = c.from_serial;
    CHECK(serials == std::map<std::string, std::uint32_t>{{"ONE", 1}, {"THREE", 3}, {"TWO", 2}});
}

TEST_CASE("printer-paced flow control: a fast sender waits for a slow printer's acknowledgements",
          "[net][node]") {
    boost::asio::io_context io;
    auto ca = station("A", "B", true, temp_dir("pace-a"));
    ca.speed = 400;  // the sender's line runs four times faster than the printer prints
    ca.window = 8;
    const std::string text =
        "THE PRINTER PRINTS AT ITS OWN SPEED AND NO FASTER, WHATEVER THE NETWORK DOES.";
    ca.to_file = {text_cable("PACED", text)};
    auto cb = station("B", "A", false, temp_dir("pace-b"));
    cb.speed = 100;
    cb.window = 8;
    auto a = net_node::create(io, ca);
    auto b = net_node::create(io, cb);
    REQUIRE(a);
    REQUIRE(b);
    a.value()->on_log([](const std::string&) {});
    b.value()->on_log([](const std::string&) {});
    std::uint32_t printed = 0, worst_ahead = 0;
    std::vector<std::chrono::steady_clock::time_point> at;
    b.value()->on_printed([&](const std::string&, std::uint32_t, std::uint8_t) {
        ++printed;
        at.push_back(std::chrono::steady_clock::now());
    });
    a.value()->on_sent([&](const std::string&, std::uint32_t, std::uint32_t k) {
        worst_ahead = std::max(worst_ahead, k + 1 - std::min(k + 1, printed));
    });
    a.value()->start();
    b.value()->start();
    auto [sa, sb] = memory_pair(io);
    a.value()->adopt(std::move(sa), true, "B");
    b.value()->adopt(std::move(sb), false, "");
    const auto n = ca.to_file[0].codes.size();
    REQUIRE(run_until(
        io, [&] { return local_count(*b.value()) == 1; }, std::chrono::milliseconds{10000}));
    CHECK(printed == n);
    // Never more than the window beyond what the printer had printed.
    CHECK(worst_ahead <= 8);
    // The printer never ran faster than 100x line speed (timers never fire early).
    auto frame = std::chrono::duration<double>(0.16326 / 100);
    // (A character may print up to a quarter of a character early for its slot: jitter.)
    CHECK(std::chrono::duration<double>(at.back() - at.front()).count() >=
          0.99 * frame.count() * (static_cast<double>(n - 1) - 0.25));
    a.value()->stop();
    b.value()->stop();
    io.restart();
    io.poll();
}

TEST_CASE("a sender that ignores the flow-control window is cut off", "[net][node]") {
    boost::asio::io_context io;
    auto cb = station("B", "A", false, temp_dir("hostile-b"));
    cb.speed = 1;
    auto b = net_node::create(io, cb);
    REQUIRE(b);
    std::vector<std::string> log;
    b.value()->on_log([&](const std::string& m) { log.push_back(m); });
    b.value()->start();
    auto [mine, theirs] = memory_pair(io);
    b.value()->adopt(std::move(theirs), false, "");
    auto ch = std::make_shared<frame_channel>(std::move(mine));
    bool closed = false;
    std::vector<wire::frame> got;
    ch->start({[&](wire::frame f) { got.push_back(std::move(f)); },
               [&](const std::string&) { closed = true; }});
    wire::hello h;
    h.station = "A";
    h.capabilities = wire::capability::pacing;
    ch->send(h);
    REQUIRE(run_until(io, [&] { return !got.empty(); }));
    wire::begin bg;
    bg.serial = 1;
    bg.length = 4000;
    bg.label = "FLOOD";
    bg.origin = "A";
    bg.addressees = {"B"};
    ch->send(bg);
    for (std::uint32_t off = 0; off < 4000 && !closed; off += 1000) {
        wire::data d;
        d.serial = 1;
        d.offset = off;
        d.codes.assign(1000, 0x03);
        ch->send(d);
    }
    REQUIRE(run_until(io, [&] { return closed; }));
    bool said = false;
    for (const auto& m : log) said = said || m.find("flow control") != std::string::npos;
    CHECK(said);
    CHECK(b.value()->stats().characters_printed < 20);
    b.value()->stop();
    io.restart();
    io.poll();
}

TEST_CASE(
    "line noise on the network path is the circuit model's: seeded, the same garbles every run",
    "[net][node]") {
    const std::string text =
        "THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO VIETNAM WITH SOME "
        "DISCUSSION OF SOVIET UNION AT OUTSET. THEIR DISTRUST OF RUSSIANS WAS ONCE AGAIN CLEAR.";
    auto once = [&] {
        boost::asio::io_context io;
        auto ca = station("A", "B", true, temp_dir("noise-a"));
        ca.noise = true;
        ca.peers[0].circuit.noise = hakto::sim::noise_config{};
        ca.peers[0].circuit.noise->seed = 77;
        ca.peers[0].circuit.noise->independent = hakto::sim::independent_errors{0.01};
        ca.to_file = {text_cable("NOISY", text)};
        auto cb = station("B", "A", false, temp_dir("noise-b"));
        auto a = net_node::create(io, ca);
        auto b = net_node::create(io, cb);
        REQUIRE(a);
        REQUIRE(b);
        a.value()->on_log([](const std::string&) {});
        b.value()->on_log([](const std::string&) {});
        a.value()->start();
        b.value()->start();
        auto [sa, sb] = memory_pair(io);
        a.value()->adopt(std::move(sa), true, "B");
        b.value()->adopt(std::move(sb), false, "");
        REQUIRE(run_until(io, [&] { return local_count(*b.value()) == 1; }));
        std::vector<std::uint8_t> got;
        for (const auto& [id, c] : b.value()->store().cables()) got = c.codes;
        a.value()->stop();
        b.value()->stop();
        io.restart();
        io.poll();
        return got;
    };
    auto first = once();
    auto second = once();
    const auto sent = text_cable("NOISY", text).codes;
    CHECK(first != sent);  // one element in a hundred flipped: the copy is garbled
    CHECK(first == second);
}
