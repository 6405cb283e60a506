// hakto souvenir: a cable as full-size punched tape and its page copy (SVG, PDF or PNG), and
// the PDF sent to a CUPS printer (terminals/souvenir/souvenir.hpp, souvenir_print.hpp).
#include <algorithm>
#include <ostream>

#include <fmt/format.h>

#include "sim/io/file_reader.hpp"
#include "terminals/cli/cli_options.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/replay/replay_cables.hpp"
#include "terminals/replay/replay_texts.hpp"
#include "terminals/souvenir/souvenir.hpp"
#include "terminals/souvenir/souvenir_cable.hpp"
#include "terminals/souvenir/souvenir_print.hpp"

namespace hakto::terminals {
namespace {

/// The cable the souvenir shows, found as the replay finds it: a file the user gave, or a cable
/// of the scenario with its text from the scenario, the bundled document or --frus.
struct chosen_cable {
    replay_cable cable;
    sim::scenario scenario;
};

expected<chosen_cable, std::string> choose_cable(const po::variables_map& vm, replay_options ro,
                                                 cli_io io) {
    if (vm.count("scenario")) ro.scenario = vm["scenario"].as<std::string>();
    if (vm.count("frus")) ro.frus_files = vm["frus"].as<std::vector<std::string>>();
    if (vm.count("cable-file")) {
        auto given = read_given_cables({vm["cable-file"].as<std::string>()});
        if (!given) return given.error().message;
        auto base = sim::load_named_scenario(ro.scenario);
        if (!base) {
            std::string m;
            for (const auto& e : base.error()) m += (m.empty() ? "" : "\n") + e.to_string();
            return m;
        }
        std::vector<std::string> notes;  // how each cable was placed: the replay's to tell
        auto scn = scenario_for_cables(std::move(base.value()), given.value(), notes);
        if (!scn) return scn.error().message;
        ro.scenario_object = std::move(scn.value());
        if (vm.count("cable")) {
            ro.cables = {vm["cable"].as<std::string>()};
        } else {
            ro.cables = {given.value().front().label};
        }
    } else {
        auto scn = sim::load_named_scenario(ro.scenario);
        if (!scn) {
            std::string m;
            for (const auto& e : scn.error()) m += (m.empty() ? "" : "\n") + e.to_string();
            return m;
        }
        const auto& cables = scn.value().cables;
        if (vm.count("cable")) {
            ro.cables = {vm["cable"].as<std::string>()};
        } else {
            // The cable the default replay shows, or the scenario's first.
            if (cables.empty()) return fmt::format("scenario '{}' has no cables", scn.value().name);
            const bool has_default = std::any_of(cables.begin(), cables.end(),
                                                 [](const auto& c) { return c.id == "HAKTO 12"; });
            ro.cables = {has_default ? std::string{"HAKTO 12"} : cables.front().id};
        }
        ro.scenario_object = std::move(scn.value());
    }
    std::vector<std::string> warnings;
    auto prepared = prepare_cables(ro, warnings);
    for (const auto& w : warnings) io.err << "hakto souvenir: warning: " << w << "\n";
    if (!prepared) return prepared.error().message;
    if (prepared.value().cables.empty()) return std::string{"no cable to draw"};
    return chosen_cable{std::move(prepared.value().cables.front()),
                        std::move(prepared.value().scenario)};
}

}  // namespace

int cmd_souvenir(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "cable", po::value<std::string>(),
        "the cable to draw, e.g. \"HAKTO 7\" (default: HAKTO 12, the default replay's)")(
        "scenario", po::value<std::string>(),
        "a built-in scenario (june1972) or a TOML file whose cables --cable names")(
        "frus", po::value<std::vector<std::string>>()->multitoken()->composing(),
        "FRUS TEI files that supply cable texts")(
        "format", po::value<std::string>()->default_value("pdf"), "svg, pdf or png")(
        "output,o", po::value<std::string>(),
        "the file to write ('-': standard output; default souvenir-<cable>.<format>)")(
        "print", "send the PDF to a CUPS printer with lp")(
        "printer", po::value<std::string>(), "the CUPS queue for --print (lp -d; default: lp's)")(
        "usos", "unshift on space: label the tape as a USOS receiver reads it")(
        "cable-file", po::value<std::string>(),
        "a cable of your own instead of the scenario's: text in any form hakto reads, or FRUS "
        "TEI XML");
    add_code_option(options, "teletype code of the tape: ustty or ita2");
    po::positional_options_description positional;
    positional.add("cable-file", 1);
    bool help = false;
    auto vm = parse_arguments("souvenir",
                              "[FILE] [--cable LABEL] [--scenario S] [--format svg|pdf|png] "
                              "[--output PATH] [--print] [--printer NAME]",
                              options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;

    const auto fmt_name = (*vm)["format"].as<std::string>();
    auto f = souvenir::read_format(fmt_name);
    if (!f) {
        io.err << fmt::format("hakto souvenir: --format must be svg, pdf or png, not '{}'\n",
                              fmt_name);
        return exit_usage;
    }
    auto code = code_option(*vm);
    if (!code) {
        io.err << "hakto souvenir: " << code.error() << "\n";
        return exit_usage;
    }
    if (vm->count("printer") && !vm->count("print")) {
        io.err << "hakto souvenir: --printer names the queue for --print; give --print too\n";
        return exit_usage;
    }
    replay_options ro;
    ro.code = code.value();
    ro.usos = vm->count("usos") > 0;
    auto chosen = choose_cable(*vm, ro, io);
    if (!chosen) {
        io.err << "hakto souvenir: " << chosen.error() << "\n";
        return exit_usage;
    }
    const auto& rc = chosen.value().cable;
    const auto text = souvenir::souvenir_of(rc, chosen.value().scenario, ro.code, ro.usos);

    // The file: written whole (a temporary file renamed) or not at all.
    const bool print = vm->count("print") > 0;
    if (vm->count("output") || !print) {
        auto bytes = souvenir::render(text, *f);
        if (!bytes) {
            io.err << "hakto souvenir: " << rc.spec.id << ": " << bytes.error().message << "\n";
            return exit_bad_input;
        }
        const auto path = vm->count("output") ? (*vm)["output"].as<std::string>()
                                              : souvenir::souvenir_file_name(rc.spec.id, *f);
        if (path == "-") {
            io.out.write(bytes.value().data(), static_cast<std::streamsize>(bytes.value().size()));
            io.out.flush();
        } else if (auto w = sim::write_file_atomically(path, bytes.value()); !w) {
            io.err << "hakto souvenir: " << w.error().message() << "\n";
            return exit_bad_input;
        } else {
            io.err << fmt::format("hakto souvenir: {} written to {} ({} bytes)\n", rc.spec.id, path,
                                  bytes.value().size());
        }
    }
    if (print) {
        auto pdf = souvenir::render(text, souvenir::format::pdf);
        if (!pdf) {
            io.err << "hakto souvenir: " << rc.spec.id << ": " << pdf.error().message << "\n";
            return exit_bad_input;
        }
        souvenir::print_request job;
        job.pdf = std::move(pdf.value());
        if (vm->count("printer")) job.printer = (*vm)["printer"].as<std::string>();
        auto done = souvenir::print_pdf(job);
        if (!done) {
            io.err << "hakto souvenir: --print: " << done.error().message << "\n";
            return exit_bad_input;
        }
        io.err << fmt::format("hakto souvenir: {} sent to {}{}{}\n", rc.spec.id,
                              job.printer ? "printer " + *job.printer : "the default printer",
                              done.value().empty() ? "" : ": ", done.value());
    }
    return exit_ok;
}

}  // namespace hakto::terminals
