#include "terminals/exhibit/exhibit_health.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace hakto::terminals::exhibit {

namespace {

/// Seconds, to the millisecond.
double to_seconds(sim::wall_duration d) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    return static_cast<double>(ms) / 1000.0;
}

std::string health_text(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

health_answer health_reply(const show_health& h, std::size_t viewers, std::string_view version) {
    nlohmann::json j{
        {"status", h.stalled ? "stalled" : "ok"},
        {"show", h.show},
        {"cable", h.cable.empty() ? nlohmann::json(nullptr) : nlohmann::json(h.cable)},
        {"stage", h.stage},
        {"mode", h.mode},
        {"speed", h.speed},
        {"noise", h.noise},
        {"run", h.run},
        {"uptime_s", std::chrono::duration_cast<std::chrono::seconds>(h.uptime).count()},
        {"viewers", viewers},
        {"last_event_age_s", to_seconds(h.since_last_event)},
        {"version", version}};
    if (h.stalled) j["reason"] = *h.stalled;
    return {!h.stalled, health_text(j)};
}

health_answer stopping_reply(std::size_t viewers, std::string_view version) {
    nlohmann::json j{{"status", "stopping"},
                     {"show", "stopping"},
                     {"cable", nullptr},
                     {"stage", ""},
                     {"mode", ""},
                     {"speed", ""},
                     {"noise", false},
                     {"run", 0},
                     {"uptime_s", 0},
                     {"viewers", viewers},
                     {"last_event_age_s", 0},
                     {"version", version},
                     {"reason", "the exhibit is closing"}};
    return {false, health_text(j)};
}

}  // namespace hakto::terminals::exhibit
