// Virtual-time timers (sim/timers: timer_service, manual_timers).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/timers.hpp"

using namespace hakto::sim;
using namespace std::chrono_literals;

namespace {

const wall_time timers_t0 = wall_time{} + 1000h;

/// What ran, and when by the service's clock.
struct run_log {
    std::vector<std::string> order;
    std::vector<wall_time> when;
    timer_service::callback note(timer_service& timers, std::string name) {
        return [this, &timers, name] {
            order.push_back(name);
            when.push_back(timers.now());
        };
    }
};

}  // namespace

TEST_CASE("manual_timers start at the given instant and do not move by themselves") {
    manual_timers timers{timers_t0};
    CHECK(timers.now() == timers_t0);
    CHECK(timers.pending() == 0);
    CHECK_FALSE(timers.next_deadline());
    CHECK(manual_timers{}.now() == wall_time{});
}

TEST_CASE("manual_timers run timers in deadline order, each at its deadline") {
    manual_timers timers{timers_t0};
    run_log l;
    timers.call_at(timers_t0 + 3s, l.note(timers, "c"));
    timers.call_at(timers_t0 + 1s, l.note(timers, "a"));
    timers.call_after(2s, l.note(timers, "b"));
    CHECK(timers.pending() == 3);
    CHECK(timers.next_deadline() == timers_t0 + 1s);
    timers.advance(10s);
    CHECK(l.order == std::vector<std::string>{"a", "b", "c"});
    CHECK(l.when == std::vector<wall_time>{timers_t0 + 1s, timers_t0 + 2s, timers_t0 + 3s});
    CHECK(timers.now() == timers_t0 + 10s);
    CHECK(timers.pending() == 0);
}

TEST_CASE("manual_timers run timers due at the same instant in the order they were set") {
    manual_timers timers{timers_t0};
    run_log l;
    timers.call_at(timers_t0 + 5s, l.note(timers, "1"));
    timers.call_at(timers_t0 + 2s, l.note(timers, "early"));
    timers.call_at(timers_t0 + 5s, l.note(timers, "2"));
    timers.call_after(5s, l.note(timers, "3"));
    timers.call_at(timers_t0 + 2s, [&] {
        l.order.push_back("early2");
        // Set later for the same instant as 1, 2 and 3: runs after them.
        timers.call_at(timers_t0 + 5s, l.note(timers, "4"));
    });
    timers.advance(5s);
    CHECK(l.order == std::vector<std::string>{"early", "early2", "1", "2", "3", "4"});
}

TEST_CASE("manual_timers::run_next moves the clock to the next deadline and runs what is due") {
    manual_timers timers{timers_t0};
    run_log l;
    timers.call_at(timers_t0 + 7s, l.note(timers, "later"));
    timers.call_at(timers_t0 + 4s, l.note(timers, "x"));
    timers.call_at(timers_t0 + 4s, l.note(timers, "y"));
    REQUIRE(timers.run_next());
    CHECK(timers.now() == timers_t0 + 4s);
    CHECK(l.order == std::vector<std::string>{"x", "y"});
    CHECK(l.when == std::vector<wall_time>{timers_t0 + 4s, timers_t0 + 4s});
    CHECK(timers.pending() == 1);
    CHECK(timers.next_deadline() == timers_t0 + 7s);
    REQUIRE(timers.run_next());
    CHECK(timers.now() == timers_t0 + 7s);
    CHECK(l.order == std::vector<std::string>{"x", "y", "later"});
    // Nothing left: false, and the clock stays where it is.
    CHECK_FALSE(timers.run_next());
    CHECK(timers.now() == timers_t0 + 7s);
    CHECK_FALSE(timers.next_deadline());
}

TEST_CASE("manual_timers::run_next on a service with no timers returns false") {
    manual_timers timers{timers_t0};
    CHECK_FALSE(timers.run_next());
    CHECK(timers.now() == timers_t0);
    int runs = 0;
    auto id = timers.call_after(1s, [&] { ++runs; });
    timers.cancel(id);
    CHECK_FALSE(timers.run_next());
    CHECK(runs == 0);
    CHECK(timers.now() == timers_t0);
}

