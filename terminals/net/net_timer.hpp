#pragma once
// One timer of a sim::timer_service (sim/timers.hpp) held by the object it calls back: setting it
// again replaces the deadline, and it is cancelled when its holder goes, so a callback never
// outlives the object it calls. The network's sessions, nodes and spool wait with these: on
// terminals::asio_timers in the program, on sim::manual_timers (virtual time) in the tests.
#include <optional>
#include <utility>

#include "sim/timers.hpp"

namespace hakto::terminals {

class scoped_timer {
  public:
    explicit scoped_timer(sim::timer_service& timers) noexcept : timers_(&timers) {}
    ~scoped_timer() { cancel(); }
    scoped_timer(const scoped_timer&) = delete;
    scoped_timer& operator=(const scoped_timer&) = delete;

    /// Calls `f` once at `deadline` (replacing any deadline set before).
    void set_at(sim::wall_time deadline, sim::timer_service::callback f) {
        cancel();
        id_ = timers_->call_at(deadline, [this, f = std::move(f)] {
            id_.reset();
            f();  // may set the timer again, or destroy its holder: nothing of this after it
        });
    }
    void set_after(sim::wall_duration d, sim::timer_service::callback f) {
        set_at(timers_->now() + d, std::move(f));
    }
    void cancel() {
        if (!id_) return;
        timers_->cancel(*id_);
        id_.reset();
    }
    [[nodiscard]] bool pending() const noexcept { return id_.has_value(); }

  private:
    sim::timer_service* timers_;
    std::optional<sim::timer_service::timer_id> id_;
};

}  // namespace hakto::terminals
