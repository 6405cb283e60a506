// The teletype_decoder fuzz target's seed corpus and every crash it found, run through the target's
// own property checks (tests/fuzz/teletype_decoder_fuzz.cpp).
#define HAKTO_FUZZ_UNIT_TEST 1
#include "fuzz/teletype_decoder_fuzz.cpp"

#include <catch2/catch.hpp>

#include "support/fuzz_inputs.hpp"

// The decoder has no fixed crash yet: a file put in tests/fuzz/regressions/teletype_decoder/
// runs here with the seeds.
TEST_CASE(
    "fuzz target teletype_decoder: the seed corpus and any inputs of fixed crashes keep their "
    "properties") {
    auto inputs = hakto::test::fuzz_inputs("corpus", "teletype_decoder");
    REQUIRE_FALSE(inputs.empty());
    auto fixed = hakto::test::fuzz_inputs("regressions", "teletype_decoder");
    inputs.insert(inputs.end(), fixed.begin(), fixed.end());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(teletype_decoder_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}
