#pragma once
// The exhibit's health, for monitoring (GET /healthz, docs/exhibit.md "Health"): how the show
// stands and whether it is advancing as it should. No operator talk restrictions apply (it is
// for the operator's tools, not the visitors' screens), but nothing secret goes in it: no
// operator token, no path.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/pacing.hpp"

namespace hakto::terminals::exhibit {

/// How the show stands, as exhibit::show::health() reports it.
struct show_health {
    /// "playing", "paused", "between runs" (the attract loop's pause), "not started" (before
    /// start()), "failed to start" (the last run could not start; the loop tries again).
    std::string show = "not started";
    std::string cable;            ///< the cable at work; empty: none
    std::string stage;            ///< the run record's stage (drafting, punching, …)
    std::string mode;             ///< attract, visitor
    std::string speed;            ///< as read_speed reads it: 20x, real, max
    bool noise = false;           ///< the circuits' noise on
    std::uint64_t run = 0;        ///< runs begun since the start
    sim::wall_duration uptime{};  ///< since the show started
    /// Since the show last moved (an event, a run begun or over).
    sim::wall_duration since_last_event{};
    /// Why the show is not advancing as it should (empty: it is): no event for longer than
    /// exhibit_options::stall_after beyond when the next was due while not paused, or the run
    /// could not start.
    std::optional<std::string> stalled;
};

/// What /healthz answers: 200 and {"status":"ok",…} while the show runs as it should, 503 and
/// {"status":"stalled","reason":…,…} when it does not. Either way the same fields: show, cable
/// (null when none), stage, mode, speed, noise, run, uptime_s, viewers, last_event_age_s,
/// version.
struct health_answer {
    bool ok = true;
    std::string body;  ///< application/json
};
health_answer health_reply(const show_health& h, std::size_t viewers, std::string_view version);

/// The answer when there is no show to ask (the exhibit is closing): 503, "status":"stopping".
health_answer stopping_reply(std::size_t viewers, std::string_view version);

}  // namespace hakto::terminals::exhibit
