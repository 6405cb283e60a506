#include "protocol/cable/cable_lines.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}
bool all_letters(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_alpha);
}

/// Levenshtein distance of two short words, for precedence words read through a garble.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min(
                {prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

/// The text after `keyword` and an optional colon, when the line starts with the keyword as a
/// whole word ("SUBJ:" or "SUBJ " or "SUBJ:TEXT").
std::optional<std::string_view> after_keyword(std::string_view line, std::string_view keyword) {
    if (line.size() < keyword.size() || !iequals(line.substr(0, keyword.size()), keyword))
        return std::nullopt;
    auto rest = line.substr(keyword.size());
    if (rest.empty()) return rest;
    if (rest.front() == ':') return trim(rest.substr(1));
    if (rest.front() == ' ') {
        rest = trim(rest);
        if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
        return rest;
    }
    return std::nullopt;
}

/// A letter label opening a reference or a sub-paragraph: "A.", "A)", "(A)" followed by a space
/// or the end. Returns its length, or 0.
std::size_t letter_label_length(std::string_view s, char* letter = nullptr) {
    std::size_t n = 0;
    char l = 0;
    if (s.size() >= 3 && s[0] == '(' && is_upper(s[1]) && s[2] == ')') {
        l = s[1];
        n = 3;
    } else if (s.size() >= 2 && is_upper(s[0]) && (s[1] == '.' || s[1] == ')')) {
        l = s[0];
        n = 2;
    } else {
        return 0;
    }
    if (n < s.size() && s[n] != ' ') return 0;
    if (letter) *letter = l;
    return n;
}

}  // namespace

// ---- Precedence ---------------------------------------------------------------------------

std::optional<precedence> precedence_from_word(std::string_view word) {
    auto w = to_upper_ascii(word);
    if (w == "FLASH") return precedence::flash;
    if (w == "IMMEDIATE" || w == "IMMED") return precedence::immediate;
    if (w == "PRIORITY") return precedence::priority;
    if (w == "ROUTINE") return precedence::routine;
    return std::nullopt;
}

bool is_operating_signal(std::string_view w) {
    // Z + two letters (ACP 131's Z signals), then optionally a digit or "-digit".
    if (w.size() < 3 || w[0] != 'Z' || !is_upper(w[1]) || !is_upper(w[2])) return false;
    auto rest = w.substr(3);
    if (rest.empty()) return true;
    if (rest.front() == '-') rest.remove_prefix(1);
    return all_digits(rest) && rest.size() <= 2;
}

std::optional<precedence_dtg_line> read_precedence_dtg_line(std::string_view t,
                                                            std::size_t line_number,
                                                            std::size_t first_column) {
    precedence_dtg_line out;
    // One or two prosigns, each a single letter, separated by spaces or doubled ("OO"):
    // ACP 127 FL5 carries one; a dual precedence ("O R") gives the action and the info
    // addressees' (protocol facts §1.7).
    std::size_t i = 0;
    int prosigns = 0;
    // The figure 0 for the letter O, a slip of the keyboard or of a copy ("0 120940Z NOV 75"):
    // read as the prosign when a DTG follows.
    if (t.size() > 8 && t[0] == '0' && t[1] == ' ' && all_digits(t.substr(2, 6))) {
        out.prec = precedence::immediate;
        out.zero_for_o = true;
        prosigns = 1;
        i = 2;
    }
    while (i < t.size() && prosigns < 2 && is_alpha(t[i])) {
        auto p = precedence_from_letter(t[i]);
        if (!p) return std::nullopt;
        std::size_t j = i + 1;
        if (j < t.size() && t[j] == t[i]) ++j;                    // "OO": the prosign written twice
        if (j < t.size() && is_alpha(t[j])) return std::nullopt;  // a word, not a prosign
        if (prosigns == 0)
            out.prec = p;
        else if (p != out.prec)
            out.info_prec = p;
        ++prosigns;
        i = j;
        while (i < t.size() && t[i] == ' ') ++i;
    }
    if (i == t.size()) {
        if (prosigns == 0) return std::nullopt;
        return out;  // the prosign alone: a precedence whose DTG is missing
    }
    auto reading = read_dtg(t.substr(i), line_number, first_column + utf8_length(t.substr(0, i)));
    if (!reading.value && reading.notes.empty()) return std::nullopt;
    out.dtg_offset = i;
    std::size_t end = i + reading.length;
    out.reading = std::move(reading);
    // Operating signals after the DTG; anything else is kept as trailing text.
    auto rest = t.substr(std::min(end, t.size()));
    std::size_t k = 0;
    while (k < rest.size()) {
        while (k < rest.size() && rest[k] == ' ') ++k;
        std::size_t w0 = k;
        while (k < rest.size() && rest[k] != ' ') ++k;
        if (w0 == k) break;
        auto w = rest.substr(w0, k - w0);
        if (is_operating_signal(w) && out.trailing.empty()) {
            out.operating_signals.emplace_back(w);
        } else {
            if (out.trailing.empty()) out.trailing_offset = end + w0;
            out.trailing = std::string{trim(rest.substr(w0))};
            break;
        }
    }
    return out;
}

