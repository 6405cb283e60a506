// Soak: the exhibit server with 100 viewers, and a relay and two stations as processes carrying
// a loop of traffic, for ten minutes (a bench target, not CI: `make soak`).
//
//   hakto exhibit --listen 127.0.0.1:0 --speed 100x --idle-reset 0   (100 WebSocket viewers)
//   hakto relay   --id WHR   --scenario june1972 --speed max --no-crypto
//   hakto station --id WTE   --scenario june1972 --speed max --no-crypto --out-dir OUT
//   hakto station --id WTE10 --scenario june1972 --speed max --no-crypto --spool SPOOL
//
// About once a second a cable text is dropped into WTE10's spool: HAKTO 12 (the bundled
// terminals/frus/data/hakto12.txt) addressed to WTE, with a fresh series number each time (HAKTO
// 1000, 1001, …), written to a temporary name and renamed in. The stations carry no on-line
// crypto: the scenario's key tape is 1,000,000 characters, which a ten-minute loop would use up.
// The journals are compacted past 256 KiB (--compact-kb; the default, 4 MiB, would not be reached
// in ten minutes). Every 10 s the resident memory (/proc/PID/status VmRSS) and open descriptors
// (/proc/PID/fd) of each process are sampled, and the deliveries at WTE counted (files in its
// --out-dir). Growth = the last sample minus the first one after the warm-up (180 s, or a third of
// a short run): the stations hold the last 64 copies a channel and 64 finished cables by design,
// some 130 cables, which fill in the first two minutes.
//
// Usage: bench_soak [seconds=600] [viewers=100]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "bench_proc.hpp"
#include "tests/support/process.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;
using hakto::test::process;

namespace {

using hakto::bench::open_fds;
using hakto::bench::status_kb;

long files_in(const fs::path& dir, const std::string& ext) {
    std::error_code ec;
    long n = 0;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        n += it->path().extension() == ext ? 1 : 0;
    return n;
}

void raise_fd_limit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/// A viewer: connects, then reads and counts whatever the exhibit sends.
struct viewer : std::enable_shared_from_this<viewer> {
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
    std::atomic<int>* connected;
    std::atomic<long>* messages;
    bool failed = false;

    viewer(asio::io_context& io, std::atomic<int>* c, std::atomic<long>* m)
        : ws(io), connected(c), messages(m) {}

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
            if (ec) {
                --*self->connected;
                return self->fail();
            }
            ++*self->messages;
            self->buffer.consume(self->buffer.size());
            self->read();
        });
    }
};

std::atomic<bool> interrupted{false};
extern "C" void on_signal(int) {
    interrupted = true;
}

struct sample {
    int t = 0;
    long rss[4]{}, fds[4]{};
    long delivered = 0, filed = 0, rejected = 0, viewers = 0;
};

