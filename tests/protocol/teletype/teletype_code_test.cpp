#include <catch2/catch.hpp>

#include <array>
#include <map>
#include <set>
#include <string>

#include "protocol/teletype/teletype_code.hpp"

using namespace hakto::protocol;

namespace {

struct expected_row {
    const char* letters;
    const char* us_figures;
    const char* ita2_figures;
};

// The code table of protocol facts §2.1, written out again here on purpose (not taken from the
// library), row index = code value with element 1 as the least significant bit.
constexpr std::array<expected_row, 32> facts_table{{
    {"NUL", "NUL", "NUL"},     // 00
    {"E", "3", "3"},           // 01
    {"LF", "LF", "LF"},        // 02
    {"A", "-", "-"},           // 03
    {"SP", "SP", "SP"},        // 04
    {"S", "BELL", "'"},        // 05
    {"I", "8", "8"},           // 06
    {"U", "7", "7"},           // 07
    {"CR", "CR", "CR"},        // 08
    {"D", "$", "WRU"},         // 09
    {"R", "4", "4"},           // 0A
    {"J", "'", "BELL"},        // 0B
    {"N", ",", ","},           // 0C
    {"F", "!", "UNASSIGNED"},  // 0D
    {"C", ":", ":"},           // 0E
    {"K", "(", "("},           // 0F
    {"T", "5", "5"},           // 10
    {"Z", "\"", "+"},          // 11
    {"L", ")", ")"},           // 12
    {"W", "2", "2"},           // 13
    {"H", "#", "UNASSIGNED"},  // 14
    {"Y", "6", "6"},           // 15
    {"P", "0", "0"},           // 16
    {"Q", "1", "1"},           // 17
    {"O", "9", "9"},           // 18
    {"B", "?", "?"},           // 19
    {"G", "&", "UNASSIGNED"},  // 1A
    {"FIGS", "FIGS", "FIGS"},  // 1B
    {"M", ".", "."},           // 1C
    {"X", "/", "/"},           // 1D
    {"V", ";", "="},           // 1E
    {"LTRS", "LTRS", "LTRS"},  // 1F
}};

const std::map<std::string, code_function> function_names{
    {"NUL", code_function::nul},
    {"LF", code_function::line_feed},
    {"SP", code_function::space},
    {"CR", code_function::carriage_return},
    {"FIGS", code_function::figures},
    {"LTRS", code_function::letters},
    {"BELL", code_function::bell},
    {"WRU", code_function::who_are_you},
    {"UNASSIGNED", code_function::unassigned},
};

const char* expected_name(std::size_t c, shift s, code_set set) {
    const expected_row& row = facts_table[c];
    if (s == shift::letters) return row.letters;
    return set == code_set::ita2 ? row.ita2_figures : row.us_figures;
}

}  // namespace

TEST_CASE("every code of both tables means what protocol facts §2.1 says, in both shifts") {
    for (const code_set set : {code_set::us_tty, code_set::ita2}) {
        for (const shift s : {shift::letters, shift::figures}) {
            for (std::size_t c = 0; c < 32; ++c) {
                const std::string name = expected_name(c, s, set);
                INFO("code " << c << " set " << code_set_name(set) << " shift " << shift_name(s));
                const code value = static_cast<code>(c);
                CHECK(code_name(value, s, set) == name);
                const code_meaning m = meaning_of(value, s, set);
                const auto fn = function_names.find(name);
                if (fn != function_names.end()) {
                    CHECK_FALSE(m.printable());
                    CHECK(m.function == fn->second);
                    CHECK(m.character == 0);
                } else {
                    REQUIRE(name.size() == 1);
                    CHECK(m.printable());
                    CHECK(m.character == static_cast<char32_t>(name[0]));
                }
            }
        }
    }
}

TEST_CASE("the reverse lookup finds every printed character of both tables") {
    for (const code_set set : {code_set::us_tty, code_set::ita2}) {
        for (std::size_t c = 0; c < 32; ++c) {
            for (const shift s : {shift::letters, shift::figures}) {
                const std::string name = expected_name(c, s, set);
                if (name.size() != 1) continue;
                INFO("character " << name << " set " << code_set_name(set));
                const auto key = code_for(static_cast<char32_t>(name[0]), set);
                REQUIRE(key.has_value());
                CHECK(key->value == c);
                REQUIRE(key->needs.has_value());
                CHECK(*key->needs == s);
            }
        }
    }
}

TEST_CASE("the named facts: A, J and S") {
    CHECK(code_for(U'A')->value == 0x03);
    CHECK(code_for(U'A')->needs == shift::letters);
    CHECK(meaning_of(0x03, shift::letters) == code_meaning::printed(U'A'));

    // J in figures: apostrophe in US-TTY, bell in ITA2.
    CHECK(meaning_of(0x0B, shift::figures, code_set::us_tty) == code_meaning::printed(U'\''));
    CHECK(meaning_of(0x0B, shift::figures, code_set::ita2) ==
          code_meaning::control(code_function::bell));
    // S in figures: bell in US-TTY, apostrophe in ITA2.
    CHECK(meaning_of(0x05, shift::figures, code_set::us_tty) ==
          code_meaning::control(code_function::bell));
    CHECK(meaning_of(0x05, shift::figures, code_set::ita2) == code_meaning::printed(U'\''));

    CHECK(code_for(U'\'', code_set::us_tty) == keyed_code{0x0B, shift::figures});
    CHECK(code_for(U'\'', code_set::ita2) == keyed_code{0x05, shift::figures});
    CHECK(code_for(U'\a', code_set::us_tty) == keyed_code{0x05, shift::figures});
    CHECK(code_for(U'\a', code_set::ita2) == keyed_code{0x0B, shift::figures});
    CHECK(code_for(code_function::bell, code_set::us_tty) == keyed_code{0x05, shift::figures});
    CHECK(code_for(code_function::bell, code_set::ita2) == keyed_code{0x0B, shift::figures});
}