std::optional<precedence_words_line> read_precedence_words_line(std::string_view line) {
    auto w = split_words(line);
    if (w.size() != 2) return std::nullopt;
    // The prosigns: one or two precedence letters ("OP").
    if (w[0].size() > 2 || !std::all_of(w[0].begin(), w[0].end(), [](char c) {
            return is_upper(c) && precedence_from_letter(c);
        }))
        return std::nullopt;
    auto p = precedence_from_word(w[1]);
    if (!p || !is_all_caps(w[1])) return std::nullopt;
    return precedence_words_line{std::string{w[0]}, std::string{w[1]}, *p};
}

// ---- Addresses ----------------------------------------------------------------------------

addressee read_addressee(std::string_view text, std::string* garbled_word) {
    addressee a;
    a.as_written = std::string{trim(text)};
    auto words = split_words(a.as_written);
    std::size_t end = words.size();
    // From the end: the serial number, then the precedence words (NIACT before or after).
    if (end >= 2 && all_digits(words[end - 1]) && words[end - 1].size() <= 6) {
        a.serial = std::stoi(std::string{words[end - 1]});
        --end;
    }
    auto niact = [&](std::size_t k) { return k < words.size() && iequals(words[k], "NIACT"); };
    if (end >= 2 && niact(end - 1)) {
        a.niact = true;
        --end;
    }
    if (end >= 2) {
        auto w = words[end - 1];
        auto p = precedence_from_word(w);
        if (!p && w.size() >= 7 && is_all_caps(w)) {
            // Read through a garble as an operator would: IMMEDIATE, PRIORITY or ROUTINE with
            // a letter or two changed ("INKEDIATE").
            for (std::string_view name : {"IMMEDIATE", "PRIORITY", "ROUTINE"})
                if (to_upper_ascii(w)[0] == name[0] &&
                    (w.size() + 1 >= name.size() && w.size() <= name.size() + 1) &&
                    edit_distance(to_upper_ascii(w), name) <= (name.size() >= 8 ? 2u : 1u)) {
                    p = precedence_from_word(name);
                    if (garbled_word) *garbled_word = std::string{w};
                    break;
                }
        }
        if (p) {
            a.prec = p;
            --end;
            if (end >= 2 && niact(end - 1)) {
                a.niact = true;
                --end;
            }
        }
    }
    if (a.niact && !a.prec) a.prec = precedence::immediate;  // NIACT alone: night action, IMMEDIATE
    if (end == 0) {
        a = addressee{};
        a.as_written = std::string{trim(text)};
        a.address = a.as_written;
        return a;
    }
    auto first = words[0].data() - a.as_written.data();
    auto last = words[end - 1].data() + words[end - 1].size() - a.as_written.data();
    a.address = a.as_written.substr(static_cast<std::size_t>(first),
                                    static_cast<std::size_t>(last - first));
    return a;
}

