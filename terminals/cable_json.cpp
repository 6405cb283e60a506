#include "terminals/cable_json.hpp"

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
    return json{{"name", s->name}, {"number", opt(s->number)}, {"second_serial", opt(s->second_serial)}};
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

json to_json(const cable& c) {
    json j;
    if (c.routing)
        j["routing"] = {{"called", c.routing->called}, {"calling", c.routing->calling}, {"channel", opt(c.routing->channel)}};
    else
        j["routing"] = nullptr;
    if (c.prec)
        j["precedence"] = {{"letter", std::string(1, precedence_letter(*c.prec))},
                           {"name", std::string{precedence_name(*c.prec)}}};
    else
        j["precedence"] = nullptr;
    j["dtg"] = dtg_json(c);
    j["date_line"] = opt(c.date_line);
    j["series"] = series_json(c.series);
    j["from"] = opt(c.from);
    j["to"] = opt(c.to);
    j["info"] = c.info;
    j["classification"] = opt(c.classification);
    json paras = json::array();
    for (const auto& p : c.paragraphs) paras.push_back({{"number", opt(p.number)}, {"text", p.text}});
    j["paragraphs"] = paras;
    j["signoff"] = opt(c.signoff);
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
                      {"utc", t.time ? opt(iso8601(*t.time)) : json(nullptr)}};
    } else {
        j["title"] = nullptr;
    }
    json notes = json::array();
    for (const auto& n : doc.notes) notes.push_back({{"number", n.number}, {"text", n.text}});
    j["notes"] = notes;
    json parts = json::array();
    for (const auto& p : doc.parts)
        parts.push_back({{"part", std::string{to_string(p.kind)}}, {"first_line", p.first_line}, {"last_line", p.last_line}});
    j["parts"] = parts;
    json diags = json::array();
    for (const auto& d : doc.notes_for_reader) diags.push_back(to_json(d));
    j["diagnostics"] = diags;
    return j;
}

}  // namespace hakto::terminals
