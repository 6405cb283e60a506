// Sealed frames across real processes (docs/wire-protocol.md, "Handshake and authentication" and
// "Threat model"): a relay and two stations with a shared key (a file of mode 0600), station A
// reaching the relay through a proxy in this test (Boost.Asio on 127.0.0.1) that reads the frames
// by their 8-byte header. On its first connection the proxy flips a byte inside a sealed frame,
// replays one, swaps two or drops one; the relay closes the connection and logs the fault by name,
// A dials again (through the proxy, which now passes every byte), and every cable arrives at B
// once and whole. Then the proxy records the whole conversation of a highly repetitive cable sent
// with --no-crypto: sealed, the capture does not compress; without a key, it does. And a station
// refuses to listen beyond loopback without a key, or with a key file others may read.
#include <sys/stat.h>
#include <zlib.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/wire_frame.hpp"
#include "support/net_processes.hpp"
#include "support/private_file.hpp"
#include "support/process.hpp"

namespace hakto::test::seal_process {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

enum class fault { none, flip, replay, swap, drop };

/// Between station A and the relay: accepts A's connections and opens one to the relay for
/// each. On the first connection, in the direction A to relay, it counts the sealed frames and
/// does `f` to the one numbered `at` (from 0); everything else passes as it came. Every byte
/// it carries is recorded (A to relay, and relay to A), for the compression test.
class tamper_proxy {
  public:
    tamper_proxy(unsigned target, fault f, std::size_t at = 4)
        : target_(static_cast<unsigned short>(target)), fault_(f), at_(at) {
        acceptor_.open(tcp::v4());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        acceptor_.listen();
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    tamper_proxy(const tamper_proxy&) = delete;
    tamper_proxy& operator=(const tamper_proxy&) = delete;
    ~tamper_proxy() {
        io_.stop();
        thread_.join();
    }

    [[nodiscard]] unsigned port() const { return acceptor_.local_endpoint().port(); }
    [[nodiscard]] int connections() const { return connections_.load(); }
    [[nodiscard]] bool applied() const { return applied_.load(); }
    /// Bytes seen from A, then bytes seen from the relay, over every connection so far.
    [[nodiscard]] std::vector<std::uint8_t> capture() const {
        std::lock_guard<std::mutex> lock(m_);
        auto all = from_a_;
        all.insert(all.end(), from_relay_.begin(), from_relay_.end());
        return all;
    }
    /// The bodies of the sealed frames seen from A and from the relay (ciphertext and tags).
    [[nodiscard]] std::vector<std::uint8_t> sealed_bodies() const {
        std::lock_guard<std::mutex> lock(m_);
        std::vector<std::uint8_t> out;
        for (const auto* stream : {&from_a_, &from_relay_}) {
            const auto& s = *stream;
            for (std::size_t at = 0; at + wire::header_size <= s.size();) {
                const std::size_t n = (std::size_t{s[at + 4]} << 24) |
                                      (std::size_t{s[at + 5]} << 16) |
                                      (std::size_t{s[at + 6]} << 8) | s[at + 7];
                if (at + wire::header_size + n > s.size()) break;
                if (s[at + 3] == static_cast<std::uint8_t>(wire::frame_type::sealed) && n > 8)
                    out.insert(out.end(), s.begin() + static_cast<std::ptrdiff_t>(at + 16),
                               s.begin() + static_cast<std::ptrdiff_t>(at + 8 + n));
                at += wire::header_size + n;
            }
        }
        return out;
    }
    [[nodiscard]] std::size_t sealed_frames_from_a() const {
        std::lock_guard<std::mutex> lock(m_);
        return sealed_from_a_;
    }

  private:
    struct direction {
        direction(tcp::socket* f, tcp::socket* t, bool u) : from(f), to(t), up(u) {}
        tcp::socket* from;
        tcp::socket* to;
        bool up;  // A to relay
        std::array<std::uint8_t, 16 * 1024> buf{};
        std::vector<std::uint8_t> out;
        std::vector<std::uint8_t> pending;  // bytes of a frame not yet whole (tampered side)
    };
    struct link : std::enable_shared_from_this<link> {
        explicit link(asio::io_context& io) : a(io), r(io) {}
        tcp::socket a, r;
        direction dirs[2] = {{&a, &r, true}, {&r, &a, false}};
        bool tamper = false;  // the first connection, until the fault is done
        std::size_t sealed_seen = 0;
        std::optional<std::vector<std::uint8_t>> held;  // swap: the frame kept back
        int ended = 0;
        void close_all() {
            boost::system::error_code ig;
            a.close(ig);
            r.close(ig);
        }
    };

    void accept() {
        auto l = std::make_shared<link>(io_);
        acceptor_.async_accept(l->a, [this, l](const boost::system::error_code& ec) {
            if (ec) return;
            boost::system::error_code cec;
            l->r.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), target_), cec);
            if (cec) {
                l->close_all();
            } else {
                l->tamper = connections_++ == 0 && fault_ != fault::none;
                pump(l, 0);
                pump(l, 1);
            }
            accept();
        });
    }

    void pump(const std::shared_ptr<link>& l, int d) {
        auto& dir = l->dirs[d];
        dir.from->async_read_some(asio::buffer(dir.buf), [this, l, d](
                                                             const boost::system::error_code& ec,
                                                             std::size_t n) {
            auto& dir = l->dirs[d];
            if (ec) {
                // Pass the end on (half-close), and close both once both have ended.
                boost::system::error_code ig;
                dir.to->shutdown(tcp::socket::shutdown_send, ig);
                if (++l->ended == 2) l->close_all();
                return;
            }
            record(dir.up, n, dir.buf.data());
            dir.out.clear();
            if (dir.up && l->tamper)
                tamper(*l, dir, n);
            else
                dir.out.assign(dir.buf.begin(), dir.buf.begin() + static_cast<std::ptrdiff_t>(n));
            if (dir.out.empty()) {
                pump(l, d);
                return;
            }
            asio::async_write(*dir.to, asio::buffer(dir.out),
                              [this, l, d](const boost::system::error_code& wec, std::size_t) {
                                  if (wec) {
                                      l->close_all();
                                      return;
                                  }
                                  pump(l, d);
                              });
        });
    }

    void record(bool up, std::size_t n, const std::uint8_t* p) {
        std::lock_guard<std::mutex> lock(m_);
        auto& to = up ? from_a_ : from_relay_;
        to.insert(to.end(), p, p + n);
        if (up) {
            // Count sealed frames by their headers as they complete (the stream from A).
            for (; scan_a_ + wire::header_size <= from_a_.size();) {
                const auto* h = from_a_.data() + scan_a_;
                const std::size_t len = (std::size_t{h[4]} << 24) | (std::size_t{h[5]} << 16) |
                                        (std::size_t{h[6]} << 8) | h[7];
                if (scan_a_ + wire::header_size + len > from_a_.size()) break;
                if (h[3] == static_cast<std::uint8_t>(wire::frame_type::sealed)) ++sealed_from_a_;
                scan_a_ += wire::header_size + len;
            }
        }
    }

    /// The frames from A on the first connection, whole, one at a time: the fault on the
    /// sealed frame numbered at_, then everything through.
    void tamper(link& l, direction& dir, std::size_t n) {
        dir.pending.insert(dir.pending.end(), dir.buf.begin(),
                           dir.buf.begin() + static_cast<std::ptrdiff_t>(n));
        while (l.tamper && dir.pending.size() >= wire::header_size) {
            const auto& p = dir.pending;
            const std::size_t len = (std::size_t{p[4]} << 24) | (std::size_t{p[5]} << 16) |
                                    (std::size_t{p[6]} << 8) | p[7];
            if (p.size() < wire::header_size + len) break;
            std::vector<std::uint8_t> frame(
                p.begin(), p.begin() + static_cast<std::ptrdiff_t>(wire::header_size + len));
            dir.pending.erase(dir.pending.begin(),
                              dir.pending.begin() + static_cast<std::ptrdiff_t>(frame.size()));
            const bool sealed = frame[3] == static_cast<std::uint8_t>(wire::frame_type::sealed);
            if (!sealed || (l.sealed_seen++ != at_ && !l.held)) {
                dir.out.insert(dir.out.end(), frame.begin(), frame.end());
                continue;
            }
            switch (fault_) {
                case fault::flip:
                    frame[wire::header_size + 8 + 5] ^= 0x20;  // inside the ciphertext
                    dir.out.insert(dir.out.end(), frame.begin(), frame.end());
                    break;
                case fault::replay:
                    dir.out.insert(dir.out.end(), frame.begin(), frame.end());
                    dir.out.insert(dir.out.end(), frame.begin(), frame.end());
                    break;
                case fault::swap:
                    if (!l.held) {
                        l.held = std::move(frame);
                        continue;  // the next sealed frame goes first
                    }
                    dir.out.insert(dir.out.end(), frame.begin(), frame.end());
                    dir.out.insert(dir.out.end(), l.held->begin(), l.held->end());
                    break;
                case fault::drop:
                case fault::none:
                    break;
            }
            l.tamper = false;
            applied_ = true;
        }
        if (!l.tamper) {
            dir.out.insert(dir.out.end(), dir.pending.begin(), dir.pending.end());
            dir.pending.clear();
        }
    }

    asio::io_context io_;
    tcp::acceptor acceptor_{io_};
    unsigned short target_;
    fault fault_;
    std::size_t at_;
    std::thread thread_;
    std::atomic<int> connections_{0};
    std::atomic<bool> applied_{false};
    mutable std::mutex m_;
    std::vector<std::uint8_t> from_a_, from_relay_;
    std::size_t scan_a_ = 0, sealed_from_a_ = 0;
};

