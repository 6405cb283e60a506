#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "protocol/afsk/afsk_modulator.hpp"

using namespace hakto::protocol;

namespace {

/// Frequency of a stretch of samples from its zero crossings (upward), in Hz.
double frequency(const std::vector<float>& x, std::size_t from, std::size_t to, int rate) {
    std::vector<double> ups;
    for (std::size_t i = from + 1; i < to; ++i)
        if (x[i - 1] < 0 && x[i] >= 0)
            ups.push_back(static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i]));
    REQUIRE(ups.size() >= 3);
    return rate * static_cast<double>(ups.size() - 1) / (ups.back() - ups.front());
}

}  // namespace

TEST_CASE("the parameters are checked") {
    afsk_params p;
    CHECK(check_afsk_params(p));
    p.sample_rate = 4000;
    CHECK_FALSE(check_afsk_params(p));
    p = {};
    p.space_hz = 2130;  // closer than 2 × baud
    CHECK_FALSE(check_afsk_params(p));
    p = {};
    p.stop_units = 2.5;
    CHECK_FALSE(check_afsk_params(p));
    p = {};
    p.space_hz = 30000;  // above the sampling band
    CHECK_FALSE(check_afsk_params(p));
    CHECK_FALSE(afsk_modulator::create(afsk_params{}, 0.0));
    CHECK_FALSE(afsk_modulator::create(afsk_params{}, 1.5));
}

TEST_CASE("a frame is start, five elements and stop, at the exact speed") {
    afsk_params p;  // 48 kHz, 45.45 baud, 1.42 stop
    auto m = afsk_modulator::create(p, 0.5).value();
    std::vector<float> x;
    const std::vector<code> codes(100, 0x03);  // A: elements 1 and 2 mark
    m.frames(codes, x);
    // 100 frames of 7.42 units: round(742 × 48000 / 45.45) samples, no drift.
    CHECK(x.size() == static_cast<std::size_t>(std::llround(742 * 48000 / 45.45)));
    const double spu = 48000 / 45.45;
    // Start element space, elements 1 and 2 mark, 3 to 5 space, stop mark.
    auto middle = [&](int element) { return static_cast<std::size_t>((element + 0.5) * spu); };
    auto span = [&](int element) {
        return frequency(x, middle(element) - 300, middle(element) + 300, p.sample_rate);
    };
    CHECK(span(0) == Approx(2295).margin(5));
    CHECK(span(1) == Approx(2125).margin(5));
    CHECK(span(2) == Approx(2125).margin(5));
    CHECK(span(3) == Approx(2295).margin(5));
    CHECK(span(5) == Approx(2295).margin(5));
    CHECK(frequency(x, static_cast<std::size_t>(6.1 * spu), static_cast<std::size_t>(7.3 * spu),
                    p.sample_rate) == Approx(2125).margin(5));
}

TEST_CASE("the phase is continuous and the idle line is the mark tone") {
    afsk_params p;
    p.sample_rate = 8000;
    p.space_hz = afsk_space_hz_850;
    const double amplitude = 0.7;
    auto m = afsk_modulator::create(p, amplitude).value();
    std::vector<float> x;
    m.idle_units(3, x);
    const std::size_t idle_end = x.size();
    m.frames(std::vector<code>{0x00, 0x1F, 0x15, 0x0A}, x);
    m.idle_samples(400, x);
    CHECK(m.position() == x.size());
    CHECK(frequency(x, 0, idle_end, p.sample_rate) == Approx(2125).margin(5));
    // A sine of frequency f never moves more than 2π·f/fs × amplitude between samples: no jumps
    // at the element boundaries.
    const double step = 2 * std::numbers::pi * 2975.0 / 8000 * amplitude + 1e-4;
    double peak = 0;
    for (std::size_t i = 1; i < x.size(); ++i) {
        CHECK(std::abs(x[i] - x[i - 1]) <= step);
        peak = std::max(peak, static_cast<double>(std::abs(x[i])));
    }
    CHECK(peak <= amplitude + 1e-6);
    CHECK(peak >= amplitude * 0.95);
}
