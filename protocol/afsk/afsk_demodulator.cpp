#include "protocol/afsk/afsk_demodulator.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <type_traits>

namespace hakto::protocol {
namespace {

constexpr int lanes = 8;                // partial sums a block kernel keeps (one SIMD register)
constexpr int blocks_per_unit = 24;     // the filter bank's time resolution, about
constexpr std::size_t batch = 4096;     // blocks the kernel does at a time
constexpr double tone_over_band = 3.0;  // squelch (2): see decide()
constexpr double loop_gain = 0.2;       // element clock: share of a frame's timing error taken
constexpr double period_gain = 0.03;    // element clock: share that goes into the frame length

double db(double power_ratio) {
    return power_ratio > 0 ? 10 * std::log10(power_ratio) : -200;
}

// The block kernel, the only per-sample work: the block's samples mixed with the centre
// frequency (tables c, s: cos and -sin of ω_c·i) and its sum of squares. Eight independent
// partial sums a quantity, so the compiler keeps them in vector registers without
// reassociating a float sum; on x86-64 an AVX2 copy is chosen at load time when the CPU has it.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define HAKTO_KERNEL_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define HAKTO_KERNEL_CLONES
#endif

// Eight lanes of float (and of 16-bit samples); GCC and Clang lower them to whatever vector
// registers the target has.
typedef float lanes8 __attribute__((vector_size(32)));
typedef std::int16_t shorts8 __attribute__((vector_size(16)));

template <class T>
HAKTO_KERNEL_CLONES void kernel_blocks(const T* x, std::size_t blocks, int d, const float* c,
                                       const float* s, float* out_re, float* out_im, float* out_q) {
    for (std::size_t b = 0; b < blocks; ++b, x += d) {
        lanes8 ar = {}, ai = {}, aq = {};
        for (int i = 0; i < d; i += lanes) {
            lanes8 v, cv, sv;
            if constexpr (std::is_same_v<T, float>) {
                std::memcpy(&v, x + i, sizeof v);
            } else {
                shorts8 w;
                std::memcpy(&w, x + i, sizeof w);
                v = __builtin_convertvector(w, lanes8);
            }
            std::memcpy(&cv, c + i, sizeof cv);
            std::memcpy(&sv, s + i, sizeof sv);
            ar += v * cv;
            ai += v * sv;
            aq += v * v;
        }
        // Horizontal sums as a tree: the halves, then the pairs (few shuffles).
        out_re[b] = ((ar[0] + ar[4]) + (ar[2] + ar[6])) + ((ar[1] + ar[5]) + (ar[3] + ar[7]));
        out_im[b] = ((ai[0] + ai[4]) + (ai[2] + ai[6])) + ((ai[1] + ai[5]) + (ai[3] + ai[7]));
        out_q[b] = ((aq[0] + aq[4]) + (aq[2] + aq[6])) + ((aq[1] + aq[5]) + (aq[3] + aq[7]));
    }
}

// Each block's centre-mixed sum turned to the mark and the space reference: the first block's
// phasor (m0, s0, scaled) times the table of turns. Independent per block, so vectorised.
HAKTO_KERNEL_CLONES void turn_blocks(std::size_t n, double m0r, double m0i, double s0r, double s0i,
                                     const double* tmr, const double* tmi, const double* tsr,
                                     const double* tsi, const float* re, const float* im,
                                     double* zmr, double* zmi, double* zsr, double* zsi) {
    for (std::size_t j = 0; j < n; ++j) {
        const double pmr = m0r * tmr[j] - m0i * tmi[j], pmi = m0r * tmi[j] + m0i * tmr[j];
        const double psr = s0r * tsr[j] - s0i * tsi[j], psi = s0r * tsi[j] + s0i * tsr[j];
        const double r = re[j], m = im[j];
        zmr[j] = pmr * r - pmi * m;
        zmi[j] = pmr * m + pmi * r;
        zsr[j] = psr * r - psi * m;
        zsi[j] = psr * m + psi * r;
    }
}

}  // namespace

expected<afsk_demodulator, afsk_error> afsk_demodulator::create(const afsk_params& params,
                                                                const afsk_demod_options& options) {
    auto checked = check_afsk_params(params);
    if (!checked) return checked.error();
    if (!(options.squelch_hunting >= 1 && options.squelch_in_step >= 1))
        return afsk_error{"the squelch ratios must be at least 1"};
    return afsk_demodulator{params, options};
}

afsk_demodulator::afsk_demodulator(const afsk_params& params, const afsk_demod_options& options)
    : params_(params), options_(options) {
    const double spu = params.samples_per_unit();
    centre_hz_ = (params.mark_hz + params.space_hz) / 2;
    const double offset = std::abs(params.mark_hz - params.space_hz) / 2;
    // The block: about 1/24 of an element, and short enough that a tone's offset from the centre
    // turns by at most ±0.3 rad inside it (an amplitude loss under 1.5 %, 0.13 dB; none at all
    // for the 170 Hz shift at 48 kHz, whose blocks turn by ±0.22 rad: 0.07 dB).
    const double by_time = spu / blocks_per_unit;
    const double by_turn = 0.6 * params.sample_rate / (2 * std::numbers::pi * offset);
    block_ = std::max(lanes, lanes * static_cast<int>(std::min(by_time, by_turn) / lanes));
    unit_ = spu / block_;
    unit_blocks_ = std::max<std::int64_t>(1, std::llround(unit_));
    const double wc = 2 * std::numbers::pi * centre_hz_ / params.sample_rate;
    for (int i = 0; i < block_; ++i) {
        cos_.push_back(static_cast<float>(std::cos(wc * i)));
        sin_.push_back(static_cast<float>(-std::sin(wc * i)));
    }
    // e^{-jω_t·D·j} for j < batch, exactly (from j·D·f/fs reduced to cycles).
    for (std::size_t j = 0; j < batch; ++j) {
        const double n = static_cast<double>(j) * block_;
        const double cm = std::fmod(params.mark_hz / params.sample_rate * n, 1.0);
        const double cs = std::fmod(params.space_hz / params.sample_rate * n, 1.0);
        turn_m_r_.push_back(std::cos(2 * std::numbers::pi * cm));
        turn_m_i_.push_back(-std::sin(2 * std::numbers::pi * cm));
        turn_s_r_.push_back(std::cos(2 * std::numbers::pi * cs));
        turn_s_i_.push_back(-std::sin(2 * std::numbers::pi * cs));
    }
    prefix_.push_back({});
    pending_.reserve(static_cast<std::size_t>(block_));
}

template <class T>
void afsk_demodulator::push(const T* x, std::size_t n, float scale,
                            std::vector<afsk_character>& out) {
    // 16-bit samples go through the kernel as they are; their block sums are scaled after.
    samples_ += n;
    const auto d = static_cast<std::size_t>(block_);
    std::size_t i = 0;
    if (!pending_.empty()) {
        const std::size_t take = std::min(n, d - pending_.size());
        for (std::size_t k = 0; k < take; ++k) pending_.push_back(static_cast<float>(x[k]) * scale);
        i = take;
        if (pending_.size() == d) flush_pending();
    }
    // Whole blocks straight from the caller's buffer, a few thousand at a time.
    while (i + d <= n) {
        const std::size_t blocks = std::min(batch, (n - i) / d);
        kernel_out_.resize(blocks * 3);
        float* re = kernel_out_.data();
        float* im = re + blocks;
        float* q = im + blocks;
        kernel_blocks(x + i, blocks, block_, cos_.data(), sin_.data(), re, im, q);
        add_blocks(re, im, q, blocks, scale);
        i += blocks * d;
    }
    for (; i < n; ++i) pending_.push_back(static_cast<float>(x[i]) * scale);
    decide(false, out);
}

void afsk_demodulator::flush_pending() {
    float re = 0, im = 0, q = 0;
    kernel_blocks(pending_.data(), 1, block_, cos_.data(), sin_.data(), &re, &im, &q);
    add_blocks(&re, &im, &q, 1, 1.0f);
    pending_.clear();
}

void afsk_demodulator::feed(std::span<const float> samples, std::vector<afsk_character>& out) {
    push(samples.data(), samples.size(), 1.0f, out);
}

void afsk_demodulator::feed(std::span<const std::int16_t> samples,
                            std::vector<afsk_character>& out) {
    push(samples.data(), samples.size(), 1.0f / 32768, out);
}

void afsk_demodulator::finish(std::vector<afsk_character>& out) {
    if (!pending_.empty()) {
        pending_.resize(static_cast<std::size_t>(block_), 0.0f);
        flush_pending();
    }
    decide(true, out);
}

void afsk_demodulator::phasor(std::int64_t b, double tone_hz, double& re, double& im) const {
    // Block b's centre-mixed sum is Σ_i x[bD+i]·e^{-jω_c(bD+i)} without its e^{-jω_c·bD}. A tone at
    // ω_t = ω_c + δ correlates as Σ_i x[bD+i]·e^{-jω_c(bD+i)}·e^{-jδ(bD+i)}, which is taken as
    // e^{-jω_c·bD}·e^{-jδ(bD + (D-1)/2)} × the kernel's sum: the offset's turn at the block's
    // middle sample. Computed from the block number, so rounding never accumulates.
    const double n = static_cast<double>(b) * block_;
    const double mid = (block_ - 1) / 2.0;
    const double fc = centre_hz_ / params_.sample_rate;
    const double dt = (tone_hz - centre_hz_) / params_.sample_rate;
    const double cycles = std::fmod(fc * n, 1.0) + std::fmod(dt * (n + mid), 1.0);
    re = std::cos(2 * std::numbers::pi * cycles);
    im = -std::sin(2 * std::numbers::pi * cycles);
}

void afsk_demodulator::add_blocks(const float* re, const float* im, const float* q, std::size_t n,
                                  float scale) {
    // The phasor of block blocks_ + j is the first block's times e^{-jω_t·D·j} (a table).
    double m0r, m0i, s0r, s0i;
    phasor(blocks_, params_.mark_hz, m0r, m0i);
    phasor(blocks_, params_.space_hz, s0r, s0i);
    m0r *= scale;
    m0i *= scale;
    s0r *= scale;
    s0i *= scale;
    const double scale2 = static_cast<double>(scale) * scale;
    // Two passes: the turned block sums (independent, so vectorised), then the running sums.
    rotated_.resize(4 * n);
    double* zmr = rotated_.data();
    double* zmi = zmr + n;
    double* zsr = zmi + n;
    double* zsi = zsr + n;
    turn_blocks(n, m0r, m0i, s0r, s0i, turn_m_r_.data(), turn_m_i_.data(), turn_s_r_.data(),
                turn_s_i_.data(), re, im, zmr, zmi, zsr, zsi);
    const std::size_t first = prefix_.size();
    prefix_.resize(first + n);
    sums s = prefix_[first - 1];
    for (std::size_t j = 0; j < n; ++j) {
        s.mr += zmr[j];
        s.mi += zmi[j];
        s.sr += zsr[j];
        s.si += zsi[j];
        s.q += q[j] * scale2;
        prefix_[first + j] = s;
    }
    blocks_ += static_cast<std::int64_t>(n);
}

std::int64_t afsk_demodulator::at(double t) const {
    return static_cast<std::int64_t>(std::floor(t + 0.5));
}

afsk_demodulator::energies afsk_demodulator::window(std::int64_t a, std::int64_t b) const {
    const sums& x = prefix_[static_cast<std::size_t>(a - base_)];
    const sums& y = prefix_[static_cast<std::size_t>(b - base_)];
    const double mr = y.mr - x.mr, mi = y.mi - x.mi, sr = y.sr - x.sr, si = y.si - x.si;
    return {mr * mr + mi * mi, sr * sr + si * si, y.q - x.q, b - a};
}

afsk_demodulator::frame_fit afsk_demodulator::fit(double t) const {
    frame_fit f;
    double metric = 0;
    for (int k = 0; k < 7; ++k) {
        const energies e = window(at(t + k * unit_), at(t + (k + 1) * unit_));
        const double sum = e.mark + e.space;
        const double d = sum > 0 ? (e.mark - e.space) / sum : 0.0;
        f.d[k] = d;
        f.e[k] = e;
        metric += k == 0 ? -d : (k == 6 ? d : std::abs(d));
    }
    // Mark during the half element before the start (the previous stop, or the idle line).
    const std::int64_t before = std::max(base_, at(t - 0.5 * unit_));
    if (before < at(t)) {
        const energies e = window(before, at(t));
        const double sum = e.mark + e.space;
        if (sum > 0) metric += 0.5 * (e.mark - e.space) / sum;
    }
    f.metric = metric;
    return f;
}

void afsk_demodulator::accept(double t, const frame_fit& f, std::vector<afsk_character>& out) {
    afsk_character c;
    double weakest = -f.d[0];
    for (int k = 1; k <= 5; ++k) {
        if (f.d[k] > 0) c.value = static_cast<code>(c.value | (1U << (k - 1)));
        weakest = std::min(weakest, std::abs(f.d[k]));
    }
    weakest = std::min(weakest, f.d[6]);
    c.framing_error = f.d[6] <= 0;
    c.confidence = static_cast<float>(std::clamp(weakest, 0.0, 1.0));
    c.sample = static_cast<std::uint64_t>(std::max(0.0, t) * block_);
    last_start_ = t;
    have_last_ = true;
    out.push_back(c);
    ++characters_;
    if (c.framing_error) ++framing_errors_;
    confidence_sum_ += c.confidence;
    for (const energies& e : f.e) {
        const double n = static_cast<double>(e.blocks) * block_;
        if (n <= 0) continue;
        // A tone of amplitude A over n samples correlates to |Σ| = nA/2: 2|Σ|²/n = n·A²/2.
        tone_energy_ += 2 * std::max(e.mark, e.space) / n;
        window_power_ += e.power;
        window_samples_ += n;
    }
}

void afsk_demodulator::decide(bool final, std::vector<afsk_character>& out) {
    const double frame_units = params_.units_per_frame();
    for (;;) {
        double lo = 0, hi = 0, hunt_from = 0, expected = 0;
        if (in_step_) {
            // The flywheel: a back-to-back frame starts one tracked frame length after the last.
            expected = next_ + period_;
            lo = expected - 0.15 * unit_;
            hi = expected + 0.15 * unit_;
        } else {
            // Hunting: the first element-long window where space outweighs mark.
            auto q = static_cast<std::int64_t>(std::ceil(next_));
            q = std::max(q, base_);
            bool found = false;
            while (q + unit_blocks_ <= blocks_) {
                const energies e = window(q, q + unit_blocks_);
                if (e.space > e.mark) {
                    found = true;
                    break;
                }
                ++q;
            }
            if (!found) {
                next_ = static_cast<double>(q);
                trim();
                return;
            }
            hunt_from = static_cast<double>(q);
            lo = std::max(static_cast<double>(base_) + 0.5 * unit_, hunt_from - 0.25 * unit_);
            hi = hunt_from + 1.25 * unit_;
        }
        // Every window of every offset in [lo, hi] must be there.
        const auto first = static_cast<std::int64_t>(std::ceil(lo));
        auto last = static_cast<std::int64_t>(std::floor(hi));
        const std::int64_t room = blocks_ - (at(7 * unit_) + 2);
        if (in_step_ && !final && static_cast<double>(room) < next_ + 8.3 * unit_) {
            trim();  // the wide search may be needed: wait for its blocks too
            return;
        }
        if (last > room) {
            if (!final) {
                trim();
                return;
            }
            last = room;
            if (last < first) return;  // the input ended inside this frame
        }
        // The offset that best fits a frame: hunting, every second offset and then the two
        // beside the best (the metric changes slowly: a block is a 24th of an element); in
        // step, every offset of the narrow range.
        frame_fit best;
        std::int64_t best_t = first;
        auto consider = [&](std::int64_t t) {
            const frame_fit f = fit(static_cast<double>(t));
            if (f.metric > best.metric) {
                best = f;
                best_t = t;
            }
        };
        const std::int64_t stride = in_step_ ? 1 : 2;
        for (std::int64_t t = first; t <= last; t += stride) consider(t);
        if (stride == 2) {
            const std::int64_t coarse = best_t;
            if (coarse - 1 >= first) consider(coarse - 1);
            if (coarse + 1 <= last) consider(coarse + 1);
        }
        double t = static_cast<double>(best_t);
        frame_fit chosen = best;
        if (in_step_ && !period_known_) {
            // The first frame after hunting, with no frame before it to measure from: look over
            // every frame length a stop of 1 to 2 units gives. A length clearly not the
            // configured one (another stop) becomes the flywheel's.
            const auto wide_first = static_cast<std::int64_t>(std::ceil(next_ + 6.75 * unit_));
            const auto wide_last =
                std::min(room, static_cast<std::int64_t>(std::floor(next_ + 8.3 * unit_)));
            for (std::int64_t w = wide_first; w <= wide_last; ++w) consider(w);
            const double gap = static_cast<double>(best_t) - next_;
            if (std::abs(gap - period_) > 0.2 * unit_) {
                t = static_cast<double>(best_t);
                chosen = best;
                period_ = gap;
            } else {
                chosen = fit(t);
            }
            period_known_ = true;
        } else if (in_step_) {
            // The element clock, a second-order loop: the start is pulled only part of the way
            // from the expected one towards the best fit, and the frame length learns from the
            // difference, so that the noise in one frame's fit does not become timing error.
            const double error = t - expected;
            t = expected + loop_gain * error;
            period_ += period_gain * error;
            chosen = fit(t);
        }
        // Squelch, two tests over the frame's seven elements. (1) The stronger tone against the
        // weaker. (2) The stronger tone's correlation against the power of the whole band: white
        // noise alone correlates with a tone to about its power (the stronger of two, 1.5
        // times); a tone correlates to n/2 times its power over n samples.
        double strong = 0, weak = 0, power = 0;
        for (const energies& e : chosen.e) {
            strong += std::max(e.mark, e.space);
            weak += std::min(e.mark, e.space);
            power += e.power;
        }
        const double squelch = in_step_ ? options_.squelch_in_step : options_.squelch_hunting;
        const bool start_ok = chosen.d[0] < 0;
        const bool loud =
            strong > 0 && strong >= squelch * weak && strong >= tone_over_band * power;
        const bool stop_ok = chosen.d[6] > 0;
        if (in_step_) {
            if (start_ok && loud) {
                accept(t, chosen, out);
                next_ = t;
                framing_run_ = stop_ok ? 0 : framing_run_ + 1;
                if (framing_run_ >= 2) {
                    // Two framing errors running: out of step. Hunt again from the stop element.
                    in_step_ = false;
                    next_ = t + 6 * unit_;
                }
            } else {
                // No frame where one would be: the line went idle, or a burst. Hunt.
                in_step_ = false;
                next_ = expected - 0.5 * unit_;
            }
        } else if (start_ok && loud && stop_ok) {
            accept(t, chosen, out);
            // Into step. The frame length: the distance from the last frame when that is a
            // frame with a stop of 1 to 2 units (the sender's own), else the configured one.
            const double gap = t - last_start_;
            const bool follows =
                have_last_ && gap >= (7.0 - 0.2) * unit_ && gap <= (8.0 + 0.3) * unit_;
            period_ = follows ? gap : frame_units * unit_;
            period_known_ = follows;
            in_step_ = true;
            framing_run_ = 0;
            next_ = t;
        } else {
            ++false_starts_;
            next_ = hunt_from + 0.25 * unit_;
        }
    }
}

void afsk_demodulator::trim() {
    // Keep the blocks the next decision can look back to (two frames before it).
    const double keep_from = next_ - 2 * (params_.units_per_frame() + 1) * unit_;
    const auto keep = static_cast<std::int64_t>(std::floor(keep_from));
    if (keep - base_ < 4096) return;
    prefix_.erase(prefix_.begin(), prefix_.begin() + (keep - base_));
    base_ = keep;
}

afsk_report afsk_demodulator::report() const {
    afsk_report r;
    r.samples = samples_;
    r.characters = characters_;
    r.framing_errors = framing_errors_;
    r.false_starts = false_starts_;
    const double total_q = prefix_.back().q;  // the running sum is never trimmed
    if (samples_ > 0) r.input_dbfs = db(total_q / static_cast<double>(samples_));
    if (window_samples_ > 0) {
        const double tone = tone_energy_ / window_samples_;  // A²/2
        const double all = window_power_ / window_samples_;
        r.tone_dbfs = db(2 * tone);
        const double noise = all - tone;
        r.snr_db = noise > tone * 1e-10 ? db(tone / noise) : 99.0;
        // Eb/N0 = SNR × (sample rate / 2) / baud, for a one-sided noise density over fs/2.
        r.ebn0_db =
            r.snr_db >= 99.0 ? 99.0 : r.snr_db + db(params_.sample_rate / 2.0 / params_.baud);
    }
    if (characters_ > 0) r.mean_confidence = confidence_sum_ / static_cast<double>(characters_);
    return r;
}

}  // namespace hakto::protocol
