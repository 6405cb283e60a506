#pragma once
// The cables of a scenario as they go on the line: chosen, in filing order, each with its text
// found (the scenario's own, the bundled document, a FRUS file the user gave, or else the
// header with one marked line: never invented text) and encoded in the line's code. The replay
// and a network station (hakto station) file what this prepares.
#include <optional>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/scenario.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {

struct scenario_cables {
    /// The scenario, its circuits set to the options' code, and their noise to its seed.
    sim::scenario scenario;
    std::vector<replay_cable> cables;  ///< in filing order; no delivery, memo yet
};

/// Loads `options.scenario` (or `scenario_object`), chooses `options.cables` and finds and
/// encodes their texts. A FRUS file that cannot be read, or a text not supplied, is a warning.
expected<scenario_cables, replay_error> prepare_cables(const replay_options& options,
                                                       std::vector<std::string>& warnings);

/// One cable's page copy and line codes: from `text` when given, else from its header and the
/// marked line.
expected<replay_cable, replay_error> make_replay_cable(const sim::cable_spec& spec,
                                                       std::optional<std::string> text,
                                                       std::string source_description,
                                                       protocol::code_set code, bool usos);

}  // namespace hakto::terminals
