// Filing at run time: net_node::file and the spool directory of a station (hakto station
// --spool). In virtual time (sim::manual_timers): the spool polls when the test moves time.
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/timers.hpp"
#include "support/net_node_fixtures.hpp"
#include "support/net_temp.hpp"
#include "support/net_test_stream.hpp"
#include "support/wait.hpp"
#include "terminals/net/net_store.hpp"
#include "terminals/net/node/net_node.hpp"
#include "terminals/net/node/net_spool.hpp"

namespace fs = std::filesystem;
using namespace hakto::terminals;
using hakto::sim::manual_timers;
using hakto::test::local_count;
using hakto::test::memory_pair;
using hakto::test::run_until;
using hakto::test::station;

namespace {

/// A cable filed at run time, from A to `to`.
net_cable run_time_cable(const std::string& label, const std::string& to) {
    return hakto::test::text_cable(label, "RUN TIME CABLE " + label,
                                   hakto::protocol::precedence::routine, to);
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream f(p, std::ios::trunc);
    f << text;
}

std::string cable_text(const std::string& series) {
    return "B DE A\n\nO 211615Z JUN 72\n\nTO GENERAL HAIG\n\nFROM HENRY A KISSINGER\n\n" + series +
           "\n\n1. THREE AND A HALF HOUR SESSION WITH CHOU.\n\nWARM REGARDS\n";
}

std::size_t files_in(const fs::path& dir, const std::string& ext = ".txt") {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ext ? 1 : 0;
    return n;
}

/// A station B alone with its spool; cables addressed to B are delivered here.
struct spooled_station {
    boost::asio::io_context io;
    manual_timers timers;
    std::unique_ptr<net_node> node;
    std::shared_ptr<net_spool> spool;
    std::vector<std::string> log;
    spooled_station(const std::string& journal, const std::string& dir) {
        auto made = net_node::create(io, timers, station("B", "A", false, journal));
        REQUIRE(made);
        node = std::move(made.value());
        node->on_log([this](const std::string& m) { log.push_back(m); });
        spool_options so;
        so.dir = dir;
        so.interval = std::chrono::milliseconds{10};
        auto sp =
            net_spool::open(timers, *node, so, [this](const std::string& m) { log.push_back(m); });
        REQUIRE(sp);
        spool = sp.value();
        node->start();
        spool->start();
    }
    ~spooled_station() {
        spool->stop();
        node->stop();
        io.restart();
        io.poll();
    }
};

}  // namespace

