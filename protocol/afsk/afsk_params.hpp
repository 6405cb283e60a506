#pragma once
// The parameters of radioteletype audio (AFSK): the sample rate, the two tones, and the
// start-stop timing, shared by the modulator and the demodulator.
//
// Tones (protocol facts §3.1): US amateur "high tones", mark 2125 Hz and space 2295 Hz
// (170 Hz shift); the wide 850 Hz shift of military and commercial HF puts space at 2975 Hz.
// Timing (protocol facts §2.3): the speed profiles of the line model; a character is one start
// element (space), five data elements sent element 1 first, and a stop element (mark) of 1,
// 1.42, 1.5 or 2 units. The line rests at mark, so an idle line sounds the mark tone.
//
// This header is pure: the caller converts a sim::line_profile to baud and stop units.
#include <string>

#include "protocol/text/expected.hpp"

namespace hakto::protocol {

/// US "high tones" (protocol facts §3.1).
inline constexpr double afsk_mark_hz = 2125.0;
inline constexpr double afsk_space_hz_170 = 2295.0;
inline constexpr double afsk_space_hz_850 = 2975.0;

struct afsk_params {
    int sample_rate = 48000;  ///< samples a second
    double mark_hz = afsk_mark_hz;
    double space_hz = afsk_space_hz_170;
    double baud = 45.45;       ///< units a second (60 wpm)
    double stop_units = 1.42;  ///< length of the stop element, in units

    /// Samples in one unit (element): sample_rate / baud, not rounded.
    [[nodiscard]] double samples_per_unit() const noexcept { return sample_rate / baud; }
    /// 6 + stop_units.
    [[nodiscard]] double units_per_frame() const noexcept { return 6.0 + stop_units; }
};

struct afsk_error {
    std::string message;
};

/// Checks the parameters: a sample rate of 8,000 to 192,000 Hz; both tones above 100 Hz, below
/// 0.45 × the sample rate and at least 2 × baud apart; a rate of 10 to 1,000 baud with at
/// least 16 samples an element; a stop of 1 to 2 units.
expected<afsk_params, afsk_error> check_afsk_params(const afsk_params& p);

}  // namespace hakto::protocol
