#pragma once
// Pacing: how virtual time is tied to the wall clock while an engine runs.
//
//  * as fast as possible: no waiting;
//  * real time and scaled (×N): each event waits for its own wall-clock deadline,
//        deadline(t) = wall_start + (t - sim_start) × den / num,
//    computed from the anchor every time, so oversleeping on one event never shifts the next;
//  * stepped: time moves only on command (next event, or by a duration).
// The wall clock is an interface so that tests run without sleeping and see every deadline.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"
#include "sim/clock.hpp"
#include "sim/engine.hpp"

namespace hakto::sim {

using wall_time = std::chrono::steady_clock::time_point;
using wall_duration = std::chrono::steady_clock::duration;

class wall_clock {
  public:
    virtual ~wall_clock() = default;
    virtual wall_time now() = 0;
    /// Returns at or after `deadline` (a fake clock may just move its time there).
    virtual void sleep_until(wall_time deadline) = 0;
};

/// std::chrono::steady_clock and std::this_thread::sleep_until.
class steady_wall_clock final : public wall_clock {
  public:
    wall_time now() override;
    void sleep_until(wall_time deadline) override;
};

struct pacing {
    enum class mode : unsigned char { as_fast_as_possible, real_time, scaled, stepped };

    mode kind = mode::as_fast_as_possible;
    /// Speed factor num/den: simulated time runs num/den times as fast as the wall clock.
    std::int64_t num = 1;
    std::int64_t den = 1;

    static constexpr pacing as_fast_as_possible() { return {}; }
    static constexpr pacing real_time() { return {mode::real_time, 1, 1}; }
    /// ×(num/den): scaled(60) runs an hour of virtual time in a wall-clock minute; scaled(1, 2)
    /// runs at half speed.
    static constexpr pacing scaled(std::int64_t num, std::int64_t den = 1) {
        return {mode::scaled, num, den};
    }
    static constexpr pacing stepped() { return {mode::stepped, 1, 1}; }

    constexpr bool paced() const { return kind == mode::real_time || kind == mode::scaled; }
    friend constexpr bool operator==(const pacing&, const pacing&) = default;
};

enum class pacing_error {
    needs_command,  ///< run()/run_until() under stepped pacing: use step() or advance()
    bad_scale,      ///< num or den not positive
};

std::string_view to_string(pacing_error e);

/// A speed as the user writes it: "real" (the circuits' own speed), "max" (no waiting), or a
/// factor "20x" (N from above 0 to 1,000,000, kept to a thousandth). The one reader of it: the
/// command line's --speed, the exhibit's controls and the network's --speed all use it.
struct speed_error {
    enum class kind_t { not_a_speed, out_of_range } kind = kind_t::not_a_speed;
    std::string text;  ///< what was given
    /// "must be real, max, or a factor such as 20x, not 'TEXT'"
    std::string message() const;
};
expected<pacing, speed_error> read_speed(std::string_view text);
/// The name read_speed reads back: "max", "real", "20x", "2.5x".
std::string speed_name(const pacing& p);
/// The factor of a paced policy (real: 1); 0 for as fast as possible.
double speed_factor(const pacing& p);

class pacer {
  public:
    /// `clock` must outlive the pacer.
    pacer(engine& e, pacing p, wall_clock& clock);
    /// Paces against std::chrono::steady_clock.
    pacer(engine& e, pacing p);
    pacer(const pacer&) = delete;
    pacer& operator=(const pacer&) = delete;

    /// Runs until the engine has no events (or stop()). Returns the number of events run.
    expected<std::uint64_t, pacing_error> run();
    /// Runs the events due at or before `t`; when paced, also waits for the deadline of `t` itself
    /// before moving the engine's time to `t`.
    expected<std::uint64_t, pacing_error> run_until(sim_time t);

    /// Runs the next event, in any mode; when paced it first waits for that event's deadline.
    /// False if there is none.
    expected<bool, pacing_error> step();
    /// Moves virtual time on by `d`, running the events on the way (waiting for each when paced).
    expected<std::uint64_t, pacing_error> advance(sim_duration d);

    /// Ends the current run at the next event boundary. Callable from an event handler.
    void stop() noexcept;

    /// Changes the policy; the wall clock is anchored again at the next run.
    void set_pacing(pacing p) noexcept;
    const pacing& policy() const noexcept { return pacing_; }

    /// Ties the engine's current time to the wall clock's now. Done by the first run/step after
    /// construction or set_pacing(); call it again after a pause to avoid a burst of late events.
    void anchor();
    bool anchored() const noexcept { return anchored_; }
    wall_time wall_start() const noexcept { return wall_start_; }
    sim_time sim_start() const noexcept { return sim_start_; }

    /// The wall-clock deadline of virtual time `t` under the current anchor and speed.
    wall_time deadline(sim_time t) const noexcept;

  private:
    expected<void, pacing_error> check() const;
    void wait_for(sim_time t);
    std::uint64_t paced_run(std::optional<sim_time> limit);

    engine& engine_;
    pacing pacing_;
    steady_wall_clock own_clock_;
    wall_clock& clock_;
    wall_time wall_start_{};
    sim_time sim_start_{};
    bool anchored_ = false;
    bool stop_ = false;
};

}  // namespace hakto::sim
