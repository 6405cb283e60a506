#pragma once
// The replay's events as JSON: one schema for the transcript file (hakto replay --transcript)
// and the exhibit's frames (docs/exhibit.md, "Replay events").
//
//   kind      always: to_string(replay_event_kind)
//   utc       always: the simulated time, ISO 8601 to the nanosecond
//             ("1972-06-21T16:15:00.000000000Z")
//   utc_ms    always: the same instant, milliseconds since 1970 (for a page's clock)
//   cable, station, stage, text, circuit, from, to
//             when the event has one; left out when it has none (never "" or null)
//   index, code                      punched, line, printed
//   on_line, received                line, printed
//   codes     two hex digits ("1F"); null when no code went or arrived (a lost character)
//   memo, left_out                   memo: {date (ISO), date_text, for, from, subject: text
//                                    or null; paragraphs; bullets [{text, sources}]}
#include <nlohmann/json.hpp>

#include "protocol/cable/cable.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {

/// Writes the fields of `e` into `j` (an object), in the order above. Instantiated for
/// nlohmann::json and nlohmann::ordered_json.
template <class Json>
void write_event_json(const replay_event& e, Json& j);

/// The event as its own object, keys in the schema's order.
nlohmann::ordered_json event_json(const replay_event& e);

/// A covering memorandum: {date, date_text, for, from, subject, paragraphs, bullets}.
template <class Json>
Json memo_json(const protocol::memo& m);

}  // namespace hakto::terminals
