// Stations and relays as real processes (the hakto binary) on 127.0.0.1 with ephemeral ports:
// the June 1972 scenario delivered, the relay killed with SIGKILL and restarted mid-cable again
// and again, garbage and bad frames, authentication, a crowd of idle connections. The tests
// wait for what the processes show (their logs, the files they write, the bytes of a printer
// port), each wait with a deadline; none sleeps for a guessed while.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string_view>
#include <thread>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/wire_frame.hpp"
#include "sim/engine.hpp"
#include "support/net_processes.hpp"
#include "support/private_file.hpp"
#include "support/process.hpp"
#include "terminals/cli/net_config.hpp"
#include "terminals/net/net_auth.hpp"
#include "terminals/net/net_delivered.hpp"
#include "terminals/replay/replay.hpp"

namespace fs = std::filesystem;
namespace wire = hakto::protocol::wire;
using hakto::test::count_of;
using hakto::test::delivered;
using hakto::test::eventually;
using hakto::test::filed_codes;
using hakto::test::hello_from;
using hakto::test::hex;
using hakto::test::line_scenario;
using hakto::test::net_run;
using hakto::test::process;
using hakto::test::raw_client;
using hakto::test::read_line;
using hakto::test::read_port;
using hakto::test::slurp;
using hakto::test::work_dir;
using tcp = boost::asio::ip::tcp;

TEST_CASE(
    "the june1972 scenario crosses real processes: Beijing, the relay, the White House and its "
    "printer port",
    "[net][process]") {
    auto dir = work_dir("june1972");
    net_run r;
    r.dir = dir;
    r.scenario = "june1972";
    r.relay.start(HAKTO_BINARY,
                  {"relay", "--id", "WHR", "--journal", dir + "/j-WHR", "--port-file",
                   dir + "/whr.port", "--speed", "max"},
                  dir + "/WHR.log");
    REQUIRE(eventually([&] { return (r.relay_port = read_port(dir + "/whr.port")) != 0; }));
    auto peer = "WHR=127.0.0.1:" + std::to_string(r.relay_port);
    r.b.start(HAKTO_BINARY,
              {"station", "--id", "WTE", "--journal", dir + "/j-WTE", "--peer", peer, "--speed",
               "max", "--out-dir", dir + "/out", "--printer-port", "0", "--printer-port-file",
               dir + "/wte.printer"},
              dir + "/WTE.log");
    unsigned printer = 0;
    REQUIRE(eventually([&] { return (printer = read_port(dir + "/wte.printer")) != 0; }));
    // A telnet-like client on the printer port before the traffic starts.
    raw_client page(printer);
    REQUIRE(eventually(
        [&] { return slurp(dir + "/WTE.log").find("connected to WHR") != std::string::npos; }));
    r.a.start(HAKTO_BINARY,
              {"station", "--id", "WTE10", "--journal", dir + "/j-WTE10", "--peer", peer, "--speed",
               "max"},
              dir + "/WTE10.log");
    REQUIRE(eventually([&] { return delivered(dir + "/out").size() == 3; }));
    auto got = delivered(dir + "/out");

    // The same codes the in-process replay prints at the White House.
    hakto::terminals::replay_options ro;
    ro.scenario = "june1972";
    auto scn = hakto::sim::load_named_scenario("june1972");
    REQUIRE(scn);
    hakto::sim::engine e{scn.value().start};
    std::vector<std::string> warnings;
    auto rp = hakto::terminals::replay::prepare(ro, e, warnings);
    REQUIRE(rp);
    rp.value()->start();
    e.run();
    for (const auto& c : rp.value()->cables()) {
        INFO(c.spec.id);
        REQUIRE(c.delivery);
        CHECK(got[c.spec.id] == hex(std::vector<std::uint8_t>(c.delivery->received.begin(),
                                                              c.delivery->received.end())));
    }

    // The page copy, CR LF line ends.
    std::string text;
    std::array<char, 4096> buf{};
    REQUIRE(eventually([&] {
        boost::system::error_code ec;
        page.s.non_blocking(true);
        auto n = page.s.read_some(boost::asio::buffer(buf), ec);
        if (!ec) text.append(buf.data(), n);
        return text.find("VIETNAM WITH SOME DISCUSSION OF SOVIET UNION") != std::string::npos;
    }));
    CHECK(text.rfind("WTE page printer\r\n", 0) == 0);
    CHECK(text.find("THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO\r\n") !=
          std::string::npos);
    CHECK(text.find("\n") == text.find("\r\n") + 1);

    CHECK(r.a.stop(SIGTERM) == 0);
    CHECK(r.b.stop(SIGTERM) == 0);
    CHECK(r.relay.stop(SIGINT) == 0);
    CHECK(count_of(slurp(dir + "/WTE.log"), "delivered HAKTO") == 3);
}

