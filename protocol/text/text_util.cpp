#include "protocol/text/text_util.hpp"

#include <cctype>

#include "protocol/text/utf8.hpp"

namespace hakto::protocol {

std::string_view trim(std::string_view s) {
    auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string to_upper_ascii(std::string_view s) {
    std::string out{s};
    for (auto& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(a[i])) !=
            std::toupper(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool starts_with_word(std::string_view s, std::string_view word) {
    if (s.size() < word.size() || !iequals(s.substr(0, word.size()), word)) return false;
    return s.size() == word.size() || !std::isalnum(static_cast<unsigned char>(s[word.size()]));
}

std::vector<std::string_view> split_words(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string fold_slashed_zero(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        // U+00D8 Ø is C3 98, U+00F8 ø is C3 B8 in UTF-8.
        if (static_cast<unsigned char>(s[i]) == 0xC3 && i + 1 < s.size() &&
            (static_cast<unsigned char>(s[i + 1]) == 0x98 ||
             static_cast<unsigned char>(s[i + 1]) == 0xB8)) {
            out += '0';
            ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::size_t utf8_length(std::string_view s) {
    return utf8::length(s);
}

std::size_t column_of(std::string_view line, std::size_t byte_offset) {
    if (byte_offset > line.size()) byte_offset = line.size();
    return utf8_length(line.substr(0, byte_offset)) + 1;
}

bool has_lower(std::string_view s) {
    for (char c : s)
        if (c >= 'a' && c <= 'z') return true;
    return false;
}

bool is_all_caps(std::string_view s) {
    bool letters = false;
    for (char c : s) {
        if (c >= 'a' && c <= 'z') return false;
        if (c >= 'A' && c <= 'Z') letters = true;
    }
    return letters;
}

std::vector<std::string> wrap_words(std::string_view text, std::size_t width,
                                    std::size_t first_column, std::size_t next_column) {
    std::vector<std::string> lines(1);
    std::size_t column = first_column;
    for (auto w : split_words(text)) {
        auto length = utf8_length(w);
        if (width != 0 && !lines.back().empty() && column + 1 + length > width) {
            lines.emplace_back();
            column = next_column;
        }
        if (!lines.back().empty()) {
            lines.back() += ' ';
            ++column;
        }
        lines.back() += w;
        column += length;
    }
    return lines;
}

}  // namespace hakto::protocol
