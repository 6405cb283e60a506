// hakto replay: the whole chain, paced on a virtual clock; hakto send: compose a cable and
// replay it.
#include <sys/ioctl.h>
#include <unistd.h>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <ostream>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "sim/pacing.hpp"
#include "terminals/cli/cli_options.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/cli/cli_teleprinter.hpp"
#include "terminals/cli/net_replay.hpp"
#include "terminals/replay/replay.hpp"
#include "terminals/replay/replay_audio.hpp"
#include "terminals/replay/replay_cables.hpp"
#include "terminals/replay/replay_idle.hpp"
#include "terminals/replay/replay_render.hpp"

namespace hakto::terminals {
namespace {

std::atomic<bool> interrupted_flag{false};
extern "C" void on_signal(int) {
    interrupted_flag = true;
}

/// SIGINT/SIGTERM end the replay cleanly (the terminal is restored); the old handlers come
/// back when this goes.
class signal_guard {
  public:
    signal_guard() {
        interrupted_flag = false;
        old_int_ = std::signal(SIGINT, on_signal);
        old_term_ = std::signal(SIGTERM, on_signal);
    }
    ~signal_guard() {
        std::signal(SIGINT, old_int_);
        std::signal(SIGTERM, old_term_);
    }

  private:
    void (*old_int_)(int);
    void (*old_term_)(int);
};

/// --teleprinter: what the page printer at the machine's station prints goes to the machine
/// (terminals/cli/cli_teleprinter.hpp). `station` empty: every destination's page printer.
class teleprinter_sink final : public replay_sink {
  public:
    teleprinter_sink(teleprinter& machine, teleprinter_feed::options o, std::string station)
        : feed_(machine, std::move(o)), station_(std::move(station)) {}
    void event(const replay_event& e) override {
        if (e.kind != replay_event_kind::printed) return;
        if (!station_.empty() && e.station != station_) return;
        feed_.printed(e.cable, e.index, e.delivered);
    }

  private:
    teleprinter_feed feed_;
    std::string station_;
};

/// The replay's side of a teleprinter: its io_context, run on the replay's thread between the
/// pacer's steps, and the waits that keep the replay no more than a line ahead of the machine
/// ("the screen and the machine show the same moment", docs/hakto.1).
class replay_machine {
  public:
    /// Bytes the machine may have waiting before the replay waits for it: about a line.
    static constexpr std::size_t hold_back = 72;
    /// At the end, how long a device that is not open is waited for before what it still had to
    /// print is given up.
    static constexpr auto reopen_wait = std::chrono::seconds{10};

    replay_machine(teleprinter_options o, cli_io io, const char* name) : io_(io), name_(name) {
        o.log = [this](const std::string& m) {
            io_.err << "hakto " << name_ << ": " << m << "\n";
            io_.err.flush();
        };
        options_ = std::move(o);
    }
    expected<void, std::string> open() {
        auto t = teleprinter::create(context_, options_);
        if (!t) return t.error();
        machine_ = std::move(t.value());
        machine_->start();
        return outcome::success();
    }
    teleprinter& machine() { return *machine_; }
    /// What the feed of this machine is given (terminals/cli/cli_teleprinter.hpp).
    teleprinter_feed::options feed_options() const {
        return {options_.code, options_.usos, options_.max_pending, false, options_.log};
    }

    /// Runs the machine's handlers that are ready.
    void poll() {
        context_.restart();
        context_.poll();
    }
    /// Runs the machine's handlers until `until` (or a signal), in short slices.
    void run_until(std::chrono::steady_clock::time_point until) {
        while (!interrupted_flag && std::chrono::steady_clock::now() < until) {
            context_.restart();
            context_.run_until(std::min(until, std::chrono::steady_clock::now() + slice));
        }
    }
    /// Waits while the machine, open, has more than `mark` bytes to print. True if it waited.
    bool wait_below(std::size_t mark) {
        bool waited = false;
        while (!interrupted_flag && machine_->is_open() && machine_->pending() > mark) {
            context_.restart();
            context_.run_for(slice);
            waited = true;
        }
        return waited;
    }
    /// Waits until the machine has printed everything. False (and said) when what it had left
    /// is given up: the device was not open for reopen_wait.
    bool drain() {
        auto drained = std::make_shared<bool>(false);
        machine_->when_drained([drained] { *drained = true; });
        auto closed_since = std::chrono::steady_clock::now();
        while (!*drained && !interrupted_flag) {
            context_.restart();
            context_.run_for(slice);
            const auto now = std::chrono::steady_clock::now();
            if (machine_->is_open())
                closed_since = now;
            else if (now - closed_since > reopen_wait)
                break;
        }
        const auto left = machine_->pending();
        const bool all = *drained;
        if (!all && !interrupted_flag)
            io_.err << fmt::format(
                "hakto {}: teleprinter {}: not open for {} s; {} bytes of page copy not printed\n",
                name_, options_.device, reopen_wait.count(), left);
        stop();
        return all;
    }
    void stop() {
        machine_->stop();
        poll();
    }

