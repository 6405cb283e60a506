#pragma once
// A visitor's reply: the text typed on the White House keyboard, drafted as the next TOHAK from
// WTE to WTE10 (Haig to Kissinger), to be filed into the running network at the simulated time
// of the moment.
#include <string>
#include <string_view>

#include "protocol/cable/precedence.hpp"
#include "protocol/text/expected.hpp"
#include "sim/clock.hpp"
#include "sim/scenario.hpp"
#include "terminals/exhibit/exhibit_controls.hpp"

namespace hakto::terminals::exhibit {

/// Longest reply kept (characters after cleaning; the rest is cut).
inline constexpr std::size_t max_reply_chars = 400;

/// What the keyboard can send of `text`: letters (upper case), figures, common signs; newlines
/// and tabs as spaces; trimmed, at most max_reply_chars. Empty when nothing is left.
std::string keyboard_text(std::string_view text);

/// The reply (`text` from keyboard_text) as the next TOHAK of `running` (counting its cables and
/// the replies already filed in it), filed at `at` with precedence `prec`.
expected<sim::cable_spec, control_error> draft_reply(const std::string& text,
                                                     protocol::precedence prec,
                                                     const sim::scenario& running,
                                                     sim::sim_time at);

}  // namespace hakto::terminals::exhibit
