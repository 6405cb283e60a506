#include "protocol/teletype/teletype_code.hpp"

#include <array>

namespace hakto::protocol {

namespace {

using fn = code_function;

constexpr code_meaning p(char32_t c) {
    return code_meaning::printed(c);
}
constexpr code_meaning f(code_function function) {
    return code_meaning::control(function);
}

struct code_row {
    code_meaning letters;
    code_meaning us_figures;
    code_meaning ita2_figures;
};

// The code table, protocol facts §2.1. Row index = code value, element 1 = bit 0.
// Letters and the functions are shared; the figures column differs at D F G H J S V Z.
constexpr std::array<code_row, 32> table{{
    /* 00 */ {f(fn::nul), f(fn::nul), f(fn::nul)},
    /* 01 */ {p(U'E'), p(U'3'), p(U'3')},
    /* 02 */ {f(fn::line_feed), f(fn::line_feed), f(fn::line_feed)},
    /* 03 */ {p(U'A'), p(U'-'), p(U'-')},
    /* 04 */ {f(fn::space), f(fn::space), f(fn::space)},
    /* 05 */ {p(U'S'), f(fn::bell), p(U'\'')},  // US bell on S, ITA2 apostrophe
    /* 06 */ {p(U'I'), p(U'8'), p(U'8')},
    /* 07 */ {p(U'U'), p(U'7'), p(U'7')},
    /* 08 */ {f(fn::carriage_return), f(fn::carriage_return), f(fn::carriage_return)},
    /* 09 */ {p(U'D'), p(U'$'), f(fn::who_are_you)},  // ITA2: WRU (answer-back)
    /* 0A */ {p(U'R'), p(U'4'), p(U'4')},
    /* 0B */ {p(U'J'), p(U'\''), f(fn::bell)},  // ITA2 bell on J (CCITT S.4)
    /* 0C */ {p(U'N'), p(U','), p(U',')},
    /* 0D */ {p(U'F'), p(U'!'), f(fn::unassigned)},  // ITA2: national use
    /* 0E */ {p(U'C'), p(U':'), p(U':')},
    /* 0F */ {p(U'K'), p(U'('), p(U'(')},
    /* 10 */ {p(U'T'), p(U'5'), p(U'5')},
    /* 11 */ {p(U'Z'), p(U'"'), p(U'+')},
    /* 12 */ {p(U'L'), p(U')'), p(U')')},
    /* 13 */ {p(U'W'), p(U'2'), p(U'2')},
    /* 14 */ {p(U'H'), p(U'#'), f(fn::unassigned)},  // ITA2: national use (UK pound)
    /* 15 */ {p(U'Y'), p(U'6'), p(U'6')},
    /* 16 */ {p(U'P'), p(U'0'), p(U'0')},  // US machines print the zero as Ø (§1.11)
    /* 17 */ {p(U'Q'), p(U'1'), p(U'1')},
    /* 18 */ {p(U'O'), p(U'9'), p(U'9')},
    /* 19 */ {p(U'B'), p(U'?'), p(U'?')},
    /* 1A */ {p(U'G'), p(U'&'), f(fn::unassigned)},  // ITA2: national use
    /* 1B */ {f(fn::figures), f(fn::figures), f(fn::figures)},
    /* 1C */ {p(U'M'), p(U'.'), p(U'.')},
    /* 1D */ {p(U'X'), p(U'/'), p(U'/')},
    /* 1E */ {p(U'V'), p(U';'), p(U'=')},
    /* 1F */ {f(fn::letters), f(fn::letters), f(fn::letters)},
}};

// One-character names for the printed characters of the table (all of them are ASCII).
constexpr std::array<char, 128> ascii = [] {
    std::array<char, 128> a{};
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<char>(i);
    return a;
}();

}  // namespace

std::string_view code_set_name(code_set set) noexcept {
    switch (set) {
        case code_set::us_tty:
            return "US-TTY";
        case code_set::ita2:
            return "ITA2";
    }
    return "US-TTY";
}

std::optional<code_set> read_code_set(std::string_view name) noexcept {
    if (name == "ustty" || name == "us-tty" || name == "us_tty") return code_set::us_tty;
    if (name == "ita2") return code_set::ita2;
    return std::nullopt;
}

std::string_view shift_name(shift s) noexcept {
    return s == shift::figures ? "FIGS" : "LTRS";
}

code_meaning meaning_of(code c, shift s, code_set set) noexcept {
    const code_row& row = table[c & codes::mask];
    if (s == shift::letters) return row.letters;
    return set == code_set::ita2 ? row.ita2_figures : row.us_figures;
}

std::optional<keyed_code> code_for(char32_t character, code_set set) noexcept {
    switch (character) {
        case U' ':
            return keyed_code{codes::space, std::nullopt};
        case U'\r':
            return keyed_code{codes::cr, std::nullopt};
        case U'\n':
            return keyed_code{codes::lf, std::nullopt};
        case U'\0':
            return keyed_code{codes::nul, std::nullopt};
        case U'\a':
            return code_for(code_function::bell, set);
        case U'\x05':
            return code_for(code_function::who_are_you, set);
        default:
            break;
    }
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto value = static_cast<code>(i);
        if (table[i].letters == code_meaning::printed(character))
            return keyed_code{value, shift::letters};
        const code_meaning& figures =
            set == code_set::ita2 ? table[i].ita2_figures : table[i].us_figures;
        if (figures == code_meaning::printed(character)) return keyed_code{value, shift::figures};
    }
    return std::nullopt;
}

std::optional<keyed_code> code_for(code_function function, code_set set) noexcept {
    switch (function) {
        case code_function::nul:
            return keyed_code{codes::nul, std::nullopt};
        case code_function::line_feed:
            return keyed_code{codes::lf, std::nullopt};
        case code_function::space:
            return keyed_code{codes::space, std::nullopt};
        case code_function::carriage_return:
            return keyed_code{codes::cr, std::nullopt};
        case code_function::figures:
            return keyed_code{codes::figs, std::nullopt};
        case code_function::letters:
            return keyed_code{codes::ltrs, std::nullopt};
        case code_function::print:
        case code_function::unassigned:
            return std::nullopt;
        case code_function::bell:
        case code_function::who_are_you:
            break;
    }
    for (std::size_t i = 0; i < table.size(); ++i) {
        const code_meaning& figures =
            set == code_set::ita2 ? table[i].ita2_figures : table[i].us_figures;
        if (figures == code_meaning::control(function))
            return keyed_code{static_cast<code>(i), shift::figures};
    }
    return std::nullopt;
}

bool is_shift(code c) noexcept {
    const code v = c & codes::mask;
    return v == codes::figs || v == codes::ltrs;
}

std::string_view function_name(code_function f) noexcept {
    switch (f) {
        case code_function::print:
            return "PRINT";
        case code_function::nul:
            return "NUL";
        case code_function::line_feed:
            return "LF";
        case code_function::space:
            return "SP";
        case code_function::carriage_return:
            return "CR";
        case code_function::figures:
            return "FIGS";
        case code_function::letters:
            return "LTRS";
        case code_function::bell:
            return "BELL";
        case code_function::who_are_you:
            return "WRU";
        case code_function::unassigned:
            return "UNASSIGNED";
    }
    return "UNASSIGNED";
}

std::string_view code_name(code c, shift s, code_set set) noexcept {
    const code_meaning m = meaning_of(c, s, set);
    if (m.printable() && m.character < ascii.size()) return {&ascii[m.character], 1};
    return function_name(m.function);
}

// ---------------------------------------------------------------------------------------------

}  // namespace hakto::protocol
