#include "sim/crypto/text_score.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>

#include "protocol/cable/garble.hpp"
#include "sim/crypto/text_score_tables.hpp"

namespace hakto::sim {

namespace {

using protocol::codes::figs;
using protocol::codes::ltrs;
using protocol::codes::mask;
using protocol::codes::space;

// Relative frequencies in English cable text, by what a code does rather than by its holes, so
// that the table by code is read off the teletype code (protocol/teletype): English letter
// frequencies, a generous share for SP, CR, LF and the shifts, and in figures the digits and
// the punctuation of cables (- . / , : ( ) ?), with LTRS to leave. The US-TTY figures column.
double letters_weight(const protocol::code_meaning& m) {
    using protocol::code_function;
    // A to Z.
    static constexpr std::array<double, 26> english = {65,  12, 25, 30, 100, 18, 16, 38, 58,
                                                       1.5, 5,  32, 20, 58,  62, 17, 1,  50,
                                                       52,  75, 22, 8,  15,  2,  14, 1};
    switch (m.function) {
        case code_function::print:
            return english.at(static_cast<std::size_t>(m.character - U'A'));
        case code_function::line_feed:
            return 15;
        case code_function::space:
            return 160;
        case code_function::carriage_return:
            return 25;
        case code_function::figures:
            return 15;
        case code_function::letters:
            return 15;
        default:
            return 0.05;  // NUL
    }
}

double figures_weight(const protocol::code_meaning& m) {
    using protocol::code_function;
    switch (m.function) {
        case code_function::print:
            break;
        case code_function::line_feed:
            return 10;
        case code_function::space:
            return 60;
        case code_function::carriage_return:
            return 15;
        case code_function::figures:
            return 3;
        case code_function::letters:
            return 100;
        case code_function::bell:
            return 0.5;
        default:
            return 0.05;  // NUL
    }
    switch (m.character) {
        case U'0':
            return 60;
        case U'1':
            return 70;
        case U'2':
            return 60;
        case U'-':
            return 12;
        case U'.':
            return 25;
        case U'/':
            return 12;
        case U',':
            return 6;
        case U':':
            return 4;
        case U'(':
            return 4;
        case U')':
            return 4;
        case U'?':
            return 3;
        case U'\'':
            return 2;
        case U'$':
            return 1;
        case U'"':
            return 1;
        case U';':
            return 1;
        case U'!':
            return 0.5;
        case U'#':
            return 0.5;
        case U'&':
            return 0.5;
        default:
            return 50;  // the other digits
    }
}

template <class Weight>
std::array<double, 32> by_code(protocol::shift s, Weight weight) {
    std::array<double, 32> out{};
    for (std::size_t c = 0; c < 32; ++c)
        out[c] = weight(protocol::meaning_of(static_cast<code>(c), s, protocol::code_set::us_tty));
    return out;
}

// Made on first use: meaning_of is another file's, and a namespace-scope table could be made
// before it is ready.
const std::array<double, 32>& figures_weight_table() {
    static const auto t = by_code(protocol::shift::figures, figures_weight);
    return t;
}

// The letter of each letters-shift code ('\0' for the shifts, spaces and line codes), read
// from the teletype code itself (US-TTY and ITA2 agree in the letters shift).
std::array<char, 32> letters_of_codes() {
    std::array<char, 32> out{};
    for (std::size_t c = 0; c < 32; ++c) {
        const auto m = protocol::meaning_of(static_cast<code>(c), protocol::shift::letters);
        if (m.printable() && m.character >= U'A' && m.character <= U'Z')
            out[c] = static_cast<char>(m.character);
    }
    return out;
}

}  // namespace

namespace detail {

const std::array<double, 32>& letters_weights() {
    static const auto t = by_code(protocol::shift::letters, letters_weight);
    return t;
}

const score_tables& tables() {
    static const score_tables t = [] {
        const auto letter_of = letters_of_codes();
        const auto& letters_weights = detail::letters_weights();
        const auto& figures_weights = figures_weight_table();
        score_tables s;
        double sl = 0.0;
        double sf = 0.0;
        for (std::size_t i = 0; i < 32; ++i) {
            sl += letters_weights[i];
            sf += figures_weights[i];
        }
        for (std::size_t i = 0; i < 32; ++i) {
            s.letters[i] = std::log2(letters_weights[i] / sl * 32.0);
            s.figures[i] = std::log2(figures_weights[i] / sf * 32.0);
        }
        std::array<double, 26> column{};
        std::array<double, 26> row{};
        double total = 0.0;
        for (int a = 0; a < 26; ++a) {
            for (int b = 0; b < 26; ++b) {
                const auto n = static_cast<double>(protocol::letter_pair_count(
                    static_cast<char>('A' + a), static_cast<char>('A' + b)));
                row[static_cast<std::size_t>(a)] += n;
                column[static_cast<std::size_t>(b)] += n;
                total += n;
            }
        }
        for (std::size_t x = 0; x < 32; ++x) {
            for (std::size_t y = 0; y < 32; ++y) {
                const char a = letter_of[x];
                const char b = letter_of[y];
                if (a == '\0' || b == '\0') {
                    continue;
                }
                const auto ia = static_cast<std::size_t>(a - 'A');
                const auto ib = static_cast<std::size_t>(b - 'A');
                const double n = static_cast<double>(protocol::letter_pair_count(a, b));
                const double p_b_given_a = (n + 1.0) / (row[ia] + 26.0);
                const double p_b = (column[ib] + 1.0) / (total + 26.0);
                s.pair[x][y] = std::clamp(std::log2(p_b_given_a / p_b), -6.0, 3.0);
            }
        }
        return s;
    }();
    return t;
}

const fixed_tables& fixed() {
    static const fixed_tables f = [] {
        const score_tables& t = tables();
        fixed_tables x;
        for (std::size_t c = 0; c < 32; ++c) {
            x.figures[c] = std::llround(t.figures[c] * fixed_tables::scale);
            for (std::size_t p = 0; p < 32; ++p) {
                x.letters[p][c] = std::llround((t.letters[c] + t.pair[p][c]) * fixed_tables::scale);
            }
        }
        return x;
    }();
    return f;
}

}  // namespace detail

using detail::tables;

double plain_text_score(std::span<const code> codes) {
    if (codes.empty()) {
        return 0.0;
    }
    const detail::score_tables& t = tables();
    bool in_figures = false;
    double sum = 0.0;
    code previous = figs;  // not a letter
    for (const code raw : codes) {
        const code c = static_cast<code>(raw & mask);
        if (in_figures) {
            sum += t.figures[c];
            previous = figs;
        } else {
            sum += t.letters[c] + t.pair[previous][c];
            previous = c;
        }
        if (c == figs) {
            in_figures = true;
        } else if (c == ltrs || c == space) {  // space: unshift on space (protocol facts §2.2)
            in_figures = false;
        }
    }
    return sum / static_cast<double>(codes.size());
}

}  // namespace hakto::sim
