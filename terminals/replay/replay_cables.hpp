#pragma once
// `hakto replay FILE...`: cables a user brings, in any form the reader knows (the radioteletype
// header of the FRUS cables, the ACP 127 envelope, a State telegram as archived, the Situation
// Room form, the FRUS printed form, or FRUS TEI XML), replayed from their originator to their
// addressees at their own DTG and precedence. Each cable goes over the scenario's stations
// where its originator and addressees are the scenario's (by call sign or routing indicator, or
// the plain-language address of the White House); otherwise over a route built for it:
// originator, hakto's modelled relay, addressee. A built route is a modelling choice and the
// replay says so.
#include <string>
#include <vector>

#include "protocol/cable/cable.hpp"
#include "protocol/text/expected.hpp"
#include "sim/scenario.hpp"

namespace hakto::terminals {

/// A cable read from a file the user gave.
struct given_cable {
    std::string file;   ///< the path as given
    std::string label;  ///< "TOSEC 596", "PEKING 2221", "HAKTO 12": the replay's name for it
    std::string text;   ///< what is replayed: the file's text (a TEI document's published text)
    protocol::document doc;   ///< as read
    std::string description;  ///< "1975PEKING02221.txt (state telegram)"
};

struct given_cable_error {
    std::string message;  ///< names the file and the reason
};

/// Reads each file: text in any form the reader knows, or FRUS TEI XML (each backchannel
/// document of it). A file that cannot be read, or that holds no cable, is an error naming it.
expected<std::vector<given_cable>, given_cable_error> read_given_cables(
    const std::vector<std::string>& files);

/// The scenario that carries the given cables: `base`'s stations and circuits, its own cables
/// left out, and for each given cable a cable_spec (label, originator, addressees, precedence,
/// filing time, text); stations, hakto's modelled relay and circuits are added where the
/// cable's ends are not the scenario's. `notes` says, for each cable, how it was placed and
/// every modelling choice made for it.
expected<sim::scenario, given_cable_error> scenario_for_cables(
    sim::scenario base, const std::vector<given_cable>& cables, std::vector<std::string>& notes);

}  // namespace hakto::terminals
