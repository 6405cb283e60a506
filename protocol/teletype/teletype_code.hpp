#pragma once
// The 5-level teleprinter code: US-TTY and ITA2 (CCITT No. 2) tables, and the UTF-8 reading
// and writing that every text <-> code step of the library shares.
//
// A code is five elements written with element 1 as the least significant bit, the element
// sent first on the line (protocol facts §2.1, §2.3). Letters and the control codes are the same
// in both sets; the figures column differs at D F G H J S V Z (protocol facts §2.1).
//
// Every function here reads only the five low bits of a code: a value above 0x1F means the same
// as `value & 0x1F`.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/text/utf8.hpp"

namespace hakto::protocol {

/// One 5-level code, element 1 in bit 0.
using code = std::uint8_t;

/// Which figures column is in use. US-TTY (the US military and Teletype default) is the default.
enum class code_set { us_tty, ita2 };

/// "US-TTY" or "ITA2".
std::string_view code_set_name(code_set set) noexcept;
/// "ustty" (also "us-tty", "us_tty") or "ita2"; empty for anything else.
std::optional<code_set> read_code_set(std::string_view name) noexcept;

/// The codes that mean the same in both shifts and both sets (protocol facts §2.1).
namespace codes {
inline constexpr code nul = 0x00;    ///< blank tape
inline constexpr code lf = 0x02;     ///< line feed
inline constexpr code space = 0x04;  ///< space
inline constexpr code cr = 0x08;     ///< carriage return
inline constexpr code figs = 0x1B;   ///< shift to figures
inline constexpr code ltrs = 0x1F;   ///< shift to letters; all five holes, so it also rubs out tape
inline constexpr code mask = 0x1F;   ///< the five code elements
}  // namespace codes

/// The case the printer is in. LETTERS is the case assumed after a reset (protocol facts §2.2).
enum class shift { letters, figures };

/// "LTRS" or "FIGS".
std::string_view shift_name(shift s) noexcept;

/// What a code does when it reaches the printer, apart from printing a character.
enum class code_function : std::uint8_t {
    print,            ///< prints `code_meaning::character`
    nul,              ///< blank tape: the printer does nothing
    line_feed,        ///< LF
    space,            ///< SP: the carriage advances one column without printing
    carriage_return,  ///< CR
    figures,          ///< FIGS: shift to figures, nothing printed
    letters,          ///< LTRS: shift to letters, nothing printed
    bell,             ///< BELL: the audible signal
    who_are_you,      ///< WRU (ITA2 only): asks the far end for its answer-back
    unassigned,       ///< an ITA2 figures position left for national use
};

/// What a code means in one shift of one code set: a printed character or a function.
struct code_meaning {
    code_function function = code_function::nul;
    char32_t character = 0;  ///< the printed character when function == print; 0 otherwise

    [[nodiscard]] constexpr bool printable() const noexcept {
        return function == code_function::print;
    }
    [[nodiscard]] static constexpr code_meaning printed(char32_t c) noexcept {
        return {code_function::print, c};
    }
    [[nodiscard]] static constexpr code_meaning control(code_function f) noexcept { return {f, 0}; }
    friend constexpr bool operator==(const code_meaning&, const code_meaning&) = default;
};

/// What `c` means in shift `s` of code set `set`.
code_meaning meaning_of(code c, shift s, code_set set = code_set::us_tty) noexcept;

/// Where a character or function sits in the code: the code, and the shift it needs.
struct keyed_code {
    code value = codes::nul;
    std::optional<shift> needs;  ///< nullopt: shift-neutral (SP, CR, LF, NUL and the two shifts)
    friend bool operator==(const keyed_code&, const keyed_code&) = default;
};

/// The code for a character of the table, or nullopt if the set has none. Besides the printed
/// characters of the table: ' ' is SP, '\r' CR, '\n' LF, '\0' NUL, '\a' BELL, and (ITA2 only)
/// '\x05' (ENQ) is WRU. Only the exact table characters are found here: upper-case letters,
/// '0' and not 'Ø'. The encoder applies its character policy before asking.
std::optional<keyed_code> code_for(char32_t character, code_set set = code_set::us_tty) noexcept;

/// The code for a function, or nullopt if the set has none (WRU in US-TTY, `unassigned`, `print`).
std::optional<keyed_code> code_for(code_function function,
                                   code_set set = code_set::us_tty) noexcept;

/// True for FIGS and LTRS.
bool is_shift(code c) noexcept;

/// A short name for what `c` means in shift `s`: the printed character ("A", "3", "'"), or
/// "NUL", "LF", "SP", "CR", "FIGS", "LTRS", "BELL", "WRU", "UNASSIGNED".
std::string_view code_name(code c, shift s, code_set set = code_set::us_tty) noexcept;

/// The name of a function: "NUL", "LF", "SP", "CR", "FIGS", "LTRS", "BELL", "WRU",
/// "UNASSIGNED"; "PRINT" for code_function::print.
std::string_view function_name(code_function f) noexcept;

}  // namespace hakto::protocol
