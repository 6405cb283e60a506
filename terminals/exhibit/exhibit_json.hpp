#pragma once
// The exhibit's JSON: the messages the show sends to every screen (docs/exhibit.md, "Messages").
// The replay's events are written by terminals/replay's write_event_json; this adds what only
// the exhibit sends: the glyph a code prints, a cable's page copy and its notes, the snapshot a
// new screen draws from, the state line, the frames.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/teletype/teletype_decoder.hpp"
#include "sim/pacing.hpp"
#include "sim/scenario.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals::exhibit {

using json = nlohmann::json;

/// Compact JSON; text that is not UTF-8 is replaced rather than refused.
std::string dump(const json& j);

/// What a code puts on the page, as UTF-8 (empty for shifts and NUL); zero as Ø.
std::string glyph(const protocol::code_meaning& m);

/// Milliseconds since 1970 of a simulated instant (for a page's clock).
std::int64_t epoch_ms(sim::sim_time t);

/// An event as a frame carries it: {"type":"event", …the replay's event fields}.
json event_json(const replay_event& e);

/// The lines of a cable's page copy that have notes, each with its notes (no sources: the page
/// gets those from explain.json).
json walkthrough_json(const replay_cable& c);

/// How far a cable has got in the run: what a screen joining now must draw.
struct cable_progress {
    std::string printed;  ///< the page at the destination so far
    std::size_t punched = 0;
    bool started = false;  ///< its first stage has been seen
    protocol::teletype_decoder printer;
};

/// A cable as a screen draws it; its page copy, page and notes once it has started.
json cable_json(const replay_cable& c, const cable_progress* progress, const json* walkthrough);

/// The state line of every screen.
struct show_state {
    sim::sim_time utc{};
    std::string stage = "waiting";
    std::string cable;
    bool paused = false;
    sim::pacing speed;
    bool noise = false;
    bool crypto = true;
    std::uint64_t run = 0;
    std::string mode = "attract";  ///< attract, visitor
    std::size_t viewers = 0;
};
json state_json(const show_state& s);

/// What the operator page offers and the exhibit's settings.
struct operator_view {
    const std::vector<std::pair<std::string, sim::scenario>>* offered = nullptr;
    std::string scenario;
    std::vector<std::string> cables;
    sim::pacing speed;
    bool noise = false;
    std::int64_t idle_reset = 0;
    bool token_required = false;
    /// The chosen scenario's cables whose texts are not at hand: {cable, FRUS document id}.
    /// Data only: the operator page words what to do about it (the visitors' screens get the
    /// same snapshot and must never show an instruction).
    std::vector<std::pair<std::string, std::string>> missing;
    bool souvenir_print = false;  ///< a souvenir printer is configured (--souvenir-printer)
};
json operator_json(const operator_view& o);

/// Everything a new screen needs to draw the run so far. Without a scenario (no run), only
/// the state and the operator's settings.
struct snapshot_parts {
    json state;
    json operator_settings;
    const sim::scenario* scenario = nullptr;
    json cables = json::array();
    const std::deque<json>* history = nullptr;
    const std::deque<json>* tape = nullptr;
    const std::deque<json>* strips = nullptr;  ///< the last codes on the line: key and cipher
};
std::string snapshot_message(const snapshot_parts& s);

/// {"type":"frame","seq":N,"events":[…]} around events already written, comma-separated.
std::string frame_message(std::uint64_t seq, std::string_view events);
std::string state_message(const show_state& s);
std::string error_message(std::string_view text);
/// {"type":"operator_status","ok":true,"text":"…"}: for the operator's screen alone (how a
/// souvenir print went).
std::string operator_status_message(bool ok, std::string_view text);
std::string end_message(std::uint64_t run);
std::string cable_message(const json& cable);

}  // namespace hakto::terminals::exhibit
