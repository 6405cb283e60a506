#pragma once
// The page copy as the bytes a teleprinter gets (pure: no device, no clock).
//
// Baudot mode: one 5-bit code a byte, from the stateful protocol encoder, so the shifts carry
// across print() calls exactly as if the text had been encoded whole (protocol facts §2.2);
// characters the code set lacks are substituted (the encoder's lenient policy) and reported.
// ASCII mode (ASR-33 class): upper case, '\n' -> CR LF, a lone '\r' -> CR, and after every CR
// the NUL fill characters that give the carriage the time to return (cr_delay / the character
// time, rounded up, at least one: 200 ms at 110 baud is 2 NULs).
//
// Also the "line it was on": the bytes written to the machine since its last line feed, with the
// shift it was in when the line began, so that after a reopening that line (and only that line)
// is printed again after a repeat mark.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/teleprinter/teleprinter_settings.hpp"

namespace hakto::terminals {

using byte_string = std::basic_string<std::uint8_t>;

/// The mark printed before a repeated line: the operator's "RPT" (ACP 126 repeat).
inline constexpr std::string_view repeat_mark = "RPT ";

struct output_config {
    teleprinter_settings settings;
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
    std::chrono::milliseconds cr_delay{200};
};

struct output_bytes {
    byte_string bytes;
    /// One entry a character that could not be printed as it is, e.g. "U+00E9 'é' at 1:5 as 'E'".
    std::vector<std::string> substitutions;
};

/// Text -> the machine's bytes; keeps the shift state (Baudot) and the CR seen last (ASCII)
/// between calls. Copyable, so a caller can try a piece and keep the old state if it refuses it.
class teleprinter_output {
  public:
    explicit teleprinter_output(output_config config);

    /// The bytes for the next piece of page copy (UTF-8). Never fails: what cannot be printed
    /// is substituted and listed. In Baudot mode, shift-neutral characters at the very start of
    /// the stream (which the encoder would hold back for the first shift) are sent at once,
    /// after LTRS.
    output_bytes text(std::string_view utf8);
    /// Raw 5-bit codes (Baudot): the codes, masked to five bits. The encoder's idea of the
    /// machine's shift is forgotten, so the next text() starts with a shift again.
    byte_string codes(std::span<const protocol::code> codes);

    /// The NUL fill characters sent after CR in ASCII mode.
    [[nodiscard]] std::size_t cr_fill() const noexcept { return cr_fill_; }
    /// CR (fill) LF as this mode sends it, then "RPT " (Baudot: LTRS R P T SP).
    [[nodiscard]] byte_string repeat_prefix() const;
    [[nodiscard]] const output_config& config() const noexcept { return config_; }

  private:
    output_config config_;
    protocol::teletype_encoder encoder_;
    bool encoder_started_ = false;  // codes have come out of the encoder since its last reset
    bool last_was_cr_ = false;      // ASCII: the piece before ended in CR
    std::size_t cr_fill_ = 1;
};

/// What the machine has printed of the line it is on.
class printed_line {
  public:
    explicit printed_line(const output_config& config);

    /// Bytes that reached the machine.
    void written(std::span<const std::uint8_t> bytes);
    /// The line's bytes since its line feed (CR and fill included), as written.
    [[nodiscard]] const byte_string& bytes() const noexcept { return line_; }
    [[nodiscard]] bool empty() const noexcept { return line_.empty(); }
    /// Baudot: the shift the written codes left the machine in.
    [[nodiscard]] protocol::shift current_shift() const noexcept {
        return decoder_.current_shift();
    }
    /// What prints the line again on a fresh line after a reopening.
    struct repeat {
        byte_string mark;  ///< the repeat prefix, then FIGS if the line began in figures
        byte_string line;  ///< the line's bytes as they were written
    };
    /// The repeat of the line (both parts empty when the line is empty). The line is forgotten:
    /// the mark is not recorded (the caller does not pass it to `written`), the line's bytes are
    /// recorded again as they are written.
    [[nodiscard]] repeat take_repeat(const teleprinter_output& output);

  private:
    output_config config_;
    protocol::teletype_decoder decoder_;  // Baudot: the machine's shift as the codes left it
    protocol::shift line_shift_ = protocol::shift::letters;
    byte_string line_;
};

}  // namespace hakto::terminals
