#pragma once
// 5-level codes to what the receiving printer does, and to text.
//
// The receiver starts in LETTERS, the case assumed after a reset (protocol facts §2.2). With
// USOS (unshift on space) a SPACE returns it to LETTERS, so figures after a space from a sender
// that did not shift again print as letters: "123 456" sent FIGS 1 2 3 SP 4 5 6 prints
// "123 RTY" (protocol facts §2.2, §2.6).
//
// Only the five low bits of a code are read: `feed` and `decode` take a value above 0x1F as
// `value & 0x1F`. `decode_checked` instead rejects such values, with their index.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"

namespace hakto::protocol {

struct decode_options {
    code_set set = code_set::us_tty;
    bool usos = false;  ///< a SPACE returns the receiver to LETTERS
};

/// A receiver fed one code at a time.
class teletype_decoder {
  public:
    explicit teletype_decoder(decode_options options = {});

    /// What the printer does with `c` in the current case: print a character, or a function
    /// (CR, LF, SP, BELL, WRU, NUL, or an unassigned figure). For FIGS and LTRS the result is
    /// the shift function, which prints nothing.
    code_meaning feed(code c) noexcept;

    [[nodiscard]] shift current_shift() const noexcept { return shift_; }
    /// Back to LETTERS.
    void reset() noexcept { shift_ = shift::letters; }
    [[nodiscard]] const decode_options& options() const noexcept { return options_; }

  private:
    decode_options options_;
    shift shift_ = shift::letters;
};

/// The codes as UTF-8 text: printed characters as themselves, SP as ' ', CR as '\r', LF as '\n',
/// BELL as '\a', WRU as '\x05', an unassigned figure as U+FFFD; NUL and the shifts give nothing.
/// Values above 0x1F are masked to their five low bits.
std::string decode(std::span<const code> codes, const decode_options& options = {});

/// A value that is not a 5-level code.
struct invalid_code {
    std::size_t index = 0;
    std::uint8_t value = 0;
    friend bool operator==(const invalid_code&, const invalid_code&) = default;
};

struct decode_error {
    std::vector<invalid_code> codes;  ///< every value above 0x1F, in order
    /// e.g. "2 values are not 5-level codes: 0x20 at index 3, 0xFF at index 7"
    std::string message() const;
};

/// As `decode`, but fails if any value is above 0x1F.
expected<std::string, decode_error> decode_checked(std::span<const code> codes,
                                                   const decode_options& options = {});

}  // namespace hakto::protocol