/// zlib at its best level: compressed size over original size.
double compressed_ratio(const std::vector<std::uint8_t>& bytes) {
    REQUIRE(!bytes.empty());
    uLongf n = compressBound(static_cast<uLong>(bytes.size()));
    std::vector<Bytef> out(n);
    REQUIRE(compress2(out.data(), &n, bytes.data(), static_cast<uLong>(bytes.size()), 9) == Z_OK);
    return static_cast<double>(n) / static_cast<double>(bytes.size());
}

std::string write_key(const std::string& dir) {
    const auto path = dir + "/key";
    write_private_file(path, "a shared key for the backchannel, 1972\n");
    return path;
}

/// Starts A with its peer R at `port` (the proxy) instead of the relay's own.
void start_a_via(net_run& r, unsigned port) {
    const auto relay = r.relay_port;
    r.relay_port = port;
    r.start_station(r.a, "A");
    r.relay_port = relay;
}

}  // namespace

TEST_CASE(
    "a frame flipped, replayed, swapped or dropped on the path is caught and named: the station "
    "dials again and every cable arrives once",
    "[net][process][seal]") {
    struct kind {
        fault f;
        const char* name;
        const char* logged;  // what the relay's log says of it
    };
    const kind kinds[] = {
        {fault::flip, "flip", "sealed frame tampered: authentication tag wrong"},
        {fault::replay, "replay", "sealed frame replayed or reordered: seq 4, expected 5"},
        {fault::swap, "swap", "sealed frame dropped or reordered: seq 5, expected 4 (1 frame"},
        {fault::drop, "drop", "sealed frame dropped or reordered: seq 5, expected 4 (1 frame"},
    };
    for (const auto& k : kinds) {
        DYNAMIC_SECTION(k.name) {
            auto dir = work_dir(std::string{"seal-"} + k.name);
            net_run r;
            r.dir = dir;
            r.scenario = line_scenario(dir, 8);
            r.extra = {"--key-file", write_key(dir)};
            r.start_relay();
            tamper_proxy proxy(r.relay_port, k.f);
            r.start_station(r.b, "B");
            start_a_via(r, proxy.port());
            const auto want = filed_codes(r.scenario, "A");
            REQUIRE(want.size() == 8);
            const bool all =
                eventually([&] { return delivered(dir + "/out").size() == want.size(); },
                           std::chrono::milliseconds{60000});
            const auto r_log = slurp(dir + "/R.log"), a_log = slurp(dir + "/A.log");
            INFO("R.log:\n" << r_log << "\nA.log:\n" << a_log);
            REQUIRE(all);
            CHECK(proxy.applied());
            // The relay closed the connection and said why, naming the fault.
            CHECK(count_of(r_log, "refused 127.0.0.1:") == 1);  // once: nothing after it is read
            CHECK(r_log.find(k.logged) != std::string::npos);
            CHECK(r_log.find(std::string{"A disconnected: "} + k.logged) != std::string::npos);
            // A dialled again, through the proxy.
            CHECK(proxy.connections() >= 2);
            CHECK(count_of(a_log, "connected to R") >= 2);
            CHECK(a_log.find("frames sealed") != std::string::npos);
            // Every cable once, whole.
            CHECK(delivered(dir + "/out") == want);
            const auto b_log = slurp(dir + "/B.log");
            CHECK(count_of(b_log, "delivered MSG") == want.size());
            CHECK(r.a.stop(SIGTERM) == 0);
            CHECK(r.b.stop(SIGTERM) == 0);
            CHECK(r.relay.stop(SIGTERM) == 0);
        }
    }
}

