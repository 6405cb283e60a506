// Nodes in one process over in-memory streams, in virtual time (sim::manual_timers: the pacing,
// the heartbeats, the timeouts and the back-off fire when the test moves time, never by the wall
// clock): the journal and the store, serial gaps and the repeat request (INT ZDK), printer-paced
// flow control, precedence, the sender's and the receiver's state machines, timeouts.
#include <filesystem>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/timers.hpp"
#include "support/net_node_fixtures.hpp"
#include "support/net_temp.hpp"
#include "support/net_test_stream.hpp"
#include "support/wait.hpp"
#include "terminals/net/net_delivered.hpp"
#include "terminals/net/net_framing.hpp"
#include "terminals/net/net_journal.hpp"
#include "terminals/net/net_store.hpp"
#include "terminals/net/node/net_node.hpp"

namespace fs = std::filesystem;
namespace wire = hakto::protocol::wire;
using namespace hakto::terminals;
using namespace std::chrono_literals;
using hakto::sim::manual_timers;
using hakto::test::local_count;
using hakto::test::memory_pair;
using hakto::test::run_until;
using hakto::test::station;
using hakto::test::text_cable;

namespace {

/// Station A and station B over an in-memory stream, in virtual time. The io_context and the
/// timers are declared first: they outlive the nodes.
struct two_stations {
    boost::asio::io_context io;
    manual_timers timers;
    std::unique_ptr<net_node> a, b;
    std::vector<std::string> a_log, b_log;
    std::vector<node_transition> transitions;  ///< of both, in order
    std::vector<std::string> delivered;        ///< labels, in the order delivered at B

    two_stations(node_config ca, node_config cb) {
        auto na = net_node::create(io, timers, std::move(ca));
        auto nb = net_node::create(io, timers, std::move(cb));
        REQUIRE(na);
        REQUIRE(nb);
        a = std::move(na.value());
        b = std::move(nb.value());
        a->on_log([this](const std::string& m) { a_log.push_back(m); });
        b->on_log([this](const std::string& m) { b_log.push_back(m); });
        for (auto* n : {a.get(), b.get()})
            n->on_transition([this](const node_transition& t) { transitions.push_back(t); });
        b->on_delivered([this](const net_cable& c) { delivered.push_back(c.label); });
        a->start();
        b->start();
    }
    /// A new connection between them (`counter`: to break it at a point of the test's choosing).
    void connect(hakto::test::fail_counter* counter = nullptr) {
        auto [sa, sb] = memory_pair(io, counter);
        a->adopt(std::move(sa), true, "B");
        b->adopt(std::move(sb), false, "");
    }
    template <class F>
    bool run(F done) {
        return run_until(io, timers, done);
    }
    /// The states one machine went through, from its first state on.
    std::vector<std::string_view> path(const std::string& station_peer,
                                       std::string_view machine) const {
        std::vector<std::string_view> out;
        for (const auto& t : transitions)
            if (t.peer == station_peer && t.machine == machine) {
                if (out.empty()) out.push_back(t.from);
                out.push_back(t.to);
            }
        return out;
    }
    ~two_stations() {
        a->stop();
        b->stop();
        io.restart();
        io.poll();
    }
};

bool any_line(const std::vector<std::string>& log, const std::string& what) {
    return std::any_of(log.begin(), log.end(),
                       [&](const std::string& m) { return m.find(what) != std::string::npos; });
}

}  // namespace

