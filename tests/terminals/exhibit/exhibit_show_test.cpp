// The exhibit's show in virtual time (show_stage.hpp): the attract loop, frames, a screen
// joining mid-run, pause and step, speed, the idle reset, the visitor's reply, the operator's
// controls, and the wait for slow screens. No sockets, no sleeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "show_stage.hpp"

using namespace std::chrono_literals;
using hakto::test::is_event;
using hakto::test::json;
using hakto::test::screen;
using hakto::test::show_options;
using hakto::test::stage;
namespace sim = hakto::sim;

namespace {

bool is_type(const json& j, std::string_view type) {
    return j.value("type", "") == type;
}

/// The page of HAKTO 12 in a snapshot (empty when it has not started printing).
std::string page_of(const json& snap) {
    for (const auto& c : snap.value("cables", json::array()))
        if (c["id"] == "HAKTO 12" && c.contains("printed")) return c["printed"].get<std::string>();
    return {};
}

/// The page a screen has: its last snapshot's, then each glyph printed after it.
std::string page_seen(const screen& s) {
    std::string page;
    for (const auto& j : s.messages) {
        if (is_type(j, "snapshot"))
            page = page_of(j);
        else if (is_event(j, "printed") && j.value("cable", "") == "HAKTO 12" &&
                 j.value("glyph", "") != "\a")
            page += j.value("glyph", "");
    }
    return page;
}

bool hakto12_received(const json& j) {
    return j["type"] == "event" && j.value("stage", "") == "received" &&
           j.value("cable", "") == "HAKTO 12";
}

}  // namespace

TEST_CASE("show: the attract loop: a run, its end, a pause, the next run", "[exhibit]") {
    auto o = show_options();
    o.speed = sim::pacing::as_fast_as_possible();
    stage st{o};
    const auto t0 = st.timers.now();
    st.show->start();
    auto first = st.audience.of_type("snapshot");
    REQUIRE(first.size() == 1);
    CHECK(first[0].message["state"]["mode"] == "attract");
    CHECK(first[0].message["state"]["run"] == 1);
    REQUIRE(first[0].message["cables"].size() == 1);
    CHECK(first[0].message["cables"][0]["id"] == "HAKTO 12");

    // As fast as possible, the whole run takes no time at all on the wall clock.
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 0; }));
    CHECK(st.timers.now() == t0);
    CHECK(st.audience.of_type("end")[0].message["run"] == 1);
    CHECK(st.show->runs() == 1);
    CHECK(!st.audience.of_type("frame").empty());

    // Then the pause, and the next run of the loop.
    st.timers.advance(o.attract_pause - 1ms);
    CHECK(st.audience.of_type("snapshot").size() == 1);
    st.timers.advance(1ms);
    auto snapshots = st.audience.of_type("snapshot");
    REQUIRE(snapshots.size() == 2);
    CHECK(snapshots[1].at == t0 + o.attract_pause);
    CHECK(snapshots[1].message["state"]["run"] == 2);
    CHECK(snapshots[1].message["state"]["mode"] == "attract");
    CHECK(st.show->runs() == 2);
}

TEST_CASE("show: events go out in frames, at most frame_interval after the oldest", "[exhibit]") {
    stage st;
    struct made_at {
        sim::wall_time made, sent;
    };
    std::vector<made_at> frames;
    st.show->on_broadcast([&](sim::wall_time made, std::string_view text) {
        if (text.substr(0, 16) == R"({"type":"frame",)") frames.push_back({made, st.timers.now()});
    });
    screen a;
    st.join(a);
    st.show->start();
    REQUIRE(st.run_until_received(a, hakto12_received));
    REQUIRE(frames.size() > 10);
    std::size_t on_time = 0;
    for (const auto& f : frames) {
        CHECK(f.sent - f.made <= 20ms);
        on_time += f.sent - f.made == 20ms ? 1 : 0;
    }
    // Most go when their time is up; the rest early, ahead of a message that follows them.
    CHECK(on_time * 10 >= frames.size() * 9);
    CHECK(a.largest_frame > 1);
    CHECK(a.seq_in_order);
    CHECK(a.frames == frames.size());
}