  private:
    static constexpr auto slice = std::chrono::milliseconds{20};
    boost::asio::io_context context_;
    teleprinter_options options_;
    std::shared_ptr<teleprinter> machine_;
    cli_io io_;
    const char* name_;
};

void add_replay_options(po::options_description& options) {
    options.add_options()("help,h", "show this help")(
        "config", po::value<std::string>(),
        "read options from FILE (name = value lines); the command line wins")(
        "scenario", po::value<std::string>(),
        "a built-in scenario (june1972) or a TOML file: replays all its cables")(
        "cable", po::value<std::vector<std::string>>()->composing(),
        "replay only this cable (repeatable), e.g. \"HAKTO 12\"")(
        "frus", po::value<std::vector<std::string>>()->multitoken()->composing(),
        "FRUS TEI files that supply cable texts (single documents or the whole volume)")(
        "speed", po::value<std::string>()->default_value("20x"),
        "real (60 wpm as it was), Nx (N times faster), or max")(
        "noise", "let the circuits' noise garble the text")("seed", po::value<std::uint64_t>(),
                                                            "vary every noise draw")(
        "no-crypto", "send in clear (no on-line encryption)")("usos",
                                                              "unshift on space at both ends")(
        "typing-wpm", po::value<double>()->default_value(40), "the punching operator's speed")(
        "compare", "show the generated memo beside the historical one")(
        "memo-rules", po::value<std::string>(),
        "a memo rule file to use instead of the built-in rules")(
        "transcript", po::value<std::string>(), "write every event to FILE.json")(
        "keep-idle", "wait through idle hours at the chosen speed instead of skipping them")(
        "wav", po::value<std::string>(),
        "write the sound of the line into the destination to FILE.wav (docs/audio.md)")(
        "wav-rate", po::value<int>()->default_value(48000),
        "sample rate of --wav, 8000 to 48000 Hz");
    add_code_option(options, "teletype code: ustty or ita2");
}

int run_replay(const po::variables_map& vm, replay_options options, cli_io io, const char* name) {
    auto speed = speed_option(vm);
    if (!speed) {
        io.err << "hakto " << name << ": " << speed.error() << "\n";
        return exit_usage;
    }
    auto code = code_option(vm);
    if (!code) {
        io.err << "hakto " << name << ": " << code.error() << "\n";
        return exit_usage;
    }
    options.code = code.value();
    options.usos = vm.count("usos") > 0;
    options.noise = vm.count("noise") > 0;
    options.crypto = vm.count("no-crypto") == 0;
    if (vm.count("seed")) options.seed = vm["seed"].as<std::uint64_t>();
    options.frus_files = frus_files_option(vm);
    if (vm.count("memo-rules")) options.memo_rules_file = vm["memo-rules"].as<std::string>();
    options.typing_wpm = vm["typing-wpm"].as<double>();
    if (!(options.typing_wpm >= 1 && options.typing_wpm <= 200)) {
        io.err << "hakto " << name << ": --typing-wpm must be between 1 and 200\n";
        return exit_usage;
    }
    // --teleprinter: the page printer at the White House (every destination in a scenario
    // without it) prints on the machine too.
    auto machine_options = teleprinter_from(vm, options.code, options.usos);
    if (!machine_options) {
        io.err << "hakto " << name << ": " << machine_options.error() << "\n";
        return exit_usage;
    }

    auto scn = options.scenario_object
                   ? expected<sim::scenario, sim::scenario_errors>{*options.scenario_object}
                   : sim::load_named_scenario(options.scenario);
    if (!scn) {
        for (const auto& e : scn.error()) io.err << e.to_string() << "\n";
        return exit_bad_input;
    }
    // Start the clock a minute before the first cable to be replayed.
    sim::sim_time first = sim::sim_time::max();
    for (const auto& c : scn.value().cables)
        if (options.cables.empty() ||
            std::find(options.cables.begin(), options.cables.end(), c.id) != options.cables.end())
            first = std::min(first, c.filed);
    auto start = first == sim::sim_time::max()
                     ? scn.value().start
                     : std::max(scn.value().start, first - std::chrono::minutes{1});
    sim::engine e{start};
    std::vector<std::string> warnings;
    auto r = replay::prepare(options, e, warnings);
    for (const auto& w : warnings) io.err << "hakto " << name << ": warning: " << w << "\n";
    if (!r) {
        io.err << "hakto " << name << ": " << r.error().message << "\n";
        return exit_bad_input;
    }
    render_options ro{options.code, options.usos, vm.count("compare") > 0, true};
    json_transcript recorder(*r.value());
    if (vm.count("transcript")) r.value()->add_sink(&recorder);
    std::unique_ptr<replay_audio> audio;  // --wav: the sound of the circuit
    if (vm.count("wav")) {
        const int rate = vm["wav-rate"].as<int>();
        if (rate < 8000 || rate > 48000) {
            io.err << "hakto " << name << ": --wav-rate must be 8000 to 48000 Hz\n";
            return exit_usage;
        }
        auto a = replay_audio::create(*r.value(), vm["wav"].as<std::string>(), rate);
        if (!a) {
            io.err << "hakto " << name << ": --wav " << a.error().message << "\n";
            return exit_bad_input;
        }
        audio = std::move(a.value());
        r.value()->add_sink(audio.get());
    }

    bool tty = &io.out == &std::cout && isatty(STDOUT_FILENO);
    std::unique_ptr<terminal_renderer> screen;
    std::unique_ptr<transcript_renderer> plain;
    if (tty) {
        winsize ws{};
        int rows = 24, cols = 80;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
            rows = ws.ws_row;
            cols = ws.ws_col;
        }
        screen = std::make_unique<terminal_renderer>(io.out, *r.value(), ro, rows, cols);
        r.value()->add_sink(screen.get());
    } else {
        plain = std::make_unique<transcript_renderer>(io.out, *r.value(), ro);
        r.value()->add_sink(plain.get());
    }