TEST_CASE("a journal reads back its records and cuts a torn tail", "[net][journal]") {
    auto dir = hakto::test::net_temp_dir("journal");
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
    auto dir = hakto::test::net_temp_dir("store");
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
    auto ja = hakto::test::net_temp_dir("gap-a"), jb = hakto::test::net_temp_dir("gap-b"),
         backup = hakto::test::net_temp_dir("gap-backup");
    std::vector<std::string> b_log;
    auto run = [&](std::vector<net_cable> to_file, std::size_t want_local) {
        auto ca = station("A", "B", true, ja);
        ca.to_file = std::move(to_file);
        two_stations n(ca, station("B", "A", false, jb));
        n.connect();
        REQUIRE(n.run([&] { return n.a->outstanding() == 0 && local_count(*n.b) == want_local; }));
        b_log.insert(b_log.end(), n.b_log.begin(), n.b_log.end());
        return std::pair{n.a->stats(), n.b->stats()};
    };
    run({text_cable("ONE", "FIRST MESSAGE")}, 1);
    fs::copy_file(jb + "/journal.log", backup + "/journal.log");
    run({text_cable("TWO", "SECOND MESSAGE")}, 2);
    fs::copy_file(backup + "/journal.log", jb + "/journal.log",
                  fs::copy_options::overwrite_existing);
    auto [a, b] = run({text_cable("THREE", "THIRD MESSAGE")}, 3);
    CHECK(b.gaps == 1);
    CHECK(a.repeats_served == 1);
    CHECK(any_line(b_log, "INT ZDK 002"));
    // B holds each cable once, with its serial: 1, 2 (sent again), 3.
    auto bn = net_store::open(jb);
    REQUIRE(bn);
    std::map<std::string, std::uint32_t> serials;
    for (const auto& [id, c] : bn.value()->cables()) serials[c.label] = c.from_serial;
    CHECK(serials == std::map<std::string, std::uint32_t>{{"ONE", 1}, {"THREE", 3}, {"TWO", 2}});
}

TEST_CASE("printer-paced flow control: a fast sender waits for a slow printer's acknowledgements",
          "[net][node]") {
    auto ca = station("A", "B", true, hakto::test::net_temp_dir("pace-a"));
    ca.speed = 400;  // the sender's line runs four times faster than the printer prints
    ca.window = 8;
    const std::string text =
        "THE PRINTER PRINTS AT ITS OWN SPEED AND NO FASTER, WHATEVER THE NETWORK DOES.";
    ca.to_file = {text_cable("PACED", text)};
    const auto n = ca.to_file[0].codes.size();
    auto cb = station("B", "A", false, hakto::test::net_temp_dir("pace-b"));
    cb.speed = 100;
    cb.window = 8;
    two_stations s(ca, cb);
    std::uint32_t printed = 0, worst_ahead = 0;
    std::vector<hakto::sim::wall_time> at;
    s.b->on_printed([&](const std::string&, std::uint32_t, std::uint8_t) {
        ++printed;
        at.push_back(s.timers.now());
    });
    s.a->on_sent([&](const std::string&, std::uint32_t, std::uint32_t k) {
        worst_ahead = std::max(worst_ahead, k + 1 - std::min(k + 1, printed));
    });
    s.connect();
    REQUIRE(s.run([&] { return local_count(*s.b) == 1; }));
    CHECK(printed == n);
    // Never more than the window beyond what the printer had printed.
    CHECK(worst_ahead <= 8);
    // The printer prints a character a character time (100 times the 60 wpm line here), each
    // slot taken a quarter of a character early (the slack for jitter) once characters wait for
    // it; the first prints as it arrives. In virtual time that is exact.
    const auto frame = std::chrono::duration_cast<hakto::sim::wall_duration>(
        std::chrono::duration<double, std::nano>(
            static_cast<double>(hakto::sim::line_profile{}.frames(1).count()) / 100));
    REQUIRE(at.size() == n);
    CHECK(at[1] - at[0] == frame - frame / 4);
    for (std::size_t k = 2; k < n; ++k) {
        INFO("character " << k);
        CHECK(at[k] - at[k - 1] == frame);
    }
    CHECK(at.back() - at.front() == static_cast<std::int64_t>(n - 1) * frame - frame / 4);
}

