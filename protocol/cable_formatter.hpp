#pragma once
// Writing a cable as page copy: the abbreviated radioteletype header of the FRUS cables
// (routing line, precedence and DTG, date line, TO/FROM, series) or the full ACP 127 envelope
// (format lines 1–16). Output is text a teletype can carry: lines end in '\n' (the line
// discipline turns them into CR CR LF), digits are plain (no Ø), and nothing is lower case
// except where the cable model holds it (the encoder folds case on the way to the line).
#include <string>

#include "protocol/cable.hpp"

namespace hakto::protocol {

enum class header_style { abbreviated, acp127 };

struct format_options {
    header_style style = header_style::abbreviated;
    /// Wrap text lines at word boundaries so none exceeds this many characters (ACP 126/127
    /// and MARS practice: 69). 0 leaves paragraphs on one line each.
    std::size_t wrap_column = 69;
    /// Reproduce the layout the cable was read with (header order, colons, blank lines,
    /// paragraph numbers on their own lines) and leave out the fields that were inferred from
    /// context rather than printed. Otherwise the canonical layout, every known field printed.
    bool as_received = false;
};

std::string format_cable(const cable& c, const format_options& options = {});

/// The FL4 security warning for a classification: TOP SECRET → "ZNY TTTTT", SECRET →
/// "ZNY SSSSS", CONFIDENTIAL → "ZNY CCCCC", anything unclassified → "ZNR UUUUU" (protocol
/// facts §1.6). Empty when the classification is unknown.
std::string security_warning_for(const std::optional<std::string>& classification);

/// The envelope a cable would carry by tape relay: the cable's own when it has one, else one
/// derived from its routing line and DTG (channel designator from the calling station, serials
/// 1, FL3 filing time from the DTG).
acp127_envelope envelope_for(const cable& c);

/// "O 211615Z JUN 72" (the parts that are known).
std::string format_precedence_dtg(const cable& c, bool with_month_year = true);

}  // namespace hakto::protocol
