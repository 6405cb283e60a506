#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/teletype/page_printer.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/clock.hpp"
#include "sim/line_profile.hpp"
#include "sim/noise.hpp"
#include "support/sim_times.hpp"
#include "support/teletype_codes.hpp"

using namespace hakto::sim;
namespace proto = hakto::protocol;
namespace codes = hakto::protocol::codes;
using std::chrono::seconds;

using hakto::test::t0;

namespace {

std::string decode(const std::vector<code>& c) {
    return proto::decode(c);
}

noise_model make(noise_config cfg) {
    auto m = noise_model::create(std::move(cfg));
    REQUIRE(m.has_value());
    return std::move(m).value();
}

// Pseudo-random frames (not a property of the noise: only a stream to send).
std::vector<code> random_frames(std::uint64_t seed, std::size_t n) {
    xoshiro256ss g(seed);
    std::vector<code> out(n);
    for (code& c : out) {
        c = static_cast<code>(g.next() >> 59);
    }
    return out;
}

std::size_t element_index(std::size_t frame, int element) {
    return frame * elements_per_frame + static_cast<std::size_t>(element);
}

// A reference receiver written the slow, obvious way: the line as one value per tick, scanned
// tick by tick, with no shortcut for clean frames. receive_elements must agree with it.
std::vector<code> reference_receiver(const line_profile& p, const std::vector<code>& sent,
                                     const std::vector<std::uint64_t>& changed,
                                     std::vector<frame_fault>& faults) {
    const std::uint64_t unit = p.ticks_per_unit();
    const std::uint64_t frame = p.ticks_per_frame();
    const std::uint64_t n = sent.size();
    std::vector<bool> line(n * frame + 20 * unit, true);
    for (std::uint64_t k = 0; k < n; ++k) {
        for (int j = 0; j < elements_per_frame; ++j) {
            const std::uint64_t e = k * elements_per_frame + static_cast<std::uint64_t>(j);
            bool v = element_value(sent[k], j);
            if (std::binary_search(changed.begin(), changed.end(), e)) {
                v = !v;
            }
            for (std::uint64_t t = p.element_tick(k, j); t < p.element_tick(k, j + 1); ++t) {
                line[t] = v;
            }
        }
    }
    std::vector<code> delivered(n, no_code);
    std::vector<bool> got(n, false);
    std::vector<std::uint8_t> at(n, 0);
    std::vector<bool> fe(n, false);
    std::uint64_t t = 0;
    while (t < line.size()) {
        const bool before = t == 0 ? true : line[t - 1];
        if (!(before && !line[t])) {
            ++t;
            continue;
        }
        const std::uint64_t half = unit / 2;
        if (line[t + half]) {
            t += half;
            continue;
        }
        code c = 0;
        for (int i = 1; i <= 5; ++i) {
            if (line[t + static_cast<std::uint64_t>(i) * unit + half]) {
                c = static_cast<code>(c | (1U << (i - 1)));
            }
        }
        const std::uint64_t stop = t + 6 * unit + half;
        const std::uint64_t k = t / frame;
        const std::uint64_t r = t % frame;
        delivered[k] = c;
        got[k] = true;
        at[k] = static_cast<std::uint8_t>(std::min<std::uint64_t>(r / unit, stop_element));
        fe[k] = !line[stop];
        t = stop;
    }
    for (std::uint64_t k = 0; k < n; ++k) {
        if (!got[k]) {
            faults.push_back(frame_fault{k, frame_fate::lost, 0, false, sent[k], no_code});
        } else if (at[k] != 0 || delivered[k] != sent[k] || fe[k]) {
            faults.push_back(frame_fault{k, at[k] == 0 ? frame_fate::in_step : frame_fate::slipped,
                                         at[k], fe[k], sent[k], delivered[k]});
        }
    }
    return delivered;
}

}  // namespace