TEST_CASE("a sender that ignores the flow-control window is cut off", "[net][node]") {
    boost::asio::io_context io;
    manual_timers timers;
    auto cb = station("B", "A", false, hakto::test::net_temp_dir("hostile-b"));
    cb.speed = 1;
    auto b = net_node::create(io, timers, cb);
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
    REQUIRE(run_until(io, timers, [&] { return !got.empty(); }));
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
    REQUIRE(run_until(io, timers, [&] { return closed; }));
    CHECK(any_line(log, "flow control"));
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
        auto ca = station("A", "B", true, hakto::test::net_temp_dir("noise-a"));
        ca.noise = true;
        ca.peers[0].circuit.noise = hakto::sim::noise_config{};
        ca.peers[0].circuit.noise->seed = 77;
        ca.peers[0].circuit.noise->independent = hakto::sim::independent_errors{0.01};
        ca.to_file = {text_cable("NOISY", text)};
        two_stations n(ca, station("B", "A", false, hakto::test::net_temp_dir("noise-b")));
        n.connect();
        REQUIRE(n.run([&] { return local_count(*n.b) == 1; }));
        std::vector<std::uint8_t> got;
        for (const auto& [id, c] : n.b->store().cables()) got = c.codes;
        return got;
    };
    auto first = once();
    auto second = once();
    const auto sent = text_cable("NOISY", text).codes;
    CHECK(first != sent);  // one element in a hundred flipped: the copy is garbled
    CHECK(first == second);
}

TEST_CASE("the sender and the receiver go through their states, each transition logged",
          "[net][node][state]") {
    auto ca = station("A", "B", true, hakto::test::net_temp_dir("states-a"));
    ca.to_file = {text_cable("ONE", "FIRST"), text_cable("TWO", "SECOND")};
    two_stations n(ca, station("B", "A", false, hakto::test::net_temp_dir("states-b")));
    n.connect();
    REQUIRE(n.run([&] { return n.a->outstanding() == 0 && local_count(*n.b) == 2; }));
    using path = std::vector<std::string_view>;
    // The sender: one cable at a time, its tx record on disk before begin goes.
    CHECK(n.path("B", "sender") == path{"idle", "committing", "sending", "draining", "idle",
                                        "committing", "sending", "draining", "idle"});
    // The receiver: each cable received, checked by its end, printed whole and stored.
    CHECK(n.path("A", "receiver") ==
          path{"idle", "receiving", "finishing", "idle", "receiving", "finishing", "idle"});
    for (const auto& t : n.transitions) CHECK_FALSE(t.reason.empty());
    CHECK_FALSE(any_line(n.a_log, "no transition"));
    CHECK_FALSE(any_line(n.b_log, "no transition"));
}

TEST_CASE(
    "a lost connection breaks off the cable on the line, and it is sent again with its serial",
    "[net][node][state]") {
    const std::string text(200, 'E');
    auto ca = station("A", "B", true, hakto::test::net_temp_dir("break-a"));
    ca.speed = 20;
    ca.to_file = {text_cable("LONG", text)};
    auto cb = station("B", "A", false, hakto::test::net_temp_dir("break-b"));
    cb.speed = 20;
    two_stations n(ca, cb);
    hakto::test::fail_counter breaker;
    n.connect(&breaker);
    REQUIRE(n.run([&] { return n.b->stats().characters_printed >= 50; }));
    // The connection goes in the middle of the cable.
    breaker.fail_from_now();
    REQUIRE(n.run([&] { return any_line(n.b_log, "broken off after"); }));
    CHECK(n.path("B", "sender").back() == "idle");
    CHECK(n.path("A", "receiver") == std::vector<std::string_view>{"idle", "receiving", "idle"});
    n.connect();
    REQUIRE(n.run([&] { return n.a->outstanding() == 0 && local_count(*n.b) == 1; }));
    CHECK(any_line(n.a_log, "sending again LONG to B (channel serial 001"));
    CHECK(n.b->stats().duplicates == 0);
    for (const auto& [id, c] : n.b->store().cables()) CHECK(c.codes == text_cable("", text).codes);
}

