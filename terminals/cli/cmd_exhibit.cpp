// hakto exhibit: the museum kiosk, a web page served over HTTP with the replay broadcast over
// WebSocket (terminals/exhibit/exhibit_server.hpp).
#include <cctype>
#include <csignal>
#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "terminals/cli/cli_options.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/cli/cli_teleprinter.hpp"
#include "terminals/exhibit/exhibit_server.hpp"
#include "terminals/support/asio_timers.hpp"

namespace hakto::terminals {

int cmd_exhibit(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "config", po::value<std::string>(),
        "read options from FILE (name = value lines, # comments); the command line wins")(
        "listen", po::value<std::string>()->default_value("127.0.0.1:8080"),
        "address:port to serve on (port 0: any free port)")(
        "scenario", po::value<std::string>()->default_value("june1972"),
        "a built-in scenario or a TOML file")(
        "frus", po::value<std::vector<std::string>>()->multitoken()->composing(),
        "FRUS TEI files that supply cable texts")(
        "speed", po::value<std::string>()->default_value("20x"),
        "real, Nx (N times faster) or max")("noise", "let the circuits' noise garble the text")(
        "idle-reset", po::value<int>()->default_value(120),
        "seconds without a visitor before the attract loop resumes (0: never)")(
        "max-viewers", po::value<std::size_t>()->default_value(2000),
        "most WebSocket viewers at once")(
        "souvenir-printer", po::value<std::string>(),
        "the CUPS queue (lp -d NAME) the operator page's \"Print souvenir\" sends to")(
        "web-root", po::value<std::string>(),
        "serve the page from this folder instead of the built-in copy")(
        "operator-token-file", po::value<std::string>(),
        "a file holding the operator token: operator.html then works from any address that gives "
        "it "
        "(without it, the operator page works from this machine only)");
    add_teleprinter_options(options);
    po::positional_options_description positional;
    bool help = false;
    config_origins from_file;  // where --config set each option, for the messages below
    auto vm = parse_arguments("exhibit",
                              "[--config FILE] [--listen 127.0.0.1:8080] [--speed 20x] [--noise] "
                              "[--idle-reset SECONDS]",
                              options, positional, args, io, help, &from_file);
    if (!vm) return exit_usage;
    if (help) return exit_ok;

