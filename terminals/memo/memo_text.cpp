#include "terminals/memo/memo_text.hpp"

#include <algorithm>
#include <utility>

#include "protocol/text/text_util.hpp"

namespace hakto::terminals::memo_detail {

namespace {

enum class unit { letter, apostrophe, dot, space, punct };

/// The character class and byte length of the character at `i`. UTF-8 aware where it matters:
/// the right single quote (’) is an apostrophe, other general punctuation (dashes, quotes) is
/// punctuation, any other non-ASCII character counts as a letter. Ill-formed bytes are letters.
std::pair<unit, std::size_t> unit_at(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            return {unit::space, 1};
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            return {unit::letter, 1};
        if (c == '\'') return {unit::apostrophe, 1};
        if (c == '.') return {unit::dot, 1};
        return {unit::punct, 1};
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    for (std::size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
            len = 1;
            break;
        }
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80) {
        auto third = static_cast<unsigned char>(s[i + 2]);
        if (third == 0x99) return {unit::apostrophe, 3};
        return {unit::punct, 3};
    }
    if (len == 2 && c == 0xC2) return {unit::punct, 2};  // Latin-1 punctuation and no-break space
    return {unit::letter, len};
}

}  // namespace

std::vector<token> tokenize(std::string_view s) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        auto [u, len] = unit_at(s, i);
        if (u == unit::space) {
            while (i < s.size() && unit_at(s, i).first == unit::space) i += unit_at(s, i).second;
            out.push_back({tok::space, " "});
            continue;
        }
        if (u != unit::letter) {
            out.push_back({tok::punct, std::string{s.substr(i, len)}});
            i += len;
            continue;
        }
        std::size_t j = i + len;
        while (j < s.size()) {
            auto [v, vlen] = unit_at(s, j);
            if (v == unit::letter) {
                j += vlen;
            } else if ((v == unit::apostrophe || v == unit::dot) && j + vlen < s.size() &&
                       unit_at(s, j + vlen).first == unit::letter) {
                j += vlen;
            } else {
                break;
            }
        }
        out.push_back({tok::word, std::string{s.substr(i, j - i)}});
        i = j;
    }
    return out;
}

std::string upper(std::string_view s) {
    return protocol::to_upper_ascii(s);
}

std::string lower(std::string_view s) {
    std::string out{s};
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

void capitalize_first(std::string& s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
}

bool has_upper_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}
bool has_lower_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_initials(std::string_view w) {
    if (w.size() < 3) return false;
    for (std::size_t i = 0; i < w.size(); ++i) {
        char c = w[i];
        bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (i % 2 == 0 ? !letter : c != '.') return false;
    }
    return w.size() % 2 == 1;
}

std::vector<std::string> pattern_elements(std::string_view pattern) {
    std::vector<std::string> out;
    for (auto& t : tokenize(pattern))
        if (t.kind != tok::space) out.push_back(upper(t.text));
    return out;
}

std::string pattern_key(std::string_view pattern) {
    std::string out;
    for (auto& e : pattern_elements(pattern)) {
        if (!out.empty()) out += ' ';
        out += e;
    }
    return out;
}

std::string join(const std::vector<token>& t, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to && i < t.size(); ++i) out += t[i].text;
    return std::string{protocol::trim(out)};
}

std::string join(const std::vector<token>& t) {
    return join(t, 0, t.size());
}

}  // namespace hakto::terminals::memo_detail
