#include "terminals/replay/replay_idle.hpp"

#include <fmt/format.h>

namespace hakto::terminals {

std::optional<replay_event> skip_idle_time(sim::engine& e, sim::pacer& pace) {
    auto next = e.next_time();
    if (!next || *next - e.now() <= idle_gap) return std::nullopt;
    const auto gap = *next - e.now();
    e.run_until(*next - std::chrono::seconds{1});
    pace.anchor();
    replay_event idle;
    idle.kind = replay_event_kind::note;
    idle.at = e.now();
    idle.text =
        fmt::format("… {} (h:mm:ss) pass with no traffic …", sim::format_elapsed(gap).substr(0, 8));
    return idle;
}

}  // namespace hakto::terminals
