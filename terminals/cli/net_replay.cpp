#include "terminals/cli/net_replay.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/text/text_util.hpp"
#include "sim/engine.hpp"
#include "sim/io/file_reader.hpp"
#include "terminals/cli/net_config.hpp"
#include "terminals/memo/memo_writer.hpp"
#include "terminals/replay/replay_idle.hpp"

extern char** environ;

namespace hakto::terminals {

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;

/// A child process, its standard error in a log file; SIGKILLed if still running when this goes.
class child {
  public:
    child(const std::string& binary, std::vector<std::string> args, const std::string& log) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
        args.insert(args.begin(), binary);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_t pid = -1;
        if (posix_spawn(&pid, binary.c_str(), &fa, nullptr, argv.data(), environ) == 0) pid_ = pid;
        posix_spawn_file_actions_destroy(&fa);
    }
    child(const child&) = delete;
    child& operator=(const child&) = delete;
    ~child() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            reap(true);
        }
    }
    [[nodiscard]] pid_t pid() const { return pid_; }
    /// The exit status if it has ended (reaped), else nullopt.
    std::optional<int> reap(bool block) {
        if (pid_ <= 0) return status_;
        int st = 0;
        auto r = ::waitpid(pid_, &st, block ? 0 : WNOHANG);
        if (r != pid_) return std::nullopt;
        pid_ = -1;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        return status_;
    }
    /// SIGTERM, then wait (SIGKILL after two seconds).
    int terminate() {
        if (pid_ <= 0) return status_.value_or(-1);
        ::kill(pid_, SIGTERM);
        for (int i = 0; i < 200; ++i) {
            if (auto s = reap(false)) return *s;
            ::usleep(10'000);
        }
        ::kill(pid_, SIGKILL);
        return reap(true).value_or(-1);
    }

  private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

/// The port a child process wrote to `path` once it listens; 0 while there is none yet.
unsigned read_port_file(const std::string& path) {
    auto text = sim::read_file(path, 64);
    if (!text) return 0;
    auto t = protocol::trim(text.value());
    unsigned p = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), p);
    return ec == std::errc{} && end == t.data() + t.size() && p <= 65535 ? p : 0;
}

std::string self_binary() {
    if (const char* b = std::getenv("HAKTO_BINARY"); b && *b) return b;
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string{"hakto"} : p.string();
}

std::optional<std::vector<protocol::code>> delivered_codes(const fs::path& file) {
    auto d = read_delivered(file.string());
    if (!d) return std::nullopt;
    return std::move(d.value().codes);
}

/// The printer port's text as the replay prints a page: LF line ends, the digit zero as the
/// page printer's type printed it, Ø.
std::string page_text(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\r') continue;
        if (c == '0')
            out += "\xC3\x98";
        else
            out += c;
    }
    return out;
}

/// The memo context the in-process replay gives a cable delivered at `delivered`.
memo_context context_for(const replay& r, const replay_cable& c, const protocol::cable& received,
                         sim::sim_time delivered, sim::sim_duration memo_delay) {
    using namespace std::chrono;
    auto series = [](const sim::cable_spec& s) {
        auto t = protocol::find_series_tag(s.id);
        return t ? t->name : std::string{};
    };
    int ordinal = 0;
    for (const auto& s : r.scenario().cables) {
        if (series(s) == series(c.spec)) ++ordinal;
        if (s.id == c.spec.id) break;
    }
    memo_context ctx;
    auto local = delivered + memo_delay + hours{r.utc_offset(c.delivery->destination)};
    year_month_day today{sys_days{floor<days>(local.time_since_epoch())}};
    ctx.date = protocol::calendar_date{static_cast<int>(today.year()),
                                       static_cast<int>(static_cast<unsigned>(today.month())),
                                       static_cast<int>(static_cast<unsigned>(today.day()))};
    ctx.ordinal = ordinal;
    if (received.date_line) ctx.covers = protocol::read_calendar_date(*received.date_line);
    if (!ctx.covers) {
        year_month_day filed{sys_days{floor<days>(c.spec.filed.time_since_epoch())}};
        ctx.covers = protocol::calendar_date{static_cast<int>(filed.year()),
                                             static_cast<int>(static_cast<unsigned>(filed.month())),
                                             static_cast<int>(static_cast<unsigned>(filed.day()))};
    }
    ctx.place = "Peking";
    return ctx;
}

}  // namespace

