#pragma once
// Frames: the show's events gathered for at most frame_interval, then sent to every screen as
// one message {"type":"frame","seq":N,"events":[…]}, serialized once. The builder holds the
// frame being gathered; the show decides when it goes (its timer, a size limit, or a message
// that must follow the events before it).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/pacing.hpp"

namespace hakto::terminals::exhibit {

class frame_builder {
  public:
    /// Adds an event (its JSON); true when it is the frame's first, so that the caller arms the
    /// frame's timer.
    bool add(std::string_view event_json, sim::wall_time now);
    bool empty() const noexcept { return events_.empty(); }
    /// The bytes of the events gathered so far.
    std::size_t size() const noexcept { return events_.size(); }
    /// When the frame's first (oldest) event came.
    sim::wall_time since() const noexcept { return since_; }
    /// The frame as a message, numbered one after the last; the builder starts a new frame.
    /// Only when not empty().
    std::string take();
    /// The number of the last frame taken (0: none yet).
    std::uint64_t seq() const noexcept { return seq_; }

  private:
    std::string events_;  // comma-separated
    sim::wall_time since_{};
    std::uint64_t seq_ = 0;
};

}  // namespace hakto::terminals::exhibit