TEST_CASE("show: a frame an event with frame_interval 0, or when one reaches max_frame_bytes",
          "[exhibit]") {
    auto o = show_options();
    const bool by_size = GENERATE(false, true);
    if (by_size)
        o.max_frame_bytes = 1;
    else
        o.frame_interval = 0ms;
    stage st{o};
    screen b;
    st.join(b);
    st.show->start();
    REQUIRE(st.run_until_received(b, hakto12_received));
    CHECK(b.largest_frame == 1);
    CHECK(b.frames == b.count([](const json& j) { return is_type(j, "event"); }));
}

TEST_CASE("show: a screen joining mid-run prints the same page as one there from the start",
          "[exhibit]") {
    auto o = show_options();
    o.speed = sim::pacing::scaled(500);
    stage st{o};
    screen a, b;
    st.join(a);
    st.show->start();
    // b joins when a has 300 printed characters: mid-cable, whenever the frames fall.
    REQUIRE(st.run_until_received(
        a, [](const json& j) { return is_event(j, "printed"); }, 300));
    st.join(b);
    const auto snap_b = b.messages.front();
    REQUIRE(is_type(snap_b, "snapshot"));
    CHECK(snap_b["state"]["viewers"] == 2);
    const auto joined_with = page_of(snap_b);
    CHECK(!joined_with.empty());
    REQUIRE(st.run_until_received(b, hakto12_received));
    const auto page_a = page_seen(a);
    const auto page_b = page_seen(b);
    CHECK(joined_with.size() < page_b.size());
    CHECK(page_a == page_b);
    CHECK(page_a.find("WARM REGARDS") != std::string::npos);
    CHECK(a.seq_in_order);
    CHECK(b.seq_in_order);
    CHECK(a.largest_frame > 1);
}

TEST_CASE("show: pause holds the run, step moves it one event, resume goes on", "[exhibit]") {
    stage st;
    screen a;
    st.join(a);
    st.show->start();
    REQUIRE(st.run_until_received(
        a, [](const json& j) { return is_event(j, "punched"); }, 11));
    CHECK(!st.control(R"({"type":"step"})"));  // only while paused
    REQUIRE(st.control(R"({"type":"pause"})"));
    auto paused = a.messages.back();
    REQUIRE(is_type(paused, "state"));
    CHECK(paused["paused"] == true);
    CHECK(st.show->paused());
    const auto held = a.messages.size();
    st.timers.advance(100s);  // (the idle reset, at 120 s, would start the attract loop again)
    CHECK(a.messages.size() == held);

    // Each step runs the engine's next event; some of them print nothing.
    std::size_t steps = 0;
    while (a.count([](const json& j) { return is_type(j, "event"); }, held) == 0 && steps < 1000) {
        REQUIRE(st.control(R"({"type":"step"})"));
        ++steps;
    }
    CHECK(a.count([](const json& j) { return is_type(j, "event"); }, held) >= 1);
    CHECK(a.messages.back()["paused"] == true);
    CHECK(a.messages.back()["utc_ms"] >= paused["utc_ms"]);

    REQUIRE(st.control(R"({"type":"resume"})"));
    CHECK(!st.show->paused());
    const auto resumed = a.count([](const json& j) { return is_type(j, "event"); });
    REQUIRE(st.run_until_received(
        a, [](const json& j) { return is_type(j, "event"); }, resumed + 11));
}

