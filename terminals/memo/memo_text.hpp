#pragma once
// The memo writer's model of text (inside terminals/memo only): a cable paragraph as words,
// punctuation and spaces, the case rules the memo's restatement uses, and the key by which two
// rule patterns are the same pattern.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace hakto::terminals::memo_detail {

enum class tok { word, punct, space };

struct token {
    tok kind = tok::word;
    std::string text;
    bool settled = false;  ///< written by a phrase rule: the pronoun step leaves it alone
    bool fixed = false;    ///< written by the dictionary: printed as given
};

/// Words (letters and digits, with apostrophes and dots inside: "CHOU'S", "U.S", "2.5"),
/// punctuation (one character each) and runs of white space (as one " ").
std::vector<token> tokenize(std::string_view s);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
void capitalize_first(std::string& s);
bool has_upper_ascii(std::string_view s);
bool has_lower_ascii(std::string_view s);

/// Single letters joined by dots: "U.S", "A.M", "U.N".
bool is_initials(std::string_view w);

/// A pattern as the upper-case words and punctuation it matches, spaces dropped.
std::vector<std::string> pattern_elements(std::string_view pattern);
/// The elements joined by single spaces: two patterns with the same key are the same rule.
std::string pattern_key(std::string_view pattern);

/// The text of tokens [from, to), trimmed.
std::string join(const std::vector<token>& t, std::size_t from, std::size_t to);
std::string join(const std::vector<token>& t);

/// The placeholders of the [frame] templates (docs/covering-memo.md), checked when the rules
/// load and filled by the draft.
inline constexpr std::array<std::string_view, 6> frame_placeholders{"ordinal", "covers", "place",
                                                                    "series",  "number", "date"};

}  // namespace hakto::terminals::memo_detail
