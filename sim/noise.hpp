#pragma once
// Seeded line noise acting on the line elements (start, 5 data, stop), not on letters, and the
// element-level start-stop receiver that turns the corrupted element stream back into codes.
//
// How errors show up (protocol facts §2.6, "what a faithful simulator must model" 13): they are
// not modelled as letter substitutions; they emerge from element hits read by a real receiver:
// - a hit on a data element gives another code of the same shift (a wrong letter);
// - a hit that makes or breaks FIGS/LTRS changes the case of what follows until the next shift;
// - a hit on CR or LF loses the carriage return or the line feed (overprinting);
// - a lost or false start element makes the receiver frame on the wrong transition: the
//   characters that follow are shifted and garbled until it re-synchronises on a mark→space
//   transition that is a real start element.
//
// Effects (each optional, each with its own random stream derived from the one seed):
// (a) independent element errors at rate p;
// (b) Gilbert–Elliott bursts: a good and a bad state, each with its own element error rate, and
//     per-element transition probabilities between them;
// (c) fades/outages in time windows, scheduled or random (Poisson onsets, exponentially
//     distributed durations), during which every element reads as space (a line break) or as a
//     random value;
// (d) framing slips: not drawn separately; they follow from hits on start and stop elements
//     (and from outages) through the receiver below.
// Plus a deterministic hook: force the element with a given index to be read inverted.
//
// Cost. No random number is drawn per element: the gap to the next error is drawn directly
// (geometric skip, gap = floor(log U / log(1 - p))), and Gilbert–Elliott sojourns the same way,
// so the cost follows the errors, not the characters. Only frames touched by a changed element
// go through the element-level receiver; the others are copied.
//
// Determinism. The generator is xoshiro256** seeded through SplitMix64 (both fixed, specified
// algorithms); uniforms and geometric/exponential draws are computed here from the raw 64-bit
// outputs, never with std:: distributions. The same configuration, seed and sequence of calls
// give the same bytes. The random state carries over from one transmission to the next, so the
// element errors of two back-to-back transmissions equal those of one transmission of both.
//
// Element indices. Element j (0 start, 1..5 data, 6 stop) of frame k of a transmission has index
// k × 7 + j. Times (outage windows, transmission starts) are sender times.
//
// Receiver (a UART-style start-stop receiver on whole elements): hunting, it waits for a
// mark→space transition; it then samples the middle of the start element (which must still be
// space), the middle of data elements 1..5, and the middle of the stop element (space there is
// a framing error: the code is still delivered), and hunts again from that stop sample. A
// stream of 1.42-, 1.5- or 2-unit stops re-synchronises at the first mark→space transition that
// follows a stop sample. The line is at mark before and after the transmission. Noise on the
// idle line between transmissions is not modelled.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/clock.hpp"
#include "sim/line_profile.hpp"
#include "sim/random/random.hpp"

namespace hakto::sim {

using protocol::code;

// --- configuration ----------------------------------------------------------------------------

/// (a) Each element is inverted independently with probability p.
struct independent_errors {
    double p = 0.0;
};

/// (b) Gilbert–Elliott channel: a two-state Markov chain stepped once per element.
struct gilbert_elliott {
    double p_good = 0.0;  ///< element error rate in the good state
    double p_bad = 0.5;   ///< element error rate in the bad state
    double good_to_bad =
        0.0;  ///< probability, after each element in the good state, of moving to bad
    double bad_to_good =
        1.0;  ///< probability, after each element in the bad state, of moving to good
    /// Long-run share of elements in the bad state: g2b / (g2b + b2g).
    [[nodiscard]] double bad_share() const noexcept;
    /// Long-run element error rate.
    [[nodiscard]] double mean_error_rate() const noexcept;
};

/// What the line reads during an outage.
enum class outage_fill : std::uint8_t {
    space,   ///< a line break: every element reads as space
    random,  ///< every element reads as a random value (one fair random bit each)
};

/// (c) A scheduled outage: elements that overlap [begin, end) (sender time) are affected.
struct outage_window {
    sim_time begin{};
    sim_time end{};
    outage_fill fill = outage_fill::space;
    friend bool operator==(const outage_window&, const outage_window&) = default;
};

/// (c) Random outages: Poisson onsets, exponentially distributed durations.
struct random_outages {
    double onsets_per_hour = 0.0;
    sim_duration mean_duration{0};
    outage_fill fill = outage_fill::space;
    /// Where the Poisson process starts; default: the start of the first transmission.
    std::optional<sim_time> origin;
};

struct noise_config {
    std::uint64_t seed = 0;
    std::optional<independent_errors> independent;
    std::optional<gilbert_elliott> bursts;
    std::vector<outage_window> scheduled;
    std::optional<random_outages> fades;
};

struct noise_error {
    std::string message;
};

// --- what the receiver delivers -------------------------------------------------------------

/// Marks a frame slot in which the receiver delivered no character.
inline constexpr code no_code = 0xFF;

/// How the far-end receiver read a sent frame.
enum class frame_fate : std::uint8_t {
    in_step,  ///< it framed on this frame's start element (the code may still be garbled)
    slipped,  ///< it framed on a transition inside this frame: the character is out of step
    lost,     ///< no character started inside this frame's time
};

std::string_view frame_fate_name(frame_fate f) noexcept;

/// A frame that was not delivered clean: garbled, slipped, lost or with a framing error.
struct frame_fault {
    std::uint64_t frame = 0;
    frame_fate fate = frame_fate::in_step;
    /// The element of the sent frame at which the receiver's start fell (0 when in step).
    std::uint8_t start_element = 0;
    bool framing_error = false;  ///< the stop sample read space
    code sent = 0;
    code received = no_code;
    friend bool operator==(const frame_fault&, const frame_fault&) = default;
};

struct line_counters {
    std::uint64_t elements_sent = 0;
    std::uint64_t elements_flipped = 0;  ///< elements read other than sent
    std::uint64_t chars_sent = 0;
    std::uint64_t chars_delivered = 0;  ///< characters the receiver produced
    std::uint64_t chars_garbled = 0;    ///< delivered code ≠ sent code (in step or slipped)
    std::uint64_t frames_lost = 0;
    std::uint64_t frames_slipped = 0;
    std::uint64_t framing_errors = 0;

