#pragma once
// The teletype codes the tests name, and text encoded for a test that needs codes to send.
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/teletype/teletype_encoder.hpp"

namespace hakto::test {

inline constexpr protocol::code FIGS = protocol::codes::figs;
inline constexpr protocol::code LTRS = protocol::codes::ltrs;
inline constexpr protocol::code SP = protocol::codes::space;

/// `text` in US TTY codes (the test fails when it cannot be encoded).
inline std::vector<protocol::code> encode_text(std::string_view text) {
    auto e = protocol::encode(text);
    REQUIRE(e.has_value());
    return e.value().codes;
}

}  // namespace hakto::test