    std::unique_ptr<replay_machine> machine;
    std::unique_ptr<teleprinter_sink> machine_sink;
    if (machine_options.value()) {
        machine = std::make_unique<replay_machine>(std::move(*machine_options.value()), io, name);
        if (auto opened = machine->open(); !opened) {
            io.err << "hakto " << name << ": " << opened.error() << "\n";
            return exit_usage;
        }
        machine_sink = std::make_unique<teleprinter_sink>(
            machine->machine(), machine->feed_options(),
            r.value()->scenario().find_station("WTE") ? "WTE" : "");
        r.value()->add_sink(machine_sink.get());
    }

    signal_guard signals;
    r.value()->start();
    sim::pacer pace(e, speed.value());
    const bool paced = speed.value().paced();
    bool skip_idle =
        vm.count("keep-idle") == 0 && speed.value().kind != sim::pacing::mode::as_fast_as_possible;
    while (!interrupted_flag) {
        auto next = e.next_time();
        if (!next) break;
        if (auto idle = skip_idle ? skip_idle_time(e, pace) : std::nullopt) {
            if (screen) screen->event(*idle);
            if (plain) plain->event(*idle);
        }
        if (machine) {
            // The replay waits for the machine when it is more than a line behind, and goes on
            // from there at its pace (anchored again: no burst of late events after the wait).
            if (machine->wait_below(replay_machine::hold_back) && paced) pace.anchor();
            // Until the next event is due, the machine's handlers run (its writes, its keyboard).
            if (paced && pace.anchored())
                machine->run_until(pace.deadline(*next));
            else
                machine->poll();
            if (interrupted_flag) break;
        }
        if (!pace.step()) break;
    }
    if (screen) screen->finish();
    if (plain) plain->finish();
    // At the end, the machine prints what it still has before the program exits.
    const bool machine_printed_all = !machine || interrupted_flag || machine->drain();
    if (interrupted_flag) {
        if (machine) machine->stop();
        io.err << "hakto " << name << ": stopped\n";
        return 130;
    }
    if (vm.count("transcript")) {
        // Written whole to a temporary file, then renamed: never half a transcript.
        auto path = vm["transcript"].as<std::string>();
        auto tmp = path + ".tmp";
        {
            std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
            if (!f) {
                io.err << "hakto " << name << ": --transcript " << path << ": cannot write\n";
                return exit_bad_input;
            }
            f << recorder.document().dump(1) << "\n";
            if (!f) {
                io.err << "hakto " << name << ": --transcript " << path << ": write failed\n";
                std::filesystem::remove(tmp);
                return exit_bad_input;
            }
        }
        std::error_code ec;
        std::filesystem::rename(tmp, path, ec);
        if (ec) {
            io.err << "hakto " << name << ": --transcript " << path << ": " << ec.message() << "\n";
            return exit_bad_input;
        }
    }
    if (audio) {
        if (auto w = audio->finish(); !w) {
            io.err << "hakto " << name << ": --wav " << w.error().message << "\n";
            return exit_bad_input;
        }
    }
    for (const auto& c : r.value()->cables())
        if (!c.delivery)
            io.err << "hakto " << name << ": warning: " << c.spec.id << " was not delivered\n";
    return machine_printed_all ? exit_ok : exit_bad_input;
}

/// hakto replay --net (terminals/cli/net_replay.hpp): the options the processes take.
int run_replay_net(const po::variables_map& vm, replay_options options, cli_io io) {
    net_replay_options n;
    auto speed = speed_option(vm);
    if (!speed) {
        io.err << "hakto replay: " << speed.error() << "\n";
        return exit_usage;
    }
    n.speed = speed.value();
    auto code = code_option(vm);
    if (!code) {
        io.err << "hakto replay: " << code.error() << "\n";
        return exit_usage;
    }
    options.code = code.value();
    options.usos = vm.count("usos") > 0;
    options.noise = vm.count("noise") > 0;
    options.crypto = vm.count("no-crypto") == 0;
    options.frus_files = frus_files_option(vm);
    if (vm.count("memo-rules")) options.memo_rules_file = vm["memo-rules"].as<std::string>();
    if (vm.count("seed") || vm.count("transcript")) {
        io.err << "hakto replay: --net does not take --seed or --transcript\n";
        return exit_usage;
    }
    if (vm.count("teleprinter")) {
        io.err << "hakto replay: --net does not take --teleprinter: give it to the White House's "
                  "hakto station\n";
        return exit_usage;
    }
    n.scenario_argument = options.scenario;
    n.compare = vm.count("compare") > 0;
    n.replay = std::move(options);
    return run_net_replay(n, io);
}

}  // namespace

