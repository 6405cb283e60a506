// The other parts of a published document: the covering memorandum, the title and the source
// notes, and what the reader infers from them.
#include "protocol/cable/cable_reading.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/cable/garble.hpp"

namespace hakto::protocol::reading {

void memo_reader::read(std::size_t first, std::size_t last) {
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
            open_reading =
                line_reading{l.number, line_role::memo_paragraph, m.paragraphs.size() - 1, false};
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

}  // namespace hakto::protocol::reading
