// hakto station / hakto relay: a station or relay as a process on the network
// (terminals/net/node/net_node.hpp, docs/wire-protocol.md).
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/cli/cli_options.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/cli/cli_teleprinter.hpp"
#include "terminals/cli/net_config.hpp"
#include "terminals/net/node/net_node.hpp"
#include "terminals/net/node/net_spool.hpp"
#include "terminals/support/asio_timers.hpp"

namespace hakto::terminals {
namespace {

void add_node_options(po::options_description& o, bool station) {
    o.add_options()("help,h", "show this help")("id", po::value<std::string>(),
                                                "this station's id (call sign), e.g. WTE10")(
        "scenario", po::value<std::string>()->default_value("june1972"),
        "a built-in scenario or a TOML file: this process takes its station's part; 'none' to "
        "configure by flags")("journal", po::value<std::string>(),
                              "journal directory (default: hakto-journal-ID)")(
        "listen", po::value<std::string>(),
        "listen on HOST:PORT (default 127.0.0.1, port 0: any free port)")(
        "port-file", po::value<std::string>(), "write the port listened on to FILE")(
        "peer", po::value<std::vector<std::string>>()->composing(),
        "ID=HOST:PORT of a neighbour this station connects to")(
        "accept", po::value<std::vector<std::string>>()->composing(),
        "(--scenario none) a neighbour that connects here")(
        "route", po::value<std::vector<std::string>>()->composing(),
        "(--scenario none) PREFIX=ID: route routing indicators starting with PREFIX to ID ('=ID': "
        "default)")("routing-indicator", po::value<std::string>(),
                    "(--scenario none) this station's routing indicator (default: the id)")(
        "key-file", po::value<std::string>(),
        "a shared key (a file of mode 0600): peers must prove they hold it (HMAC "
        "challenge-response), and every frame after the handshake is sealed (ChaCha20-Poly1305)")(
        "insecure",
        "allow --listen on an address other than loopback without --key-file (unauthenticated, "
        "in clear)")("speed", po::value<std::string>()->default_value("real"),
                     "line pacing: real (the circuit's speed), Nx, or max (no pacing)")(
        "noise", "apply the scenario's line noise on the circuits this station sends on")(
        "no-crypto", "no on-line encryption")("usos", "unshift on space")(
        "window", po::value<std::uint32_t>()->default_value(16),
        "characters in flight beyond the receiver's printer when paced")(
        "heartbeat-ms", po::value<int>()->default_value(1000), "heartbeat interval")(
        "idle-timeout-ms", po::value<int>()->default_value(5000),
        "close a connection silent this long")("handshake-timeout-ms",
                                               po::value<int>()->default_value(5000),
                                               "close a connection without hello after this long")(
        "reconnect-ms", po::value<int>()->default_value(100),
        "first reconnect delay (doubles up to 3 s)")("max-pending",
                                                     po::value<std::size_t>()->default_value(256),
                                                     "connections without hello held at most")(
        "compact-kb", po::value<std::uint64_t>()->default_value(4096),
        "compact the journal when it has grown past this many KiB");
    add_code_option(o, "ustty or ita2");
    if (station) add_teleprinter_options(o);
    if (station) {
        o.add_options()("cable", po::value<std::vector<std::string>>()->composing(),
                        "file only this scenario cable (repeatable)")(
            "frus", po::value<std::vector<std::string>>()->multitoken()->composing(),
            "FRUS TEI files that supply cable texts")(
            "send", po::value<std::string>(), "file the text of FILE as a cable (with --to)")(
            "to", po::value<std::string>(), "addressee routing indicator of --send")(
            "label", po::value<std::string>(), "label of --send (default: the file name)")(
            "precedence", po::value<std::string>()->default_value("R"),
            "precedence of --send: Z, O, P or R")(
            "out-dir", po::value<std::string>(),
            "write each cable delivered here to DIR/LABEL.json")(
            "printer-port", po::value<std::uint16_t>(),
            "serve the page copy on this TCP port (0: any free port)")(
            "printer-port-file", po::value<std::string>(), "write the printer port to FILE")(
            "spool", po::value<std::string>(),
            "file each cable text dropped into DIR (*.txt) while running; filed ones move to "
            "DIR/filed, bad ones to DIR/rejected")(
            "file-in-time",
            "file the scenario's cables at their filing times (scaled by --speed; idle hours "
            "skipped) rather than all at start");
    }
}

/// A cable typed on the station's teleprinter (--teleprinter), filed into the network as a
/// file dropped into --spool is (terminals/net/node/net_spool.hpp): a whole cable with its
/// routing line, whose called station is the addressee; labelled by its series tag, else
/// "TTY-<date>-<time>" (UTC, to the millisecond). One that cannot be filed is logged with the
/// reason and not filed.
void file_typed_cable(net_node& n, const std::string& text, const std::string& device,
                      const std::function<void(const std::string&)>& log) {
    const auto now =
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto stem =
        fmt::format("TTY-{:%Y%m%d-%H%M%S}.{:03}", std::chrono::floor<std::chrono::seconds>(now),
                    now.time_since_epoch().count() % 1000);
    const auto& cfg = n.config();
    auto c = read_spooled_cable(text, "teleprinter " + device, stem, cfg.code, cfg.usos);
    if (!c) {
        log(fmt::format("a cable typed on the teleprinter is not filed: {}", c.error()));
        return;
    }
    auto label = c.value().label;
    if (n.store().filed_here(label)) {
        log(fmt::format("teleprinter {}: {} was filed before; not filed again", device, label));
        return;
    }
    auto to = c.value().addressees.empty() ? std::string{} : c.value().addressees.front();
    auto r =
        n.file(std::move(c.value()), [log, device, label, to](expected<bool, node_error> done) {
            if (!done) return;  // the node stops; it says why
            log(done.value() ? fmt::format("teleprinter {}: {} filed, to {}", device, label, to)
                             : fmt::format("teleprinter {}: {} was filed before; "
                                           "not filed again",
                                           device, label));
        });
    if (!r) log(fmt::format("teleprinter {}: {} not filed: {}", device, label, r.error().message));
}

bool write_port_file(const std::string& path, std::uint16_t port, cli_io io, const char* name) {
    auto tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::trunc);
        f << port << "\n";
        if (!f) {
            io.err << "hakto " << name << ": cannot write " << tmp << "\n";
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        io.err << "hakto " << name << ": " << path << ": " << ec.message() << "\n";
        return false;
    }
    return true;
}

int run_node(const std::vector<std::string>& args, cli_io io, bool station) {
    const char* name = station ? "station" : "relay";
    po::options_description options("options");
    add_node_options(options, station);
    po::positional_options_description positional;
    bool help = false;
    auto vm = parse_arguments(
        name, "--id ID [--scenario june1972|FILE|none] [--peer ID=HOST:PORT]... [--journal DIR]",
        options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto usage = [&](const std::string& m) {
        io.err << "hakto " << name << ": " << m << "\n";
        return exit_usage;
    };
    if (!vm->count("id")) return usage("--id is required");
    node_config cfg;
    cfg.id = (*vm)["id"].as<std::string>();
    cfg.role = station ? protocol::wire::role::station : protocol::wire::role::relay;
    cfg.journal_dir =
        vm->count("journal") ? (*vm)["journal"].as<std::string>() : "hakto-journal-" + cfg.id;
    auto speed = speed_option(*vm);
    if (!speed) return usage(speed.error());
    cfg.speed = sim::speed_factor(speed.value());
    cfg.noise = vm->count("noise") > 0;
    cfg.crypto = vm->count("no-crypto") == 0;
    auto code = code_option(*vm);
    if (!code) return usage(code.error());
    cfg.code = code.value();
    cfg.usos = vm->count("usos") > 0;
    // --teleprinter: the page copy of each cable delivered here, and its keyboard as an
    // operator's position that files cables.
    auto machine_options = teleprinter_from(*vm, cfg.code, cfg.usos);
    if (!machine_options) return usage(machine_options.error());
    cfg.window = (*vm)["window"].as<std::uint32_t>();
    if (cfg.window < 1 || cfg.window > 4096) return usage("--window must be 1 to 4096");
    auto ms = [&](const char* opt) { return std::chrono::milliseconds{(*vm)[opt].as<int>()}; };
    cfg.heartbeat = ms("heartbeat-ms");
    cfg.idle_timeout = ms("idle-timeout-ms");
    cfg.handshake_timeout = ms("handshake-timeout-ms");
    cfg.reconnect_min = ms("reconnect-ms");
    for (auto d : {cfg.heartbeat, cfg.idle_timeout, cfg.handshake_timeout, cfg.reconnect_min})
        if (d.count() < 1 || d.count() > 3'600'000) return usage("timeouts must be 1 ms to 1 hour");
    if (cfg.idle_timeout <= cfg.heartbeat)
        return usage("--idle-timeout-ms must be longer than --heartbeat-ms");
    cfg.compact_bytes = (*vm)["compact-kb"].as<std::uint64_t>() * 1024;
    if (cfg.compact_bytes < 1024 || cfg.compact_bytes > (std::uint64_t{1} << 40))
        return usage("--compact-kb must be 1 to 2^30");
    cfg.max_pending_handshakes = (*vm)["max-pending"].as<std::size_t>();
    if (cfg.max_pending_handshakes < 1) return usage("--max-pending must be at least 1");
    if (vm->count("key-file") && vm->count("insecure"))
        return usage("--insecure and --key-file contradict each other: give one");
    if (vm->count("key-file")) {
        auto k = shared_key::from_file((*vm)["key-file"].as<std::string>());
        if (!k) {
            io.err << "hakto " << name << ": " << k.error().message << "\n";
            return exit_bad_input;
        }
        cfg.key = std::move(k.value());
    }
    std::map<std::string, peer_address> addresses;
    if (vm->count("peer"))
        for (const auto& p : (*vm)["peer"].as<std::vector<std::string>>()) {
            auto parsed = parse_peer(p);
            if (!parsed) return usage(parsed.error());
            addresses[parsed.value().first] = parsed.value().second;
        }

    const auto scenario_name = (*vm)["scenario"].as<std::string>();
    bool any_listener = !station;
    if (scenario_name != "none") {
        if (vm->count("accept") || vm->count("route") || vm->count("routing-indicator"))
            return usage("--accept, --route and --routing-indicator are for --scenario none");
        auto scn = sim::load_named_scenario(scenario_name);
        if (!scn) {
            for (const auto& e : scn.error()) io.err << e.to_string() << "\n";
            return exit_bad_input;
        }
        if (auto r = apply_scenario(cfg, scn.value(), addresses); !r) {
            io.err << "hakto " << name << ": " << r.error() << "\n";
            return exit_bad_input;
        }
        if (station) {
            filing_options fo;
            fo.scenario = scenario_name;
            if (vm->count("cable")) fo.cables = (*vm)["cable"].as<std::vector<std::string>>();
            fo.frus_files = frus_files_option(*vm);
            fo.crypto = cfg.crypto;
            fo.code = cfg.code;
            fo.usos = cfg.usos;
            std::vector<std::string> warnings;
            auto cables = cables_to_file(cfg.id, fo, warnings);
            for (const auto& w : warnings) io.err << "hakto " << name << ": warning: " << w << "\n";
            if (!cables) {
                io.err << "hakto " << name << ": " << cables.error() << "\n";
                return exit_bad_input;
            }
            cfg.to_file = std::move(cables.value());
            cfg.file_in_time = vm->count("file-in-time") > 0;
        }
    } else {
        if (vm->count("routing-indicator"))
            cfg.routing_indicator = (*vm)["routing-indicator"].as<std::string>();
        for (const auto& [id, a] : addresses) {
            node_peer p;
            p.id = id;
            p.dial = true;
            p.host = a.host;
            p.port = a.port;
            p.circuit.id = cfg.id + "-" + id;
            cfg.peers.push_back(std::move(p));
        }
        if (vm->count("accept"))
            for (const auto& id : (*vm)["accept"].as<std::vector<std::string>>()) {
                node_peer p;
                p.id = id;
                p.direction = 1;
                p.circuit.id = id + "-" + cfg.id;
                cfg.peers.push_back(std::move(p));
            }
        if (vm->count("route"))
            for (const auto& r : (*vm)["route"].as<std::vector<std::string>>()) {
                auto eq = r.find('=');
                if (eq == std::string::npos)
                    return usage(fmt::format("--route '{}': must be PREFIX=ID", r));
                cfg.routes.emplace_back(r.substr(0, eq), r.substr(eq + 1));
            }
    }
    for (const auto& p : cfg.peers) any_listener = any_listener || !p.dial;
    cfg.listen = any_listener || vm->count("listen") > 0;
    if (vm->count("listen")) {
        auto a = read_host_port((*vm)["listen"].as<std::string>());
        if (!a) return usage("--listen " + a.error());
        cfg.listen_host = a.value().host;
        cfg.listen_port = a.value().port;
    }
    if (cfg.listen)
        if (auto why = open_listen_refusal(cfg.listen_host, cfg.key.has_value(),
                                           vm->count("insecure") > 0);
            !why.empty())
            return usage(why);
    if (station) {
        if (vm->count("out-dir")) cfg.out_dir = (*vm)["out-dir"].as<std::string>();
        if (vm->count("printer-port")) cfg.printer_port = (*vm)["printer-port"].as<std::uint16_t>();
        if (vm->count("send")) {
            if (!vm->count("to")) return usage("--send needs --to");
            auto text = read_input((*vm)["send"].as<std::string>(), io);
            if (!text) {
                io.err << "hakto " << name << ": " << text.error().message() << "\n";
                return exit_bad_input;
            }
            auto prec = protocol::precedence_from_string((*vm)["precedence"].as<std::string>());
            if (!prec) return usage("--precedence must be Y, Z, O, P or R");
            auto codes = encode_filing_text(text.value(), cfg.code, cfg.usos);
            if (!codes) {
                io.err << "hakto " << name << ": --send: " << codes.error() << "\n";
                return exit_bad_input;
            }
            net_cable c;
            c.label =
                vm->count("label")
                    ? (*vm)["label"].as<std::string>()
                    : std::filesystem::path((*vm)["send"].as<std::string>()).filename().string();
            if (c.label.empty() || c.label.size() > protocol::wire::max_label)
                return usage("--label: 1 to 64 characters");
            c.origin = cfg.id;
            c.addressees = {(*vm)["to"].as<std::string>()};
            c.precedence = static_cast<std::uint8_t>(*prec);
            c.filed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
            c.codes = std::move(codes.value());
            cfg.to_file.push_back(std::move(c));
        }
    }

    boost::asio::io_context ioc;
    asio_timers timers(ioc);  // every wait of the node and its spool, in real time
    auto node = net_node::create(ioc, timers, cfg);
    if (!node) {
        io.err << "hakto " << name << ": " << node.error().message << "\n";
        return exit_bad_input;
    }
    auto& n = *node.value();
    // SIGINT and SIGTERM stop the node cleanly (everything on disk is synced; connections closed).
    // Caught from here on, before the port files and the line that tell a watcher
    // the node is ready.
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        io.err << fmt::format("hakto {}: {} stopping on signal {}\n", name, cfg.id, sig);
        n.stop();
    });
    if (&io.err != &std::cerr) n.on_log([&io](const std::string& m) { io.err << m << "\n"; });
    if (cfg.listen && vm->count("port-file") &&
        !write_port_file((*vm)["port-file"].as<std::string>(), n.port(), io, name))
        return exit_bad_input;
    if (station && cfg.printer_port && vm->count("printer-port-file") &&
        !write_port_file((*vm)["printer-port-file"].as<std::string>(), n.printer_port(), io, name))
        return exit_bad_input;
    io.err << fmt::format(
        "hakto {}: {} {}{}{}, journal {}\n", name, cfg.id,
        cfg.listen ? fmt::format("listening on {}:{}", cfg.listen_host, n.port())
                   : std::string{"not listening"},
        cfg.printer_port ? fmt::format(", printer port {}", n.printer_port()) : std::string{},
        cfg.speed > 0 ? fmt::format(", paced at {}x line speed", cfg.speed)
                      : std::string{", pacing off"},
        cfg.journal_dir);
    io.err.flush();
    std::shared_ptr<net_spool> spool;
    if (station && vm->count("spool")) {
        spool_options so;
        so.dir = (*vm)["spool"].as<std::string>();
        so.code = cfg.code;
        so.usos = cfg.usos;
        auto sp = net_spool::open(timers, n, so, [&io, &cfg](const std::string& m) {
            io.err << cfg.id << ": " << m << "\n";
            io.err.flush();
        });
        if (!sp) {
            io.err << "hakto " << name << ": " << sp.error() << "\n";
            return exit_bad_input;
        }
        spool = std::move(sp.value());
    }
    std::shared_ptr<teleprinter> machine;
    std::unique_ptr<teleprinter_feed> machine_feed;
    if (machine_options.value()) {
        auto o = std::move(*machine_options.value());
        auto log = [&io, name](const std::string& m) {
            io.err << "hakto " << name << ": " << m << "\n";
            io.err.flush();
        };
        o.log = log;
        o.on_cable = [&n, device = o.device, log](const std::string& text) {
            file_typed_cable(n, text, device, log);
        };
        const teleprinter_feed::options fo{cfg.code, cfg.usos, o.max_pending, false, log};
        auto t = teleprinter::create(ioc, std::move(o));
        if (!t) return usage(t.error());
        machine = std::move(t.value());
        machine_feed = std::make_unique<teleprinter_feed>(*machine, fo);
        n.on_printed(
            [feed = machine_feed.get()](const std::string& label, std::uint32_t index,
                                        std::uint8_t code) { feed->printed(label, index, code); });
    }
    n.on_stop([&signals, &spool, &machine] {
        boost::system::error_code ignored;
        signals.cancel(ignored);
        if (spool) spool->stop();
        if (machine) machine->stop();
    });
    n.start();
    if (spool && !n.failed()) spool->start();
    if (machine && !n.failed()) machine->start();
    ioc.run();
    return n.failed() ? exit_bad_input : exit_ok;
}

}  // namespace

int cmd_station(const std::vector<std::string>& args, cli_io io) {
    return run_node(args, io, true);
}
int cmd_relay(const std::vector<std::string>& args, cli_io io) {
    return run_node(args, io, false);
}

}  // namespace hakto::terminals
