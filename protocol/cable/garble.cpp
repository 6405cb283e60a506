#include "protocol/cable/garble.hpp"

#include <array>
#include <cctype>

#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

constexpr int letter_pairs[26][26] = {
#include "protocol/cable/letter_bigrams.inc"
};

/// At most this many words of the list hold the pair: rarer than any pair in ordinary text.
constexpr int rare_pair_limit = 2;

}  // namespace

int letter_pair_count(char a, char b) {
    if (!is_upper(a) || !is_upper(b)) return 0;
    return letter_pairs[a - 'A'][b - 'A'];
}

std::vector<suspect_word> find_garbled_words(std::string_view text) {
    std::vector<suspect_word> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t j = i;
        while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
        if (j == i) break;
        auto word = text.substr(i, j - i);
        bool lower = false, upper = false, digit = false;
        for (char c : word) {
            lower |= (c >= 'a' && c <= 'z');
            upper |= is_upper(c);
            digit |= is_digit(c);
        }
        // A word glued to a non-ASCII byte (an accented name) is not judged.
        bool clean_edges = (i == 0 || static_cast<unsigned char>(text[i - 1]) < 0x80) &&
                           (j == text.size() || static_cast<unsigned char>(text[j]) < 0x80);
        if (clean_edges && !lower && upper && digit) {
            // Letters and figures in one word: a shift lost or gained on the line ("Q2E").
            // Ordinal suffixes ("21ST", "3RD") and units are ordinary, so only letters
            // between figures or figures between letters count.
            bool letter_then_digit_then_letter = false;
            for (std::size_t k = 1; k + 1 < word.size(); ++k)
                if ((is_digit(word[k]) && is_upper(word[k - 1]) && is_upper(word[k + 1])) ||
                    (is_upper(word[k]) && is_digit(word[k - 1]) && is_digit(word[k + 1])))
                    letter_then_digit_then_letter = true;
            if (letter_then_digit_then_letter)
                out.push_back({i, word, "letters and figures mixed in one word"});
        } else if (clean_edges && !lower && upper && word.size() >= 4) {
            for (std::size_t k = 0; k + 1 < word.size(); ++k) {
                if (letter_pair_count(word[k], word[k + 1]) <= rare_pair_limit) {
                    out.push_back({i, word, "holds a letter pair that English words do not"});
                    break;
                }
            }
        }
        i = j;
    }
    return out;
}

}  // namespace hakto::protocol
