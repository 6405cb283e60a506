#include <random>

#include <catch2/catch.hpp>

#include "sim/scenario.hpp"

using namespace hakto::sim;
using namespace std::chrono;

namespace {

std::string errors_text(const scenario_errors& es) {
    std::string s;
    for (const auto& e : es) s += e.to_string() + "\n";
    return s;
}

const char* minimal = R"(
[scenario]
name = "t"
start = 1972-06-21T00:00:00Z

[[station]]
id = "AAA"

[[station]]
id = "BBB"
  [[station.route]]
  prefix = "AAA"
  circuit = "ab"

[[circuit]]
id = "ab"
between = ["AAA", "BBB"]
speed = "100wpm"
delay_ms = 12.5
)";

}  // namespace

TEST_CASE("the built-in June 1972 scenario loads") {
    auto names = builtin_scenario_names();
    REQUIRE(std::find(names.begin(), names.end(), "june1972") != names.end());
    auto s = load_named_scenario("june1972");
    INFO((s ? std::string{} : errors_text(s.error())));
    REQUIRE(s);
    const auto& sc = s.value();
    CHECK(sc.name == "june1972");
    CHECK(sc.stations.size() == 3);
    REQUIRE(sc.find_station("WTE10"));
    CHECK(sc.find_station("WTE10")->utc_offset_hours == 8);
    CHECK(sc.find_station("WHR")->kind == station_kind::relay);
    REQUIRE(sc.cables.size() == 3);
    CHECK(sc.cables[2].id == "HAKTO 12");
    CHECK(sc.cables[2].prec == hakto::protocol::precedence::immediate);
    CHECK(sc.cables[2].filed == make_sim_time(1972y / June / 21, 16h, 15min));
    CHECK(sc.cables[2].frus_document == "d143");
    const auto* pacific = sc.find_circuit("trans-pacific");
    REQUIRE(pacific);
    CHECK(pacific->propagation_delay == 290ms);
    CHECK(pacific->profile.name() == "60wpm");
    REQUIRE(pacific->noise);
    CHECK(pacific->noise->independent->p == Approx(2e-5));
    REQUIRE(pacific->crypto);
    // A relay routes by longest prefix: WTE10 back west, the rest of WTE east.
    const auto* relay = sc.find_station("WHR");
    CHECK(relay->routes.size() == 2);
    // Each station has its place on the map: Beijing east of Greenwich, the rest west.
    for (const auto* id : {"WTE10", "WHR", "WTE"}) {
        INFO(id);
        REQUIRE(sc.find_station(id)->latitude);
        REQUIRE(sc.find_station(id)->longitude);
    }
    CHECK(*sc.find_station("WTE10")->longitude == Approx(116.40));
    CHECK(*sc.find_station("WTE")->latitude == Approx(38.90));
}

TEST_CASE("a station's latitude and longitude: optional, in range, and given together") {
    std::string t = minimal;
    auto s = load_scenario(t, "t.toml");
    REQUIRE(s);
    CHECK_FALSE(s.value().stations.at(0).latitude);
    t.replace(t.find("id = \"AAA\""), 10, "id = \"AAA\"\nlatitude = 95\nlongitude = 10");
    t.replace(t.find("id = \"BBB\""), 10, "id = \"BBB\"\nlongitude = 10");
    auto bad = load_scenario(t, "net.toml");
    REQUIRE_FALSE(bad);
    auto text = errors_text(bad.error());
    CHECK(text.find("station[0].latitude: must be degrees between -90 and 90") !=
          std::string::npos);
    CHECK(text.find("station[1].longitude: latitude and longitude go together") !=
          std::string::npos);
}

TEST_CASE("a small scenario: fields and defaults") {
    auto s = load_scenario(minimal, "t.toml");
    INFO((s ? std::string{} : errors_text(s.error())));
    REQUIRE(s);
    const auto& c = s.value().circuits.at(0);
    CHECK(c.propagation_delay == 12500us);
    CHECK(c.profile.name() == "100wpm");
    CHECK(s.value().stations.at(0).routing_indicator == "AAA");
}

