#include "protocol/afsk/afsk_params.hpp"

#include <cmath>

#include <fmt/format.h>

namespace hakto::protocol {

expected<afsk_params, afsk_error> check_afsk_params(const afsk_params& p) {
    if (p.sample_rate < 8000 || p.sample_rate > 192000)
        return afsk_error{
            fmt::format("sample rate {} Hz is outside 8000–192000 Hz", p.sample_rate)};
    if (!(p.baud >= 10 && p.baud <= 1000))
        return afsk_error{fmt::format("{} baud is outside 10–1000 baud", p.baud)};
    if (p.samples_per_unit() < 16)
        return afsk_error{fmt::format("{} baud at {} Hz gives fewer than 16 samples an element",
                                      p.baud, p.sample_rate)};
    const double top = 0.45 * p.sample_rate;
    for (double f : {p.mark_hz, p.space_hz})
        if (!(f >= 100 && f <= top))
            return afsk_error{fmt::format("tone {} Hz is outside 100–{:.0f} Hz at {} Hz sampling",
                                          f, top, p.sample_rate)};
    if (!(std::abs(p.mark_hz - p.space_hz) >= 2 * p.baud))
        return afsk_error{fmt::format("mark {} Hz and space {} Hz are closer than 2 × {} baud",
                                      p.mark_hz, p.space_hz, p.baud)};
    if (!(p.stop_units >= 1 && p.stop_units <= 2))
        return afsk_error{fmt::format("a stop of {} units is outside 1–2 units", p.stop_units)};
    return p;
}

}  // namespace hakto::protocol