namespace {

struct capture_figures {
    std::size_t bytes = 0;
    double whole = 0;   // the whole capture, compressed / original
    double bodies = 0;  // the sealed frames' bodies alone (sealed runs)
};

/// A cable of one line repeated `lines` times from A to B, with --no-crypto (the modelled line
/// cipher off), through a recording proxy; `extra` for every process (the key, or --insecure).
capture_figures capture_run(
    const std::string& name, const std::string& speed, int lines,
    const std::function<std::vector<std::string>(const std::string&)>& extra) {
    auto dir = work_dir(name);
    net_run r;
    r.dir = dir;
    r.speed = speed;
    r.scenario = line_scenario(dir, 0);
    {
        std::ofstream scn(r.scenario, std::ios::app);
        scn << "\n[[cable]]\nid = \"MSG 1\"\norigin = \"A\"\nto = [\"B\"]\nprecedence = \"R\"\n"
               "filed = 1972-06-19T18:01:00Z\ntext = \"\"\"\nMESSAGE 1\n\n";
        for (int i = 0; i < lines; ++i)
            scn << "THE PRESIDENT WILL ARRIVE IN PEKING ON THE MORNING OF THE VISIT\n";
        scn << "\"\"\"\n";
    }
    r.extra = extra(dir);
    r.extra.push_back("--no-crypto");
    r.start_relay();
    tamper_proxy proxy(r.relay_port, fault::none);
    r.start_station(r.b, "B");
    start_a_via(r, proxy.port());
    const auto want = filed_codes(r.scenario, "A");
    REQUIRE(want.size() == 1);
    REQUIRE(want.begin()->second.size() / 2 > static_cast<std::size_t>(lines) * 60);
    REQUIRE(eventually([&] { return delivered(dir + "/out") == want; },
                       std::chrono::milliseconds{60000}));
    // The last acknowledgement ("stored") back through the proxy, then stop.
    REQUIRE(eventually(
        [&] { return slurp(dir + "/A.log").find("MSG 1 stored at R") != std::string::npos; }));
    CHECK(r.a.stop(SIGTERM) == 0);
    CHECK(r.b.stop(SIGTERM) == 0);
    CHECK(r.relay.stop(SIGTERM) == 0);
    CHECK(proxy.connections() == 1);
    capture_figures f;
    const auto all = proxy.capture();
    f.bytes = all.size();
    f.whole = compressed_ratio(all);
    const auto bodies = proxy.sealed_bodies();
    if (!bodies.empty()) f.bodies = compressed_ratio(bodies);
    std::printf(
        "capture %s: --speed %s, %zu bytes, %zu sealed frames from A; zlib -9 to %.1f %% "
        "(sealed bodies alone %.1f %%)\n",
        name.c_str(), speed.c_str(), f.bytes, proxy.sealed_frames_from_a(), 100 * f.whole,
        100 * f.bodies);
    return f;
}

}  // namespace

