#pragma once
// Idle hours in a paced replay: when nothing happens for more than two minutes of virtual time,
// the clock moves on to a second before the next event instead of waiting through the gap,
// and a note says how long passed. The terminal replay and the exhibit's show both skip this
// way.
#include <chrono>
#include <optional>

#include "sim/engine.hpp"
#include "sim/pacing.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {

/// Gaps longer than this are skipped.
inline constexpr sim::sim_duration idle_gap = std::chrono::minutes{2};

/// If the engine's next event is more than idle_gap away, runs it up to a second before that
/// event, anchors the pacer again (no burst of late events) and returns the note to show
/// ("… 0:40:00 (h:mm:ss) pass with no traffic …"); otherwise does nothing.
std::optional<replay_event> skip_idle_time(sim::engine& e, sim::pacer& pace);

}  // namespace hakto::terminals
