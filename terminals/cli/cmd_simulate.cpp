// hakto simulate [--scenario NAME|FILE]: runs a scenario's network and traffic in virtual time,
// as fast as possible, and prints the speed-of-service report.
#include <filesystem>
#include <ostream>

#include <fmt/format.h>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/cable_tape.hpp"
#include "sim/network.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::sim;

/// The line codes for a scenario cable: its text (given, or from a file beside the scenario),
/// else synthetic page copy of its length, else one marked line saying what is missing.
expected<std::vector<protocol::code>, std::string> cable_codes(const cable_spec& c,
                                                               const std::string& scenario_dir,
                                                               std::uint64_t seed) {
    std::optional<std::string> text = c.text;
    if (!text && c.text_file) {
        std::filesystem::path p = *c.text_file;
        if (p.is_relative() && !scenario_dir.empty()) p = std::filesystem::path(scenario_dir) / p;
        std::istringstream none;
        std::ostringstream sink;
        cli_io io{none, sink, sink};
        auto in = read_input(p.string(), io);
        if (!in) return in.error().message();
        text = in.value();
    }
    if (text) {
        auto doc = protocol::parse_document(*text);
        protocol::encode_options eo;
        eo.strict = false;
        auto codes = protocol::cable_line_codes(doc.message, {}, eo);
        if (!codes) return codes.error().message();
        return codes.value().codes;
    }
    if (c.length_chars) {
        xoshiro256ss rng(seed);
        return synthetic_page_copy(rng, *c.length_chars);
    }
    auto marked = c.header.value_or(c.id + "\n") + "\n" + marked_body(c) + "\n";
    auto codes = protocol::encode(
        marked, protocol::encode_options{protocol::code_set::us_tty, false, false});
    return codes.value().codes;
}

}  // namespace

int cmd_simulate(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "scenario,s", po::value<std::string>()->default_value("june1972"),
        "a built-in scenario name or a TOML file")("no-noise", "leave out the circuits' noise")(
        "no-crypto", "leave out on-line encryption")(
        "hours", po::value<double>(),
        "stop after this many simulated hours (default: when all traffic is delivered)");
    po::positional_options_description positional;
    bool help = false;
    auto vm =
        parse_arguments("simulate", "[--scenario NAME|FILE] [--no-noise] [--no-crypto] [--hours N]",
                        options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto name = (*vm)["scenario"].as<std::string>();
    auto sc = load_named_scenario(name);
    if (!sc) {
        for (const auto& e : sc.error()) io.err << e.to_string() << "\n";
        return exit_bad_input;
    }
    engine e{sc.value().start};
    network_options no;
    no.noise = !vm->count("no-noise");
    no.crypto = !vm->count("no-crypto");
    no.keep_codes = false;
    auto net = network::build(sc.value(), e, no);
    if (!net) {
        io.err << "hakto simulate: " << net.error().message << "\n";
        return exit_bad_input;
    }
    auto dir = builtin_scenario_text(name).empty()
                   ? std::filesystem::path(name).parent_path().string()
                   : std::string{};
    std::uint64_t k = 0;
    for (const auto& c : sc.value().cables) {
        auto codes = cable_codes(c, dir, sc.value().seed + k++);
        if (!codes) {
            io.err << fmt::format("{}:{}:{}: cable '{}': {}\n", name, c.where.line, c.where.column,
                                  c.id, codes.error());
            return exit_bad_input;
        }
        auto filed = net.value()->file(
            filing{c.id, c.origin, c.addressees, c.prec, c.filed, std::move(codes.value())});
        if (!filed) {
            io.err << "hakto simulate: " << filed.error().message << "\n";
            return exit_bad_input;
        }
    }
    net.value()->start_traffic();
    if (vm->count("hours"))
        e.run_until(sc.value().start + seconds_to_duration((*vm)["hours"].as<double>() * 3600));
    else
        e.run();
    io.out << fmt::format("scenario {}: {} cables filed, {} delivered, simulated until {}\n",
                          sc.value().name, net.value()->filed_count(),
                          net.value()->delivered_count(), format_sim_time(e.now()));
    io.out << net.value()->speed_of_service_report();
    auto totals = net.value()->line_totals();
    io.out << fmt::format(
        "line: {} characters, {} elements flipped, {} characters garbled, {} key resyncs\n",
        totals.line.chars_sent, totals.line.elements_flipped, totals.plain_garbled, totals.resyncs);
    for (const auto& [channel, f] : net.value()->serial_findings())
        io.out << fmt::format("channel {}: serial {:03} {} (expected {:03})\n", channel, f.received,
                              sim::to_string(f.verdict), f.expected);
    return exit_ok;
}

}  // namespace hakto::terminals