std::string format_addressee(const addressee& a) {
    if (!a.as_written.empty()) {
        auto again = read_addressee(a.as_written);
        if (again.address == a.address && again.prec == a.prec && again.niact == a.niact &&
            again.serial == a.serial)
            return a.as_written;
    }
    std::string s = a.address;
    if (a.niact) s += " NIACT";
    if (a.prec) s += fmt::format(" {}", precedence_name(*a.prec));
    if (a.serial) s += fmt::format(" {}", *a.serial);
    return s;
}

bool is_run_on_addressee_shape(std::string_view t) {
    t = trim(t);
    if (t.empty() || t.size() > 69 || !is_all_caps(t) || t.back() == '.') return false;
    if (read_paragraph_number(t) || split_words(t).size() > 8 || is_end_of_message(t) || t == "BT")
        return false;
    return std::all_of(t.begin(), t.end(), [](char ch) {
        return is_upper(ch) || is_digit(ch) || ch == ' ' || ch == '/' || ch == '-' || ch == '&' ||
               ch == '.';
    });
}

bool reads_back_as_run_on_addressee(std::string_view line) {
    auto t = trim(line);
    if (!is_run_on_addressee_shape(t)) return false;
    auto w = split_words(t);
    auto u = to_upper_ascii(t);
    bool other = read_via_line(t) || is_message_number(t) || read_series_tag(t) ||
                 read_classification_marking(t) || is_handling_caption(w[0]) || read_eo_line(t) ||
                 read_tags_line(t) || read_subject_line(t) || read_reference_line(t) ||
                 read_precedence_dtg_line(t, 0, 1) || read_precedence_words_line(t) ||
                 read_routing_line(t) || read_page_line(t) || is_separator_line(t) ||
                 is_number_line(t) || read_distribution_line(t) || u.rfind("DE ", 0) == 0 ||
                 u.rfind("ZNY ", 0) == 0 || u.rfind("ZNR ", 0) == 0 || u.rfind("ZCZC", 0) == 0 ||
                 u.rfind("VZCZC", 0) == 0 || starts_with_word(t, "TO") ||
                 starts_with_word(t, "FM") || starts_with_word(t, "FROM") ||
                 starts_with_word(t, "INFO") || starts_with_word(t, "DRAFTED") ||
                 starts_with_word(t, "APPROVED") || starts_with_word(t, "DESIRED");
    return !other;
}

// ---- Classification -----------------------------------------------------------------------

namespace {

struct marking_name {
    std::string_view letters;  ///< without spaces
    std::string_view normalised;
};
// Longest first, so that TOP SECRET is not read as TOP and SECRET, nor UNCLASSIFIED as UNCLAS.
constexpr std::array<marking_name, 6> marking_names{{
    {"LIMITEDOFFICIALUSE", "LIMITED OFFICIAL USE"},
    {"UNCLASSIFIED", "UNCLASSIFIED"},
    {"CONFIDENTIAL", "CONFIDENTIAL"},
    {"TOPSECRET", "TOP SECRET"},
    {"UNCLAS", "UNCLASSIFIED"},
    {"SECRET", "SECRET"},
}};

}  // namespace

std::optional<classification_marking> read_classification_marking(std::string_view line) {
    line = trim(line);
    // Written out, in capitals or in the edition's case ("LIMITED OFFICIAL USE", "Top Secret").
    for (const auto& m : marking_names) {
        std::string_view written =
            m.letters == "UNCLAS" ? std::string_view{"UNCLAS"} : m.normalised;
        if (starts_with_word(line, written))  // the whole word: CONFIDENTIALLY is not a marking
            return classification_marking{std::string{m.normalised},
                                          std::string{line.substr(0, written.size())},
                                          written.size()};
    }
    // Spaced: single capital letters with single spaces ("C O N F I D E N T I A L").
    std::string letters;
    std::size_t i = 0, end = 0;
    while (i < line.size() && is_upper(line[i]) && (i + 1 == line.size() || line[i + 1] == ' ')) {
        letters += line[i];
        end = i + 1;
        i += 2;
    }
    for (const auto& m : marking_names)
        if (letters == m.letters)
            return classification_marking{std::string{m.normalised},
                                          std::string{line.substr(0, end)}, end};
    return std::nullopt;
}