    exhibit_options o;
    auto listen = read_host_port((*vm)["listen"].as<std::string>());
    if (!listen) {
        io.err << "hakto exhibit: " << option_place("listen", from_file) << " " << listen.error()
               << "\n";
        return exit_usage;
    }
    o.host = listen.value().host;
    o.port = listen.value().port;
    auto speed = speed_option(*vm);
    if (!speed) {
        io.err << "hakto exhibit: "
               << (from_file.count("speed") ? from_file["speed"] + ": " : std::string{})
               << speed.error() << "\n";
        return exit_usage;
    }
    o.speed = speed.value();
    auto idle = (*vm)["idle-reset"].as<int>();
    if (idle < 0) {
        io.err << "hakto exhibit: " << option_place("idle-reset", from_file)
               << " must be 0 or more seconds\n";
        return exit_usage;
    }
    o.idle_reset = std::chrono::seconds{idle};
    o.max_viewers = (*vm)["max-viewers"].as<std::size_t>();
    o.replay.scenario = (*vm)["scenario"].as<std::string>();
    if (!vm->count("scenario") || o.replay.scenario == "june1972") o.replay.scenario = "june1972";
    o.replay.noise = vm->count("noise") > 0;
    o.replay.frus_files = frus_files_option(*vm);
    if (vm->count("web-root")) o.web_root = (*vm)["web-root"].as<std::string>();
    if (vm->count("souvenir-printer")) {
        o.souvenir_printer = (*vm)["souvenir-printer"].as<std::string>();
        if (o.souvenir_printer->empty() || o.souvenir_printer->front() == '-') {
            io.err << "hakto exhibit: --souvenir-printer needs a CUPS queue name\n";
            return exit_usage;
        }
    }
    if (vm->count("operator-token-file")) {
        const auto path = (*vm)["operator-token-file"].as<std::string>();
        auto text = read_input(path, io);
        if (!text) {
            io.err << "hakto exhibit: " << option_place("operator-token-file", from_file) << ": "
                   << text.error().message() << "\n";
            return exit_bad_input;
        }
        auto token = text.value();
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())))
            token.pop_back();
        while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front())))
            token.erase(token.begin());
        if (token.size() < 8 || token.size() > 256 ||
            token.find_first_of("\r\n") != std::string::npos) {
            io.err << "hakto exhibit: " << path
                   << ": the operator token is one line of 8 to 256 characters\n";
            return exit_bad_input;
        }
        o.operator_token = std::move(token);
    }

    auto machine_options = teleprinter_from(*vm, o.replay.code, o.replay.usos);
    if (!machine_options) {
        io.err << "hakto exhibit: " << machine_options.error() << "\n";
        return exit_usage;
    }

    boost::asio::io_context ioc{1};
    asio_timers timers{ioc};
    // --teleprinter: the White House's page printer on a real machine, in step with the screens
    // (the show waits for it); its keyboard files a visitor's TOHAK. A device that is missing or
    // fails is the log's to report: the screens are served all the same.
    std::shared_ptr<teleprinter> machine;
    std::shared_ptr<teleprinter_feed> feed;
    exhibit_server* serving = nullptr;
    if (machine_options.value()) {
        auto t = std::move(*machine_options.value());
        auto log = [&io](const std::string& m) {
            io.err << "hakto exhibit: " << m << "\n";
            io.err.flush();
        };
        t.log = log;
        t.on_cable = [&serving, log](const std::string& text) {
            if (!serving) return;
            auto filed = serving->typed_reply(text);
            if (filed)
                log("teleprinter: a visitor's reply typed on the machine is filed as " +
                    filed.value());
            else
                log("teleprinter: a reply typed on the machine is not filed: " +
                    filed.error().message);
        };
        // Nothing is held for a machine that is not open: the screens do not wait for it.
        const teleprinter_feed::options fo{o.replay.code, o.replay.usos, t.max_pending, true, log};
        auto made = teleprinter::create(ioc, std::move(t));
        if (!made) {
            io.err << "hakto exhibit: " << made.error() << "\n";
            return exit_usage;
        }
        machine = std::move(made.value());
        feed = std::make_shared<teleprinter_feed>(*machine, fo);
        o.machine.printed = [feed](const replay_event& e) {
            if (e.station == "WTE") feed->printed(e.cable, e.index, e.delivered);
        };
        // A machine that is not open (missing, unplugged) holds nothing back.
        o.machine.pending = [weak = std::weak_ptr<teleprinter>(machine)]() -> std::size_t {
            auto m = weak.lock();
            return m && m->is_open() ? m->pending() : 0;
        };
    }
    auto server = exhibit_server::create(ioc, timers, o);
    if (!server) {
        io.err << "hakto exhibit: " << server.error().message << "\n";
        return exit_bad_input;
    }
    serving = server.value().get();
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    bool stopped = false;
    signals.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec) return;
        stopped = true;
        server.value()->stop();
        if (machine) machine->stop();
        ioc.stop();
    });
    server.value()->start();
    if (machine) machine->start();
    io.out << fmt::format("hakto exhibit: listening on http://{}:{}/\n", o.host,
                          server.value()->port())
           << std::flush;
    try {
        ioc.run();
    } catch (const std::exception& ex) {
        io.err << "hakto exhibit: " << ex.what() << "\n";
        return exit_bad_input;
    }
    if (stopped) io.err << "hakto exhibit: stopped\n";
    return exit_ok;
}

}  // namespace hakto::terminals