TEST_CASE("show: the speed a visitor sets paces the rest of the run", "[exhibit]") {
    stage st;
    // Each frame's first event, when it is a character on the line: when it happened on the wall
    // clock and in the simulation.
    struct point {
        sim::wall_time made;
        std::int64_t utc_ms;
    };
    std::vector<point> points;
    st.show->on_broadcast([&](sim::wall_time made, std::string_view text) {
        auto j = json::parse(text);
        // (On the line, then on the page: a character's two events come at the same time.)
        if (j["type"] == "frame" && is_event(j["events"][0], "line"))
            points.push_back({made, j["events"][0]["utc_ms"].get<std::int64_t>()});
    });
    // The median of simulated time over wall time between frames.
    auto speed_over = [&](std::size_t from, std::size_t to) {
        std::vector<double> r;
        for (std::size_t i = from + 1; i < to; ++i) {
            auto wall =
                std::chrono::duration<double, std::milli>(points[i].made - points[i - 1].made);
            if (wall.count() > 0)
                r.push_back(static_cast<double>(points[i].utc_ms - points[i - 1].utc_ms) /
                            wall.count());
        }
        REQUIRE(!r.empty());
        std::nth_element(r.begin(), r.begin() + r.size() / 2, r.end());
        return r[r.size() / 2];
    };
    st.show->start();
    REQUIRE(st.run_until([&] { return points.size() >= 20; }));
    CHECK(speed_over(0, points.size()) == Approx(20).epsilon(0.01));

    REQUIRE(st.control(R"({"type":"speed","value":"200x"})"));
    auto state = st.audience.sent.back().message;
    CHECK(state["type"] == "state");
    CHECK(state["speed"] == "200x");
    const auto changed = points.size();
    REQUIRE(st.run_until([&] { return points.size() >= changed + 20; }));
    CHECK(speed_over(changed + 1, points.size()) == Approx(200).epsilon(0.01));

    auto refused = st.control(R"({"type":"speed","value":"fast"})");
    REQUIRE(!refused);
    CHECK(refused.error().message().find("fast") != std::string::npos);
}

TEST_CASE("show: back to the attract loop idle_reset after a visitor's last touch", "[exhibit]") {
    auto o = show_options();
    o.speed = sim::pacing::real_time();  // a run outlasts the test
    o.idle_reset = 30s;
    stage st{o};
    st.show->start();
    st.timers.advance(1500ms);
    REQUIRE(st.control(R"({"type":"noise","on":true})"));
    auto visitor = st.audience.sent.back().message;
    REQUIRE(visitor["type"] == "snapshot");
    CHECK(visitor["state"]["mode"] == "visitor");
    CHECK(visitor["state"]["noise"] == true);
    const auto touched = st.timers.now();
    auto attract_since = [&](std::size_t from) {
        std::size_t n = 0;
        for (const auto& m : st.audience.of_type("snapshot", from))
            n += m.message["state"]["mode"] == "attract" ? 1 : 0;
        return n;
    };

    // A touch (even a ping) puts the reset off.
    st.timers.advance(20s);
    REQUIRE(st.control(R"({"type":"ping"})"));
    const auto pinged = st.timers.now();
    const auto mark = st.audience.sent.size();
    st.timers.advance(30s);
    CHECK(attract_since(mark) == 0);
    // The check runs every second: the reset comes within a second of its time.
    st.timers.advance(1s);
    auto back = st.audience.of_type("snapshot", mark);
    REQUIRE(back.size() == 1);
    CHECK(back[0].message["state"]["mode"] == "attract");
    CHECK(back[0].message["state"]["noise"] == false);
    CHECK(back[0].message["state"]["speed"] == "real");
    CHECK(back[0].at - pinged > 30s);
    CHECK(back[0].at - pinged <= 31s);
    CHECK(back[0].at - touched > 50s);
}

TEST_CASE("show: a visitor's reply goes into the running network as the next TOHAK", "[exhibit]") {
    auto o = show_options();
    o.idle_reset = 0s;
    stage st{o};
    screen c;
    st.join(c);
    st.show->start();
    REQUIRE(st.run_until_received(c, [](const json& j) { return is_event(j, "punched"); }));
    REQUIRE(st.control(R"({"type":"pause"})"));
    auto refused = st.control(R"({"type":"reply","text":"well done. <script>","precedence":"Q"})");
    REQUIRE(!refused);
    CHECK(refused.error().message() == "precedence is one letter: Z, O, P or R");
    CHECK(!st.control(R"({"type":"reply","text":"<>"})"));  // nothing the keyboard can send
    CHECK(!st.control(R"({"type":"reply"})"));

    const auto before = c.messages.size();
    REQUIRE(st.control(R"({"type":"reply","text":"well done. <script>","precedence":"Z"})"));
    // No new run (no snapshot): the cable, and the run goes on (no longer paused).
    CHECK(c.count([](const json& j) { return is_type(j, "snapshot"); }, before) == 0);
    auto handed = c.last([](const json& j) { return is_type(j, "cable"); });
    REQUIRE(handed.is_object());
    auto id = handed["cable"]["id"].get<std::string>();
    CHECK(id.rfind("TOHAK", 0) == 0);
    CHECK(handed["cable"]["origin"] == "WTE");
    CHECK(handed["cable"]["precedence"] == "Z");
    CHECK(!st.show->paused());

    auto drafted = [&](const json& j) {
        return is_event(j, "stage") && j.value("stage", "") == "drafting" &&
               j.value("cable", "") == id;
    };
    REQUIRE(st.run_until_received(c, drafted));
    auto page = c.last(drafted)["page_copy"].get<std::string>();
    CHECK(page.find("WELL DONE.") != std::string::npos);
    CHECK(page.find('<') == std::string::npos);
    CHECK(page.find("Z ") != std::string::npos);
    auto printed = [&](const json& j) {
        return is_event(j, "printed") && j.value("cable", "") == id;
    };
    REQUIRE(st.run_until_received(c, printed));
    CHECK(c.last(printed)["station"] == "WTE10");

    // A second reply is the next number of the series.
    REQUIRE(st.control(R"({"type":"reply","text":"and again"})"));
    auto second = c.last([](const json& j) { return is_type(j, "cable"); });
    CHECK(second["cable"]["id"] != id);
    CHECK(second["cable"]["id"].get<std::string>().rfind("TOHAK", 0) == 0);
    CHECK(second["cable"]["precedence"] == "O");
}