std::optional<std::string> normalise_classification(std::string_view marking) {
    auto u = to_upper_ascii(trim(marking));
    if (auto m = read_classification_marking(u)) return m->normalised;
    return std::nullopt;
}

std::optional<classification_marking> read_classification_line(std::string_view line) {
    line = trim(line);
    auto m = read_classification_marking(line);
    if (!m) return std::nullopt;
    auto rest = line.substr(m->length);
    // Caveats may follow ("POSS DUPE", "; SENSITIVE; EXCLUSIVELY EYES ONLY"), but not a
    // sentence: a line of text that happens to begin with SECRET is text.
    if (line.size() >= 80 || rest.find(". ") != std::string_view::npos) return std::nullopt;
    if (std::any_of(rest.begin(), rest.end(), is_digit)) return std::nullopt;
    m->as_written = std::string{line};
    m->length = line.size();
    return m;
}

std::optional<classification_reference_line> read_classification_reference_line(
    std::string_view line) {
    line = trim(line);
    auto m = read_classification_marking(line);
    if (!m || m->length == line.size() || line[m->length] != ' ') return std::nullopt;
    classification_reference_line out;
    out.marking = *m;
    auto words = split_words(line.substr(m->length));
    std::size_t k = 0;
    auto section = [&]() {
        // "SECTION 1 OF 2"
        if (k + 3 < words.size() && iequals(words[k], "SECTION") && all_digits(words[k + 1]) &&
            iequals(words[k + 2], "OF") && all_digits(words[k + 3])) {
            out.section = fmt::format("SECTION {} OF {}", words[k + 1], words[k + 3]);
            k += 4;
        }
    };
    section();
    // The post: one to three words of capital letters, then the telegram number.
    std::size_t post0 = k;
    while (k < words.size() && k - post0 < 3 && all_letters(words[k]) && is_all_caps(words[k])) ++k;
    if (k == post0 || k >= words.size() || !all_digits(words[k]) || words[k].size() > 7)
        return std::nullopt;
    std::string post;
    for (std::size_t j = post0; j < k; ++j)
        post += (post.empty() ? "" : " ") + std::string{words[j]};
    auto number = words[k];
    ++k;
    if (is_series_name(post)) {
        out.series = read_series_tag(fmt::format("{} {}", post, number));
    } else {
        out.telegram = telegram_ref{post, std::stoi(std::string{number}), std::string{number}};
    }
    section();
    if (k + 1 < words.size() && is_series_name(words[k]) && all_digits(words[k + 1]) &&
        words[k + 1].size() <= 7) {
        out.series = read_series_tag(fmt::format("{} {}", words[k], words[k + 1]));
        k += 2;
    }
    section();
    // Captions may close the line ("… PEKING 2167 EXDIS"): they are the telegram's handling.
    while (k < words.size() && is_handling_caption(words[k])) out.handling.emplace_back(words[k++]);
    if (k != words.size()) return std::nullopt;  // more on the line: not this kind
    return out;
}

namespace {
// Handling captions and codewords seen on State and White House traffic of the period: the
// distribution captions (NODIS, EXDIS, LIMDIS, STADIS), a channel codeword (CHEROKEE), and
// control markings (NOFORN, SPECAT, EFTO, …). Captions limit who may see a telegram; the
// codeword names a channel. A list, not a rule: a caption not here reads as a passing
// instruction.
constexpr std::array<std::string_view, 12> captions{"NODIS",    "EXDIS",   "LIMDIS",     "STADIS",
                                                    "CHEROKEE", "NOFORN",  "NOCONTRACT", "PROPIN",
                                                    "ORCON",    "WNINTEL", "SPECAT",     "EFTO"};
}  // namespace

