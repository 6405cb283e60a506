#include "sim/io/toml_reader.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"

namespace hakto::sim {

std::string toml_problem::to_string() const {
    std::string place = file;
    if (where.line) place += fmt::format(":{}:{}", where.line, where.column);
    if (field.empty()) return fmt::format("{}: {}", place, message);
    return fmt::format("{}: {}: {}", place, field, message);
}

std::string to_string(const toml_problems& problems) {
    std::string out;
    for (const auto& p : problems) out += p.to_string() + "\n";
    return out;
}

toml_place clamp_to_text(std::string_view text, toml_place p) {
    std::size_t line = 1, start = 0;
    while (line < std::max<std::size_t>(p.line, 1)) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
        ++line;
    }
    auto end = text.find('\n', start);
    auto chars = protocol::utf8_length(
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (line < p.line || p.column == 0) return {line, chars + 1};
    return {line, std::min(p.column, chars + 1)};
}

toml_place place_of(const toml::node& n) {
    const auto& s = n.source();
    return {static_cast<std::size_t>(s.begin.line), static_cast<std::size_t>(s.begin.column)};
}

expected<toml::table, toml_problem> parse_toml(std::string_view text, std::string_view file) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        const auto& s = e.source();
        toml_problem p;
        p.file = std::string{file};
        p.where = clamp_to_text(text, {static_cast<std::size_t>(s.begin.line),
                                       static_cast<std::size_t>(s.begin.column)});
        p.message = std::string{e.description()};
        return p;
    }
}

}  // namespace hakto::sim
