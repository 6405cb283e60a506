#pragma once
// The text score: how much decrypted codes look like plain teleprinter text. The receiving
// operator (resync.hpp) and the depth test (depth.hpp) judge by it.
#include <span>

#include "protocol/teletype/teletype_code.hpp"

namespace hakto::sim {

using protocol::code;

/// How much a stretch of decrypted codes looks like plain teleprinter text, in bits a character:
/// the mean of log2(P_text(code) / (1/32)), with P_text a fixed table of English cable text in
/// each shift (the shift followed through FIGS, LTRS and unshift-on-space, starting in
/// letters), plus, for two letters in a row, log2(P(b | a) / P(b)) from the English letter-pair
/// counts of protocol/cable/garble.hpp. Plain cable text scores about +1; random codes about -2.
double plain_text_score(std::span<const code> codes);

}  // namespace hakto::sim
