#pragma once
// Line discipline of the page copy: line length, line ends, LTRS fill.
//
// - Text lines are at most 69 characters (MARS RTTY rule, taken as the ACP 126/127 text limit;
//   the printer itself has 72 columns). Protocol facts §1.9.
// - Each line ends CR CR LF: the second CR gives the carriage time to return and covers a CR
//   lost to noise. Protocol facts §1.9.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"

namespace hakto::protocol {

/// The longest text line of the page copy (protocol facts §1.9).
inline constexpr std::size_t page_copy_line_length = 69;

/// Wraps each '\n'-separated line at spaces so that no line is longer than `column` characters
/// (counted in characters, not bytes; each ill-formed UTF-8 subpart counts as one and is kept
/// as it is). Only ' ' is a break point. A word longer than `column` is broken hard; a shorter
/// one is never split. The spaces at a break are dropped, as are an indent that cannot share a
/// line with the word after it and spaces at the end of a wrapped line. Lines already short
/// enough are left exactly as they are. A `column` of 0 is taken as 1.
std::string wrap_text(std::string_view text, std::size_t column = page_copy_line_length);

/// Ends each line CR CR LF: every '\n' (with any CRs just before it) becomes "\r\r\n".
/// Applying it twice gives the same text as applying it once.
std::string to_page_copy_line_ends(std::string_view text);

/// The inverse: a run of CRs followed by LF ("\r\r\n", "\r\n", "\n") becomes '\n'. A CR not
/// followed by LF is kept.
std::string from_page_copy_line_ends(std::string_view text);

/// `n` LTRS codes: blank-ish tape that any receiver ignores (and that rubs out on tape).
std::vector<code> ltrs_fill(std::size_t n);

}  // namespace hakto::protocol
