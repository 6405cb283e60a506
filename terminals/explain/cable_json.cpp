#include "terminals/explain/cable_json.hpp"

namespace hakto::terminals {
namespace {

using json = nlohmann::ordered_json;
using namespace hakto::protocol;

template <class T>
json opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

json dtg_json(const cable& c) {
    if (!c.date_time_group) return nullptr;
    const auto& g = *c.date_time_group;
    json j;
    j["day"] = g.day;
    j["hour"] = g.hour;
    j["minute"] = g.minute;
    j["zone"] = std::string(1, g.zone);
    j["month"] = g.month ? json(std::string{month_abbreviation(*g.month)}) : json(nullptr);
    j["year"] = opt(g.year);
    j["utc"] = opt(iso8601(g));
    j["text"] = format_dtg(g, !c.inferred.count("dtg.month"));
    json inferred = json::array();
    if (c.inferred.count("dtg.month")) inferred.push_back("month");
    if (c.inferred.count("dtg.year")) inferred.push_back("year");
    j["inferred"] = inferred;
    return j;
}

json series_json(const std::optional<series_tag>& s) {
    if (!s) return nullptr;
    return json{
        {"name", s->name}, {"number", opt(s->number)}, {"second_serial", opt(s->second_serial)}};
}

}  // namespace

json to_json(const diagnostic& d) {
    json j;
    j["line"] = d.where.line == 0 ? json(nullptr) : json(d.where.line);
    j["column"] = d.where.column == 0 ? json(nullptr) : json(d.where.column);
    j["code"] = d.code;
    j["severity"] = std::string{to_string(d.level)};
    j["message"] = d.message;
    return j;
}

json addressees_json(const std::vector<addressee>& list) {
    json a = json::array();
    for (const auto& x : list)
        a.push_back({{"address", x.address},
                     {"precedence",
                      x.prec ? json(std::string(1, precedence_letter(*x.prec))) : json(nullptr)},
                     {"niact", x.niact},
                     {"serial", opt(x.serial)},
                     {"as_written", x.as_written}});
    return a;
}

json to_json(const cable& c) {
    json j;
    j["form"] = std::string{to_string(c.form)};
    if (c.routing)
        j["routing"] = {{"called", c.routing->called},
                        {"calling", c.routing->calling},
                        {"channel", opt(c.routing->channel)}};
    else
        j["routing"] = nullptr;
    if (c.prec)
        j["precedence"] = {
            {"letter", std::string(1, precedence_letter(*c.prec))},
            {"name", std::string{precedence_name(*c.prec)}},
            {"info_letter",
             c.info_prec ? json(std::string(1, precedence_letter(*c.info_prec))) : json(nullptr)},
            {"words", opt(c.precedence_words)}};
    else
        j["precedence"] = nullptr;
    j["dtg"] = dtg_json(c);
    j["operating_signals"] = c.operating_signals;
    j["date_line"] = opt(c.date_line);
    j["series"] = series_json(c.series);
    j["from"] = opt(c.from);
    j["to"] = addressees_json(c.to);
    j["info"] = addressees_json(c.info);
    j["classification"] = opt(c.classification);
    j["classification_as_written"] = opt(c.classification_as_written);
    j["telegram"] = c.telegram ? json{{"post", c.telegram->post}, {"number", c.telegram->number}}
                               : json(nullptr);
    j["handling"] = c.handling;
    j["instructions"] = c.instructions;
    j["repeat_notice"] = opt(c.repeat_notice);
    j["eo"] = c.eo ? json{{"order", c.eo->order},
                          {"category", opt(c.eo->category)},
                          {"as_written", c.eo->as_written}}
                   : json(nullptr);
    j["tags"] = c.tags;
    j["subject"] = opt(c.subject);
    j["references"] = c.references;
    j["via"] = opt(c.via);
    j["message_number"] = opt(c.message_number);
    json paras = json::array();
    for (const auto& p : c.paragraphs)
        paras.push_back({{"number", opt(p.number)}, {"text", p.text}});
    j["paragraphs"] = paras;
    j["signoff"] = opt(c.signoff);
    j["signature"] = opt(c.signature);
    const archive_head* a = c.archive ? &*c.archive : nullptr;
    if (a && a->page)
        j["page"] = {{"number", a->page->number},
                     {"post", a->page->post},
                     {"telegram_number", a->page->telegram_number},
                     {"series", series_json(a->page->series)},
                     {"time_group", opt(a->page->time_group)}};
    else
        j["page"] = nullptr;
    if (a && a->distribution)
        j["distribution"] = {{"action", opt(a->distribution->action)},
                             {"action_kind", a->distribution->action_kind},
                             {"info", a->distribution->info},
                             {"count", opt(a->distribution->count)}};
    else
        j["distribution"] = nullptr;
    if (a)
        j["archive"] = {{"marking", opt(a->marking)},
                        {"number_line", opt(a->number_line)},
                        {"drafted_by", opt(a->drafted_by)},
                        {"approved_by", opt(a->approved_by)},
                        {"clearances", a->clearances},
                        {"desired_distribution", opt(a->desired_distribution)},
                        {"separator", opt(a->separator)}};
    else
        j["archive"] = nullptr;
    if (c.envelope) {
        const auto& e = *c.envelope;
        j["envelope"] = {{"channel_designator", e.channel_designator},
                         {"channel_serial", e.channel_serial},
                         {"precedence_prosigns", e.precedence_prosigns},
                         {"routing_indicators", e.routing_indicators},
                         {"originating_ri", e.originating_ri},
                         {"station_serial", e.station_serial},
                         {"filing_time", e.filing_time},
                         {"security_warning", e.security_warning}};
    } else {
        j["envelope"] = nullptr;
    }
    j["inferred"] = c.inferred;
    return j;
}

json to_json(const memo& m) {
    json j;
    j["date"] = opt(m.date);
    j["date_text"] = opt(m.date_text);
    j["for"] = opt(m.for_);
    j["from"] = opt(m.from);
    j["subject"] = opt(m.subject);
    json bullets = json::array();
    for (const auto& b : m.bullets) bullets.push_back(b.text);
    j["bullets"] = bullets;
    j["paragraphs"] = m.paragraphs;
    return j;
}

json to_json(const document& doc) {
    json j = to_json(doc.message);
    j["memo"] = doc.covering_memo ? to_json(*doc.covering_memo) : json(nullptr);
    if (doc.title) {
        const auto& t = *doc.title;
        j["title"] = {{"text", t.text},
                      {"document_number", opt(t.document_number)},
                      {"series", series_json(t.series)},
                      {"place", opt(t.place)},
                      {"dateline", opt(t.dateline)},
                      {"sender", opt(t.sender)},
                      {"addressee", opt(t.addressee)},
                      {"utc", t.time ? opt(iso8601(*t.time)) : json(nullptr)}};
    } else {
        j["title"] = nullptr;
    }
    json notes = json::array();
    for (const auto& n : doc.notes) notes.push_back({{"number", n.number}, {"text", n.text}});
    j["notes"] = notes;
    json parts = json::array();
    for (const auto& p : doc.parts)
        parts.push_back({{"part", std::string{to_string(p.kind)}},
                         {"first_line", p.first_line},
                         {"last_line", p.last_line}});
    j["parts"] = parts;
    json diags = json::array();
    for (const auto& d : doc.notes_for_reader) diags.push_back(to_json(d));
    j["diagnostics"] = diags;
    j["preamble"] = doc.preamble;
    return j;
}

}  // namespace hakto::terminals
