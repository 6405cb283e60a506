#include "terminals/teleprinter/teleprinter_settings.hpp"

#include <fmt/format.h>
#include <charconv>
#include <cmath>

namespace hakto::terminals {

namespace {
// The fastest rate accepted: the highest standard rate a USB serial adapter and a pty take.
constexpr double max_baud = 115200.0;
}  // namespace

expected<teleprinter_mode, std::string> parse_teleprinter_mode(std::string_view text) {
    if (text == "baudot") return teleprinter_mode::baudot;
    if (text == "ascii") return teleprinter_mode::ascii;
    return fmt::format("teleprinter mode '{}': expected baudot or ascii", text);
}

expected<teleprinter_parity, std::string> parse_teleprinter_parity(std::string_view text) {
    if (text == "none") return teleprinter_parity::none;
    if (text == "even") return teleprinter_parity::even;
    if (text == "odd") return teleprinter_parity::odd;
    return fmt::format("teleprinter parity '{}': expected none, even or odd", text);
}

expected<teleprinter_filing, std::string> parse_teleprinter_filing(std::string_view text) {
    if (text == "nnnn") return teleprinter_filing::nnnn;
    if (text == "blank-nnnn" || text == "blank_line_nnnn")
        return teleprinter_filing::blank_line_nnnn;
    return fmt::format("teleprinter filing '{}': expected nnnn or blank-nnnn", text);
}

std::string_view teleprinter_mode_name(teleprinter_mode m) noexcept {
    return m == teleprinter_mode::ascii ? "ascii" : "baudot";
}

std::string_view teleprinter_parity_name(teleprinter_parity p) noexcept {
    switch (p) {
        case teleprinter_parity::even:
            return "even";
        case teleprinter_parity::odd:
            return "odd";
        case teleprinter_parity::none:
            break;
    }
    return "none";
}

teleprinter_settings teleprinter_settings::defaults(teleprinter_mode m) {
    teleprinter_settings s;
    s.mode = m;
    if (m == teleprinter_mode::ascii) {
        // ASR-33: 110 baud, 7 data bits, even parity, 2 stop bits (11 units, 10 characters/s).
        s.baud = 110.0;
        s.data_bits = 7;
        s.stop_bits = 2.0;
        s.parity = teleprinter_parity::even;
    } else {
        // Model 15/28 at 60 wpm: 45.45 baud, 5 data bits, 1.5 stop units (7.5 units, 165 ms).
        s.baud = 45.45;
        s.data_bits = 5;
        s.stop_bits = 1.5;
        s.parity = teleprinter_parity::none;
    }
    return s;
}

double teleprinter_settings::character_seconds() const {
    const double units =
        1.0 + data_bits + (parity == teleprinter_parity::none ? 0.0 : 1.0) + stop_bits;
    return units / baud;
}

expected<void, std::string> teleprinter_settings::validate() const {
    if (!(baud > 0.0) || baud > max_baud || !std::isfinite(baud))
        return fmt::format("rate {} baud: must be above 0 and at most {}", baud, max_baud);
    if (data_bits < 5 || data_bits > 8)
        return fmt::format("{} data bits: a UART sends 5 to 8", data_bits);
    if (mode == teleprinter_mode::baudot && data_bits != 5)
        return fmt::format("{} data bits: Baudot mode sends 5-bit codes (5 data bits)", data_bits);
    if (mode == teleprinter_mode::ascii && data_bits < 7)
        return fmt::format("{} data bits: ASCII needs 7 or 8", data_bits);
    if (stop_bits != 1.0 && stop_bits != 1.5 && stop_bits != 2.0)
        return fmt::format("{} stop bits: expected 1, 1.5 or 2", stop_bits);
    // A UART sends 1.5 stop bits only with 5 data bits (CSTOPB with CS5).
    if (stop_bits == 1.5 && data_bits != 5)
        return fmt::format("1.5 stop bits: a UART sends them only with 5 data bits, not {}",
                           data_bits);
    return outcome::success();
}

std::string teleprinter_settings::describe() const {
    const char p = parity == teleprinter_parity::even  ? 'E'
                   : parity == teleprinter_parity::odd ? 'O'
                                                       : 'N';
    return fmt::format("{:g} baud {}{}{:g}", baud, data_bits, p, stop_bits);
}

expected<double, std::string> parse_baud(std::string_view text) {
    double value = 0.0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end)
        return fmt::format("rate '{}': not a number of baud", text);
    if (!(value > 0.0) || !std::isfinite(value))
        return fmt::format("rate '{}': must be above 0 baud", text);
    if (value > max_baud) return fmt::format("rate '{}': at most {:g} baud", text, max_baud);
    return value;
}

}  // namespace hakto::terminals