TEST_CASE("the control codes and the shift-neutral characters") {
    CHECK(codes::nul == 0x00);
    CHECK(codes::lf == 0x02);
    CHECK(codes::space == 0x04);
    CHECK(codes::cr == 0x08);
    CHECK(codes::figs == 0x1B);
    CHECK(codes::ltrs == 0x1F);

    CHECK(code_for(U' ') == keyed_code{codes::space, std::nullopt});
    CHECK(code_for(U'\r') == keyed_code{codes::cr, std::nullopt});
    CHECK(code_for(U'\n') == keyed_code{codes::lf, std::nullopt});
    CHECK(code_for(U'\0') == keyed_code{codes::nul, std::nullopt});
    CHECK(code_for(code_function::figures) == keyed_code{codes::figs, std::nullopt});
    CHECK(code_for(code_function::letters) == keyed_code{codes::ltrs, std::nullopt});

    // WRU exists only in ITA2 (figures D).
    CHECK(code_for(U'\x05', code_set::ita2) == keyed_code{0x09, shift::figures});
    CHECK_FALSE(code_for(U'\x05', code_set::us_tty).has_value());
    CHECK_FALSE(code_for(code_function::who_are_you, code_set::us_tty).has_value());
    CHECK_FALSE(code_for(code_function::unassigned, code_set::ita2).has_value());
}

TEST_CASE("characters outside the table have no code") {
    CHECK_FALSE(code_for(U'a').has_value());       // lower case is the encoder's policy
    CHECK_FALSE(code_for(U'\u00D8').has_value());  // Ø too
    CHECK_FALSE(code_for(U'+', code_set::us_tty).has_value());
    CHECK_FALSE(code_for(U'=', code_set::us_tty).has_value());
    CHECK(code_for(U'+', code_set::ita2) == keyed_code{0x11, shift::figures});
    CHECK(code_for(U'=', code_set::ita2) == keyed_code{0x1E, shift::figures});
    CHECK(code_for(U'"', code_set::us_tty) == keyed_code{0x11, shift::figures});
    for (const char32_t c : {U'"', U'$', U'!', U'#', U'&', U';'})
        CHECK_FALSE(code_for(c, code_set::ita2).has_value());
    for (const char32_t c : {U'%', U'*', U'@', U'\t', U'\u2603', U'\uFFFD', char32_t{0x110000}})
        CHECK_FALSE(code_for(c).has_value());
}

TEST_CASE("the two figures columns differ exactly at D F G H J S V Z") {
    std::set<std::string> differing;
    for (code c = 0; c < 32; ++c) {
        CHECK(meaning_of(c, shift::letters, code_set::us_tty) ==
              meaning_of(c, shift::letters, code_set::ita2));
        if (meaning_of(c, shift::figures, code_set::us_tty) !=
            meaning_of(c, shift::figures, code_set::ita2))
            differing.insert(std::string{code_name(c, shift::letters)});
    }
    CHECK(differing == std::set<std::string>{"D", "F", "G", "H", "J", "S", "V", "Z"});
}

TEST_CASE("shifts, names, and only the five low bits are read") {
    CHECK(is_shift(codes::figs));
    CHECK(is_shift(codes::ltrs));
    CHECK_FALSE(is_shift(codes::space));
    CHECK_FALSE(is_shift(0x03));
    CHECK(meaning_of(0x23, shift::letters) == code_meaning::printed(U'A'));
    CHECK(meaning_of(0xFF, shift::figures) == code_meaning::control(code_function::letters));
    CHECK(code_name(0xE3, shift::figures) == "-");
    CHECK(code_set_name(code_set::us_tty) == "US-TTY");
    CHECK(code_set_name(code_set::ita2) == "ITA2");
    CHECK(shift_name(shift::figures) == "FIGS");
    CHECK(function_name(code_function::who_are_you) == "WRU");
}

TEST_CASE("UTF-8 reading is total: one U+FFFD per ill-formed subpart") {
    using utf8::read;
    using utf8::read_status;
    CHECK(read("A").value == U'A');
    CHECK(read("\xC3\x89").value == U'\u00C9');
    CHECK(read("\xC3\x89").length == 2);
    CHECK(read("\xE2\x80\x94").value == U'\u2014');
    CHECK(read("\xF0\x9F\x98\x80").value == U'\U0001F600');

    CHECK(read("\xFF").status == read_status::invalid);
    CHECK(read("\xFF").length == 1);
    CHECK(read("\xC0\x80").status == read_status::invalid);  // overlong lead
    CHECK(read("\xC0\x80").length == 1);
    CHECK(read("\xE0\x80\x80").length == 1);                         // overlong
    CHECK(read("\xED\xA0\x80").status == read_status::invalid);      // surrogate
    CHECK(read("\xF4\x90\x80\x80").status == read_status::invalid);  // above U+10FFFF
    CHECK(read("\xE2\x80X").status == read_status::invalid);
    CHECK(read("\xE2\x80X").length == 2);
    CHECK(read("\xE2\x80").status == read_status::truncated);
    CHECK(read("\xE2\x80").length == 2);
    CHECK(read("").length == 0);

    CHECK(utf8::length("A\xC3\x89\xFF\xE2\x80") == 4);
    CHECK(utf8::encode(U'\u00D8') == "\xC3\x98");
    CHECK(utf8::encode(char32_t{0xD800}) == "\xEF\xBF\xBD");
    CHECK(utf8::encode(char32_t{0x110000}) == "\xEF\xBF\xBD");
}
