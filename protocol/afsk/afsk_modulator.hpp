#pragma once
// 5-level codes to radioteletype audio: binary FSK with continuous phase (the oscillator never
// jumps; only its frequency changes at an element boundary), mark tone while the line is idle.
//
// Timing is exact and drift-free: within a run of back-to-back frames, element j of frame k
// begins at sample round(anchor + (k × (6 + stop) + j) × samples_per_unit), where anchor is
// where the run began (the end of the last idle stretch). A long transmission therefore keeps
// the nominal speed to the sample, whatever rounding each element needs.
//
// Pure: samples are appended to a caller's buffer as floats in [-amplitude, amplitude].
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/afsk/afsk_params.hpp"
#include "protocol/teletype/teletype_code.hpp"

namespace hakto::protocol {

class afsk_modulator {
  public:
    /// Checks the parameters (check_afsk_params) and the amplitude (0 < a <= 1).
    static expected<afsk_modulator, afsk_error> create(const afsk_params& params,
                                                       double amplitude = 0.5);

    /// Mark tone for `units` elements' time (rounded to whole samples).
    void idle_units(double units, std::vector<float>& out);
    /// Mark tone for `samples` samples.
    void idle_samples(std::uint64_t samples, std::vector<float>& out);
    /// One start-stop frame: start (space), elements 1..5 (bit 0 first; 1 = mark), stop (mark).
    void frame(code c, std::vector<float>& out);
    /// Back-to-back frames.
    void frames(std::span<const code> codes, std::vector<float>& out);

    /// Samples written so far.
    [[nodiscard]] std::uint64_t position() const noexcept { return written_; }
    [[nodiscard]] const afsk_params& params() const noexcept { return params_; }
    /// Samples one frame takes (not rounded).
    [[nodiscard]] double samples_per_frame() const noexcept {
        return params_.units_per_frame() * spu_;
    }

  private:
    afsk_modulator(const afsk_params& params, double amplitude);
    // Writes the tone up to (not including) absolute sample `end`.
    void tone_until(std::uint64_t end, bool mark, std::vector<float>& out);

    afsk_params params_;
    double amplitude_;
    double spu_;
    double step_mark_, step_space_;  // phase increments, in cycles a sample
    double phase_ = 0;               // in cycles, [0, 1)
    std::uint64_t written_ = 0;
    std::uint64_t anchor_ = 0;      // first sample of the current run of frames
    std::uint64_t run_frames_ = 0;  // frames since the anchor
};

}  // namespace hakto::protocol
