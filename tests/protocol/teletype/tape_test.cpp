#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "protocol/teletype/tape.hpp"

using namespace hakto::protocol;
using codes_t = std::vector<code>;

TEST_CASE("one row per code: channels 1 2, feed hole, channels 3 4 5") {
    CHECK(render_tape(codes_t{0x1F, 0x03}) ==
          "|oo.ooo| 1F  LTRS\n"
          "|oo.   | 03  A\n");
    // FIGS 11011, then A and S in figures (US-TTY): - and BELL.
    CHECK(render_tape(codes_t{0x1B, 0x03, 0x05}) ==
          "|oo. oo| 1B  FIGS\n"
          "|oo.   | 03  -\n"
          "|o .o  | 05  BELL\n");
    CHECK(render_tape(codes_t{0x1B, 0x05}, {code_set::ita2, false, true, false}) ==
          "|oo. oo| 1B  FIGS\n"
          "|o .o  | 05  '\n");
    // Each channel alone: bit n-1 is channel n.
    CHECK(render_tape(codes_t{0x00, 0x01, 0x02, 0x04, 0x08, 0x10}, {{}, false, false, false}) ==
          "|  .   |\n"
          "|o .   |\n"
          "| o.   |\n"
          "|  .o  |\n"
          "|  . o |\n"
          "|  .  o|\n");
    CHECK(render_tape(codes_t{0x03}, {{}, false, true, true}) ==
          "|\xE2\x97\x8F\xE2\x97\x8F\xC2\xB7   | 03  A\n");
    CHECK(render_tape(codes_t{}) == "");
    CHECK(render_tape(codes_t{0x23}) == "|oo.   | 03  A\n");  // five channels only
}

TEST_CASE("the annotation tracks the case, with USOS if asked") {
    const codes_t codes{0x1B, 0x17, 0x04, 0x17, 0x08, 0x02};  // FIGS 1 SP 1 CR LF
    CHECK(render_tape(codes) ==
          "|oo. oo| 1B  FIGS\n"
          "|oo.o o| 17  1\n"
          "|  .o  | 04  SP\n"
          "|oo.o o| 17  1\n"
          "|  . o | 08  CR\n"
          "| o.   | 02  LF\n");
    const std::string usos = render_tape(codes, {code_set::us_tty, true, true, false});
    CHECK(usos.find("| 17  1\n|  .o  | 04  SP\n|oo.o o| 17  Q\n") != std::string::npos);
}

TEST_CASE("render and parse round trip, every form") {
    codes_t all;
    for (code c = 0; c < 32; ++c) all.push_back(c);
    std::mt19937 rng{28};
    std::uniform_int_distribution<int> any{0, 31};
    for (int i = 0; i < 500; ++i) all.push_back(static_cast<code>(any(rng)));
    for (const bool annotate : {true, false}) {
        for (const bool unicode : {true, false}) {
            for (const code_set set : {code_set::us_tty, code_set::ita2}) {
                const std::string picture = render_tape(all, {set, true, annotate, unicode});
                auto back = parse_tape(picture);
                REQUIRE(back);
                CHECK(back.value() == all);
            }
        }
    }
}

TEST_CASE("parse_tape skips blank lines and comments, and accepts CRLF and indents") {
    const std::string picture =
        "# HAKTO 12, first characters\n"
        "\n"
        "  |oo.ooo| 1F  LTRS\r\n"
        "   # a comment after spaces\n"
        "\t|oo.   |\n"
        "|OO.   | anything after the edge\n"
        "|\xE2\x97\x8F\xE2\x97\x8F\xC2\xB7   \xE2\x94\x82\n"
        "   \n";
    auto r = parse_tape(picture);
    REQUIRE(r);
    CHECK(r.value() == codes_t{0x1F, 0x03, 0x03, 0x03});
    CHECK(parse_tape("").value().empty());
}

TEST_CASE("parse_tape reports every malformed row with line and column") {
    const std::string picture =
        "|oo.   | 03  A\n"   // 1: fine
        "|ox.   |\n"         // 2: channel 2 at column 3
        "|oo    |\n"         // 3: no feed hole at column 4
        "|oo.\n"             // 4: ends before channel 3, column 5
        "oo.   |\n"          // 5: no edge at column 1
        "|oo.   x\n"         // 6: no closing edge at column 8
        "|\xC3\xA9o.   |\n"  // 7: é in channel 1, column 2
        "  |o\xFF.   |\n"    // 8: invalid UTF-8 in channel 2, column 5
        "|oo.ooo\n";         // 9: ends before the closing edge, column 8
    auto r = parse_tape(picture);
    REQUIRE_FALSE(r);
    const std::vector<malformed_row> expected{
        {{2, 3}, "channel 2: expected a hole ('o' or '\xE2\x97\x8F') or a space, found 'x'"},
        {{3, 4}, "expected the feed hole ('.' or '\xC2\xB7'), found ' '"},
        {{4, 5}, "the row ends before channel 3"},
        {{5, 1}, "expected '|' to start the row, found 'o'"},
        {{6, 8}, "expected '|' after channel 5, found 'x'"},
        {{7, 2}, "channel 1: expected a hole ('o' or '\xE2\x97\x8F') or a space, found '\xC3\xA9'"},
        {{8, 5},
         "channel 2: expected a hole ('o' or '\xE2\x97\x8F') or a space, found invalid "
         "UTF-8"},
        {{9, 8}, "the row ends before its closing '|'"},
    };
    CHECK(r.error().rows == expected);
    CHECK(r.error().message().rfind("2:3: channel 2: expected a hole", 0) == 0);
    CHECK(r.error().message().find("; 9:8: the row ends before its closing '|'") !=
          std::string::npos);
}

TEST_CASE("ten characters per inch: 1,000 characters are 100 inches") {
    CHECK(tape_characters_per_inch == 10.0);
    CHECK(tape_length_inches(1000) == Approx(100.0));
    CHECK(tape_length_inches(1000) * 2.54 == Approx(254.0));  // 2.54 m
    CHECK(tape_length_inches(0) == 0.0);
    CHECK(tape_length_inches(7) == Approx(0.7));
}
