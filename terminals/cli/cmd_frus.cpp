// hakto frus fetch / hakto frus status: the FRUS 1969–1976 vol. E-13 volume on this machine,
// downloaded over HTTPS into the data directory and found there by replay, send, exhibit,
// station and explain without --frus (docs/frus-import.md, "The volume on this machine").
#include <filesystem>
#include <ostream>
#include <system_error>

#include <fmt/format.h>

#include "sim/io/file_reader.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/fetch/frus_fetch.hpp"
#include "terminals/frus/frus_volume.hpp"

namespace hakto::terminals {

namespace {

namespace fs = std::filesystem;

/// "d140 HAKTO 7, d141 HAKTO 9, d143 HAKTO 12"
std::string required_list(const frus_volume_summary& v) {
    std::string out;
    for (const auto& d : v.required)
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", d.id, d.series);
    return out;
}

std::optional<std::string> data_dir_option(const po::variables_map& vm) {
    if (vm.count("data-dir")) return vm["data-dir"].as<std::string>();
    return std::nullopt;
}

int cmd_frus_fetch(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "url", po::value<std::string>()->default_value(std::string{frus_volume_default_url}),
        "where to download the volume from (https only)")(
        "ca-file", po::value<std::string>(),
        "trust the CA certificates of this PEM file instead of the system's")(
        "data-dir", po::value<std::string>(),
        "store it here (default: $HAKTO_DATA_DIR, else $XDG_DATA_HOME/hakto, else "
        "~/.local/share/hakto)")("timeout", po::value<int>()->default_value(60),
                                 "seconds each step (connecting, each read) may take, 1 to 3600");
    po::positional_options_description positional;
    bool help = false;
    auto vm = parse_arguments("frus fetch",
                              "[--url URL] [--ca-file PEM] [--data-dir DIR] [--timeout SECONDS]",
                              options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    const int timeout = (*vm)["timeout"].as<int>();
    if (timeout < 1 || timeout > 3600) {
        io.err << "hakto frus fetch: --timeout must be 1 to 3600 seconds\n";
        return exit_usage;
    }
    auto dirs = frus_data_dirs(data_dir_option(*vm));
    frus_fetch_options o;
    o.url = (*vm)["url"].as<std::string>();
    o.data_dir = dirs.front().path;
    if (vm->count("ca-file")) o.http.ca_file = (*vm)["ca-file"].as<std::string>();
    o.http.timeout = std::chrono::seconds{timeout};
    o.http.user_agent = "hakto/" HAKTO_VERSION;
    o.http.progress = [&](const std::string& line) {
        io.err << "hakto frus fetch: " << line << "\n";
    };
    if (auto url = parse_https_url(o.url); !url) {
        io.err << "hakto frus fetch: --url " << url.error().message << "\n";
        return exit_usage;
    }
    io.err << "hakto frus fetch: GET " << o.url << "\n";
    auto got = fetch_frus_volume(o);
    if (!got) {
        io.err << "hakto frus fetch: " << got.error().message << "\n";
        return exit_bad_input;
    }
    const auto& r = got.value();
    io.err << fmt::format(
        "hakto frus fetch: {}: {} documents, {} backchannel messages among them; {}\n",
        r.volume.volume_id, r.volume.documents, r.volume.backchannel, required_list(r.volume));
    io.err << fmt::format("hakto frus fetch: stored {} ({} bytes)\n", r.path, r.bytes);
    return exit_ok;
}

int cmd_frus_status(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "data-dir", po::value<std::string>(), "look only here instead of the data directories");
    po::positional_options_description positional;
    bool help = false;
    auto vm =
        parse_arguments("frus status", "[--data-dir DIR]", options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto dirs = frus_data_dirs(data_dir_option(*vm));
    io.out << fmt::format("hakto frus fetch stores into {}\n", dirs.front().path);
    io.out << "readers look for " << frus_volume_file << " in:\n";
    std::optional<std::string> first;
    for (const auto& d : dirs) {
        auto path = (fs::path{d.path} / std::string{frus_volume_file}).string();
        std::error_code ec;
        if (fs::is_regular_file(path, ec)) {
            auto size = fs::file_size(path, ec);
            io.out << fmt::format("  {} ({}): {} bytes{}\n", d.path, d.source, ec ? 0 : size,
                                  first ? "" : " (the one read)");
            if (!first) first = path;
        } else {
            io.out << fmt::format("  {} ({}): not there\n", d.path, d.source);
        }
    }
    if (!first) {
        io.out << "no volume: run 'hakto frus fetch' (or give the TEI file with --frus)\n";
        return exit_bad_input;
    }
    auto text = sim::read_file(*first);
    if (!text) {
        io.out << "not usable: " << text.error().message() << "\n";
        return exit_bad_input;
    }
    auto volume = check_frus_volume(text.value(), *first);
    if (!volume) {
        io.out << "not usable: " << volume.error().message
               << "\nrun 'hakto frus fetch' to replace it\n";
        return exit_bad_input;
    }
    io.out << fmt::format("{}: {}, {} documents, {} backchannel messages among them; {}\n", *first,
                          volume.value().volume_id, volume.value().documents,
                          volume.value().backchannel, required_list(volume.value()));
    return exit_ok;
}

}  // namespace

std::vector<std::string> default_frus_files() {
    if (auto volume = find_frus_volume()) return {*volume};
    return {};
}

std::vector<std::string> frus_files_option(const po::variables_map& vm) {
    if (vm.count("frus")) return vm["frus"].as<std::vector<std::string>>();
    return default_frus_files();
}

int cmd_frus(const std::vector<std::string>& args, cli_io io) {
    const std::string usage =
        "usage: hakto frus fetch [--url URL] [--ca-file PEM] [--data-dir DIR] [--timeout "
        "SECONDS]\n"
        "       hakto frus status [--data-dir DIR]\n"
        "'hakto frus fetch --help' and 'hakto frus status --help' list the options.\n";
    if (args.empty()) {
        io.err << usage;
        return exit_usage;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "fetch") return cmd_frus_fetch(rest, io);
    if (args[0] == "status") return cmd_frus_status(rest, io);
    if (args[0] == "--help" || args[0] == "-h") {
        io.out << usage;
        return exit_ok;
    }
    io.err << "hakto frus: unknown action '" << args[0] << "'\n" << usage;
    return exit_usage;
}

}  // namespace hakto::terminals