TEST_CASE(
    "the relay killed with SIGKILL and restarted 20 times mid-transmission: every cable arrives "
    "once with identical text",
    "[net][process][kill]") {
    auto dir = work_dir("kill");
    net_run r;
    r.dir = dir;
    r.scenario = line_scenario(dir, 80);
    r.speed = "300x";
    r.start_relay();
    r.start_station(r.b, "B", {"--printer-port", "0", "--printer-port-file", dir + "/B.printer"});
    unsigned printer = 0;
    REQUIRE(eventually([&] { return (printer = read_port(dir + "/B.printer")) != 0; }));
    raw_client page(printer);  // B's page printer: its byte count grows as B prints
    r.start_station(r.a, "A");
    const auto want = filed_codes(r.scenario, "A");
    REQUIRE(want.size() == 80);
    int kills_mid_cable = 0;
    std::size_t mark = 0;  // where the relay's log stood when it was last started
    for (int kill = 1; kill <= 20; ++kill) {
        INFO("kill " << kill << " of 20; the relay's log: " << dir << "/R.log");
        auto life = [&] {
            auto log = slurp(dir + "/R.log");
            return log.substr(std::min(mark, log.size()));
        };
        {
            INFO("waiting for both stations to connect to this life of the relay");
            REQUIRE(eventually([&] {
                auto tail = life();
                return tail.find("connection from A") != std::string::npos &&
                       tail.find("connection from B") != std::string::npos;
            }));
        }
        // Kill the relay just after it has begun a cable to B (one begun since the wait began,
        // so at most a poll old) and its characters are printing at B: in the middle of it.
        const auto begun_before = read_line(life(), "B").begun.size();
        std::optional<std::string> target;
        std::size_t printed_at_begin = 0;
        {
            INFO("waiting for the relay to begin a cable to B and for B to print from it");
            REQUIRE(eventually([&] {
                const auto bytes = page.drain();
                const auto line = read_line(life(), "B");
                const auto on_line = line.unacknowledged();
                if (line.begun.size() <= begun_before || !on_line) {
                    target.reset();
                    return false;
                }
                if (target != on_line) {
                    target = on_line;
                    printed_at_begin = bytes;
                    return false;
                }
                return bytes > printed_at_begin;
            }));
        }
        CHECK(r.relay.stop(SIGKILL) == 128 + SIGKILL);
        REQUIRE(delivered(dir + "/out").size() < want.size());  // still traffic on the lines
        // The relay's log is its own record up to its death: the cable is there begun and not
        // acknowledged as stored, so the kill landed while it was in flight.
        const bool in_flight = read_line(life(), "B").stored.count(*target) == 0;
        INFO("the relay began " << *target << " to B; at its death B had "
                                << (in_flight ? "not acknowledged it" : "stored it"));
        CHECK(in_flight);
        if (in_flight) ++kills_mid_cable;
        mark = slurp(dir + "/R.log").size();
        r.start_relay();
    }
    {
        INFO("waiting for every cable to arrive at B");
        REQUIRE(eventually([&] { return delivered(dir + "/out").size() == want.size(); },
                           std::chrono::milliseconds{60000}));
    }
    CHECK(kills_mid_cable == 20);  // every kill landed in the middle of a cable
    CHECK(delivered(dir + "/out") == want);
    auto b_log = slurp(dir + "/B.log");
    auto a_log = slurp(dir + "/A.log");
    CHECK(count_of(b_log, "delivered MSG") == want.size());  // B never delivered a cable twice
    // The kills landed in the middle of cables: transmissions broken off and sent again.
    CHECK(count_of(a_log, "sending again") + count_of(b_log, "broken off") >= 10);
    // Each kill broke off the cable B was receiving from the relay.
    CHECK(count_of(b_log, "broken off") >= 20);
    // The relay took its queue up again from its journal.
    CHECK(count_of(slurp(dir + "/R.log"), " to send on") >= 1);
    INFO(b_log);
    CHECK(r.a.stop(SIGTERM) == 0);
    CHECK(r.b.stop(SIGTERM) == 0);
    CHECK(r.relay.stop(SIGTERM) == 0);
}

