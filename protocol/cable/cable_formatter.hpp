#pragma once
// Writing a cable as page copy, each form in its own style: the abbreviated radioteletype header
// of the FRUS cables (routing line, precedence and DTG, date line, TO/FROM, series), the full
// ACP 127 envelope (format lines 1–16), the State Department telegram (with the archive's page
// line and distribution above it, or as transmitted), the White House Situation Room form, and
// the FRUS printed form (the series run into the text). Output is text a teletype can carry:
// lines end in '\n' (the line discipline turns them into CR CR LF), digits are plain (no Ø),
// and nothing is lower case except where the cable model holds it (the encoder folds case on
// the way to the line). What the reader takes from the written copy is what the cable holds:
// parse_document(format_cable(c)) gives back every field.
#include <string>

#include "protocol/cable/cable.hpp"

namespace hakto::protocol {

enum class header_style {
    as_read,         ///< the style of the cable's own form (cable::form)
    abbreviated,     ///< the radioteletype header of the FRUS E-13 cables
    acp127,          ///< the full ACP 127 envelope
    state_telegram,  ///< a State Department telegram
    situation_room,  ///< the White House Situation Room form
    frus_printed,    ///< FRUS as printed: the series runs into the text
};

struct format_options {
    header_style style = header_style::as_read;
    /// Wrap text lines at word boundaries so none exceeds this many characters (ACP 126/127
    /// and MARS practice: 69). 0 leaves paragraphs on one line each.
    std::size_t wrap_column = 69;
    /// Reproduce the layout the cable was read with (header order, colons, blank lines,
    /// paragraph numbers on their own lines) and leave out the fields that were inferred from
    /// context rather than printed. Otherwise the canonical layout, every known field printed.
    bool as_received = false;
    /// State telegrams: the archive's lines above the telegram (marking, page line, number,
    /// distribution, drafter and clearances, separator). Off: the telegram as it was sent.
    bool archive_head = true;
};

std::string format_cable(const cable& c, const format_options& options = {});

/// A published document back as text: its title, the cable, "[Covering memorandum]" and the
/// memo, the source notes. Reading it again gives the fields the title supplies.
std::string format_document(const document& doc, const format_options& options = {});

/// The FL4 security warning for a classification: TOP SECRET → "ZNY TTTTT", SECRET →
/// "ZNY SSSSS", CONFIDENTIAL → "ZNY CCCCC", anything unclassified → "ZNR UUUUU" (protocol
/// facts §1.6). Empty when the classification is unknown.
std::string security_warning_for(const std::optional<std::string>& classification);

/// The envelope a cable would carry by tape relay: the cable's own when it has one, else one
/// derived from its routing line and DTG (channel designator from the calling station, serials
/// 1, FL3 filing time from the DTG).
acp127_envelope envelope_for(const cable& c);

/// "O 211615Z JUN 72", "Z O 161554Z MAR 76 ZFF6" (the parts that are known).
std::string format_precedence_dtg(const cable& c, bool with_month_year = true);

/// The style a cable's form is written in.
header_style style_of(cable_form f);

}  // namespace hakto::protocol
