// N WebSocket viewers on loopback against an in-process exhibit server replaying at high speed:
// the fan-out latency (broadcast to receipt at each viewer, p99) and the process's RSS.
// Usage: bench_exhibit_viewers [viewers=1000] [seconds=8] [speed=100x]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include "terminals/exhibit_server.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

long rss_kb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

struct client : std::enable_shared_from_this<client> {
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    bool counting = false;
    std::uint32_t index = 0;  // messages since the visitor's snapshot
    std::vector<std::pair<std::uint32_t, steady::time_point>> received;
    std::atomic<int>* connected;
    bool failed = false;

    client(asio::io_context& io, std::atomic<int>* c) : ws(io), connected(c) {}

    void start(const tcp::endpoint& ep) {
        beast::get_lowest_layer(ws).async_connect(ep, [self = shared_from_this()](beast::error_code ec) {
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
            auto now = steady::now();
            auto data = static_cast<const char*>(self->buffer.data().data());
            std::string_view text(data, self->buffer.size());
            if (text.find("\"type\":\"snapshot\"") != std::string_view::npos &&
                text.find("\"mode\":\"visitor\"") != std::string_view::npos) {
                self->counting = true;
                self->index = 0;
            }
            if (self->counting) self->received.emplace_back(self->index++, now);
            self->buffer.consume(self->buffer.size());
            self->read();
        });
    }
};

}  // namespace

int main(int argc, char** argv) {
    int viewers = argc > 1 ? std::stoi(argv[1]) : 1000;
    int seconds = argc > 2 ? std::stoi(argv[2]) : 8;
    std::string speed = argc > 3 ? argv[3] : "100x";

    // Two sockets a viewer in one process: raise the descriptor limit as far as allowed.
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    hakto::terminals::exhibit_options o;
    o.port = 0;
    o.replay.cables = {"HAKTO 12"};
    o.speed = hakto::terminals::parse_exhibit_speed(speed).value();
    o.idle_reset = std::chrono::seconds{0};
    o.max_viewers = static_cast<std::size_t>(viewers) + 10;
    asio::io_context server_io{1};
    auto created = hakto::terminals::exhibit_server::create(server_io, o);
    if (!created) {
        std::fprintf(stderr, "bench_exhibit_viewers: %s\n", created.error().message.c_str());
        return 1;
    }
    auto server = std::move(created.value());
    std::vector<steady::time_point> sent;
    sent.reserve(1 << 20);
    std::atomic<std::size_t> base{static_cast<std::size_t>(-1)};
    server->on_broadcast([&](steady::time_point t, std::string_view text) {
        if (base.load() == static_cast<std::size_t>(-1) && text.find("\"type\":\"snapshot\"") != std::string_view::npos &&
            text.find("\"mode\":\"visitor\"") != std::string_view::npos)
            base = sent.size();
        sent.push_back(t);
    });
    long rss_start = rss_kb();
    server->start();
    std::thread server_thread([&] { server_io.run(); });

    asio::io_context client_io{1};
    std::atomic<int> connected{0};
    std::vector<std::shared_ptr<client>> clients;
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), server->port());
    for (int i = 0; i < viewers; ++i) {
        clients.push_back(std::make_shared<client>(client_io, &connected));
        clients.back()->start(ep);
    }
    std::thread client_thread([&] { client_io.run(); });
    auto wait_until = steady::now() + std::chrono::seconds{30};
    while (connected.load() < viewers && steady::now() < wait_until) std::this_thread::sleep_for(std::chrono::milliseconds{20});
    std::printf("BENCH exhibit_viewers %d\n", connected.load());

    // Everyone is watching: a visitor starts the replay; from its snapshot on, every viewer
    // receives the same broadcasts in the same order.
    asio::post(client_io, [&] {
        auto& c = clients.front();
        c->ws.text(true);
        c->ws.async_write(asio::buffer(std::string_view{R"({"type":"start"})"}), [](beast::error_code, std::size_t) {});
    });
    std::this_thread::sleep_for(std::chrono::seconds{seconds});
    long rss_end = rss_kb();
    asio::post(server_io, [&] { server->stop(); server_io.stop(); });
    server_thread.join();
    client_io.stop();
    client_thread.join();

    // The visitor's snapshot is the first broadcast after `base`.
    std::vector<double> latency_ms;
    std::size_t b0 = base.load();
    for (const auto& c : clients)
        for (const auto& [i, t] : c->received) {
            std::size_t k = b0 + i;
            if (k < sent.size()) latency_ms.push_back(std::chrono::duration<double, std::milli>(t - sent[k]).count());
        }
    std::sort(latency_ms.begin(), latency_ms.end());
    auto pct = [&](double p) {
        return latency_ms.empty() ? 0.0 : latency_ms[std::min(latency_ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(latency_ms.size())))];
    };
    auto stats = server->stats();
    std::printf("BENCH exhibit_broadcasts %zu\n", sent.size() - std::min(sent.size(), b0));
    std::printf("BENCH exhibit_deliveries %zu\n", latency_ms.size());
    std::printf("BENCH exhibit_fanout_p50_ms %.3f ms\n", pct(0.50));
    std::printf("BENCH exhibit_fanout_p99_ms %.3f ms\n", pct(0.99));
    std::printf("BENCH exhibit_dropped_viewers %llu\n", static_cast<unsigned long long>(stats.dropped_viewers));
    std::printf("BENCH exhibit_rss_start %ld kB\n", rss_start);
    std::printf("BENCH exhibit_rss_end %ld kB (server and clients in one process)\n", rss_end);
    return 0;
}