TEST_CASE("xoshiro256** and SplitMix64 give the published sequences") {
    // SplitMix64 from seed 0 (reference output of Vigna's splitmix64.c).
    splitmix64 sm(0);
    CHECK(sm.next() == 0xE220A8397B1DCDAFULL);
    CHECK(sm.next() == 0x6E789E6AA1B965F4ULL);
    xoshiro256ss a(42);
    xoshiro256ss b(42);
    for (int i = 0; i < 100; ++i) {
        REQUIRE(a.next() == b.next());
    }
    const double u = a.uniform_open();
    CHECK(u > 0.0);
    CHECK(u < 1.0);
    CHECK(a.geometric(0.0) == xoshiro256ss::never);
    CHECK(a.geometric(1.0) == 0);
}

TEST_CASE("a clean line delivers every frame in step") {
    const std::vector<code> sent =
        hakto::test::encode_text("RYRYRYRY THE QUICK BROWN FOX 1234567890\r\n");
    for (const line_profile& p : standard_profiles()) {
        const line_result r = receive_elements(p, sent, {});
        CHECK(r.delivered == sent);
        CHECK(r.faults.empty());
        CHECK(r.counters.elements_sent == 7 * sent.size());
        CHECK(r.counters.chars_delivered == sent.size());
        CHECK(r.counters.chars_garbled == 0);
    }
}