TEST_CASE(
    "garbage, oversized, truncated and unknown-station frames are refused, logged, and good "
    "traffic flows",
    "[net][process]") {
    auto dir = work_dir("garbage");
    net_run r;
    r.dir = dir;
    r.scenario = line_scenario(dir, 3);
    r.start_relay();
    {
        raw_client c(r.relay_port);
        c.send(std::vector<std::uint8_t>{'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1',
                                         '.', '1', '\r', '\n', '\r', '\n'});
        CHECK(c.closed_by_peer());
    }
    {
        raw_client c(r.relay_port);
        c.send(
            std::vector<std::uint8_t>{0x48, 0x4B, 1, 5, 0x00, 0x10, 0x00, 0x00});  // data of 1 MiB
        CHECK(c.closed_by_peer());
    }
    {
        raw_client c(r.relay_port);
        auto h = wire::encode(hello_from("A"));
        h.resize(h.size() - 5);  // a truncated hello, then the connection goes
        c.send(h);
    }
    {
        raw_client c(r.relay_port);
        c.send(hello_from("EVIL"));
        auto f = c.read_frame();
        REQUIRE(f);
        REQUIRE(std::holds_alternative<wire::refuse>(*f));
        CHECK(std::get<wire::refuse>(*f).reason.find("EVIL is not a neighbour") !=
              std::string::npos);
        CHECK(c.closed_by_peer());
    }
    {
        raw_client c(r.relay_port);
        auto h = wire::encode(hello_from("A"));
        h[2] = 9;  // a protocol version this relay does not speak
        c.send(h);
        CHECK(c.closed_by_peer());
    }
    // And while the cables go, a flood of garbage and oversized frames on new connections.
    std::atomic<bool> flooding{true};
    std::atomic<int> flood_connections{0};
    std::thread flood([&] {
        while (flooding) {
            try {
                raw_client c(r.relay_port);
                if (flood_connections % 2 == 0)
                    c.send(std::vector<std::uint8_t>(
                        3000, static_cast<std::uint8_t>(flood_connections.load())));
                else
                    c.send(std::vector<std::uint8_t>{0x48, 0x4B, 1, 4, 0x7F, 0, 0, 0});
                ++flood_connections;
            } catch (const std::exception&) {
            }
        }
    });
    r.start_station(r.b, "B");
    r.start_station(r.a, "A");
    const auto want = filed_codes(r.scenario, "A");
    bool all = eventually([&] { return delivered(dir + "/out").size() == want.size(); });
    flooding = false;
    flood.join();
    REQUIRE(all);
    CHECK(flood_connections > 10);
    CHECK(delivered(dir + "/out") == want);
    auto log = slurp(dir + "/R.log");
    CHECK(log.find("bad magic") != std::string::npos);
    CHECK(log.find("oversized frame: payload of 1048576 bytes") != std::string::npos);
    CHECK(log.find("truncated frame") != std::string::npos);
    CHECK(log.find("refused 127.0.0.1") != std::string::npos);
    CHECK(log.find("EVIL is not a neighbour of R") != std::string::npos);
    CHECK(log.find("unsupported version") != std::string::npos);
    CHECK(r.relay.stop(SIGTERM) == 0);
}

TEST_CASE(
    "a shared key authenticates stations: a wrong key, no key and a replayed answer are refused",
    "[net][process][auth]") {
    auto dir = work_dir("auth");
    hakto::test::write_private_file(dir + "/key", "a shared key for the backchannel, 1972\n");
    hakto::test::write_private_file(dir + "/wrong", "not the key at all, not the key at all\n");
    net_run r;
    r.dir = dir;
    r.scenario = line_scenario(dir, 2);
    r.start_relay({"--key-file", dir + "/key"});

    // No key, then a wrong key: refused with a reason, on both sides of the log.
    process nokey, wrong;
    r.start_station(nokey, "B");
    REQUIRE(eventually([&] {
        return slurp(dir + "/R.log").find("authentication required") != std::string::npos;
    }));
    nokey.stop(SIGTERM);
    r.start_station(wrong, "B", {"--key-file", dir + "/wrong"});
    REQUIRE(eventually(
        [&] { return slurp(dir + "/R.log").find("authentication failed") != std::string::npos; }));
    wrong.stop(SIGTERM);
    CHECK(slurp(dir + "/B.log").find("refused us") != std::string::npos);
    CHECK(delivered(dir + "/out").empty());

    // A replayed answer: the test holds the key, answers one challenge, and sends the same answer
    // to a second connection, whose challenge is new.
    auto key = hakto::terminals::shared_key::from_file(dir + "/key");
    REQUIRE(key);
    wire::auth answer;
    {
        raw_client c(r.relay_port);
        auto h = hello_from("B");
        h.capabilities = wire::capability::authenticate;
        c.send(h);
        auto f = c.read_frame();
        REQUIRE(f);
        REQUIRE(std::holds_alternative<wire::hello>(*f));
        const auto& server = std::get<wire::hello>(*f);
        CHECK((server.capabilities & wire::capability::authenticate) != 0);
        answer.mac = hakto::terminals::auth_answer(key.value(), hakto::terminals::auth_side::client,
                                                   server.nonce, h.nonce, "B", "R");
        c.send(answer);
        auto ok = c.read_frame();
        REQUIRE(ok);
        CHECK(std::holds_alternative<wire::auth>(*ok));  // accepted: the relay proves itself back
    }
    {
        raw_client c(r.relay_port);
        auto h = hello_from("B");
        h.capabilities = wire::capability::authenticate;
        c.send(h);
        auto f = c.read_frame();
        REQUIRE(f);
        c.send(answer);
        auto refused = c.read_frame();
        REQUIRE(refused);
        REQUIRE(std::holds_alternative<wire::refuse>(*refused));
        CHECK(std::get<wire::refuse>(*refused).reason.find("authentication failed") !=
              std::string::npos);
    }

    // With the key, the traffic goes.
    r.start_station(r.b, "B", {"--key-file", dir + "/key"});
    r.start_station(r.a, "A", {"--key-file", dir + "/key"});
    const auto want = filed_codes(r.scenario, "A");
    REQUIRE(eventually([&] { return delivered(dir + "/out").size() == want.size(); }));
    CHECK(delivered(dir + "/out") == want);
    CHECK(slurp(dir + "/R.log").find("connection from A (127.0.0.1") != std::string::npos);
    CHECK(r.relay.stop(SIGTERM) == 0);
}