TEST_CASE("validation errors name the file, line and field") {
    SECTION("unknown speed") {
        std::string t = minimal;
        t.replace(t.find("\"100wpm\""), 8, "\"61wpm\"");
        auto s = load_scenario(t, "net.toml");
        REQUIRE_FALSE(s);
        REQUIRE(s.error().size() == 1);
        const auto& e = s.error()[0];
        CHECK(e.file == "net.toml");
        CHECK(e.where.line == 18);
        CHECK(e.field == "circuit[0].speed");
        CHECK(e.to_string().rfind("net.toml:18:", 0) == 0);
    }
    SECTION("a typo in a field name") {
        std::string t = minimal;
        t.replace(t.find("delay_ms"), 8, "delay_sm");
        auto s = load_scenario(t, "net.toml");
        REQUIRE_FALSE(s);
        CHECK(s.error()[0].field == "circuit[0].delay_sm");
        CHECK(s.error()[0].where.line == 19);
        CHECK(s.error()[0].message.find("is not a field") != std::string::npos);
    }
    SECTION("a route over a circuit that does not exist, a station defined twice") {
        std::string t = minimal;
        t.replace(t.find("circuit = \"ab\""), 14, "circuit = \"xy\"");
        t += "\n[[station]]\nid = \"AAA\"\n";
        auto s = load_scenario(t, "net.toml");
        REQUIRE_FALSE(s);
        auto text = errors_text(s.error());
        CHECK(text.find("net.toml:22:6: station[2].id: station 'AAA' is defined twice") !=
              std::string::npos);
        CHECK(text.find("station[1].route[0].circuit: no circuit 'xy'") != std::string::npos);
    }
    SECTION("times need a zone, probabilities lie in [0, 1], precedences are real") {
        std::string t = minimal;
        t += R"(
[[cable]]
id = "X"
origin = "AAA"
to = ["BBB"]
precedence = "Q"
filed = 1972-06-21T16:15:00
length = 100
)";
        auto s = load_scenario(t, "net.toml");
        REQUIRE_FALSE(s);
        auto text = errors_text(s.error());
        CHECK(text.find("net.toml:25:14: cable[0].precedence: 'Q' is not a precedence") !=
              std::string::npos);
        CHECK(text.find("cable[0].filed: needs a time zone") != std::string::npos);
    }
    SECTION("TOML syntax errors give the place") {
        auto s = load_scenario("[scenario]\nname = \"x\nstart = 3\n", "bad.toml");
        REQUIRE_FALSE(s);
        CHECK(s.error()[0].file == "bad.toml");
        CHECK(s.error()[0].where.line == 2);
    }
    SECTION("a missing file") {
        auto s = load_scenario_file("/nonexistent/scenario.toml");
        REQUIRE_FALSE(s);
        CHECK(s.error()[0].message.rfind("cannot open: ", 0) == 0);  // the one wording of sim/io
    }
}

TEST_CASE("malformed scenarios never crash the loader") {
    std::mt19937 rng(1972);
    std::string base = minimal;
    for (int round = 0; round < 500; ++round) {
        std::vector<char> t(base.begin(), base.end());
        int edits = 1 + static_cast<int>(rng() % 6);
        for (int e = 0; e < edits; ++e) {
            if (t.empty()) t.push_back('x');
            auto pos = static_cast<std::ptrdiff_t>(rng() % t.size());
            switch (rng() % 3) {
                case 0:
                    t.erase(t.begin() + pos,
                            t.begin() +
                                std::min<std::ptrdiff_t>(pos + 1 + rng() % 5,
                                                         static_cast<std::ptrdiff_t>(t.size())));
                    break;
                case 1:
                    t.insert(t.begin() + pos, static_cast<char>(rng() % 256));
                    break;
                default:
                    t[static_cast<std::size_t>(pos)] = "[]=\"\n.,{}0aZ#"[rng() % 14];
                    break;
            }
        }
        auto s = load_scenario(std::string_view{t.data(), t.size()}, "fuzz.toml");
        if (!s)
            for (const auto& err : s.error()) CHECK_FALSE(err.message.empty());
    }
}
