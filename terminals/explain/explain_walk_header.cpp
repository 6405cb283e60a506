// The walk through a cable's header lines: the routing line, precedence and DTG, the addresses,
// classification, series tags, the archive's head and the ACP 127 envelope.
#include <algorithm>
#include <cctype>
#include <chrono>

#include <fmt/format.h>

#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/dtg.hpp"
#include "protocol/cable/precedence.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/text/text_util.hpp"
#include "terminals/explain/explain_walker.hpp"

namespace hakto::terminals::explain_detail {

using namespace hakto::protocol;

namespace {

std::string two(int n) {
    return fmt::format("{:02}", n);
}

std::string duration_text(std::chrono::seconds s) {
    auto m = s.count() / 60;
    if (m < 60) return fmt::format("{} minutes", m);
    auto h = m / 60;
    return h == 1 ? std::string{"1 hour"} : fmt::format("{} hours", h);
}

}  // namespace

std::string walker::joined(const std::vector<std::string>& v, std::string_view sep) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : std::string{sep}) + x;
    return s.empty() ? std::string{"(none)"} : s;
}

std::string walker::to_lower(std::string_view s) {
    std::string out{s};
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string walker::archive_value(std::optional<std::string> archive_head::*field) const {
    const auto& a = doc_.message.archive;
    return a && (*a).*field ? *((*a).*field) : std::string{"(none)"};
}

void walker::precedence_words() {
    const auto& c = doc_.message;
    auto words = split_words(line_->text);
    if (words.size() < 2 || !c.prec) return;
    note("precedence.words", words[0], offset_in_line(words[0]),
         {{"prosigns", std::string{words[0]}},
          {"words", std::string{words[1]}},
          {"name", std::string{precedence_name(*c.prec)}}});
    note("precedence", words[1], offset_in_line(words[1]),
         {{"letter", std::string(1, precedence_letter(*c.prec))},
          {"name", std::string{precedence_name(*c.prec)}},
          {"objective", duration_text(handling_objective(*c.prec))}});
}

void walker::address(const line_reading& r) {
    const auto& c = doc_.message;
    if (r.role == line_role::from) {
        if (seen_.insert(line_role::from).second)
            note_line("from", {{"address", c.from.value_or("(none)")}});
        // "FM THE SITUATION ROOM //TOHAK 003//": the series between slashes.
        if (c.layout.series_in_from && c.series && line_->text.find("//") != std::string::npos &&
            seen_.insert(line_role::series).second) {
            auto at = line_->text.find("//") + 2;
            auto end = line_->text.find("//", at);
            auto tag = std::string_view{line_->text}.substr(
                at, end == std::string::npos ? std::string::npos : end - at);
            series_note(tag, at);
        }
        return text_features();
    }
    const auto& list = r.role == line_role::to ? c.to : c.info;
    if (r.index >= list.size() || (list.empty())) {
        note_line(r.role == line_role::to ? "to" : "info", {{"address", "(on the next line)"}});
        return;
    }
    // "TO:" alone: its addressee is on the next line, which the reader gave the same index.
    auto t = trim(line_->text);
    bool keyword_only = t == "TO:" || t == "TO" || t == "INFO:" || t == "INFO";
    const auto& a = list[r.index];
    note_line(r.role == line_role::to ? "to" : "info",
              {{"address", keyword_only ? std::string{"(on the next line)"} : a.address}});
    if (keyword_only) return;
    auto words = split_words(line_->text);
    for (auto w : words) {
        if (a.prec && (precedence_from_word(w) == a.prec ||
                       (w.size() >= 7 && !precedence_from_word(w) && is_all_caps(w) &&
                        iequals(w.substr(0, 1), precedence_name(*a.prec).substr(0, 1)) &&
                        a.as_written.find(w) != std::string::npos &&
                        a.address.find(w) == std::string::npos))) {
            note("addressee.precedence", w, offset_in_line(w),
                 {{"word", std::string{w}},
                  {"name", std::string{precedence_name(*a.prec)}},
                  {"objective", duration_text(handling_objective(*a.prec))}});
        } else if (a.niact && iequals(w, "NIACT")) {
            note("addressee.niact", w, offset_in_line(w));
        } else if (a.serial && w == words.back() && std::all_of(w.begin(), w.end(), [](char ch) {
                       return std::isdigit(static_cast<unsigned char>(ch));
                   })) {
            note("addressee.serial", w, offset_in_line(w),
                 {{"serial", std::string{w}}, {"address", a.address}});
        }
    }
    text_features();
}

void walker::classification() {
    const auto& c = doc_.message;
    auto t = std::string{trim(line_->text)};
    bool archive = c.archive && c.archive->marking && *c.archive->marking == t &&
                   !seen_.count(line_role::classification);
    seen_.insert(line_role::classification);
    if (archive) {
        note_line("archive.marking", {{"marking", t}});
    } else {
        note_line("classification", {{"classification", t}});
    }
    if (auto m = read_classification_marking(t); m && m->as_written.find(' ') == 1)
        note("classification.spaced", m->as_written, offset_in_line(trim(line_->text)),
             {{"classification", m->normalised}});
}

void walker::classification_reference() {
    const auto& c = doc_.message;
    auto t = trim(line_->text);
    auto r = read_classification_reference_line(t);
    if (!r) return;
    auto lead = offset_in_line(t);
    note_line("classification_reference",
              {{"classification", r->marking.normalised},
               {"post", r->telegram ? r->telegram->post : std::string{"(none)"}},
               {"number", r->telegram ? r->telegram->number_text : std::string{"(none)"}}});
    if (r->marking.as_written.find(' ') == 1)
        note("classification.spaced", r->marking.as_written, lead,
             {{"classification", r->marking.normalised}});
    if (r->series && c.series && seen_.insert(line_role::series).second) {
        auto name_at = line_->text.find(r->series->name, lead + r->marking.length);
        if (name_at != std::string::npos)
            series_note(std::string_view{line_->text}.substr(name_at), name_at);
    }
    for (const auto& h : r->handling) caption_note(h);
}

void walker::caption_note(std::string_view caption) {
    auto at = find_word(line_->text, caption);
    if (at == std::string_view::npos) return;
    auto u = to_upper_ascii(caption);
    std::string id = "handling.other";
    for (std::string_view known : {"NODIS", "EXDIS", "LIMDIS", "STADIS", "CHEROKEE"})
        if (u == known) id = "handling." + to_lower(known);
    note(id, std::string_view{line_->text}.substr(at, caption.size()), at, {{"caption", u}});
}

void walker::handling() {
    for (auto w : split_words(line_->text)) {
        auto word = w;
        while (!word.empty() && (word.back() == '/' || word.back() == ',')) word.remove_suffix(1);
        if (is_handling_caption(word)) caption_note(word);
    }
}

void walker::page_line() {
    const auto& a = doc_.message.archive;
    if (!a || !a->page) return;
    const auto& p = *a->page;
    note_line("archive.page", {{"page", std::to_string(p.number)},
                               {"post", p.post},
                               {"number", p.telegram_number},
                               {"time", p.time_group.value_or("(none)")}});
}

void walker::distribution(const line_reading& r) {
    const auto& a = doc_.message.archive;
    if (!a || !a->distribution) return;
    const auto& d = *a->distribution;
    auto t = trim(line_->text);
    if (starts_with_word(t, "ACTION") || starts_with_word(t, "ORIGIN")) {
        note_line("archive.distribution",
                  {{"kind", d.action_kind}, {"office", d.action.value_or("(none)")}});
    } else if (!r.continuation && starts_with_word(t, "INFO")) {
        note_line("archive.distribution_info", {{"offices", joined(d.info, " ")}});
    }
    if (d.count) {
        auto at = line_->text.find(*d.count);
        if (at != std::string::npos)
            note("archive.distribution_count", *d.count, at, {{"count", *d.count}});
    }
}

void walker::routing() {
    const std::string& t = line_->text;
    note_line("routing");
    const auto& r = doc_.message.routing;
    auto words = split_words(t);
    if (words.empty()) return;
    auto offset = [&](std::string_view w) { return static_cast<std::size_t>(w.data() - t.data()); };
    note("routing.called", words[0], offset(words[0]), {{"called", std::string{words[0]}}});
    std::size_t de = 1;
    while (de < words.size() && !iequals(words[de], "DE")) ++de;
    if (de < words.size()) note("routing.de", words[de], offset(words[de]));
    if (de + 1 < words.size()) {
        auto first = offset(words[de + 1]);
        auto last = offset(words.back()) + words.back().size();
        std::string_view calling{t.data() + first, last - first};
        values v;
        v["station"] = r ? calling_station(*r) : std::string{calling};
        v["channel"] = r && r->channel ? *r->channel : "(none)";
        note("routing.calling", calling, first, v);
    }
    if (auto z = t.find("\xC3\x98"); z != std::string::npos)
        note("routing.slashed_zero", "\xC3\x98", z);
}

void walker::precedence_dtg() {
    const std::string& t = line_->text;
    const auto& c = doc_.message;
    auto words = split_words(t);
    auto offset = [&](std::string_view w) { return static_cast<std::size_t>(w.data() - t.data()); };
    std::size_t i = 0;
    if (c.prec && !words.empty() && std::isalpha(static_cast<unsigned char>(words[0][0]))) {
        auto p = *c.prec;
        note("precedence", words[0], offset(words[0]),
             {{"letter", std::string(1, precedence_letter(p))},
              {"name", std::string{precedence_name(p)}},
              {"objective", duration_text(handling_objective(p))}});
        i = 1;
        if (words.size() > 2 && words[1].size() == 1 &&
            std::isalpha(static_cast<unsigned char>(words[1][0]))) {
            i = 2;  // "O P 180800Z": a dual precedence, the second for the info addressees
            if (c.info_prec)
                note("precedence.info", words[1], offset(words[1]),
                     {{"letter", std::string(1, precedence_letter(*c.info_prec))},
                      {"name", std::string{precedence_name(*c.info_prec)}}});
        }
    } else {
        note_line("precedence.none");
    }
    for (auto w : words)
        if (is_operating_signal(w) &&
            std::find(c.operating_signals.begin(), c.operating_signals.end(), w) !=
                c.operating_signals.end())
            note("operating_signal", w, offset(w), {{"signal", std::string{w}}});
    if (!c.date_time_group || i >= words.size()) return;
    const auto& g = *c.date_time_group;
    // "211615Z" or "260517 Z": the digits, then the zone letter.
    auto digits = words[i];
    std::size_t digit_count = 0;
    while (digit_count < digits.size() &&
           std::isdigit(static_cast<unsigned char>(digits[digit_count])))
        ++digit_count;
    auto utc = iso8601(g);
    note("dtg", digits.substr(0, digit_count), offset(digits),
         {{"day", std::to_string(g.day)},
          {"hour", two(g.hour)},
          {"minute", two(g.minute)},
          {"zone", std::string(1, g.zone)},
          {"utc", utc ? *utc + " (UTC)" : "not known without month and year"}});
    std::size_t zone_at = offset(digits) + digit_count;
    if (digit_count == digits.size() && i + 1 < words.size()) {
        zone_at = offset(words[i + 1]);
        ++i;
    }
    if (zone_at < t.size()) {
        values v{{"zone", std::string(1, g.zone)}};
        auto off = zone_offset_hours(g.zone);
        v["offset"] = !off        ? std::string{" not fixed (local time)"}
                      : *off == 0 ? std::string{}
                                  : fmt::format("{:+}", *off);
        auto at = [&](char z) {
            auto d = in_zone(g, z);
            return d ? format_dtg(d.value()) : std::string{"(not known without month and year)"};
        };
        v["beijing"] = at('H');
        v["washington"] = at('Q');
        note("dtg.zone", std::string_view{t}.substr(zone_at, 1), zone_at, v);
    }
    ++i;
    bool month_printed = !c.inferred.count("dtg.month");
    if (month_printed && i < words.size()) {
        auto first = offset(words[i]);
        auto last = offset(words[std::min(i + 1, words.size() - 1)]) +
                    words[std::min(i + 1, words.size() - 1)].size();
        std::string_view printed{t.data() + first, last - first};
        if (c.layout.dtg_as_printed) {
            note("dtg.year_garbled", printed, first, {{"printed", std::string{printed}}});
        } else {
            note("dtg.month_year", printed, first,
                 {{"month", g.month ? std::string{month_abbreviation(*g.month)} : "(none)"},
                  {"year", g.year ? std::to_string(*g.year) : "(none)"}});
        }
    } else if (!month_printed) {
        note_line("dtg.no_month_year");
    }
}

void walker::series() {
    auto t = trim(line_->text);
    series_note(t, offset_in_line(t));
}

/// The series tag at `text` (a view into the line) and what it says.
void walker::series_note(std::string_view text, std::size_t start) {
    const auto& s = doc_.message.series;
    if (!s) return;
    std::string_view id = s->name == "HAKTO"                         ? "series.hakto"
                          : s->name == "TOHAK"                       ? "series.tohak"
                          : s->name == "SECTO" || s->name == "TOSEC" ? "series.secto"
                                                                     : "series.other";
    std::string number = s->number ? std::to_string(*s->number) : "(no number)";
    if (s->number && doc_.message.inferred.count("series.number"))
        number += " (the number from the title)";
    // The label: the tag as printed, up to its end ("TOHAK 003", "Hakto 46/226").
    auto end = text.find_first_of(".:/", 0);
    auto tag = read_series_tag(text.substr(0, end == std::string_view::npos ? text.size() : end));
    std::string_view label = text;
    if (auto words = split_words(text); words.size() >= 2 && tag)
        label = text.substr(
            0, static_cast<std::size_t>(words[1].data() + words[1].size() - text.data()));
    else if (!words.empty())
        label = words[0];
    while (!label.empty() && (label.back() == '.' || label.back() == '/')) label.remove_suffix(1);
    note(id, label, start,
         {{"name", s->name}, {"number", number}, {"reply", reply_series(s->name)}});
    auto printed = read_series_tag(text);
    if (printed && !printed->number)
        note("series.no_number", label, start, {{"name", printed->name}});
}

void walker::envelope(line_role role) {
    const auto& e = doc_.message.envelope;
    auto t = std::string{trim(line_->text)};
    switch (role) {
        case line_role::acp127_fl1:
            note_line("acp127.fl1",
                      {{"channel", e ? e->channel_designator : "(none)"},
                       {"serial", e ? fmt::format("{:03}", e->channel_serial) : "(none)"}});
            break;
        case line_role::acp127_fl2: {
            std::string ris;
            if (e)
                for (const auto& ri : e->routing_indicators) {
                    if (!ris.empty()) ris += ' ';
                    ris += ri;
                }
            note_line("acp127.fl2",
                      {{"prosigns", e ? e->precedence_prosigns : "(none)"}, {"indicators", ris}});
            break;
        }
        case line_role::acp127_fl3:
            note_line("acp127.fl3",
                      {{"ri", e ? e->originating_ri : "(none)"},
                       {"ssn", e ? fmt::format("{:04}", e->station_serial) : "(none)"},
                       {"filing", e && !e->filing_time.empty() ? e->filing_time : "(none)"}});
            break;
        case line_role::acp127_fl4:
            note_line("acp127.fl4", {{"warning", t}});
            break;
        case line_role::acp127_bt:
            note_line("acp127.bt");
            break;
        case line_role::acp127_fl15:
            note_line("acp127.fl15", {{"ssn", t.size() > 1 ? t.substr(1) : t}});
            break;
        default:
            note_line("acp127.end");
            break;
    }
}

}  // namespace hakto::terminals::explain_detail
