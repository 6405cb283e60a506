#pragma once
// Seeded white Gaussian noise for audio, to test and measure the AFSK demodulator.
//
// SNR convention (used by the tests, the benchmark and docs/audio.md): signal power over noise
// power in the full band of the sampled signal, 0 to half the sample rate. The signal power is
// the mean square of the clean samples (for the constant-envelope AFSK tone, A²/2); the noise is
// independent N(0, σ²) samples with σ² = signal power / 10^(SNR/10). The same in a bandwidth B
// is SNR + 10·log10(fs / 2B); energy per element over noise density is SNR + 10·log10(fs / 2·baud).
//
// The normal deviates come from xoshiro256** (sim/noise.hpp) through the Box–Muller transform,
// computed here, so the same seed gives the same samples on every platform and library.
#include <cstdint>
#include <span>

namespace hakto::sim {

/// Mean square of the samples (0 for none).
double mean_power(std::span<const float> samples) noexcept;

/// The noise standard deviation that gives `snr_db` against a signal of `signal_power`.
double noise_sigma_for_snr(double signal_power, double snr_db) noexcept;

/// Adds N(0, sigma²) to every sample, from the seed.
void add_white_noise(std::span<float> samples, double sigma, std::uint64_t seed);

}  // namespace hakto::sim