TEST_CASE("show: a reply after the run's end keeps the run going instead of the attract loop",
          "[exhibit]") {
    auto o = show_options();
    o.speed = sim::pacing::as_fast_as_possible();
    stage st{o};
    st.show->start();
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 0; }));
    const auto ended = st.timers.now();
    REQUIRE(st.control(R"({"type":"reply","text":"thank you"})"));
    const auto mark = st.audience.sent.size();
    st.timers.advance(o.attract_pause - 1ms);
    CHECK(st.audience.of_type("snapshot", mark).empty());
    auto ends = st.audience.of_type("end", mark);
    REQUIRE(ends.size() == 1);  // the reply printed, then the run ended again
    CHECK(ends[0].message["run"] == 1);
    CHECK(st.audience.of_type("cable", mark).empty());
    CHECK(st.audience.sent[mark - 1].message["type"] == "state");
    st.timers.advance(1ms);
    auto next = st.audience.of_type("snapshot", mark);
    REQUIRE(next.size() == 1);
    CHECK(next[0].at == ended + o.attract_pause);
}

TEST_CASE("show: the operator's controls, checked whole before any takes effect", "[exhibit]") {
    stage st;
    screen c;
    st.join(c);
    st.show->start();
    auto snap = c.messages.back();
    REQUIRE(snap["type"] == "snapshot");
    REQUIRE(snap["operator"]["scenario"] == "june1972");
    auto offered = snap["operator"]["scenarios"];
    REQUIRE(!offered.empty());
    CHECK(offered[0]["cables"].size() == 3);  // HAKTO 7, 9 and 12
    CHECK(snap["operator"]["token_required"] == false);

    auto e1 = st.control(R"({"type":"operator","scenario":"nowhere"})");
    REQUIRE(!e1);
    CHECK(e1.error().message().find("nowhere") != std::string::npos);
    CHECK(!st.control(R"({"type":"operator","cables":["HAKTO 99"]})"));
    CHECK(!st.control(R"({"type":"operator","idle_reset":-5})"));
    // A mistake in one field leaves the others unapplied too.
    CHECK(!st.control(R"({"type":"operator","noise":true,"speed":"slow"})"));
    CHECK(st.audience.of_type("snapshot").size() == 1);
    // Without a token, from this machine only.
    auto remote = st.control(R"({"type":"operator","noise":true})", false);
    REQUIRE(!remote);
    CHECK(remote.error().kind == hakto::terminals::exhibit::control_error::kind_t::not_permitted);

    REQUIRE(st.control(R"({"type":"operator","scenario":"june1972","cables":["HAKTO 7"],)"
                       R"("speed":"300x","noise":true,"idle_reset":30})"));
    auto applied = c.messages.back();
    REQUIRE(applied["type"] == "snapshot");
    CHECK(applied["operator"]["cables"] == json::array({"HAKTO 7"}));
    CHECK(applied["state"]["mode"] == "attract");
    CHECK(applied["state"]["speed"] == "300x");
    CHECK(applied["state"]["noise"] == true);
    CHECK(applied["operator"]["idle_reset"] == 30);
    REQUIRE(applied["cables"].size() == 1);
    CHECK(applied["cables"][0]["id"] == "HAKTO 7");
}

