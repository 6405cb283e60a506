#pragma once
// What a teleprinter's serial port is set to: the mode, the rate, the character frame. Pure
// data and arithmetic (no device), so it is tested without one.
//
// A character on a start-stop line is 1 start unit, the data units, a parity unit if any, and
// the stop units: Baudot at 45.45 baud with 1.5 stop units is 7.5 units = 165 ms (60 wpm);
// ASCII at 110 baud, 7 data bits, even parity, 2 stop bits is 11 units = 100 ms (protocol facts
// §2, line timing).
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"

namespace hakto::terminals {

/// Baudot: the 5-bit codes as the line carries them, one code a byte. ASCII: page copy for
/// ASR-33-class machines.
enum class teleprinter_mode { baudot, ascii };
enum class teleprinter_parity { none, even, odd };
/// What ends a cable typed on the keyboard: a line "NNNN" alone, or a blank line then "NNNN".
enum class teleprinter_filing { nnnn, blank_line_nnnn };

/// "baudot" or "ascii"; an error naming the text otherwise.
expected<teleprinter_mode, std::string> parse_teleprinter_mode(std::string_view text);
/// "none", "even" or "odd".
expected<teleprinter_parity, std::string> parse_teleprinter_parity(std::string_view text);
/// "nnnn" or "blank-nnnn" (also "blank_line_nnnn").
expected<teleprinter_filing, std::string> parse_teleprinter_filing(std::string_view text);
std::string_view teleprinter_mode_name(teleprinter_mode m) noexcept;
std::string_view teleprinter_parity_name(teleprinter_parity p) noexcept;

struct teleprinter_settings {  // what the port is set to (pure data; tested)
    teleprinter_mode mode = teleprinter_mode::baudot;
    double baud = 45.45;  // ascii default 110
    int data_bits = 5;    // ascii default 7
    /// 1, 1.5 or 2 (1.5 only with 5 data bits); ascii default 2. A UART sends 1.5 stop bits
    /// for CSTOPB with 5 data bits and 2 otherwise, so 1.5 and 2 with 5 data bits both end up
    /// as 1.5 on the wire; character_seconds() counts what was asked for.
    double stop_bits = 1.5;
    teleprinter_parity parity = teleprinter_parity::none;  // ascii default even

    /// Defaults for a mode: baudot 45.45/5/1.5/none, ascii 110/7/2/even.
    static teleprinter_settings defaults(teleprinter_mode m);
    /// Seconds one character takes on the line (start + data + parity + stop units).
    double character_seconds() const;
    /// The combination is one a UART can send: 5..8 data bits (5 in Baudot mode, 7 or 8 in
    /// ASCII mode), 1, 1.5 or 2 stop bits (1.5 only with 5 data bits), a rate in (0, 115200].
    /// The error says which value is wrong and why.
    expected<void, std::string> validate() const;
    /// e.g. "45.45 baud 5N1.5" or "110 baud 7E2".
    std::string describe() const;
};

/// "45.45" -> 45.45 etc.; rejects <= 0 or > 115200 with a reason.
expected<double, std::string> parse_baud(std::string_view text);

}  // namespace hakto::terminals