bool is_handling_caption(std::string_view word) {
    while (!word.empty() && (word.back() == '/' || word.back() == ',')) word.remove_suffix(1);
    auto w = to_upper_ascii(word);
    return std::find(captions.begin(), captions.end(), w) != captions.end();
}

std::optional<std::vector<std::string>> read_handling_line(std::string_view line) {
    line = trim(line);
    auto words = split_words(line);
    if (words.empty() || !is_handling_caption(words[0]) || !is_all_caps(line)) return std::nullopt;
    std::vector<std::string> out;
    std::size_t k = 0;
    for (; k < words.size(); ++k) {
        auto w = words[k];
        while (!w.empty() && w.back() == '/') w.remove_suffix(1);  // "STADIS//////": padding
        if (!is_handling_caption(w)) break;
        out.emplace_back(w);
    }
    if (k < words.size()) {
        auto rest = trim(line.substr(static_cast<std::size_t>(words[k].data() - line.data())));
        out.emplace_back(rest);
    }
    return out;
}

// ---- The archived State telegram ----------------------------------------------------------

std::optional<page_line> read_page_line(std::string_view line) {
    auto words = split_words(trim(line));
    if (words.size() < 3 || words[0] != "PAGE" || !all_digits(words[1]) || words[1].size() > 3)
        return std::nullopt;
    page_line p;
    p.number = std::stoi(std::string{words[1]});
    std::size_t k = 2, post0 = 2;
    while (k < words.size() && k - post0 < 3 && all_letters(words[k]) && is_all_caps(words[k])) ++k;
    if (k == post0 || k >= words.size() || !all_digits(words[k]) || words[k].size() > 7)
        return std::nullopt;
    for (std::size_t j = post0; j < k; ++j)
        p.post += (p.post.empty() ? "" : " ") + std::string{words[j]};
    p.telegram_number = std::string{words[k++]};
    // A telegram in sections: "01 OF 02" after the number.
    if (k + 2 < words.size() && all_digits(words[k]) && words[k + 1] == "OF" &&
        all_digits(words[k + 2])) {
        p.section = fmt::format("{} OF {}", words[k], words[k + 2]);
        k += 3;
    }
    if (k + 1 < words.size() && is_series_name(words[k]) && all_digits(words[k + 1]) &&
        words[k + 1].size() <= 7) {
        p.series = read_series_tag(fmt::format("{} {}", words[k], words[k + 1]));
        k += 2;
    }
    if (k < words.size()) {
        // The archive's time group: "121001Z", or "182351 Z" with a space before the zone.
        auto w = words[k];
        if (w.size() == 7 && all_digits(w.substr(0, 6)) && is_upper(w[6])) {
            p.time_group = std::string{w};
            ++k;
        } else if (w.size() == 6 && all_digits(w) && k + 1 < words.size() &&
                   words[k + 1].size() == 1 && is_upper(words[k + 1][0])) {
            p.time_group = fmt::format("{} {}", w, words[k + 1]);
            k += 2;
        }
    }
    if (k != words.size()) return std::nullopt;
    return p;
}

std::string format_page_line(const page_line& p) {
    std::string s = fmt::format("PAGE {:02} {} {}", p.number, p.post, p.telegram_number);
    if (p.section) s += " " + *p.section;
    if (p.series) s += " " + format_series_tag(*p.series);
    if (p.time_group) s += " " + *p.time_group;
    return s;
}

bool is_office_code(std::string_view w) {
    // Letters, digits and slashes, a hyphen, two digits: "EUR-25", "NSCE-00", "S/S-O-00".
    auto dash = w.rfind('-');
    if (dash == std::string_view::npos || dash == 0 || w.size() - dash != 3) return false;
    if (!all_digits(w.substr(dash + 1))) return false;
    auto name = w.substr(0, dash);
    if (!is_upper(name[0])) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return is_upper(c) || is_digit(c) || c == '/' || c == '-'; });
}

