#pragma once
// A picture of 5-level perforated tape that a person can read, and that reads back.
//
// Tape runs down the page, one row per code. Across a row, left to right: channels 1 and 2, the
// small feed (sprocket) hole, channels 3, 4 and 5 (protocol facts §2.5). A hole is a mark, i.e.
// a 1 element (§2.3); channel n is element n, bit n-1 of the code. Rows are 0.1 inch apart:
// 10 characters per inch (§2.5, "what a faithful simulator must model" 16).
//
//     |oo.   | 03  A        ascii:   o hole   . feed hole   (space) no hole
//     |●●·   | 03  A        unicode: ● hole   · feed hole   (space) no hole
//
// The annotation after the row is the code in hex and what it means in the case the receiver is
// in at that row (shifts tracked through the stream, with the code set and USOS setting given).
// LTRS, all five holes, is also how an operator rubs out a wrong character on tape.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/diagnostic.hpp"
#include "protocol/text/expected.hpp"

namespace hakto::protocol {

/// Code holes are on 0.1-inch centres (protocol facts §2.5).
inline constexpr double tape_characters_per_inch = 10.0;

/// The length of tape that carries `characters` codes: 1,000 characters are 100 inches.
constexpr double tape_length_inches(std::size_t characters) noexcept {
    return static_cast<double>(characters) / tape_characters_per_inch;
}

struct tape_options {
    code_set set = code_set::us_tty;
    bool usos = false;     ///< for the annotation: a SPACE returns to LETTERS
    bool annotate = true;  ///< add " 03  A" after each row
    bool unicode = false;  ///< ● and · instead of o and .
};

/// One row per code, each ending '\n'. Only the five low bits of a value are punched (and
/// annotated).
std::string render_tape(std::span<const code> codes, const tape_options& options = {});

struct malformed_row {
    source_position where;  ///< the first character that is wrong (or the end of the row)
    std::string reason;
    friend bool operator==(const malformed_row&, const malformed_row&) = default;
};

struct tape_error {
    std::vector<malformed_row> rows;  ///< every malformed row, in order
    /// e.g. "3:4: expected the feed hole ('.' or '·'), found 'x'"; rows joined by "; "
    std::string message() const;
};

/// Reads the holes back. Accepts annotated and bare rows, ascii and unicode glyphs (hole: o O ●;
/// feed hole: . ·; no hole: space), '|' or '│' as the tape edges, spaces or tabs before the
/// row, and '\r\n' line ends. Blank lines and lines whose first non-blank character is '#' are
/// skipped. Whatever follows the closing edge (the annotation) is ignored: the holes are the
/// tape.
expected<std::vector<code>, tape_error> parse_tape(std::string_view picture);

}  // namespace hakto::protocol
