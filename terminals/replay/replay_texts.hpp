#pragma once
// The cables of a scenario as they go on the line: chosen, in filing order, each with its text
// found (the scenario's own, the bundled document, a FRUS file the user gave, or else the
// header alone, with a caption for visitors: never invented text) and encoded in the line's
// code. The replay and a network station (hakto station) file what this prepares.
#include <optional>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/scenario.hpp"
#include "terminals/frus/frus_import.hpp"
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

/// The documents of the FRUS files the user gave, each file read once. A file that cannot be
/// read is a warning naming it.
std::vector<frus_document> read_supplied_texts(const std::vector<std::string>& frus_files,
                                               std::vector<std::string>& warnings);

struct found_text {
    std::string text;
    std::string source;  ///< "bundled (FRUS E-13 doc 143)", "frus1969-76ve13.xml doc d140"
};

/// The cable's text when it is at hand: the scenario's own, bundled, or in `supplied`.
std::optional<found_text> find_text(const sim::cable_spec& spec,
                                    const std::vector<frus_document>& supplied);

/// What a visitor reads where the text of a cable is not at hand: where it is published and
/// why it is not shown. Written for visitors: no option, file or command names.
std::string absent_text_caption(const sim::cable_spec& spec);

/// One cable's page copy and line codes: from `text` when given, else from its header alone
/// (the caption then says why).
expected<replay_cable, replay_error> make_replay_cable(const sim::cable_spec& spec,
                                                       std::optional<std::string> text,
                                                       std::string source_description,
                                                       protocol::code_set code, bool usos);

}  // namespace hakto::terminals
