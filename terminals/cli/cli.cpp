#include "terminals/cli/cli.hpp"

#include <ostream>
#include <vector>

#include <fmt/format.h>

#include "terminals/cli/cli_support.hpp"

namespace hakto::terminals {
namespace {

const std::vector<subcommand>& subcommands() {
    static const std::vector<subcommand> table = {{
        {"parse", "read page copy or a published document into the cable model", cmd_parse},
        {"encode", "text to 5-bit teletype codes (hex, raw bytes, or a tape picture)", cmd_encode},
        {"decode", "5-bit teletype codes back to text", cmd_decode},
        {"replay", "replay cables from Beijing to the White House and the covering memo",
         cmd_replay},
        {"send", "compose a cable (HAKTO or TOHAK) and replay it", cmd_send},
        {"simulate", "run a scenario's network and traffic; print the speed-of-service report",
         cmd_simulate},
        {"exhibit", "serve the museum kiosk page: the replay live in a web browser", cmd_exhibit},
        {"station", "run a station as a process: its circuits over TCP, journalled, line-paced",
         cmd_station},
        {"relay", "run a store-and-forward relay as a process on the network", cmd_relay},
        {"import-frus", "read backchannel documents from FRUS TEI XML", cmd_import_frus},
        {"frus", "the FRUS E-13 volume on this machine: fetch it over HTTPS, or show its status",
         cmd_frus},
        {"explain", "walk through a cable line by line: what each element is and why", cmd_explain},
        {"audio", "teletype codes as RTTY audio (AFSK WAV) and back: encode, decode", cmd_audio},
        {"souvenir", "a cable as punched tape and page copy: SVG, PDF or PNG; --print with lp",
         cmd_souvenir},
    }};
    return table;
}

void print_usage(std::ostream& os) {
    os << "usage: hakto <command> [options]\n"
          "       hakto --version | --help\n\n"
          "hakto replays the June 1972 HAKTO/TOHAK backchannel teletype traffic.\n\n"
          "commands:\n";
    for (const auto& c : subcommands()) os << fmt::format("  {:<8} {}\n", c.name, c.summary);
    os << "\n'hakto <command> --help' describes each command.\n";
}

}  // namespace

int run_cli(const std::vector<std::string>& args, cli_io io) {
    if (args.empty()) {
        print_usage(io.err);
        return exit_usage;
    }
    const auto& first = args.front();
    if (first == "--help" || first == "-h" || first == "help") {
        if (first == "help" && args.size() > 1) return run_cli({args[1], "--help"}, io);
        print_usage(io.out);
        return exit_ok;
    }
    if (first == "--version" || first == "-V") {
        io.out << "hakto " << HAKTO_VERSION << "\n";
        return exit_ok;
    }
    for (const auto& c : subcommands())
        if (c.name == first)
            return c.run(std::vector<std::string>(args.begin() + 1, args.end()), io);
    io.err << "hakto: unknown command '" << first << "'\n";
    print_usage(io.err);
    return exit_usage;
}

}  // namespace hakto::terminals
