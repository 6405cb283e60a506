#pragma once
// An instant the simulation tests start from.
#include <chrono>

#include "sim/clock.hpp"

namespace hakto::test {

/// 16:15Z on 21 June 1972, the date-time group of HAKTO 12.
inline constexpr sim::sim_time t0 =
    sim::make_sim_time(std::chrono::year{1972} / std::chrono::June / 21, std::chrono::hours{16},
                       std::chrono::minutes{15});

}  // namespace hakto::test