int cmd_replay(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    add_replay_options(options);
    add_teleprinter_options(options);
    options.add_options()(
        "net", "run across real processes on 127.0.0.1: each station a hakto station or relay")(
        "cable-file", po::value<std::vector<std::string>>()->composing(),
        "cables to replay instead of the scenario's: text in any form hakto reads, or FRUS TEI "
        "XML");
    po::positional_options_description positional;
    positional.add("cable-file", -1);
    bool help = false;
    auto vm = parse_arguments(
        "replay",
        "[FILE...] [--scenario june1972|FILE] [--frus FILE...] [--speed real|Nx|max] [--noise]",
        options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    replay_options ro;
    if (vm->count("scenario"))
        ro.scenario = (*vm)["scenario"].as<std::string>();
    else
        ro.cables = {"HAKTO 12"};  // the default replay: the founding cable
    if (vm->count("cable")) ro.cables = (*vm)["cable"].as<std::vector<std::string>>();
    if (vm->count("cable-file")) {
        // Cables the user brings: each from its originator to its addressees, at its own DTG,
        // over the scenario's stations where they are the scenario's, else a route built for it.
        if (vm->count("net")) {
            io.err << "hakto replay: --net replays the scenario's cables; give cable files without "
                      "--net\n";
            return exit_usage;
        }
        if (vm->count("cable")) {
            io.err << "hakto replay: --cable chooses among the scenario's cables; with cable "
                      "files, give only the files\n";
            return exit_usage;
        }
        auto given = read_given_cables((*vm)["cable-file"].as<std::vector<std::string>>());
        if (!given) {
            io.err << "hakto replay: " << given.error().message << "\n";
            return exit_bad_input;
        }
        auto base = sim::load_named_scenario(ro.scenario);
        if (!base) {
            for (const auto& e : base.error()) io.err << e.to_string() << "\n";
            return exit_bad_input;
        }
        std::vector<std::string> notes;
        auto scn = scenario_for_cables(std::move(base.value()), given.value(), notes);
        if (!scn) {
            io.err << "hakto replay: " << scn.error().message << "\n";
            return exit_bad_input;
        }
        for (const auto& n : notes) io.err << "hakto replay: " << n << "\n";
        ro.cables.clear();
        ro.scenario_object = std::move(scn.value());
    }
    if (vm->count("net")) return run_replay_net(*vm, ro, io);
    return run_replay(*vm, ro, io, "replay");
}

int cmd_send(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    add_replay_options(options);
    options.add_options()("from", po::value<std::string>()->default_value("WTE"),
                          "sending station")("to", po::value<std::string>()->default_value("WTE10"),
                                             "addressee station")(
        "precedence", po::value<std::string>()->default_value("O"), "Z, O, P or R")(
        "at", po::value<std::string>(),
        "filing time, e.g. 1972-06-21T17:30:00Z (default: after HAKTO 12 was logged)")(
        "number", po::value<int>(), "series number (default: the next of its series)")(
        "input", po::value<std::string>()->default_value("-"), "the text to send ('-' for stdin)");
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm = parse_arguments("send", "[--from WTE] [--to WTE10] [--precedence O] FILE", options,
                              positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto prec = protocol::precedence_from_string((*vm)["precedence"].as<std::string>());
    if (!prec) {
        io.err << "hakto send: --precedence must be Y, Z, O, P or R\n";
        return exit_usage;
    }
    auto input = read_input((*vm)["input"].as<std::string>(), io);
    if (!input) {
        io.err << "hakto send: " << input.error().message() << "\n";
        return exit_bad_input;
    }
    auto base = sim::load_named_scenario(vm->count("scenario") ? (*vm)["scenario"].as<std::string>()
                                                               : "june1972");
    if (!base) {
        for (const auto& e : base.error()) io.err << e.to_string() << "\n";
        return exit_bad_input;
    }
    auto from = (*vm)["from"].as<std::string>(), to = (*vm)["to"].as<std::string>();
    if (!base.value().find_station(from) || !base.value().find_station(to) || from == to) {
        io.err << fmt::format("hakto send: --from and --to must be two stations of scenario '{}'\n",
                              base.value().name);
        return exit_usage;
    }
    // The series: from the trip station HAKTO, to it TOHAK; the next number after the scenario's.
    std::string series = from == "WTE10" ? "HAKTO" : "TOHAK";
    int number = 1;
    sim::sim_time at = base.value().start;
    for (const auto& c : base.value().cables) {
        if (auto t = protocol::find_series_tag(c.id); t && t->name == series && t->number)
            number = std::max(number, *t->number + 1);
        at = std::max(at, c.filed + std::chrono::hours{1});
    }
    if (vm->count("number")) number = (*vm)["number"].as<int>();
    if (vm->count("at")) {
        auto probe = sim::load_scenario(
            fmt::format("[scenario]\nname=\"x\"\nstart={}\n[[station]]\nid=\"A\"\n",
                        (*vm)["at"].as<std::string>()),
            "--at");
        if (!probe) {
            io.err << "hakto send: --at must be a UTC time such as 1972-06-21T17:30:00Z\n";
            return exit_usage;
        }
        at = probe.value().start;
    }
    // Compose: the body is the text's paragraphs (a cable given whole keeps only its text).
    auto doc = protocol::parse_document(input.value());
    protocol::cable c;
    c.routing = protocol::read_routing_line(fmt::format("{} DE {}", to, from));
    c.prec = *prec;
    c.date_time_group = protocol::make_dtg(
        std::chrono::time_point_cast<std::chrono::seconds>(sim::to_sys_time(at)), 'Z');
    c.to = {protocol::read_addressee(to == "WTE10" ? "HENRY A KISSINGER"
                                                   : "GENERAL HAIG, THE WHITE HOUSE")};
    c.from = from == "WTE" ? "GENERAL HAIG" : "HENRY A KISSINGER";
    c.series = protocol::series_tag{series, number, std::nullopt};
    c.paragraphs = doc.message.paragraphs;
    c.signoff = doc.message.signoff;
    if (c.paragraphs.empty()) {
        io.err << "hakto send: the text is empty\n";
        return exit_bad_input;
    }
    auto page = protocol::format_cable(c);
    // A one-cable scenario: the base network, this cable.
    auto scn = base.value();
    scn.cables.clear();
    sim::cable_spec spec;
    spec.id = protocol::format_series_tag(*c.series);
    spec.origin = from;
    spec.addressees = {to};
    spec.prec = *prec;
    spec.filed = at;
    spec.text = page;
    scn.cables.push_back(spec);
    scn.start = at - std::chrono::minutes{1};
    replay_options ro;
    ro.scenario_object = std::move(scn);
    int rc = run_replay(*vm, ro, io, "send");
    return rc;
}

}  // namespace hakto::terminals
