#include <catch2/catch.hpp>

#include <vector>

#include "sim/engine.hpp"
#include "sim/pacing.hpp"

using namespace hakto::sim;
using namespace std::chrono_literals;

namespace {

/// A wall clock that never sleeps: sleep_until moves its time to the deadline plus a fixed
/// oversleep, and every deadline asked for is kept.
class fake_clock final : public wall_clock {
  public:
    explicit fake_clock(wall_duration oversleep = {}) : oversleep_(oversleep) {}
    wall_time now() override { return now_; }
    void sleep_until(wall_time deadline) override {
        sleeps.push_back(deadline);
        if (deadline > now_) now_ = deadline + oversleep_;
    }
    void advance(wall_duration d) { now_ += d; }

    std::vector<wall_time> sleeps;

  private:
    wall_time now_ = wall_time{} + 1000s;
    wall_duration oversleep_;
};

const sim_time start = make_sim_time(std::chrono::year{1972} / 6 / 21, std::chrono::hours{16});

}  // namespace

TEST_CASE("real time: deadlines come from the anchor, so oversleeping does not accumulate") {
    engine e{start};
    fake_clock clock{7ms};  // every sleep ends 7 ms late
    const wall_time wall0 = clock.now();
    std::vector<wall_time> ran_at;
    for (int k = 1; k <= 10'000; ++k)
        e.schedule_at(start + k * 100ms, [&] { ran_at.push_back(clock.now()); });
    pacer p{e, pacing::real_time(), clock};
    auto n = p.run();
    REQUIRE(n);
    CHECK(n.value() == 10'000);
    REQUIRE(clock.sleeps.size() == 10'000);
    REQUIRE(ran_at.size() == 10'000);
    for (std::size_t k = 0; k < 10'000; ++k) {
        const auto due = wall0 + static_cast<std::int64_t>(k + 1) * 100ms;
        if (clock.sleeps[k] != due || ran_at[k] != due + 7ms) {
            FAIL_CHECK("event " << k << " drifted");
            break;
        }
    }
    CHECK(clock.now() - wall0 == 1000s + 7ms);  // not 10,000 × 7 ms
    CHECK(p.wall_start() == wall0);
    CHECK(p.sim_start() == start);
}

TEST_CASE("real time: a late event does not shift the ones after it") {
    engine e{start};
    fake_clock clock;
    const wall_time wall0 = clock.now();
    std::vector<wall_time> ran_at;
    for (int k = 1; k <= 5; ++k)
        e.schedule_at(start + k * 1s, [&, k] {
            ran_at.push_back(clock.now());
            if (k == 2) clock.advance(2500ms);  // a slow handler: 3 and 4 are now overdue
        });
    pacer p{e, pacing::real_time(), clock};
    REQUIRE(p.run());
    CHECK(ran_at == std::vector<wall_time>{wall0 + 1s, wall0 + 2s, wall0 + 4500ms, wall0 + 4500ms,
                                           wall0 + 5s});
    CHECK(clock.sleeps == std::vector<wall_time>{wall0 + 1s, wall0 + 2s, wall0 + 5s});
}

TEST_CASE(
    "scaled: ×60 runs a virtual minute per wall second, exactly, for non-integer ratios too") {
    SECTION("x60") {
        engine e{start};
        fake_clock clock;
        const wall_time wall0 = clock.now();
        for (int k = 1; k <= 1000; ++k) e.schedule_at(start + k * 1min, [] {});
        pacer p{e, pacing::scaled(60), clock};
        REQUIRE(p.run());
        REQUIRE(clock.sleeps.size() == 1000);
        CHECK(clock.sleeps.front() == wall0 + 1s);
        CHECK(clock.sleeps.back() == wall0 + 1000s);
        CHECK(e.now() == start + 1000min);
    }
    SECTION("x3: a third of a second per virtual second, truncated to the nanosecond") {
        engine e{start};
        fake_clock clock;
        const wall_time wall0 = clock.now();
        for (int k = 1; k <= 3000; ++k) e.schedule_at(start + k * 1s, [] {});
        pacer p{e, pacing::scaled(3), clock};
        REQUIRE(p.run());
        REQUIRE(clock.sleeps.size() == 3000);
        CHECK(clock.sleeps[0] == wall0 + 333'333'333ns);
        CHECK(clock.sleeps[1] == wall0 + 666'666'666ns);
        CHECK(clock.sleeps[2] == wall0 + 1s);
        CHECK(clock.sleeps[2999] == wall0 + 1000s);
        CHECK(p.deadline(start + 7s) == wall0 + 2'333'333'333ns);
    }
    SECTION("half speed") {
        engine e{start};
        fake_clock clock;
        const wall_time wall0 = clock.now();
        e.schedule_at(start + 1500ms, [] {});
        pacer p{e, pacing::scaled(1, 2), clock};
        REQUIRE(p.run());
        CHECK(clock.sleeps == std::vector<wall_time>{wall0 + 3s});
    }
    SECTION("a non-positive factor is refused") {
        engine e{start};
        fake_clock clock;
        pacer p{e, pacing::scaled(0), clock};
        auto r = p.run();
        REQUIRE_FALSE(r);
        CHECK(r.error() == pacing_error::bad_scale);
    }
}

TEST_CASE("real time run_until waits for the limit itself, then sets the engine's time") {
    engine e{start};
    fake_clock clock;
    const wall_time wall0 = clock.now();
    int ran = 0;
    e.schedule_at(start + 2s, [&] { ++ran; });
    e.schedule_at(start + 20s, [&] { ++ran; });
    pacer p{e, pacing::real_time(), clock};
    auto n = p.run_until(start + 5s);
    REQUIRE(n);
    CHECK(n.value() == 1);
    CHECK(ran == 1);
    CHECK(e.now() == start + 5s);
    CHECK(clock.sleeps == std::vector<wall_time>{wall0 + 2s, wall0 + 5s});
    // A pause: re-anchoring keeps the next event from being overdue.
    clock.advance(1h);
    p.anchor();
    REQUIRE(p.run());
    CHECK(clock.sleeps.back() == wall0 + 5s + 1h + 15s);
}

TEST_CASE("stepped: time moves only on command, and never sleeps") {
    engine e{start};
    fake_clock clock;
    std::vector<int> ran;
    for (int k = 1; k <= 4; ++k) e.schedule_at(start + k * 10s, [&ran, k] { ran.push_back(k); });
    pacer p{e, pacing::stepped(), clock};
    auto r = p.run();
    REQUIRE_FALSE(r);
    CHECK(r.error() == pacing_error::needs_command);
    CHECK_FALSE(p.run_until(start + 1h));
    CHECK(ran.empty());

    auto s = p.step();
    REQUIRE(s);
    CHECK(s.value());
    CHECK(ran == std::vector<int>{1});
    CHECK(e.now() == start + 10s);

    auto a = p.advance(15s);  // to 25 s: runs the 20 s event
    REQUIRE(a);
    CHECK(a.value() == 1);
    CHECK(ran == std::vector<int>{1, 2});
    CHECK(e.now() == start + 25s);

    CHECK(p.advance(5s).value() == 1);  // exactly at 30 s: included
    CHECK(e.now() == start + 30s);
    CHECK(p.step().value());
    CHECK_FALSE(p.step().value());  // nothing left
    CHECK(ran == std::vector<int>{1, 2, 3, 4});
    CHECK(clock.sleeps.empty());
}

TEST_CASE("as fast as possible never sleeps, stop() from a handler ends the run") {
    engine e{start};
    fake_clock clock;
    int ran = 0;
    pacer p{e, pacing::as_fast_as_possible(), clock};
    for (int k = 1; k <= 10; ++k)
        e.schedule_at(start + k * 1h, [&] {
            if (++ran == 4) p.stop();
        });
    REQUIRE(p.run());
    CHECK(ran == 4);
    CHECK(clock.sleeps.empty());
    p.set_pacing(pacing::scaled(3600));
    CHECK_FALSE(p.anchored());
    REQUIRE(p.run());
    CHECK(ran == 10);
    CHECK(clock.sleeps.size() == 6);  // one wall second per virtual hour from the new anchor
    CHECK(clock.sleeps.back() - clock.sleeps.front() == 5s);
}

TEST_CASE("stop() from a handler also ends a paced run") {
    engine e{start};
    fake_clock clock;
    int ran = 0;
    pacer p{e, pacing::real_time(), clock};
    for (int k = 1; k <= 10; ++k)
        e.schedule_at(start + k * 1s, [&] {
            if (++ran == 3) p.stop();
        });
    REQUIRE(p.run());
    CHECK(ran == 3);
    CHECK(e.pending() == 7);
}

TEST_CASE("read_speed: the one reader of a speed (real, max, a factor)") {
    using hakto::sim::pacing;
    using hakto::sim::read_speed;
    using hakto::sim::speed_error;
    CHECK(read_speed("max").value() == pacing::as_fast_as_possible());
    CHECK(read_speed("real").value() == pacing::real_time());
    CHECK(read_speed("20x").value() == pacing::scaled(20000, 1000));
    CHECK(read_speed("2.5x").value() == pacing::scaled(2500, 1000));
    CHECK(hakto::sim::speed_name(read_speed("2.5x").value()) == "2.5x");
    CHECK(hakto::sim::speed_name(read_speed("20x").value()) == "20x");
    CHECK(hakto::sim::speed_factor(read_speed("max").value()) == 0.0);
    for (const char* bad : {"", "x", "fast", "20", "-3x", "1e3x", "inf x", "infx", " 20x", "2..5x",
                            "20xx", "99999999999999999x"}) {
        INFO(bad);
        auto r = read_speed(bad);
        REQUIRE(!r);
        CHECK(r.error().kind == speed_error::kind_t::not_a_speed);
        CHECK(r.error().message().find("must be real, max, or a factor such as 20x") !=
              std::string::npos);
    }
    for (const char* out : {"0x", "0.0001x", "2000000x"}) {
        INFO(out);
        auto r = read_speed(out);
        REQUIRE(!r);
        CHECK(r.error().kind == speed_error::kind_t::out_of_range);
    }
}