TEST_CASE("cables go highest precedence first, in order of filing within a precedence",
          "[net][node][precedence]") {
    using hakto::protocol::precedence;
    auto ca = station("A", "B", true, hakto::test::net_temp_dir("prec-a"));
    ca.to_file = {text_cable("R1", "ROUTINE ONE"),
                  text_cable("P1", "PRIORITY ONE", precedence::priority),
                  text_cable("O1", "IMMEDIATE ONE", precedence::immediate),
                  text_cable("R2", "ROUTINE TWO"),
                  text_cable("Z1", "FLASH ONE", precedence::flash),
                  text_cable("P2", "PRIORITY TWO", precedence::priority)};
    two_stations n(ca, station("B", "A", false, hakto::test::net_temp_dir("prec-b")));
    n.connect();
    REQUIRE(n.run([&] { return n.delivered.size() == 6; }));
    CHECK(n.delivered == std::vector<std::string>{"Z1", "O1", "P1", "P2", "R1", "R2"});
}

namespace {

/// B's copies, in the order delivered, with their codes.
struct deliveries {
    std::vector<std::string> labels;
    std::map<std::string, std::vector<std::uint8_t>> codes;
    std::map<std::string, int> count;
    std::map<std::string, hakto::sim::wall_time> at;
    void watch(net_node& n, const manual_timers* timers = nullptr) {
        n.on_delivered([this, timers](const net_cable& c) {
            if (timers) at[c.label] = timers->now();
            labels.push_back(c.label);
            codes[c.label] = c.codes;
            ++count[c.label];
        });
    }
};

/// A: R1 (120 characters) then R2, both ROUTINE, at 20 times the speed of a 60 wpm line.
std::pair<node_config, node_config> preemption_pair(const std::string& name) {
    auto ca = station("A", "B", true, hakto::test::net_temp_dir(name + "-a"));
    ca.speed = 20;
    ca.to_file = {text_cable("R1", std::string(120, 'E')), text_cable("R2", "ROUTINE TWO")};
    auto cb = station("B", "A", false, hakto::test::net_temp_dir(name + "-b"));
    cb.speed = 20;
    return {ca, cb};
}

}  // namespace

TEST_CASE("a FLASH filed while a ROUTINE is on the line breaks it off at the next character",
          "[net][node][precedence]") {
    using hakto::protocol::precedence;
    auto [ca, cb] = preemption_pair("pre");
    two_stations n(ca, cb);
    deliveries got;
    got.watch(*n.b, &n.timers);
    n.connect();
    REQUIRE(n.run([&] { return n.b->stats().characters_printed >= 30; }));
    REQUIRE(got.labels.empty());
    const auto printed_before = n.b->stats().characters_printed;
    const auto filed_at = n.timers.now();
    REQUIRE(n.a->file(text_cable("Z1", "FLASH ONE", precedence::flash)));
    REQUIRE(n.run([&] { return got.labels.size() == 3; }));
    // The FLASH first, then the ROUTINE again in full, once, then the next one.
    CHECK(got.labels == std::vector<std::string>{"Z1", "R1", "R2"});
    CHECK(got.count["R1"] == 1);
    CHECK(got.codes["R1"] == text_cable("R1", std::string(120, 'E')).codes);
    CHECK(n.a->stats().preemptions == 1);
    CHECK(n.b->stats().voided == 1);
    // At the next character: of R1 at most the characters the window had in flight printed
    // after the FLASH was filed.
    const auto ab = n.path("B", "sender");
    CHECK(std::find(ab.begin(), ab.end(), "breaking") != ab.end());
    CHECK(any_line(n.a_log, "R1 to B (channel serial 001) broken off after"));
    CHECK(any_line(n.a_log, "a FLASH message pre-empts it"));
    CHECK(any_line(n.b_log, "R1 channel serial 001 from A broken off after"));
    // Serial 1 is void; the FLASH went as 2, R1 again as 3, R2 as 4.
    CHECK(any_line(n.a_log, "sending Z1 to B (channel serial 002"));
    CHECK(any_line(n.a_log, "sending again R1 to B (channel serial 003"));
    CHECK(n.b->store().last_received("A") == 4);
    // The FLASH's line time: 9 characters and the begin's disk round trip, not R1's 120.
    const auto ba = n.path("A", "receiver");
    CHECK(std::count(ba.begin(), ba.end(), "receiving") == 4);
    CHECK(printed_before < 120);
    // Delivered within its own 9 characters' line time and one character more (the one on the
    // line when it was filed), as on an idle line: 163.26 ms a character at 60 wpm, / 20.
    const auto frame = std::chrono::duration<double, std::milli>(163.26 / 20);
    const auto delay = std::chrono::duration<double, std::milli>(got.at["Z1"] - filed_at);
    INFO("FLASH delay " << delay.count() << " ms");
    CHECK(delay.count() <= 10.5 * frame.count());
}

