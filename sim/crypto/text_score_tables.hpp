#pragma once
// The tables behind the text score, shared by the score, the depth test and the resync
// receiver. Not part of the interface.
#include <array>
#include <cstdint>

#include "protocol/teletype/teletype_code.hpp"

namespace hakto::sim::detail {

/// Relative frequencies of the 32 codes in English cable text, letters shift (index: the code).
const std::array<double, 32>& letters_weights();

struct score_tables {
    std::array<double, 32> letters{};
    std::array<double, 32> figures{};
    // For two letters in a row: log2(P(b | a) / P(b)) from the English letter-pair counts of
    // protocol/cable/garble.hpp (add-one smoothing, clamped to [-6, 3]); 0 when either is not a
    // letter.
    std::array<std::array<double, 32>, 32> pair{};
};

/// The score tables, made once.
const score_tables& tables();

// Fixed-point score terms (2^-40 bits), as the doubles plain_text_score adds up.
struct fixed_tables {
    static constexpr double scale = 0x1p40;
    std::int64_t figures[32]{};
    std::int64_t letters[32][32]{};  // [previous][code]
};

/// The fixed-point terms, made once from tables().
const fixed_tables& fixed();

}  // namespace hakto::sim::detail
