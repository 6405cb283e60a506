#include "protocol/cable/series_tag.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

constexpr std::array<std::string_view, 6> series_names = {"HAKTO", "TOHAK", "SITTO",
                                                          "TOSIT", "SECTO", "TOSEC"};

/// Reads "<name>[ <n>][/<second>]" starting at text[0]; `consumed` is set to its length.
std::optional<series_tag> read_at(std::string_view text, std::size_t& consumed) {
    std::size_t i = 0;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    auto name = to_upper_ascii(text.substr(0, i));
    if (!is_series_name(name)) return std::nullopt;
    series_tag t;
    t.name = name;
    std::size_t j = i;
    while (j < text.size() && text[j] == ' ') ++j;
    std::size_t d0 = j;
    while (j < text.size() && j - d0 < 6 && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j > d0 && (j == text.size() || !std::isalnum(static_cast<unsigned char>(text[j])))) {
        t.number = std::stoi(std::string{text.substr(d0, j - d0)});
        if (j - d0 > 1 && text[d0] == '0') t.digits = static_cast<int>(j - d0);
        i = j;
        if (i < text.size() && text[i] == '/') {
            // Second serial: digits, or letters and digits ("226", "WHS 2289"), ending the tag
            // (at '/', the end, or a character that is not a letter or digit). Anything else
            // after the '/' is not part of the tag.
            auto alpha = [&](std::size_t k) {
                return k < text.size() && std::isalpha(static_cast<unsigned char>(text[k]));
            };
            auto digit = [&](std::size_t k) {
                return k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]));
            };
            std::size_t s0 = i + 1, k = s0;
            while (alpha(k) && k - s0 < 6) ++k;
            if (k > s0 && k < text.size() && text[k] == ' ') ++k;
            std::size_t digits = k;
            while (digit(k) && k - digits < 6) ++k;
            bool ends = k == text.size() || !std::isalnum(static_cast<unsigned char>(text[k]));
            if (k > digits && ends) {
                t.second_serial = std::string{text.substr(s0, k - s0)};
                i = k;
            }
        }
    }
    consumed = i;
    return t;
}

}  // namespace

bool is_series_name(std::string_view word) {
    for (auto n : series_names)
        if (iequals(word, n)) return true;
    return false;
}

std::optional<series_tag> read_series_tag(std::string_view text) {
    text = trim(text);
    std::size_t consumed = 0;
    auto t = read_at(text, consumed);
    if (!t) return std::nullopt;
    auto rest = trim(text.substr(consumed));
    while (!rest.empty() && (rest.front() == '.' || rest.front() == '/'))
        rest = trim(rest.substr(1));
    if (!rest.empty()) return std::nullopt;
    return t;
}

std::optional<series_tag> find_series_tag(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (i > 0 && std::isalnum(static_cast<unsigned char>(line[i - 1]))) continue;
        if (!std::isalpha(static_cast<unsigned char>(line[i]))) continue;
        std::size_t consumed = 0;
        auto t = read_at(line.substr(i), consumed);
        if (t) {
            std::size_t end = i + t->name.size();
            if (end == line.size() || !std::isalpha(static_cast<unsigned char>(line[end])))
                return t;
        }
    }
    return std::nullopt;
}

std::string format_series_tag(const series_tag& t, bool with_number) {
    if (!with_number || !t.number) return t.name;
    auto s = fmt::format("{} {:0{}}", t.name, *t.number, std::max(t.digits, 1));
    if (t.second_serial) s += "/" + *t.second_serial;
    return s;
}

std::string reply_series(std::string_view name) {
    auto n = to_upper_ascii(name);
    if (n == "HAKTO") return "TOHAK";
    if (n == "TOHAK") return "HAKTO";
    if (n == "SITTO") return "TOSIT";
    if (n == "TOSIT") return "SITTO";
    if (n == "SECTO") return "TOSEC";
    if (n == "TOSEC") return "SECTO";
    return n;
}

}  // namespace hakto::protocol
