#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "sim/clock.hpp"
#include "sim/engine.hpp"

using namespace hakto::sim;
using namespace std::chrono;
using namespace std::chrono_literals;

TEST_CASE("virtual time is UTC nanoseconds since 1970 and holds 1972") {
    const sim_time t = make_sim_time(1972y / June / 21, 16h, 15min);
    CHECK(t.time_since_epoch().count() == 77'991'300'000'000'000);
    CHECK(format_sim_time(t) == "1972-06-21T16:15:00.000000000Z");
    CHECK(format_sim_time(t + 1us + 5ns) == "1972-06-21T16:15:00.000001005Z");
    CHECK(to_sys_time(t) == sys_days{1972y / June / 21} + 16h + 15min);
    CHECK(to_sim_time(sys_days{1972y / June / 30} + 23h + 59min + 59s).time_since_epoch() ==
          78'796'799s);
    CHECK(format_sim_time(sim_time{} - 1ns) == "1969-12-31T23:59:59.999999999Z");
    CHECK(seconds_to_duration(0.163) == 163ms);
    CHECK(to_seconds(1500ms) == 1.5);
    CHECK(format_elapsed(1h + 1min + 38s) == "1:01:38");
    CHECK(format_elapsed(27h + 49min + 12s + 500ms) == "27:49:12.5");
    CHECK(format_elapsed(-1s) == "-0:00:01");
}

TEST_CASE("events run in time order, simultaneous ones in the order they were scheduled") {
    engine e{make_sim_time(1972y / June / 21)};
    const sim_time t0 = e.now();
    std::vector<int> order;
    std::vector<sim_time> when;
    auto note = [&](int k) {
        return [&, k](engine& en) {
            order.push_back(k);
            when.push_back(en.now());
        };
    };
    e.schedule_at(t0 + 3s, note(1));
    e.schedule_at(t0 + 1s, note(2));
    e.schedule_at(t0 + 3s, note(3));
    e.schedule_after(1s, note(4));
    e.schedule_at(t0 + 2s, [&] {
        order.push_back(5);
        // Scheduled later for the same instant as 1 and 3: runs after them.
        e.schedule_at(t0 + 3s, note(6));
        // Scheduled for now: runs after everything already due now (none), before 1s-later ones.
        e.schedule_after(0s, note(7));
    });
    CHECK(e.pending() == 5);
    CHECK(e.next_time() == t0 + 1s);
    CHECK(e.run() == 7);
    CHECK(order == std::vector<int>{2, 4, 5, 7, 1, 3, 6});
    CHECK(when == std::vector<sim_time>{t0 + 1s, t0 + 1s, t0 + 2s, t0 + 3s, t0 + 3s, t0 + 3s});
    CHECK(e.now() == t0 + 3s);
    CHECK(e.empty());
    CHECK_FALSE(e.next_time().has_value());
    CHECK(e.events_run() == 7);
}

TEST_CASE("a time in the past runs now, after what is already due now") {
    engine e;
    std::vector<int> order;
    e.schedule_at(sim_time{} + 10s, [&] {
        order.push_back(1);
        e.schedule_at(sim_time{} + 1s, [&] { order.push_back(3); });  // in the past
        e.schedule_after(-5s, [&] { order.push_back(4); });           // negative delay
    });
    e.schedule_at(sim_time{} + 10s, [&] { order.push_back(2); });
    e.run();
    CHECK(order == std::vector<int>{1, 2, 3, 4});
    CHECK(e.now() == sim_time{} + 10s);
}

TEST_CASE("cancel removes a pending event and nothing else") {
    engine e;
    std::vector<int> ran;
    const event_id a = e.schedule_after(1s, [&] { ran.push_back(1); });
    const event_id b = e.schedule_after(1s, [&] { ran.push_back(2); });
    const event_id c = e.schedule_after(2s, [&] { ran.push_back(3); });
    CHECK(a.valid());
    CHECK_FALSE(event_id{}.valid());
    CHECK(e.is_pending(b));
    CHECK(e.cancel(b));
    CHECK_FALSE(e.is_pending(b));
    CHECK_FALSE(e.cancel(b));  // twice
    CHECK_FALSE(e.cancel(event_id{}));
    CHECK(e.pending() == 2);
    CHECK(e.step());
    CHECK(ran == std::vector<int>{1});
    CHECK_FALSE(e.cancel(a));  // already ran
    // The slot freed by b is reused; the old id must not reach the new event.
    const event_id d = e.schedule_after(1s, [&] { ran.push_back(4); });
    CHECK_FALSE(e.cancel(b));
    CHECK(e.is_pending(d));
    CHECK(e.is_pending(c));
    e.run();
    CHECK(ran == std::vector<int>{1, 3, 4});  // both at 2 s: c was scheduled first
}

TEST_CASE("a running event cannot cancel itself, it can cancel and schedule others") {
    engine e;
    event_id self, other;
    bool self_cancel = true, other_cancel = false, other_ran = false;
    self = e.schedule_after(1s, [&] {
        self_cancel = e.cancel(self);
        other_cancel = e.cancel(other);
    });
    other = e.schedule_after(1s, [&] { other_ran = true; });
    e.run();
    CHECK_FALSE(self_cancel);
    CHECK(other_cancel);
    CHECK_FALSE(other_ran);
}

TEST_CASE("run_until runs what is due at or before the limit and moves the clock there") {
    engine e;
    std::vector<int> ran;
    e.schedule_at(sim_time{} + 1s, [&] { ran.push_back(1); });
    e.schedule_at(sim_time{} + 2s, [&] { ran.push_back(2); });
    e.schedule_at(sim_time{} + 3s, [&] { ran.push_back(3); });
    CHECK(e.run_until(sim_time{} + 2s) == 2);
    CHECK(ran == std::vector<int>{1, 2});
    CHECK(e.now() == sim_time{} + 2s);
    CHECK(e.run_until(sim_time{} + 2500ms) == 0);
    CHECK(e.now() == sim_time{} + 2500ms);
    CHECK(e.run_until(sim_time{} + 1s) == 0);  // never backwards
    CHECK(e.now() == sim_time{} + 2500ms);
    CHECK(e.run_until(sim_time{} + 10s) == 1);
    CHECK(e.now() == sim_time{} + 10s);
}

TEST_CASE("step runs one event at a time, stop ends a run") {
    engine e;
    int n = 0;
    for (int k = 0; k < 5; ++k) e.schedule_after(seconds{k}, [&] { ++n; });
    CHECK(e.step());
    CHECK(n == 1);
    CHECK(e.step());
    CHECK(n == 2);
    e.schedule_after(2s, [&] { e.stop(); });  // at 3 s, after the 3 s event scheduled before it
    CHECK(e.run() == 3);
    CHECK(n == 4);
    CHECK(e.now() == sim_time{} + 3s);
    CHECK(e.run() == 1);
    CHECK_FALSE(e.step());
}

TEST_CASE("handlers of any size, captured state is released on run, cancel and destruction") {
    auto token = std::make_shared<int>(7);
    std::array<double, 32> big{};  // 256 bytes: stored out of line
    big[31] = 2.5;
    double seen = 0;
    {
        engine e;
        e.schedule_after(1s, [token, big, &seen] { seen = big[31] + *token; });
        const event_id dropped = e.schedule_after(1s, [token] { (void)token; });
        e.schedule_after(5s, [token, big] { (void)token; });  // still pending at destruction
        CHECK(token.use_count() == 4);
        CHECK(e.cancel(dropped));
        CHECK(token.use_count() == 3);
        e.run_until(sim_time{} + 2s);
        CHECK(seen == 9.5);
        CHECK(token.use_count() == 2);
    }
    CHECK(token.use_count() == 1);
}

TEST_CASE("a shuffled mix of times, ties and cancellations runs in (time, scheduling) order") {
    std::mt19937_64 rng{1972};
    engine e;
    struct planned {
        std::int64_t t;
        int order;
        event_id id;
        bool cancelled;
    };
    std::vector<planned> plan;
    std::vector<int> ran;
    for (int k = 0; k < 10'000; ++k) {
        const std::int64_t t = static_cast<std::int64_t>(rng() % 500);  // many ties
        const event_id id =
            e.schedule_at(sim_time{} + milliseconds{t}, [&ran, k] { ran.push_back(k); });
        plan.push_back({t, k, id, false});
    }
    for (int k = 0; k < 3'000; ++k) {
        planned& p = plan[rng() % plan.size()];
        CHECK(e.cancel(p.id) == !p.cancelled);
        p.cancelled = true;
    }
    std::vector<planned> expected_order;
    for (const planned& p : plan)
        if (!p.cancelled) expected_order.push_back(p);
    std::stable_sort(expected_order.begin(), expected_order.end(),
                     [](const planned& a, const planned& b) { return a.t < b.t; });
    std::vector<int> want;
    for (const planned& p : expected_order) want.push_back(p.order);
    CHECK(e.pending() == want.size());
    e.run();
    CHECK(ran == want);
}

TEST_CASE("compact drops cancelled entries and keeps order and ids") {
    engine e;
    std::vector<int> ran;
    std::vector<event_id> ids;
    for (int k = 0; k < 100; ++k)
        ids.push_back(e.schedule_at(sim_time{} + seconds{k % 3}, [&ran, k] { ran.push_back(k); }));
    for (int k = 0; k < 100; k += 2) CHECK(e.cancel(ids[static_cast<std::size_t>(k)]));
    e.compact();
    CHECK(e.pending() == 50);
    CHECK(e.cancel(ids[1]));  // ids survive renumbering
    CHECK(e.is_pending(ids[3]));
    e.run();
    std::vector<int> want;
    for (int r = 0; r < 3; ++r)
        for (int k = 3; k < 100; k += 2)
            if (k % 3 == r) want.push_back(k);
    CHECK(ran == want);
}

TEST_CASE("timers: arm, arm again, disarm, and run again from their own handler") {
    engine e;
    std::vector<sim_time> fired;
    int budget = 3;
    timer t = e.make_timer([&](engine& en) {
        fired.push_back(en.now());
        if (--budget > 0) t.arm_after(10s);  // re-arms itself
    });
    CHECK(t);
    CHECK_FALSE(t.armed());
    const event_id first = t.arm_at(sim_time{} + 5s);
    CHECK(t.armed());
    CHECK(e.is_pending(first));
    const event_id second = t.arm_at(sim_time{} + 7s);  // replaces the 5 s arming
    CHECK_FALSE(e.is_pending(first));
    CHECK_FALSE(e.cancel(first));
    CHECK(e.is_pending(second));
    CHECK(e.pending() == 1);
    e.run();
    CHECK(fired == std::vector<sim_time>{sim_time{} + 7s, sim_time{} + 17s, sim_time{} + 27s});
    CHECK_FALSE(t.armed());
    CHECK_FALSE(t.disarm());

    const event_id third = t.arm_after(1s);
    CHECK(e.cancel(third));  // cancelling a timer's event disarms it, the timer stays usable
    CHECK_FALSE(t.armed());
    t.arm_after(2s);
    CHECK(t.disarm());
    CHECK(e.empty());
    budget = 1;
    t.arm_after(3s);
    CHECK(e.run() == 1);
    CHECK(fired.back() == sim_time{} + 30s);

    timer moved = std::move(t);
    CHECK_FALSE(t);
    CHECK(moved);
    moved.arm_after(1s);
    moved.reset();  // releases the handler and its pending arming
    CHECK_FALSE(moved);
    CHECK(e.empty());
    CHECK(e.run() == 0);
}

TEST_CASE("timer handlers are released with the timer") {
    auto token = std::make_shared<int>(1);
    engine e;
    {
        timer t = e.make_timer([token] { (void)token; });
        CHECK(token.use_count() == 2);
        t.arm_after(1s);
    }
    CHECK(token.use_count() == 1);
    CHECK(e.empty());
}

// A plain model of the engine's contract: the pending event with the smallest (time, order of
// scheduling) runs next. Handlers schedule, cancel and re-arm at random, including at the current
// time, so that the root-replacement path of the heap is taken both ways.
namespace {

/// Runs a random scenario; with `check` the engine is stepped and compared with the reference
/// after every event, else it is left to run(). Returns the tags in the order they ran.
std::vector<int> random_handlers(bool check) {
    struct reference {
        struct ev {
            std::int64_t t;
            std::uint64_t order;
            int tag;
        };
        std::vector<ev> pending;
        std::uint64_t next_order = 0;
    };
    std::mt19937_64 rng{20240621};
    engine e;
    reference ref;
    std::vector<int> ran, ref_ran;
    std::vector<std::pair<event_id, int>> ids;  // live one-shot events: id, tag
    int next_tag = 0;
    std::vector<timer> timers;
    std::vector<int> timer_tag(4, -1);  // tag of each timer's current arming, -1 if none

    auto remove_ref = [&](int tag) {
        auto it = std::find_if(ref.pending.begin(), ref.pending.end(),
                               [&](const reference::ev& x) { return x.tag == tag; });
        REQUIRE(it != ref.pending.end());
        ref.pending.erase(it);
    };
    std::function<void(int)> act;  // what a handler does (the same for both sides)
    auto schedule = [&](std::int64_t delay_ms) {
        const int tag = next_tag++;
        const event_id id = e.schedule_after(std::chrono::milliseconds{delay_ms}, [&, tag] {
            ran.push_back(tag);
            act(tag);
        });
        ids.emplace_back(id, tag);
        ref.pending.push_back(
            {(e.now() - sim_time{}).count() + delay_ms * 1'000'000, ref.next_order++, tag});
    };
    auto arm = [&](std::size_t k, std::int64_t delay_ms) {
        if (timer_tag[k] >= 0) remove_ref(timer_tag[k]);
        const int tag = next_tag++;
        timer_tag[k] = tag;
        timers[k].arm_after(std::chrono::milliseconds{delay_ms});
        ref.pending.push_back(
            {(e.now() - sim_time{}).count() + delay_ms * 1'000'000, ref.next_order++, tag});
    };
    for (std::size_t k = 0; k < 4; ++k)
        timers.push_back(e.make_timer([&, k] {
            const int tag = timer_tag[k];
            timer_tag[k] = -1;
            ran.push_back(tag);
            act(tag);
        }));
    act = [&](int) {
        if (next_tag > 20'000) return;
        const int n = static_cast<int>(rng() % 4);
        for (int i = 0; i < n; ++i) {
            const auto r = rng() % 10;
            const auto delay = static_cast<std::int64_t>(rng() % 3 == 0 ? 0 : rng() % 50);
            if (r < 6) {
                schedule(delay);
            } else if (r < 8) {
                arm(rng() % 4, delay);
            } else if (!ids.empty()) {
                const std::size_t pick = rng() % ids.size();
                if (e.cancel(ids[pick].first)) remove_ref(ids[pick].second);
                ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(pick));
            }
        }
    };
    for (int i = 0; i < 50; ++i) schedule(static_cast<std::int64_t>(rng() % 50));
    if (!check) {
        e.run();
        return ran;
    }
    // The reference runs in the same order the engine should, so the random decisions made in
    // the handlers are the same on both sides: check as we go.
    while (!ref.pending.empty()) {
        auto it = std::min_element(ref.pending.begin(), ref.pending.end(),
                                   [](const reference::ev& a, const reference::ev& b) {
                                       return a.t < b.t || (a.t == b.t && a.order < b.order);
                                   });
        const reference::ev want = *it;
        ref.pending.erase(it);
        REQUIRE(e.step());
        REQUIRE(!ran.empty());
        REQUIRE(ran.back() == want.tag);
        REQUIRE((e.now() - sim_time{}).count() == want.t);
        ref_ran.push_back(want.tag);
    }
    CHECK_FALSE(e.step());
    CHECK(ran == ref_ran);
    return ran;
}

}  // namespace

TEST_CASE("random handlers: same order as a plain sorted list, stepped or run") {
    const std::vector<int> stepped = random_handlers(true);
    CHECK(stepped.size() > 10'000);
    CHECK(random_handlers(false) == stepped);
}
