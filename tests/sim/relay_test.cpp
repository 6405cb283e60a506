#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "protocol/cable/precedence.hpp"
#include "sim/circuit_queue.hpp"
#include "sim/engine.hpp"
#include "sim/relay.hpp"
#include "sim/routing_table.hpp"

using namespace hakto::sim;
using hakto::protocol::precedence;
using namespace std::chrono_literals;

namespace {

constexpr sim_duration char_time = 163ms;  // 60 wpm

routing_indicator ri(std::string_view s) {
    return routing_indicator::parse(s).value();
}

/// A line at a fixed character time that logs what the relay does with it.
class recording_link final : public circuit_link {
  public:
    struct event {
        char what;  // 'T' transmit, 'C' cut off, 'D' delivered, 'R' resumed
        sim_time at;
        channel_serial serial;
        cable_id cable;
        bool resend;
        std::uint32_t length;
        friend bool operator==(const event&, const event&) = default;
    };
    recording_link(engine& e, sim_duration per_char, std::vector<event>& log)
        : e_(e), per_char_(per_char), log_(log) {}
    sim_duration transmit(const transmission& t) override {
        log_.push_back({'T', e_.now(), t.serial, t.cable, t.resend, t.length_chars});
        return per_char_ * static_cast<std::int64_t>(t.length_chars);
    }
    void delivered(const transmission& t, const cable& c) override {
        log_.push_back({'D', e_.now(), t.serial, t.cable, t.resend, t.length_chars});
        delivered_ris.emplace_back();
        for (const auto& r : c.ris) delivered_ris.back() += r.str() + " ";
    }
    void interrupted(const transmission& t, sim_duration) override {
        log_.push_back({'C', e_.now(), t.serial, t.cable, t.resend, t.length_chars});
    }
    void resumed(const transmission& t, sim_duration) override {
        log_.push_back({'R', e_.now(), t.serial, t.cable, t.resend, t.length_chars});
    }
    std::vector<std::string> delivered_ris;

