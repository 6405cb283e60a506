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
    for (const auto& in : hakto::test::fuzz_inputs("regressions", "scenario")) {
        INFO(in.path);
        CHECK_NOTHROW(scenario_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}