TEST_CASE("200 idle connections are held while good traffic still flows", "[net][process]") {
    auto dir = work_dir("idle");
    net_run r;
    r.dir = dir;
    r.scenario = line_scenario(dir, 3);
    r.start_relay({"--handshake-timeout-ms", "60000"});
    boost::asio::io_context io;
    std::vector<tcp::socket> idle;
    for (int i = 0; i < 200; ++i) {
        idle.emplace_back(io);
        idle.back().connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                          static_cast<unsigned short>(r.relay_port)));
    }
    r.start_station(r.b, "B");
    r.start_station(r.a, "A");
    const auto want = filed_codes(r.scenario, "A");
    REQUIRE(eventually([&] { return delivered(dir + "/out").size() == want.size(); }));
    CHECK(delivered(dir + "/out") == want);
    // The idle connections are still there (the relay has not closed them).
    std::size_t open = 0;
    for (auto& s : idle) {
        s.non_blocking(true);
        std::array<char, 8> b{};
        boost::system::error_code ec;
        s.read_some(boost::asio::buffer(b), ec);
        if (ec == boost::asio::error::would_block) ++open;
    }
    CHECK(open == 200);
    CHECK(r.relay.stop(SIGTERM) == 0);
}

TEST_CASE("a flood of connections past the limit closes the oldest waiting ones, not good peers",
          "[net][process]") {
    auto dir = work_dir("flood");
    net_run r;
    r.dir = dir;
    r.scenario = line_scenario(dir, 2);
    r.start_relay({"--max-pending", "50", "--handshake-timeout-ms", "60000"});
    boost::asio::io_context io;
    std::vector<tcp::socket> idle;
    for (int i = 0; i < 120; ++i) {
        idle.emplace_back(io);
        idle.back().connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                          static_cast<unsigned short>(r.relay_port)));
    }
    r.start_station(r.b, "B");
    r.start_station(r.a, "A");
    const auto want = filed_codes(r.scenario, "A");
    REQUIRE(eventually([&] { return delivered(dir + "/out").size() == want.size(); }));
    CHECK(delivered(dir + "/out") == want);
    CHECK(count_of(slurp(dir + "/R.log"), "too many connections without hello") >= 10);
    CHECK(r.relay.stop(SIGTERM) == 0);
}

TEST_CASE(
    "hakto replay --net runs the default replay across processes and matches the in-process replay",
    "[net][process]") {
    auto dir = work_dir("replay-net");
    process p(HAKTO_BINARY, {"replay", "--net", "--speed", "max"}, dir + "/out.txt");
    CHECK(p.wait_for(std::chrono::milliseconds{60000}) == 0);
    auto out = slurp(dir + "/out.txt");
    INFO(out);
    CHECK(out.find("WHR (relay") != std::string::npos);
    CHECK(out.find("THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO") !=
          std::string::npos);
    CHECK(out.find("HAKTO 12 delivered at WTE over TCP: 1205 characters, the same as the "
                   "in-process replay's copy") != std::string::npos);
    CHECK(out.find("MEMORANDUM FOR:  THE PRESIDENT") != std::string::npos);
    CHECK(out.find("it is word for word the in-process replay's") != std::string::npos);
}