int run_net_replay(const net_replay_options& options, cli_io io) {
    const std::string name = "hakto replay --net";
    // The in-process replay, in virtual time: what the network must give again.
    auto scn = sim::load_named_scenario(options.replay.scenario);
    if (!scn) {
        for (const auto& e : scn.error()) io.err << e.to_string() << "\n";
        return exit_bad_input;
    }
    sim::engine e{scn.value().start};
    std::vector<std::string> warnings;
    auto reference = replay::prepare(options.replay, e, warnings);
    for (const auto& w : warnings) io.err << name << ": warning: " << w << "\n";
    if (!reference) {
        io.err << name << ": " << reference.error().message << "\n";
        return exit_bad_input;
    }
    reference.value()->start();
    e.run();
    const auto& ref = *reference.value();
    const double speed = sim::speed_factor(options.speed);

    // Where the processes keep their journals and logs.
    std::error_code ec;
    fs::path work =
        options.work_dir.empty()
            ? fs::temp_directory_path(ec) /
                  fmt::format("hakto-net-{}-{}", ::getpid(),
                              std::chrono::steady_clock::now().time_since_epoch().count())
            : fs::path(options.work_dir);
    fs::create_directories(work, ec);
    if (ec) {
        io.err << name << ": " << work.string() << ": " << ec.message() << "\n";
        return exit_bad_input;
    }

    // Which stations originate, which receive.
    std::set<std::string> origins, destinations;
    for (const auto& c : ref.cables()) {
        origins.insert(c.spec.origin);
        for (const auto& a : c.spec.addressees)
            for (const auto& st : ref.scenario().stations)
                if (st.routing_indicator == a) destinations.insert(st.id);
    }
    // Start order: relays (they listen), then the other stations, the originators last, once
    // the destinations' printer ports are being read. Within a kind, by id (of two stations of
    // one kind, the later id dials the earlier).
    std::vector<const sim::station_spec*> by_id;
    for (const auto& st : ref.scenario().stations) by_id.push_back(&st);
    std::sort(by_id.begin(), by_id.end(),
              [](const auto* a, const auto* b) { return a->id < b->id; });
    std::vector<const sim::station_spec*> order;
    for (int pass = 0; pass < 3; ++pass)
        for (const auto* st : by_id) {
            bool relay = st->kind == sim::station_kind::relay, origin = origins.count(st->id) > 0;
            if ((pass == 0 && relay) || (pass == 1 && !relay && !origin) ||
                (pass == 2 && !relay && origin))
                order.push_back(st);
        }

    const auto binary = options.binary.empty() ? self_binary() : options.binary;
    std::string scenario_arg = options.scenario_argument;
    if (fs::exists(scenario_arg)) scenario_arg = fs::absolute(scenario_arg).string();
    std::map<std::string, unsigned> ports;
    std::vector<std::unique_ptr<child>> children;
    asio::io_context ioc;
    std::map<std::string, std::shared_ptr<tcp::socket>> printers;
    std::map<std::string, std::array<char, 1024>> buffers;

    auto stop_all = [&] {
        for (auto it = children.rbegin(); it != children.rend(); ++it) (*it)->terminate();
    };
    auto wait_port = [&](const std::string& file, child& c) -> unsigned {
        for (int i = 0; i < 1000; ++i) {
            if (auto p = read_port_file(file)) return p;
            if (c.reap(false)) return 0;
            ::usleep(10'000);
        }
        return 0;
    };
    for (const auto* st : order) {
        const bool relay = st->kind == sim::station_kind::relay;
        std::vector<std::string> args{relay ? "relay" : "station",
                                      "--id",
                                      st->id,
                                      "--scenario",
                                      scenario_arg,
                                      "--journal",
                                      (work / ("journal-" + st->id)).string(),
                                      "--speed",
                                      sim::speed_name(options.speed),
                                      "--listen",
                                      "127.0.0.1:0",
                                      "--port-file",
                                      (work / (st->id + ".port")).string(),
                                      "--reconnect-ms",
                                      "50"};
        if (!options.replay.crypto) args.push_back("--no-crypto");
        if (options.replay.noise) args.push_back("--noise");
        if (options.replay.code == protocol::code_set::ita2)
            args.insert(args.end(), {"--code", "ita2"});
        if (options.replay.usos) args.push_back("--usos");
        // Its neighbours that it dials, at the ports they listen on.
        for (const auto& c : ref.scenario().circuits) {
            if (c.a != st->id && c.b != st->id) continue;
            const auto& other = c.a == st->id ? c.b : c.a;
            const auto* o = ref.scenario().find_station(other);
            if (o && dials(*st, *o))
                args.insert(args.end(),
                            {"--peer", fmt::format("{}=127.0.0.1:{}", other, ports[other])});
        }
        if (!relay) {
            // Each cable at its filing time, as the in-process replay files it: a FLASH filed
            // while a ROUTINE is on the line pre-empts it there too.
            args.push_back("--file-in-time");
            for (const auto& c : options.replay.cables) args.insert(args.end(), {"--cable", c});
            for (const auto& f : options.replay.frus_files)
                args.insert(args.end(), {"--frus", fs::absolute(f).string()});
            if (destinations.count(st->id))
                args.insert(args.end(),
                            {"--out-dir", (work / ("out-" + st->id)).string(), "--printer-port",
                             "0", "--printer-port-file", (work / (st->id + ".printer")).string()});
        }
        children.push_back(
            std::make_unique<child>(binary, args, (work / (st->id + ".log")).string()));
        auto& ch = *children.back();
        auto port = ch.pid() > 0 ? wait_port((work / (st->id + ".port")).string(), ch) : 0;
        if (port == 0) {
            io.err << fmt::format("{}: {} did not start; see {}\n", name, st->id,
                                  (work / (st->id + ".log")).string());
            stop_all();
            return exit_bad_input;
        }
        ports[st->id] = port;
        std::string what = fmt::format("{}: {} ({}, {}) pid {}, port {}", name, st->id,
                                       relay ? "relay" : "station",
                                       st->place.empty() ? st->name : st->place, ch.pid(), port);
        if (destinations.count(st->id)) {
            auto pp = wait_port((work / (st->id + ".printer")).string(), ch);
            auto sock = std::make_shared<tcp::socket>(ioc);
            boost::system::error_code cec;
            sock->connect(
                tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(pp)),
                cec);
            if (pp == 0 || cec) {
                io.err << fmt::format("{}: cannot read {}'s printer port\n", name, st->id);
                stop_all();
                return exit_bad_input;
            }
            printers[st->id] = sock;
            what += fmt::format(", page printer on port {}", pp);
        }
        io.err << what << "\n";
    }
    io.err << fmt::format("{}: journals and logs in {}\n", name, work.string());
    io.err.flush();

    // Read the printers; watch for the deliveries; stop on a signal or when a process dies.
    std::function<void(const std::string&)> read_printer = [&](const std::string& id) {
        auto sock = printers[id];
        sock->async_read_some(asio::buffer(buffers[id]),
                              [&, id, sock](const boost::system::error_code& rec, std::size_t n) {
                                  if (rec) return;
                                  io.out << page_text(std::string_view(buffers[id].data(), n));
                                  io.out.flush();
                                  read_printer(id);
                              });
    };
    for (const auto& [id, s] : printers) read_printer(id);

    std::size_t characters = 0;
    for (const auto& c : ref.cables()) characters += c.codes.size();
    const double line_seconds =
        static_cast<double>(characters) * 0.1633 * 3;  // about three hops' worth
    // The filing times' span, idle hours skipped as the stations skip them.
    std::vector<sim::sim_time> filings;
    for (const auto& c : ref.cables()) filings.push_back(c.spec.filed);
    std::sort(filings.begin(), filings.end());
    double filing_seconds = 0;
    for (std::size_t i = 1; i < filings.size(); ++i) {
        const auto gap = filings[i] - filings[i - 1];
        filing_seconds += gap > idle_gap ? 1.0 : std::chrono::duration<double>(gap).count();
    }
    const auto limit =
        std::chrono::seconds{30} + std::chrono::seconds{static_cast<long>(
                                       speed > 0 ? (line_seconds + filing_seconds) / speed : 0)};
    // The order the cables are delivered in over TCP (as the polls below see them) and in the
    // in-process replay.
    std::vector<const replay_cable*> in_process;
    for (const auto& c : ref.cables())
        if (c.delivery) in_process.push_back(&c);
    std::stable_sort(in_process.begin(), in_process.end(), [](const auto* x, const auto* y) {
        return x->delivery->delivered < y->delivery->delivered;
    });
    std::vector<std::string> net_order;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = -1;
    asio::steady_timer poll(ioc);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    auto finish = [&](int s) {
        status = s;
        boost::system::error_code ignored;
        poll.cancel();
        signals.cancel(ignored);
        for (auto& [id, sock] : printers) sock->close(ignored);
    };
    signals.async_wait([&](const boost::system::error_code& sec, int) {
        if (!sec) finish(130);
    });
    auto all_delivered = [&] {
        // Those seen for the first time in this poll join the order; within one poll (50 ms)
        // they are taken in the in-process order.
        bool all = true;
        for (const auto* c : in_process) {
            if (std::find(net_order.begin(), net_order.end(), c->spec.id) != net_order.end())
                continue;
            net_cable probe;
            probe.label = c->spec.id;
            if (fs::exists(work / ("out-" + c->delivery->destination) / delivered_file_name(probe)))
                net_order.push_back(c->spec.id);
            else
                all = false;
        }
        return all;
    };
    std::function<void()> tick = [&] {
        poll.expires_after(std::chrono::milliseconds{50});
        poll.async_wait([&](const boost::system::error_code& pec) {
            if (pec) return;
            if (all_delivered()) {
                // Let the printer port catch up with the last line.
                poll.expires_after(std::chrono::milliseconds{300});
                poll.async_wait([&](const boost::system::error_code& e2) {
                    if (!e2) finish(0);
                });
                return;
            }
            for (std::size_t i = 0; i < children.size(); ++i)
                if (auto s = children[i]->reap(false)) {
                    io.err << fmt::format("{}: {} ended early (status {}); see its log\n", name,
                                          order[i]->id, *s);
                    finish(exit_bad_input);
                    return;
                }
            if (std::chrono::steady_clock::now() > deadline) {
                io.err << fmt::format("{}: not delivered within {} s\n", name, limit.count());
                finish(exit_bad_input);
                return;
            }
            tick();
        });
    };
    tick();
    ioc.run();
    stop_all();
    if (status != 0) {
        if (status == 130) io.err << name << ": stopped\n";
        return status;
    }

    // Each cable as it arrived, beside the in-process replay's copy; the memo from the network
    // copy.
    bool same = true;
    io.out << "\n";
    {
        std::vector<std::string> want;
        for (const auto* c : in_process) want.push_back(c->spec.id);
        const bool same_order = want == net_order;
        same = same && same_order;
        io.out << fmt::format("Delivered over TCP in the order {}: {} the in-process replay's{}\n",
                              fmt::join(net_order, ", "), same_order ? "the same as" : "NOT",
                              same_order ? "" : fmt::format(" ({})", fmt::join(want, ", ")));
    }
    for (const auto& c : ref.cables()) {
        if (!c.delivery) continue;
        net_cable probe;
        probe.label = c.spec.id;
        auto got =
            delivered_codes(work / ("out-" + c.delivery->destination) / delivered_file_name(probe));
        if (!got) {
            io.err << fmt::format("{}: {}: the delivered copy cannot be read\n", name, c.spec.id);
            same = false;
            continue;
        }
        if (options.replay.noise) {
            // The line noise over TCP is drawn as the circuit model draws it, but on the
            // network's own timing: not the in-process replay's garbles. Count the damage.
            std::size_t garbled = 0;
            for (std::size_t k = 0; k < std::max(got->size(), c.codes.size()); ++k)
                if (k >= got->size() || k >= c.codes.size() || (*got)[k] != c.codes[k]) ++garbled;
            io.out << fmt::format(
                "{} delivered at {} over TCP: {} characters, {} garbled by the line noise "
                "(its own draws, not the in-process replay's)\n",
                c.spec.id, c.delivery->destination, got->size(), garbled);
        }
        const auto& want = c.delivery->received;
        const auto diff = std::mismatch(got->begin(), got->end(), want.begin(), want.end());
        const bool identical = diff.first == got->end() && diff.second == want.end();
        if (options.replay.noise) {
            // Counted above; the in-process copy is not the yardstick with noise.
        } else if (identical) {
            io.out << fmt::format(
                "{} delivered at {} over TCP: {} characters, the same as the in-process replay's "
                "copy\n",
                c.spec.id, c.delivery->destination, got->size());
        } else {
            same = false;
            io.out << fmt::format(
                "{} delivered at {} over TCP: {} characters, DIFFERENT from the in-process "
                "replay's copy from character {}\n",
                c.spec.id, c.delivery->destination, got->size(), diff.first - got->begin());
        }
        if (c.delivery->destination != "WTE" || !c.text_supplied || !c.memo) continue;
        auto printed = protocol::from_page_copy_line_ends(protocol::decode(
            *got, protocol::decode_options{options.replay.code, options.replay.usos}));
        auto received = protocol::parse_document(printed).message;
        auto ctx = context_for(ref, c, received, c.delivery->delivered, options.replay.memo_delay);
        std::optional<memo_rules> user_rules;
        if (options.replay.memo_rules_file) {
            auto loaded =
                extend_memo_rules_from_file(builtin_memo_rules(), *options.replay.memo_rules_file);
            if (!loaded) {
                io.err << loaded.error().to_string() << "\n";
                return exit_bad_input;
            }
            user_rules = std::move(loaded.value());
        }
        auto draft =
            draft_covering_memo(received, ctx, user_rules ? *user_rules : builtin_memo_rules());
        const bool memo_same = render_memo(draft.memo) == render_memo(*c.memo);
        if (!options.replay.noise) same = same && memo_same;
        io.out << "\n";
        if (options.compare && c.historical_memo)
            io.out << render_memo_comparison(draft.memo, *c.historical_memo, 72);
        else
            io.out << render_memo(draft.memo);
        if (options.replay.noise)
            io.out << "\nThe memorandum above was drafted from the copy that arrived over TCP, "
                      "garbles "
                      "and all.\n";
        else
            io.out << fmt::format(
                "\nThe memorandum above was drafted from the copy that arrived over TCP; it is {} "
                "the in-process replay's.\n",
                memo_same ? "word for word" : "NOT");
    }
    return same ? exit_ok : exit_bad_input;
}

}  // namespace hakto::terminals