TEST_CASE("show: with an operator token, operator controls need it, from anywhere", "[exhibit]") {
    auto o = show_options();
    o.operator_token = "correct horse battery";
    stage st{o};
    screen c;
    st.join(c);
    st.show->start();
    auto snap = c.messages.back();
    REQUIRE(snap["operator"]["token_required"] == true);
    CHECK(snap.dump().find("correct horse") == std::string::npos);  // never sent to screens
    auto refused = st.control(R"({"type":"operator","noise":true})");
    REQUIRE(!refused);
    CHECK(refused.error().message().find("token") != std::string::npos);
    CHECK(!st.control(R"({"type":"operator","noise":true,"token":"correct horse batterY"})"));
    CHECK(!st.control(R"({"type":"operator","noise":true,"token":"correct horse batter"})"));
    REQUIRE(
        st.control(R"({"type":"operator","noise":true,"token":"correct horse battery"})", false));
    CHECK(c.messages.back()["type"] == "snapshot");
    CHECK(c.messages.back()["state"]["noise"] == true);
}

TEST_CASE("show: as fast as possible, it waits up to a second for the slowest screen",
          "[exhibit]") {
    auto o = show_options();
    o.speed = sim::pacing::as_fast_as_possible();
    o.max_queued_messages = 100;
    stage st{o};
    const bool behind = GENERATE(false, true);
    // Over a quarter of the queue is behind; a quarter is not.
    st.audience.backlog_now = behind ? 26 : 25;
    const auto t0 = st.timers.now();
    st.show->start();
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 0; }));
    auto first_frame = st.audience.of_type("frame").front().at;
    if (behind) {
        // It waited a second, then went on whatever the screen's backlog (the queue limit
        // deals with a screen that stays behind).
        CHECK(first_frame - t0 >= 1s);
        CHECK(first_frame - t0 <= 1s + 20ms);
    } else {
        CHECK(first_frame == t0);
    }
}

TEST_CASE("show: controls that are not controls are answered, not obeyed", "[exhibit]") {
    stage st;
    st.show->start();
    auto not_json = st.control("this is not json");
    REQUIRE(!not_json);
    CHECK(not_json.error().message() == "a control is a JSON object with a \"type\"");
    auto unknown = st.control(R"({"type":"dance"})");
    REQUIRE(!unknown);
    CHECK(unknown.error().message() == "unknown control 'dance'");
    CHECK(!st.control(R"({"type":"noise","on":"yes"})"));
    CHECK(st.audience.of_type("snapshot").size() == 1);
}

namespace {

/// Every string a message holds, for what a visitor's screen must never be told.
void strings_of(const json& j, std::vector<std::string>& out) {
    if (j.is_string()) out.push_back(j.get<std::string>());
    if (j.is_array() || j.is_object())
        for (const auto& v : j) strings_of(v, out);
}

/// An option name, a file name, a command or an operator's instruction, in what screens get.
std::string operator_talk(const std::vector<hakto::test::test_audience::sent_message>& sent) {
    static const std::regex talk{
        R"(--[a-z]|\.xml|\bTEI\b|hakto (frus|replay|exhibit|import-frus|explain)\b)"
        R"(|NOT SUPPLIED|GIVE ITS)",
        std::regex::icase};
    for (const auto& m : sent) {
        std::vector<std::string> texts;
        strings_of(m.message, texts);
        for (const auto& t : texts)
            if (std::regex_search(t, talk)) return t;
    }
    return {};
}

}  // namespace

