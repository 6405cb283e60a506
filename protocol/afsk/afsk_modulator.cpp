#include "protocol/afsk/afsk_modulator.hpp"

#include <cmath>
#include <numbers>

namespace hakto::protocol {

expected<afsk_modulator, afsk_error> afsk_modulator::create(const afsk_params& params,
                                                            double amplitude) {
    auto checked = check_afsk_params(params);
    if (!checked) return checked.error();
    if (!(amplitude > 0 && amplitude <= 1)) return afsk_error{"amplitude must be in (0, 1]"};
    return afsk_modulator{params, amplitude};
}

afsk_modulator::afsk_modulator(const afsk_params& params, double amplitude)
    : params_(params),
      amplitude_(amplitude),
      spu_(params.samples_per_unit()),
      step_mark_(params.mark_hz / params.sample_rate),
      step_space_(params.space_hz / params.sample_rate) {}

void afsk_modulator::tone_until(std::uint64_t end, bool mark, std::vector<float>& out) {
    if (end <= written_) return;
    const double step = mark ? step_mark_ : step_space_;
    const auto n = static_cast<std::size_t>(end - written_);
    const std::size_t base = out.size();
    out.resize(base + n);
    // The phase is carried in cycles and wrapped, so it stays exact over any length.
    double ph = phase_;
    for (std::size_t i = 0; i < n; ++i) {
        out[base + i] = static_cast<float>(amplitude_ * std::sin(2 * std::numbers::pi * ph));
        ph += step;
        if (ph >= 1) ph -= 1;
    }
    phase_ = ph;
    written_ = end;
}

void afsk_modulator::idle_samples(std::uint64_t samples, std::vector<float>& out) {
    tone_until(written_ + samples, true, out);
    anchor_ = written_;
    run_frames_ = 0;
}

void afsk_modulator::idle_units(double units, std::vector<float>& out) {
    if (units <= 0) return;
    idle_samples(static_cast<std::uint64_t>(std::llround(units * spu_)), out);
}

void afsk_modulator::frame(code c, std::vector<float>& out) {
    const double first = static_cast<double>(run_frames_) * params_.units_per_frame();
    auto boundary = [&](double units) {
        return anchor_ + static_cast<std::uint64_t>(std::llround((first + units) * spu_));
    };
    tone_until(boundary(1), false, out);  // start element: space
    for (int j = 0; j < 5; ++j) tone_until(boundary(2 + j), ((c >> j) & 1U) != 0, out);
    tone_until(boundary(params_.units_per_frame()), true, out);  // stop element: mark
    ++run_frames_;
}

void afsk_modulator::frames(std::span<const code> codes, std::vector<float>& out) {
    out.reserve(out.size() + static_cast<std::size_t>(codes.size() * samples_per_frame()) + 16);
    for (code c : codes) frame(c, out);
}

}  // namespace hakto::protocol
