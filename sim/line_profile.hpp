#pragma once
// Start-stop line timing: the speed profiles of a teletype circuit and the closed-form time of
// every frame and element.
//
// Framing (protocol facts §2.3, "what a faithful simulator must model" 5):
// - the line rests at mark;
// - a character is 1 start element (space), 5 data elements sent element 1 first (element 1 is
//   the least significant bit of the code), then a stop element (mark) of 1, 1.42, 1.5 or 2 units.
//
// Profiles (protocol facts §2.3 table, "what a faithful simulator must model" 6):
//   60 wpm   45.45 baud  stop 1.42  7.42 units  163.26 ms a character (the project states 163.2)
//   66 wpm   45.45 baud  stop 1.0   7.00 units  154.02 ms
//   67 wpm   50    baud  stop 1.5   7.50 units  150.00 ms
//   75 wpm   56.88 baud  stop 1.42  7.42 units  130.45 ms
//   100 wpm  74.2  baud  stop 1.42  7.42 units  100.00 ms
//
// Exactness. The baud rate and the stop length are held as fractions, and every time is worked
// out from them in integer arithmetic: the time of element j of frame k is
// start + round((k × units_per_frame + j) × unit_exact), rounded once, to the nearest nanosecond.
// Frame k therefore ends at start + round((k + 1) × frame_exact); it is never a sum of rounded
// frame times, so there is no cumulative drift however long the transmission.
//
// Ticks. The element-level models count time in ticks: 2 × (denominator of the stop length)
// ticks a unit, so that every element boundary and every half-unit sampling point of a receiver
// falls on a whole tick (1.42 stop: 100 ticks a unit, 742 a frame).
#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"
#include "sim/clock.hpp"

namespace hakto::sim {

/// Elements of one start-stop frame: start, data 1..5, stop.
inline constexpr int elements_per_frame = 7;
/// Index of the start element in a frame.
inline constexpr int start_element = 0;
/// Index of the stop element in a frame; data element n (1..5) has index n.
inline constexpr int stop_element = 6;

/// The stop lengths in use on teletype circuits (protocol facts §2.3).
enum class stop_length : std::uint8_t { one, one_42, one_5, two };

/// "1", "1.42", "1.5" or "2".
std::string_view stop_length_name(stop_length s) noexcept;

struct profile_error {
    std::string message;
};

/// One speed of a teletype line, with exact (fractional) timing.
class line_profile {
  public:
    /// The 60 wpm profile (45.45 baud, 1.42 stop), equal to profile_60wpm().
    line_profile() = default;

    /// A profile of baud_numerator / baud_denominator baud. Fails on a zero numerator or
    /// denominator, or a rate above 1,000,000 baud (outside what the integer timing supports).
    static expected<line_profile, profile_error> make(std::string name, std::string description,
                                                      std::uint32_t baud_numerator,
                                                      std::uint32_t baud_denominator,
                                                      stop_length stop);

    /// "60wpm", "66wpm", "67wpm", "75wpm" or "100wpm" for the standard profiles.
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] const std::string& description() const noexcept { return description_; }
    [[nodiscard]] stop_length stop() const noexcept { return stop_; }

    [[nodiscard]] double baud() const noexcept;
    [[nodiscard]] double stop_units() const noexcept;
    /// 6 + stop: 7.42, 7.0, 7.5 or 8.0.
    [[nodiscard]] double units_per_frame() const noexcept;
    /// Exact (unrounded) length of one unit and one frame, in nanoseconds.
    [[nodiscard]] double unit_ns_exact() const noexcept;
    [[nodiscard]] double frame_ns_exact() const noexcept;
    /// Characters a minute and words a minute (6 characters a word) on a continuous stream.
    [[nodiscard]] double characters_per_minute() const noexcept;
    [[nodiscard]] double words_per_minute() const noexcept;

    /// round(k × frame_exact): the length of k back-to-back frames.
    [[nodiscard]] sim_duration frames(std::uint64_t k) const noexcept;
    /// Start of frame k of a stream whose frame 0 starts at `start`.
    [[nodiscard]] sim_time frame_start(sim_time start, std::uint64_t k) const noexcept;
    /// End of frame k (= start of frame k + 1).
    [[nodiscard]] sim_time frame_end(sim_time start, std::uint64_t k) const noexcept;
    /// Start of element j (0 start, 1..5 data, 6 stop; 7 means the end of the frame) of frame k.
    [[nodiscard]] sim_time element_start(sim_time start, std::uint64_t k, int j) const noexcept;
    /// End of element j of frame k (end of the stop element = end of the frame).
    [[nodiscard]] sim_time element_end(sim_time start, std::uint64_t k, int j) const noexcept;
    /// Number of whole frames of a stream starting at `start` that have ended at or before `t`.
    [[nodiscard]] std::uint64_t frames_ended_by(sim_time start, sim_time t) const noexcept;
    /// Number of frames of a stream starting at `start` that have started before `t`.
    [[nodiscard]] std::uint64_t frames_started_before(sim_time start, sim_time t) const noexcept;

    // --- ticks, for the element-level models -------------------------------------------
    [[nodiscard]] std::uint64_t ticks_per_unit() const noexcept { return ticks_per_unit_; }
    [[nodiscard]] std::uint64_t ticks_per_frame() const noexcept { return ticks_per_frame_; }
    /// Tick at which element j (0..7) of frame k starts.
    [[nodiscard]] std::uint64_t element_tick(std::uint64_t k, int j) const noexcept;
    /// round(ticks × tick_exact) in nanoseconds.
    [[nodiscard]] sim_duration ticks_to_ns(std::uint64_t ticks) const noexcept;
    /// floor(ns / tick_exact): the tick that contains the instant `ns` after the stream start.
    [[nodiscard]] std::uint64_t ns_to_ticks_floor(sim_duration ns) const noexcept;
    /// ceil(ns / tick_exact).
    [[nodiscard]] std::uint64_t ns_to_ticks_ceil(sim_duration ns) const noexcept;

    friend bool operator==(const line_profile&, const line_profile&) = default;

  private:
    // The defaults are the 60 wpm profile, as make() computes it (checked by the tests).
    std::string name_ = "60wpm";
    std::string description_ = "60 wpm: US Teletype and military, 45.45 baud, 1.42 stop";
    std::uint32_t baud_num_ = 909;  // 45.45 = 909/20
    std::uint32_t baud_den_ = 20;
    stop_length stop_ = stop_length::one_42;
    std::uint32_t stop_num_ = 71;  // stop units = stop_num_ / stop_den_ = 1.42
    std::uint32_t stop_den_ = 50;
    std::uint64_t ticks_per_unit_ = 100;
    std::uint64_t ticks_per_frame_ = 742;
    std::uint64_t tick_ns_num_ =
        200'000'000;  // one tick = tick_ns_num_ / tick_ns_den_ ns (reduced)
    std::uint64_t tick_ns_den_ = 909;
};

/// The five standard profiles, slowest first: 60, 66, 67, 75, 100 wpm.
std::span<const line_profile> standard_profiles();

/// A standard profile by name. Case, spaces, '-' and '_' are ignored, and "wpm" is optional:
/// "60wpm", "60", "60 WPM", "60-wpm" all find the 60 wpm profile. "telex" and "ita2" are
/// accepted for 67 wpm, "wu" and "western-union" for 66 wpm.
expected<line_profile, profile_error> find_profile(std::string_view name);

/// The 60 wpm profile, the default of US military circuits (protocol facts §2.3).
const line_profile& profile_60wpm();

}  // namespace hakto::sim
