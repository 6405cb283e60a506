// N WebSocket viewers on loopback against an exhibit server replaying in its attract loop.
//
// The server runs in a child process (forked before anything else starts), the viewers in this
// one, so the server's own resident memory and open descriptors can be read from /proc while it
// serves. Figures:
//  * fan-out latency: for each frame each viewer receives, from the moment the server
//    broadcast it to its arrival at the viewer (CLOCK_MONOTONIC is shared by both processes);
//    p50 and p99 over every (frame, viewer);
//  * event-to-viewer latency: the same from the moment the frame's first (oldest) event
//    happened, so including the time it waited for the frame (up to frame_interval, 20 ms);
//  * the server's RSS and descriptor count, sampled every second: after the warm-up, and at
//    the end, and the largest growth between them.
// Usage: bench_exhibit_viewers [viewers=1000] [seconds=60] [speed=20x]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "bench_proc.hpp"
#include "terminals/exhibit/exhibit_server.hpp"
#include "terminals/support/asio_timers.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

using hakto::bench::open_fds;
using hakto::bench::status_kb;

constexpr std::string_view frame_prefix = R"({"type":"frame","seq":)";

std::int64_t ns(steady::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

/// The frame's sequence number, or 0 for any other message.
std::uint64_t frame_seq(std::string_view text) {
    if (text.substr(0, frame_prefix.size()) != frame_prefix) return 0;
    return std::strtoull(text.data() + frame_prefix.size(), nullptr, 10);
}

void raise_fd_limit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/// The child: the exhibit server until SIGTERM; then every frame's (seq, made) to `times_path`.
int run_server(int viewers, const std::string& speed, int port_pipe,
               const std::string& times_path) {
    raise_fd_limit();
    hakto::terminals::exhibit_options o;
    o.port = 0;
    o.replay.cables = {"HAKTO 12"};
    o.speed = hakto::sim::read_speed(speed).value();
    o.idle_reset = std::chrono::seconds{0};
    o.attract_pause = std::chrono::milliseconds{1000};
    o.max_viewers = static_cast<std::size_t>(viewers) + 10;
    asio::io_context io{1};
    hakto::terminals::asio_timers timers{io};
    auto created = hakto::terminals::exhibit_server::create(io, timers, o);
    if (!created) {
        std::fprintf(stderr, "bench_exhibit_viewers: %s\n", created.error().message.c_str());
        return 1;
    }
    auto server = std::move(created.value());
    struct frame_times {
        std::uint64_t seq;
        std::int64_t made, sent;
    };
    std::vector<frame_times> made;
    made.reserve(1 << 20);
    server->on_broadcast([&](steady::time_point t, std::string_view text) {
        if (auto seq = frame_seq(text)) made.push_back({seq, ns(t), ns(steady::now())});
    });
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](boost::system::error_code, int) {
        server->stop();
        io.stop();
    });
    server->start();
    std::uint16_t port = server->port();
    if (write(port_pipe, &port, sizeof port) != static_cast<ssize_t>(sizeof port)) return 1;
    close(port_pipe);
    io.run();
    std::ofstream out(times_path, std::ios::binary);
    for (const auto& f : made) out << f.seq << ' ' << f.made << ' ' << f.sent << '\n';
    return out ? 0 : 1;
}

struct client : std::enable_shared_from_this<client> {
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::vector<std::pair<std::uint64_t, std::int64_t>> frames;  // (seq, received)
    std::atomic<int>* connected;
    bool failed = false;

    client(asio::io_context& io, std::atomic<int>* c) : ws(io), connected(c) {}

