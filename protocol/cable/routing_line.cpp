#include "protocol/cable/routing_line.hpp"

#include <cctype>
#include <vector>

#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

bool is_station_letters(std::string_view s) {
    if (s.empty() || s.size() > 8) return false;
    for (char c : s)
        if (!std::isupper(static_cast<unsigned char>(c))) return false;
    return true;
}

/// Channel digits: 0–9, with the slashed zero (already folded to '0') and a stray letter O
/// read as zero, as an operator would.
std::optional<std::string> channel_digits(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    std::string out;
    bool any_digit = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            out += c;
            any_digit = true;
        } else if (c == 'O') {
            out += '0';
        } else {
            return std::nullopt;
        }
    }
    if (!any_digit) return std::nullopt;
    return out;
}

}  // namespace

std::optional<routing_line> read_routing_line(std::string_view raw) {
    auto line = fold_slashed_zero(raw);
    auto words = split_words(line);
    if (words.size() < 3 || words.size() > 5) return std::nullopt;
    std::size_t de = 0;
    for (std::size_t i = 1; i + 1 < words.size(); ++i)
        if (words[i] == "DE") de = i;
    if (de != 1) return std::nullopt;
    routing_line r;
    // The called station: letters, perhaps with its channel run on ("WTE10 DE WTE").
    auto called_letters = words[0].substr(0, words[0].find_first_of("0123456789"));
    if (!is_station_letters(called_letters) ||
        (called_letters.size() < words[0].size() &&
         !channel_digits(words[0].substr(called_letters.size()))))
        return std::nullopt;
    r.called = words[0];
    std::string_view calling = words[2];
    // Letters first; once a digit appears, the rest must be channel digits.
    std::size_t first_digit = calling.find_first_of("0123456789");
    std::string_view letters =
        calling.substr(0, first_digit == std::string_view::npos ? calling.size() : first_digit);
    if (!is_station_letters(letters)) return std::nullopt;
    r.calling = std::string{letters};
    if (first_digit != std::string_view::npos) {
        auto ch = channel_digits(calling.substr(first_digit));
        if (!ch) return std::nullopt;
        r.channel = *ch;
    }
    if (words.size() == 4) {
        if (r.channel) return std::nullopt;
        auto ch = channel_digits(words[3]);
        if (!ch) return std::nullopt;
        r.channel = *ch;
        r.channel_spaced = true;
    } else if (words.size() != 3) {
        return std::nullopt;
    }
    return r;
}

std::string calling_station(const routing_line& r) {
    std::string s = r.calling;
    if (r.channel) {
        if (r.channel_spaced) s += ' ';
        s += *r.channel;
    }
    return s;
}

std::string format_routing_line(const routing_line& r) {
    return r.called + " DE " + calling_station(r);
}

}  // namespace hakto::protocol
