// The walk: a document's lines, each with the notes of the table that apply to it; the cable's
// text and the covering memo. The header lines are explain_walk_header.cpp's.
#include <algorithm>
#include <cctype>
#include <map>

#include <fmt/format.h>

#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/text/text_util.hpp"
#include "terminals/explain/explain.hpp"
#include "terminals/explain/explain_walker.hpp"
#include "terminals/memo/memo_writer.hpp"

namespace hakto::terminals {

using namespace hakto::protocol;

namespace explain_detail {

namespace {

bool is_word_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '\'' || c == '-';
}

}  // namespace

std::size_t byte_of_column(std::string_view line, std::size_t column) {
    std::size_t col = 1, i = 0;
    while (i < line.size() && col < column) {
        auto c = static_cast<unsigned char>(line[i]);
        i += c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        ++col;
    }
    return std::min(i, line.size());
}

std::size_t find_word(std::string_view line, std::string_view word, std::size_t from) {
    if (word.empty()) return std::string_view::npos;
    auto upper = to_upper_ascii(line);
    auto w = to_upper_ascii(word);
    for (auto pos = upper.find(w, from); pos != std::string::npos; pos = upper.find(w, pos + 1)) {
        bool before = pos == 0 || !is_word_char(upper[pos - 1]);
        auto end = pos + w.size();
        bool after = end >= upper.size() || !is_word_char(upper[end]) || !is_word_char(w.back());
        if (before && after) return pos;
    }
    return std::string_view::npos;
}

std::pair<std::size_t, std::size_t> find_phrase(std::string_view line, std::string_view pattern) {
    auto words = split_words(pattern);
    if (words.empty()) return {std::string_view::npos, 0};
    for (auto start = find_word(line, words[0]); start != std::string_view::npos;
         start = find_word(line, words[0], start + 1)) {
        std::size_t at = start + words[0].size();
        bool ok = true;
        for (std::size_t k = 1; k < words.size() && ok; ++k) {
            while (at < line.size() && line[at] == ' ') ++at;
            ok = at + words[k].size() <= line.size() &&
                 iequals(line.substr(at, words[k].size()), words[k]);
            at += words[k].size();
        }
        if (ok) return {start, at - start};
    }
    return {std::string_view::npos, 0};
}

walker::walker(const document& doc, const explain_table& table)
    : doc_(doc), table_(table), contexts_(contexts_of(doc)) {}

std::set<std::string> walker::contexts_of(const document& doc) {
    std::set<std::string> out;
    const auto& c = doc.message;
    if (doc.title || !doc.notes.empty() || c.form == cable_form::frus_printed) out.insert("frus");
    if (c.form == cable_form::state_telegram) out.insert("state");
    if (c.form == cable_form::situation_room) out.insert("sitroom");
    bool trip_station =
        c.routing && (calling_station(*c.routing) == "WTE10" || c.routing->called == "WTE10");
    auto june_1972 = [](const std::optional<dtg>& g) {
        return g && g->month == 6 && g->year == 1972;
    };
    auto backchannel = [](const std::optional<series_tag>& s) {
        return s && (s->name == "HAKTO" || s->name == "TOHAK");
    };
    bool series = backchannel(c.series) || (doc.title && backchannel(doc.title->series));
    bool june = june_1972(c.date_time_group) || (doc.title && june_1972(doc.title->time));
    if (trip_station || (series && june)) out.insert("june1972");
    return out;
}

explained_line walker::explain(std::size_t number, std::string text, const line_reading* reading) {
    explained_line l;
    l.number = number;
    l.text = std::move(text);
    line_ = &l;
    if (reading) {
        l.role = std::string{to_string(reading->role)};
        l.continuation = reading->continuation;
        annotate(*reading);
    }
    line_ = nullptr;
    return l;
}

void walker::note(std::string_view id, std::string_view label, std::size_t byte, const values& v) {
    const auto* e = table_.find(id);
    if (!e) return;  // the loader guarantees every known element; nothing to say otherwise
    explain_note n;
    n.element = e->id;
    n.label = std::string{label};
    n.column = label.empty() ? 0 : column_of(line_->text, byte);
    n.title = e->title;
    n.value = e->value_template.empty() ? std::string{} : fill_template(e->value_template, v);
    n.text = e->text;
    n.sources = e->sources;
    for (const auto& cn : e->notes) {
        if (!contexts_.count(cn.context)) continue;
        if (!n.note.empty()) n.note += ' ';
        n.note += cn.text;
        for (const auto& src : cn.sources)
            if (std::find(n.sources.begin(), n.sources.end(), src) == n.sources.end())
                n.sources.push_back(src);
    }
    line_->notes.push_back(std::move(n));
}

void walker::note_word(std::string_view id, std::string_view word, const values& v) {
    auto at = find_word(line_->text, word);
    note(id, at == std::string_view::npos ? std::string_view{} : word,
         at == std::string_view::npos ? 0 : at, v);
}

void walker::note_line(std::string_view id, const values& v) {
    note(id, {}, 0, v);
}

void walker::annotate(const line_reading& r) {
    const std::string& t = line_->text;
    const auto& c = doc_.message;
    switch (r.role) {
        case line_role::title:
            return title();
        case line_role::preamble:
            if (seen_.insert(line_role::preamble).second) note_line("preamble");
            return;
        case line_role::routing:
            if (!seen_.insert(line_role::routing).second) return;
            return routing();
        case line_role::precedence_dtg:
            if (!seen_.insert(line_role::precedence_dtg).second) return;
            return precedence_dtg();
        case line_role::precedence_words:
            return precedence_words();
        case line_role::date_line:
            return note_line("date_line", {{"date", std::string{trim(t)}}});
        case line_role::to:
        case line_role::from:
        case line_role::info:
            return address(r);
        case line_role::via:
            return note_line("via", {{"via", c.via.value_or("(none)")}});
        case line_role::message_number:
            return note_line("message_number", {{"number", std::string{trim(t)}}});
        case line_role::classification:
            return classification();
        case line_role::classification_reference:
            return classification_reference();
        case line_role::series:
            if (!seen_.insert(line_role::series).second) return;
            series();
            if (c.form == cable_form::frus_printed && !c.paragraphs.empty() &&
                c.paragraphs.front().where.line == r.line)
                paragraph(line_reading{r.line, line_role::paragraph, 0, false});
            return;
        case line_role::page_line:
            return page_line();
        case line_role::page_break:
            return note_line("archive.page_break");
        case line_role::number_line:
            return note_line("archive.number", {{"number", std::string{trim(t)}}});
        case line_role::distribution:
            return distribution(r);
        case line_role::drafted_by:
            return note_line("archive.drafted_by",
                             {{"value", archive_value(&archive_head::drafted_by)}});
        case line_role::approved_by:
            return note_line("archive.approved_by",
                             {{"value", archive_value(&archive_head::approved_by)}});
        case line_role::clearance:
            return note_line("archive.clearance", {{"value", std::string{trim(t)}}});
        case line_role::desired_distribution:
            if (!r.continuation) note_line("archive.desired_distribution");
            return;
        case line_role::separator:
            return note_line("archive.separator");
        case line_role::handling:
            return handling();
        case line_role::instruction:
            if (!r.continuation) note_line("instruction", {{"text", std::string{trim(t)}}});
            return text_features();
        case line_role::repeat_notice:
            if (!r.continuation) note_line("repeat_notice");
            return;
        case line_role::quote:
            note_line("quote");
            return;
        case line_role::eo:
            return note_line("eo",
                             {{"order", c.eo ? c.eo->order : "(none)"},
                              {"category", c.eo && c.eo->category ? *c.eo->category : "(none)"}});
        case line_role::tags:
            if (!r.continuation) note_line("tags", {{"tags", joined(c.tags, ", ")}});
            return;
        case line_role::subject:
            if (!r.continuation) note_line("subject", {{"subject", c.subject.value_or("(none)")}});
            return text_features();
        case line_role::reference:
            if (!r.continuation)
                note_line("reference", {{"references", joined(c.references, "; ")}});
            return;
        case line_role::acp127_fl1:
        case line_role::acp127_fl2:
        case line_role::acp127_fl3:
        case line_role::acp127_fl4:
        case line_role::acp127_bt:
        case line_role::acp127_fl15:
        case line_role::acp127_end:
            return envelope(r.role);
        case line_role::paragraph:
            return paragraph(r);
        case line_role::signoff:
            return note_line("signoff", {{"signoff", std::string{trim(t)}}});
        case line_role::signature:
            return note_line("signature", {{"signature", std::string{trim(t)}}});
        case line_role::page_marker: {
            std::string digits;
            for (char ch : t)
                if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
            return note_line("page_marker", {{"page", digits}});
        }
        case line_role::covering_marker:
            return note_line("covering_marker");
        case line_role::memo_date:
            return note_line("memo.date", {{"date", c_memo_value(&memo::date_text)}});
        case line_role::memo_for:
            return note_line("memo.for", {{"for", c_memo_value(&memo::for_)}});
        case line_role::memo_from:
            return note_line("memo.from", {{"from", c_memo_value(&memo::from)}});
        case line_role::memo_subject:
            return note_line("memo.subject", {{"subject", c_memo_value(&memo::subject)}});
        case line_role::memo_bullet:
            if (!r.continuation && doc_.covering_memo &&
                r.index < doc_.covering_memo->bullets.size())
                note_line("memo.bullet",
                          {{"number", std::to_string(r.index + 1)},
                           {"restates", restates(doc_.covering_memo->bullets[r.index].text)}});
            return;
        case line_role::memo_paragraph:
            if (!r.continuation && doc_.covering_memo &&
                r.index < doc_.covering_memo->paragraphs.size())
                note_line("memo.paragraph",
                          {{"restates", restates(doc_.covering_memo->paragraphs[r.index])}});
            return;
        case line_role::source_note: {
            if (r.continuation || r.index >= doc_.notes.size()) return;
            const auto& n = doc_.notes[r.index];
            bool source = starts_with_word(n.text, "Source");
            note_line(source ? "source_note" : "summary_note",
                      {{"number", std::to_string(n.number)}});
            return;
        }
    }
}

std::size_t walker::offset_in_line(std::string_view w) const {
    return static_cast<std::size_t>(w.data() - line_->text.data());
}

/// Which paragraph of the cable a piece of the memo restates, judged by the words of four
/// letters or more the two share (a heuristic: the memo words things its own way).
std::string walker::restates(std::string_view memo_text) const {
    static const std::set<std::string> common{
        "THAT", "WITH",  "THIS", "WHICH", "FROM",  "HAVE",  "BEEN",  "WERE", "WOULD", "THEIR",
        "THEY", "THERE", "SOME", "ONLY",  "ALSO",  "MIGHT", "COULD", "INTO", "OVER",  "THAN",
        "THEM", "WHAT",  "WHEN", "WILL",  "SINCE", "MADE",  "AGAIN", "SAID", "HAD",   "WAS"};
    auto words_of = [&](std::string_view text) {
        std::set<std::string> out;
        std::string w;
        auto flush = [&] {
            if (w.size() >= 4 && !common.count(w)) out.insert(w);
            w.clear();
        };
        for (char ch : text) {
            if (std::isalpha(static_cast<unsigned char>(ch)))
                w += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            else
                flush();
        }
        flush();
        return out;
    };
    auto memo_words = words_of(memo_text);
    const auto& ps = doc_.message.paragraphs;
    std::size_t best = ps.size();
    std::vector<std::string> best_shared;
    for (std::size_t i = 0; i < ps.size(); ++i) {
        std::vector<std::string> shared;
        for (const auto& w : words_of(ps[i].text))
            if (memo_words.count(w)) shared.push_back(w);
        if (shared.size() > best_shared.size()) {
            best = i;
            best_shared = std::move(shared);
        }
    }
    if (best == ps.size() || best_shared.size() < 3)
        return "no one paragraph of the cable (it shares fewer than three words with each)";
    std::string list;
    for (std::size_t k = 0; k < best_shared.size() && k < 6; ++k) {
        if (!list.empty()) list += ", ";
        list += best_shared[k];
    }
    if (best_shared.size() > 6) list += ", …";
    const auto& p = ps[best];
    auto which = p.number ? fmt::format("paragraph {}", *p.number)
                          : fmt::format("the cable's text block {}", best + 1);
    return fmt::format("{} of the cable (shared words: {})", which, list);
}

std::string walker::c_memo_value(std::optional<std::string> memo::*field) const {
    if (!doc_.covering_memo) return "(none)";
    const auto& v = (*doc_.covering_memo).*field;
    return v ? *v : "(none)";
}

void walker::title() {
    values v;
    const auto& t = doc_.title;
    v["number"] = t && t->document_number ? std::to_string(*t->document_number) : "(none)";
    v["series"] = t && t->series ? format_series_tag(*t->series) : "(none)";
    v["dateline"] = t && t->dateline ? *t->dateline : "(none)";
    note_line("title", v);
}

void walker::paragraph(const line_reading& r) {
    const auto& ps = doc_.message.paragraphs;
    if (!r.continuation && r.index < ps.size()) {
        const auto& p = ps[r.index];
        if (p.number) {
            auto t = trim(line_->text);
            auto dot = t.find('.');
            auto start = static_cast<std::size_t>(t.data() - line_->text.data());
            note("paragraph", t.substr(0, dot == std::string_view::npos ? 0 : dot + 1), start,
                 {{"number", std::to_string(*p.number)}});
        } else {
            note_line("paragraph.unnumbered");
        }
    }
    text_features();
}

/// What a line of cable text may hold: emphasis forms, handling caveats, names the edition
/// printed in mixed case. The patterns come from the covering-memo rules, so explain and
/// the memo agree on what a caveat is.
void walker::text_features() {
    const auto& rules = builtin_memo_rules();
    const std::string& t = line_->text;
    for (const auto& e : rules.emphasis) {
        auto [at, len] = find_phrase(t, e.pattern);  // one note a phrase a line
        if (at == std::string_view::npos) continue;
        note("emphasis", std::string_view{t}.substr(at, len), at,
             {{"phrase", std::string{t.substr(at, len)}}, {"memo", e.replacement}});
    }
    for (const auto& g : rules.caveats) {
        for (const auto& p : g.remove) {
            auto [at, len] = find_phrase(t, p.text);
            if (at == std::string_view::npos) continue;
            note("caveat", std::string_view{t}.substr(at, len), at,
                 {{"phrase", std::string{t.substr(at, len)}},
                  {"rule", g.name},
                  {"reason", g.reason}});
        }
    }
    // Mixed-case words inside capital text (FRUS lowered the case of names in 2010).
    auto words = split_words(t);
    std::size_t capitals = 0, mixed = 0;
    for (auto w : words) {
        if (is_all_caps(w))
            ++capitals;
        else if (has_lower(w))
            ++mixed;
    }
    if (capitals >= 2 && capitals > mixed) {
        // A name is a run of mixed-case words ("Le Duc Tho"); each name once a line.
        auto is_name_word = [](std::string_view w) {
            return has_lower(w) && !is_all_caps(w) &&
                   std::isupper(static_cast<unsigned char>(w[0]));
        };
        std::set<std::string> named;
        for (std::size_t i = 0; i < words.size();) {
            if (!is_name_word(words[i])) {
                ++i;
                continue;
            }
            std::size_t j = i + 1;
            while (j < words.size() && is_name_word(words[j])) ++j;
            auto start = static_cast<std::size_t>(words[i].data() - t.data());
            auto stop =
                static_cast<std::size_t>(words[j - 1].data() - t.data()) + words[j - 1].size();
            auto name = std::string_view{t}.substr(start, stop - start);
            while (!name.empty() && !std::isalpha(static_cast<unsigned char>(name.back())))
                name.remove_suffix(1);
            if (named.insert(std::string{name}).second)
                note("mixed_case", name, start, {{"word", std::string{name}}});
            i = j;
        }
    }
}

}  // namespace explain_detail