TEST_CASE("manual_timers::advance runs what is due on the way, up to and including the end") {
    manual_timers timers{timers_t0};
    run_log l;
    timers.call_after(10s, l.note(timers, "at10"));
    timers.call_after(11s, l.note(timers, "at11"));
    timers.advance(9s);
    CHECK(l.order.empty());
    CHECK(timers.now() == timers_t0 + 9s);
    timers.advance(1s);
    CHECK(l.order == std::vector<std::string>{"at10"});
    CHECK(l.when == std::vector<wall_time>{timers_t0 + 10s});
    CHECK(timers.now() == timers_t0 + 10s);
    CHECK(timers.pending() == 1);
    timers.advance(0s);
    CHECK(l.order.size() == 1);
    timers.advance(1h);
    CHECK(l.order == std::vector<std::string>{"at10", "at11"});
    CHECK(l.when.back() == timers_t0 + 11s);
    CHECK(timers.now() == timers_t0 + 10s + 1h);
}

TEST_CASE("manual_timers: a cancelled timer never runs, and cancelling again or late is harmless") {
    manual_timers timers{timers_t0};
    run_log l;
    auto a = timers.call_after(1s, l.note(timers, "a"));
    auto b = timers.call_after(2s, l.note(timers, "b"));
    auto c = timers.call_after(3s, l.note(timers, "c"));
    CHECK(a != b);
    CHECK(b != c);
    timers.cancel(b);
    CHECK(timers.pending() == 2);
    timers.cancel(b);
    CHECK(timers.pending() == 2);
    timers.advance(1s);
    CHECK(l.order == std::vector<std::string>{"a"});
    timers.cancel(a);  // already called
    CHECK(timers.pending() == 1);
    timers.cancel(9999);  // never set
    CHECK(timers.pending() == 1);
    timers.advance(5s);
    CHECK(l.order == std::vector<std::string>{"a", "c"});
}

TEST_CASE("manual_timers: a handler can cancel a timer due at the same instant") {
    manual_timers timers{timers_t0};
    run_log l;
    timer_service::timer_id second = 0;
    timers.call_after(1s, [&] {
        l.order.push_back("first");
        timers.cancel(second);
    });
    second = timers.call_after(1s, l.note(timers, "second"));
    timers.call_after(1s, l.note(timers, "third"));
    CHECK(timers.run_next());
    CHECK(l.order == std::vector<std::string>{"first", "third"});
    CHECK(timers.pending() == 0);
}

TEST_CASE("manual_timers: a handler can set its timer again") {
    manual_timers timers{timers_t0};
    std::vector<wall_time> ticks;
    std::function<void()> tick = [&] {
        ticks.push_back(timers.now());
        if (ticks.size() < 4) timers.call_after(2s, tick);
    };
    timers.call_after(2s, tick);
    timers.advance(5s);
    CHECK(ticks == std::vector<wall_time>{timers_t0 + 2s, timers_t0 + 4s});
    CHECK(timers.pending() == 1);
    CHECK(timers.next_deadline() == timers_t0 + 6s);
    while (timers.run_next()) {
    }
    CHECK(ticks ==
          std::vector<wall_time>{timers_t0 + 2s, timers_t0 + 4s, timers_t0 + 6s, timers_t0 + 8s});
    CHECK(timers.now() == timers_t0 + 8s);
    CHECK(timers.pending() == 0);
}

TEST_CASE("manual_timers: a timer set by a handler for now runs in the same run_next") {
    manual_timers timers{timers_t0};
    run_log l;
    timers.call_after(1s, l.note(timers, "later"));
    timers.call_after(0s, [&] {
        l.order.push_back("now");
        timers.call_after(0s, l.note(timers, "now again"));
        timers.call_at(timers_t0 - 1h, l.note(timers, "past"));
    });
    REQUIRE(timers.run_next());
    CHECK(l.order == std::vector<std::string>{"now", "now again", "past"});
    CHECK(l.when == std::vector<wall_time>{timers_t0, timers_t0});
    CHECK(timers.now() == timers_t0);
    CHECK(timers.pending() == 1);
}

TEST_CASE("manual_timers: a deadline already past is due now, and never run from call_at") {
    manual_timers timers{timers_t0};
    int runs = 0;
    timers.call_at(timers_t0 - 5s, [&] { ++runs; });
    CHECK(runs == 0);
    CHECK(timers.pending() == 1);
    CHECK(timers.next_deadline() == timers_t0);
    REQUIRE(timers.run_next());
    CHECK(runs == 1);
    // Time does not go back to the deadline asked for.
    CHECK(timers.now() == timers_t0);
}

TEST_CASE("timer_service::call_after counts from the service's now") {
    manual_timers timers{timers_t0};
    timer_service& service = timers;
    timers.advance(30s);
    std::optional<wall_time> ran;
    service.call_after(15s, [&] { ran = service.now(); });
    CHECK(timers.next_deadline() == timers_t0 + 45s);
    timers.advance(14s);
    CHECK_FALSE(ran);
    timers.advance(1s);
    CHECK(ran == timers_t0 + 45s);
}
