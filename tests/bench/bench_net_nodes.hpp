#pragma once
// The network benchmarks' set-up: nodes (terminals/net/node/net_node.hpp) each on its own
// io_context and thread, as separate processes would be, a cable of a given length, a folder
// for their journals.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/net/node/net_node.hpp"

namespace hakto::bench {

namespace fs = std::filesystem;
using terminals::net_cable;
using terminals::net_node;
using terminals::node_config;
using terminals::node_peer;

/// A fresh folder for one benchmark's journals (on disk, under the temporary folder).
inline fs::path bench_dir(const std::string& name) {
    auto dir = fs::temp_directory_path() / ("hakto-bench-net-" + std::to_string(::getpid())) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

/// Cable `i` from A to B, `length` characters of page copy.
inline net_cable cable(int i, std::size_t length) {
    static const std::string words =
        "THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO VIETNAM WITH SOME "
        "DISCUSSION OF "
        "SOVIET UNION AT OUTSET. THEIR DISTRUST OF RUSSIANS WAS ONCE AGAIN CLEAR. ";
    std::string text;
    for (std::size_t k = static_cast<std::size_t>(i) % 50; text.size() < length; k += 7) {
        text += words.substr(k % 90, 60);
        text += "\r\r\n";
    }
    auto codes = protocol::encode(text.substr(0, length));
    net_cable c;
    c.label = "BENCH " + std::to_string(i);
    c.origin = "A";
    c.addressees = {"B"};
    if (codes) c.codes.assign(codes.value().codes.begin(), codes.value().codes.end());
    return c;
}

/// A node of the benchmarks: no on-line encryption, quick reconnects; `sealed`: with the
/// benchmarks' shared key (authenticated handshake, every frame sealed).
inline node_config base(const std::string& id, const fs::path& dir, double speed,
                        bool sealed = false) {
    node_config c;
    c.id = id;
    if (sealed)
        c.key =
            terminals::shared_key::from_bytes("a key shared by the bench's stations, 1972").value();
    c.journal_dir = (dir / ("journal-" + id)).string();
    c.speed = speed;
    c.crypto = false;
    c.heartbeat = std::chrono::milliseconds{500};
    c.idle_timeout = std::chrono::milliseconds{5000};
    c.reconnect_min = std::chrono::milliseconds{10};
    return c;
}

inline node_peer peer(const std::string& id, bool dial, std::uint16_t port = 0) {
    node_peer p;
    p.id = id;
    p.dial = dial;
    p.port = port;
    p.circuit.id = id;
    return p;
}

/// A node running on its own thread; stopped and joined when it goes.
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

inline std::unique_ptr<running> make(node_config c) {
    auto r = std::make_unique<running>();
    auto n = net_node::create(r->io, std::move(c));
    if (!n) {
        std::fprintf(stderr, "bench: %s\n", n.error().message.c_str());
        std::exit(1);
    }
    r->node = std::move(n.value());
    r->node->on_log([](const std::string&) {});
    return r;
}

}  // namespace hakto::bench
