// The show with a machine beside the screens (exhibit_options::machine: hakto exhibit
// --teleprinter), in virtual time: the run never gets more than a line ahead of the machine, at
// any speed, and a reply typed on the machine is filed as the reply form's is. A stand-in
// machine prints a character every 10 ms; no device, no sockets, no sleeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "show_stage.hpp"

using namespace std::chrono_literals;
using hakto::test::stage;
namespace sim = hakto::sim;

namespace {

/// A machine that prints one character every `character_time` of the timers' clock.
struct stand_in_machine {
    explicit stand_in_machine(const sim::timer_service& t) : timers(t) {}
    const sim::timer_service& timers;
    sim::wall_duration character_time = 10ms;
    std::vector<hakto::protocol::code> printed;
    std::vector<std::string> stations;
    std::size_t most_waiting = 0;  // the most characters waiting when one more came
    std::optional<sim::wall_time> busy_until;

    std::size_t pending() const {
        if (!busy_until || timers.now() >= *busy_until) return 0;
        return static_cast<std::size_t>((*busy_until - timers.now() + character_time - 1ns) /
                                        character_time);
    }
    void print(const hakto::terminals::replay_event& e) {
        most_waiting = std::max(most_waiting, pending());
        const auto from = busy_until && *busy_until > timers.now() ? *busy_until : timers.now();
        busy_until = from + character_time;
        printed.push_back(e.delivered);
        stations.push_back(e.station);
    }
    void attach(hakto::terminals::exhibit_options& o) {
        o.machine.printed = [this](const hakto::terminals::replay_event& e) { print(e); };
        o.machine.pending = [this] { return pending(); };
    }
};

}  // namespace

TEST_CASE("show: a machine holds the run back at any speed, never more than a line behind",
          "[exhibit][teleprinter]") {
    for (auto speed : {sim::pacing::as_fast_as_possible(), sim::pacing::scaled(20)}) {
        INFO(sim::speed_name(speed));
        auto o = hakto::test::show_options();
        o.speed = speed;
        o.attract_pause = 1h;  // one run
        // The machine reads the show's clock, and the show is made with the machine's hooks.
        sim::manual_timers timers{sim::wall_time{} + 1h};
        stand_in_machine machine(timers);
        machine.attach(o);
        hakto::test::test_audience audience{timers};
        auto made = hakto::terminals::exhibit::show::create(o, timers, audience);
        REQUIRE(made);
        auto show = made.value();
        const auto t0 = timers.now();
        show->start();
        for (std::size_t i = 0; i < 10'000'000 && audience.count_of("end") == 0; ++i)
            if (!timers.run_next()) break;
        REQUIRE(audience.count_of("end") == 1);
        // HAKTO 12 printed whole on the machine, at the White House.
        CHECK(machine.printed.size() > 1000);
        CHECK(std::all_of(machine.stations.begin(), machine.stations.end(),
                          [](const auto& s) { return s == "WTE"; }));
        // Never more than a line (72 bytes) waiting when the show printed the next character...
        CHECK(machine.most_waiting <= o.machine.hold_back + 1);
        // ...so the run took at least as long as the machine needed for all but that line.
        const auto needed = machine.character_time *
                            static_cast<long>(machine.printed.size() - o.machine.hold_back - 1);
        CHECK(timers.now() - t0 >= needed);
        show->stop();
    }
}

TEST_CASE("show: a machine that holds nothing back leaves the run at its own pace",
          "[exhibit][teleprinter]") {
    auto o = hakto::test::show_options();
    o.speed = sim::pacing::as_fast_as_possible();
    std::size_t printed = 0;
    o.machine.printed = [&](const hakto::terminals::replay_event&) { ++printed; };
    o.machine.pending = [] { return std::size_t{0}; };  // a machine not open holds nothing
    stage st{o};
    const auto t0 = st.timers.now();
    st.show->start();
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 0; }));
    CHECK(st.timers.now() == t0);  // as fast as possible: no time at all on the wall clock
    CHECK(printed > 1000);
}

TEST_CASE("show: a reply typed on the machine is filed as the next TOHAK",
          "[exhibit][teleprinter]") {
    stage st{hakto::test::show_options()};
    st.show->start();
    REQUIRE(st.run_until([&] { return st.audience.count_of("frame") > 0; }));
    auto filed = st.show->typed_reply("PLEASE TELL THE PREMIER WE AGREE.\n");
    REQUIRE(filed);
    CHECK(filed.value() == "TOHAK 1");
    CHECK(st.audience.count_of("cable") >= 1);
    auto empty = st.show->typed_reply("\n\n");
    REQUIRE(!empty);
    CHECK(empty.error().text == "the reply is empty");
}