  private:
    engine& e_;
    sim_duration per_char_;
    std::vector<event>& log_;
};

sim_duration secs(double s) {
    return seconds_to_duration(s);
}

/// Arrivals (time in seconds, precedence, characters) fed to a relay with one outgoing circuit at
/// 0.163 s a character: the scenario of simpy_relay.py --selftest.
struct scripted_run {
    engine e;
    relay r;
    circuit_id out;
    explicit scripted_run(resend_mode mode) : r(e, "RUEHBJ", relay_options{mode, true}) {
        out = r.add_circuit("ABA", std::make_unique<char_time_link>(char_time));
        r.routes().set_default(out);
    }
    void script(std::vector<std::tuple<double, precedence, std::uint32_t>> arrivals) {
        cable_id id = 0;
        for (auto [t, p, chars] : arrivals) {
            cable c{id++, p, {ri("RUEHC")}, sim_time{} + secs(t), chars, nullptr};
            e.schedule_at(c.filed, [this, c] { REQUIRE(r.accept(c)); });
        }
        e.run();
    }
    const precedence_stats& at(precedence p) const { return r.stats(out)[p]; }
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The SimPy reference model, /work/shared/bench/simpy_relay.py --selftest

TEST_CASE("simpy selftest: FLASH preempts ROUTINE, second FLASH queues, both resend modes") {
    const auto R = precedence::routine, P = precedence::priority, I = precedence::immediate,
               F = precedence::flash;
    // R0 (100 ch = 16.3 s) at 0; P1 at 1; I2 at 2; R3 at 3; F4 at 5; F5 at 5.5 (10 ch = 1.63 s)
    // R0 0-5 | F4 5-6.63 | F5 6.63-8.26 | I2 -9.89 | P1 -11.52 | R0 again | R3
    const std::vector<std::tuple<double, precedence, std::uint32_t>> script{
        {0, R, 100}, {1, P, 10}, {2, I, 10}, {3, R, 10}, {5, F, 10}, {5.5, F, 10}};
    for (auto [mode, r0_end] : {std::pair{resend_mode::resume, secs(11.52 + 11.3)},
                                std::pair{resend_mode::restart, secs(11.52 + 16.3)}}) {
        CAPTURE(mode == resend_mode::restart);
        scripted_run run{mode};
        run.script(script);
        const circuit_stats& st = run.r.stats(run.out);
        CHECK(st.preemptions == 1);
        CHECK(run.e.now() == sim_time{} + r0_end + secs(1.63));
        // Sums in nanoseconds, exact: the script's checks without its 1e-9 tolerance.
        CHECK(run.at(F).wait_ns == 0 + (6'630'000'000 - 5'500'000'000));
        CHECK(run.at(I).wait_ns == 8'260'000'000 - 2'000'000'000);
        CHECK(run.at(P).wait_ns == 9'890'000'000 - 1'000'000'000);
        CHECK(run.at(R).response_ns ==
              static_cast<double>((r0_end + (r0_end + 1630ms - 3s)).count()));
        CHECK(run.at(F).delivered == 2);
        CHECK(run.at(F).mean_wait() == Approx(1.13 / 2));
        CHECK(st.busy == run.e.now() - sim_time{});  // the channel is never idle here
        CHECK(st.delivered() == 6);
        // The same, cable by cable, to the nanosecond: (id, first start, delivered).
        std::vector<std::tuple<cable_id, sim_duration, sim_duration>> got;
        for (const cable_record& c : run.r.records())
            got.emplace_back(c.cable, c.first_start - sim_time{}, c.delivered - sim_time{});
        const sim_duration r0_start = 0s;
        CHECK(got == std::vector<std::tuple<cable_id, sim_duration, sim_duration>>{
                         {4, 5s, 6630ms},
                         {5, 6630ms, 8260ms},
                         {2, 8260ms, 9890ms},
                         {1, 9890ms, 11520ms},
                         {0, r0_start, r0_end},
                         {3, r0_end, r0_end + 1630ms}});
        CHECK(run.r.records()[4].attempts == (mode == resend_mode::restart ? 2u : 1u));
        CHECK(st.transmissions == (mode == resend_mode::restart ? 7u : 6u));
    }
}

TEST_CASE("simpy selftest, five levels: Y preempts FLASH which preempted ROUTINE") {
    scripted_run run{resend_mode::restart};
    run.script({{0, precedence::routine, 100},
                {1, precedence::flash, 10},
                {2, precedence::emergency, 10}});
    CHECK(run.r.stats(run.out).preemptions == 2);
    CHECK(run.e.now() == sim_time{} + 2s + 1630ms + 1630ms + 16300ms);
    CHECK(run.r.stats(run.out).busy == 2s + 1630ms + 1630ms + 16300ms);
}

// ---------------------------------------------------------------------------------------------
// Preemption, queue order and resend

TEST_CASE("a FLASH interrupts ROUTINE on the line, which is later sent again in full") {
    engine e;
    std::vector<recording_link::event> log;
    relay r{e, "RUEHBJ"};
    const circuit_id out = r.add_circuit("ABA", std::make_unique<recording_link>(e, 1s, log));
    r.routes().set_default(out);
    auto file = [&](double t, cable_id id, precedence p, std::uint32_t chars) {
        e.schedule_at(sim_time{} + secs(t), [&r, id, p, chars, t] {
            REQUIRE(r.accept(cable{id, p, {ri("RUEHC")}, sim_time{} + secs(t), chars, nullptr}));
        });
    };
    file(0, 1, precedence::routine, 100);
    file(1, 2, precedence::priority, 10);
    file(2, 3, precedence::immediate, 10);  // IMMEDIATE does not interrupt
    file(3, 4, precedence::routine, 10);
    file(5, 5, precedence::flash, 10);
    file(6, 6, precedence::flash, 10);  // FLASH does not interrupt FLASH
    e.run_until(sim_time{} + 6s);
    CHECK(r.on_line(out) == cable_id{5});
    // The interrupted cable is back at its original place: ahead of the later ROUTINE.
    CHECK(r.queue_order(out) == std::vector<cable_id>{6, 3, 2, 1, 4});
    e.run();
    using ev = recording_link::event;
    auto t = [](int s) { return sim_time{} + std::chrono::seconds{s}; };
    CHECK(log == std::vector<ev>{
                     {'T', t(0), 1, 1, false, 100},
                     {'C', t(5), 1, 1, false, 100},
                     {'T', t(5), 2, 5, false, 10},
                     {'D', t(15), 2, 5, false, 10},
                     {'T', t(15), 3, 6, false, 10},
                     {'D', t(25), 3, 6, false, 10},
                     {'T', t(25), 4, 3, false, 10},
                     {'D', t(35), 4, 3, false, 10},
                     {'T', t(35), 5, 2, false, 10},
                     {'D', t(45), 5, 2, false, 10},
                     {'T', t(45), 6, 1, true, 100},  // in full, with a new serial
                     {'D', t(145), 6, 1, true, 100},
                     {'T', t(145), 7, 4, false, 10},
                     {'D', t(155), 7, 4, false, 10},
                 });
    CHECK(r.stats(out).preemptions == 1);
    CHECK(r.stats(out).busy == 155s);
}

TEST_CASE("under resume the interrupted cable continues with the same serial") {
    engine e;
    std::vector<recording_link::event> log;
    relay r{e, "RUEHBJ", relay_options{resend_mode::resume, true}};
    const circuit_id out = r.add_circuit("ABA", std::make_unique<recording_link>(e, 1s, log));
    r.routes().set_default(out);
    e.schedule_at(sim_time{}, [&] {
        (void)r.accept(cable{1, precedence::priority, {ri("RUEHC")}, sim_time{}, 100, nullptr});
    });
    e.schedule_at(sim_time{} + 30s, [&] {
        (void)r.accept(cable{2, precedence::flash, {ri("RUEHC")}, sim_time{} + 30s, 10, nullptr});
    });
    e.run();
    using ev = recording_link::event;
    auto t = [](int s) { return sim_time{} + std::chrono::seconds{s}; };
    CHECK(log == std::vector<ev>{{'T', t(0), 1, 1, false, 100},
                                 {'C', t(30), 1, 1, false, 100},
                                 {'T', t(30), 2, 2, false, 10},
                                 {'D', t(40), 2, 2, false, 10},
                                 {'R', t(40), 1, 1, true, 100},
                                 {'D', t(110), 1, 1, true, 100}});
}

TEST_CASE("EMERGENCY COMMAND interrupts FLASH, precedence order Y > Z > O > P > R") {
    engine e;
    relay r{e, "RUEHBJ"};
    const circuit_id out = r.add_circuit("ABA", std::make_unique<char_time_link>(1s));
    r.routes().set_default(out);
    e.schedule_at(sim_time{}, [&] {
        for (auto [id, p] : {std::pair{10, precedence::routine},
                             {11, precedence::priority},
                             {12, precedence::immediate},
                             {13, precedence::priority},
                             {14, precedence::routine}})
            (void)r.accept(cable{static_cast<cable_id>(id), p, {ri("RU")}, e.now(), 10, nullptr});
        (void)r.accept(cable{20, precedence::flash, {ri("RU")}, e.now(), 10, nullptr});
    });
    e.schedule_at(sim_time{} + 3s, [&] {
        (void)r.accept(cable{30, precedence::emergency, {ri("RU")}, e.now(), 10, nullptr});
    });
    e.run();
    std::vector<cable_id> order;
    for (const auto& rec : r.records()) order.push_back(rec.cable);
    CHECK(order == std::vector<cable_id>{30, 20, 12, 11, 13, 10, 14});
    // 10 went first (the line was idle), was cut by 20, which was cut by 30.
    CHECK(r.stats(out).preemptions == 2);
    CHECK(r.records()[1].attempts == 2);  // cable 20 sent twice
}

TEST_CASE("circuit queue: precedence first, then arrival, a put-back item regains its place") {
    circuit_queue q;
    q.push(precedence::routine, {5, 50});
    q.push(precedence::routine, {7, 70});
    q.push(precedence::flash, {8, 80});
    q.push(precedence::routine, {2, 20});  // arrived earliest: to the head
    q.push(precedence::routine, {6, 60});  // between 5 and 7
    q.push(precedence::emergency, {9, 90});
    q.push(precedence::priority, {1, 10});
    CHECK(q.size() == 7);
    CHECK(q.size(precedence::routine) == 4);
    CHECK(q.top_precedence() == precedence::emergency);
    std::vector<std::uint32_t> jobs;
    for (const auto& it : q.in_order()) jobs.push_back(it.job);
    CHECK(jobs == std::vector<std::uint32_t>{90, 80, 10, 20, 50, 60, 70});
    jobs.clear();
    while (!q.empty()) jobs.push_back(q.pop().job);
    CHECK(jobs == std::vector<std::uint32_t>{90, 80, 10, 20, 50, 60, 70});
    CHECK_FALSE(q.top_precedence());
    // Many items through one level: the ring grows and wraps.
    for (std::uint32_t k = 0; k < 100; ++k) q.push(precedence::immediate, {k, k});
    for (std::uint32_t k = 0; k < 60; ++k) CHECK(q.pop().job == k);
    for (std::uint32_t k = 100; k < 200; ++k) q.push(precedence::immediate, {k, k});
    q.push(precedence::immediate, {59, 59});  // put back
    CHECK(q.pop().job == 59);
    for (std::uint32_t k = 60; k < 200; ++k) CHECK(q.pop().job == k);
    CHECK(q.empty());
}

// ---------------------------------------------------------------------------------------------
// Routing

TEST_CASE("routing indicators: parsing and prefixes") {
    CHECK(ri("RUEHBJ").str() == "RUEHBJ");
    CHECK(ri("ruehc").str() == "RUEHC");
    CHECK(ri("RUEKJCS").size() == 7);
    CHECK(ri("RUEHBJ").starts_with(ri("RUEH")));
    CHECK_FALSE(ri("RUEH").starts_with(ri("RUEHBJ")));
    CHECK(ri("RUEHBJ").starts_with(routing_indicator{}));
    CHECK(routing_indicator::parse("").error() == routing_error::empty);
    CHECK(routing_indicator::parse("RUEHABCDE").error() == routing_error::too_long);
    CHECK(routing_indicator::parse("3RUH").error() == routing_error::not_a_letter);
    CHECK(routing_indicator::parse("RU-H").error() == routing_error::not_a_letter);
    CHECK(routing_indicator::parse("WTE10").value().str() ==
          "WTE10");  // a call sign with its channel
    CHECK(routing_indicator::parse("ABCDEFGH").value().size() == 8);
}

TEST_CASE("routing table: the longest prefix wins, then the default route") {
    routing_table t;
    REQUIRE(t.add("RU", 1));
    REQUIRE(t.add("RUEHC", 3));
    REQUIRE(t.add("RUEH", 2));
    REQUIRE(t.add("RUEHCJ", 4));
    CHECK(t.add("RUEH", 9).error() == routing_error::duplicate_prefix);
    CHECK(t.add("1R", 9).error() == routing_error::not_a_letter);
    CHECK(t.route(ri("RUEHCJS")) == circuit_id{4});
    CHECK(t.route(ri("RUEHC")) == circuit_id{3});
    CHECK(t.route(ri("RUEHCA")) == circuit_id{3});
    CHECK(t.route(ri("RUEHBJ")) == circuit_id{2});
    CHECK(t.route(ri("RUEKJCS")) == circuit_id{1});
    CHECK_FALSE(t.route(ri("QAXY")));
    CHECK_FALSE(t.route(ri("R")));  // shorter than every prefix
    t.set_default(0);
    CHECK(t.route(ri("QAXY")) == circuit_id{0});
    CHECK(t.remove(ri("RUEHC")));
    CHECK_FALSE(t.remove(ri("RUEHC")));
    CHECK(t.route(ri("RUEHCA")) == circuit_id{2});
    CHECK(t.size() == 3);
}

TEST_CASE("relay: an unknown routing indicator is reported and the cable held, not dropped") {
    engine e{make_sim_time(std::chrono::year{1972} / 6 / 21, std::chrono::hours{16})};
    std::vector<recording_link::event> log_a, log_b;
    relay r{e, "RUEHBJ"};
    auto link_a = std::make_unique<recording_link>(e, 1s, log_a);
    auto link_b = std::make_unique<recording_link>(e, 1s, log_b);
    recording_link& a = *link_a;
    recording_link& b = *link_b;
    const circuit_id ca = r.add_circuit("ABA", std::move(link_a));
    const circuit_id cb = r.add_circuit("ABB", std::move(link_b));
    REQUIRE(r.routes().add("RUEH", ca));
    REQUIRE(r.routes().add("RUEK", cb));

    // Addressees on both circuits and one nobody serves: two copies go, one part is held.
    auto n = r.accept(cable{7,
                            precedence::immediate,
                            {ri("RUEHC"), ri("RUEKJCS"), ri("RUWTABA"), ri("RUEHLL")},
                            e.now(),
                            20,
                            nullptr});
    REQUIRE(n);
    CHECK(n.value() == 2);
    REQUIRE(r.unroutable().size() == 1);
    CHECK(r.unroutable()[0].cable == 7);
    CHECK(r.unroutable()[0].ri == ri("RUWTABA"));
    REQUIRE(r.held().size() == 1);
    CHECK(r.held()[0].ris == routing_indicators{ri("RUWTABA")});

    CHECK(r.accept(cable{8, precedence::routine, {}, e.now(), 5, nullptr}).error() ==
          relay_error::no_routing_indicator);

    e.run();
    CHECK(a.delivered_ris == std::vector<std::string>{"RUEHC RUEHLL "});
    CHECK(b.delivered_ris == std::vector<std::string>{"RUEKJCS "});

    // A route for the held addressee appears: the held part goes out too.
    REQUIRE(r.routes().add("RUW", cb));
    CHECK(r.retry_held() == 1);
    CHECK(r.held().empty());
    e.run();
    CHECK(b.delivered_ris == std::vector<std::string>{"RUEKJCS ", "RUWTABA "});
    CHECK(r.records().size() == 3);
}

// ---------------------------------------------------------------------------------------------
// Channel serials

TEST_CASE("channel serial checker: a gap is missing traffic, a repeat is a duplicate") {
    channel_serial_checker c;
    CHECK(c.observe(1).verdict == serial_verdict::in_sequence);
    CHECK(c.observe(2).verdict == serial_verdict::in_sequence);
    CHECK(c.observe(3).verdict == serial_verdict::in_sequence);
    CHECK(c.observe(6) == serial_finding{serial_verdict::gap, 4, 6, 2});  // 004 and 005 missing
    CHECK(c.observe(7).verdict == serial_verdict::in_sequence);
    CHECK(c.observe(7) == serial_finding{serial_verdict::duplicate, 8, 7, 0});
    CHECK(c.observe(2) == serial_finding{serial_verdict::duplicate, 8, 2, 0});
    CHECK(c.observe(8).verdict == serial_verdict::in_sequence);
    CHECK(c.observe(0).verdict == serial_verdict::invalid);
    CHECK(c.observe(1000).verdict == serial_verdict::invalid);
    CHECK(c.findings().size() == 5);
    CHECK(c.expected() == 9);
    CHECK(c.received() == 6);

    channel_serial_checker wrap{998};
    CHECK(wrap.observe(998).verdict == serial_verdict::in_sequence);
    CHECK(wrap.observe(999).verdict == serial_verdict::in_sequence);
    CHECK(wrap.observe(1).verdict == serial_verdict::in_sequence);  // 999 -> 001
    CHECK(wrap.observe(3) == serial_finding{serial_verdict::gap, 2, 3, 1});
    CHECK(wrap.observe(999) == serial_finding{serial_verdict::duplicate, 4, 999, 0});
    CHECK(wrap.findings().size() == 2);

    // Nothing received yet: a serial "behind" is a gap from the expected one, not a duplicate.
    channel_serial_checker fresh;
    CHECK(fresh.observe(998) == serial_finding{serial_verdict::gap, 1, 998, 997});
    CHECK(next_channel_serial(999) == 1);
    CHECK(next_channel_serial(41) == 42);
}

TEST_CASE("relay serials: one per transmission, interrupted ones included, wrapping at 999") {
    engine e;
    relay a{e, "RUEHBJ"};
    relay b{e, "RUEHC"};
    b.add_incoming("ABA");
    // The line from A to B: the far end reads the serial at the start of every transmission.
    class line final : public circuit_link {
      public:
        explicit line(channel_serial_checker& far) : far_(far) {}
        sim_duration transmit(const transmission& t) override {
            far_.observe(t.serial);
            serials.push_back(t.serial);
            return 1s * static_cast<std::int64_t>(t.length_chars);
        }
        std::vector<channel_serial> serials;

      private:
        channel_serial_checker& far_;
    };
    channel_serial_checker far;
    auto l = std::make_unique<line>(far);
    line& wire = *l;
    const circuit_id out = a.add_circuit("ABA", std::move(l));
    a.routes().set_default(out);
    std::mt19937_64 rng{42};
    for (int k = 0; k < 1200; ++k) {
        const auto p = static_cast<precedence>(rng() % 5);
        const auto at =
            sim_time{} + std::chrono::seconds{static_cast<std::int64_t>(rng() % 20'000)};
        e.schedule_at(at, [&a, k, p, at] {
            (void)a.accept(cable{static_cast<cable_id>(k),
                                 p,
                                 {ri("RUEHC")},
                                 at,
                                 static_cast<std::uint32_t>(1 + k % 30),
                                 nullptr});
        });
    }
    e.run();
    const auto& st = a.stats(out);
    CHECK(st.preemptions > 0);
    CHECK(st.transmissions == 1200 + st.preemptions);
    CHECK(wire.serials.size() == st.transmissions);
    CHECK(wire.serials[998] == 999);
    CHECK(wire.serials[999] == 1);
    CHECK(far.findings().empty());
    CHECK(a.last_serial(out) == wire.serials.back());
    a.reset_channel_serial(out);
    CHECK(a.last_serial(out) == 0);

    // B's incoming channel: a lost transmission and a repeat.
    auto got = [&](channel_serial s) {
        return b.receive("ABA", s, cable{s, precedence::routine, {ri("QX")}, e.now(), 1, nullptr})
            .value()
            .serial.verdict;
    };
    CHECK(got(1) == serial_verdict::in_sequence);
    CHECK(got(2) == serial_verdict::in_sequence);
    CHECK(got(4) == serial_verdict::gap);
    CHECK(got(4) == serial_verdict::duplicate);
    CHECK(got(5) == serial_verdict::in_sequence);
    REQUIRE(b.incoming("ABA") != nullptr);
    CHECK(b.incoming("ABA")->findings().size() == 2);
    CHECK(b.receive("ABZ", 1, cable{}).error() == relay_error::unknown_channel);
    CHECK(b.held().size() == 5);  // B has no routes: held, not dropped
}

// ---------------------------------------------------------------------------------------------
// Speed of service

TEST_CASE("speed of service: filing to delivery against the handling objective, as a table") {
    const sim_time t0 = make_sim_time(std::chrono::year{1972} / 6 / 21, std::chrono::hours{16},
                                      std::chrono::minutes{15});
    engine e{t0};
    relay r{e, "RUEHBJ"};
    // A slow line (10 s a character) so that some objectives are missed.
    const circuit_id out = r.add_circuit("ABA", std::make_unique<char_time_link>(10s));
    r.routes().set_default(out);
    auto file = [&](sim_duration at, cable_id id, precedence p, std::uint32_t chars,
                    sim_duration filed_before) {
        e.schedule_at(t0 + at, [&r, &e, id, p, chars, filed_before] {
            (void)r.accept(cable{id, p, {ri("RUEHC")}, e.now() - filed_before, chars, nullptr});
        });
    };
    file(0s, 1, precedence::routine, 2000, 1h);      // 20,000 s on the line
    file(60s, 2, precedence::flash, 30, 2min);       // interrupts 1; 300 s: 7 min elapsed, met
    file(61s, 3, precedence::flash, 40, 0s);         // waits 299 s, sends 400 s: 699 s, missed
    file(70s, 4, precedence::immediate, 50, 500ms);  // 690 s + 500 s + 0.5 s, met
    e.run();
    const speed_of_service_report rep = r.speed_of_service();
    REQUIRE(rep.entries.size() == 4);
    CHECK(rep.entries[0].cable == 2);
    CHECK(rep.entries[0].elapsed == 7min);
    CHECK(rep.entries[0].met);
    CHECK(rep.entries[1].cable == 3);
    CHECK(rep.entries[1].elapsed == 699s);
    CHECK(rep.entries[1].objective == 10min);
    CHECK_FALSE(rep.entries[1].met);
    CHECK(rep.entries[2].elapsed == 1190s + 500ms);
    CHECK(rep.entries[2].met);
    CHECK(rep.entries[3].cable == 1);
    CHECK(rep.entries[3].elapsed == 1h + 1260s + 20000s);  // sent again in full after the rest
    CHECK(rep.summary.size() == 3);
    CHECK(rep.summary[0].mean_elapsed == 559s + 500ms);
    CHECK_FALSE(rep.entries[3].met);
    CHECK(rep.met() == 2);
    CHECK(render(rep) ==
          "SPEED OF SERVICE RUEHBJ: 4 cables, 2 within objective\n"
          "   CABLE  PREC  CIRCUIT  FILED                     DELIVERED                      "
          "ELAPSED  OBJECTIVE  MET\n"
          "       2  Z     ABA      1972-06-21T16:14:00Z      1972-06-21T16:21:00Z           "
          "0:07:00    0:10:00  YES\n"
          "       3  Z     ABA      1972-06-21T16:16:01Z      1972-06-21T16:27:40Z           "
          "0:11:39    0:10:00  NO\n"
          "       4  O     ABA      1972-06-21T16:16:09.5Z    1972-06-21T16:36:00Z         "
          "0:19:50.5    0:30:00  YES\n"
          "       1  R     ABA      1972-06-21T15:15:00Z      1972-06-21T22:09:20Z           "
          "6:54:20    6:00:00  NO\n"
          "PRECEDENCE         CABLES     MET          MEAN         WORST  OBJECTIVE\n"
          "FLASH                   2       1     0:09:19.5       0:11:39    0:10:00\n"
          "IMMEDIATE               1       1     0:19:50.5     0:19:50.5    0:30:00\n"
          "ROUTINE                 1       0       6:54:20       6:54:20    6:00:00\n");
}

TEST_CASE("same seed, same cables, same records") {
    auto run = [](std::uint64_t seed) {
        engine e;
        relay r{e, "RUEHBJ"};
        const circuit_id out = r.add_circuit("ABA", std::make_unique<char_time_link>(char_time));
        r.routes().set_default(out);
        std::mt19937_64 rng{seed};
        sim_time t{};
        for (cable_id id = 0; id < 2000; ++id) {
            t += std::chrono::milliseconds{static_cast<std::int64_t>(rng() % 300'000)};
            const auto p = static_cast<precedence>(rng() % 4);
            const auto chars = static_cast<std::uint32_t>(100 + rng() % 1801);
            e.schedule_at(t, [&r, id, p, chars, t] {
                (void)r.accept(cable{id, p, {ri("RUEHC")}, t, chars, nullptr});
            });
        }
        e.run();
        std::vector<std::tuple<cable_id, sim_time, sim_time, std::uint32_t>> out_records;
        for (const auto& c : r.records())
            out_records.emplace_back(c.cable, c.first_start, c.delivered, c.attempts);
        return std::pair{out_records, r.stats(out).preemptions};
    };
    const auto a = run(7), b = run(7), c = run(8);
    CHECK(a == b);
    CHECK(a.first.size() == 2000);
    CHECK(a.second > 0);
    CHECK(a != c);
}