TEST_CASE("an IMMEDIATE filed while a ROUTINE is on the line waits for it: only FLASH pre-empts",
          "[net][node][precedence]") {
    using hakto::protocol::precedence;
    auto [ca, cb] = preemption_pair("nopre");
    two_stations n(ca, cb);
    n.connect();
    REQUIRE(n.run([&] { return n.b->stats().characters_printed >= 30; }));
    REQUIRE(n.a->file(text_cable("O1", "IMMEDIATE ONE", precedence::immediate)));
    REQUIRE(n.run([&] { return n.delivered.size() == 3; }));
    CHECK(n.delivered == std::vector<std::string>{"R1", "O1", "R2"});
    CHECK(n.a->stats().preemptions == 0);
}

TEST_CASE(
    "pre-emption stays exactly once when either station restarts from its journal "
    "mid-FLASH",
    "[net][node][precedence][journal]") {
    using hakto::protocol::precedence;
    const bool restart_receiver = GENERATE(true, false);
    INFO((restart_receiver ? "B (the receiver) restarts" : "A (the sender) restarts"));
    auto [ca, cb] = preemption_pair(restart_receiver ? "pre-rb" : "pre-ra");
    ca.to_file.push_back(text_cable("Z1", std::string(60, 'F'), precedence::flash));
    // Z1 is filed with R1 and R2 at start and would go first: file it later instead.
    auto z1 = ca.to_file.back();
    ca.to_file.pop_back();
    deliveries got;
    {
        two_stations n(ca, cb);
        got.watch(*n.b);
        n.connect();
        REQUIRE(n.run([&] { return n.b->stats().characters_printed >= 30; }));
        REQUIRE(n.a->file(z1));
        // The FLASH is on the line, half printed.
        REQUIRE(n.run([&] { return n.b->stats().voided == 1; }));
        REQUIRE(n.run([&] { return n.b->stats().characters_printed >= 30 + 30; }));
        REQUIRE(got.labels.empty());
        if (restart_receiver)
            n.b->stop();
        else
            n.a->stop();
    }
    // Both again from their journals (the one not stopped has synced all it acknowledged).
    ca.to_file.push_back(z1);  // filed before: the journal knows the label, not filed again
    two_stations n(ca, cb);
    got.watch(*n.b);
    n.connect();
    REQUIRE(n.run([&] { return got.labels.size() == 3; }));
    CHECK(got.labels == std::vector<std::string>{"Z1", "R1", "R2"});
    for (const auto& [label, k] : got.count) CHECK(k == 1);
    CHECK(got.codes["R1"] == text_cable("R1", std::string(120, 'E')).codes);
    CHECK(got.codes["Z1"] == z1.codes);
}

TEST_CASE(
    "a cancelled serial the far end never heard of is announced again on the next "
    "connection",
    "[net][node][precedence]") {
    using hakto::protocol::precedence;
    auto [ca, cb] = preemption_pair("pre-lost");
    two_stations n(ca, cb);
    deliveries got;
    got.watch(*n.b);
    hakto::test::fail_counter counter;
    n.connect(&counter);
    REQUIRE(n.run([&] { return n.b->stats().characters_printed >= 30; }));
    // The connection breaks now: the cancel frame is lost with it.
    REQUIRE(n.a->file(text_cable("Z1", "FLASH ONE", precedence::flash)));
    counter.fail_from_now();
    REQUIRE(n.run([&] { return counter.tripped(); }));
    n.connect();
    REQUIRE(n.run([&] { return got.labels.size() == 3; }));
    CHECK(got.labels == std::vector<std::string>{"Z1", "R1", "R2"});
    CHECK(n.b->stats().voided == 1);
    CHECK(n.b->store().last_received("A") == 4);
}

