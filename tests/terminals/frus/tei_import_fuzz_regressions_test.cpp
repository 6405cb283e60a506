// The tei_import fuzz target's seed corpus and every crash it found, run through the target's own
// property checks (tests/fuzz/tei_import_fuzz.cpp).
#define HAKTO_FUZZ_UNIT_TEST 1
#include "fuzz/tei_import_fuzz.cpp"

#include <catch2/catch.hpp>

#include "support/fuzz_inputs.hpp"

TEST_CASE("fuzz target tei_import: the seed corpus keeps its properties") {
    auto inputs = hakto::test::fuzz_inputs("corpus", "tei_import");
    REQUIRE_FALSE(inputs.empty());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(tei_import_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}

TEST_CASE("fuzz target tei_import: the inputs of fixed crashes keep their properties") {
    auto inputs = hakto::test::fuzz_inputs("regressions", "tei_import");
    REQUIRE_FALSE(inputs.empty());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(tei_import_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}
