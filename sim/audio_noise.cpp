#include "sim/audio_noise.hpp"

#include <cmath>
#include <numbers>

#include "sim/noise.hpp"

namespace hakto::sim {

double mean_power(std::span<const float> samples) noexcept {
    if (samples.empty()) return 0;
    double sum = 0;
    for (float x : samples) sum += static_cast<double>(x) * x;
    return sum / static_cast<double>(samples.size());
}

double noise_sigma_for_snr(double signal_power, double snr_db) noexcept {
    return std::sqrt(signal_power / std::pow(10.0, snr_db / 10));
}

void add_white_noise(std::span<float> samples, double sigma, std::uint64_t seed) {
    xoshiro256ss rng(seed);
    std::size_t i = 0;
    while (i < samples.size()) {
        // Box–Muller: two independent standard normals from two uniforms in (0, 1).
        const double r = std::sqrt(-2 * std::log(rng.uniform_open()));
        const double a = 2 * std::numbers::pi * rng.uniform_open();
        samples[i] += static_cast<float>(sigma * r * std::cos(a));
        if (++i < samples.size()) samples[i] += static_cast<float>(sigma * r * std::sin(a));
        ++i;
    }
}

}  // namespace hakto::sim
