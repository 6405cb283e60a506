// The one schema of the replay's events (terminals/replay/replay_event_json.hpp), pinned: the
// transcript file and the exhibit's frames both write it.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "sim/clock.hpp"
#include "sim/noise.hpp"
#include "terminals/replay/replay_event_json.hpp"

using namespace hakto::terminals;
using namespace std::chrono;

namespace {

replay_event at_1615(replay_event_kind kind) {
    replay_event e;
    e.kind = kind;
    e.at = hakto::sim::make_sim_time(1972y / June / 21, 16h, 15min);
    return e;
}

}  // namespace

TEST_CASE("replay events as JSON: one schema, each kind pinned") {
    auto stage = at_1615(replay_event_kind::stage);
    stage.cable = "HAKTO 12";
    stage.station = "WTE10";
    stage.stage = replay_stage::transmitting;
    stage.text = "sending HAKTO 12";
    stage.circuit = "WTE10-WHR";
    stage.from = "WTE10";
    stage.to = "WHR";
    CHECK(event_json(stage).dump() ==
          R"({"kind":"stage","utc":"1972-06-21T16:15:00.000000000Z","utc_ms":77991300000,)"
          R"("cable":"HAKTO 12","station":"WTE10","stage":"transmitting",)"
          R"("text":"sending HAKTO 12","circuit":"WTE10-WHR","from":"WTE10","to":"WHR"})");

    auto punched = at_1615(replay_event_kind::punched);
    punched.cable = "HAKTO 12";
    punched.station = "WTE10";
    punched.index = 3;
    punched.sent = 0x1F;
    CHECK(event_json(punched).dump() ==
          R"({"kind":"punched","utc":"1972-06-21T16:15:00.000000000Z","utc_ms":77991300000,)"
          R"("cable":"HAKTO 12","station":"WTE10","index":3,"code":"1F"})");

    // A character the noise lost: its received code is null, never "".
    auto line = at_1615(replay_event_kind::line);
    line.cable = "HAKTO 12";
    line.station = "WHR";
    line.circuit = "WTE10-WHR";
    line.from = "WTE10";
    line.to = "WHR";
    line.index = 7;
    line.sent = 0x03;
    line.on_line = 0x1A;
    line.delivered = hakto::sim::no_code;
    CHECK(event_json(line).dump() ==
          R"({"kind":"line","utc":"1972-06-21T16:15:00.000000000Z","utc_ms":77991300000,)"
          R"("cable":"HAKTO 12","station":"WHR","circuit":"WTE10-WHR","from":"WTE10",)"
          R"("to":"WHR","index":7,"code":"03","on_line":"1A","received":null})");

    auto printed = line;
    printed.kind = replay_event_kind::printed;
    printed.delivered = 0x03;
    CHECK(event_json(printed)["kind"] == "printed");
    CHECK(event_json(printed)["received"] == "03");

    // A note about no cable: the fields it does not have are left out.
    auto note = at_1615(replay_event_kind::note);
    note.text = "… 0:40:00 (h:mm:ss) pass with no traffic …";
    CHECK(event_json(note).dump() ==
          R"({"kind":"note","utc":"1972-06-21T16:15:00.000000000Z","utc_ms":77991300000,)"
          R"("text":"… 0:40:00 (h:mm:ss) pass with no traffic …"})");

    hakto::protocol::memo m;
    m.date_text = "June 21, 1972";
    m.date = "1972-06-21";
    m.from = "Al Haig";
    m.paragraphs = {"Henry has sent the following report."};
    m.bullets = {{"The talks went well.", {2, 3}}};
    auto memo = at_1615(replay_event_kind::memo);
    memo.cable = "HAKTO 12";
    memo.station = "WTE";
    memo.stage = replay_stage::memo;
    memo.memo = &m;
    memo.left_out = {"¶4: a schedule"};
    CHECK(event_json(memo).dump() ==
          R"({"kind":"memo","utc":"1972-06-21T16:15:00.000000000Z","utc_ms":77991300000,)"
          R"("cable":"HAKTO 12","station":"WTE","stage":"memo","memo":{"date":"1972-06-21",)"
          R"("date_text":"June 21, 1972","for":null,"from":"Al Haig","subject":null,)"
          R"("paragraphs":["Henry has sent the following report."],)"
          R"("bullets":[{"text":"The talks went well.","sources":[2,3]}]},)"
          R"("left_out":["¶4: a schedule"]})");
}

TEST_CASE("replay event kinds and stages have names, and every name is distinct") {
    std::set<std::string> kinds, stages;
    for (int k = 0; k <= static_cast<int>(replay_event_kind::note); ++k)
        kinds.insert(std::string{to_string(static_cast<replay_event_kind>(k))});
    CHECK(kinds.size() == 8);
    CHECK(kinds.count("interrupted") == 1);
    for (int s = 0; s <= static_cast<int>(replay_stage::memo); ++s)
        stages.insert(std::string{to_string(static_cast<replay_stage>(s))});
    CHECK(stages.size() == 10);
    CHECK(stages.count("") == 1);  // none
    CHECK(stages.count("president") == 1);
}
