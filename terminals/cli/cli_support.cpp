#include "terminals/cli/cli_support.hpp"

#include <cctype>
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

namespace {

std::string trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return std::string{s.substr(first, s.find_last_not_of(" \t\r") - first + 1)};
}

/// A switch's value in a config file: true or false; nothing when it is neither.
std::optional<bool> switch_value(std::string v) {
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    return std::nullopt;
}

/// --config FILE into `vm` after the command line (which wins: Boost's store keeps a value
/// already given). Read as parse_config_file reads it, but a line at a time, so that an error
/// names its line. The error is "FILE:LINE: reason".
expected<void, std::string> store_config_file(const std::string& path, const std::string& text,
                                              const po::options_description& options,
                                              po::variables_map& vm, config_origins* origins) {
    std::istringstream in(text);
    std::string line, section;
    std::map<std::string, std::size_t, std::less<>> first_line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
        const auto body = trimmed(std::string_view{line}.substr(0, line.find('#')));
        if (body.empty()) continue;
        if (body.front() == '[') {  // a section: its name prefixes the options below it
            section = body;
            continue;
        }
        const auto place = fmt::format("{}:{}", path, n);
        try {
            std::istringstream one(section.empty() ? line : section + "\n" + line);
            auto parsed = po::parse_config_file(one, options);
            std::vector<po::option> kept;
            for (auto& o : parsed.options) {
                const auto* d = options.find_nothrow(o.string_key, false);
                if (!d) continue;
                if (!d->semantic()->is_composing()) {
                    auto [at, fresh] = first_line.emplace(o.string_key, n);
                    if (!fresh)
                        return fmt::format("{}: {} is set again (first on line {})", place,
                                           o.string_key, at->second);
                }
                if (d->semantic()->max_tokens() == 0) {
                    // A switch (--noise): "noise = true" turns it on, "noise = false" leaves it
                    // off, as "noise = 0" must never turn it on.
                    auto on = switch_value(o.value.empty() ? std::string{} : o.value.front());
                    if (!on)
                        return fmt::format("{}: {} is a switch: true or false, not '{}'", place,
                                           o.string_key,
                                           o.value.empty() ? "" : o.value.front().substr(0, 32));
                    if (!*on) continue;
                    o.value.clear();
                }
                const bool from_command_line =
                    vm.count(o.string_key) && !vm[o.string_key].defaulted();
                if (origins && !from_command_line) (*origins)[o.string_key] = place;
                kept.push_back(std::move(o));
            }
            parsed.options = std::move(kept);
            po::store(parsed, vm);
        } catch (const po::error& e) {
            return fmt::format("{}: {}", place, e.what());
        }
    }
    return outcome::success();
}

}  // namespace

std::string option_place(std::string_view option, const config_origins& origins) {
    if (auto it = origins.find(option); it != origins.end())
        return fmt::format("{}: {}", it->second, option);
    return fmt::format("--{}", option);
}

std::optional<po::variables_map> parse_arguments(
    std::string_view name, std::string_view synopsis, const po::options_description& options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    cli_io io, bool& help_shown, config_origins* origins) {
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
            if (auto stored = store_config_file(path, text.value(), options, vm, origins);
                !stored) {
                io.err << "hakto " << name << ": " << stored.error() << "\n";
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

std::string describe_character(char32_t c) {
    std::string utf8;
    if (c >= 0x20 && c != 0x7F && c != 0xFFFD)
        utf8 = fmt::format(" '{}'", protocol::utf8::encode(c));
    return fmt::format("U+{:04X}{}", static_cast<std::uint32_t>(c), utf8);
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