namespace {

/// Diagnostics without a line that still belong to one: a title check goes to the title, the
/// classification taken from the source note to the source note.
std::optional<line_role> home_of(const diagnostic& d) {
    if (d.code == "title-dtg-mismatch" || d.code == "title-series-mismatch" ||
        d.code == "series-from-title")
        return line_role::title;
    if (d.code == "classification-from-source-note") return line_role::source_note;
    if (d.code == "precedence-missing")
        return line_role::precedence_dtg;  // placed at the cable's start
    return std::nullopt;
}

}  // namespace

using explain_detail::byte_of_column;
using explain_detail::walker;

walkthrough explain_document(std::string_view name, std::string_view text, const document& doc,
                             const explain_table& table) {
    walkthrough w;
    w.name = std::string{name};
    std::map<std::size_t, const line_reading*> readings;
    for (const auto& r : doc.line_map) readings.emplace(r.line, &r);
    walker walk{doc, table};
    const auto contexts = walker::contexts_of(doc);
    std::map<std::size_t, std::size_t> index_of_line;  // line number → index in w.lines
    std::size_t number = 1, start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        auto raw = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        while (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        std::string line;
        for (char ch : raw)
            line += (static_cast<unsigned char>(ch) < 0x20 && ch != '\t') || ch == 0x7F ? ' ' : ch;
        if (!trim(line).empty()) {
            auto it = readings.find(number);
            index_of_line[number] = w.lines.size();
            w.lines.push_back(
                walk.explain(number, std::move(line), it == readings.end() ? nullptr : it->second));
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
        ++number;
    }
    // Garbled words: the garble note goes under the line, with the word the diagnostic points at.
    for (const auto& d : doc.notes_for_reader) {
        explained_line* home = nullptr;
        if (auto role = home_of(d)) {
            auto wanted = to_string(*role);
            for (auto& l : w.lines)
                if (l.role == wanted) {
                    home = &l;
                    break;
                }
        }
        if (!home && d.where.line != 0) {
            // The line itself, or the first line after it with text (a cable-wide diagnostic is
            // placed at the start of the cable, which may be a blank line).
            auto it = index_of_line.lower_bound(d.where.line);
            if (it != index_of_line.end()) home = &w.lines[it->second];
        }
        if (!home) {
            w.unplaced.push_back(d);
            continue;
        }
        home->diagnostics.push_back(d);
        if (d.code == "garbled-word" && d.where.column != 0) {
            if (const auto* e = table.find("garble")) {
                auto at = byte_of_column(home->text, d.where.column);
                auto stop = at;
                while (stop < home->text.size() && home->text[stop] != ' ') ++stop;
                auto word = home->text.substr(at, stop - at);
                explain_note n{e->id,
                               word,
                               d.where.column,
                               e->title,
                               fill_template(e->value_template, {{"word", word}}),
                               e->text,
                               {},
                               e->sources};
                for (const auto& cn : e->notes) {
                    if (!contexts.count(cn.context)) continue;
                    n.note += (n.note.empty() ? "" : " ") + cn.text;
                    for (const auto& src : cn.sources)
                        if (std::find(n.sources.begin(), n.sources.end(), src) == n.sources.end())
                            n.sources.push_back(src);
                }
                // Before the first note about a later column of the line.
                auto before =
                    std::find_if(home->notes.begin(), home->notes.end(),
                                 [&](const explain_note& x) { return x.column > n.column; });
                home->notes.insert(before, std::move(n));
            }
        }
    }
    return w;
}

}  // namespace hakto::terminals