TEST_CASE(
    "a capture of a repetitive cable does not compress when sealed, and compresses without a key",
    "[net][process][seal]") {
    auto with_key = [](const std::string& dir) {
        return std::vector<std::string>{"--key-file", write_key(dir)};
    };
    auto without = [](const std::string&) { return std::vector<std::string>{"--insecure"}; };
    // Pacing off: data frames of up to 1024 codes, so the frames' clear parts (header and
    // number, 16 bytes a frame) are a small share. Sealed: at least 95 % of its size after zlib
    // (random bytes give about 100 %). In clear: under 50 % (the codes repeat).
    const auto sealed = capture_run("seal-capture-sealed", "max", 400, with_key);
    const auto clear = capture_run("seal-capture-clear", "max", 400, without);
    CHECK(sealed.whole >= 0.95);
    CHECK(sealed.bodies >= 0.99);
    CHECK(clear.whole < 0.50);
    CHECK(clear.bodies == 0);  // no sealed frame at all without a key
    // Paced (a character a frame): the clear header and number of each small frame compress, but
    // the ciphertext and tags never do.
    const auto paced = capture_run("seal-capture-paced", "200x", 10, with_key);
    const auto paced_clear = capture_run("seal-capture-paced-clear", "200x", 10, without);
    CHECK(paced.bodies >= 0.95);
    CHECK(paced.whole > paced_clear.whole);
}

