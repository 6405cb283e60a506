// FLASH pre-emption on the network path (terminals/net/node/link_sender.hpp): stations A and B
// and relay R over loopback TCP, each node on its own io_context and thread as separate
// processes would be, 60 wpm circuits paced at 50x, journals on disk.
//
//  * Idle: a FLASH of 100 characters filed at A; the time from its filing to its delivery at B.
//  * Behind ROUTINE traffic: a 2,000-character ROUTINE on each circuit (one on R to B, the next
//    on A to R) when the same FLASH is filed at A: it breaks off the ROUTINE at A, crosses to R,
//    breaks off the ROUTINE there, and is delivered at B.
//
// Printed in line time (the wall time times the speed): BENCH flash_delay_idle_s,
// BENCH flash_delay_behind_routine_s, and the difference in character times of the line,
// BENCH flash_extra_char_times (the goal: at most one a circuit, 2 here).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "bench_net_nodes.hpp"

using namespace hakto::bench;
using steady = std::chrono::steady_clock;

namespace {

constexpr double speed = 50;
// One character of a 60 wpm start-stop line (7.42 units of 22 ms, sim/line_profile.hpp).
constexpr double char_seconds = 0.16326;

struct line_of_three {
    std::unique_ptr<running> r, b, a;
    std::atomic<std::uint32_t> relay_sent_to_b{0};  ///< characters of serial 1 R sent to B
    std::atomic<bool> flash_delivered{false};
    steady::time_point delivered_at{};

    explicit line_of_three(const fs::path& dir) {
        auto cr = base("R", dir, speed);
        cr.role = hakto::protocol::wire::role::relay;
        cr.peers = {peer("A", false), peer("B", false)};
        cr.routes = {{"A", "A"}, {"B", "B"}};
        r = make(cr);
        const auto port = r->node->port();
        r->node->on_sent([this](const std::string& to, std::uint32_t serial, std::uint32_t k) {
            if (to == "B" && serial == 1) relay_sent_to_b = k + 1;
        });
        auto cb = base("B", dir, speed);
        cb.listen = false;
        cb.peers = {peer("R", true, port)};
        cb.routes = {{"", "R"}};
        b = make(cb);
        b->node->on_delivered([this](const net_cable& c) {
            if (c.precedence == static_cast<std::uint8_t>(hakto::protocol::precedence::flash)) {
                delivered_at = steady::now();
                flash_delivered = true;
            }
        });
        auto ca = base("A", dir, speed);
        ca.listen = false;
        ca.peers = {peer("R", true, port)};
        ca.routes = {{"", "R"}};
        a = make(ca);
        r->run();
        b->run();
        a->run();
    }
    /// Files a cable at A; returns when it was handed over.
    steady::time_point file(net_cable c) {
        const auto t = steady::now();
        if (auto f = a->node->file(std::move(c)); !f) {
            std::fprintf(stderr, "bench_net_flash: %s\n", f.error().message.c_str());
            std::exit(1);
        }
        return t;
    }
    template <class F>
    void wait(F done, const char* what) {
        const auto t0 = steady::now();
        while (!done()) {
            if (steady::now() - t0 > std::chrono::minutes{2}) {
                std::fprintf(stderr, "bench_net_flash: timed out waiting for %s\n", what);
                std::exit(1);
            }
            std::this_thread::sleep_for(std::chrono::microseconds{200});
        }
    }
    ~line_of_three() {
        a.reset();
        b.reset();
        r.reset();
    }
};

net_cable flash() {
    auto c = cable(7, 100);
    c.label = "FLASH";
    c.precedence = static_cast<std::uint8_t>(hakto::protocol::precedence::flash);
    return c;
}

/// Filing to delivery of the FLASH, in line seconds.
double flash_delay(bool behind_routine) {
    auto dir = bench_dir(behind_routine ? "flash-loaded" : "flash-idle");
    double line_seconds = 0;
    {
        line_of_three n(dir);
        if (behind_routine) {
            auto r1 = cable(1, 2000);
            r1.label = "ROUTINE 1";
            n.file(std::move(r1));
            // ROUTINE 1 has crossed to R and is on its line to B: ROUTINE 2 goes from A.
            n.wait([&] { return n.relay_sent_to_b.load() > 0; }, "ROUTINE 1 at the relay");
            auto r2 = cable(2, 2000);
            r2.label = "ROUTINE 2";
            n.file(std::move(r2));
            n.wait([&] { return n.relay_sent_to_b.load() >= 500; }, "both circuits busy");
        }
        const auto filed = n.file(flash());
        n.wait([&] { return n.flash_delivered.load(); }, "the FLASH");
        line_seconds = std::chrono::duration<double>(n.delivered_at - filed).count() * speed;
    }
    fs::remove_all(dir.parent_path());
    return line_seconds;
}

}  // namespace

int main() {
    // Three runs each, the median.
    auto median = [](bool loaded) {
        std::vector<double> v;
        for (int i = 0; i < 3; ++i) v.push_back(flash_delay(loaded));
        std::sort(v.begin(), v.end());
        return v[1];
    };
    const double idle = median(false);
    const double loaded = median(true);
    std::printf("FLASH of 100 characters, A to R to B at 60 wpm (paced at %.0fx):\n", speed);
    std::printf(
        "  on an idle network %.2f s of line time; behind a 2,000-character ROUTINE on "
        "each circuit %.2f s\n",
        idle, loaded);
    std::printf("BENCH flash_delay_idle_s %.3f s\n", idle);
    std::printf("BENCH flash_delay_behind_routine_s %.3f s\n", loaded);
    std::printf("BENCH flash_extra_char_times %.2f chars\n", (loaded - idle) / char_seconds);
    return 0;
}