TEST_CASE("a cable filed at run time goes out like one filed at start", "[net][node][spool]") {
    boost::asio::io_context io;
    manual_timers timers;
    auto a =
        net_node::create(io, timers, station("A", "B", true, hakto::test::net_temp_dir("file-a")));
    auto b =
        net_node::create(io, timers, station("B", "A", false, hakto::test::net_temp_dir("file-b")));
    REQUIRE(a);
    REQUIRE(b);
    a.value()->on_log([](const std::string&) {});
    b.value()->on_log([](const std::string&) {});
    a.value()->start();
    b.value()->start();
    auto [sa, sb] = memory_pair(io);
    a.value()->adopt(std::move(sa), true, "B");
    b.value()->adopt(std::move(sb), false, "");

    std::vector<bool> results;
    auto on_done = [&](hakto::expected<bool, node_error> r) {
        REQUIRE(r);
        results.push_back(r.value());
    };
    REQUIRE(a.value()->file(run_time_cable("RUN 1", "B"), on_done));
    REQUIRE(run_until(io, timers, [&] { return local_count(*b.value()) == 1; }));
    REQUIRE(a.value()->file(run_time_cable("RUN 2", "B"), on_done));
    REQUIRE(a.value()->file(run_time_cable("RUN 1", "B"), on_done));  // filed before: not again
    REQUIRE(
        run_until(io, timers, [&] { return local_count(*b.value()) == 2 && results.size() == 3; }));
    // RUN 1 filed; then RUN 1 again (told at once: filed before) and RUN 2 (once on disk).
    CHECK(results == std::vector<bool>{true, false, true});
    CHECK(a.value()->store().filed_here("RUN 2"));
    // Checked at once, as create() checks to_file: a label the wire cannot carry.
    auto bad = a.value()->file(run_time_cable("", "B"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("cannot go on the wire") != std::string::npos);
    a.value()->stop();
    b.value()->stop();
    io.restart();
    io.poll();
}

TEST_CASE("a spooled cable text is read for its addressee, precedence and label", "[net][spool]") {
    auto c = read_spooled_cable(cable_text("HAKTO 13"), "x.txt", "x",
                                hakto::protocol::code_set::us_tty, false);
    REQUIRE(c);
    CHECK(c.value().label == "HAKTO 13");
    CHECK(c.value().addressees == std::vector<std::string>{"B"});
    CHECK(c.value().precedence ==
          static_cast<std::uint8_t>(hakto::protocol::precedence::immediate));
    CHECK(c.value().codes ==
          encode_filing_text(cable_text("HAKTO 13"), hakto::protocol::code_set::us_tty, false)
              .value());
    auto stem = read_spooled_cable("B DE A\n\n211615Z JUN 72\n\nTHE TEXT.\n", "y.txt", "y",
                                   hakto::protocol::code_set::us_tty, false);
    REQUIRE(stem);
    CHECK(stem.value().label == "y");
    CHECK(stem.value().precedence == 0);
    auto none = read_spooled_cable("NO ROUTING LINE HERE.\n", "z.txt", "z",
                                   hakto::protocol::code_set::us_tty, false);
    REQUIRE_FALSE(none);
    CHECK(none.error().find("z.txt") == 0);
    CHECK(none.error().find("routing line") != std::string::npos);
}

TEST_CASE("the spool files good texts, rejects bad ones and never files a label twice",
          "[net][spool]") {
    const auto dir = fs::path(hakto::test::net_temp_dir("spool-dir"));
    const auto journal = hakto::test::net_temp_dir("spool-journal");
    fs::create_directories(dir);
    write_file(dir / "01.txt", cable_text("HAKTO 13"));
    write_file(dir / "02.txt", "NO ROUTING LINE HERE.\n");
    write_file(dir / "03.txt", cable_text("HAKTO 13"));  // the same label again
    write_file(dir / "04.txt", std::string(70 * 1024, 'A'));
    write_file(dir / "notes.md", "not a cable");
    {
        spooled_station s(journal, dir.string());
        REQUIRE(run_until(s.io, s.timers,
                          [&] { return files_in(dir) == 0 && local_count(*s.node) == 1; }));
        CHECK(s.node->store().filed_here("HAKTO 13"));
        CHECK(s.node->store().cables().size() == 1);
        for (const auto& [id, c] : s.node->store().cables()) CHECK(c.origin == "B");
        CHECK(s.spool->filed() == 1);
        CHECK(s.spool->rejected() == 2);
        CHECK(files_in(dir / "filed") == 2);
        CHECK(fs::exists(dir / "rejected" / "02.txt"));
        CHECK(fs::exists(dir / "rejected" / "04.txt"));
        std::ifstream reason(dir / "rejected" / "02.txt.reason");
        std::string line;
        std::getline(reason, line);
        CHECK(line.find("02.txt") == 0);
        CHECK(fs::exists(dir / "notes.md"));
        // Dropped while running: filed on the next poll.
        write_file(dir / "05.txt", cable_text("HAKTO 14"));
        REQUIRE(run_until(s.io, s.timers, [&] { return local_count(*s.node) == 2; }));
        REQUIRE(run_until(s.io, s.timers, [&] { return files_in(dir / "filed") == 3; }));
    }
    // A restart: a file whose cable the journal has (a crash before the move) just moves; a new
    // one left in the directory while the station was down is filed.
    fs::copy_file(dir / "filed" / "05.txt", dir / "05.txt");
    write_file(dir / "06.txt", cable_text("HAKTO 15"));
    {
        spooled_station s(journal, dir.string());
        REQUIRE(run_until(s.io, s.timers,
                          [&] { return files_in(dir) == 0 && local_count(*s.node) == 3; }));
        CHECK(s.node->store().cables().size() == 3);
        CHECK(s.node->store().filed_here("HAKTO 15"));
        CHECK(s.spool->filed() == 1);
        CHECK(files_in(dir / "filed") == 4);
    }
}

TEST_CASE("finished cables leave memory and a compacted journal keeps serials and labels",
          "[net][journal][compaction]") {
    const auto dir = hakto::test::net_temp_dir("compact-store");
    const std::map<std::string, std::vector<std::string>> routes{{"P", {"P"}}};
    std::uint64_t size_before = 0;
    {
        auto st = net_store::open(dir);
        REQUIRE(st);
        auto& s = *st.value();
        for (int i = 1; i <= 30; ++i) {
            auto id = s.accept(run_time_cable(fmt::format("C{}", i), "P"), routes);
            REQUIRE(id);
            auto serial = s.transmit("P", id.value(), static_cast<std::uint64_t>(i) * 100, 100);
            REQUIRE(serial);
            CHECK(serial.value() == static_cast<std::uint32_t>(i));
            if (i <= 28) REQUIRE(s.done("P", serial.value()));
        }
        // A cable with no route and not addressed here is held, never retired.
        REQUIRE(s.accept(run_time_cable("NOWHERE", "Q"), {}));
        // 28 copies done: the last 4 held for repeats; 24 cables finished, the newest 3 kept.
        CHECK(s.retire(4, 3) == 21);
        CHECK(s.cables().size() == 2 + 4 + 3 + 1);
        CHECK(s.oldest_held("P") == 25);
        size_before = s.log().size();
        auto c = s.compact_if(0);
        REQUIRE(c);
        CHECK(c.value());
        CHECK(s.log().size() < size_before);
        CHECK(s.compactions() == 1);
        // Grown less than twice its compacted size: not compacted again.
        REQUIRE_FALSE(s.compact_if(0).value());
    }
    auto st = net_store::open(dir);
    REQUIRE(st);
    auto& s = *st.value();
    CHECK(s.log().size() < size_before);
    std::size_t held = 0;
    for (const auto& [id, c] : s.cables()) held += c.label == "NOWHERE" ? 1 : 0;
    CHECK(held == 1);
    for (int i = 1; i <= 30; ++i) CHECK(s.filed_here(fmt::format("C{}", i)));
    CHECK(s.out("P").last_serial == 30);
    CHECK(s.out("P").next_key == 3100);
    CHECK(s.oldest_held("P") == 25);
    std::size_t open = 0;
    for (const auto& c : s.out("P").copies) open += c.done ? 0 : 1;
    CHECK(open == 2);
    // The next cable takes the next serial.
    auto id = s.accept(run_time_cable("C31", "P"), routes);
    REQUIRE(id);
    CHECK(s.transmit("P", id.value(), 3100, 10).value() == 31);
}

TEST_CASE(
    "a long run keeps a bounded store and a restarted node goes on from its compacted "
    "journal",
    "[net][node][compaction]") {
    boost::asio::io_context io;
    manual_timers timers;
    const auto ja = hakto::test::net_temp_dir("long-a");
    auto ca = station("A", "B", true, ja);
    ca.keep_copies = 3;
    ca.keep_cables = 2;
    ca.compact_bytes = 2048;
    auto cb = station("B", "A", false, hakto::test::net_temp_dir("long-b"));
    cb.keep_copies = 3;
    cb.keep_cables = 2;
    cb.compact_bytes = 2048;
    auto b = net_node::create(io, timers, cb);
    REQUIRE(b);
    b.value()->on_log([](const std::string&) {});
    std::size_t delivered = 0;
    b.value()->on_delivered([&](const net_cable&) { ++delivered; });
    b.value()->start();
    {
        auto a = net_node::create(io, timers, ca);
        REQUIRE(a);
        a.value()->on_log([](const std::string&) {});
        a.value()->start();
        auto [sa, sb] = memory_pair(io);
        a.value()->adopt(std::move(sa), true, "B");
        b.value()->adopt(std::move(sb), false, "");
        for (int i = 1; i <= 40; ++i)
            REQUIRE(a.value()->file(run_time_cable(fmt::format("L{}", i), "B")));
        REQUIRE(run_until(io, timers,
                          [&] { return delivered == 40 && a.value()->outstanding() == 0; }));
        // The last 3 copies held for repeats and their cables, and 2 finished ones.
        REQUIRE(run_until(io, timers, [&] { return a.value()->store().cables().size() <= 5; }));
        CHECK(a.value()->store().compactions() > 0);
        CHECK(b.value()->store().compactions() > 0);
        CHECK(b.value()->store().cables().size() <= 2);
        a.value()->stop();
        io.restart();
        io.poll();
    }
    auto a = net_node::create(io, timers, ca);
    REQUIRE(a);
    a.value()->on_log([](const std::string&) {});
    a.value()->start();
    CHECK(a.value()->store().outs().at("B").last_serial == 40);
    // fmt::format, not "L" + std::to_string(i): GCC 12 at -O3 warns -Wrestrict on the latter.
    for (int i = 1; i <= 40; ++i) CHECK(a.value()->store().filed_here(fmt::format("L{}", i)));
    auto [sa, sb] = memory_pair(io);
    a.value()->adopt(std::move(sa), true, "B");
    b.value()->adopt(std::move(sb), false, "");
    REQUIRE(a.value()->file(run_time_cable("L41", "B")));
    REQUIRE(a.value()->file(run_time_cable("L7", "B")));  // filed before the compaction: not again
    REQUIRE(
        run_until(io, timers, [&] { return delivered == 41 && a.value()->outstanding() == 0; }));
    CHECK(b.value()->stats().duplicates == 0);
    CHECK(b.value()->stats().gaps == 0);
    CHECK(b.value()->store().last_received("A") == 41);
    a.value()->stop();
    b.value()->stop();
    io.restart();
    io.poll();
}

namespace {

/// A sends `cables` cables to B, holding the last 3 copies in memory; then B's journal is lost
/// (a new B, an empty journal) and A files one more: B finds a gap and asks INT ZDK 001-0NN.
struct lost_receiver {
    boost::asio::io_context io;
    manual_timers timers;
    std::vector<std::string> a_log;
    std::map<std::string, int> delivered;
    std::unique_ptr<net_node> a, b;

    lost_receiver(const std::string& name, std::uint64_t compact_bytes, int cables = 20) {
        auto ca = station("A", "B", true, hakto::test::net_temp_dir(name + "-a"));
        ca.keep_copies = 3;
        ca.keep_cables = 2;
        ca.compact_bytes = compact_bytes;
        a = std::move(net_node::create(io, timers, ca).value());
        a->on_log([this](const std::string& m) { a_log.push_back(m); });
        a->start();
        b = make_b(name + "-b1");
        connect();
        for (int i = 1; i <= cables; ++i) {  // one at a time: the journal compacts as it goes
            REQUIRE(a->file(run_time_cable(fmt::format("L{}", i), "B")));
            REQUIRE(run_until(io, timers,
                              [&] { return delivered.size() == static_cast<std::size_t>(i); }));
        }
        REQUIRE(run_until(io, timers, [&] {
            return delivered.size() == static_cast<std::size_t>(cables) && a->outstanding() == 0;
        }));
        REQUIRE(run_until(io, timers, [&] { return a->store().cables().size() <= 5; }));
        b->stop();
        b = make_b(name + "-b2");  // its journal gone
        delivered.clear();
        connect();
        REQUIRE(a->file(run_time_cable(fmt::format("L{}", cables + 1), "B")));
    }
    std::unique_ptr<net_node> make_b(const std::string& dir) {
        auto cb = station("B", "A", false, hakto::test::net_temp_dir(dir));
        auto n = std::move(net_node::create(io, timers, cb).value());
        n->on_log([](const std::string&) {});
        n->on_delivered([this](const net_cable& c) { ++delivered[c.label]; });
        n->start();
        return n;
    }
    void connect() {
        auto [sa, sb] = memory_pair(io);
        a->adopt(std::move(sa), true, "B");
        b->adopt(std::move(sb), false, "");
    }
    ~lost_receiver() {
        a->stop();
        b->stop();
        io.restart();
        io.poll();
    }
};

bool logged(const std::vector<std::string>& log, const std::string& what) {
    return std::any_of(log.begin(), log.end(),
                       [&](const std::string& m) { return m.find(what) != std::string::npos; });
}

}  // namespace

TEST_CASE(
    "a repeat request for serials older than the 64 held in memory is answered from the "
    "journal",
    "[net][node][repeat]") {
    lost_receiver r("repeat-journal", 16u << 20);
    REQUIRE(run_until(r.io, r.timers, [&] { return r.delivered.size() == 21; }));
    for (int i = 1; i <= 21; ++i) CHECK(r.delivered[fmt::format("L{}", i)] == 1);
    CHECK(logged(r.a_log, "repeat request from B for 001-017: read back from the journal"));
    CHECK(r.b->store().last_received("A") == 21);
    // Once done again, the restored copies leave memory as before.
    REQUIRE(run_until(r.io, r.timers, [&] { return r.a->outstanding() == 0; }));
    REQUIRE(run_until(r.io, r.timers, [&] { return r.a->store().cables().size() <= 5; }));
}

TEST_CASE("a repeat request for serials the journal no longer holds is refused, naming them",
          "[net][node][repeat]") {
    // Compacted every few cables: the journal and its previous generation hold only the last.
    lost_receiver r("repeat-gone", 1024, 80);
    REQUIRE(r.a->store().compactions() >= 3);
    REQUIRE(run_until(r.io, r.timers,
                      [&] { return logged(r.a_log, "neither held nor in its journal"); }));
    CHECK(logged(r.a_log, "repeat request from B: INT ZDK 001-080: serials 001-"));
    CHECK(r.delivered.empty());
}
