#pragma once
// Virtual time: a signed 64-bit count of nanoseconds since 1970-01-01T00:00:00Z.
//
// The count is the POSIX one (as std::chrono::sys_time): every UTC day has 86,400 seconds and leap
// seconds are not counted, so 1972-06-30T23:59:60Z has no value of its own. The range is about
// ±292 years around 1970, which covers 1972 with room to spare.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace hakto::sim {

/// The clock of simulated UTC. It has no static now(): the current virtual time belongs to an
/// engine (engine::now()).
struct utc_sim_clock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<utc_sim_clock, duration>;
    static constexpr bool is_steady = false;
};

using sim_duration = utc_sim_clock::duration;
using sim_time = utc_sim_clock::time_point;

/// 1970-01-01T00:00:00Z.
inline constexpr sim_time sim_epoch{};

/// Any std::chrono::sys_time, truncated to nanoseconds.
template <class Duration>
constexpr sim_time to_sim_time(std::chrono::sys_time<Duration> t) {
    return sim_time{std::chrono::duration_cast<sim_duration>(t.time_since_epoch())};
}

constexpr std::chrono::sys_time<std::chrono::nanoseconds> to_sys_time(sim_time t) {
    return std::chrono::sys_time<std::chrono::nanoseconds>{t.time_since_epoch()};
}

/// A UTC calendar date and time of day, e.g. make_sim_time(1972y / June / 21, 16h, 15min).
constexpr sim_time make_sim_time(std::chrono::year_month_day date,
                                 std::chrono::hours h = std::chrono::hours{0},
                                 std::chrono::minutes m = std::chrono::minutes{0},
                                 std::chrono::seconds s = std::chrono::seconds{0}) {
    return to_sim_time(std::chrono::sys_days{date} + h + m + s);
}

/// Seconds as a double, rounded to the nearest nanosecond.
inline sim_duration seconds_to_duration(double seconds) {
    return sim_duration{static_cast<std::int64_t>(std::llround(seconds * 1e9))};
}

constexpr double to_seconds(sim_duration d) {
    return std::chrono::duration<double>(d).count();
}

/// "1972-06-21T16:15:00.000000000Z" (always nine fraction digits).
inline std::string format_sim_time(sim_time t) {
    using namespace std::chrono;
    const auto ns = t.time_since_epoch();
    auto day = floor<days>(ns);
    const year_month_day ymd{sys_days{day}};
    auto rest = ns - day;  // always in [0, 1 day)
    const auto h = duration_cast<hours>(rest);
    rest -= h;
    const auto m = duration_cast<minutes>(rest);
    rest -= m;
    const auto s = duration_cast<seconds>(rest);
    rest -= s;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       h.count(), m.count(), s.count(), rest.count());
}

/// "h:mm:ss" with the fraction when there is one: "0:01:38", "27:49:12.5", "-0:00:01".
inline std::string format_elapsed(sim_duration d) {
    using namespace std::chrono;
    const bool negative = d < sim_duration::zero();
    if (negative) d = -d;
    const auto h = duration_cast<hours>(d);
    d -= h;
    const auto m = duration_cast<minutes>(d);
    d -= m;
    const auto s = duration_cast<seconds>(d);
    d -= s;
    std::string out =
        fmt::format("{}{}:{:02}:{:02}", negative ? "-" : "", h.count(), m.count(), s.count());
    if (d.count() != 0) {
        std::string frac = fmt::format("{:09}", d.count());
        while (frac.back() == '0') frac.pop_back();
        out += '.';
        out += frac;
    }
    return out;
}

}  // namespace hakto::sim
