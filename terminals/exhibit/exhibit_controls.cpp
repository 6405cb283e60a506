#include "terminals/exhibit/exhibit_controls.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

namespace hakto::terminals::exhibit {

using json = nlohmann::json;

namespace {

control_error bad_field(std::string text) {
    return control_error{control_error::kind_t::bad_field, std::move(text)};
}

control_kind kind_of(std::string_view type) {
    if (type == "ping") return control_kind::ping;
    if (type == "start") return control_kind::start;
    if (type == "pause") return control_kind::pause;
    if (type == "resume") return control_kind::resume;
    if (type == "step") return control_kind::step;
    if (type == "speed") return control_kind::speed;
    if (type == "noise") return control_kind::noise;
    if (type == "reply") return control_kind::reply;
    if (type == "operator") return control_kind::operator_settings;
    return control_kind::unknown;
}

/// The token, or with none set the loopback rule.
expected<void, control_error> check_operator(const json& j, const operator_rules& rules,
                                             bool from_loopback) {
    if (rules.token && *rules.token) {
        const auto given = j.contains("token") && j["token"].is_string()
                               ? j["token"].get<std::string>()
                               : std::string{};
        if (!same_token(given, **rules.token))
            return control_error{control_error::kind_t::not_permitted,
                                 "operator controls need the operator token"};
        return outcome::success();
    }
    if (!from_loopback)
        return control_error{control_error::kind_t::not_permitted,
                             "operator controls are taken from this machine only (or start the "
                             "exhibit with --operator-token)"};
    return outcome::success();
}

}  // namespace

expected<control_message, control_error> read_control(std::string_view text) {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string())
        return control_error{control_error::kind_t::not_a_control,
                             "a control is a JSON object with a \"type\""};
    control_message c;
    c.type = j["type"].get<std::string>();
    c.kind = kind_of(c.type);
    c.fields = std::move(j);
    return c;
}

control_error unknown_control(const control_message& c) {
    return control_error{control_error::kind_t::unknown_control,
                         fmt::format("unknown control '{}'", c.type.substr(0, 32))};
}

expected<sim::pacing, control_error> read_speed_control(const json& fields) {
    if (!fields.contains("value") || !fields["value"].is_string())
        return bad_field("speed needs a \"value\" such as \"20x\"");
    auto p = sim::read_speed(fields["value"].get<std::string>());
    if (!p) return bad_field("speed " + p.error().message());
    return p.value();
}

expected<bool, control_error> read_noise_control(const json& fields) {
    if (!fields.contains("on") || !fields["on"].is_boolean())
        return bad_field("noise needs \"on\": true or false");
    return fields["on"].get<bool>();
}

expected<reply_request, control_error> read_reply_control(const json& fields) {
    if (!fields.contains("text") || !fields["text"].is_string())
        return bad_field("reply needs a \"text\"");
    reply_request r;
    r.text = fields["text"].get<std::string>();
    if (fields.contains("precedence")) {
        auto letter = fields["precedence"].is_string() ? fields["precedence"].get<std::string>()
                                                       : std::string{};
        auto p = letter.size() == 1 ? protocol::precedence_from_letter(letter[0]) : std::nullopt;
        if (!p) return bad_field("precedence is one letter: Z, O, P or R");
        r.prec = *p;
    }
    return r;
}

expected<operator_settings, control_error> read_operator_control(const json& j,
                                                                 const operator_rules& rules,
                                                                 bool from_loopback) {
    if (auto allowed = check_operator(j, rules, from_loopback); !allowed) return allowed.error();
    operator_settings s;
    s.scenario = rules.scenario;
    if (j.contains("scenario")) {
        if (!j["scenario"].is_string()) return bad_field("scenario is a name");
        auto name = j["scenario"].get<std::string>();
        const auto* offered = rules.offered;
        auto it = offered ? std::find_if(offered->begin(), offered->end(),
                                         [&](const auto& o) { return o.first == name; })
                          : offered_scenarios::const_iterator{};
        if (!offered || it == offered->end())
            return bad_field(fmt::format("no scenario '{}' here", name.substr(0, 64)));
        s.scenario = &it->second;
    }
    if (!s.scenario) return bad_field("no scenario");
    if (j.contains("cables")) {
        if (!j["cables"].is_array()) return bad_field("cables is a list of cable names");
        for (const auto& c : j["cables"]) {
            if (!c.is_string()) return bad_field("cables is a list of cable names");
            auto id = c.get<std::string>();
            const auto& known = s.scenario->cables;
            if (std::none_of(known.begin(), known.end(), [&](const auto& k) { return k.id == id; }))
                return bad_field(fmt::format("scenario '{}' has no cable '{}'", s.scenario->name,
                                             id.substr(0, 64)));
            s.cables.push_back(std::move(id));
        }
    }
    s.speed = rules.speed;
    if (j.contains("speed")) {
        if (!j["speed"].is_string()) return bad_field("speed is a text such as \"20x\"");
        auto p = sim::read_speed(j["speed"].get<std::string>());
        if (!p) return bad_field("speed " + p.error().message());
        s.speed = p.value();
    }
    s.noise = rules.noise;
    if (j.contains("noise")) {
        if (!j["noise"].is_boolean()) return bad_field("noise is true or false");
        s.noise = j["noise"].get<bool>();
    }
    s.idle_reset = rules.idle_reset;
    if (j.contains("idle_reset")) {
        const auto& v = j["idle_reset"];
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 86400)
            return bad_field("idle_reset is a number of seconds from 0 (never) to 86400");
        s.idle_reset = std::chrono::seconds{v.get<std::int64_t>()};
    }
    return s;
}

bool is_operator_command(const json& fields) {
    return fields.is_object() && fields.contains("command");
}

expected<operator_command, control_error> read_operator_command(const json& j,
                                                                const operator_rules& rules,
                                                                bool from_loopback) {
    if (auto allowed = check_operator(j, rules, from_loopback); !allowed) return allowed.error();
    if (!j["command"].is_string()) return bad_field("command is a name: print_souvenir");
    const auto name = j["command"].get<std::string>();
    if (name != "print_souvenir")
        return bad_field(fmt::format("no operator command '{}'", name.substr(0, 32)));
    operator_command c;
    if (j.contains("cable")) {
        if (!j["cable"].is_string()) return bad_field("cable is a cable's name");
        c.cable = j["cable"].get<std::string>().substr(0, 64);
    }
    return c;
}

bool same_token(std::string_view given, std::string_view wanted) noexcept {
    unsigned diff = given.size() == wanted.size() ? 0u : 1u;
    for (std::size_t i = 0; i < wanted.size(); ++i)
        diff |= static_cast<unsigned char>(wanted[i]) ^
                static_cast<unsigned char>(i < given.size() ? given[i] : 0);
    return diff == 0;
}

}  // namespace hakto::terminals::exhibit
