#include "protocol/cable_parser.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "protocol/garble.hpp"
#include "protocol/text_util.hpp"

namespace hakto::protocol {
namespace {

/// Page copy lines are at most 72 characters; far longer lines are still read, as text only.
constexpr std::size_t header_line_limit = 200;
constexpr std::size_t long_line_limit = 4096;

struct input_line {
    std::size_t number = 0;  ///< 1-based
    std::string text;        ///< valid UTF-8, no line ending
};

bool blank(const input_line& l) { return trim(l.text).empty(); }

/// Collects diagnostics, with a cap per code.
class reporter {
public:
    explicit reporter(std::size_t cap) : cap_(cap) {}
    void operator()(source_position where, severity s, std::string code, std::string message) {
        auto& n = counts_[code];
        if (++n > cap_) return;
        list_.push_back(diagnostic{where, s, std::move(code), std::move(message)});
    }
    void add(const diagnostics& ds) {
        for (const auto& d : ds) (*this)(d.where, d.level, d.code, d.message);
    }
    diagnostics finish() {
        for (const auto& [code, n] : counts_)
            if (n > cap_)
                list_.push_back(diagnostic{{}, severity::note, code,
                                           fmt::format("{} more '{}' diagnostics not shown", n - cap_, code)});
        std::stable_sort(list_.begin(), list_.end(), [](const diagnostic& a, const diagnostic& b) {
            auto key = [](const diagnostic& d) {
                return std::pair{d.where.line == 0 ? SIZE_MAX : d.where.line, d.where.column};
            };
            return key(a) < key(b);
        });
        return std::move(list_);
    }

private:
    std::size_t cap_;
    std::map<std::string, std::size_t> counts_;
    diagnostics list_;
};

/// Splits input into lines (LF, CR LF or the page-copy CR CR LF), checks the UTF-8 and
/// replaces what cannot be read with U+FFFD, reporting each place.
std::vector<input_line> split_lines(std::string_view in, reporter& report) {
    std::vector<input_line> lines;
    std::size_t start = 0, number = 1;
    std::size_t control_bytes = 0;
    while (start <= in.size()) {
        std::size_t end = in.find('\n', start);
        std::string_view raw = in.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        while (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        input_line line{number, {}};
        line.text.reserve(raw.size());
        std::size_t col = 1;
        for (std::size_t i = 0; i < raw.size();) {
            auto c = static_cast<unsigned char>(raw[i]);
            std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
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
                    report({number, col}, severity::error, "control-character",
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
               fmt::format("{} of {} bytes are not text: this does not look like page copy", control_bytes, in.size()));
    return lines;
}

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
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
    if (t.size() < 7 || t.front() != '[' || t.back() != ']' || !starts_with_word(t.substr(1), "Page")) return std::nullopt;
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

std::optional<calendar_date> read_date_words(std::string_view text, std::size_t& consumed);

}  // namespace

std::optional<calendar_date> read_calendar_date(std::string_view text) {
    std::size_t consumed = 0;
    auto d = read_date_words(trim(text), consumed);
    if (!d || consumed != trim(text).size()) return std::nullopt;
    return d;
}

namespace {

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
    if (!is_digits(day_word) || day_word.size() > 2 || !is_digits(year_word) || year_word.size() != 4)
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

enum class address_kind { none, to, from, info };

/// "TO GENERAL HAIG", "TO: GENERAL HAIG", "FM THE SITUATION ROOM", "FROM:" …
std::pair<address_kind, std::string_view> read_address(std::string_view line, bool& colon) {
    struct word_kind {
        std::string_view word;
        address_kind kind;
    };
    static constexpr word_kind words[] = {{"FROM", address_kind::from}, {"FM", address_kind::from},
                                          {"TO", address_kind::to}, {"INFO", address_kind::info}};
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

/// A classification line: TOP SECRET, SECRET, CONFIDENTIAL, UNCLAS, with caveats after it.
bool is_classification_line(std::string_view line) {
    auto u = to_upper_ascii(trim(line));
    for (std::string_view c : {"TOP SECRET", "SECRET", "CONFIDENTIAL", "UNCLAS", "UNCLASSIFIED"})
        if (starts_with_word(u, c)) return u.size() < 80 && u.find(". ") == std::string::npos;
    return false;
}

/// A sign-off: "WARM REGARDS", "WARM REGARDS.", "REGARDS", "BEST REGARDS", "WARMEST REGARDS".
bool is_signoff(std::string_view line) {
    if (paragraph_number(line)) return false;  // "1. WARM REGARDS" is a paragraph of text
    auto u = to_upper_ascii(trim(line));
    while (!u.empty() && (u.back() == '.' || u.back() == ',')) u.pop_back();
    if (u.size() > 40 || u.empty()) return false;
    auto w = split_words(u);
    if (w.empty() || w.size() > 4) return false;
    return w.back() == "REGARDS" || u == "SIGNED" || u == "RESPECTFULLY" || u == "SINCERELY" ||
           u == "BEST WISHES";
}

struct cable_reader {
    cable_reader(const std::vector<input_line>& l, reporter& r, document& d) : lines(l), report(r), doc(d), c(d.message) {}
    const std::vector<input_line>& lines;
    reporter& report;
    document& doc;
    cable& c;

    bool in_text = false;      // past the header
    bool saw_bt_open = false;  // ACP 127 BT before the text
    bool ended = false;        // BT / NNNN after the text
    paragraph* current = nullptr;
    bool paragraph_pending_text = false;  // "1." alone; its text comes next
    std::size_t last_blank_line = 0;
    std::size_t header_lines = 0, header_blanks = 0;
    std::size_t paragraph_gaps = 0, paragraph_joins = 0;
    std::optional<std::size_t> signoff_line;
    std::optional<address_kind> pending_address;  // "TO:" with its value on the next line
    std::size_t date_line_number = 0;
    source_position dtg_where, series_where;
    line_role role = line_role::paragraph;  // what read_header_line took its line to be

    void mark(const input_line& l, line_role r, std::size_t index = 0, bool continuation = false) {
        doc.line_map.push_back(line_reading{l.number, r, index, continuation});
    }

    static line_role role_of(address_kind k) {
        return k == address_kind::to ? line_role::to : k == address_kind::from ? line_role::from : line_role::info;
    }

    source_position at(const input_line& l, std::size_t byte = 0) const {
        return {l.number, column_of(l.text, byte)};
    }

    void header_seen(header_field f) {
        ++header_lines;
        c.layout.header_order.push_back(f);
    }

    bool read_header_line(const input_line& l) {
        std::string_view t = trim(l.text);
        std::size_t lead = static_cast<std::size_t>(t.data() - l.text.data());
        if (t.size() > header_line_limit) return false;
        auto upper = to_upper_ascii(fold_slashed_zero(t));
        if (pending_address) {
            auto k = *pending_address;
            pending_address.reset();
            if (!paragraph_number(t)) {
                set_address(k, t, l);
                role = role_of(k);
                return true;
            }
        }
        // ACP 127 FL1: VZCZC + channel designator + serial.
        if (upper.rfind("VZCZC", 0) == 0 || upper.rfind("ZCZC", 0) == 0) {
            auto& e = envelope();
            auto id = upper.substr(upper.rfind("ZCZC", 0) == 0 ? 4 : 5);
            std::size_t k = 0;
            while (k < id.size() && std::isalpha(static_cast<unsigned char>(id[k]))) ++k;
            e.channel_designator = id.substr(0, k);
            if (is_digits(id.substr(k)) && id.size() - k <= 4) e.channel_serial = std::stoi(id.substr(k));
            else report(at(l, lead), severity::warning, "fl1-serial", "format line 1 has no channel serial");
            role = line_role::acp127_fl1;
            return true;
        }
        // FL3: DE <RI> #<SSN> <JJJHHMM>.
        if (upper.rfind("DE ", 0) == 0) {
            auto w = split_words(upper);
            auto& e = envelope();
            if (w.size() >= 2) e.originating_ri = std::string{w[1]};
            for (std::size_t k = 2; k < w.size(); ++k) {
                if (w[k].front() == '#' && is_digits(w[k].substr(1))) e.station_serial = std::stoi(std::string{w[k].substr(1, 6)});
                else if (is_digits(w[k]) && w[k].size() == 7) e.filing_time = std::string{w[k]};
            }
            role = line_role::acp127_fl3;
            return true;
        }
        // FL4: ZNY TTTTT / ZNR UUUUU.
        if (upper.rfind("ZNY ", 0) == 0 || upper.rfind("ZNR ", 0) == 0) {
            envelope().security_warning = upper;
            role = line_role::acp127_fl4;
            return true;
        }
        if (auto r = read_routing_line(t)) {
            if (c.routing) report(at(l, lead), severity::warning, "routing-repeated", "a second routing line; the first is kept");
            else c.routing = *r;
            header_seen(header_field::routing);
            role = line_role::routing;
            return true;
        }
        if (read_precedence_dtg(l, t, lead)) {
            role = line_role::precedence_dtg;
            return true;
        }
        // FL2 of ACP 127: precedence prosigns followed by routing indicators.
        {
            auto w = split_words(upper);
            auto is_station = [](std::string_view x) {
                // DE is the prosign "from" (format line 3), never a routing indicator.
                return x.size() >= 2 && x.size() <= 8 && x != "DE" &&
                       std::all_of(x.begin(), x.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)); });
            };
            // Routing indicators start with R (worldwide tape relay) or Q; right after format
            // line 1, any station group will do.
            bool after_fl1 = c.envelope && c.envelope->routing_indicators.empty() && !c.envelope->channel_designator.empty();
            if (w.size() >= 2 && w[0].size() <= 2 && precedence_from_letter(w[0][0]) &&
                (w[0].size() == 1 || w[0][1] == w[0][0] || precedence_from_letter(w[0][1])) && is_station(w[1]) &&
                (after_fl1 || ((w[1][0] == 'R' || w[1][0] == 'Q') && w[1].size() >= 4))) {
                auto& e = envelope();
                e.precedence_prosigns = std::string{w[0]};
                for (std::size_t k = 1; k < w.size(); ++k) e.routing_indicators.emplace_back(w[k]);
                role = line_role::acp127_fl2;
                return true;
            }
        }
        if (auto d = read_calendar_date(t)) {
            if (!c.date_line) {
                c.date_line = std::string{t};
                date_line_number = l.number;
                header_seen(header_field::date_line);
                role = line_role::date_line;
                return true;
            }
        }
        bool colon = false;
        auto [kind, value] = read_address(t, colon);
        if (kind != address_kind::none) {
            if (colon) c.layout.address_colon = true;
            role = role_of(kind);
            if (value.empty()) {
                pending_address = kind;
                header_seen(kind == address_kind::to ? header_field::to : kind == address_kind::from ? header_field::from : header_field::info);
                return true;
            }
            header_seen(kind == address_kind::to ? header_field::to : kind == address_kind::from ? header_field::from : header_field::info);
            set_address(kind, value, l);
            return true;
        }
        if (auto s = read_series_tag(t)) {
            if (c.series) report(at(l, lead), severity::warning, "series-repeated", "a second series tag; the first is kept");
            else {
                c.series = *s;
                series_where = at(l, lead);
            }
            header_seen(header_field::series);
            if (!s->number)
                report(at(l, lead), severity::warning, "series-number-missing",
                       fmt::format("the series tag {} has no number", s->name));
            role = line_role::series;
            return true;
        }
        if (is_classification_line(t)) {
            c.classification = to_upper_ascii(t);
            header_seen(header_field::classification);
            role = line_role::classification;
            return true;
        }
        if (upper == "BT") {
            saw_bt_open = true;
            role = line_role::acp127_bt;
            return true;
        }
        return false;
    }

    acp127_envelope& envelope() {
        if (!c.envelope) c.envelope.emplace();
        return *c.envelope;
    }

    /// `value` is a view into the line's text.
    void set_address(address_kind k, std::string_view value, const input_line& l) {
        check_words(l, value, static_cast<std::size_t>(value.data() - l.text.data()));
        switch (k) {
            case address_kind::to: c.to = std::string{value}; break;
            case address_kind::from: c.from = std::string{value}; break;
            case address_kind::info: c.info.emplace_back(value); break;
            case address_kind::none: break;
        }
    }

    bool read_precedence_dtg(const input_line& l, std::string_view t, std::size_t lead) {
        // "O 211615Z", "P 201713Z JUN 772", "191810Z JUN 72", "OO 211615Z", "O P 180800Z MAR 08".
        std::size_t i = 0;
        std::optional<precedence> prec;
        while (i < t.size() && i < 4 && std::isalpha(static_cast<unsigned char>(t[i]))) {
            auto p = precedence_from_letter(t[i]);
            if (!p || (i + 1 < t.size() && std::isalpha(static_cast<unsigned char>(t[i + 1])) && t[i + 1] != t[i]))
                return false;
            if (!prec) prec = p;
            ++i;
            if (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) continue;  // "OO"
            while (i < t.size() && t[i] == ' ') ++i;
        }
        if (prec && i == t.size()) {
            // The prosign alone ("O"): a precedence whose DTG is missing or unreadable, as the
            // formatter writes such a cable back. A header line, not a paragraph of text.
            if (c.date_time_group || c.prec) {
                report(at(l, lead), severity::warning, "dtg-repeated", "a second precedence and DTG line; the first is kept");
            } else {
                c.prec = prec;
                dtg_where = at(l, lead);
            }
            header_seen(header_field::precedence_dtg);
            return true;
        }
        auto reading = read_dtg(t.substr(i), l.number, column_of(l.text, lead + i));
        if (!reading.value && reading.notes.empty()) return false;
        report.add(reading.notes);
        auto rest = trim(t.substr(std::min(t.size(), i + reading.length)));
        if (!rest.empty())
            report(at(l, lead + i + reading.length), severity::note, "dtg-trailing",
                   fmt::format("'{}' follows the DTG (operating signals?)", rest));
        if (c.date_time_group || c.prec) {
            report(at(l, lead), severity::warning, "dtg-repeated", "a second precedence and DTG line; the first is kept");
            header_seen(header_field::precedence_dtg);
            return true;
        }
        c.prec = prec;
        dtg_where = at(l, lead + i);
        if (reading.value) {
            c.date_time_group = reading.value;
            for (const auto& n : reading.notes)
                if (n.code == "dtg-year-garbled") c.layout.dtg_as_printed = std::string{trim(t.substr(i, reading.length))};
            if (!reading.month_printed) c.inferred.insert("dtg.month");
            if (!reading.year_printed) c.inferred.insert("dtg.year");
        }
        header_seen(header_field::precedence_dtg);
        return true;
    }

    void start_paragraph(const input_line& l, std::optional<int> number, std::string_view text, std::size_t text_byte) {
        if (!c.paragraphs.empty() && last_blank_line + 1 == l.number) ++paragraph_gaps;
        else if (!c.paragraphs.empty()) ++paragraph_joins;
        if (number) {
            int expected = 1;
            for (auto it = c.paragraphs.rbegin(); it != c.paragraphs.rend(); ++it)
                if (it->number) {
                    expected = *it->number + 1;
                    break;
                }
            if (*number != expected)
                report(at(l), severity::warning, "paragraph-sequence",
                       fmt::format("paragraph {} where {} was expected", *number, expected));
        }
        c.paragraphs.push_back(paragraph{number, std::string{text}, at(l, text_byte)});
        current = &c.paragraphs.back();
        check_words(l, text, text_byte);
    }

    void check_words(const input_line& l, std::string_view text, std::size_t text_byte) {
        for (const auto& g : find_garbled_words(text))
            report({l.number, column_of(l.text, text_byte + g.offset)}, severity::warning, "garbled-word",
                   fmt::format("'{}' looks garbled: {}", g.word, g.reason));
    }

    void read_body_line(const input_line& l) {
        std::string_view t = trim(l.text);
        std::size_t lead = static_cast<std::size_t>(t.data() - l.text.data());
        auto upper = to_upper_ascii(t);
        if (upper == "BT") {
            if (in_text) {
                ended = true;
                current = nullptr;
            }
            saw_bt_open = true;
            mark(l, line_role::acp127_bt);
            return;
        }
        if (upper == "NNNN") {
            ended = true;
            current = nullptr;
            mark(l, line_role::acp127_end);
            return;
        }
        if (upper.size() >= 2 && upper[0] == '#' && is_digits(upper.substr(1)) && upper.size() <= 7) {
            // FL15: the station serial number again; it must equal FL3's.
            int ssn = std::stoi(upper.substr(1));
            if (c.envelope && c.envelope->station_serial != ssn)
                report(at(l, lead), severity::warning, "ssn-mismatch",
                       fmt::format("format line 15 gives #{:04}, format line 3 #{:04}", ssn, c.envelope->station_serial));
            ended = true;
            mark(l, line_role::acp127_fl15);
            return;
        }
        if (ended) {
            report(at(l, lead), severity::warning, "text-after-end", "text after the end of the message is kept as a paragraph");
        }
        if (is_signoff(t) && !paragraph_pending_text) {
            if (c.signoff) report(at(l, lead), severity::warning, "signoff-repeated", "a second sign-off");
            else {
                c.signoff = std::string{t};
                signoff_line = l.number;
            }
            current = nullptr;
            mark(l, line_role::signoff);
            return;
        }
        if (signoff_line && !ended)
            report(at(l, lead), severity::warning, "text-after-signoff", "text after the sign-off");
        if (auto p = paragraph_number(l.text)) {
            auto text = std::string_view{l.text}.substr(p->second);
            start_paragraph(l, p->first, trim(text), p->second);
            mark(l, line_role::paragraph, c.paragraphs.size() - 1);
            paragraph_pending_text = trim(text).empty();
            if (paragraph_pending_text) c.layout.number_on_own_line = true;
            return;
        }
        if (current && (paragraph_pending_text || last_blank_line + 1 != l.number || current->text.empty())) {
            current->text = join_words(current->text, t);
            paragraph_pending_text = false;
            check_words(l, t, lead);
            mark(l, line_role::paragraph, static_cast<std::size_t>(current - c.paragraphs.data()), true);
            return;
        }
        start_paragraph(l, std::nullopt, t, lead);
        mark(l, line_role::paragraph, c.paragraphs.size() - 1);
        paragraph_pending_text = false;
    }

    void read(std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) {
            const auto& l = lines[i];
            if (blank(l)) {
                last_blank_line = l.number;
                if (!in_text) ++header_blanks;
                if (!paragraph_pending_text) current = nullptr;
                continue;
            }
            if (auto pg = page_marker(l.text)) {
                doc.page_breaks.push_back(*pg);
                mark(l, line_role::page_marker);
                continue;
            }
            if (!in_text) {
                bool numbered = paragraph_number(l.text).has_value();
                if (!numbered && read_header_line(l)) {
                    mark(l, role);
                    continue;
                }
                in_text = true;
            }
            read_body_line(l);
        }
        // Layout: blank lines between header lines, and between paragraphs.
        c.layout.blank_line_between_headers = header_lines > 1 && header_blanks >= header_lines - 1;
        c.layout.blank_line_between_paragraphs = paragraph_gaps > 0 && paragraph_gaps >= paragraph_joins;
    }
};

struct memo_reader {
    memo_reader(const std::vector<input_line>& l, reporter& r, document& d) : lines(l), report(r), doc(d) {}
    const std::vector<input_line>& lines;
    reporter& report;
    document& doc;
    memo m;

