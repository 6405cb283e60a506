#pragma once
// The delivered-cable file: what a station with --out-dir writes for each cable delivered to it,
// DIR/LABEL.json, and what `hakto replay --net` reads back. Written and read here only.
//
//   { "label": "HAKTO 12", "origin": "WTE10", "addressees": ["WTE"], "precedence": "O",
//     "filed": "1972-06-21T16:15:00.000000000Z", "from": "WHR", "serial": 1, "codes": "1F0A…",
//     "text": "…" }
//
// `codes` are the line codes as printed here, two hex figures each; `text` is what they print,
// LF line ends; `from` and `serial` are the neighbour and channel serial it came on ("" and 0:
// filed here). The file is written whole or not at all (sim::write_file_atomically: a
// temporary file, fsynced, renamed over the name), so a reader never sees half of one.
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "terminals/net/net_store.hpp"

namespace hakto::terminals {

/// The fields of a delivered-cable file.
struct delivered_cable {
    std::string label;
    std::string origin;
    std::vector<std::string> addressees;
    char precedence = 'R';  ///< the prosign letter
    std::string filed;      ///< the filing time, as sim::format_sim_time writes it
    std::string from;       ///< the neighbour it came from; empty: filed here
    std::uint32_t serial = 0;
    std::vector<protocol::code> codes;
    std::string text;
};

enum class delivered_error_kind : std::uint8_t { cannot_read, cannot_write, not_json, bad_field };

struct delivered_error {
    delivered_error_kind kind = delivered_error_kind::cannot_read;
    std::string path;
    std::string detail;
    /// "PATH: cannot open: …", "PATH: not JSON: …", "PATH: field 'codes': …".
    std::string message() const;
};

/// The file name under --out-dir of a delivered cable: its label, letters and figures kept,
/// the rest '_', then ".json".
std::string delivered_file_name(const net_cable& c);

/// The file's text for a cable delivered here; `code` and `usos` decode its text.
std::string delivered_json(const net_cable& c, protocol::code_set code, bool usos);

/// Writes DIR/delivered_file_name(c), creating DIR if need be. Returns the file's path.
expected<std::string, delivered_error> write_delivered(const std::string& dir, const net_cable& c,
                                                       protocol::code_set code, bool usos);

/// Reads a delivered-cable file back.
expected<delivered_cable, delivered_error> read_delivered(const std::string& path);

}  // namespace hakto::terminals
