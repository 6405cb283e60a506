// The wire_frame fuzz target's seed corpus (one frame of each type, and a conversation fed
// whole and byte by byte) and any crash it found, run through the target's own property checks
// (tests/fuzz/wire_frame_fuzz.cpp).
#define HAKTO_FUZZ_UNIT_TEST 1
#include "fuzz/wire_frame_fuzz.cpp"

#include <catch2/catch.hpp>

#include "support/fuzz_inputs.hpp"

TEST_CASE(
    "fuzz target wire_frame: the seed corpus and any inputs of fixed crashes keep their "
    "properties") {
    auto inputs = hakto::test::fuzz_inputs("corpus", "wire_frame");
    REQUIRE(inputs.size() >= 9);
    auto fixed = hakto::test::fuzz_inputs("regressions", "wire_frame");
    inputs.insert(inputs.end(), fixed.begin(), fixed.end());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(wire_frame_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}

TEST_CASE("fuzz target wire_frame: a broken frame is reported, not taken") {
    // A begin frame whose length field promises more payload than the limit.
    std::vector<std::uint8_t> bytes{0, 0x48, 0x4B, 1, 4, 0x00, 0x01, 0x00, 0x00};
    CHECK_NOTHROW(wire_frame_fuzz_one(bytes.data(), bytes.size()));
    auto r = hakto::protocol::wire::decode(std::span<const std::uint8_t>(bytes).subspan(1));
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == hakto::protocol::wire::wire_error_kind::oversized);
}
