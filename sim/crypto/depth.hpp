#pragma once
// Depth: two ciphertexts on one stretch of key, found by the skew of their combination.
#include <cstddef>
#include <span>
#include <vector>

#include "sim/crypto/key_tape.hpp"

namespace hakto::sim {

/// Two ciphertexts laid over each other. With one key used twice ("in depth"),
/// c1 ⊕ c2 = p1 ⊕ p2: the key drops out, and the combination carries the skew of two plain
/// texts (0 wherever they hold the same code, SP ⊕ E, SP ⊕ T, ... often) instead of the flat
/// distribution that independent keys give.
struct depth_report {
    std::vector<code> combined;  ///< c1 ⊕ c2 for the overlapping length
    std::size_t length = 0;
    std::size_t coincidences = 0;  ///< positions where c1 == c2
    double coincidence_rate = 0.0;
    /// Standard score, against independent keys, of the log-likelihood ratio
    /// sum log2(P_depth(x) / (1/32)) over the combined codes x, where P_depth is the
    /// distribution of p1 ⊕ p2 for two independent plain texts with the letter frequencies of
    /// plain_text_score's table. About 0 for independent keys; it grows with the square root of
    /// the length for texts in depth.
    double z = 0.0;
    bool in_depth = false;  ///< z at or above the threshold
};

depth_report detect_depth(std::span<const code> c1, std::span<const code> c2,
                          double z_threshold = 4.0);

}  // namespace hakto::sim
