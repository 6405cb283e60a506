#pragma once
// Radioteletype audio to 5-level codes: a non-coherent matched-filter FSK receiver with
// start-element detection and element timing recovery.
//
// 1. Filter bank. The input is mixed with the centre frequency between the tones and summed
//    over short blocks of D samples (D a multiple of 8, about 1/24 of an element): two
//    multiply-adds a sample, plus one for the power. Each block sum is turned by each tone's
//    offset from the centre (taken at the block's middle) and to the absolute phase reference
//    (one complex rotation a block a tone) and accumulated as running sums, so the correlation
//    of the input with either tone over any whole number of blocks is one subtraction: a
//    matched filter over an element, at any offset, in O(1).
// 2. Elements. An element's evidence is d = (|M|² - |S|²) / (|M|² + |S|²) over its window,
//    in [-1, 1], positive for mark: the optimum non-coherent decision for orthogonal tones, and
//    independent of the signal level (fades).
// 3. Start detection (hunting). The receiver looks for the first element-long window where
//    space outweighs mark, then searches the offsets from a quarter element before it to an
//    element and a quarter after it for the one that best fits a whole frame: mark before the
//    start, space in the start element, a clear decision in each data element, mark in the stop
//    element (the frame's metric, summed over the seven elements). A candidate whose stop reads
//    space, or that fails the squelch, is a false start: hunting goes on a quarter element later.
//    Squelch: over the seven elements the stronger tone must be several times the weaker (6
//    hunting, 4 in step), and its correlation at least 3 times the power of the whole band
//    (white noise alone gives 1.5).
// 4. Element clock (flywheel). In step, the next start is looked for within ±0.15 element of
//    where a back-to-back frame would start: the last start plus the frame length, both tracked
//    by a second-order loop (the start pulled a fifth of the way to the best fit, the length
//    learning 3 % of the difference), so the timing carries through noise. The first frame
//    after hunting is looked for over every length a stop of 1 to 2 units gives, so a sender
//    with another stop is followed. No frame where one should be (the line went idle, a burst)
//    sends the receiver back to hunting, as do two framing errors in a row; a framing error
//    (stop read as space) is delivered, flagged.
// 5. Report. Per character: the code, its first sample, and a confidence (the weakest of its
//    seven element decisions, 0..1). Over the run: the input level, the tone level, and an SNR
//    estimate (tone power against the rest of the power in the characters' windows, full band).
//
// Pure and streaming: feed() any number of sample buffers, then finish().
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/afsk/afsk_params.hpp"
#include "protocol/teletype/teletype_code.hpp"

namespace hakto::protocol {

struct afsk_character {
    code value = 0;
    std::uint64_t sample = 0;    ///< first sample of its start element
    float confidence = 0;        ///< the weakest element decision, 0 (a guess) to 1 (clean)
    bool framing_error = false;  ///< the stop element read as space
};

struct afsk_report {
    std::uint64_t samples = 0;
    std::uint64_t characters = 0;
    std::uint64_t framing_errors = 0;
    std::uint64_t false_starts = 0;  ///< start candidates rejected
    double input_dbfs = -200;  ///< RMS of the whole input, dB full scale (sine peak 1 = -3 dB)
    double tone_dbfs = -200;   ///< peak amplitude of the received tone, dB full scale
    /// Tone power over noise power in the full band (0 to half the sample rate), in dB, over
    /// the windows of the characters received; 99 when no noise is measurable.
    double snr_db = 0;
    double ebn0_db = 0;  ///< the same as energy a unit over noise density
    double mean_confidence = 0;
};

struct afsk_demod_options {
    /// Squelch: over a frame's seven elements, the stronger tone's energy must be at least this
    /// many times the weaker one's (noise alone gives about 3).
    double squelch_hunting = 6.0;
    double squelch_in_step = 4.0;
};

class afsk_demodulator {
  public:
    static expected<afsk_demodulator, afsk_error> create(const afsk_params& params,
                                                         const afsk_demod_options& options = {});

    /// Samples as floats (full scale 1.0).
    void feed(std::span<const float> samples, std::vector<afsk_character>& out);
    /// 16-bit samples (full scale 32768).
    void feed(std::span<const std::int16_t> samples, std::vector<afsk_character>& out);
    /// End of the input: decodes what is left.
    void finish(std::vector<afsk_character>& out);

    [[nodiscard]] afsk_report report() const;
    [[nodiscard]] const afsk_params& params() const noexcept { return params_; }
    /// Samples a block (the filter bank's time step).
    [[nodiscard]] int block_samples() const noexcept { return block_; }

  private:
    struct sums {
        double mr = 0, mi = 0, sr = 0, si = 0, q = 0;
    };
    struct energies {
        double mark = 0, space = 0, power = 0;  // |M|², |S|², Σx²
        std::int64_t blocks = 0;
    };
    struct frame_fit {
        double metric = -1e300;
        double d[7] = {};
        energies e[7];
    };

    afsk_demodulator(const afsk_params& params, const afsk_demod_options& options);
    template <class T>
    void push(const T* x, std::size_t n, float scale, std::vector<afsk_character>& out);
    void flush_pending();
    void add_blocks(const float* re, const float* im, const float* q, std::size_t n, float scale);
    void phasor(std::int64_t block, double tone_hz, double& re, double& im) const;
    void decide(bool final, std::vector<afsk_character>& out);
    [[nodiscard]] energies window(std::int64_t a, std::int64_t b) const;
    [[nodiscard]] frame_fit fit(double t) const;
    [[nodiscard]] std::int64_t at(double t) const;  // a block boundary, rounded
    void accept(double t, const frame_fit& f,
                std::vector<afsk_character>& out);  // sets last_start_
    void trim();

    afsk_params params_;
    afsk_demod_options options_;
    int block_ = 8;    // D
    double unit_ = 0;  // blocks an element
    std::int64_t unit_blocks_ = 0;
    double centre_hz_ = 0;
    std::vector<float> cos_, sin_;  // e^{-jω_c·i}, i < D: the centre frequency's mixer
    std::vector<double> turn_m_r_, turn_m_i_, turn_s_r_, turn_s_i_;  // e^{-jω_t·D·j}, j < batch
    std::vector<float> pending_;  // samples of an unfinished block
    std::vector<float> kernel_out_;
    std::vector<double> rotated_;  // turned block sums of a batch
    std::vector<sums> prefix_;     // prefix_[i]: sums over blocks [0, base_ + i)
    std::int64_t base_ = 0;        // block of prefix_[0]
    std::int64_t blocks_ = 0;      // complete blocks so far
    std::uint64_t samples_ = 0;
    // Decision state.
    bool in_step_ = false;
    double next_ = 0;            // hunting: first block to look at; in step: the last frame's start
    double period_ = 0;          // in step: the frame length, in blocks, as tracked
    bool period_known_ = false;  // the frame length was measured, not assumed
    int framing_run_ = 0;        // framing errors in a row, in step
    double last_start_ = 0;      // start of the last character delivered
    bool have_last_ = false;
    // Statistics.
    std::uint64_t characters_ = 0, framing_errors_ = 0, false_starts_ = 0;
    double confidence_sum_ = 0;
    double tone_energy_ = 0, window_power_ = 0, window_samples_ = 0;
};

}  // namespace hakto::protocol
