#pragma once
// Small text helpers shared by the cable reader and writer (ASCII-only case rules: the cables
// are teletype text; anything else is left as it is).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hakto::protocol {

std::string_view trim(std::string_view s);
/// ASCII classes, as the teletype's character set has them (no locale).
constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
constexpr bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
constexpr bool is_alpha(char c) noexcept {
    return is_upper(c) || (c >= 'a' && c <= 'z');
}
std::string to_upper_ascii(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_word(std::string_view s, std::string_view word);  ///< case-insensitive, whole word
/// Whitespace-separated words (views into `s`).
std::vector<std::string_view> split_words(std::string_view s);
/// Replaces the slashed zero (Ø, ø) by the digit 0, as the teletype code carries it.
std::string fold_slashed_zero(std::string_view s);
/// Number of characters (code points); see utf8::length for ill-formed input.
std::size_t utf8_length(std::string_view s);
/// Byte offset → 1-based character column.
std::size_t column_of(std::string_view line, std::size_t byte_offset);
/// True when the text has letters and none of them is lower case.
bool is_all_caps(std::string_view s);
bool has_lower(std::string_view s);
/// The words of `text` (split_words) filled into lines of at most `width` characters (code
/// points), one space between words. The first line starts at column `first_column`, the others
/// at `next_column`: what stands before them (a label, an indent) is the caller's to write. A
/// word too long for a line stands alone on its line; a `width` of 0 is one line, unwrapped.
/// Always at least one line: an empty one when `text` has no words.
std::vector<std::string> wrap_words(std::string_view text, std::size_t width,
                                    std::size_t first_column = 0, std::size_t next_column = 0);

}  // namespace hakto::protocol
