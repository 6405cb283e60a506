// Stations and a relay over loopback TCP (terminals/net/node/net_node.hpp), each node on its own
// io_context and thread, as separate processes would be, each figure twice in the same run:
// with a shared key on every node (the handshake's HMAC, then every frame sealed with
// ChaCha20-Poly1305, terminals/net/net_seal.hpp) and without one (frames in clear).
//
//  1. Cables a second through one relay with pacing off: station A files N cables for B, all
//     through relay R; timed from the start until B has the last one on disk. Every cable is
//     journalled with fdatasync at R and at B before it is acknowledged (journals in the temporary
//     folder, on disk). Two rounds, clear and sealed in turn, the better of each kept (the
//     machine's load moves between runs). Printed as BENCH relay_cables_per_s_sealed and
//     relay_cables_per_s_clear, and their ratio as BENCH sealing_throughput_ratio.
//  2. The latency the network path adds to each character with pacing on: from the moment the
//     sender's pacing puts a character on the wire to the moment the receiver's printer prints
//     it (A to B directly, 60 wpm at 20x, one cable). Printed as BENCH
//     net_char_latency_p50_ms_sealed, net_char_latency_p99_ms_sealed (and max, and the same
//     with _clear); the goal is under 5 ms at p99 on loopback.
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "bench_net_nodes.hpp"

using namespace hakto::terminals;
using namespace hakto::bench;
using steady = std::chrono::steady_clock;

namespace {

double relay_cables_per_second(int cables, std::size_t length, bool sealed) {
    auto dir = bench_dir("relay");
    auto cr = base("R", dir, 0, sealed);
    cr.role = hakto::protocol::wire::role::relay;
    cr.peers = {peer("A", false), peer("B", false)};
    cr.routes = {{"A", "A"}, {"B", "B"}};
    auto r = make(cr);
    const auto port = r->node->port();

    auto cb = base("B", dir, 0, sealed);
    cb.listen = false;
    cb.peers = {peer("R", true, port)};
    cb.routes = {{"", "R"}};
    auto b = make(cb);
    std::atomic<int> delivered{0};
    b->node->on_delivered([&](const net_cable&) { ++delivered; });

    auto ca = base("A", dir, 0, sealed);
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

latency char_latency(std::size_t length, double speed, bool sealed) {
    auto dir = bench_dir("latency");
    auto cb = base("B", dir, speed, sealed);
    cb.peers = {peer("A", false)};
    cb.routes = {{"", "A"}};
    auto b = make(cb);
    auto ca = base("A", dir, speed, sealed);
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
    double clear = 0, sealed = 0;
    for (int round = 0; round < 2; ++round) {
        clear = std::max(clear, relay_cables_per_second(cables, length, false));
        sealed = std::max(sealed, relay_cables_per_second(cables, length, true));
    }
    std::printf(
        "relay: %d cables of %zu characters, station A -> relay R -> station B over loopback TCP, "
        "pacing off, every cable fdatasync'ed at R and at B before it is acknowledged (journals "
        "in %s); the better of two runs each, with a shared key (every frame sealed) and "
        "without\n",
        cables, length, fs::temp_directory_path().c_str());
    std::printf("BENCH relay_cables_per_s_sealed %.0f cables/s\n", sealed);
    std::printf("BENCH relay_cables_per_s_clear %.0f cables/s\n", clear);
    std::printf("BENCH sealing_throughput_ratio %.2f x\n", sealed / clear);

    const double speed = 20;
    const auto lat_clear = char_latency(600, speed, false);
    const auto lat_sealed = char_latency(600, speed, true);
    std::printf(
        "latency: %zu characters A -> B, paced at 60 wpm x %.0f (%.2f ms a character); from the "
        "sender's pacing putting each on the wire to the receiver's printer printing it\n",
        lat_sealed.samples, speed, 163.26 / speed);
    for (const auto& [name, lat] :
         {std::pair{"sealed", lat_sealed}, std::pair{"clear", lat_clear}}) {
        std::printf("BENCH net_char_latency_p50_ms_%s %.3f ms\n", name, lat.p50);
        std::printf("BENCH net_char_latency_p99_ms_%s %.3f ms\n", name, lat.p99);
        std::printf("BENCH net_char_latency_max_ms_%s %.3f ms\n", name, lat.max);
    }
    return 0;
}