std::optional<distribution_line> read_distribution_line(std::string_view line) {
    line = trim(line);
    auto words = split_words(line);
    if (words.empty()) return std::nullopt;
    distribution_line d;
    std::size_t k = 0;
    if (words[0] == "ACTION" || words[0] == "ORIGIN") {
        d.what = words[0] == "ACTION" ? distribution_line::kind::action
                                      : distribution_line::kind::origin;
        k = 1;
        if (words.size() < 2 || !is_office_code(words[1])) return std::nullopt;
    } else if (words[0] == "INFO") {
        d.what = distribution_line::kind::info;
        k = 1;
        // INFO addressees of a telegram name posts, not offices: the first word decides.
        if (words.size() < 2 || !(is_office_code(words[1]) || words[1].front() == '/'))
            return std::nullopt;
    }
    for (; k < words.size(); ++k) {
        auto w = words[k];
        if (w.front() == '/' || w.front() == '(') {
            // The count closes the block: "/047 R", "/179 W", "( ADP ) W".
            auto rest = trim(line.substr(static_cast<std::size_t>(w.data() - line.data())));
            auto rw = split_words(rest);
            bool ok = false;
            if (rw[0].front() == '/' && all_digits(rw[0].substr(1)) && rw[0].size() <= 5)
                ok = rw.size() == 2 && rw[1].size() == 1 && is_upper(rw[1][0]);
            else if (rw[0] == "(")
                ok = rw.size() == 4 && rw[2] == ")" && rw[3].size() == 1 && is_upper(rw[3][0]);
            if (!ok) return std::nullopt;
            d.count = std::string{rest};
            break;
        }
        if (!is_office_code(w)) return std::nullopt;
        d.offices.emplace_back(w);
    }
    if (d.offices.empty() && !d.count) return std::nullopt;
    return d;
}

std::optional<std::string> read_keyword_value(std::string_view line, std::string_view keyword) {
    line = trim(line);
    auto v = after_keyword(line, keyword);
    if (!v || v->empty()) return std::nullopt;
    return std::string{*v};
}

bool is_separator_line(std::string_view line) {
    line = trim(line);
    std::size_t i = 0;
    while (i < line.size() && line[i] == '-') ++i;
    if (i < 5) return false;
    // What may follow the dashes: a number, a time group, "/NN".
    for (auto w : split_words(line.substr(i))) {
        bool ok = all_digits(w) ||
                  (w.size() == 7 && all_digits(w.substr(0, 6)) && is_upper(w[6])) ||
                  (w.size() >= 2 && w[0] == '/' && all_digits(w.substr(1)));
        if (!ok) return false;
    }
    return true;
}

bool is_number_line(std::string_view line) {
    line = trim(line);
    return all_digits(line) && line.size() <= 7;
}

// ---- The head of the text -----------------------------------------------------------------

std::optional<eo_line> read_eo_line(std::string_view line) {
    line = trim(line);
    // "E.O.", "E. O.", "EO" before the order's number.
    std::size_t i = 0;
    auto skip_spaces = [&] {
        while (i < line.size() && line[i] == ' ') ++i;
    };
    if (line.size() < 4 || line[0] != 'E') return std::nullopt;
    i = 1;
    if (i < line.size() && line[i] == '.') ++i;
    skip_spaces();
    if (i >= line.size() || line[i] != 'O') return std::nullopt;
    ++i;
    if (i < line.size() && line[i] == '.') ++i;
    skip_spaces();
    std::size_t d0 = i;
    while (i < line.size() && is_digit(line[i])) ++i;
    if (i - d0 < 4 || i - d0 > 6) return std::nullopt;
    eo_line e;
    e.order = std::string{line.substr(d0, i - d0)};
    e.as_written = std::string{line};
    skip_spaces();
    if (i < line.size() && line[i] == ':')
        ++i;
    else if (i < line.size() && !is_upper(line[i]))
        return std::nullopt;  // "E.O. 11652 GDS": no colon
    auto cat = trim(line.substr(std::min(i, line.size())));
    if (!cat.empty()) e.category = std::string{cat};
    return e;
}

