// Stations and a relay over loopback TCP (terminals/net/node/net_node.hpp), each node on its own
// io_context and thread, as separate processes would be:
//
//  1. Cables a second through one relay with pacing off: station A files N cables for B, all
//     through relay R; timed from the start until B has the last one on disk. Every cable is
//     journalled with fdatasync at R and at B before it is acknowledged (journals in the build
//     folder, on disk). Printed as BENCH relay_cables_per_s.
//  2. The latency the network path adds to each character with pacing on: from the moment the
//     sender's pacing puts a character on the wire to the moment the receiver's printer prints
//     it (A to B directly, 60 wpm at 20x, one cable). Printed as BENCH net_char_latency_p99_ms
//     (and p50); the goal is under 5 ms at p99 on loopback.
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/net/node/net_node.hpp"

using namespace hakto::terminals;
namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;

namespace {

fs::path bench_dir(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("hakto-bench-net-" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

net_cable cable(int i, std::size_t length) {
    static const std::string words =
        "THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO VIETNAM WITH SOME "
        "DISCUSSION OF "
        "SOVIET UNION AT OUTSET. THEIR DISTRUST OF RUSSIANS WAS ONCE AGAIN CLEAR. ";
    std::string text;
    for (std::size_t k = static_cast<std::size_t>(i) % 50; text.size() < length; k += 7)
        text += words.substr(k % 90, 60) + "\r\r\n";
    auto codes = hakto::protocol::encode(text.substr(0, length));
    net_cable c;
    c.label = "BENCH " + std::to_string(i);
    c.origin = "A";
    c.addressees = {"B"};
    if (codes) c.codes.assign(codes.value().codes.begin(), codes.value().codes.end());
    return c;
}

node_config base(const std::string& id, const fs::path& dir, double speed) {
    node_config c;
    c.id = id;
    c.journal_dir = (dir / ("journal-" + id)).string();
    c.speed = speed;
    c.crypto = false;
    c.heartbeat = std::chrono::milliseconds{500};
    c.idle_timeout = std::chrono::milliseconds{5000};
    c.reconnect_min = std::chrono::milliseconds{10};
    return c;
}

node_peer peer(const std::string& id, bool dial, std::uint16_t port = 0) {
    node_peer p;
    p.id = id;
    p.dial = dial;
    p.port = port;
    p.circuit.id = id;
    return p;
}

struct running {
    boost::asio::io_context io;
    std::unique_ptr<net_node> node;
    std::thread thread;
    ~running() {
        if (thread.joinable()) {
            boost::asio::post(io, [this] { node->stop(); });
            thread.join();
        }
    }
    void run() {
        thread = std::thread([this] {
            node->start();
            io.run();
        });
    }
};

std::unique_ptr<running> make(node_config c) {
    auto r = std::make_unique<running>();
    auto n = net_node::create(r->io, std::move(c));
    if (!n) {
        std::fprintf(stderr, "bench_net_relay: %s\n", n.error().message.c_str());
        std::exit(1);
    }
    r->node = std::move(n.value());
    r->node->on_log([](const std::string&) {});
    return r;
}

double relay_cables_per_second(int cables, std::size_t length) {
    auto dir = bench_dir("relay");
    auto cr = base("R", dir, 0);
    cr.role = hakto::protocol::wire::role::relay;
    cr.peers = {peer("A", false), peer("B", false)};
    cr.routes = {{"A", "A"}, {"B", "B"}};
    auto r = make(cr);
    const auto port = r->node->port();

    auto cb = base("B", dir, 0);
    cb.listen = false;
    cb.peers = {peer("R", true, port)};
    cb.routes = {{"", "R"}};
    auto b = make(cb);
    std::atomic<int> delivered{0};
    b->node->on_delivered([&](const net_cable&) { ++delivered; });

    auto ca = base("A", dir, 0);
    ca.listen = false;
    ca.peers = {peer("R", true, port)};
    ca.routes = {{"", "R"}};
    for (int i = 0; i < cables; ++i) ca.to_file.push_back(cable(i, length));
    auto a = make(ca);

    r->run();
    b->run();
    const auto t0 = steady::now();
    a->run();
    while (delivered.load() < cables) {
        if (steady::now() - t0 > std::chrono::minutes{5}) {
            std::fprintf(stderr, "bench_net_relay: only %d of %d cables delivered in 5 minutes\n",
                         delivered.load(), cables);
            std::exit(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    const double seconds = std::chrono::duration<double>(steady::now() - t0).count();
    a.reset();
    b.reset();
    r.reset();
    fs::remove_all(dir.parent_path());
    return cables / seconds;
}

struct latency {
    double p50 = 0, p99 = 0, max = 0;
    std::size_t samples = 0;
};

latency char_latency(std::size_t length, double speed) {
    auto dir = bench_dir("latency");
    auto cb = base("B", dir, speed);
    cb.peers = {peer("A", false)};
    cb.routes = {{"", "A"}};
    auto b = make(cb);
    auto ca = base("A", dir, speed);
    ca.listen = false;
    ca.peers = {peer("B", true, b->node->port())};
    ca.routes = {{"", "B"}};
    auto c = cable(1, length);
    const auto n = c.codes.size();
    ca.to_file.push_back(std::move(c));
    auto a = make(ca);
    // Written by one thread each, read after both have stopped.
    std::vector<steady::time_point> sent(n), printed(n);
    std::atomic<std::size_t> done{0};
    a->node->on_sent([&](const std::string&, std::uint32_t, std::uint32_t k) {
        if (k < n) sent[k] = steady::now();
    });
    b->node->on_printed([&](const std::string&, std::uint32_t k, std::uint8_t) {
        if (k < n) printed[k] = steady::now();
        ++done;
    });
    b->run();
    a->run();
    while (done.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds{5});
    a.reset();
    b.reset();
    std::vector<double> ms;
    for (std::size_t k = 0; k < n; ++k)
        ms.push_back(std::chrono::duration<double, std::milli>(printed[k] - sent[k]).count());
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) {
        return ms[std::min(ms.size() - 1,
                           static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
    };
    fs::remove_all(dir.parent_path());
    return {pct(0.50), pct(0.99), ms.back(), ms.size()};
}

}  // namespace

int main() {
    const int cables = 2000;
    const std::size_t length = 200;
    auto rate = relay_cables_per_second(cables, length);
    std::printf(
        "relay: %d cables of %zu characters, station A -> relay R -> station B over loopback TCP, "
        "pacing off, "
        "every cable fdatasync'ed at R and at B before it is acknowledged (journals in %s)\n",
        cables, length, fs::temp_directory_path().c_str());
    std::printf("BENCH relay_cables_per_s %.0f cables/s\n", rate);

    const double speed = 20;
    auto lat = char_latency(600, speed);
    std::printf(
        "latency: %zu characters A -> B, paced at 60 wpm x %.0f (%.2f ms a character); from the "
        "sender's "
        "pacing putting each on the wire to the receiver's printer printing it\n",
        lat.samples, speed, 163.26 / speed);
    std::printf("BENCH net_char_latency_p50_ms %.3f ms\n", lat.p50);
    std::printf("BENCH net_char_latency_p99_ms %.3f ms\n", lat.p99);
    std::printf("BENCH net_char_latency_max_ms %.3f ms\n", lat.max);
    return 0;
}