TEST_CASE("show: without the texts the loop plays what it has in full, the operator hears the rest",
          "[exhibit]") {
    auto o = show_options();
    o.replay.cables.clear();  // the operator chose nothing: the whole scenario, as it can be had
    o.speed = sim::pacing::as_fast_as_possible();
    std::vector<std::string> logged;
    o.log = [&](const std::string& line) { logged.push_back(line); };
    stage st{o};
    st.show->start();
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 0; }));
    const auto snap = st.audience.of_type("snapshot").front().message;
    // HAKTO 12 is bundled; HAKTO 7 and 9 are not, so the loop plays HAKTO 12 alone, in full.
    REQUIRE(snap["cables"].size() == 1);
    CHECK(snap["cables"][0]["id"] == "HAKTO 12");
    CHECK(snap["cables"][0].count("caption") == 0);
    CHECK(snap["operator"]["cables"].empty());
    const auto& missing = snap["operator"]["missing"];
    REQUIRE(missing.size() == 2);
    CHECK(missing[0] == json({{"cable", "HAKTO 7"}, {"document", "d140"}}));
    CHECK(missing[1] == json({{"cable", "HAKTO 9"}, {"document", "d141"}}));
    CHECK(st.audience.count_of("error") == 0);
    CHECK(operator_talk(st.audience.sent) == std::string{});
    CHECK(logged.empty());  // nothing went wrong: what is missing is on the operator page
}

TEST_CASE("show: a cable chosen without its text runs its header, with a caption for visitors",
          "[exhibit]") {
    auto o = show_options();
    o.replay.cables = {"HAKTO 9"};
    o.speed = sim::pacing::as_fast_as_possible();
    std::vector<std::string> logged;
    o.log = [&](const std::string& line) { logged.push_back(line); };
    stage st{o};
    screen a;
    st.join(a);
    st.show->start();
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 0; }));
    auto drafting = a.last([](const json& j) { return j.value("stage", "") == "drafting"; });
    REQUIRE(drafting.is_object());
    const auto caption = drafting.value("caption", "");
    CHECK(caption.find("Foreign Relations of the United States, 1969-1976, Volume E-13, Document "
                       "141") != std::string::npos);
    // The paper and the tape: the header as printed, nothing where the text would be.
    std::string page, punched;
    for (const auto& j : a.messages) {
        if (is_event(j, "printed")) page += j.value("glyph", "");
        if (is_event(j, "punched")) punched += j.value("glyph", "");
    }
    CHECK(page.find("P 2Ø1713Z JUN 772") != std::string::npos);
    CHECK(page.find("HAKTO 9") != std::string::npos);
    CHECK(page.size() < 80);
    CHECK(punched.size() < 80);
    // The visitors read the caption; the operator's log reads how to add the text.
    CHECK(operator_talk(st.audience.sent) == std::string{});
    REQUIRE(logged.size() == 1);
    CHECK(logged[0].find("--frus") != std::string::npos);
    CHECK(logged[0].find("hakto frus fetch") != std::string::npos);
    // The next run of the loop does not say it again.
    st.timers.advance(o.attract_pause);
    REQUIRE(st.run_until([&] { return st.audience.count_of("end") > 1; }));
    CHECK(logged.size() == 1);
}

TEST_CASE("show: a screen joining mid-cable gets the key-tape and cipher strips", "[exhibit]") {
    auto o = show_options();
    o.speed = sim::pacing::scaled(500);
    stage st{o};
    screen a, b;
    st.join(a);
    st.show->start();
    REQUIRE(st.run_until_received(
        a, [](const json& j) { return is_event(j, "line"); }, 200));
    st.join(b);
    const auto snap = b.messages.front();
    REQUIRE(is_type(snap, "snapshot"));
    const auto& strips = snap["strips"];
    REQUIRE(strips.size() == hakto::terminals::exhibit::run_record::max_strips);
    // The same codes as the line events the first screen saw last, in order.
    std::vector<json> seen;
    for (const auto& j : a.messages)
        if (is_event(j, "line")) seen.push_back(j);
    REQUIRE(seen.size() >= strips.size());
    for (std::size_t i = 0; i < strips.size(); ++i) {
        const auto& line = seen[seen.size() - strips.size() + i];
        CHECK(strips[i]["index"] == line["index"]);
        CHECK(strips[i]["code"] == line["code"]);
        CHECK(strips[i]["on_line"] == line["on_line"]);
    }
    // Enciphered: the strip's cipher codes are not the plain ones throughout.
    std::size_t differ = 0;
    for (const auto& s : strips) differ += s["code"] != s["on_line"];
    CHECK(differ > strips.size() / 2);
}
