#pragma once
// The generators every random effect of hakto draws from: SplitMix64 to expand one seed,
// xoshiro256** for the draws (both fixed, specified algorithms, so the same seed gives the same
// bytes on every machine). Uniforms and geometric and exponential draws are computed here from
// the raw 64-bit outputs, never with std:: distributions.
#include <cstdint>

namespace hakto::sim {

/// SplitMix64 (Steele, Lea, Flood 2014): used to expand one seed into generator states.
class splitmix64 {
  public:
    explicit constexpr splitmix64(std::uint64_t seed) noexcept : state_(seed) {}
    constexpr std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

  private:
    std::uint64_t state_;
};

/// xoshiro256** 1.0 (Blackman, Vigna 2018), seeded with four SplitMix64 outputs.
class xoshiro256ss {
  public:
    explicit xoshiro256ss(std::uint64_t seed) noexcept;
    std::uint64_t next() noexcept;
    /// A uniform double in the open interval (0, 1): (top 53 bits + 0.5) × 2^-53.
    double uniform_open() noexcept;
    /// Number of failures before the first success of a Bernoulli(p) sequence:
    /// floor(log U / log(1 - p)). p <= 0 gives never_ (UINT64_MAX); p >= 1 gives 0.
    std::uint64_t geometric(double p) noexcept;
    /// Exponential with the given mean: -mean × log U.
    double exponential(double mean) noexcept;

    static constexpr std::uint64_t never = ~std::uint64_t{0};

  private:
    std::uint64_t s_[4];
};

}  // namespace hakto::sim