TEST_CASE(
    "no open station by mistake: listening beyond loopback needs a key or --insecure, and the key "
    "file must be its owner's alone",
    "[net][process][seal]") {
    auto dir = work_dir("seal-listen");
    auto station = [&](const std::string& log, std::vector<std::string> more) {
        std::vector<std::string> args{"station",    "--id",      "X",
                                      "--scenario", "none",      "--accept",
                                      "Y",          "--journal", dir + "/journal-" + log};
        args.insert(args.end(), more.begin(), more.end());
        return std::make_unique<process>(HAKTO_BINARY, args, dir + "/" + log + ".log");
    };
    // Refused: exit status 2 (usage), the reason on standard error.
    for (const auto* address : {"0.0.0.0:0", "[::]:0", "192.0.2.1:0"}) {
        auto p = station("open", {"--listen", address});
        CHECK(p->wait_for(std::chrono::seconds{20}) == 2);
    }
    const auto open_log = slurp(dir + "/open.log");
    CHECK(count_of(open_log, "not a loopback address, and no --key-file") == 3);
    CHECK(open_log.find("hakto station: --listen 0.0.0.0: not a loopback address") !=
          std::string::npos);
    CHECK(open_log.find("--insecure to listen there unauthenticated anyway") != std::string::npos);
    CHECK(open_log.find("listening on") == std::string::npos);

    // With --insecure, or with a key, or on loopback, it starts.
    const auto key = write_key(dir);
    for (const auto& [name, more] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"insecure", {"--listen", "0.0.0.0:0", "--insecure"}},
             {"keyed", {"--listen", "0.0.0.0:0", "--key-file", key}},
             {"loopback", {"--listen", "127.0.0.2:0"}}}) {
        auto p = station(name, more);
        INFO(name);
        REQUIRE(eventually([&] {
            return slurp(dir + "/" + name + ".log").find("listening on") != std::string::npos;
        }));
        CHECK(p->stop(SIGTERM) == 0);
    }

    // A key file its group or others may read: refused, naming the file and its mode.
    REQUIRE(::chmod(key.c_str(), 0644) == 0);
    auto p = station("mode", {"--key-file", key});
    CHECK(p->wait_for(std::chrono::seconds{20}) == 1);
    CHECK(slurp(dir + "/mode.log") ==
          fmt::format("hakto station: key file {}: mode 0644 lets others read it; chmod 600 {}\n",
                      key, key));
    // The relay the same.
    auto relay = process(HAKTO_BINARY,
                         {"relay", "--id", "R", "--scenario", line_scenario(dir, 1), "--journal",
                          dir + "/journal-R", "--listen", "0.0.0.0:0"},
                         dir + "/relay.log");
    CHECK(relay.wait_for(std::chrono::seconds{20}) == 2);
    CHECK(slurp(dir + "/relay.log").find("hakto relay: --listen 0.0.0.0: not a loopback address") !=
          std::string::npos);
}

TEST_CASE("loopback addresses, and when listening elsewhere is refused", "[net][seal]") {
    using hakto::terminals::is_loopback_host;
    using hakto::terminals::open_listen_refusal;
    for (const auto* host : {"127.0.0.1", "127.255.0.9", "::1", "localhost", "::ffff:127.0.0.1"})
        CHECK(is_loopback_host(host));
    for (const auto* host : {"0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "::ffff:10.0.0.1",
                             "localhost.example", "", "example.org", "::2"})
        CHECK_FALSE(is_loopback_host(host));
    CHECK(open_listen_refusal("127.0.0.1", false, false).empty());
    CHECK(open_listen_refusal("0.0.0.0", true, false).empty());
    CHECK(open_listen_refusal("0.0.0.0", false, true).empty());
    CHECK_THAT(open_listen_refusal("10.1.2.3", false, false),
               Catch::StartsWith("--listen 10.1.2.3: not a loopback address, and no --key-file"));
}

}  // namespace hakto::test::seal_process
