#pragma once
// Stations and relays as real processes for the integration tests: a work folder, the line
// scenario A - R - B, the processes of a run, a raw TCP client, what was filed and delivered.
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/wire_frame.hpp"
#include "support/process.hpp"
#include "terminals/cli/net_config.hpp"
#include "terminals/net/net_delivered.hpp"

namespace hakto::test {

namespace net_process_detail {
namespace fs = std::filesystem;
namespace wire = protocol::wire;
using tcp = boost::asio::ip::tcp;
}  // namespace net_process_detail

using namespace net_process_detail;

/// The test's folder (journals, logs; kept after the test for a look), the one of an earlier
/// run of the same test removed.
inline std::string work_dir(const std::string& name) {
    const auto root = fs::path(HAKTO_BUILD_DIR) / "test-net";
    std::error_code ec;
    if (fs::exists(root))
        for (const auto& e : fs::directory_iterator(root, ec))
            if (e.path().filename().string().rfind(name + "-", 0) == 0)
                fs::remove_all(e.path(), ec);
    auto dir = root / (name + "-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir.string();
}

/// Three stations in a line, A - R - B, R a relay; `cables` cables from A to B, each with its own
/// text (long enough to be mid-transmission when killed at 100x line speed).
inline std::string line_scenario(const std::string& dir, int cables) {
    std::string t = R"([scenario]
name = "line"
start = 1972-06-19T18:00:00Z

[[station]]
id = "A"
  [[station.route]]
  prefix = ""
  circuit = "ar"

[[station]]
id = "R"
kind = "relay"
  [[station.route]]
  prefix = "A"
  circuit = "ar"
  [[station.route]]
  prefix = "B"
  circuit = "rb"

[[station]]
id = "B"
  [[station.route]]
  prefix = ""
  circuit = "rb"

[[circuit]]
id = "ar"
between = ["A", "R"]
delay_ms = 20
  [circuit.crypto]
  key_seed = 11

[[circuit]]
id = "rb"
between = ["R", "B"]
delay_ms = 5
  [circuit.crypto]
  key_seed = 12
)";
    const char* words[] = {"TRADE",     "VISIT",       "COMMUNIQUE", "SHANGHAI",
                           "PREMIER",   "JOURNALISTS", "EXCHANGES",  "AGREED",
                           "PRINCIPLE", "SESSION",     "HOURS",      "DISCUSSION"};
    for (int i = 1; i <= cables; ++i) {
        std::string body;
        for (int w = 0; body.size() < 150 + static_cast<std::size_t>(i % 4) * 40; ++w)
            body += std::string(words[(i * 5 + w * 7) % 12]) + (w % 9 == 8 ? ". " : " ");
        t += "\n[[cable]]\nid = \"MSG " + std::to_string(i) +
             "\"\norigin = \"A\"\nto = [\"B\"]\nprecedence = \"" +
             std::string(i % 3 == 0 ? "P" : "R") +
             "\"\nfiled = " + fmt::format("1972-06-19T{:02}:{:02}:00Z", 18 + i / 60, i % 60) +
             "\ntext = \"\"\"\nMESSAGE " + std::to_string(i) + "\n\n1. " + body + "\n\"\"\"\n";
    }
    auto path = dir + "/line.toml";
    std::ofstream(path) << t;
    return path;
}

inline std::string hex(const std::vector<std::uint8_t>& codes) {
    std::string s;
    for (auto c : codes) s += fmt::format("{:02X}", c);
    return s;
}

/// What station `id` of `scenario` files: label -> codes as hex.
inline std::map<std::string, std::string> filed_codes(const std::string& scenario,
                                                      const std::string& id) {
    hakto::terminals::filing_options fo;
    fo.scenario = scenario;
    std::vector<std::string> warnings;
    auto cables = hakto::terminals::cables_to_file(id, fo, warnings);
    REQUIRE(cables);
    std::map<std::string, std::string> out;
    for (const auto& c : cables.value()) out[c.label] = hex(c.codes);
    return out;
}

/// Delivered cables in an --out-dir: label -> codes as hex (read as `hakto replay --net` reads
/// them, terminals/net/net_delivered.hpp).
inline std::map<std::string, std::string> delivered(const std::string& out_dir) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (auto it = fs::directory_iterator(out_dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
        if (it->path().extension() != ".json") continue;
        auto d = hakto::terminals::read_delivered(it->path().string());
        if (d) out[d.value().label] = hex(d.value().codes);
    }
    return out;
}

/// What a relay's log (from some point on) says of its line to `peer`: the cables it began
/// sending there ("sending MSG 7 to B (…", "sending again MSG 7 to B (…"), in order, and those
/// the far end acknowledged as stored ("MSG 7 stored at B (…").
struct line_record {
    std::vector<std::string> begun;
    std::set<std::string> stored;
    /// The last cable begun, if the far end has not acknowledged it: on the line, or printed and
    /// awaiting "stored", when the log ends.
    [[nodiscard]] std::optional<std::string> unacknowledged() const {
        if (begun.empty() || stored.count(begun.back())) return std::nullopt;
        return begun.back();
    }
};

inline line_record read_line(const std::string& log, const std::string& peer) {
    line_record r;
    const std::string to = " to " + peer + " (channel serial";
    const std::string at = " stored at " + peer + " (channel serial";
    std::size_t start = 0;
    while (start < log.size()) {
        auto end = log.find('\n', start);
        if (end == std::string::npos) end = log.size();
        const std::string_view line(log.data() + start, end - start);
        start = end + 1;
        for (const std::string_view verb : {"sending again ", "sending "}) {
            auto v = line.find(verb);
            auto t = line.find(to);
            if (v != std::string_view::npos && t != std::string_view::npos && v < t) {
                r.begun.emplace_back(line.substr(v + verb.size(), t - v - verb.size()));
                break;
            }
        }
        if (auto s = line.find(at); s != std::string_view::npos) {
            auto colon = line.rfind(": ", s);
            if (colon != std::string_view::npos)
                r.stored.emplace(line.substr(colon + 2, s - colon - 2));
        }
    }
    return r;
}

struct net_run {
    std::string dir, scenario;
    std::string speed = "max";
    std::vector<std::string> extra;  // for every process
    unsigned relay_port = 0;
    process relay, a, b;

