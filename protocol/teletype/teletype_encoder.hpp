#pragma once
// Text to 5-level codes: the sender's keyboard, with its shift keeping and character policy.
//
// Shifts (protocol facts §2.2, "what a faithful simulator must model" 2):
// - FIGS or LTRS is sent only when the case changes.
// - One shift always goes before the first character of a stream: the case of the first
//   case-bearing character, or LTRS if the stream has none.
// - USOS (unshift on space): after a SPACE sent in figures, the far end may have fallen back to
//   LETTERS (a USOS receiver) or may not (a non-USOS receiver). The sender treats the case as
//   unknown and shifts again before the next case-bearing character: "123 456" is
//   FIGS 1 2 3 SP FIGS 4 5 6, and "123 ABC" is FIGS 1 2 3 SP LTRS A B C. So a USOS stream prints
//   correctly on both kinds of receiver.
//
// Character policy. Applied silently (never reported, because nothing visible is lost):
// - lower case -> upper case ("a" -> "A");
// - Ø and ø -> the digit 0 (FIGS + 0x16; teleprinters print that zero as Ø, protocol facts §1.11);
// - typographic quotes and primes ‘ ’ ‚ ‛ “ ” „ ′ ″ -> the apostrophe ';
// - '\r' -> CR, '\n' -> LF, '\a' -> BELL (figures S in US-TTY, figures J in ITA2),
//   '\x05' (ENQ) -> WRU (ITA2 only), '\0' -> NUL.
// Everything else the chosen code set lacks is "unencodable". The code sets lack, among others,
// '+' and '=' (US-TTY), '"' '$' '!' '#' '&' ';' (ITA2), and '%' '*' '@' '<' '>' '[' ']' '_' tab
// and every other non-table character (both).
// - strict (the default): the whole call fails with an encode_error that lists every
//   unencodable character (byte offset, line:column, character), not just the first. Invalid
//   UTF-8 is listed too, as U+FFFD, one per ill-formed subpart.
// - lenient (strict = false): each unencodable character is replaced by something visible and
//   the replacement is recorded in `encoded::substitutions`:
//     letters with diacritics -> the base letter (É -> E, ü -> U, Ł -> L, ß -> SS, Æ -> AE,
//       Œ -> OE, Þ -> TH); a combining diacritical mark (U+0300..U+036F) -> nothing, since the
//       base letter before it is already sent;
//     ½ ¼ ¾ -> "1/2" "1/4" "3/4";
//     hyphen, non-breaking hyphen, figure dash, en dash, em dash and minus (U+2010..U+2014,
//       U+2212) and the bullet • -> "-";
//     ellipsis … -> "...";
//     no-break space U+00A0 -> " ";
//     '"' in ITA2 -> "'";
//     anything else, invalid UTF-8 included -> "?".
// Nothing is ever silently dropped: every character is encoded, or substituted and recorded, or
// reported.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/diagnostic.hpp"
#include "protocol/text/expected.hpp"

namespace hakto::protocol {

struct encode_options {
    code_set set = code_set::us_tty;
    bool usos = false;   ///< shift again after a space sent in figures (see above)
    bool strict = true;  ///< fail on unencodable characters instead of substituting
};

/// A lenient-mode replacement. `offset` is the byte offset of the character in the input (in
/// the whole stream, for a stateful encoder); `where` is its line and column in characters.
struct substitution {
    std::size_t offset = 0;
    source_position where;
    char32_t original = 0;    ///< U+FFFD for invalid UTF-8
    std::string replacement;  ///< UTF-8, made only of characters the code set has; may be empty
    friend bool operator==(const substitution&, const substitution&) = default;
};

struct encoded {
    std::vector<code> codes;
    std::vector<substitution> substitutions;
};

/// A character the code set cannot send (strict mode). Invalid UTF-8 appears as U+FFFD.
struct unencodable {
    std::size_t offset = 0;  ///< byte offset of the character in the input (stream)
    source_position where;
    char32_t character = 0;
    friend bool operator==(const unencodable&, const unencodable&) = default;
};

struct encode_error {
    std::vector<unencodable> characters;  ///< every one of them, in input order
    /// e.g. "2 characters cannot be encoded: U+00E9 'é' at 1:5 (byte 4), U+FFFD at 2:1 (byte 9)"
    std::string message() const;
};

/// A sender that keeps its shift state between pieces of one stream, so that encoding a text in
/// pieces (then `finish()`) gives exactly the codes of encoding it whole. Offsets and positions
/// in results count from the start of the stream (the last reset). Two things are held back to
/// that end: a UTF-8 sequence split between two pieces (read with the next piece; `finish()`
/// reports one left over), and shift-neutral characters (SP, CR, LF, NUL) at the very start of
/// the stream, which wait for the first character with a case to decide the first shift (or for
/// `finish()`, which sends them after LTRS).
///
/// A call that fails leaves the encoder as it was before the call.
class teletype_encoder {
  public:
    explicit teletype_encoder(encode_options options = {});

    /// Encodes the next piece of the stream.
    expected<encoded, encode_error> encode(std::string_view utf8_piece);
    /// Ends the stream: a UTF-8 sequence cut off at the end is reported (strict) or replaced by
    /// "?" (lenient). The encoder is reset afterwards, whether or not this succeeds.
    expected<encoded, encode_error> finish();
    /// Forgets the shift state and the stream position.
    void reset();

    /// The case the sender believes the far end is in; nullopt before the first shift and after a
    /// USOS space sent in figures.
    [[nodiscard]] std::optional<shift> assumed_shift() const noexcept { return shift_; }
    [[nodiscard]] const encode_options& options() const noexcept { return options_; }

  private:
    expected<encoded, encode_error> encode_piece(std::string_view utf8_piece, bool end_of_stream);

    encode_options options_;
    std::optional<shift> shift_;
    bool started_ = false;    // the first shift has been sent
    std::size_t offset_ = 0;  // bytes of the stream read so far
    source_position position_{1, 1};
    std::string held_back_;      // start of a UTF-8 sequence cut by the end of a piece
    std::vector<code> waiting_;  // shift-neutral codes before the first shift

    friend expected<encoded, encode_error> encode(std::string_view, const encode_options&);
};

/// Encodes a whole text as one stream.
expected<encoded, encode_error> encode(std::string_view utf8, const encode_options& options = {});

}  // namespace hakto::protocol
