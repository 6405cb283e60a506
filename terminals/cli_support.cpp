#include "terminals/cli_support.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

namespace hakto::terminals {

expected<std::string, input_error> read_input(const std::string& path, cli_io io) {
    std::string data;
    auto slurp = [&](std::istream& s) -> bool {
        char buffer[1 << 16];
        while (s.read(buffer, sizeof buffer) || s.gcount() > 0) {
            data.append(buffer, static_cast<std::size_t>(s.gcount()));
            if (data.size() > max_input_bytes) return false;
        }
        return true;
    };
    if (path == "-") {
        if (!slurp(io.in)) return input_error{fmt::format("<stdin>: input larger than {} bytes", max_input_bytes)};
        return data;
    }
    std::ifstream f(path, std::ios::binary);
    if (!f) return input_error{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
    if (!slurp(f)) return input_error{fmt::format("{}: input larger than {} bytes", path, max_input_bytes)};
    if (f.bad()) return input_error{fmt::format("{}: read error: {}", path, std::strerror(errno))};
    return data;
}

std::optional<po::variables_map> parse_arguments(std::string_view name, std::string_view synopsis,
                                                 const po::options_description& options,
                                                 const po::positional_options_description& positional,
                                                 const std::vector<std::string>& args, cli_io io,
                                                 bool& help_shown) {
    help_shown = false;
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        // --config FILE: the same options as "name = value" lines; the command line wins.
        if (options.find_nothrow("config", false) && vm.count("config")) {
            auto path = vm["config"].as<std::string>();
            std::ifstream f(path);
            if (!f) {
                io.err << "hakto " << name << ": --config " << path << ": cannot open: " << std::strerror(errno) << "\n";
                return std::nullopt;
            }
            try {
                po::store(po::parse_config_file(f, options), vm);
            } catch (const po::error& e) {
                io.err << "hakto " << name << ": " << path << ": " << e.what() << "\n";
                return std::nullopt;
            }
        }
        if (vm.count("help")) {
            io.out << "usage: hakto " << name << " " << synopsis << "\n\n" << options;
            help_shown = true;
            return vm;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        io.err << "hakto " << name << ": " << e.what() << "\n"
               << "usage: hakto " << name << " " << synopsis << "\n"
               << "Try 'hakto " << name << " --help'.\n";
        return std::nullopt;
    }
    return vm;
}

}  // namespace hakto::terminals