TEST_CASE("independent element errors at p = 1e-3 over 10^6 elements lie within 4 sigma") {
    noise_config cfg;
    cfg.seed = 1972;
    cfg.independent = independent_errors{1e-3};
    noise_model m = make(cfg);
    const std::vector<code> sent(142'858, codes::ltrs);  // 1,000,006 elements
    const std::vector<std::uint64_t> changed = m.realise(profile_60wpm(), t0, sent);
    const double n = 1'000'006.0;
    const double mean = n * 1e-3;
    const double sigma = std::sqrt(n * 1e-3 * (1 - 1e-3));  // 31.6
    const auto count = static_cast<double>(changed.size());
    CHECK(std::abs(count - mean) <= 4 * sigma);
    CHECK(changed.size() == 1060);  // this seed, exactly
    // Gaps between errors are geometric: mean 1/p - 1 = 999 error-free elements.
    double gap_sum = 0;
    for (std::size_t i = 1; i < changed.size(); ++i) {
        gap_sum += static_cast<double>(changed[i] - changed[i - 1] - 1);
    }
    const double mean_gap = gap_sum / static_cast<double>(changed.size() - 1);
    // sd of the mean of ~1,000 geometric gaps (sd 999.5) is ~31.6.
    CHECK(std::abs(mean_gap - 999.0) <= 4 * 999.5 / std::sqrt(1020.0));
}

TEST_CASE("the same seed gives the same errors, splitting a transmission changes nothing") {
    noise_config cfg;
    cfg.seed = 7;
    cfg.independent = independent_errors{2e-3};
    cfg.bursts = gilbert_elliott{1e-5, 0.3, 1e-3, 0.05};
    const std::vector<code> sent = random_frames(1, 20'000);
    noise_model a = make(cfg);
    noise_model b = make(cfg);
    const line_result ra = a.transmit(profile_60wpm(), t0, sent);
    const line_result rb = b.transmit(profile_60wpm(), t0, sent);
    CHECK(ra.changed_elements == rb.changed_elements);
    CHECK(ra.delivered == rb.delivered);
    CHECK(ra.faults == rb.faults);
    CHECK(ra.counters == rb.counters);
    CHECK(ra.counters.elements_flipped == 1314);  // this seed, exactly
    CHECK(ra.changed_elements.front() == 428);

    // Another seed, other errors.
    cfg.seed = 8;
    noise_model c = make(cfg);
    CHECK(c.realise(profile_60wpm(), t0, sent) != ra.changed_elements);

    // Two back-to-back transmissions see the errors of one transmission of both.
    cfg.seed = 7;
    noise_model d = make(cfg);
    const std::vector<code> first(sent.begin(), sent.begin() + 12'345);
    const std::vector<code> second(sent.begin() + 12'345, sent.end());
    std::vector<std::uint64_t> joined = d.realise(profile_60wpm(), t0, first);
    for (const std::uint64_t e : d.realise(profile_60wpm(), t0 + seconds{3600}, second)) {
        joined.push_back(e + 12'345 * 7);
    }
    CHECK(joined == ra.changed_elements);
}

TEST_CASE("Gilbert-Elliott errors come in bursts at the long-run rate") {
    const gilbert_elliott ge{1e-5, 0.2, 1e-4, 0.05};  // p_good, p_bad, good_to_bad, bad_to_good
    CHECK(ge.bad_share() == Approx(1e-4 / 0.0501));
    CHECK(ge.mean_error_rate() == Approx(4.0918e-4).epsilon(1e-4));
    noise_config bursty_cfg;
    bursty_cfg.seed = 99;
    bursty_cfg.bursts = ge;
    noise_config flat_cfg;
    flat_cfg.seed = 99;
    flat_cfg.independent = independent_errors{ge.mean_error_rate()};
    noise_model bursty = make(bursty_cfg);
    noise_model flat = make(flat_cfg);
    const std::vector<code> sent(1'428'572, codes::ltrs);  // 10^7 elements
    const auto eb = bursty.realise(profile_60wpm(), t0, sent);
    const auto ef = flat.realise(profile_60wpm(), t0, sent);

    // Long-run rate: errors = sum over ~1,000 bursts of Binomial(L, 0.2), L geometric of mean
    // 20, so var ≈ 1,000 × (3.2 + 0.04 × 380) + 16 × 1,000 ≈ 34,400 (sigma ≈ 185) plus ~100
    // good-state errors.
    const double expected = 1e7 * ge.mean_error_rate();
    CHECK(std::abs(static_cast<double>(eb.size()) - expected) <= 4 * 186.0);
    CHECK(eb.size() == 4146);  // this seed, exactly
    CHECK(ef.size() == 4015);

    // Burstiness: share of errors followed by another within 50 elements. Independent errors at
    // 4.1e-4: 1 - (1 - 4.1e-4)^50 ≈ 2 %. In bursts (mean gap in the bad state 4 elements) most.
    const auto clustered = [](const std::vector<std::uint64_t>& e) {
        std::size_t near = 0;
        for (std::size_t i = 0; i + 1 < e.size(); ++i) {
            near += (e[i + 1] - e[i] <= 50) ? 1 : 0;
        }
        return static_cast<double>(near) / static_cast<double>(e.size());
    };
    CHECK(clustered(ef) < 0.04);
    CHECK(clustered(eb) > 0.70);

    // Index of dispersion of errors per 10,000-element block: ~1 for independent errors (the
    // sd of the estimate over 1,000 blocks is ~0.045), far above 1 for bursts.
    const auto dispersion = [](const std::vector<std::uint64_t>& e) {
        std::vector<double> blocks(1000, 0.0);
        for (const std::uint64_t i : e) {
            blocks[i / 10'000] += 1.0;
        }
        double m = 0;
        for (const double b : blocks) m += b;
        m /= 1000.0;
        double v = 0;
        for (const double b : blocks) v += (b - m) * (b - m);
        v /= 999.0;
        return v / m;
    };
    CHECK(std::abs(dispersion(ef) - 1.0) < 4 * 0.045);
    CHECK(dispersion(eb) > 3.0);
}

TEST_CASE("the fast receiver agrees with a tick-by-tick reference receiver") {
    xoshiro256ss g(2024);
    for (const line_profile& p : standard_profiles()) {
        for (int trial = 0; trial < 300; ++trial) {
            const std::vector<code> sent = random_frames(g.next(), 40);
            std::vector<std::uint64_t> changed;
            // A few hits, sometimes in runs, anywhere: start, data and stop elements alike.
            const std::uint64_t hits = g.next() % 6;
            for (std::uint64_t h = 0; h < hits; ++h) {
                const std::uint64_t e = g.next() % (40 * 7);
                const std::uint64_t run = 1 + g.next() % 4;
                for (std::uint64_t i = e; i < std::min<std::uint64_t>(e + run, 40 * 7); ++i) {
                    changed.push_back(i);
                }
            }
            std::sort(changed.begin(), changed.end());
            changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
            std::vector<frame_fault> ref_faults;
            const std::vector<code> ref = reference_receiver(p, sent, changed, ref_faults);
            const line_result r = receive_elements(p, sent, changed);
            INFO(p.name() << " trial " << trial);
            REQUIRE(r.delivered == ref);
            REQUIRE(r.faults == ref_faults);
        }
    }
}

TEST_CASE("a data element hit gives another letter of the same shift") {
    // HELLO: H is 0x14 (10100); its data element 1 turned to mark gives 0x15, Y.
    const std::vector<code> sent = hakto::test::encode_text("HELLO");
    REQUIRE(sent == std::vector<code>{codes::ltrs, 0x14, 0x01, 0x12, 0x12, 0x18});
    noise_model m;
    m.force_error(element_index(1, 1));
    const line_result r = m.transmit(profile_60wpm(), t0, sent);
    CHECK(decode(r.printed()) == "YELLO");
    CHECK(r.counters.elements_flipped == 1);
    CHECK(r.counters.chars_garbled == 1);
    REQUIRE(r.faults.size() == 1);
    CHECK(r.faults[0] == frame_fault{1, frame_fate::in_step, 0, false, 0x14, 0x15});
    // The hook is used up: the next transmission is clean.
    CHECK(decode(m.transmit(profile_60wpm(), t0 + seconds{10}, sent).printed()) == "HELLO");
}

TEST_CASE("a hit turning FIGS into LTRS prints letters for figures until the next shift") {
    // FIGS is 11011; data element 3 (bit 2) turned to mark gives 11111, LTRS: 123 reads QWE.
    const std::vector<code> sent = hakto::test::encode_text("123 456");
    REQUIRE(sent.front() == codes::figs);
    noise_model m;
    m.force_error(element_index(0, 3));
    const line_result r = m.transmit(profile_60wpm(), t0, sent);
    CHECK(r.delivered.front() == codes::ltrs);
    CHECK(decode(r.printed()) == "QWE RTY");
    CHECK(decode(sent) == "123 456");
}

TEST_CASE("a hit turning LTRS into FIGS prints figures for letters until the next shift") {
    // LTRS 11111 with data element 3 to space is FIGS: BOAT reads ?9-5 (US-TTY figures).
    const std::vector<code> sent = hakto::test::encode_text("BOAT 1 CAT");
    REQUIRE(sent.front() == codes::ltrs);
    noise_model m;
    m.force_error(element_index(0, 3));
    const line_result r = m.transmit(profile_60wpm(), t0, sent);
    CHECK(r.delivered.front() == codes::figs);
    // After the FIGS before 1 the sender's LTRS puts the printer right again.
    CHECK(decode(r.printed()) == "?9-5 1 CAT");
}

TEST_CASE("a lost CR overprints, CR sent twice survives one hit, a lost LF overprints") {
    const std::string long_line(70, 'A');
    const auto print = [](const std::vector<code>& c) {
        proto::page_printer printer;
        proto::teletype_decoder dec;
        for (const code x : c) {
            printer.feed(dec.feed(x));
        }
        return printer;
    };
    {
        // One CR: 0x08 (01000) with data element 4 to space is NUL. The carriage stays at
        // column 71, so X prints there, Y in 72 and Z piles on Y.
        const std::vector<code> sent = hakto::test::encode_text(long_line + "\r\nXYZ\r\n");
        const std::size_t cr = 71;  // LTRS, 70 letters, then CR
        REQUIRE(sent[cr] == codes::cr);
        noise_model m;
        m.force_error(element_index(cr, 4));
        const line_result r = m.transmit(profile_60wpm(), t0, sent);
        CHECK(r.delivered[cr] == codes::nul);
        const proto::page_printer clean = print(sent);
        const proto::page_printer hit = print(r.printed());
        CHECK(clean.overprints() == 0);
        CHECK(clean.lines()[1] == "XYZ");
        CHECK(hit.overprints() == 1);
        CHECK(hit.lines()[1] == std::string(70, ' ') + "XZ");
    }
    {
        // CR CR LF: one CR hit changes nothing on the page.
        const std::vector<code> sent = hakto::test::encode_text(long_line + "\r\r\nXYZ\r\r\n");
        noise_model m;
        m.force_error(element_index(71, 4));
        const line_result r = m.transmit(profile_60wpm(), t0, sent);
        CHECK(r.counters.chars_garbled == 1);
        CHECK(print(r.printed()).text() == print(sent).text());
        CHECK(print(r.printed()).overprints() == 0);
    }
    {
        // LF 0x02 (00010) with data element 2 to space is NUL: XYZ prints over ABC.
        const std::vector<code> sent = hakto::test::encode_text("ABC\r\nXYZ");
        REQUIRE(sent[5] == codes::lf);
        noise_model m;
        m.force_error(element_index(5, 2));
        const proto::page_printer hit = print(m.transmit(profile_60wpm(), t0, sent).printed());
        CHECK(hit.overprints() == 3);
        CHECK(hit.lines() == std::vector<std::string>{"XYZ"});
    }
}

TEST_CASE("a lost start element: the receiver slips, then re-synchronises on a real start") {
    const line_profile& p = profile_60wpm();
    {
        // LTRS is all mark: without its start element the whole frame is mark and the
        // receiver frames on the next start. One frame lost, the rest in step.
        const std::vector<code> sent = hakto::test::encode_text("ABC");  // LTRS A B C
        noise_model m;
        m.force_error(element_index(0, start_element));
        const line_result r = m.transmit(p, t0, sent);
        CHECK(r.delivered == std::vector<code>{no_code, 0x03, 0x19, 0x0E});
        CHECK(r.counters.frames_lost == 1);
        CHECK(r.counters.chars_delivered == 3);
        CHECK(r.counters.chars_garbled == 0);
    }
    {
        // RYRY...: Y (10101) without its start frames on the space of its data element 2; the
        // characters after it are read out of step until a stop sample lands before a start.
        const std::vector<code> sent = hakto::test::encode_text("RYRYRYRYRYRYRYRYRYRY");
        noise_model m;
        m.force_error(element_index(2, start_element));
        const line_result r = m.transmit(p, t0, sent);
        CHECK(r.counters.frames_slipped >= 1);
        CHECK(r.faults.front().frame == 2);
        CHECK(r.faults.front().fate == frame_fate::slipped);
        CHECK(r.faults.front().start_element == 2);
        // Back in step and clean before the end.
        CHECK(r.delivered.back() == sent.back());
        CHECK(r.faults.back().frame < sent.size() - 1);
        // The slipped character was framed two units into frame 2.
        CHECK(fault_start_time(p, t0, r.faults.front()) == p.element_start(t0, 2, 2));
        // Worked by hand for the first one: framed at element 2 of Y, the receiver reads
        // elements 3, 4, 5 and the stop of Y, then the start of R (data 10110 = 0x0D, F), and its
        // stop sample falls on R's first data element, a space: a framing error.
        CHECK(r.faults.front().received == 0x0D);
        CHECK(r.faults.front().framing_error);
        // Four characters out of step, then one lost, then in step again.
        CHECK(r.counters.frames_slipped == 4);
        CHECK(r.counters.frames_lost == 1);
        CHECK(r.faults.back() == frame_fault{6, frame_fate::lost, 0, false, 0x15, no_code});
        CHECK(decode(r.printed()) == "RFYWYRYRYRYRYRYRYRY");
    }
}

TEST_CASE("a scheduled line break: frames lost or read as blanks, then re-synchronisation") {
    const line_profile& p = profile_60wpm();
    const std::vector<code> sent =
        hakto::test::encode_text("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG 0123456789");
    {
        // Break from the start of frame 10 to the start of the stop element of frame 19.
        const outage_window w{p.frame_start(t0, 10), p.element_start(t0, 19, stop_element),
                              outage_fill::space};
        noise_config cfg;
        cfg.seed = 1;
        cfg.scheduled = {w};
        noise_model m = make(cfg);
        const line_result r = m.transmit(p, t0, sent);
        // The receiver frames once on the break (a blank with a framing error) and loses the
        // rest of it.
        REQUIRE(!r.faults.empty());
        CHECK(r.faults.front() ==
              frame_fault{10, frame_fate::in_step, 0, true, sent[10], codes::nul});
        for (std::size_t k = 11; k < 20; ++k) {
            CHECK(r.delivered[k] == no_code);
        }
        CHECK(r.counters.frames_lost == 9);
        CHECK(r.faults.size() == 10);
        // The stop of frame 19 is mark again, so frame 20 is framed on its own start element:
        // everything after the break is clean and in step.
        for (std::size_t k = 20; k < sent.size(); ++k) {
            CHECK(r.delivered[k] == sent[k]);
        }
        // Only the marks inside the break count as changed elements.
        std::uint64_t marks = 0;
        for (std::size_t e = element_index(10, 0); e < element_index(19, stop_element); ++e) {
            marks += element_value(sent[e / 7], static_cast<int>(e % 7)) ? 1 : 0;
        }
        CHECK(r.counters.elements_flipped == marks);
    }
    {
        // A break that also takes the stop of frame 19: there is no mark before frame 20's
        // start element, so the receiver frames on a later transition, out of step, and
        // recovers within a few characters.
        const outage_window w{p.frame_start(t0, 10), p.frame_end(t0, 19), outage_fill::space};
        noise_config cfg;
        cfg.scheduled = {w};
        noise_model m = make(cfg);
        const line_result r = m.transmit(p, t0, sent);
        CHECK(r.delivered[20] != sent[20]);
        CHECK(r.counters.frames_slipped + r.counters.frames_lost >= 11);
        CHECK(r.faults.back().frame < 30);  // in step again within ten characters
        for (std::size_t k = 30; k < sent.size(); ++k) {
            CHECK(r.delivered[k] == sent[k]);
        }
    }
}

TEST_CASE("random outages: Poisson onsets and exponential lengths at the configured rate") {
    const line_profile& p = profile_60wpm();
    // 120 outages an hour, 1 s mean: about 240 in two hours, about 3.3 % of the time.
    noise_config cfg;
    cfg.seed = 5;
    cfg.fades = random_outages{120.0, seconds{1}, outage_fill::random, std::nullopt};
    noise_model m = make(cfg);
    const std::vector<code> sent = random_frames(3, 44'100);  // 7,200 s at 60 wpm
    const line_result r = m.transmit(p, t0, sent);
    const double expected = 120.0 * 2.0 * to_seconds(p.frames(44'100)) / 7200.0;
    CHECK(std::abs(static_cast<double>(m.fades_drawn()) - expected) <= 4 * std::sqrt(expected));
    CHECK(m.fades_drawn() == 239);  // this seed, exactly
    // A random fill inverts about half of the elements it covers: ~3.3 % / 2 of all elements.
    const double flipped = static_cast<double>(r.counters.elements_flipped) /
                           static_cast<double>(r.counters.elements_sent);
    CHECK(flipped > 0.008);
    CHECK(flipped < 0.026);
    CHECK(r.counters.chars_garbled > 0);
    // Same seed, same outages.
    noise_model again = make(m.config());
    CHECK(again.transmit(p, t0, sent).changed_elements == r.changed_elements);
}

TEST_CASE("the noise configuration is checked") {
    noise_config bad_p;
    bad_p.independent = independent_errors{1.5};
    CHECK_FALSE(noise_model::create(bad_p).has_value());
    noise_config bad_ge;
    bad_ge.bursts = gilbert_elliott{0, -0.1, 0, 1};
    CHECK_FALSE(noise_model::create(bad_ge).has_value());
    noise_config bad_w;
    bad_w.scheduled = {outage_window{t0 + seconds{5}, t0, outage_fill::space}};
    auto bad_window = noise_model::create(bad_w);
    REQUIRE_FALSE(bad_window.has_value());
    CHECK(bad_window.error().message ==
          "outage window ends (1972-06-21T16:15:00.000000000Z) before it begins "
          "(1972-06-21T16:15:05.000000000Z)");
    CHECK(noise_model::create(noise_config{}).has_value());
}
