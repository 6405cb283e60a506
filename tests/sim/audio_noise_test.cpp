#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "protocol/afsk/afsk_demodulator.hpp"
#include "protocol/afsk/afsk_modulator.hpp"
#include "sim/audio_noise.hpp"
#include "sim/noise.hpp"

using namespace hakto;

namespace {

std::vector<protocol::code> random_codes(std::size_t n, std::uint64_t seed) {
    sim::xoshiro256ss rng(seed);
    std::vector<protocol::code> c;
    for (std::size_t i = 0; i < n; ++i) c.push_back(static_cast<protocol::code>(rng.next() & 0x1F));
    return c;
}

std::vector<protocol::code> demodulate(const protocol::afsk_params& p,
                                       const std::vector<float>& x) {
    auto d = protocol::afsk_demodulator::create(p).value();
    std::vector<protocol::afsk_character> chars;
    d.feed(std::span<const float>(x), chars);
    d.finish(chars);
    std::vector<protocol::code> out;
    for (const auto& c : chars) out.push_back(c.value);
    return out;
}

/// Wrong, missing or extra codes against the sent ones (edit distance).
std::size_t errors(const std::vector<protocol::code>& a, const std::vector<protocol::code>& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1, cur[j - 1] + 1});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace

TEST_CASE("seeded white noise: same seed same samples, the power asked for") {
    std::vector<float> a(100000, 0.0f), b = a, c = a;
    sim::add_white_noise(a, 0.1, 42);
    sim::add_white_noise(b, 0.1, 42);
    sim::add_white_noise(c, 0.1, 43);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(sim::mean_power(a) == Approx(0.01).epsilon(0.02));
    double mean = 0;
    for (float x : a) mean += x;
    CHECK(std::abs(mean / static_cast<double>(a.size())) < 0.002);
    CHECK(sim::noise_sigma_for_snr(0.125, 0) == Approx(std::sqrt(0.125)));
    CHECK(sim::noise_sigma_for_snr(0.125, 10) == Approx(std::sqrt(0.0125)));
}

TEST_CASE("decoding under seeded noise at a moderate SNR stays within the bound") {
    // 8 kHz, SNR -5 dB in the full band: Eb/N0 = 14.4 dB. Non-coherent FSK would lose about
    // 1 element in 10^5 there; the bound allows 0.2 % of the characters.
    protocol::afsk_params p;
    p.sample_rate = 8000;
    const auto codes = random_codes(2000, 11);
    auto m = protocol::afsk_modulator::create(p, 0.5).value();
    std::vector<float> x;
    m.idle_units(5, x);
    m.frames(codes, x);
    m.idle_units(5, x);
    sim::add_white_noise(x, sim::noise_sigma_for_snr(sim::mean_power(x), -5.0), 5);
    auto d = protocol::afsk_demodulator::create(p).value();
    std::vector<protocol::afsk_character> chars;
    d.feed(std::span<const float>(x), chars);
    d.finish(chars);
    std::vector<protocol::code> got;
    for (const auto& c : chars) got.push_back(c.value);
    CHECK(errors(codes, got) <= 4);
    const auto r = d.report();
    CHECK(r.snr_db == Approx(-5.0).margin(0.7));  // the estimate
    CHECK(r.mean_confidence < 0.95);              // noise shows in the confidence
}

TEST_CASE("the receiver keeps going through a fade, a dropout and noise between transmissions") {
    protocol::afsk_params p;
    p.sample_rate = 8000;
    const auto first = random_codes(300, 1), second = random_codes(300, 2);
    auto m = protocol::afsk_modulator::create(p, 0.5).value();
    std::vector<float> x;
    m.idle_units(5, x);
    m.frames(first, x);
    // A deep fade (-20 dB) over the last 100 characters of the first transmission.
    const double frame = m.samples_per_frame();
    for (auto i = static_cast<std::size_t>(static_cast<double>(x.size()) - 100 * frame);
         i < x.size(); ++i)
        x[i] *= 0.1f;
    m.idle_units(5, x);
    x.resize(x.size() + 16000, 0.0f);  // two seconds of dropout: nothing on the line
    const std::size_t second_starts = x.size();
    m.idle_units(20, x);
    m.frames(second, x);
    m.idle_units(5, x);
    std::vector<float> noise(x.size(), 0.0f);
    // Noise 20 dB below the full signal: 0 dB inside the fade, and alone in the dropout.
    sim::add_white_noise(noise, sim::noise_sigma_for_snr(0.125, 20.0), 9);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += noise[i];
    const auto got = demodulate(p, x);
    std::vector<protocol::code> sent = first;
    sent.insert(sent.end(), second.begin(), second.end());
    CHECK(errors(sent, got) <= 3);
    CHECK(second_starts > 0);
}

TEST_CASE("noise alone gives few false characters") {
    protocol::afsk_params p;
    p.sample_rate = 8000;
    std::vector<float> x(8000 * 60, 0.0f);  // a minute of noise, no signal
    sim::add_white_noise(x, 0.3, 77);
    // A minute at 60 wpm would be 368 characters; the squelch lets through only a few.
    CHECK(demodulate(p, x).size() <= 10);
}
