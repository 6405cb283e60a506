#pragma once
// The wall clock of the show's pacer: the time of the show's timer service, so that under
// sim::manual_timers the pacer's deadlines are in virtual time too.
#include <thread>

#include "sim/pacing.hpp"
#include "sim/timers.hpp"

namespace hakto::terminals::exhibit {

class timer_wall_clock final : public sim::wall_clock {
  public:
    /// `timers` must outlive the clock.
    explicit timer_wall_clock(sim::timer_service& timers) : timers_(timers) {}

    sim::wall_time now() override { return timers_.now(); }
    /// Blocks the thread for the time left until `deadline` on the service's clock. The show
    /// never does: it asks its pacer for deadlines and waits for them with a timer. (Under
    /// manual_timers time does not move while the thread sleeps: a blocking pacer there would
    /// never return.)
    void sleep_until(sim::wall_time deadline) override {
        const auto left = deadline - timers_.now();
        if (left > sim::wall_duration::zero()) std::this_thread::sleep_for(left);
    }

  private:
    sim::timer_service& timers_;
};

}  // namespace hakto::terminals::exhibit
