// The scenario fuzz target's seed corpus and every crash it found, run through the target's own
// property checks (tests/fuzz/scenario_fuzz.cpp).
#define HAKTO_FUZZ_UNIT_TEST 1
#include "fuzz/scenario_fuzz.cpp"

#include <catch2/catch.hpp>

#include "support/fuzz_inputs.hpp"

TEST_CASE("fuzz target scenario: the seed corpus keeps its properties") {
    auto inputs = hakto::test::fuzz_inputs("corpus", "scenario");
    REQUIRE_FALSE(inputs.empty());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(scenario_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}

TEST_CASE("fuzz target scenario: the inputs of fixed crashes keep their properties") {
    auto inputs = hakto::test::fuzz_inputs("regressions", "scenario");
    REQUIRE_FALSE(inputs.empty());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(scenario_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}

TEST_CASE("fuzz findings in the scenario loader, as errors a person reads") {
    const std::string base =
        "[scenario]\nname = \"t\"\nstart = 1972-06-21T00:00:00Z\n\n[[station]]\nid = \"AAA\"\n"
        "\n[[station]]\nid = \"BBB\"\n\n[[circuit]]\nid = \"ab\"\nbetween = [\"AAA\", \"BBB\"]\n";
    auto first_error = [](const std::string& text) {
        auto s = hakto::sim::load_scenario(text, "t.toml");
        REQUIRE_FALSE(s);
        return s.error().at(0).to_string();
    };
    SECTION("a year the clock cannot hold") {
        auto text = base;
        text.replace(text.find("1972"), 4, "3944");
        CHECK(first_error(text) ==
              "t.toml:3:9: scenario.start: must lie between the years 1700 and 2200");
    }
    SECTION("nan and inf are not numbers of a scenario") {
        CHECK(first_error(base + "delay_ms = nan\n") ==
              "t.toml:14:12: circuit[0].delay_ms: must be a finite number");
        CHECK(first_error(base + "delay_ms = -inf\n") ==
              "t.toml:14:12: circuit[0].delay_ms: must be a finite number");
    }
    SECTION("a string left open at the end of the file is placed inside the file") {
        auto s = hakto::sim::load_scenario("[scenario]\nname = \"x", "t.toml");
        REQUIRE_FALSE(s);
        CHECK(s.error().at(0).where.line == 2);
        CHECK(s.error().at(0).where.column == 10);  // just past the last character
    }
}