    void mark(const input_line& l, line_role r, std::size_t index = 0, bool continuation = false) {
        doc.line_map.push_back(line_reading{l.number, r, index, continuation});
    }

    void read(std::size_t first, std::size_t last) {
        std::string* open = nullptr;  // the bullet or paragraph that a next line continues
        line_reading open_reading;    // and where the line map placed it
        std::size_t previous = 0;
        for (std::size_t i = first; i < last; ++i) {
            const auto& l = lines[i];
            if (blank(l)) {
                open = nullptr;
                continue;
            }
            if (auto pg = page_marker(l.text)) {
                doc.page_breaks.push_back(*pg);
                mark(l, line_role::page_marker);
                continue;
            }
            auto text = strip_page_markers(trim(l.text), doc.page_breaks);
            std::string_view t = trim(text);
            bool colon = false;
            auto [kind, value] = read_address(t, colon);
            if (starts_with_word(t, "MEMORANDUM")) {
                auto pos = t.find(':');
                auto rest = pos == std::string_view::npos ? std::string_view{} : trim(t.substr(pos + 1));
                if (t.find("FOR") != std::string_view::npos || t.find("for") != std::string_view::npos)
                    m.for_ = std::string{rest};
                open = nullptr;
                mark(l, line_role::memo_for);
                continue;
            }
            if (kind == address_kind::from && !m.from) {
                m.from = std::string{value};
                open = nullptr;
                mark(l, line_role::memo_from);
                continue;
            }
            if (starts_with_word(t, "SUBJECT") && !m.subject) {
                auto pos = t.find(':');
                m.subject = std::string{trim(t.substr(pos == std::string_view::npos ? 7 : pos + 1))};
                open = nullptr;
                mark(l, line_role::memo_subject);
                continue;
            }
            if (!m.date_text && !m.for_) {
                if (auto d = read_calendar_date(t)) {
                    m.date_text = std::string{t};
                    m.date = fmt::format("{:04}-{:02}-{:02}", d->year, d->month, d->day);
                    mark(l, line_role::memo_date);
                    continue;
                }
            }
            // Bullets: "•", "—", "–", "-", in any combination, before the text.
            std::string_view rest = t;
            bool bullet = false;
            for (;;) {
                if (rest.rfind("\xE2\x80\xA2", 0) == 0 || rest.rfind("\xE2\x80\x94", 0) == 0 ||
                    rest.rfind("\xE2\x80\x93", 0) == 0) {
                    rest = trim(rest.substr(3));
                    bullet = true;
                } else if (rest.size() > 1 && rest[0] == '-' && rest[1] == ' ') {
                    rest = trim(rest.substr(1));
                    bullet = true;
                } else {
                    break;
                }
            }
            if (bullet) {
                m.bullets.push_back(memo_bullet{std::string{rest}, {}});
                m.body_order.push_back(true);
                open = &m.bullets.back().text;
                open_reading = line_reading{l.number, line_role::memo_bullet, m.bullets.size() - 1, false};
                doc.line_map.push_back(open_reading);
            } else if (open && previous + 1 == l.number) {
                *open = join_words(*open, t);
                mark(l, open_reading.role, open_reading.index, true);
            } else {
                m.paragraphs.emplace_back(t);
                m.body_order.push_back(false);
                open = &m.paragraphs.back();
                open_reading = line_reading{l.number, line_role::memo_paragraph, m.paragraphs.size() - 1, false};
                doc.line_map.push_back(open_reading);
            }
            previous = l.number;
        }
        if (!m.for_) report({lines[first].number, 1}, severity::warning, "memo-for-missing", "the memo has no MEMORANDUM FOR line");
        if (!m.from) report({lines[first].number, 1}, severity::warning, "memo-from-missing", "the memo has no FROM line");
        if (!m.subject) report({lines[first].number, 1}, severity::warning, "memo-subject-missing", "the memo has no SUBJECT line");
    }
};

std::optional<document_title> read_title(const input_line& l) {
    document_title t;
    std::string_view s = trim(l.text);
    auto num = paragraph_number(s);
    if (!num) return std::nullopt;
    t.document_number = num->first;
    // Note markers follow the dateline's time: "…, 1615Z1 2" → "…, 1615Z".
    auto z = s.rfind('Z');
    if (z != std::string_view::npos && z >= 4 && is_digits(s.substr(z - 4, 4))) {
        auto tail = s.substr(z + 1);
        if (std::all_of(tail.begin(), tail.end(), [](char c) { return c == ' ' || (c >= '0' && c <= '9'); }))
            s = s.substr(0, z + 1);
    }
    t.text = std::string{s};
    t.series = find_series_tag(s);
    // Dateline after the last ")": "Beijing, June 21, 1972, 1615Z".
    auto paren = s.rfind(')');
    auto dateline = trim(s.substr(paren == std::string_view::npos ? 0 : paren + 1));
    while (!dateline.empty() && dateline.front() == ',') dateline = trim(dateline.substr(1));
    auto comma = dateline.find(',');
    if (comma != std::string_view::npos) {
        t.place = std::string{trim(dateline.substr(0, comma))};
        t.dateline = std::string{dateline};
        auto rest = trim(dateline.substr(comma + 1));
        std::size_t consumed = 0;
        if (auto d = read_date_words(rest, consumed)) {
            auto time = trim(rest.substr(consumed));
            while (!time.empty() && time.front() == ',') time = trim(time.substr(1));
            dtg g;
            g.day = d->day;
            g.month = d->month;
            g.year = d->year;
            if (time.size() == 5 && is_digits(time.substr(0, 4)) && (time[4] == 'Z' || time[4] == 'z')) {
                g.hour = std::stoi(std::string{time.substr(0, 2)});
                g.minute = std::stoi(std::string{time.substr(2, 2)});
                if (g.hour < 24 && g.minute < 60) t.time = g;
            }
        }
    }
    return t;
}

void read_notes(const std::vector<input_line>& lines, std::size_t first, std::size_t last, document& doc) {
    for (std::size_t i = first; i < last; ++i) {
        const auto& l = lines[i];
        if (blank(l)) continue;
        if (auto p = paragraph_number(l.text)) {
            doc.notes.push_back(source_note{p->first, std::string{trim(std::string_view{l.text}.substr(p->second))}});
            doc.line_map.push_back(line_reading{l.number, line_role::source_note, doc.notes.size() - 1, false});
        } else if (!doc.notes.empty()) {
            doc.notes.back().text = join_words(doc.notes.back().text, trim(l.text));
            doc.line_map.push_back(line_reading{l.number, line_role::source_note, doc.notes.size() - 1, true});
        }
    }
}

/// "Top Secret; Sensitive; Exclusively Eyes Only." in the source note.
std::optional<std::string> classification_from_notes(const std::vector<source_note>& notes) {
    for (const auto& n : notes) {
        for (std::string_view level : {"Top Secret", "Secret", "Confidential", "Unclassified"}) {
            auto pos = n.text.find(level);
            if (pos == std::string::npos) continue;
            if (pos >= 2 && n.text[pos - 2] != '.' && n.text[pos - 2] != ';') continue;  // sentence start
            auto end = n.text.find('.', pos);
            auto found = to_upper_ascii(trim(std::string_view{n.text}.substr(pos, end == std::string::npos ? std::string::npos : end - pos)));
            // Only what the reader would read back as a classification line ("Top Secretnt" is not).
            if (is_classification_line(found)) return found;
        }
    }
    return std::nullopt;
}

void infer_from_context(document& doc, const cable_reader& reader, reporter& report) {
    const auto date_line_number = reader.date_line_number;
    auto& c = doc.message;
    auto& g = c.date_time_group;
    if (g && (!g->month || !g->year)) {
        std::optional<calendar_date> from;
        std::string source;
        if (c.date_line) {
            from = read_calendar_date(*c.date_line);
            source = fmt::format("the date line (line {})", date_line_number);
        }
        if (!from && doc.title && doc.title->time) {
            from = calendar_date{*doc.title->time->year, *doc.title->time->month, doc.title->time->day};
            source = "the title";
        }
        if (!from && doc.covering_memo && doc.covering_memo->date) {
            from = read_calendar_date(*doc.covering_memo->date_text);
            source = "the covering memorandum's date";
        }
        // The date a person wrote is local; the DTG day may differ from it by one.
        if (from && std::abs(from->day - g->day) <= 1) {
            if (!g->month) g->month = from->month;
            if (!g->year) g->year = from->year;
            report(reader.dtg_where, severity::note, "dtg-month-inferred",
                   fmt::format("the DTG gives no month or year; {} {:02} taken from {}",
                               month_abbreviation(from->month), from->year % 100, source));
        } else {
            report(reader.dtg_where, severity::warning, "dtg-month-unknown",
                   "the DTG gives no month or year and nothing around it says which");
        }
    }
    if (c.series && !c.series->number && doc.title && doc.title->series &&
        doc.title->series->name == c.series->name && doc.title->series->number) {
        c.series->number = doc.title->series->number;
        c.inferred.insert("series.number");
        report(reader.series_where, severity::note, "series-number-from-title",
               fmt::format("the series number {} is taken from the title", *c.series->number));
    }
    if (!c.series && doc.title && doc.title->series) {
        c.series = doc.title->series;
        c.inferred.insert("series");
        report({}, severity::note, "series-from-title", "the cable prints no series tag; the title's is used");
    }
    if (!c.classification) {
        if (auto cl = classification_from_notes(doc.notes)) {
            c.classification = *cl;
            c.inferred.insert("classification");
            report({}, severity::note, "classification-from-source-note",
                   fmt::format("the classification '{}' is taken from the source note", *cl));
        }
    }
}

void cross_check(const document& doc, reporter& report) {
    const auto& c = doc.message;
    if (doc.title && doc.title->time && c.date_time_group && c.date_time_group->zone == 'Z') {
        const auto& t = *doc.title->time;
        const auto& g = *c.date_time_group;
        if (t.day != g.day || t.hour != g.hour || t.minute != g.minute)
            report({}, severity::warning, "title-dtg-mismatch",
                   fmt::format("the title gives {:02}{:02}Z on day {}, the DTG {}", t.hour, t.minute, t.day,
                               format_dtg(g, false)));
    }
    if (doc.title && doc.title->series && c.series && c.series->number && doc.title->series->number &&
        (doc.title->series->name != c.series->name || doc.title->series->number != c.series->number))
        report({}, severity::warning, "title-series-mismatch",
               fmt::format("the title names {}, the cable {}", format_series_tag(*doc.title->series),
                           format_series_tag(*c.series)));
}

}  // namespace

document parse_document(std::string_view input, const parse_options& options) {
    document doc;
    reporter report{options.max_diagnostics_per_code};
    auto lines = split_lines(input, report);

    std::size_t i = 0, n = lines.size();
    while (i < n && blank(lines[i])) ++i;
    if (i == n) {
        report({1, 1}, severity::error, "empty", "the input holds no text");
        doc.notes_for_reader = report.finish();
        return doc;
    }
    // Parts: title, cable, memo, notes.
    if (lines[i].text.size() < long_line_limit && looks_like_title(lines[i].text)) {
        doc.title = read_title(lines[i]);
        doc.parts.push_back({document_part_kind::title, lines[i].number, lines[i].number});
        doc.line_map.push_back(line_reading{lines[i].number, line_role::title, 0, false});
        ++i;
    }
    std::size_t cable_first = i, memo_first = n, notes_first = n;
    bool marker = false;
    for (std::size_t k = i; k < n; ++k) {
        if (is_covering_marker(lines[k].text)) {
            memo_first = k;
            marker = true;
            break;
        }
        if (starts_with_word(trim(lines[k].text), "MEMORANDUM") && lines[k].text.find("FOR") != std::string::npos) {
            memo_first = k;
            break;
        }
        if (is_notes_start(lines[k].text)) {
            notes_first = k;
            break;
        }
    }
    std::size_t cable_last = std::min(memo_first, notes_first);
    if (memo_first < n) {
        for (std::size_t k = memo_first + 1; k < n; ++k)
            if (is_notes_start(lines[k].text)) {
                notes_first = k;
                break;
            }
    }

    cable_reader cable{lines, report, doc};
    cable.read(cable_first, cable_last);
    if (cable_first < cable_last)
        doc.parts.push_back({document_part_kind::cable, lines[cable_first].number, lines[cable_last - 1].number});

    if (memo_first < n) {
        std::size_t first = memo_first + (marker ? 1 : 0);
        if (marker) doc.line_map.push_back(line_reading{lines[memo_first].number, line_role::covering_marker, 0, false});
        std::size_t last = std::min(notes_first, n);
        if (first < last) {
            memo_reader mr{lines, report, doc};
            mr.read(first, last);
            doc.covering_memo = std::move(mr.m);
            doc.parts.push_back({document_part_kind::memo, lines[memo_first].number, lines[last - 1].number});
        } else {
            report({lines[memo_first].number, 1}, severity::warning, "memo-empty", "the covering memorandum marker is followed by nothing");
        }
    }
    if (notes_first < n) {
        read_notes(lines, notes_first, n, doc);
        doc.parts.push_back({document_part_kind::notes, lines[notes_first].number, lines[n - 1].number});
    }

    auto& c = doc.message;
    bool any_cable = c.routing || c.date_time_group || c.prec || c.series || !c.paragraphs.empty() || c.signoff;
    if (!any_cable) {
        // A title alone leaves i past the last line: the place is then the title's line.
        report({lines[std::min(i, n - 1)].number, 1}, severity::error, "no-cable",
               "no cable was found: no routing line, DTG, series tag or text");
    } else {
        if (options.infer_from_context) infer_from_context(doc, cable, report);
        cross_check(doc, report);
        auto where = source_position{lines[cable_first < n ? cable_first : 0].number, 1};
        if (!c.routing && c.envelope && !c.envelope->originating_ri.empty() && !c.envelope->routing_indicators.empty()) {
            // ACP 127: the called and calling stations are format lines 2 and 3.
            c.routing = read_routing_line(c.envelope->routing_indicators.front() + " DE " + c.envelope->originating_ri);
        }
        if (!c.routing) report(where, severity::warning, "routing-missing", "the cable has no routing line (<called> DE <calling>)");
        if (!c.prec) report(where, severity::warning, "precedence-missing", "the cable gives no precedence prosign");
        if (!c.date_time_group) report(where, severity::warning, "dtg-missing", "the cable gives no date-time group");
        if (c.paragraphs.empty()) report(where, severity::warning, "no-text", "the cable has no text");
        if (!c.signoff && !c.paragraphs.empty()) report(where, severity::note, "signoff-missing", "the cable has no sign-off");
        if (cable.pending_address) report(where, severity::warning, "address-empty", "an address line has no value");
    }
    doc.notes_for_reader = report.finish();
    return doc;
}

}  // namespace hakto::protocol