TEST_CASE("a silent peer is closed at the idle timeout exactly, after a heartbeat a second",
          "[net][node][timeout]") {
    boost::asio::io_context io;
    manual_timers timers;
    auto cb = station("B", "A", false, hakto::test::net_temp_dir("idle-b"));
    auto b = net_node::create(io, timers, cb);
    REQUIRE(b);
    std::vector<std::string> log;
    b.value()->on_log([&](const std::string& m) { log.push_back(m); });
    b.value()->start();
    auto [mine, theirs] = memory_pair(io);
    b.value()->adopt(std::move(theirs), false, "");
    auto ch = std::make_shared<frame_channel>(std::move(mine));
    std::optional<hakto::sim::wall_time> closed_at;
    std::vector<hakto::sim::wall_time> heartbeats;
    bool hello = false;
    ch->start({[&](wire::frame f) {
                   if (std::holds_alternative<wire::hello>(f)) hello = true;
                   if (std::holds_alternative<wire::heartbeat>(f))
                       heartbeats.push_back(timers.now());
               },
               [&](const std::string&) { closed_at = timers.now(); }});
    wire::hello h;
    h.station = "A";
    const auto t0 = timers.now();
    ch->send(h);
    REQUIRE(run_until(io, timers, [&] { return hello; }));
    REQUIRE(timers.now() == t0);  // the handshake takes no time: the idle clock starts at t0
    // From here the test says nothing more.
    REQUIRE(run_until(io, timers, [&] { return closed_at.has_value(); }));
    CHECK(*closed_at - t0 == cb.idle_timeout);
    CHECK(heartbeats == std::vector<hakto::sim::wall_time>{t0 + 1s, t0 + 2s, t0 + 3s, t0 + 4s});
    CHECK(any_line(log, "silent for 5000 ms: closing"));
    b.value()->stop();
    io.restart();
    io.poll();
}

TEST_CASE("a peer that keeps its heartbeats is never closed, and one that says no hello is",
          "[net][node][timeout]") {
    boost::asio::io_context io;
    manual_timers timers;
    auto cb = station("B", "A", false, hakto::test::net_temp_dir("alive-b"));
    cb.handshake_timeout = 700ms;
    auto b = net_node::create(io, timers, cb);
    REQUIRE(b);
    std::vector<std::string> log;
    b.value()->on_log([&](const std::string& m) { log.push_back(m); });
    b.value()->start();

    // A neighbour that says hello, then a heartbeat every 4.9 s (under the 5 s idle timeout).
    auto [mine, theirs] = memory_pair(io);
    b.value()->adopt(std::move(theirs), false, "");
    auto ch = std::make_shared<frame_channel>(std::move(mine));
    std::optional<hakto::sim::wall_time> closed_at;
    ch->start({[](wire::frame) {}, [&](const std::string&) { closed_at = timers.now(); }});
    wire::hello h;
    h.station = "A";
    ch->send(h);
    std::uint64_t beats = 0;
    std::function<void()> beat = [&] {
        ch->send(wire::heartbeat{++beats});
        if (beats < 12) timers.call_after(4900ms, beat);
    };
    const auto t0 = timers.now();
    timers.call_after(4900ms, beat);

    // And a connection that never says hello.
    auto [quiet, quiet_theirs] = memory_pair(io);
    b.value()->adopt(std::move(quiet_theirs), false, "");
    auto q = std::make_shared<frame_channel>(std::move(quiet));
    std::optional<hakto::sim::wall_time> quiet_closed_at;
    q->start({[](wire::frame) {}, [&](const std::string&) { quiet_closed_at = timers.now(); }});

    REQUIRE(run_until(io, timers, [&] { return closed_at.has_value(); }));
    CHECK(*quiet_closed_at - t0 == 700ms);
    CHECK(any_line(log, "no hello within 700 ms"));
    // Open while the heartbeats came; closed 5 s after the last one.
    CHECK(beats == 12);
    CHECK(*closed_at - t0 == 12 * 4900ms + 5s);
    CHECK(b.value()->stats().refused == 1);  // the one without hello
    b.value()->stop();
    io.restart();
    io.poll();
}

