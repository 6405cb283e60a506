// The cable reader's input: lines split and checked, and the small recognisers of words and
// dates that every zone uses.
#include "protocol/cable/cable_reading.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/cable/garble.hpp"

namespace hakto::protocol::reading {

/// Splits input into lines (LF, CR LF or the page-copy CR CR LF), checks the UTF-8 and
/// replaces what cannot be read with U+FFFD, reporting each place.
std::vector<input_line> split_lines(std::string_view in, reporter& report) {
    std::vector<input_line> lines;
    std::size_t start = 0, number = 1;
    std::size_t control_bytes = 0;
    while (start <= in.size()) {
        std::size_t end = in.find('\n', start);
        std::string_view raw =
            in.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        while (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        input_line line{number, {}};
        line.text.reserve(raw.size());
        std::size_t col = 1;
        for (std::size_t i = 0; i < raw.size();) {
            auto c = static_cast<unsigned char>(raw[i]);
            std::size_t len = c < 0x80           ? 1
                              : (c >> 5) == 0x6  ? 2
                              : (c >> 4) == 0xE  ? 3
                              : (c >> 3) == 0x1E ? 4
                                                 : 0;
            bool ok = len != 0 && i + len <= raw.size();
            for (std::size_t k = 1; ok && k < len; ++k)
                ok = (static_cast<unsigned char>(raw[i + k]) & 0xC0) == 0x80;
            if (ok && len == 2 && c < 0xC2) ok = false;  // overlong
            if (!ok) {
                report({number, col}, severity::error, "invalid-utf8",
                       fmt::format("byte 0x{:02X} is not UTF-8 text; read as U+FFFD", c));
                line.text += "\xEF\xBF\xBD";
                ++i;
                ++col;
                ++control_bytes;
                continue;
            }
            if (len == 1 && (c < 0x20 || c == 0x7F) && c != '\t') {
                ++control_bytes;
                if (c == '\r') {
                    // A CR inside a line: the carriage returned and the rest overprinted.
                    report({number, col}, severity::warning, "overprint",
                           "carriage return inside a line: what follows was printed over it");
                } else {
                    report(
                        {number, col}, severity::error, "control-character",
                        fmt::format("control character 0x{:02X} in the text; read as a space", c));
                }
                line.text += ' ';
            } else {
                line.text.append(raw.substr(i, len));
            }
            i += len;
            ++col;
        }
        if (col - 1 > long_line_limit)
            report({number, 1}, severity::warning, "line-too-long",
                   fmt::format("line of {} characters; page copy lines are at most 72", col - 1));
        lines.push_back(std::move(line));
        if (end == std::string_view::npos) break;
        start = end + 1;
        ++number;
    }
    if (in.size() > 64 && control_bytes * 10 > in.size())
        report({1, 1}, severity::error, "binary-input",
               fmt::format("{} of {} bytes are not text: this does not look like page copy",
                           control_bytes, in.size()));
    return lines;
}

bool is_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "12." at the start of a line (after spaces): the paragraph number and where its text starts.
std::optional<std::pair<int, std::size_t>> paragraph_number(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t d0 = i;
    while (i < line.size() && i - d0 < 3 && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
    if (i == d0 || i >= line.size() || line[i] != '.') {
        return std::nullopt;
    }
    std::size_t after = i + 1;
    if (after < line.size() && line[after] != ' ' && line[after] != '\t') return std::nullopt;
    while (after < line.size() && (line[after] == ' ' || line[after] == '\t')) ++after;
    return std::pair{std::stoi(std::string{line.substr(d0, i - d0)}), after};
}

bool is_covering_marker(std::string_view line) {
    auto t = trim(line);
    return iequals(t, "[Covering memorandum]") || iequals(t, "[Covering memo]");
}

/// "[Page 2]" alone on a line.
std::optional<int> page_marker(std::string_view line) {
    auto t = trim(line);
    if (t.size() < 7 || t.front() != '[' || t.back() != ']' ||
        !starts_with_word(t.substr(1), "Page"))
        return std::nullopt;
    auto n = trim(t.substr(5, t.size() - 6));
    if (!is_digits(n) || n.size() > 4) return std::nullopt;
    return std::stoi(std::string{n});
}

/// Removes "[Page N]" markers inside running text, recording them.
std::string strip_page_markers(std::string_view text, std::vector<int>& pages) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        auto open = text.find("[Page ", i);
        if (open == std::string_view::npos) break;
        auto close = text.find(']', open);
        if (close == std::string_view::npos || close - open > 12) break;
        auto n = text.substr(open + 6, close - open - 6);
        if (!is_digits(n)) {
            out.append(text.substr(i, close + 1 - i));
            i = close + 1;
            continue;
        }
        pages.push_back(std::stoi(std::string{n}));
        out.append(text.substr(i, open - i));
        i = close + 1;
        if (!out.empty() && out.back() == ' ' && i < text.size() && text[i] == ' ') ++i;
    }
    out.append(text.substr(i));
    return out;
}

bool is_notes_start(std::string_view line) {
    auto p = paragraph_number(line);
    return p && starts_with_word(line.substr(p->second), "Source");
}

/// A published title: "143. Backchannel Message HAKTO 12 From … Beijing, June 21, 1972, 1615Z".
bool looks_like_title(std::string_view line) {
    auto p = paragraph_number(line);
    return p && has_lower(line) && line.size() > 30 && !is_notes_start(line);
}

/// "June 21, 1972" / "JUNE 21, 1972" / "21 June 1972" at the start of text.
std::optional<calendar_date> read_date_words(std::string_view text, std::size_t& consumed) {
    auto words = split_words(text.substr(0, std::min<std::size_t>(text.size(), 40)));
    auto strip = [](std::string_view w) {
        while (!w.empty() && (w.back() == ',' || w.back() == '.')) w.remove_suffix(1);
        return w;
    };
    if (words.size() < 3) return std::nullopt;
    calendar_date d;
    auto m = month_from_name(strip(words[0]));
    std::string_view day_word, year_word;
    if (m) {
        day_word = strip(words[1]);
        year_word = strip(words[2]);
    } else if ((m = month_from_name(strip(words[1])))) {
        day_word = strip(words[0]);
        year_word = strip(words[2]);
    } else {
        return std::nullopt;
    }
    if (!is_digits(day_word) || day_word.size() > 2 || !is_digits(year_word) ||
        year_word.size() != 4)
        return std::nullopt;
    d.month = *m;
    d.day = std::stoi(std::string{day_word});
    d.year = std::stoi(std::string{year_word});
    if (d.day < 1 || d.day > 31) return std::nullopt;
    consumed = static_cast<std::size_t>(words[2].data() + words[2].size() - text.data());
    return d;
}

std::string join_words(std::string_view a, std::string_view b) {
    std::string s{a};
    if (!s.empty() && !b.empty()) s += ' ';
    s += b;
    return s;
}

/// "TO GENERAL HAIG", "TO: GENERAL HAIG", "FM THE SITUATION ROOM", "FROM:" …
std::pair<address_kind, std::string_view> read_address(std::string_view line, bool& colon) {
    struct word_kind {
        std::string_view word;
        address_kind kind;
    };
    static constexpr word_kind words[] = {{"FROM", address_kind::from},
                                          {"FM", address_kind::from},
                                          {"TO", address_kind::to},
                                          {"INFO", address_kind::info}};
    for (const auto& [w, k] : words) {
        if (line.size() >= w.size() && iequals(line.substr(0, w.size()), w)) {
            auto rest = line.substr(w.size());
            if (!rest.empty() && rest.front() == ':') {
                colon = true;
                return {k, trim(rest.substr(1))};
            }
            if (rest.empty()) return {k, rest};
            if (rest.front() == ' ') {
                colon = false;
                return {k, trim(rest)};
            }
        }
    }
    return {address_kind::none, {}};
}

/// A sign-off: "WARM REGARDS", "WARM REGARDS.", "REGARDS", "BEST REGARDS", "WARMEST REGARDS".
bool is_signoff(std::string_view line) {
    if (read_paragraph_number(line)) return false;  // "1. WARM REGARDS" is a paragraph of text
    auto u = to_upper_ascii(trim(line));
    while (!u.empty() && (u.back() == '.' || u.back() == ',')) u.pop_back();
    if (u.size() > 40 || u.empty()) return false;
    auto w = split_words(u);
    if (w.empty() || w.size() > 4) return false;
    return w.back() == "REGARDS" || u == "SIGNED" || u == "RESPECTFULLY" || u == "SINCERELY" ||
           u == "BEST WISHES";
}

/// A name that may sign a State telegram: one to three words of capitals ("KISSINGER",
/// "BRUCE", "INGERSOLL"), nothing else on the line.
bool looks_like_signature(std::string_view line) {
    auto t = trim(line);
    if (t.empty() || t.size() > 32 || !is_all_caps(t)) return false;
    auto words = split_words(t);
    if (words.size() > 3) return false;
    for (auto w : words)
        for (char ch : w)
            if (!(std::isupper(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' ||
                  ch == '\''))
                return false;
    static const std::set<std::string_view> not_names{
        "END",         "UNQUOTE",      "UNQTE",  "BT",   "NNNN",     "NNN",        "SUMMARY",
        "END SUMMARY", "QUOTE",        "QTE",    "TEXT", "END TEXT", "BEGIN TEXT", "CONFIDENTIAL",
        "SECRET",      "UNCLASSIFIED", "UNCLAS", "NOTE", "COMMENT",  "END COMMENT"};
    return !not_names.count(t) && !is_handling_caption(words[0]) &&
           !read_classification_marking(t) && !quote_marker_length(t) && !read_series_tag(t) &&
           !is_repeat_notice(t);
}

}  // namespace hakto::protocol::reading

namespace hakto::protocol {

std::optional<calendar_date> read_calendar_date(std::string_view text) {
    std::size_t consumed = 0;
    auto d = reading::read_date_words(trim(text), consumed);
    if (!d || consumed != trim(text).size()) return std::nullopt;
    return d;
}

}  // namespace hakto::protocol
