#include "protocol/cable/cable_parser.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/garble.hpp"
#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

/// Page copy lines are at most 72 characters; far longer lines are still read, as text only.
constexpr std::size_t header_line_limit = 1000;
/// A field joined from continuation lines stays short enough to be written back on one line.
constexpr std::size_t joined_field_limit = 300;
constexpr std::size_t long_line_limit = 4096;

struct input_line {
    std::size_t number = 0;  ///< 1-based
    std::string text;        ///< valid UTF-8, no line ending
};

bool blank(const input_line& l) {
    return trim(l.text).empty();
}

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
                list_.push_back(
                    diagnostic{{},
                               severity::note,
                               code,
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

enum class address_kind { none, to, from, info };

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

/// Where a line stands in a cable; each zone has its own table of line kinds.
enum class zone { head, text_head, text };

/// The addressee list or block that a next line may continue.
enum class open_block {
    none,
    distribution,
    clearances,
    desired,
    to,
    info,
    tags,
    subject,
    reference,
    instruction,
    repeat
};

struct cable_reader;

/// One row of the table of line kinds: which role the line gets, and the function that
/// recognises the line and takes what it says into the cable (returning false when the line
/// is not of its kind, having changed nothing).
struct line_kind {
    line_role role;
    bool (cable_reader::*read)(const input_line&, std::string_view);
};

struct cable_reader {
    cable_reader(const std::vector<input_line>& l, reporter& r, document& d)
        : lines(l), report(r), doc(d), c(d.message) {}
    const std::vector<input_line>& lines;
    reporter& report;
    document& doc;
    cable& c;

    zone where = zone::head;
    bool archive_closed = false;  // the telegram's own heading has begun
    bool saw_bt_open = false;     // ACP 127 BT before the text
    bool ended = false;           // BT / NNNN after the text
    bool saw_fl1 = false;         // ACP 127 format line 1 (VZCZC)
    bool from_first = false;      // FM before TO: the State and ACP 127 order (FL6, FL7, FL8)
    bool in_quote = false;
    bool text_head_fields = false;  // E.O., TAGS, SUBJECT or REF read
    open_block open = open_block::none;
    paragraph* current = nullptr;
    bool paragraph_pending_text = false;  // "1." alone; its text comes next
    std::size_t last_blank_line = 0;
    std::size_t header_lines = 0, header_blanks = 0;
    std::size_t paragraph_gaps = 0, paragraph_joins = 0;
    std::optional<std::size_t> signoff_line;
    std::optional<address_kind> pending_address;  // "TO:" with its value on the next line
    std::size_t date_line_number = 0;
    std::size_t index = 0, first = 0, last = 0;  // the line being read, and the cable's lines
    std::set<std::size_t> furniture;             // page lines and markings between pages
    source_position dtg_where, series_where;
    line_role role = line_role::paragraph;  // what the table took the line to be
    bool continuation = false;              // the line continues the element before it
    std::size_t mark_index = 0;             // which addressee (TO, INFO) the line gives

    void mark(const input_line& l, line_role r, std::size_t idx = 0, bool cont = false) {
        doc.line_map.push_back(line_reading{l.number, r, idx, cont});
    }

    static line_role role_of(address_kind k) {
        return k == address_kind::to     ? line_role::to
               : k == address_kind::from ? line_role::from
                                         : line_role::info;
    }

    source_position at(const input_line& l, std::size_t byte = 0) const {
        return {l.number, column_of(l.text, byte)};
    }
    std::size_t lead_of(const input_line& l, std::string_view t) const {
        return static_cast<std::size_t>(t.data() - l.text.data());
    }

    void header_seen(header_field f) {
        ++header_lines;
        c.layout.header_order.push_back(f);
    }

    acp127_envelope& envelope() {
        if (!c.envelope) c.envelope.emplace();
        return *c.envelope;
    }
    archive_head& archive() {
        if (!c.archive) c.archive.emplace();
        return *c.archive;
    }

    /// The next line with text after `i` that is not page furniture, or `last`.
    std::size_t next_text_line(std::size_t i) const {
        for (std::size_t k = i + 1; k < last; ++k)
            if (!blank(lines[k]) && !furniture.count(k)) return k;
        return last;
    }

    // ---- The table: the heading ----------------------------------------------------------

    bool pending(const input_line& l, std::string_view t) {
        if (!pending_address) return false;
        auto k = *pending_address;
        pending_address.reset();
        if (read_paragraph_number(t)) return false;
        set_address(k, t, l);
        role = role_of(k);
        return true;
    }

    bool fl1(const input_line& l, std::string_view t) {
        auto upper = to_upper_ascii(t);
        if (upper.rfind("VZCZC", 0) != 0 && upper.rfind("ZCZC", 0) != 0) return false;
        auto& e = envelope();
        auto id = upper.substr(upper.rfind("ZCZC", 0) == 0 ? 4 : 5);
        std::size_t k = 0;
        while (k < id.size() && std::isalpha(static_cast<unsigned char>(id[k]))) ++k;
        e.channel_designator = id.substr(0, k);
        saw_fl1 = true;
        if (is_digits(id.substr(k)) && id.size() - k <= 4)
            e.channel_serial = std::stoi(id.substr(k));
        else
            report(at(l, lead_of(l, t)), severity::warning, "fl1-serial",
                   "format line 1 has no channel serial");
        archive_closed = true;
        return true;
    }

    bool fl3(const input_line&, std::string_view t) {
        // DE <RI> #<SSN> <JJJHHMM>: ACP 127 format line 3 (protocol facts §1.2).
        auto upper = to_upper_ascii(fold_slashed_zero(t));
        if (upper.rfind("DE ", 0) != 0) return false;
        auto w = split_words(upper);
        auto& e = envelope();
        std::size_t k0 = 1;
        if (w.size() >= 2 && w[1].front() != '#') {
            e.originating_ri = std::string{w[1]};
            k0 = 2;
        }
        for (std::size_t k = k0; k < w.size(); ++k) {
            if (w[k].front() == '#' && is_digits(w[k].substr(1)))
                e.station_serial = std::stoi(std::string{w[k].substr(1, 6)});
            else if (is_digits(w[k]) && w[k].size() == 7)
                e.filing_time = std::string{w[k]};
        }
        archive_closed = true;
        return true;
    }

    bool fl4(const input_line&, std::string_view t) {
        auto upper = to_upper_ascii(t);
        if (upper.rfind("ZNY ", 0) != 0 && upper.rfind("ZNR ", 0) != 0) return false;
        envelope().security_warning = upper;
        return true;
    }

    bool routing(const input_line& l, std::string_view t) {
        auto r = read_routing_line(t);
        if (!r) return false;
        if (c.routing)
            report(at(l, lead_of(l, t)), severity::warning, "routing-repeated",
                   "a second routing line; the first is kept");
        else
            c.routing = *r;
        header_seen(header_field::routing);
        archive_closed = true;
        return true;
    }

    bool precedence_dtg(const input_line& l, std::string_view t) {
        std::size_t lead = lead_of(l, t);
        auto p = read_precedence_dtg_line(t, l.number, column_of(l.text, lead));
        if (!p) return false;
        archive_closed = true;
        open = open_block::none;
        header_seen(header_field::precedence_dtg);
        if (p->reading) report.add(p->reading->notes);
        if (p->zero_for_o)
            report(at(l, lead), severity::warning, "prosign-zero",
                   "the figure 0 stands where the prosign O belongs; read as O (IMMEDIATE)");
        if (!p->trailing.empty())
            report(at(l, lead + p->trailing_offset), severity::note, "dtg-trailing",
                   fmt::format("'{}' follows the DTG (operating signals?)", p->trailing));
        if (c.date_time_group || (c.prec && !c.precedence_words)) {
            report(at(l, lead), severity::warning, "dtg-repeated",
                   "a second precedence and DTG line; the first is kept");
            return true;
        }
        if (c.prec && p->prec && c.prec != p->prec)
            report(at(l, lead), severity::warning, "precedence-disagrees",
                   fmt::format("the prosign {} disagrees with the precedence in words ({}); the "
                               "prosign is kept",
                               precedence_letter(*p->prec), *c.precedence_words));
        if (p->prec) c.prec = p->prec;
        c.info_prec = p->info_prec;
        if (p->reading && p->reading->value)
            c.operating_signals = p->operating_signals;  // they follow a DTG
        dtg_where = at(l, lead + p->dtg_offset);
        if (!p->reading) dtg_where = at(l, lead);
        if (p->reading && p->reading->value) {
            c.date_time_group = p->reading->value;
            for (const auto& n : p->reading->notes)
                if (n.code == "dtg-year-garbled")
                    c.layout.dtg_as_printed =
                        std::string{trim(t.substr(p->dtg_offset, p->reading->length))};
            if (!p->reading->month_printed) c.inferred.insert("dtg.month");
            if (!p->reading->year_printed) c.inferred.insert("dtg.year");
        }
        return true;
    }

    bool precedence_words(const input_line&, std::string_view t) {
        auto p = read_precedence_words_line(t);
        if (!p || c.prec) return false;
        c.prec = p->prec;
        c.precedence_words = p->words;
        envelope().precedence_prosigns = p->prosigns;
        archive_closed = true;
        return true;
    }

    bool fl2(const input_line&, std::string_view t) {
        // ACP 127 FL2: precedence prosigns followed by routing indicators.
        auto upper = to_upper_ascii(t);
        auto w = split_words(upper);
        auto is_station = [](std::string_view x) {
            // DE is the prosign "from" (format line 3), never a routing indicator; nor is a
            // precedence in words ("OP IMMED").
            return x.size() >= 2 && x.size() <= 8 && x != "DE" && !precedence_from_word(x) &&
                   std::all_of(x.begin(), x.end(), [](char ch) {
                       return std::isupper(static_cast<unsigned char>(ch)) ||
                              std::isdigit(static_cast<unsigned char>(ch));
                   });
        };
        // Routing indicators start with R (worldwide tape relay) or Q; right after format
        // line 1, any station group will do.
        bool after_fl1 = c.envelope && c.envelope->routing_indicators.empty() &&
                         !c.envelope->channel_designator.empty();
        if (c.envelope && !c.envelope->routing_indicators.empty()) return false;  // read already
        bool all_stations = w.size() >= 2 && std::all_of(w.begin() + 1, w.end(), is_station);
        if (all_stations && w[0].size() <= 2 && precedence_from_letter(w[0][0]) &&
            (w[0].size() == 1 || w[0][1] == w[0][0] || precedence_from_letter(w[0][1])) &&
            (after_fl1 || ((w[1][0] == 'R' || w[1][0] == 'Q') && w[1].size() >= 4))) {
            auto& e = envelope();
            e.precedence_prosigns = std::string{w[0]};
            for (std::size_t k = 1; k < w.size(); ++k) e.routing_indicators.emplace_back(w[k]);
            archive_closed = true;
            return true;
        }
        return false;
    }

    // The archived State telegram: what the archive printed above it.

    bool marking(const input_line&, std::string_view t) {
        // The archive's marking, the first line of the archived copy: it stands before the page
        // line (or opens the archive block).
        if (archive_closed || c.archive || header_lines > 0) return false;
        auto m = read_classification_line(t);
        if (!m) return false;
        auto next = next_text_line(index);
        if (next >= last || !read_page_line(trim(lines[next].text))) return false;
        archive().marking = std::string{t};
        if (!c.classification) {
            // The marking, not what the archive added after it ("POSS DUPE").
            c.classification = m->normalised;
            c.classification_as_written =
                std::string{t.substr(0, read_classification_marking(t)->length)};
        }
        return true;
    }

    bool page(const input_line&, std::string_view t) {
        if (archive_closed) return false;
        auto p = read_page_line(t);
        if (!p || archive().page) return false;
        archive().page = *p;
        if (p->series && !c.series) c.series = p->series;
        return true;
    }

    bool number(const input_line&, std::string_view t) {
        // Under the page line, or after the distribution (as in 1977).
        if (archive_closed || !c.archive || c.archive->number_line || !is_number_line(t))
            return false;
        if (!c.archive->page && !c.archive->distribution) return false;
        if (c.archive->drafted_by || c.archive->approved_by) return false;  // a clearance by then
        c.archive->number_line = std::string{t};
        return true;
    }

    bool distribution(const input_line&, std::string_view t) {
        if (archive_closed) return false;
        auto d = read_distribution_line(t);
        if (!d) return false;
        if (d->what == distribution_line::kind::continuation && open != open_block::distribution)
            return false;
        auto& block = archive().distribution;
        if (!block) block.emplace();
        if (d->what == distribution_line::kind::action ||
            d->what == distribution_line::kind::origin) {
            block->action_kind = d->what == distribution_line::kind::action ? "ACTION" : "ORIGIN";
            block->action = d->offices.front();
            for (std::size_t k = 1; k < d->offices.size(); ++k)
                block->info.push_back(d->offices[k]);
        } else {
            continuation = d->what == distribution_line::kind::continuation;
            block->info.insert(block->info.end(), d->offices.begin(), d->offices.end());
        }
        if (d->count) block->count = d->count;
        open = d->count ? open_block::none : open_block::distribution;
        return true;
    }

    bool drafted(const input_line&, std::string_view t) {
        if (archive_closed) return false;
        auto v = read_keyword_value(t, "DRAFTED BY");
        if (!v || (c.archive && c.archive->drafted_by)) return false;
        archive().drafted_by = *v;
        open = open_block::none;
        return true;
    }

    bool approved(const input_line&, std::string_view t) {
        if (archive_closed) return false;
        auto v = read_keyword_value(t, "APPROVED BY");
        if (!v || (c.archive && c.archive->approved_by)) return false;
        archive().approved_by = *v;
        open = open_block::clearances;
        return true;
    }

    bool desired(const input_line&, std::string_view t) {
        if (archive_closed || !starts_with_word(t, "DESIRED DISTRIBUTION")) return false;
        auto rest = trim(t.substr(std::string_view{"DESIRED DISTRIBUTION"}.size()));
        if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
        archive().desired_distribution = std::string{rest};
        open = open_block::desired;
        return true;
    }

    bool separator(const input_line&, std::string_view t) {
        if (archive_closed || !is_separator_line(t)) return false;
        archive().separator = std::string{t};
        open = open_block::none;
        return true;
    }

    bool archive_block_line(const input_line&, std::string_view t) {
        // Clearances after APPROVED BY, and the offices of DESIRED DISTRIBUTION: every line up
        // to the separator.
        if (archive_closed || !c.archive) return false;
        if (open == open_block::clearances) {
            c.archive->clearances.emplace_back(t);
            role = line_role::clearance;
            return true;
        }
        if (open == open_block::desired &&
            join_words(*c.archive->desired_distribution, t).size() <= joined_field_limit) {
            auto& d = *c.archive->desired_distribution;
            d = join_words(d, t);
            role = line_role::desired_distribution;
            continuation = true;
            return true;
        }
        return false;
    }

    // The telegram's own heading.

    bool date_line(const input_line& l, std::string_view t) {
        if (!read_calendar_date(t) || c.date_line) return false;
        c.date_line = std::string{t};
        date_line_number = l.number;
        header_seen(header_field::date_line);
        return true;
    }

    bool address(const input_line& l, std::string_view t) {
        bool colon = false;
        auto [kind, value] = read_address(t, colon);
        if (kind == address_kind::none) return false;
        if (kind == address_kind::info && !archive_closed && read_distribution_line(t))
            return false;
        if (colon) c.layout.address_colon = true;
        role = role_of(kind);
        archive_closed = true;
        header_seen(kind == address_kind::to     ? header_field::to
                    : kind == address_kind::from ? header_field::from
                                                 : header_field::info);
        if (kind == address_kind::from && !c.from && c.to.empty()) from_first = true;
        open = kind == address_kind::to     ? open_block::to
               : kind == address_kind::info ? open_block::info
                                            : open_block::none;
        if (value.empty()) {
            pending_address = kind;
            return true;
        }
        set_address(kind, value, l);
        return true;
    }

    bool addressee_continued(const input_line& l, std::string_view t) {
        // A further addressee on a line of its own, in the FM/TO/INFO order of State telegrams
        // and the ACP 127 envelope (format lines 7 and 8 continue over several lines).
        if ((open != open_block::to && open != open_block::info) || !from_first) return false;
        if (!is_run_on_addressee_shape(t)) return false;
        set_address(open == open_block::to ? address_kind::to : address_kind::info, t, l);
        role = open == open_block::to ? line_role::to : line_role::info;
        continuation = true;
        return true;
    }

    bool via(const input_line&, std::string_view t) {
        auto v = read_via_line(t);
        if (!v || c.via) return false;
        c.via = *v;
        open = open_block::none;
        return true;
    }

    bool message_number(const input_line&, std::string_view t) {
        if (c.message_number || !is_message_number(t)) return false;
        c.message_number = std::string{t};
        open = open_block::none;
        return true;
    }

    bool series(const input_line& l, std::string_view t) {
        auto s = read_series_tag(t);
        if (!s) return false;
        std::size_t lead = lead_of(l, t);
        if (c.series && (c.archive && c.archive->page && c.archive->page->series == *s)) {
            // The page line gave it already: the telegram prints it again on its own line.
        } else if (c.series) {
            report(at(l, lead), severity::warning, "series-repeated",
                   "a second series tag; the first is kept");
        } else {
            c.series = *s;
            series_where = at(l, lead);
        }
        header_seen(header_field::series);
        if (!s->number)
            report(at(l, lead), severity::warning, "series-number-missing",
                   fmt::format("the series tag {} has no number", s->name));
        open = open_block::none;
        return true;
    }

    bool classification_reference(const input_line& l, std::string_view t) {
        auto r = read_classification_reference_line(t);
        if (!r) return false;
        open = open_block::none;
        archive_closed = true;
        if (c.telegram || in_quote) {
            // A repeated cable's own line, inside the quotation: not this telegram's.
            where = zone::text_head;
            return true;
        }
        c.classification = r->marking.normalised;
        c.classification_as_written = r->marking.as_written;
        c.telegram = r->telegram;
        c.section = r->section;
        if (!r->handling.empty()) {
            c.handling.insert(c.handling.end(), r->handling.begin(), r->handling.end());
            c.layout.handling_on_classification_line = r->handling.size();
        }
        if (r->series) {
            if (!c.series) {
                c.series = r->series;
                series_where = at(l, lead_of(l, t));
            }
            c.layout.series_on_classification_line = true;
        }
        where = zone::text_head;
        return true;
    }

    bool classification(const input_line&, std::string_view t) {
        auto m = read_classification_line(t);
        if (!m) return false;
        // In the head of the text a marking opens the text (ACP 127 format line 12); once the
        // cable has one, another is a repeated cable's.
        if (where == zone::text_head && c.classification && !c.inferred.count("classification"))
            return true;
        if (!c.classification || c.inferred.count("classification")) {
            c.classification = m->normalised;
            c.classification_as_written = m->as_written;
            c.inferred.erase("classification");
        }
        header_seen(header_field::classification);
        return true;
    }

    bool bt(const input_line&, std::string_view t) {
        if (to_upper_ascii(t) != "BT") return false;
        saw_bt_open = true;
        c.layout.bt_before_text = true;
        where = zone::text_head;
        open = open_block::none;
        return true;
    }

    // The head of the text: handling, passing instructions, E.O., TAGS, SUBJECT, REF.

    bool handling(const input_line&, std::string_view t) {
        auto h = read_handling_line(t);
        if (!h) return false;
        where = zone::text_head;
        // Every caption as printed, in order (a repeated cable prints its own again).
        c.handling.insert(c.handling.end(), h->begin(), h->end());
        open = open_block::none;
        return true;
    }

    bool repeat_notice(const input_line&, std::string_view t) {
        if (open == open_block::repeat && !claimed_in_text_head(t) && t.size() <= 69 &&
            is_all_caps(t) && join_words(*c.repeat_notice, t).size() <= joined_field_limit) {
            *c.repeat_notice = join_words(*c.repeat_notice, t);
            continuation = true;
            if (t.back() == '.') open = open_block::none;
            return true;
        }
        if (!is_repeat_notice(t) || c.repeat_notice) return false;
        where = zone::text_head;
        c.repeat_notice = std::string{t};
        open = t.back() == '.' ? open_block::none : open_block::repeat;
        return true;
    }

    bool quote(const input_line&, std::string_view t) {
        // QUOTE / QTE opens a repeated cable; its heading may stand on the same line ("QUOTE
        // C O N F I D E N T I A L TOKYO 15604"), which is that cable's, not this one's.
        bool closing = false;
        auto n = quote_marker_length(t, &closing);
        if (!n || closing) return false;
        in_quote = true;
        open = open_block::none;
        return true;
    }

    bool eo(const input_line&, std::string_view t) {
        auto e = read_eo_line(t);
        if (!e) return false;
        if (!c.eo) c.eo = *e;
        text_head_fields = true;
        where = zone::text_head;
        open = open_block::none;
        return true;
    }

    bool tags(const input_line&, std::string_view t) {
        // The tags are split once their text is whole: a parenthesis may close on the next line.
        bool more = false;
        if (open == open_block::tags && !claimed_in_text_head(t) &&
            join_words(tags_text, t).size() <= 4 * header_line_limit) {
            tags_text = join_words(tags_text, t);
            c.tags = split_tags(tags_text, &more);
            continuation = true;
            open = more ? open_block::tags : open_block::none;
            return true;
        }
        auto text = read_tags_text(t);
        if (!text) return false;
        if (c.tags.empty()) {
            tags_text = *text;
            c.tags = split_tags(tags_text, &more);
        }
        text_head_fields = true;
        where = zone::text_head;
        open = more ? open_block::tags : open_block::none;
        return true;
    }

    /// A subject wraps when its line was full: the next line's first word would not have fitted
    /// on it. Drafters broke subject lines near 50 to 65 columns.
    static bool wraps(std::string_view previous, std::string_view next) {
        auto w = split_words(next);
        return !w.empty() && utf8_length(previous) + 1 + utf8_length(w[0]) > 48;
    }

    bool subject(const input_line&, std::string_view t) {
        if (open == open_block::subject) {
            const auto& prev = lines[previous_text_line(index)].text;
            bool stop = read_paragraph_number(t).has_value() || ends_text(t) ||
                        starts_with_word(t, "SUMMARY") || starts_with_word(t, "BEGIN") ||
                        read_reference_line(t) || read_eo_line(t) || read_tags_line(t) ||
                        !is_all_caps(t) || t.size() > 72 || letter_label(t) ||
                        !wraps(trim(prev), t) || trim(prev).back() == '.' ||
                        (looks_like_signature(t) && signature_here(index)) ||
                        claimed_in_text_head(t) || (++subject_continuations > 3);
            if (!stop) {
                *c.subject = join_words(*c.subject, t);
                continuation = true;
                return true;
            }
            open = open_block::none;
            return false;
        }
        auto s = read_subject_line(t);
        if (!s || c.subject) return false;
        c.subject = s->text;
        c.layout.subject_keyword = s->keyword;
        text_head_fields = true;
        where = zone::text_head;
        open = open_block::subject;
        subject_continuations = 0;
        return true;
    }

    bool reference(const input_line&, std::string_view t) {
        if (open == open_block::reference) {
            if (auto r = read_reference_continuation(t)) {
                c.references.insert(c.references.end(), r->items.begin(), r->items.end());
                c.layout.references_on_own_lines = true;
                continuation = true;
                return true;
            }
            open = open_block::none;
        }
        auto r = read_reference_line(t);
        if (!r || !c.references.empty()) return false;
        c.references = r->items;
        c.layout.reference_keyword = r->keyword;
        c.layout.reference_separator = r->separator;
        text_head_fields = true;
        where = zone::text_head;
        open = open_block::reference;
        return true;
    }

    bool instruction(const input_line&, std::string_view t) {
        // A passing instruction ("DEPT FOR A AND EA") stands between the classification line
        // and the E.O. line: any line there that no other kind claims. Without an E.O., TAGS or
        // SUBJECT line ahead, only a line of the instruction's own shape is one.
        if (text_head_fields || c.paragraphs.size() > 0) return false;
        if (read_paragraph_number(t) || ends_text(t)) return false;
        bool ahead = head_field_ahead(index);
        if (!ahead && !(looks_like_passing_instruction(t) && !in_quote)) return false;
        // A line that names no one for whom and passes nothing continues the instruction before
        // it ("HI, DOD WASHDC" after "… CINCPAC HONOLULU").
        bool starts = starts_instruction(t);
        if (!starts && open == open_block::instruction && !c.instructions.empty() &&
            join_words(c.instructions.back(), t).size() <= joined_field_limit) {
            c.instructions.back() = join_words(c.instructions.back(), t);
            continuation = true;
            return true;
        }
        c.instructions.emplace_back(t);
        open = open_block::instruction;
        return true;
    }

    /// True when an E.O., TAGS, SUBJECT or REF line follows within the next lines of the head
    /// of the text (before any numbered paragraph).
    bool head_field_ahead(std::size_t i) const {
        std::size_t seen = 0;
        for (std::size_t k = next_text_line(i); k < last && seen < 10;
             k = next_text_line(k), ++seen) {
            auto t = trim(lines[k].text);
            if (read_paragraph_number(t) || ends_text(t)) return false;
            if (read_eo_line(t) || read_tags_line(t) || read_subject_line(t) ||
                read_reference_line(t))
                return true;
        }
        return false;
    }

    /// A line another kind of the head of the text reads, which no block there runs on into.
    static bool claimed_in_text_head(std::string_view t) {
        return read_eo_line(t) || read_tags_line(t) || read_subject_line(t) ||
               read_reference_line(t) || read_handling_line(t) || read_series_tag(t) ||
               read_classification_line(t) || read_classification_reference_line(t) ||
               quote_marker_length(t) || is_repeat_notice(t) || ends_text(t);
    }

    /// BT, NNNN, NNN or the format line 15 serial: what closes a text, never a line of it.
    static bool ends_text(std::string_view t) {
        auto u = to_upper_ascii(t);
        return u == "BT" || is_end_of_message(u) ||
               (u.size() >= 2 && u[0] == '#' && is_digits(u.substr(1)));
    }

    std::size_t previous_text_line(std::size_t i) const {
        for (std::size_t k = i; k-- > first;)
            if (!blank(lines[k]) && !furniture.count(k)) return k;
        return i;
    }

    static bool letter_label(std::string_view t) {
        return t.size() >= 3 &&
               ((std::isupper(static_cast<unsigned char>(t[0])) && (t[1] == '.' || t[1] == ')') &&
                 t[2] == ' ') ||
                (t[0] == '(' && std::isupper(static_cast<unsigned char>(t[1])) && t[2] == ')'));
    }

    std::size_t subject_continuations = 0;
    std::string tags_text;  // the TAGS so far, over their lines

    // The tables. Order matters: the first kind that takes a line has it.
    static const std::vector<line_kind>& head_kinds() {
        static const std::vector<line_kind> kinds = {
            {line_role::to, &cable_reader::pending},
            {line_role::acp127_fl1, &cable_reader::fl1},
            {line_role::acp127_fl3, &cable_reader::fl3},
            {line_role::acp127_fl4, &cable_reader::fl4},
            {line_role::routing, &cable_reader::routing},
            {line_role::precedence_dtg, &cable_reader::precedence_dtg},
            {line_role::precedence_words, &cable_reader::precedence_words},
            {line_role::acp127_fl2, &cable_reader::fl2},
            {line_role::classification, &cable_reader::marking},
            {line_role::page_line, &cable_reader::page},
            {line_role::number_line, &cable_reader::number},
            {line_role::distribution, &cable_reader::distribution},
            {line_role::drafted_by, &cable_reader::drafted},
            {line_role::approved_by, &cable_reader::approved},
            {line_role::desired_distribution, &cable_reader::desired},
            {line_role::separator, &cable_reader::separator},
            {line_role::date_line, &cable_reader::date_line},
            {line_role::from, &cable_reader::address},
            {line_role::via, &cable_reader::via},
            {line_role::message_number, &cable_reader::message_number},
            {line_role::series, &cable_reader::series},
            {line_role::classification_reference, &cable_reader::classification_reference},
            {line_role::classification, &cable_reader::classification},
            {line_role::acp127_bt, &cable_reader::bt},
            {line_role::eo, &cable_reader::eo},
            {line_role::tags, &cable_reader::tags},
            {line_role::subject, &cable_reader::subject},
            {line_role::reference, &cable_reader::reference},
            {line_role::handling, &cable_reader::handling},
            {line_role::repeat_notice, &cable_reader::repeat_notice},
            // Clearances and desired distribution take what no kind above takes, up to the
            // separator.
            {line_role::clearance, &cable_reader::archive_block_line},
            {line_role::to, &cable_reader::addressee_continued},
        };
        return kinds;
    }

    static const std::vector<line_kind>& text_head_kinds() {
        static const std::vector<line_kind> kinds = {
            {line_role::subject, &cable_reader::subject},      // a subject's continuation first
            {line_role::reference, &cable_reader::reference},  // and a reference's
            {line_role::tags, &cable_reader::tags},
            {line_role::repeat_notice, &cable_reader::repeat_notice},
            {line_role::series, &cable_reader::series},
            {line_role::handling, &cable_reader::handling},
            {line_role::quote, &cable_reader::quote},
            {line_role::classification_reference, &cable_reader::classification_reference},
            {line_role::classification, &cable_reader::classification},
            {line_role::eo, &cable_reader::eo},
            {line_role::instruction, &cable_reader::instruction},
        };
        return kinds;
    }

    bool read_with(const std::vector<line_kind>& kinds, const input_line& l) {
        std::string_view t = trim(l.text);
        if (t.size() > header_line_limit) return false;
        for (const auto& k : kinds) {
            role = k.role;
            continuation = false;
            mark_index = 0;
            if ((this->*k.read)(l, t)) {
                // A line of another kind closes the list or block a next line could continue.
                static const std::set<line_role> continued{line_role::to,
                                                           line_role::from,
                                                           line_role::info,
                                                           line_role::distribution,
                                                           line_role::approved_by,
                                                           line_role::clearance,
                                                           line_role::desired_distribution,
                                                           line_role::subject,
                                                           line_role::tags,
                                                           line_role::reference,
                                                           line_role::instruction,
                                                           line_role::repeat_notice};
                if (!continued.count(k.role)) open = open_block::none;
                return true;
            }
        }
        return false;
    }

    /// `value` is a view into the line's text.
    void set_address(address_kind k, std::string_view value, const input_line& l) {
        std::string garbled;
        auto lead = static_cast<std::size_t>(value.data() - l.text.data());
        // Telegram addresses (FM/TO/INFO in that order) are plain-language addresses made of
        // abbreviations (CINCPAC, USDOCOSOUTH) that the letter-pair check would call garbled.
        if (!from_first) check_words(l, value, lead);
        switch (k) {
            case address_kind::to:
            case address_kind::info: {
                auto a = read_addressee(value, &garbled);
                if (!garbled.empty()) {
                    auto pos = value.find(garbled);
                    report(at(l, lead + (pos == std::string_view::npos ? 0 : pos)),
                           severity::warning, "precedence-word-garbled",
                           fmt::format("'{}' looks like a garbled precedence word; read as {}",
                                       garbled, precedence_name(*a.prec)));
                }
                auto& list = k == address_kind::to ? c.to : c.info;
                list.push_back(std::move(a));
                mark_index = list.size() - 1;
                break;
            }
            case address_kind::from: {
                if (c.from) {
                    report(at(l, lead), severity::warning, "from-repeated",
                           "a second originator line; the first is kept");
                    break;
                }
                // "FM THE SITUATION ROOM //TOHAK 003//": a series tag between slashes.
                std::string_view v = value;
                auto slash = v.find("//");
                if (slash != std::string_view::npos) {
                    auto inner = v.substr(slash + 2);
                    auto close = inner.find("//");
                    if (close != std::string_view::npos) {
                        if (auto s = read_series_tag(inner.substr(0, close))) {
                            if (!c.series) {
                                c.series = *s;
                                series_where = at(l, lead + slash + 2);
                            }
                            c.layout.series_in_from = true;
                            v = trim(v.substr(0, slash));
                        }
                    }
                }
                c.from = std::string{v};
                break;
            }
            case address_kind::none:
                break;
        }
    }

    void start_paragraph(const input_line& l, std::optional<int> number, std::string_view text,
                         std::size_t text_byte, bool parenthesis = false) {
        if (!c.paragraphs.empty() && last_blank_line + 1 == l.number)
            ++paragraph_gaps;
        else if (!c.paragraphs.empty())
            ++paragraph_joins;
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
        c.paragraphs.push_back(paragraph{number, std::string{text}, at(l, text_byte), parenthesis});
        current = &c.paragraphs.back();
        check_words(l, text, text_byte);
    }

    void check_words(const input_line& l, std::string_view text, std::size_t text_byte) {
        for (const auto& g : find_garbled_words(text))
            report({l.number, column_of(l.text, text_byte + g.offset)}, severity::warning,
                   "garbled-word", fmt::format("'{}' looks garbled: {}", g.word, g.reason));
    }

    void read_body_line(const input_line& l) {
        std::string_view t = trim(l.text);
        std::size_t lead = lead_of(l, t);
        auto upper = to_upper_ascii(t);
        if (upper == "BT") {
            if (in_text()) {
                ended = true;
                current = nullptr;
            }
            saw_bt_open = true;
            mark(l, line_role::acp127_bt);
            return;
        }
        if (is_end_of_message(upper)) {
            ended = true;
            current = nullptr;
            c.layout.end_of_message = true;
            c.layout.end_marker = upper;
            mark(l, line_role::acp127_end);
            return;
        }
        if (upper.size() >= 2 && upper[0] == '#' && is_digits(upper.substr(1)) &&
            upper.size() <= 7) {
            // FL15: the station serial number again; it must equal FL3's.
            int ssn = std::stoi(upper.substr(1));
            if (c.envelope && c.envelope->station_serial != ssn)
                report(at(l, lead), severity::warning, "ssn-mismatch",
                       fmt::format("format line 15 gives #{:04}, format line 3 #{:04}", ssn,
                                   c.envelope->station_serial));
            ended = true;
            mark(l, line_role::acp127_fl15);
            return;
        }
        if (ended)
            report(at(l, lead), severity::warning, "text-after-end",
                   "text after the end of the message is kept as a paragraph");
        if (is_signoff(t) && !paragraph_pending_text) {
            if (c.signoff)
                report(at(l, lead), severity::warning, "signoff-repeated", "a second sign-off");
            else {
                c.signoff = std::string{t};
                signoff_line = l.number;
            }
            current = nullptr;
            mark(l, line_role::signoff);
            return;
        }
        // A quotation's end, perhaps with the signature of the repeated cable after it.
        bool closing = false;
        if (auto n = quote_marker_length(t, &closing); n && closing) {
            in_quote = false;
            current = nullptr;
            mark(l, line_role::quote);
            auto rest = trim(t.substr(n));
            if (!rest.empty() && looks_like_signature(rest) && signature_here(index))
                c.signature = std::string{rest};
            return;
        }
        if (!paragraph_pending_text && looks_like_signature(t) && signature_here(index)) {
            c.signature = std::string{t};
            current = nullptr;
            mark(l, line_role::signature);
            return;
        }
        if (signoff_line && !ended)
            report(at(l, lead), severity::warning, "text-after-signoff", "text after the sign-off");
        if (auto p = read_paragraph_number(l.text)) {
            auto text = std::string_view{l.text}.substr(p->text_offset);
            start_paragraph(l, p->number, trim(text), p->text_offset, p->parenthesis);
            mark(l, line_role::paragraph, c.paragraphs.size() - 1);
            paragraph_pending_text = trim(text).empty();
            if (paragraph_pending_text) c.layout.number_on_own_line = true;
            return;
        }
        if (current &&
            (paragraph_pending_text || last_blank_line + 1 != l.number || current->text.empty())) {
            // A word broken at the end of a line ("DEPAR-" / "TURE") is joined without a space;
            // the hyphen stays, as it was printed.
            const auto& prev = current->text;
            bool broken = prev.size() >= 2 && prev.back() == '-' &&
                          std::isalpha(static_cast<unsigned char>(prev[prev.size() - 2])) &&
                          std::isalpha(static_cast<unsigned char>(t.front()));
            current->text = broken ? current->text + std::string{t} : join_words(current->text, t);
            paragraph_pending_text = false;
            check_words(l, t, lead);
            mark(l, line_role::paragraph, static_cast<std::size_t>(current - c.paragraphs.data()),
                 true);
            return;
        }
        start_paragraph(l, std::nullopt, t, lead);
        mark(l, line_role::paragraph, c.paragraphs.size() - 1);
        paragraph_pending_text = false;
    }

    /// A name on the last line of the text, the end of the message after it (NNN, NNNN, BT,
    /// the FL15 serial), or, at the very end of the input, a single name after a line that
    /// closes a sentence.
    bool signature_here(std::size_t i) const {
        // A telegram's signature: the State and ACP 127 forms sign with the name of the
        // principal; the radioteletype cables of FRUS close with a sign-off instead.
        bool telegram = !c.routing || c.archive || c.telegram || c.envelope;
        if (c.signature || !telegram) return false;
        auto next = next_text_line(i);
        if (next < last) {
            auto u = to_upper_ascii(trim(lines[next].text));
            return is_end_of_message(u) || u == "BT" ||
                   (u.size() >= 2 && u[0] == '#' && is_digits(u.substr(1)));
        }
        auto prev = previous_text_line(i);
        if (prev == i) return false;
        auto p = trim(lines[prev].text);
        return split_words(trim(lines[i].text)).size() == 1 && !p.empty() &&
               (p.back() == '.' || p.back() == ')' || p.back() == '"' || p.back() == '?');
    }

    bool in_text() const { return where == zone::text; }

    /// Page furniture: later page lines ("PAGE 02 …") and the marking the archive printed at the
    /// foot of a page and the head of the next, up to two lines before the page line.
    void find_furniture() {
        for (std::size_t k = first; k < last; ++k) {
            auto p = read_page_line(trim(lines[k].text));
            if (!p || p->number < 2) continue;
            furniture.insert(k);
            std::size_t back = k, taken = 0;
            while (taken < 2 && back > first) {
                --back;
                if (blank(lines[back])) continue;
                auto t = trim(lines[back].text);
                auto m = read_classification_line(t);
                if (!m || split_words(t).size() > 5) break;
                furniture.insert(back);
                ++taken;
            }
        }
    }

    /// Lines before the header that no kind reads (a note, a web page's words) are a preamble,
    /// when a header stands further on: a page line, format line 1 or 3, or a precedence and
    /// DTG line with an address line right after it. Returns where the cable begins.
    std::size_t find_header_start() const {
        std::size_t k0 = first;
        while (k0 < last && blank(lines[k0])) ++k0;
        if (k0 >= last) return first;
        auto anchor_at = [&](std::size_t k) {
            auto t = trim(lines[k].text);
            if (t.size() > header_line_limit) return false;
            auto u = to_upper_ascii(fold_slashed_zero(t));
            if (auto p = read_page_line(t); p && p->number == 1) return true;
            if (u.rfind("VZCZC", 0) == 0 || read_routing_line(t) || read_precedence_words_line(t))
                return true;
            if (u.rfind("DE ", 0) == 0 && u.find('#') != std::string::npos) return true;
            if (read_series_run_in(t) || read_classification_reference_line(t)) return true;
            if (read_precedence_dtg_line(t, 0, 1)) {
                auto n = next_text_line(k);
                if (n < last) {
                    bool colon = false;
                    return read_address(trim(lines[n].text), colon).first != address_kind::none;
                }
            }
            return false;
        };
        auto first_is_header = [&] {
            auto t = trim(lines[k0].text);
            if (anchor_at(k0) || read_paragraph_number(t) || read_series_run_in(t)) return true;
            // Any kind of the heading that takes the line, tried on a scratch reader.
            reporter scratch_report{1};
            document scratch;
            cable_reader probe{lines, scratch_report, scratch};
            probe.first = first;
            probe.last = last;
            probe.index = k0;
            return probe.read_with(head_kinds(), lines[k0]);
        };
        if (first_is_header()) return first;
        for (std::size_t k = k0 + 1; k < last && k < k0 + 60; ++k) {
            if (blank(lines[k]) || !anchor_at(k)) continue;
            // The archive's marking stands just above its page line.
            for (std::size_t b = k; b-- > k0;) {
                if (blank(lines[b])) continue;
                if (read_classification_line(trim(lines[b].text))) k = b;
                break;
            }
            return k;
        }
        return first;
    }

    void read(std::size_t first_line, std::size_t last_line) {
        first = first_line;
        last = last_line;
        find_furniture();
        std::size_t start = find_header_start();
        for (std::size_t k = first; k < start; ++k) {
            if (blank(lines[k])) continue;
            doc.preamble.push_back(lines[k].text);
            mark(lines[k], line_role::preamble);
        }
        if (start > first) {
            std::size_t k = first;
            while (blank(lines[k])) ++k;
            report({lines[k].number, 1}, severity::note, "preamble",
                   fmt::format("{} line(s) before the header are kept aside, not read as the cable",
                               doc.preamble.size()));
        }
        bool any_line = false;
        for (index = start; index < last; ++index) {
            const auto& l = lines[index];
            if (blank(l)) {
                last_blank_line = l.number;
                if (where != zone::text) ++header_blanks;
                if (!paragraph_pending_text) current = nullptr;
                open = open_block::none;  // a blank line ends any list or block
                continue;
            }
            if (auto pg = page_marker(l.text)) {
                doc.page_breaks.push_back(*pg);
                mark(l, line_role::page_marker);
                continue;
            }
            if (furniture.count(index)) {
                mark(l, line_role::page_break);
                continue;
            }
            if (!any_line) {
                any_line = true;
                // FRUS prints a cable without its header with the series running into the text.
                if (auto r = read_series_run_in(l.text)) {
                    c.series = r->tag;
                    c.form = cable_form::frus_printed;
                    c.layout.series_title_case = r->title_case;
                    series_where = at(l, lead_of(l, trim(l.text)));
                    where = zone::text;
                    auto rest =
                        std::string_view{l.text}.substr(lead_of(l, trim(l.text)) + r->text_offset);
                    mark(l, line_role::series);
                    if (!trim(rest).empty()) {
                        if (auto p = read_paragraph_number(rest)) {
                            auto text = trim(rest.substr(p->text_offset));
                            start_paragraph(l, p->number, text, lead_of(l, text), p->parenthesis);
                        } else {
                            start_paragraph(l, std::nullopt, trim(rest), lead_of(l, trim(rest)));
                        }
                    }
                    continue;
                }
            }
            if (where == zone::head) {
                bool numbered = read_paragraph_number(l.text).has_value();
                if (!numbered && read_with(head_kinds(), l)) {
                    mark(l, role, mark_index, continuation);
                    continue;
                }
                if (where == zone::head) where = zone::text;
            }
            if (where == zone::text_head) {
                bool numbered = read_paragraph_number(l.text).has_value();
                if (!numbered && read_with(text_head_kinds(), l)) {
                    mark(l, role, mark_index, continuation);
                    continue;
                }
                where = zone::text;
            }
            open = open_block::none;
            read_body_line(l);
        }
        // Layout: blank lines between header lines, and between paragraphs.
        c.layout.blank_line_between_headers = header_lines > 1 && header_blanks >= header_lines - 1;
        c.layout.blank_line_between_paragraphs =
            paragraph_gaps > 0 && paragraph_gaps >= paragraph_joins;
        decide_form();
    }

    /// Which form the cable came in, from what it holds.
    void decide_form() {
        if (c.form == cable_form::frus_printed) return;
        if (saw_fl1)
            c.form = cable_form::acp127;
        else if (c.envelope && (!c.envelope->originating_ri.empty() || c.precedence_words))
            c.form = cable_form::situation_room;
        else if (!c.routing && (c.archive || c.telegram || c.eo || !c.tags.empty() || c.subject ||
                                (from_first && c.from && c.prec)))
            c.form = cable_form::state_telegram;
        else
            c.form = cable_form::radioteletype;
    }
};

struct memo_reader {
    memo_reader(const std::vector<input_line>& l, reporter& r, document& d)
        : lines(l), report(r), doc(d) {}
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
                auto rest =
                    pos == std::string_view::npos ? std::string_view{} : trim(t.substr(pos + 1));
                if (t.find("FOR") != std::string_view::npos ||
                    t.find("for") != std::string_view::npos)
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
                m.subject =
                    std::string{trim(t.substr(pos == std::string_view::npos ? 7 : pos + 1))};
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
                open_reading =
                    line_reading{l.number, line_role::memo_bullet, m.bullets.size() - 1, false};
                doc.line_map.push_back(open_reading);
            } else if (open && previous + 1 == l.number) {
                *open = join_words(*open, t);
                mark(l, open_reading.role, open_reading.index, true);
            } else {
                m.paragraphs.emplace_back(t);
                m.body_order.push_back(false);
                open = &m.paragraphs.back();
                open_reading = line_reading{l.number, line_role::memo_paragraph,
                                            m.paragraphs.size() - 1, false};
                doc.line_map.push_back(open_reading);
            }
            previous = l.number;
        }
        if (!m.for_)
            report({lines[first].number, 1}, severity::warning, "memo-for-missing",
                   "the memo has no MEMORANDUM FOR line");
        if (!m.from)
            report({lines[first].number, 1}, severity::warning, "memo-from-missing",
                   "the memo has no FROM line");
        if (!m.subject)
            report({lines[first].number, 1}, severity::warning, "memo-subject-missing",
                   "the memo has no SUBJECT line");
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
        if (std::all_of(tail.begin(), tail.end(),
                        [](char c) { return c == ' ' || (c >= '0' && c <= '9'); }))
            s = s.substr(0, z + 1);
    }
    t.text = std::string{s};
    t.series = find_series_tag(s);
    // The dateline ends the title: ", <place>, <Month> <day>, <year>[, <HHMM>Z]".
    std::size_t head_end = s.size();
    for (auto p = s.rfind(','); p != std::string_view::npos && p > 0; p = s.rfind(',', p - 1)) {
        auto rest = trim(s.substr(p + 1));
        std::size_t consumed = 0;
        auto d = read_date_words(rest, consumed);
        if (!d) continue;
        auto time = trim(rest.substr(consumed));
        while (!time.empty() && time.front() == ',') time = trim(time.substr(1));
        while (!time.empty() && time.back() == '.') time.remove_suffix(1);
        bool has_time =
            time.size() == 5 && is_digits(time.substr(0, 4)) && (time[4] == 'Z' || time[4] == 'z');
        if (!time.empty() && !has_time) continue;
        auto q = s.rfind(',', p - 1);
        std::size_t place_start = q == std::string_view::npos ? num->second : q + 1;
        t.place = std::string{trim(s.substr(place_start, p - place_start))};
        t.dateline = std::string{trim(s.substr(place_start))};
        head_end = q == std::string_view::npos ? num->second : q;
        t.date = d;
        if (has_time) {
            dtg g;
            g.day = d->day;
            g.month = d->month;
            g.year = d->year;
            g.hour = std::stoi(std::string{time.substr(0, 2)});
            g.minute = std::stoi(std::string{time.substr(2, 2)});
            if (g.hour < 24 && g.minute < 60) t.time = g;
        }
        break;
    }
    // Sender and addressee: "… From <sender> to <addressee>" before the dateline. The sender
    // ends at the " to " after its closing parenthesis when it has one ("(Kissinger) to").
    auto head = s.substr(0, head_end);
    auto from = head.find(" From ");
    if (from != std::string_view::npos) {
        auto start = from + 6;
        auto to = std::string_view::npos;
        for (auto k = head.find(" to ", start); k != std::string_view::npos;
             k = head.find(" to ", k + 1))
            if (head[k - 1] == ')') {
                to = k;
                break;
            }
        if (to == std::string_view::npos) to = head.find(" to ", start);
        if (to != std::string_view::npos) {
            auto sender = trim(head.substr(start, to - start));
            auto addressee = trim(head.substr(to + 4));
            // A title names its sender and addressee in a phrase each (FRUS: "the President's
            // Assistant for National Security Affairs (Kissinger)"); a longer run is not one.
            constexpr std::size_t longest = 150;
            if (!sender.empty() && sender.size() <= longest) t.sender = std::string{sender};
            if (!addressee.empty() && addressee.size() <= longest)
                t.addressee = std::string{addressee};
        }
    }
    return t;
}