/// The HAKTO 12 page copy addressed to WTE ("WTE DE WTE10") with series number `n`.
std::string cable_text(const std::string& hakto12, int n) {
    std::string t = hakto12;
    auto replace = [&t](const std::string& from, const std::string& to) {
        auto at = t.find(from);
        if (at != std::string::npos) t.replace(at, from.size(), to);
    };
    replace("HAKTO 12", fmt::format("HAKTO {}", n));
    replace("WE DE WTE1\xC3\x98", "WTE DE WTE10");  // "WE DE WTE1Ø": the White House exchange
    return t;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::max(20, std::stoi(argv[1])) : 600;
    const int viewers = argc > 2 ? std::stoi(argv[2]) : 100;
    // The warm-up covers the stations filling what they hold by design (the last 64 copies a
    // channel and 64 finished cables: some 130 cables at a cable a second).
    const int warmup = std::min(180, seconds / 3);
    const int every = 10;
    raise_fd_limit();
    // SIGINT or SIGTERM ends the run early (the processes are still stopped and reported).
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);

    std::string hakto12;
    {
        std::ifstream f(fs::path(HAKTO_SOURCE_DIR) / "terminals" / "frus" / "data" / "hakto12.txt",
                        std::ios::binary);
        hakto12.assign(std::istreambuf_iterator<char>(f), {});
    }
    if (hakto12.empty()) {
        std::fprintf(stderr, "bench_soak: cannot read terminals/frus/data/hakto12.txt\n");
        return 1;
    }

    const auto dir = fs::temp_directory_path() / fmt::format("hakto-soak-{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir / "spool");
    const auto d = dir.string();
    const std::string bin = HAKTO_BINARY;
    const std::vector<std::string> common{
        "--scenario",  "june1972",       "--speed", "max",
        "--no-crypto", "--heartbeat-ms", "1000",    "--idle-timeout-ms",
        "5000",        "--compact-kb",   "256"};
    auto with = [&](std::vector<std::string> a) {
        a.insert(a.end(), common.begin(), common.end());
        return a;
    };

    process exhibit(bin,
                    {"exhibit", "--listen", "127.0.0.1:0", "--speed", "100x", "--idle-reset", "0",
                     "--max-viewers", std::to_string(viewers + 10)},
                    d + "/exhibit.log");
    unsigned exhibit_port = 0;
    hakto::test::eventually([&] {
        auto log = hakto::test::slurp(d + "/exhibit.log");
        const std::string key = "listening on http://127.0.0.1:";
        auto at = log.find(key);
        if (at != std::string::npos) exhibit_port = std::stoul(log.substr(at + key.size()));
        return exhibit_port != 0;
    });
    process relay(
        bin,
        with({"relay", "--id", "WHR", "--journal", d + "/j-WHR", "--port-file", d + "/whr.port"}),
        d + "/WHR.log");
    unsigned relay_port = 0;
    hakto::test::eventually(
        [&] { return (relay_port = hakto::test::read_port(d + "/whr.port")) != 0; });
    if (exhibit_port == 0 || relay_port == 0) {
        std::fprintf(stderr, "bench_soak: the exhibit or the relay did not start (logs in %s)\n",
                     d.c_str());
        return 1;
    }
    const auto peer = fmt::format("WHR=127.0.0.1:{}", relay_port);
    process wte(bin,
                with({"station", "--id", "WTE", "--journal", d + "/j-WTE", "--peer", peer,
                      "--out-dir", d + "/out"}),
                d + "/WTE.log");
    process wte10(bin,
                  with({"station", "--id", "WTE10", "--journal", d + "/j-WTE10", "--peer", peer,
                        "--spool", d + "/spool"}),
                  d + "/WTE10.log");
    const process* procs[4] = {&exhibit, &relay, &wte10, &wte};
    const char* names[4] = {"exhibit", "relay", "WTE10", "WTE"};

    asio::io_context io{1};
    std::atomic<int> connected{0};
    std::atomic<long> messages{0};
    std::vector<std::shared_ptr<viewer>> vs;
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"),
                           static_cast<std::uint16_t>(exhibit_port));
    for (int i = 0; i < viewers; ++i) {
        vs.push_back(std::make_shared<viewer>(io, &connected, &messages));
        vs.back()->start(ep);
    }
    std::thread viewer_thread([&] { io.run(); });

    std::vector<sample> samples;
    int next_series = 1000;
    long dropped = 0;
    const auto t0 = steady::now();
    auto take_sample = [&](int t) {
        sample s;
        s.t = t;
        for (int i = 0; i < 4; ++i) {
            s.rss[i] = status_kb(procs[i]->pid(), "VmRSS");
            s.fds[i] = open_fds(procs[i]->pid());
        }
        s.delivered = files_in(dir / "out", ".json");
        s.filed = files_in(dir / "spool" / "filed", ".txt");
        s.rejected = files_in(dir / "spool" / "rejected", ".txt");
        s.viewers = connected.load();
        samples.push_back(s);
        std::printf(
            "%5d s  rss kB %7ld %7ld %7ld %7ld  fds %4ld %4ld %4ld %4ld  filed %5ld "
            "delivered %5ld viewers %3ld\n",
            s.t, s.rss[0], s.rss[1], s.rss[2], s.rss[3], s.fds[0], s.fds[1], s.fds[2], s.fds[3],
            s.filed, s.delivered, s.viewers);
        std::fflush(stdout);
    };
    std::printf("%5s    %-6s %7s %7s %7s %7s  %-4s %4s %4s %4s %4s\n", "time", "rss", names[0],
                names[1], names[2], names[3], "fds", "exh", "rel", "W10", "WTE");
    int next_sample = 0;
    for (;;) {
        const auto now = steady::now();
        const int t =
            static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(now - t0).count());
        if (t >= next_sample) {
            take_sample(t);
            if (t == 0 && warmup > 0)
                next_sample = warmup;
            else
                next_sample += every;
        }
        if (t >= seconds) break;
        if (interrupted) {
            take_sample(t);
            break;
        }
        // A cable into the spool: written under another name, then renamed in (the spool takes
        // *.txt only), so that it never reads half a file.
        const auto name = fmt::format("{:06}.txt", next_series);
        {
            std::ofstream f(dir / (name + ".part"), std::ios::binary);
            f << cable_text(hakto12, next_series);
        }
        fs::rename(dir / (name + ".part"), dir / "spool" / name);
        ++next_series;
        ++dropped;
        for (const auto* p : procs)
            if (p->pid() <= 0 || ::kill(p->pid(), 0) != 0) {
                std::fprintf(stderr, "bench_soak: a process is gone (logs in %s)\n", d.c_str());
                return 1;
            }
        std::this_thread::sleep_until(now + std::chrono::seconds{1});
    }
    // The last cables on their way: wait up to 20 s for them at WTE.
    const long expected = dropped + 3;  // and the scenario's HAKTO 7, 9 and 12
    hakto::test::eventually([&] { return files_in(dir / "out", ".json") >= expected; },
                            std::chrono::milliseconds{20000});
    const long delivered = files_in(dir / "out", ".json");

    io.stop();
    viewer_thread.join();
    int rc[4];
    process* stop_order[4] = {&wte10, &wte, &relay, &exhibit};
    for (int i = 0; i < 4; ++i) rc[i] = stop_order[i]->stop(SIGTERM);

    const auto& first = samples.size() > 1 ? samples[1] : samples.front();
    const auto& last = samples.back();
    std::printf("BENCH soak_seconds %d s\n", last.t);
    std::printf("BENCH soak_viewers %ld\n", last.viewers);
    std::printf("BENCH soak_viewer_messages %ld\n", messages.load());
    std::printf("BENCH soak_cables_dropped %ld\n", dropped);
    std::printf("BENCH soak_cables_delivered %ld\n", delivered);
    std::printf("BENCH soak_cables_rejected %ld\n", last.rejected);
    for (int i = 0; i < 4; ++i) {
        std::printf("BENCH soak_%s_rss_after_warmup %ld kB\n", names[i], first.rss[i]);
        std::printf("BENCH soak_%s_rss_growth %ld kB\n", names[i], last.rss[i] - first.rss[i]);
        std::printf("BENCH soak_%s_fds_growth %ld\n", names[i], last.fds[i] - first.fds[i]);
    }
    const char* node_names[3] = {"WHR", "WTE10", "WTE"};
    for (const auto* n : node_names) {
        std::error_code ec;
        auto size = fs::file_size(dir / fmt::format("j-{}", n) / "journal.log", ec);
        std::printf("BENCH soak_%s_journal_kB %ld kB\n", n,
                    ec ? -1L : static_cast<long>(size / 1024));
        std::printf(
            "BENCH soak_%s_compactions %zu\n", n,
            hakto::test::count_of(hakto::test::slurp(fmt::format("{}/{}.log", d, n)), "compacted"));
    }
    bool clean = true;
    for (int i = 0; i < 4; ++i) clean = clean && rc[i] == 0;
    if (!clean)
        std::fprintf(stderr, "bench_soak: a process did not stop cleanly (logs in %s)\n",
                     d.c_str());
    if (delivered < expected)
        std::fprintf(stderr, "bench_soak: %ld of %ld cables delivered (logs in %s)\n", delivered,
                     expected, d.c_str());
    if (clean && delivered >= expected) fs::remove_all(dir);
    return clean && delivered >= expected ? 0 : 1;
}