TEST_CASE("a station redials with back-off: doubling from the first delay to the most",
          "[net][node][timeout]") {
    boost::asio::io_context io;
    manual_timers timers;
    // A listener that takes each call and hangs up at once: every dial fails after connecting.
    boost::asio::ip::tcp::acceptor listener(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    std::vector<hakto::sim::wall_time> calls;
    std::function<void()> take = [&] {
        listener.async_accept(
            [&](const boost::system::error_code& ec, boost::asio::ip::tcp::socket s) {
                if (ec) return;
                calls.push_back(timers.now());
                boost::system::error_code ignored;
                s.close(ignored);
                take();
            });
    };
    take();
    auto ca = station("A", "B", true, hakto::test::net_temp_dir("backoff-a"));
    ca.dial_out = true;
    ca.peers[0].port = listener.local_endpoint().port();
    ca.reconnect_min = 100ms;
    ca.reconnect_max = 3000ms;
    auto a = net_node::create(io, timers, ca);
    REQUIRE(a);
    a.value()->on_log([](const std::string&) {});
    a.value()->start();
    REQUIRE(run_until(io, timers, [&] { return calls.size() == 8; }));
    std::vector<hakto::sim::wall_duration> gaps;
    for (std::size_t k = 1; k < calls.size(); ++k) gaps.push_back(calls[k] - calls[k - 1]);
    CHECK(gaps == std::vector<hakto::sim::wall_duration>{100ms, 200ms, 400ms, 800ms, 1600ms, 3000ms,
                                                         3000ms});
    a.value()->stop();
    io.restart();
    io.poll();
}

TEST_CASE("the delivered-cable file reads back as written, and a broken one is an error",
          "[net][delivered]") {
    const auto dir = hakto::test::net_temp_dir("delivered");
    auto c = text_cable("HAKTO 12", "THE TEXT\r\r\nOF THE CABLE");
    c.id = 7;
    c.addressees = {"WTE"};
    c.origin = "WTE10";
    c.precedence = static_cast<std::uint8_t>(hakto::protocol::precedence::immediate);
    c.from_peer = "WHR";
    c.from_serial = 3;
    auto path = write_delivered(dir, c, hakto::protocol::code_set::us_tty, false);
    REQUIRE(path);
    CHECK(path.value() == dir + "/HAKTO_12.json");
    auto d = read_delivered(path.value());
    REQUIRE(d);
    CHECK(d.value().label == "HAKTO 12");
    CHECK(d.value().origin == "WTE10");
    CHECK(d.value().addressees == std::vector<std::string>{"WTE"});
    CHECK(d.value().precedence == 'O');
    CHECK(d.value().from == "WHR");
    CHECK(d.value().serial == 3);
    CHECK(d.value().codes == c.codes);
    CHECK(d.value().text == "THE TEXT\nOF THE CABLE");
    CHECK_FALSE(fs::exists(path.value() + ".tmp"));

    std::ofstream(dir + "/bad.json") << "{\"label\": \"X\"";
    auto bad = read_delivered(dir + "/bad.json");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == delivered_error_kind::not_json);
    CHECK(bad.error().message().find("bad.json: not JSON") != std::string::npos);
    auto missing = read_delivered(dir + "/none.json");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == delivered_error_kind::cannot_read);
    CHECK(missing.error().message().find("none.json: cannot open") != std::string::npos);
    std::string text = delivered_json(c, hakto::protocol::code_set::us_tty, false);
    text.replace(text.find("\"codes\": \"") + 10, 1, "G");
    std::ofstream(dir + "/hex.json") << text;
    auto hex = read_delivered(dir + "/hex.json");
    REQUIRE_FALSE(hex);
    CHECK(hex.error().kind == delivered_error_kind::bad_field);
    CHECK(hex.error().message().find("field 'codes'") != std::string::npos);
}