    line_counters& operator+=(const line_counters& o) noexcept;
    friend bool operator==(const line_counters&, const line_counters&) = default;
};

struct line_result {
    /// One slot per sent frame: the code the receiver read in that frame's time, or no_code.
    std::vector<code> delivered;
    /// Every frame not delivered clean and in step, in frame order.
    std::vector<frame_fault> faults;
    /// Indices (frame × 7 + element) of the elements read inverted, ascending.
    std::vector<std::uint64_t> changed_elements;
    line_counters counters;

    /// The delivered codes in order, without the empty slots: what the printer receives.
    [[nodiscard]] std::vector<code> printed() const;
};

/// The value (true = mark) element j of a frame carrying `c` has on the line.
[[nodiscard]] constexpr bool element_value(code c, int j) noexcept {
    if (j <= start_element) {
        return false;
    }
    if (j >= stop_element) {
        return true;
    }
    return ((c >> (j - 1)) & 1U) != 0;
}

/// The element-level start-stop receiver: reads `sent` with the elements listed in
/// `changed_elements` (ascending indices) inverted. Pure function.
line_result receive_elements(const line_profile& profile, std::span<const code> sent,
                             std::span<const std::uint64_t> changed_elements);

/// Time at the sender of the element at which the receiver framed the character of a fault
/// (the slipped start), for a transmission whose frame 0 starts at `start`.
sim_time fault_start_time(const line_profile& profile, sim_time start, const frame_fault& f);

// --- the noise model --------------------------------------------------------------------------

class noise_model {
  public:
    /// A noiseless line.
    noise_model();
    /// Checks the configuration (probabilities in [0, 1], rates and durations not negative,
    /// windows with begin <= end).
    static expected<noise_model, noise_error> create(noise_config config);

    /// Forces element `element_index` (frame × 7 + element) of the next transmission to be
    /// read inverted, whatever the random effects do there. Deterministic test hook.
    void force_error(std::uint64_t element_index);

    /// Draws the changed elements (ascending indices) of a transmission of the frames `sent`
    /// whose frame 0 starts at `start` (sender time), and advances the random state. The
    /// forced errors are used up. Transmissions are expected in time order.
    std::vector<std::uint64_t> realise(const line_profile& profile, sim_time start,
                                       std::span<const code> sent);

    /// realise() then receive_elements().
    line_result transmit(const line_profile& profile, sim_time start, std::span<const code> sent);

    [[nodiscard]] const noise_config& config() const noexcept { return config_; }
    /// The random outage windows drawn so far that may still matter (not yet ended).
    [[nodiscard]] const std::vector<outage_window>& pending_fades() const noexcept {
        return fades_;
    }
    /// Random outages drawn so far (onsets before the end of the last transmission).
    [[nodiscard]] std::uint64_t fades_drawn() const noexcept { return fades_drawn_; }

  private:
    explicit noise_model(noise_config config);

    void independent_flips(std::uint64_t elements, std::vector<std::uint64_t>& out);
    void burst_flips(std::uint64_t elements, std::vector<std::uint64_t>& out);
    void draw_fades_until(sim_time end);

    noise_config config_;
    // (a)
    xoshiro256ss independent_rng_;
    std::uint64_t independent_gap_ =
        xoshiro256ss::never;  // error-free elements before the next error
    bool independent_started_ = false;
    // (b)
    xoshiro256ss burst_rng_;
    bool burst_started_ = false;
    bool bad_ = false;
    std::uint64_t burst_left_ = 0;  // elements left in the current state's sojourn
    std::uint64_t burst_gap_ = 0;   // error-free elements before the next error in this state
    // (c)
    xoshiro256ss fade_rng_;
    xoshiro256ss fill_rng_;
    bool fades_started_ = false;
    sim_time next_fade_{};
    std::vector<outage_window> fades_;
    std::uint64_t fades_drawn_ = 0;
    // hook
    std::vector<std::uint64_t> forced_;
};

}  // namespace hakto::sim