    void start(const tcp::endpoint& ep) {
        beast::get_lowest_layer(ws).async_connect(
            ep, [self = shared_from_this()](beast::error_code ec) {
                if (ec) return self->fail();
                self->ws.async_handshake("127.0.0.1", "/ws", [self](beast::error_code ec2) {
                    if (ec2) return self->fail();
                    ++*self->connected;
                    self->read();
                });
            });
    }
    void fail() { failed = true; }
    void read() {
        ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail();
            auto now = ns(steady::now());
            std::string_view text(static_cast<const char*>(self->buffer.data().data()),
                                  self->buffer.size());
            if (auto seq = frame_seq(text)) self->frames.emplace_back(seq, now);
            self->buffer.consume(self->buffer.size());
            self->read();
        });
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int viewers = argc > 1 ? std::stoi(argv[1]) : 1000;
    const int seconds = argc > 2 ? std::stoi(argv[2]) : 60;
    const std::string speed = argc > 3 ? argv[3] : "20x";
    if (!hakto::sim::read_speed(speed)) {
        std::fprintf(stderr, "bench_exhibit_viewers: bad speed '%s'\n", speed.c_str());
        return 2;
    }
    const auto times_path = (std::filesystem::temp_directory_path() /
                             fmt::format("hakto-bench-exhibit-{}.txt", getpid()))
                                .string();

    int fds[2];
    if (pipe(fds) != 0) return 1;
    const pid_t child = fork();
    if (child < 0) return 1;
    if (child == 0) {
        close(fds[0]);
        _exit(run_server(viewers, speed, fds[1], times_path));
    }
    close(fds[1]);
    std::uint16_t port = 0;
    if (read(fds[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) {
        std::fprintf(stderr, "bench_exhibit_viewers: the server did not start\n");
        waitpid(child, nullptr, 0);
        return 1;
    }
    close(fds[0]);
    raise_fd_limit();

    asio::io_context client_io{1};
    std::atomic<int> connected{0};
    std::vector<std::shared_ptr<client>> clients;
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
    for (int i = 0; i < viewers; ++i) {
        clients.push_back(std::make_shared<client>(client_io, &connected));
        clients.back()->start(ep);
    }
    std::thread client_thread([&] { client_io.run(); });
    const auto connect_deadline = steady::now() + std::chrono::seconds{30};
    while (connected.load() < viewers && steady::now() < connect_deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
    std::printf("BENCH exhibit_viewers %d\n", connected.load());
    std::fflush(stdout);

    // Everyone is watching. Warm-up: a few seconds; then the server's memory is sampled every
    // second while the attract loop replays HAKTO 12 over and over.
    const int warmup = std::min(5, std::max(1, seconds / 6));
    std::this_thread::sleep_for(std::chrono::seconds{warmup});
    const auto measure_from = ns(steady::now());
    const long rss_first = status_kb(child, "VmRSS");
    const int connected_first = connected.load();
    const long fds_first = open_fds(child);
    long rss_high = rss_first, rss_last = rss_first, fds_last = fds_first;
    for (int s = warmup; s < seconds; ++s) {
        std::this_thread::sleep_for(std::chrono::seconds{1});
        rss_last = status_kb(child, "VmRSS");
        fds_last = open_fds(child);
        rss_high = std::max(rss_high, rss_last);
    }
    std::size_t lost = 0;  // viewers whose connection ended while the server ran
    asio::post(client_io, [&] {
        for (const auto& c : clients) lost += c->failed ? 1 : 0;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    kill(child, SIGTERM);
    int status = 0;
    waitpid(child, &status, 0);
    client_io.stop();
    client_thread.join();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench_exhibit_viewers: the server failed\n");
        return 1;
    }

    std::unordered_map<std::uint64_t, std::pair<std::int64_t, std::int64_t>>
        made;  // seq -> (made, sent)
    {
        std::ifstream in(times_path);
        std::uint64_t seq = 0;
        std::int64_t t = 0, sent = 0;
        while (in >> seq >> t >> sent) made[seq] = {t, sent};
    }
    std::filesystem::remove(times_path);
    std::vector<double> latency_ms, event_ms;
    for (const auto& c : clients) {
        for (const auto& [seq, t] : c->frames) {
            auto it = made.find(seq);
            if (it == made.end() || t < measure_from) continue;
            latency_ms.push_back(static_cast<double>(t - it->second.second) / 1e6);
            event_ms.push_back(static_cast<double>(t - it->second.first) / 1e6);
        }
    }
    std::sort(latency_ms.begin(), latency_ms.end());
    std::sort(event_ms.begin(), event_ms.end());
    auto pct = [](const std::vector<double>& v, double p) {
        return v.empty() ? 0.0
                         : v[std::min(v.size() - 1,
                                      static_cast<std::size_t>(p * static_cast<double>(v.size())))];
    };
    std::printf("BENCH exhibit_speed %s\n", speed.c_str());
    std::printf("BENCH exhibit_seconds %d s\n", seconds);
    std::printf("BENCH exhibit_frames %zu\n", made.size());
    std::printf("BENCH exhibit_deliveries %zu\n", latency_ms.size());
    std::printf("BENCH exhibit_viewers_measured %d\n", connected_first);
    std::printf("BENCH exhibit_viewers_lost %zu\n", lost);
    std::printf("BENCH exhibit_fanout_p50_ms %.3f ms\n", pct(latency_ms, 0.50));
    std::printf("BENCH exhibit_fanout_p99_ms %.3f ms\n", pct(latency_ms, 0.99));
    std::printf("BENCH exhibit_fanout_max_ms %.3f ms\n",
                latency_ms.empty() ? 0.0 : latency_ms.back());
    std::printf("BENCH exhibit_event_to_viewer_p50_ms %.3f ms\n", pct(event_ms, 0.50));
    std::printf("BENCH exhibit_event_to_viewer_p99_ms %.3f ms\n", pct(event_ms, 0.99));
    std::printf("BENCH exhibit_server_rss_after_warmup %ld kB\n", rss_first);
    std::printf("BENCH exhibit_server_rss_end %ld kB\n", rss_last);
    std::printf("BENCH exhibit_server_rss_growth %ld kB\n", rss_high - rss_first);
    std::printf("BENCH exhibit_server_fds_after_warmup %ld\n", fds_first);
    std::printf("BENCH exhibit_server_fds_end %ld\n", fds_last);
    return 0;
}
