#include "terminals/exhibit/exhibit_json.hpp"

#include <chrono>

#include <fmt/format.h>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/page_printer.hpp"
#include "protocol/text/utf8.hpp"
#include "sim/clock.hpp"
#include "terminals/explain/explain.hpp"
#include "terminals/replay/replay_event_json.hpp"

namespace hakto::terminals::exhibit {

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string glyph(const protocol::code_meaning& m) {
    return protocol::page_copy_text(m, /*slashed_zero=*/true, /*bell=*/true);
}

std::int64_t epoch_ms(sim::sim_time t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               sim::to_sys_time(t).time_since_epoch())
        .count();
}

json event_json(const replay_event& e) {
    json j{{"type", "event"}};
    write_event_json(e, j);
    return j;
}

json walkthrough_json(const replay_cable& c) {
    auto w = explain_document(c.spec.id, c.page_copy, protocol::parse_document(c.page_copy));
    json lines = json::array();
    for (const auto& l : w.lines) {
        if (l.notes.empty()) continue;
        json notes = json::array();
        for (const auto& n : l.notes)
            notes.push_back(json{{"element", n.element},
                                 {"label", n.label},
                                 {"title", n.title},
                                 {"value", n.value},
                                 {"text", n.text},
                                 {"note", n.note}});
        lines.push_back(json{{"text", l.text}, {"notes", std::move(notes)}});
    }
    return lines;
}

json cable_json(const replay_cable& c, const cable_progress* progress, const json* walkthrough) {
    json cj{{"id", c.spec.id},
            {"precedence", std::string(1, protocol::precedence_letter(c.spec.prec))},
            {"filed_ms", epoch_ms(c.spec.filed)},
            {"origin", c.spec.origin},
            {"addressees", c.spec.addressees},
            {"codes", c.codes.size()}};  // on the line: how far along its circuit a cable is
    if (!c.caption.empty()) cj["caption"] = c.caption;
    if (progress && progress->started) {
        cj["page_copy"] = c.page_copy;
        cj["printed"] = progress->printed;
        cj["punched"] = progress->punched;
        if (walkthrough) cj["explain"] = *walkthrough;
    }
    return cj;
}

json state_json(const show_state& s) {
    return json{{"utc_ms", epoch_ms(s.utc)},
                {"utc", sim::format_sim_time(s.utc)},
                {"stage", s.stage},
                {"cable", s.cable},
                {"paused", s.paused},
                {"speed", sim::speed_name(s.speed)},
                {"noise", s.noise},
                {"crypto", s.crypto},
                {"run", s.run},
                {"mode", s.mode},
                {"viewers", s.viewers}};
}

json operator_json(const operator_view& o) {
    json scenarios = json::array();
    if (o.offered)
        for (const auto& [name, scn] : *o.offered) {
            json cables = json::array();
            for (const auto& c : scn.cables) cables.push_back(c.id);
            scenarios.push_back({{"name", name}, {"title", scn.title}, {"cables", cables}});
        }
    json missing = json::array();
    for (const auto& [cable, document] : o.missing)
        missing.push_back({{"cable", cable}, {"document", document}});
    return json{{"scenarios", scenarios},
                {"missing", std::move(missing)},
                {"scenario", o.scenario},
                {"cables", o.cables},
                {"speed", sim::speed_name(o.speed)},
                {"noise", o.noise},
                {"idle_reset", o.idle_reset},
                {"token_required", o.token_required},
                {"souvenir_print", o.souvenir_print}};
}

std::string snapshot_message(const snapshot_parts& s) {
    json j;
    j["type"] = "snapshot";
    j["state"] = s.state;
    j["operator"] = s.operator_settings;
    if (!s.scenario) return dump(j);
    const auto& scn = *s.scenario;
    j["scenario"] = {{"name", scn.name}, {"title", scn.title}};
    json stations = json::array();
    for (const auto& st : scn.stations) {
        json one = {{"id", st.id},
                    {"name", st.name},
                    {"place", st.place},
                    {"utc_offset", st.utc_offset_hours},
                    {"relay", st.kind == sim::station_kind::relay}};
        // The map places a station only where the scenario says it stands.
        if (st.latitude && st.longitude) {
            one["latitude"] = *st.latitude;
            one["longitude"] = *st.longitude;
        }
        stations.push_back(std::move(one));
    }
    j["stations"] = stations;
    json circuits = json::array();
    for (const auto& c : scn.circuits)
        circuits.push_back({{"id", c.id}, {"a", c.a}, {"b", c.b}, {"description", c.description}});
    j["circuits"] = circuits;
    j["cables"] = s.cables;
    json history = json::array();
    if (s.history)
        for (const auto& h : *s.history) history.push_back(h);
    j["history"] = std::move(history);
    json tape = json::array();
    if (s.tape)
        for (const auto& t : *s.tape) tape.push_back(t);
    j["tape"] = std::move(tape);
    json strips = json::array();
    if (s.strips)
        for (const auto& t : *s.strips) strips.push_back(t);
    j["strips"] = std::move(strips);
    return dump(j);
}

std::string frame_message(std::uint64_t seq, std::string_view events) {
    std::string msg;
    msg.reserve(events.size() + 48);
    msg += fmt::format(R"({{"type":"frame","seq":{},"events":[)", seq);
    msg += events;
    msg += "]}";
    return msg;
}

std::string state_message(const show_state& s) {
    json j = state_json(s);
    j["type"] = "state";
    return dump(j);
}

std::string operator_status_message(bool ok, std::string_view text) {
    return dump(json{{"type", "operator_status"}, {"ok", ok}, {"text", text}});
}

std::string error_message(std::string_view text) {
    return dump(json{{"type", "error"}, {"text", text}});
}

std::string end_message(std::uint64_t run) {
    return dump(json{{"type", "end"}, {"run", run}});
}

std::string cable_message(const json& cable) {
    return dump(json{{"type", "cable"}, {"cable", cable}});
}

}  // namespace hakto::terminals::exhibit
