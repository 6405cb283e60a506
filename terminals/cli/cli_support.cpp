#include "terminals/cli/cli_support.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace hakto::terminals {

expected<input_text, sim::file_error> read_text_or_input(const po::variables_map& vm, cli_io io) {
    if (vm.count("text")) return input_text{vm["text"].as<std::string>(), "<text>"};
    const auto path = vm["input"].as<std::string>();
    auto in = read_input(path, io);
    if (!in) return in.error();
    return input_text{std::move(in.value()), path == "-" ? "<stdin>" : path};
}

expected<std::string, sim::file_error> read_input(const std::string& path, cli_io io) {
    if (path == "-") return sim::read_stream(io.in, "<stdin>");
    return sim::read_file(path);
}

std::optional<po::variables_map> parse_arguments(
    std::string_view name, std::string_view synopsis, const po::options_description& options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    cli_io io, bool& help_shown) {
    help_shown = false;
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        // --config FILE: the same options as "name = value" lines; the command line wins.
        if (options.find_nothrow("config", false) && vm.count("config")) {
            auto path = vm["config"].as<std::string>();
            auto text = sim::read_file(path, 1u << 20);
            if (!text) {
                io.err << "hakto " << name << ": --config " << text.error().message() << "\n";
                return std::nullopt;
            }
            std::istringstream f(text.value());
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

/// "1B 17 13", "0x1b,0x17", one or two hex digits per code, any separators of space or comma.
expected<std::vector<protocol::code>, hex_error> read_hex_codes(std::string_view text) {
    std::vector<protocol::code> out;
    std::size_t line = 1, col = 1;
    std::size_t i = 0;
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    while (i < text.size()) {
        char c = text[i];
        if (c == '\n') {
            ++line;
            col = 1;
            ++i;
            continue;
        }
        if (c == ' ' || c == '\t' || c == ',' || c == '\r') {
            ++i;
            ++col;
            continue;
        }
        if (c == '#') {  // a comment to the end of the line
            while (i < text.size() && text[i] != '\n') ++i;
            continue;
        }
        protocol::source_position at{line, col};
        if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            i += 2;
            col += 2;
        }
        std::size_t start = i;
        int value = 0;
        while (i < text.size() && hexval(text[i]) >= 0 && i - start < 3) {
            value = value * 16 + hexval(text[i]);
            ++i;
            ++col;
        }
        constexpr std::string_view separators = " \t,\r\n#";
        if (i == start || (i < text.size() && separators.find(text[i]) == std::string_view::npos))
            return hex_error{at, "not a hexadecimal code"};
        if (value > 0x1F)
            return hex_error{at, fmt::format("0x{:02X} is not a 5-level code (0x00–0x1F)", value)};
        out.push_back(static_cast<protocol::code>(value));
    }
    return out;
}

}  // namespace hakto::terminals