void read_notes(const std::vector<input_line>& lines, std::size_t first, std::size_t last,
                document& doc) {
    for (std::size_t i = first; i < last; ++i) {
        const auto& l = lines[i];
        if (blank(l)) continue;
        if (auto p = paragraph_number(l.text)) {
            doc.notes.push_back(source_note{
                p->first, std::string{trim(std::string_view{l.text}.substr(p->second))}});
            doc.line_map.push_back(
                line_reading{l.number, line_role::source_note, doc.notes.size() - 1, false});
        } else if (!doc.notes.empty()) {
            doc.notes.back().text = join_words(doc.notes.back().text, trim(l.text));
            doc.line_map.push_back(
                line_reading{l.number, line_role::source_note, doc.notes.size() - 1, true});
        }
    }
}

/// "Top Secret; Sensitive; Exclusively Eyes Only." in the source note.
std::optional<std::string> classification_from_notes(const std::vector<source_note>& notes) {
    for (const auto& n : notes) {
        for (std::string_view level : {"Top Secret", "Secret", "Confidential", "Unclassified"}) {
            auto pos = n.text.find(level);
            if (pos == std::string::npos) continue;
            if (pos >= 2 && n.text[pos - 2] != '.' && n.text[pos - 2] != ';')
                continue;  // sentence start
            auto end = n.text.find('.', pos);
            auto found = to_upper_ascii(trim(std::string_view{n.text}.substr(
                pos, end == std::string::npos ? std::string::npos : end - pos)));
            // Only what the reader would read back as a classification line ("Top Secretnt" is
            // not).
            if (read_classification_line(found)) return found;
        }
    }
    return std::nullopt;
}