    std::vector<std::string> common(const std::string& id) const {
        std::vector<std::string> v{"--id",
                                   id,
                                   "--scenario",
                                   scenario,
                                   "--journal",
                                   dir + "/journal-" + id,
                                   "--speed",
                                   speed,
                                   "--reconnect-ms",
                                   "20",
                                   "--heartbeat-ms",
                                   "200",
                                   "--idle-timeout-ms",
                                   "2000"};
        v.insert(v.end(), extra.begin(), extra.end());
        return v;
    }
    void start_relay(std::vector<std::string> more = {}) {
        auto args = common("R");
        args.insert(args.begin(), "relay");
        if (relay_port) {
            args.push_back("--listen");
            args.push_back("127.0.0.1:" + std::to_string(relay_port));
        } else {
            args.push_back("--port-file");
            args.push_back(dir + "/relay.port");
        }
        args.insert(args.end(), more.begin(), more.end());
        relay.start(HAKTO_BINARY, args, dir + "/R.log");
        if (!relay_port)
            REQUIRE(eventually([&] { return (relay_port = read_port(dir + "/relay.port")) != 0; }));
    }
    void start_station(process& p, const std::string& id, std::vector<std::string> more = {}) {
        auto args = common(id);
        args.insert(args.begin(), "station");
        args.push_back("--peer");
        args.push_back("R=127.0.0.1:" + std::to_string(relay_port));
        if (id == "B") {
            args.push_back("--out-dir");
            args.push_back(dir + "/out");
        }
        args.insert(args.end(), more.begin(), more.end());
        p.start(HAKTO_BINARY, args, dir + "/" + id + ".log");
    }
};

/// A raw TCP client of the relay.
struct raw_client {
    boost::asio::io_context io;
    tcp::socket s{io};
    explicit raw_client(unsigned port) {
        s.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                static_cast<unsigned short>(port)));
    }
    void send(const std::vector<std::uint8_t>& bytes) {
        boost::asio::write(s, boost::asio::buffer(bytes));
    }
    void send(const wire::frame& f) { send(wire::encode(f)); }
    /// Reads one frame (blocking).
    std::optional<wire::frame> read_frame() {
        std::vector<std::uint8_t> h(wire::header_size);
        boost::system::error_code ec;
        boost::asio::read(s, boost::asio::buffer(h), ec);
        if (ec) return std::nullopt;
        std::size_t n =
            (std::size_t{h[4]} << 24) | (std::size_t{h[5]} << 16) | (std::size_t{h[6]} << 8) | h[7];
        if (n > wire::max_payload) return std::nullopt;
        h.resize(wire::header_size + n);
        boost::asio::read(s, boost::asio::buffer(h.data() + wire::header_size, n), ec);
        if (ec) return std::nullopt;
        auto f = wire::decode(h);
        if (!f) return std::nullopt;
        return f.value();
    }
    /// True once the peer has closed the connection (reads until end of stream).
    bool closed_by_peer() {
        std::array<char, 256> buf{};
        boost::system::error_code ec;
        for (int i = 0; i < 100; ++i) {
            s.read_some(boost::asio::buffer(buf), ec);
            if (ec) return true;
        }
        return false;
    }
    /// Reads what has come without waiting; returns how many bytes have come in all.
    std::size_t drain() {
        std::array<char, 4096> buf{};
        s.non_blocking(true);
        for (;;) {
            boost::system::error_code ec;
            auto n = s.read_some(boost::asio::buffer(buf), ec);
            if (ec) break;
            received += n;
        }
        return received;
    }
    std::size_t received = 0;
};

inline wire::hello hello_from(const std::string& id) {
    wire::hello h;
    h.station = id;
    h.nonce[0] = 1;
    return h;
}

}  // namespace hakto::test
