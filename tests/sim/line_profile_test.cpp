#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <string>

#include "sim/clock.hpp"
#include "sim/line_profile.hpp"
#include "support/sim_times.hpp"

using namespace hakto::sim;
using std::chrono::nanoseconds;

using hakto::test::t0;

namespace {

const line_profile& get(const char* name) {
    static std::vector<line_profile> keep;
    auto p = find_profile(name);
    REQUIRE(p.has_value());
    keep.push_back(p.value());
    return keep.back();
}

}  // namespace

TEST_CASE("the five standard profiles have the speeds, stops and frame times of the table") {
    // protocol facts §2.3 and "what a faithful simulator must model" 6.
    struct row {
        const char* name;
        double baud;
        double stop;
        double units;
        std::int64_t unit_ns;   // round(1e9 / baud)
        std::int64_t frame_ns;  // round(units × 1e9 / baud)
        std::int64_t stop_ns;   // end of frame − start of stop element
    };
    const row rows[] = {
        {"60wpm", 45.45, 1.42, 7.42, 22'002'200, 163'256'326, 31'243'125},
        {"66wpm", 45.45, 1.0, 7.0, 22'002'200, 154'015'402, 22'002'201},
        {"67wpm", 50.0, 1.5, 7.5, 20'000'000, 150'000'000, 30'000'000},
        {"75wpm", 56.88, 1.42, 7.42, 17'580'872, 130'450'070, 24'964'838},
        {"100wpm", 74.2, 1.42, 7.42, 13'477'089, 100'000'000, 19'137'466},
    };
    REQUIRE(standard_profiles().size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        const row& r = rows[i];
        const line_profile& p = standard_profiles()[i];
        INFO(r.name);
        CHECK(p.name() == r.name);
        CHECK(p.baud() == Approx(r.baud).epsilon(1e-12));
        CHECK(p.stop_units() == Approx(r.stop).epsilon(1e-12));
        CHECK(p.units_per_frame() == Approx(r.units).epsilon(1e-12));
        CHECK((p.element_start(t0, 0, 1) - t0).count() == r.unit_ns);
        CHECK(p.frames(1).count() == r.frame_ns);
        CHECK((p.frame_end(t0, 0) - t0).count() == r.frame_ns);
        CHECK((p.element_end(t0, 0, stop_element) - p.element_start(t0, 0, stop_element)).count() ==
              r.stop_ns);
    }
    // The project's rounded figures: 163.2, 154, 150, 130.5, 100 ms a character.
    CHECK(profile_60wpm().frame_ns_exact() / 1e6 == Approx(163.2).epsilon(0.001));
    CHECK(get("66").frame_ns_exact() / 1e6 == Approx(154.0).epsilon(0.001));
    CHECK(get("67").frame_ns_exact() / 1e6 == Approx(150.0).epsilon(1e-12));
    CHECK(get("75").frame_ns_exact() / 1e6 == Approx(130.5).epsilon(0.001));
    CHECK(get("100").frame_ns_exact() / 1e6 == Approx(100.0).epsilon(1e-12));
    // 60 wpm: 22.0 ms unit, 1.42 stop ≈ 31.2 ms, ≈ 367.5 characters a minute.
    CHECK(profile_60wpm().unit_ns_exact() / 1e6 == Approx(22.0).epsilon(0.001));
    CHECK(profile_60wpm().characters_per_minute() == Approx(367.52021563).epsilon(1e-9));
    CHECK(profile_60wpm().words_per_minute() == Approx(61.25336927).epsilon(1e-9));
}