std::vector<std::string> split_tags(std::string_view text, bool* open) {
    std::vector<std::string> out;
    int depth = 0;
    std::string cur;
    for (char c : text) {
        if (c == '(') ++depth;
        if (c == ')' && depth > 0) --depth;
        if (c == ',' && depth == 0) {
            auto t = trim(cur);
            if (!t.empty()) out.emplace_back(t);
            cur.clear();
            continue;
        }
        cur += c;
    }
    auto t = trim(cur);
    if (!t.empty()) out.emplace_back(t);
    if (open) *open = !trim(text).empty() && trim(text).back() == ',';
    return out;
}

std::optional<std::string> read_tags_text(std::string_view line) {
    auto v = after_keyword(trim(line), "TAGS");
    if (!v || trim(*v).empty()) return std::nullopt;  // TAGS with nothing after: no tags line
    return std::string{*v};
}

std::optional<std::vector<std::string>> read_tags_line(std::string_view line, bool* open) {
    auto v = read_tags_text(line);
    if (!v) return std::nullopt;
    return split_tags(*v, open);
}

std::optional<keyword_line> read_subject_line(std::string_view line) {
    line = trim(line);
    for (std::string_view k : {"SUBJECT", "SUBJ"}) {
        if (line.size() <= k.size() || line.substr(0, k.size()) != k) continue;
        auto rest = line.substr(k.size());
        // The colon is what makes it a subject line: "SUBJECT TO APPROVAL" is text.
        auto t = trim(rest);
        if (t.empty() || t.front() != ':') continue;
        return keyword_line{std::string{k}, std::string{trim(t.substr(1))}};
    }
    return std::nullopt;
}

namespace {

/// Splits references where a letter label begins one ("A) X; B) Y" → "A) X", "B) Y").
reference_line split_references(std::string_view text) {
    reference_line r;
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i > 0 && text[i - 1] != ' ') continue;
        char l = 0;
        if (letter_label_length(text.substr(i), &l)) starts.push_back(i);
    }
    if (starts.empty() || starts.front() != 0) starts.insert(starts.begin(), 0);
    for (std::size_t n = 0; n < starts.size(); ++n) {
        auto end = n + 1 < starts.size() ? starts[n + 1] : text.size();
        auto item = trim(text.substr(starts[n], end - starts[n]));
        std::string sep = " ";
        if (!item.empty() && (item.back() == ';' || item.back() == ',') && n + 1 < starts.size()) {
            sep = std::string(1, item.back()) + " ";
            item.remove_suffix(1);
            item = trim(item);
        }
        if (n + 1 < starts.size()) r.separator = sep;
        if (!item.empty()) r.items.emplace_back(item);
    }
    return r;
}

}  // namespace

std::optional<reference_line> read_reference_line(std::string_view line) {
    line = trim(line);
    for (std::string_view k : {"REFS", "REF"}) {
        if (line.size() <= k.size() || line.substr(0, k.size()) != k) continue;
        auto t = trim(line.substr(k.size()));
        if (t.empty() || t.front() != ':') continue;
        auto r = split_references(trim(t.substr(1)));
        if (r.items.empty()) return std::nullopt;  // REF: with nothing after it
        r.keyword = std::string{k};
        return r;
    }
    return std::nullopt;
}

std::optional<reference_line> read_reference_continuation(std::string_view line) {
    line = trim(line);
    if (!letter_label_length(line)) return std::nullopt;
    if (line.size() > 72) return std::nullopt;
    return split_references(line);
}

