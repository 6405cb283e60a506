#pragma once
// The controls screens send (docs/exhibit.md, "Screens to server"), read and checked before any
// takes effect: a visitor's {"type":"start"|"pause"|"resume"|"step"|"ping"},
// {"type":"speed","value":"20x"}, {"type":"noise","on":true},
// {"type":"reply","text":"…","precedence":"O"}, and the operator's {"type":"operator", …}.
// Operator controls are taken only from a loopback peer, or, when an operator token is set,
// from any peer that gives it. Nothing here changes the show: it applies what these return.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/text/expected.hpp"
#include "sim/pacing.hpp"
#include "sim/scenario.hpp"

namespace hakto::terminals::exhibit {

/// Why a control was refused; message() is what the screen is told.
struct control_error {
    enum class kind_t {
        not_a_control,    ///< not a JSON object with a "type"
        unknown_control,  ///< a "type" the exhibit does not know
        bad_field,        ///< a field missing or of the wrong kind or value
        not_permitted,    ///< an operator control without the token, or not from this machine
        not_now,          ///< not in this state of the show (step while running, …)
        not_filed,        ///< the running replay did not take the visitor's reply
        failed,           ///< applying the control failed
    } kind = kind_t::bad_field;
    std::string text;
    const std::string& message() const noexcept { return text; }
};

enum class control_kind {
    ping,
    start,
    pause,
    resume,
    step,
    speed,
    noise,
    reply,
    operator_settings,
    unknown,
};

/// A screen's message read as a control: its kind, its "type" as sent, its fields.
struct control_message {
    control_kind kind = control_kind::unknown;
    std::string type;
    nlohmann::json fields;
};

/// Reads a JSON object with a "type". An unknown type is a control of kind `unknown`, refused
/// by unknown_control() once the show has seen it (a touch all the same).
expected<control_message, control_error> read_control(std::string_view text);
control_error unknown_control(const control_message& c);

/// {"value":"20x"}: the speed a visitor asks for.
expected<sim::pacing, control_error> read_speed_control(const nlohmann::json& fields);
/// {"on":true}
expected<bool, control_error> read_noise_control(const nlohmann::json& fields);

/// A visitor's reply as sent: the text (not yet cleaned) and its precedence (O when not given).
struct reply_request {
    std::string text;
    protocol::precedence prec = protocol::precedence::immediate;
};
expected<reply_request, control_error> read_reply_control(const nlohmann::json& fields);

/// The scenarios the operator may choose from, by name (never a path sent over the network).
using offered_scenarios = std::vector<std::pair<std::string, sim::scenario>>;

/// What an operator control is checked against: the choices, the settings it changes when a
/// field is left out, and the token (if any).
struct operator_rules {
    const offered_scenarios* offered = nullptr;
    const sim::scenario* scenario = nullptr;  ///< the scenario of the attract loop now
    sim::pacing speed;
    bool noise = false;
    std::chrono::seconds idle_reset{0};
    const std::optional<std::string>* token = nullptr;
};

/// An operator control, every field checked: the attract loop's new settings.
struct operator_settings {
    const sim::scenario* scenario = nullptr;  ///< one of operator_rules' (offered or current)
    std::vector<std::string> cables;          ///< empty: every cable of the scenario
    sim::pacing speed;
    bool noise = false;
    std::chrono::seconds idle_reset{0};
};

/// Checks the token, or with no token set that the peer is on loopback, then every field.
expected<operator_settings, control_error> read_operator_control(const nlohmann::json& fields,
                                                                 const operator_rules& rules,
                                                                 bool from_loopback);

/// An operator command, {"type":"operator","command":"print_souvenir","cable":"HAKTO 12"}: an
/// action, not a change of settings. `cable` empty: the cable shown.
struct operator_command {
    enum class kind_t { print_souvenir } kind = kind_t::print_souvenir;
    std::string cable;
};
/// True when an operator control carries a "command" (and so is read by
/// read_operator_command instead of read_operator_control).
bool is_operator_command(const nlohmann::json& fields);
/// Checks the token (or the loopback rule) as read_operator_control does, then the command.
expected<operator_command, control_error> read_operator_command(const nlohmann::json& fields,
                                                                const operator_rules& rules,
                                                                bool from_loopback);

/// The token compared in time independent of where the two differ.
bool same_token(std::string_view given, std::string_view wanted) noexcept;

}  // namespace hakto::terminals::exhibit