void infer_from_context(document& doc, const cable_reader& reader, reporter& report) {
    const auto date_line_number = reader.date_line_number;
    auto& c = doc.message;
    // The FRUS printed form has no header: sender, addressee and time come from the title.
    if (doc.title) {
        const auto& t = *doc.title;
        if (!c.from && t.sender) {
            c.from = *t.sender;
            c.inferred.insert("from");
            report({}, severity::note, "from-title",
                   fmt::format("the originator '{}' is taken from the title", *t.sender));
        }
        if (c.to.empty() && t.addressee) {
            addressee a;
            a.address = a.as_written = *t.addressee;
            c.to.push_back(std::move(a));
            c.inferred.insert("to");
            report({}, severity::note, "to-title",
                   fmt::format("the addressee '{}' is taken from the title", *t.addressee));
        }
        if (!c.date_time_group && t.time) {
            c.date_time_group = *t.time;
            c.inferred.insert("dtg");
            report({}, severity::note, "dtg-from-title",
                   fmt::format("the cable prints no date-time group; the title's {} is used",
                               format_dtg(*t.time)));
        }
    }
    auto& g = c.date_time_group;
    if (g && (!g->month || !g->year)) {
        std::optional<calendar_date> from;
        std::string source;
        if (c.date_line) {
            from = read_calendar_date(*c.date_line);
            source = fmt::format("the date line (line {})", date_line_number);
        }
        if (!from && doc.title && doc.title->time) {
            from = calendar_date{*doc.title->time->year, *doc.title->time->month,
                                 doc.title->time->day};
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
        report({}, severity::note, "series-from-title",
               "the cable prints no series tag; the title's is used");
    }
    if (!c.classification) {
        if (auto cl = classification_from_notes(doc.notes)) {
            c.classification = normalise_classification(*cl);
            c.classification_as_written = *cl;
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
                   fmt::format("the title gives {:02}{:02}Z on day {}, the DTG {}", t.hour,
                               t.minute, t.day, format_dtg(g, false)));
    }
    if (doc.title && doc.title->series && c.series && c.series->number &&
        doc.title->series->number &&
        (doc.title->series->name != c.series->name ||
         doc.title->series->number != c.series->number))
        report({}, severity::warning, "title-series-mismatch",
               fmt::format("the title names {}, the cable {}",
                           format_series_tag(*doc.title->series), format_series_tag(*c.series)));
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
        if (starts_with_word(trim(lines[k].text), "MEMORANDUM") &&
            lines[k].text.find("FOR") != std::string::npos) {
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
        doc.parts.push_back(
            {document_part_kind::cable, lines[cable_first].number, lines[cable_last - 1].number});

    if (memo_first < n) {
        std::size_t first = memo_first + (marker ? 1 : 0);
        if (marker)
            doc.line_map.push_back(
                line_reading{lines[memo_first].number, line_role::covering_marker, 0, false});
        std::size_t last = std::min(notes_first, n);
        if (first < last) {
            memo_reader mr{lines, report, doc};
            mr.read(first, last);
            doc.covering_memo = std::move(mr.m);
            doc.parts.push_back(
                {document_part_kind::memo, lines[memo_first].number, lines[last - 1].number});
        } else {
            report({lines[memo_first].number, 1}, severity::warning, "memo-empty",
                   "the covering memorandum marker is followed by nothing");
        }
    }
    if (notes_first < n) {
        read_notes(lines, notes_first, n, doc);
        doc.parts.push_back(
            {document_part_kind::notes, lines[notes_first].number, lines[n - 1].number});
    }

    auto& c = doc.message;
    bool any_cable = c.routing || c.date_time_group || c.prec || c.series ||
                     !c.paragraphs.empty() || c.signoff || c.from || !c.to.empty() || c.archive ||
                     c.telegram;
    if (!any_cable) {
        // A title alone leaves i past the last line: the place is then the title's line.
        report({lines[std::min(i, n - 1)].number, 1}, severity::error, "no-cable",
               "no cable was found: no routing line, DTG, series tag or text");
    } else {
        if (options.infer_from_context) infer_from_context(doc, cable, report);
        cross_check(doc, report);
        auto where = source_position{lines[cable_first < n ? cable_first : 0].number, 1};
        if (!c.routing && c.envelope && !c.envelope->originating_ri.empty() &&
            !c.envelope->routing_indicators.empty()) {
            // ACP 127: the called and calling stations are format lines 2 and 3.
            c.routing = read_routing_line(c.envelope->routing_indicators.front() + " DE " +
                                          c.envelope->originating_ri);
        }
        // What each form is expected to give. A State telegram has no routing line (the
        // routing indicators were the communications centre's), and the FRUS printed form has
        // no header at all: the title gives what it can.
        const bool radioteletype =
            c.form == cable_form::radioteletype || c.form == cable_form::acp127;
        const bool printed = c.form == cable_form::frus_printed;
        if (!c.routing && radioteletype)
            report(where, severity::warning, "routing-missing",
                   "the cable has no routing line (<called> DE <calling>)");
        if (!c.prec)
            report(where, printed ? severity::note : severity::warning, "precedence-missing",
                   printed ? "the printed text gives no precedence, and the title none either"
                           : "the cable gives no precedence prosign");
        if (!c.date_time_group)
            report(where, severity::warning, "dtg-missing", "the cable gives no date-time group");
        if (c.form == cable_form::state_telegram || c.form == cable_form::situation_room) {
            if (!c.from)
                report(where, severity::warning, "from-missing", "the telegram has no FM line");
            if (c.to.empty())
                report(where, severity::warning, "to-missing", "the telegram has no TO line");
        }
        if (c.paragraphs.empty())
            report(where, severity::warning, "no-text", "the cable has no text");
        if (!c.signoff && !c.signature && !c.paragraphs.empty() && (radioteletype || printed))
            report(where, severity::note, "signoff-missing", "the cable has no sign-off");
        if (cable.pending_address)
            report(where, severity::warning, "address-empty", "an address line has no value");
    }
    doc.notes_for_reader = report.finish();
    return doc;
}

}  // namespace hakto::protocol