bool is_repeat_notice(std::string_view line) {
    line = trim(line);
    return starts_with_word(line, "FOLLOWING REPEAT") ||
           starts_with_word(line, "FOLLOWING REPEATED") || starts_with_word(line, "FOL RPT") ||
           starts_with_word(line, "FOLLOWING RPT");
}

std::size_t quote_marker_length(std::string_view line, bool* closing) {
    line = trim(line);
    for (std::string_view q : {"UNQUOTE", "UNQTE", "END QUOTE", "QUOTE", "QTE"}) {
        if (starts_with_word(line, q) && line.substr(0, q.size()) == q) {
            if (closing) *closing = q[0] == 'U' || q[0] == 'E';
            return q.size();
        }
    }
    return 0;
}

bool looks_like_passing_instruction(std::string_view line) {
    line = trim(line);
    if (!is_all_caps(line) || line.size() > 72 || line.back() == '.') return false;
    auto words = split_words(line);
    // One to three words naming an office or post, then FOR: "USIA FOR IBS/PS".
    for (std::size_t k = 1; k < words.size() && k <= 3; ++k)
        if (words[k] == "FOR") return k + 1 < words.size();
    return false;
}

bool starts_instruction(std::string_view line) {
    auto words = split_words(line);
    return std::any_of(words.begin(), words.end(), [](std::string_view w) {
        return w == "FOR" || w == "PASS" || w == "HANDLE" || w == "INFORM" || w == "DELIVER" ||
               w == "PLS";
    });
}

// ---- The Situation Room form --------------------------------------------------------------

std::optional<std::string> read_via_line(std::string_view line) {
    line = trim(line);
    auto v = after_keyword(line, "VIA");
    if (!v || v->empty() || line.substr(0, 3) != "VIA") return std::nullopt;
    if (split_words(*v).size() > 3) return std::nullopt;
    return std::string{*v};
}

bool is_message_number(std::string_view line) {
    line = trim(line);
    for (std::string_view p : {"WHS", "WH"}) {
        if (line.rfind(p, 0) != 0) continue;
        auto rest = trim(line.substr(p.size()));
        if (all_digits(rest) && rest.size() >= 3 && rest.size() <= 6) return true;
    }
    return false;
}

// ---- Text ---------------------------------------------------------------------------------

std::optional<paragraph_start> read_paragraph_number(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t d0 = i;
    while (i < line.size() && i - d0 < 3 && is_digit(line[i])) ++i;
    if (i == d0 || i >= line.size() || (line[i] != '.' && line[i] != ')')) return std::nullopt;
    bool paren = line[i] == ')';
    std::size_t after = i + 1;
    if (after < line.size() && line[after] != ' ' && line[after] != '\t') return std::nullopt;
    while (after < line.size() && (line[after] == ' ' || line[after] == '\t')) ++after;
    return paragraph_start{std::stoi(std::string{line.substr(d0, i - d0)}), after, paren};
}

bool is_end_of_message(std::string_view line) {
    line = trim(line);
    return line == "NNNN" || line == "NNN";
}

std::optional<series_run_in> read_series_run_in(std::string_view line) {
    line = trim(line);
    std::size_t i = 0;
    while (i < line.size() && is_alpha(line[i])) ++i;
    if (i == 0 || !is_series_name(line.substr(0, i))) return std::nullopt;
    // The tag ends with a full stop: "Hakto 46/226." "Tohak 95/WH 29642." "Sitto 11."
    auto dot = line.find('.', i);
    if (dot == std::string_view::npos) return std::nullopt;
    auto tag = read_series_tag(line.substr(0, dot));
    if (!tag || !tag->number) return std::nullopt;
    series_run_in r;
    r.tag = *tag;
    r.text_offset = dot + 1;
    while (r.text_offset < line.size() && line[r.text_offset] == ' ') ++r.text_offset;
    auto name = line.substr(0, i);
    r.title_case = is_upper(name[0]) && std::any_of(name.begin() + 1, name.end(),
                                                    [](char c) { return c >= 'a' && c <= 'z'; });
    return r;
}

}  // namespace hakto::protocol