TEST_CASE("1,000 frames at 60 wpm take 163.2 s within 0.1 %") {
    const line_profile& p = profile_60wpm();
    const sim_duration d = p.frame_start(t0, 1000) - t0;
    CHECK(d.count() == 163'256'325'633);  // round(1000 × 7.42 / 45.45 s)
    CHECK(std::abs(to_seconds(d) - 163.2) <= 0.001 * 163.2);
    CHECK(std::abs(to_seconds(d) - 163.3) <= 0.001 * 163.3);  // the figure of item 5 too
}

TEST_CASE("frame times do not drift: frame k ends at round(k x exact frame), not a sum") {
    const line_profile& p = profile_60wpm();
    // A sum of rounded frames would be 367 ns late after 1,000 frames, 367 µs after 10^6.
    CHECK(p.frames(1000).count() == 163'256'325'633);
    CHECK(1000 * p.frames(1).count() == 163'256'326'000);
    CHECK(p.frames(1'000'000).count() == 163'256'325'632'563);
    CHECK(p.frames(123'456'789).count() == 20'155'101'746'534'653);
    // Summing one frame at a time from the frame starts gives the same closed-form times.
    sim_time t = t0;
    for (std::uint64_t k = 0; k < 5000; ++k) {
        REQUIRE(p.frame_start(t0, k) == t);
        t = p.frame_end(t0, k);  // each end is the next start
    }
    CHECK((t - t0).count() == p.frames(5000).count());
    CHECK(get("66").frames(1'000'000).count() == 154'015'401'540'154);
    CHECK(get("75").frames(1'000'000).count() == 130'450'070'323'488);
    CHECK(get("67").frames(1'000'000).count() == 150'000'000'000'000);
    CHECK(get("100").frames(1'000'000).count() == 100'000'000'000'000);
}

TEST_CASE("element boundaries are in closed form") {
    const line_profile& p = profile_60wpm();
    // Element 6 (stop) of frame 3 starts 3 × 7.42 + 6 units after the start.
    CHECK((p.element_start(t0, 3, stop_element) - t0).count() == 621'782'178);
    CHECK((p.element_start(t0, 2, 3) - t0).count() == std::llround((2 * 7.42 + 3) / 45.45 * 1e9));
    for (std::uint64_t k = 0; k < 50; ++k) {
        for (int j = 0; j < elements_per_frame; ++j) {
            REQUIRE(p.element_end(t0, k, j) == p.element_start(t0, k, j + 1));
        }
        REQUIRE(p.element_start(t0, k, elements_per_frame) == p.frame_start(t0, k + 1));
        REQUIRE(p.element_start(t0, k, start_element) == p.frame_start(t0, k));
    }
    const line_profile& ita2 = get("67wpm");
    CHECK((ita2.element_start(t0, 2, 3) - t0).count() == 360'000'000);  // (2 × 7.5 + 3) × 20 ms
    CHECK((get("66").element_start(t0, 2, 3) - t0).count() == 374'037'404);
    CHECK((get("75").element_start(t0, 2, 3) - t0).count() == 313'642'757);
    CHECK((get("100").element_start(t0, 2, 3) - t0).count() == 240'431'267);
}

TEST_CASE("counting the frames sent by a given time") {
    const line_profile& p = profile_60wpm();
    CHECK(p.frames_ended_by(t0, t0) == 0);
    CHECK(p.frames_started_before(t0, t0) == 0);
    CHECK(p.frames_started_before(t0, t0 + nanoseconds{1}) == 1);
    for (std::uint64_t k = 1; k < 2000; k += 37) {
        const sim_time end = p.frame_end(t0, k - 1);
        REQUIRE(p.frames_ended_by(t0, end) == k);
        REQUIRE(p.frames_ended_by(t0, end - nanoseconds{1}) == k - 1);
        REQUIRE(p.frames_started_before(t0, end) == k);
        REQUIRE(p.frames_started_before(t0, end + nanoseconds{1}) == k + 1);
    }
}

TEST_CASE("profiles are found by name in several spellings") {
    for (const char* name : {"60wpm", "60", "60 WPM", "60-wpm", " 60_Wpm "}) {
        auto p = find_profile(name);
        REQUIRE(p.has_value());
        CHECK(p.value().name() == "60wpm");
    }
    CHECK(find_profile("66").value().name() == "66wpm");
    CHECK(find_profile("wu").value().name() == "66wpm");
    CHECK(find_profile("67wpm").value().name() == "67wpm");
    CHECK(find_profile("telex").value().name() == "67wpm");
    CHECK(find_profile("ITA2").value().name() == "67wpm");
    CHECK(find_profile("75").value().name() == "75wpm");
    CHECK(find_profile("100 wpm").value().name() == "100wpm");
    auto bad = find_profile("61wpm");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message ==
          "unknown line profile \"61wpm\": expected one of 60wpm, 66wpm, 67wpm, 75wpm, 100wpm");
    CHECK_FALSE(find_profile("wpm").has_value());
    CHECK_FALSE(find_profile("").has_value());
}

TEST_CASE("a default profile is the 60 wpm profile, custom profiles take any stop length") {
    CHECK(line_profile{} == profile_60wpm());
    auto two = line_profile::make("two", "45.45 baud, 2 stop", 4545, 100, stop_length::two);
    REQUIRE(two.has_value());
    CHECK(two.value().units_per_frame() == 8.0);
    CHECK(two.value().frames(1).count() == std::llround(8.0 / 45.45 * 1e9));
    CHECK(stop_length_name(stop_length::one_42) == "1.42");
    auto zero = line_profile::make("zero", "", 0, 1, stop_length::one);
    REQUIRE_FALSE(zero.has_value());
    CHECK(zero.error().message == "profile zero: the baud rate 0/1 is not a positive rate");
}
