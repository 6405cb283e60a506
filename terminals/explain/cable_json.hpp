#pragma once
// The JSON form of a parsed document, as `hakto parse --format json` prints it. Unknown values
// are null, never invented.
#include <nlohmann/json.hpp>

#include "protocol/cable/cable.hpp"

namespace hakto::terminals {

nlohmann::ordered_json to_json(const protocol::diagnostic& d);
nlohmann::ordered_json to_json(const protocol::cable& c);
nlohmann::ordered_json to_json(const protocol::memo& m);
/// The cable's keys at the top level (routing, precedence, dtg, series, from, to,
/// classification, paragraphs, signoff), then memo, title, notes, parts and diagnostics.
nlohmann::ordered_json to_json(const protocol::document& doc);

}  // namespace hakto::terminals
