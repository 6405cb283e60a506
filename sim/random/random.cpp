#include "sim/random/random.hpp"

#include <cmath>

namespace hakto::sim {
namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
    return (x << k) | (x >> (64 - k));
}

// Draws above this are treated as "never" so that index arithmetic cannot overflow.
constexpr double geometric_cap = 4.0e18;

}  // namespace

xoshiro256ss::xoshiro256ss(std::uint64_t seed) noexcept {
    splitmix64 sm(seed);
    for (std::uint64_t& s : s_) {
        s = sm.next();
    }
}

std::uint64_t xoshiro256ss::next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double xoshiro256ss::uniform_open() noexcept {
    return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53;
}

std::uint64_t xoshiro256ss::geometric(double p) noexcept {
    if (!(p > 0.0)) {
        return never;
    }
    if (p >= 1.0) {
        return 0;
    }
    const double g = std::floor(std::log(uniform_open()) / std::log1p(-p));
    if (!(g < geometric_cap)) {
        return never;
    }
    return static_cast<std::uint64_t>(g);
}

double xoshiro256ss::exponential(double mean) noexcept {
    return -mean * std::log(uniform_open());
}

}  // namespace hakto::sim
