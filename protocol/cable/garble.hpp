#pragma once
// Spotting garbled words in page copy. A hit on a line element turns a letter into another
// letter of the same shift, so garbles read as words no language would write ("HWENMJIJ").
// A word is suspect when it holds a letter pair that (almost) no English word holds; the pair
// counts come from a word list (protocol/cable/letter_bigrams.inc, scripts/gen-letter-bigrams).
#include <string_view>
#include <vector>

namespace hakto::protocol {

struct suspect_word {
    std::size_t offset = 0;  ///< byte offset in the text
    std::string_view word;
    std::string_view reason;  ///< "letter pair MJ is not found in English words"
};

/// How many English words hold the pair ab (A–Z only; 0 for anything else).
int letter_pair_count(char a, char b);

/// Suspect all-capital words (4 letters or more) and words that mix letters and figures, as a
/// FIGS/LTRS hit leaves them. Mixed-case names are left alone.
std::vector<suspect_word> find_garbled_words(std::string_view text);

}  // namespace hakto::protocol
