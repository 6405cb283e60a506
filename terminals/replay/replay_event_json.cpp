#include "terminals/replay/replay_event_json.hpp"

#include <chrono>

#include <fmt/format.h>

#include "sim/clock.hpp"
#include "sim/network.hpp"

namespace hakto::terminals {
namespace {

template <class Json>
Json code_json(protocol::code c) {
    return c == sim::no_code ? Json(nullptr) : Json(fmt::format("{:02X}", c));
}

template <class Json>
Json text_or_null(const std::optional<std::string>& s) {
    return s ? Json(*s) : Json(nullptr);
}

template <class Json>
void put_if(Json& j, const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
}

std::int64_t epoch_ms(sim::sim_time t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               sim::to_sys_time(t).time_since_epoch())
        .count();
}

}  // namespace

template <class Json>
Json memo_json(const protocol::memo& m) {
    Json bullets = Json::array();
    for (const auto& b : m.bullets)
        bullets.push_back(Json{{"text", b.text}, {"sources", b.source_paragraphs}});
    Json j = Json::object();
    j["date"] = text_or_null<Json>(m.date);
    j["date_text"] = text_or_null<Json>(m.date_text);
    j["for"] = text_or_null<Json>(m.for_);
    j["from"] = text_or_null<Json>(m.from);
    j["subject"] = text_or_null<Json>(m.subject);
    j["paragraphs"] = m.paragraphs;
    j["bullets"] = std::move(bullets);
    return j;
}

template <class Json>
void write_event_json(const replay_event& e, Json& j) {
    j["kind"] = std::string{to_string(e.kind)};
    j["utc"] = sim::format_sim_time(e.at);
    j["utc_ms"] = epoch_ms(e.at);
    put_if(j, "cable", e.cable);
    put_if(j, "station", e.station);
    put_if(j, "stage", std::string{to_string(e.stage)});
    put_if(j, "text", e.text);
    put_if(j, "circuit", e.circuit);
    put_if(j, "from", e.from);
    put_if(j, "to", e.to);
    switch (e.kind) {
        case replay_event_kind::punched:
            j["index"] = e.index;
            j["code"] = code_json<Json>(e.sent);
            break;
        case replay_event_kind::line:
        case replay_event_kind::printed:
            j["index"] = e.index;
            j["code"] = code_json<Json>(e.sent);
            j["on_line"] = code_json<Json>(e.on_line);
            j["received"] = code_json<Json>(e.delivered);
            break;
        case replay_event_kind::memo:
            if (e.memo) {
                j["memo"] = memo_json<Json>(*e.memo);
                j["left_out"] = e.left_out;
            }
            break;
        case replay_event_kind::stage:
        case replay_event_kind::interrupted:
        case replay_event_kind::logged:
        case replay_event_kind::note:
            break;
    }
}

nlohmann::ordered_json event_json(const replay_event& e) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    write_event_json(e, j);
    return j;
}

template void write_event_json<nlohmann::json>(const replay_event&, nlohmann::json&);
template void write_event_json<nlohmann::ordered_json>(const replay_event&,
                                                       nlohmann::ordered_json&);
template nlohmann::json memo_json<nlohmann::json>(const protocol::memo&);
template nlohmann::ordered_json memo_json<nlohmann::ordered_json>(const protocol::memo&);

}  // namespace hakto::terminals
