#pragma once
// Timers for the code that waits on the wall clock: the network's sessions and nodes, the
// exhibit's show. They take a timer_service instead of making Asio timers of their own, so
// that their unit tests run in virtual time (manual_timers: time moves only when the test moves
// it; no sleeps, no polling of real timers). The real service runs on Asio
// (terminals/support/asio_timers.hpp). sim::wall_clock (sim/pacing.hpp) is the same idea for
// the pacer.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "sim/pacing.hpp"

namespace hakto::sim {

class timer_service {
  public:
    using callback = std::function<void()>;
    using timer_id = std::uint64_t;

    virtual ~timer_service() = default;
    virtual wall_time now() const = 0;
    /// Calls `f` once, at or after `deadline`, unless cancelled first. Never calls it from
    /// within call_at.
    virtual timer_id call_at(wall_time deadline, callback f) = 0;
    timer_id call_after(wall_duration d, callback f) { return call_at(now() + d, std::move(f)); }
    /// A timer already called, or cancelled, is left alone.
    virtual void cancel(timer_id id) = 0;
};

/// Virtual time: starts at a fixed instant and moves only by advance()/run_next(). Timers due
/// at the same instant run in the order they were set.
class manual_timers final : public timer_service {
  public:
    explicit manual_timers(wall_time start = wall_time{}) : now_(start) {}

    wall_time now() const override { return now_; }
    timer_id call_at(wall_time deadline, callback f) override;
    void cancel(timer_id id) override;

    /// The deadline of the next timer, if any is set.
    std::optional<wall_time> next_deadline() const;
    /// Moves time to the next deadline and runs the timers due then; false when none is set.
    bool run_next();
    /// Moves time forward by `d`, running every timer due on the way, in deadline order.
    void advance(wall_duration d);
    std::size_t pending() const { return timers_.size(); }

  private:
    struct key {
        wall_time at;
        timer_id id;
        friend bool operator<(const key& a, const key& b) {
            return a.at != b.at ? a.at < b.at : a.id < b.id;
        }
    };
    wall_time now_;
    timer_id next_id_ = 1;
    std::map<key, callback> timers_;
    std::map<timer_id, wall_time> deadlines_;
};

}  // namespace hakto::sim
