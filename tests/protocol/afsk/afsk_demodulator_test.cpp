#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "protocol/afsk/afsk_demodulator.hpp"
#include "protocol/afsk/afsk_modulator.hpp"

using namespace hakto::protocol;

namespace {

/// Every code, LTRS fill and the shifts among them.
std::vector<code> all_codes() {
    std::vector<code> c{0x1F, 0x1F};
    for (int i = 0; i < 32; ++i) c.push_back(static_cast<code>(i));
    for (int i = 31; i >= 0; i -= 3) c.push_back(static_cast<code>(i));
    return c;
}

std::vector<float> modulate(const afsk_params& p, const std::vector<code>& codes) {
    auto m = afsk_modulator::create(p, 0.5).value();
    std::vector<float> x;
    m.idle_units(4, x);
    m.frames(codes, x);
    m.idle_units(4, x);
    return x;
}

std::vector<code> demodulate(const afsk_params& p, const std::vector<float>& x,
                             afsk_report* report = nullptr) {
    auto d = afsk_demodulator::create(p).value();
    std::vector<afsk_character> chars;
    d.feed(std::span<const float>(x), chars);
    d.finish(chars);
    if (report) *report = d.report();
    std::vector<code> out;
    for (const auto& c : chars) out.push_back(c.value);
    return out;
}

struct speed {
    double baud;
    double stop;  // the profile's own
};

}  // namespace

TEST_CASE("round trip at every speed profile, stop length, shift and sample rate") {
    const auto codes = all_codes();
    // 60, 66, 67, 75 and 100 wpm (sim/line_profile.hpp).
    const speed speeds[] = {{45.45, 1.42}, {45.45, 1.0}, {50, 1.5}, {56.88, 1.42}, {74.2, 1.42}};
    for (const auto& s : speeds)
        for (double stop : {1.0, 1.42, 1.5, 2.0})
            for (double space : {afsk_space_hz_170, afsk_space_hz_850})
                for (int rate : {8000, 11025, 22050, 44100, 48000}) {
                    if (stop != s.stop && rate != 8000 && rate != 48000) continue;  // keep it quick
                    afsk_params p;
                    p.sample_rate = rate;
                    p.baud = s.baud;
                    p.stop_units = stop;
                    p.space_hz = space;
                    INFO(s.baud << " baud, stop " << stop << ", space " << space << " Hz, " << rate
                                << " Hz");
                    afsk_report r;
                    CHECK(demodulate(p, modulate(p, codes), &r) == codes);
                    CHECK(r.characters == codes.size());
                    CHECK(r.framing_errors == 0);
                    CHECK(r.mean_confidence > 0.9);
                }
}

TEST_CASE("pieces of any size, 16-bit or float, decode the same") {
    afsk_params p;
    p.sample_rate = 11025;
    const auto codes = all_codes();
    const auto x = modulate(p, codes);
    std::vector<std::int16_t> pcm;
    for (float v : x) pcm.push_back(static_cast<std::int16_t>(std::lround(v * 32767)));
    for (std::size_t piece : {1u, 7u, 100u, 4093u}) {
        auto d = afsk_demodulator::create(p).value();
        std::vector<afsk_character> chars;
        for (std::size_t i = 0; i < pcm.size(); i += piece)
            d.feed(std::span<const std::int16_t>(pcm.data() + i, std::min(piece, pcm.size() - i)),
                   chars);
        d.finish(chars);
        std::vector<code> got;
        for (const auto& c : chars) got.push_back(c.value);
        CHECK(got == codes);
    }
}

TEST_CASE("the report gives the level, the SNR and each character's place and confidence") {
    afsk_params p;
    const auto codes = all_codes();
    const auto x = modulate(p, codes);  // amplitude 0.5: -6 dBFS peak, -9 dBFS RMS
    auto d = afsk_demodulator::create(p).value();
    std::vector<afsk_character> chars;
    d.feed(std::span<const float>(x), chars);
    d.finish(chars);
    const auto r = d.report();
    CHECK(r.input_dbfs == Approx(-9.03).margin(0.1));
    CHECK(r.tone_dbfs == Approx(-6.02).margin(0.3));
    CHECK(r.snr_db > 12);  // a clean signal: the estimate is limited by the filters' own leakage
    REQUIRE(chars.size() == codes.size());
    const double spu = p.samples_per_unit();
    for (std::size_t k = 0; k < chars.size(); ++k) {
        const double expected = 4 * spu + static_cast<double>(k) * 7.42 * spu;
        CHECK(std::abs(static_cast<double>(chars[k].sample) - expected) < 0.1 * spu);
        CHECK(chars[k].confidence > 0.8f);
        CHECK_FALSE(chars[k].framing_error);
    }
}

TEST_CASE("idle gaps, a 1-unit stop against a 1.42-unit receiver, silence") {
    afsk_params tx;
    tx.sample_rate = 8000;
    auto m = afsk_modulator::create(tx, 0.5).value();
    std::vector<float> x(4000, 0.0f);  // half a second of silence first
    m.idle_units(2, x);                // the modulator's samples follow the silence
    const std::vector<code> codes{0x1F, 0x03, 0x19, 0x0E, 0x04, 0x1B, 0x17, 0x13};
    for (code c : codes) {
        m.frame(c, x);
        m.idle_units(0.37, x);  // a ragged sender: idle between characters
    }
    m.idle_units(10, x);
    x.resize(x.size() + 4000, 0.0f);
    CHECK(demodulate(tx, x) == codes);

    afsk_params one = tx;
    one.stop_units = 1.0;
    CHECK(demodulate(tx, modulate(one, all_codes())) == all_codes());

    CHECK(demodulate(tx, std::vector<float>(80000, 0.0f)).empty());
    CHECK(demodulate(tx, std::vector<float>()).empty());
}

TEST_CASE("the input ending inside a frame loses only that frame") {
    afsk_params p;
    p.sample_rate = 8000;
    const auto codes = all_codes();
    auto x = modulate(p, codes);
    x.resize(static_cast<std::size_t>((4 + 10 * 7.42 + 3) * p.samples_per_unit()));
    const auto got = demodulate(p, x);
    CHECK(got == std::vector<code>(codes.begin(), codes.begin() + 10));
}
