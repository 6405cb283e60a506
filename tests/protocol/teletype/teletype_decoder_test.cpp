#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/teletype/teletype_decoder.hpp"
#include "support/teletype_codes.hpp"

using namespace hakto::protocol;
using codes_t = std::vector<code>;

using hakto::test::FIGS;
using hakto::test::LTRS;
using hakto::test::SP;

TEST_CASE("the receiver starts in LETTERS and follows the shifts") {
    teletype_decoder rx;
    CHECK(rx.current_shift() == shift::letters);
    CHECK(rx.feed(0x03).character == U'A');
    const code_meaning figs = rx.feed(FIGS);
    CHECK(figs.function == code_function::figures);  // prints nothing
    CHECK(rx.current_shift() == shift::figures);
    CHECK(rx.feed(0x03).character == U'-');
    CHECK(rx.feed(SP).function == code_function::space);
    CHECK(rx.current_shift() == shift::figures);  // no USOS
    CHECK(rx.feed(0x17).character == U'1');
    CHECK(rx.feed(LTRS).function == code_function::letters);
    CHECK(rx.feed(0x17).character == U'Q');
    rx.feed(FIGS);
    rx.reset();
    CHECK(rx.current_shift() == shift::letters);
}

TEST_CASE("USOS on decode: a SPACE returns the receiver to LETTERS") {
    teletype_decoder rx{{code_set::us_tty, true}};
    rx.feed(FIGS);
    CHECK(rx.feed(0x17).character == U'1');
    CHECK(rx.feed(SP).function == code_function::space);
    CHECK(rx.current_shift() == shift::letters);
    CHECK(rx.feed(0x17).character == U'Q');
}

TEST_CASE("decode gives text with the functions as control characters") {
    // US-TTY: FIGS S is BELL, FIGS J is the apostrophe.
    CHECK(decode(codes_t{LTRS, 0x03, 0x08, 0x02, FIGS, 0x05, 0x0B}) == "A\r\n\a'");
    // ITA2: FIGS J is BELL, FIGS S the apostrophe, FIGS D is WRU.
    CHECK(decode(codes_t{FIGS, 0x0B, 0x05, 0x09}, {code_set::ita2, false}) == "\a'\x05");
    // ITA2 national-use positions (F G H in figures) are unassigned: U+FFFD.
    CHECK(decode(codes_t{FIGS, 0x0D, 0x1A, 0x14}, {code_set::ita2, false}) ==
          "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(decode(codes_t{FIGS, 0x0D, 0x1A, 0x14}) == "!&#");
    // NUL and the shifts give nothing; the receiver starts in LETTERS.
    CHECK(decode(codes_t{0x00, 0x03, 0x00, LTRS, FIGS, LTRS, 0x19}) == "AB");
    CHECK(decode(codes_t{}) == "");
    // Every printed character of the letters case.
    CHECK(decode(codes_t{0x03, 0x19, 0x0E, 0x09, 0x01, 0x0D, 0x1A, 0x14, 0x06,
                         0x0B, 0x0F, 0x12, 0x1C, 0x0C, 0x18, 0x16, 0x17, 0x0A,
                         0x05, 0x10, 0x07, 0x1E, 0x13, 0x1D, 0x15, 0x11}) ==
          "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    CHECK(decode(codes_t{FIGS, 0x17, 0x13, 0x01, 0x0A, 0x10, 0x15, 0x07, 0x06, 0x18, 0x16}) ==
          "1234567890");
}

TEST_CASE("decode masks values above 0x1F, decode_checked rejects them with their index") {
    CHECK(decode(codes_t{0x23, 0xE3}) == "AA");
    CHECK(decode(codes_t{0xFB, 0x03}) == "-");  // 0xFB & 0x1F is FIGS

    auto ok = decode_checked(codes_t{LTRS, 0x03});
    REQUIRE(ok);
    CHECK(ok.value() == "A");

    auto bad = decode_checked(codes_t{0x03, 0x20, 0x1F, 0xFF});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().codes == std::vector<invalid_code>{{1, 0x20}, {3, 0xFF}});
    CHECK(bad.error().message() ==
          "2 values are not 5-level codes: 0x20 at index 1, 0xFF at index 3");
    CHECK(decode_checked(codes_t{0x40}).error().message() ==
          "1 value is not a 5-level code: 0x40 at index 0");
}

TEST_CASE("a hit on a FIGS code prints letters for figures (protocol facts §2.6)") {
    const codes_t sent{FIGS, 0x17, 0x13, 0x01};  // "123"
    CHECK(decode(sent) == "123");
    codes_t hit = sent;
    hit[0] ^= 0x04;  // one element of FIGS (11011) flipped gives LTRS (11111)
    CHECK(hit[0] == LTRS);
    CHECK(decode(hit) == "QWE");
    // A hit on a letter stays within the same shift table.
    CHECK(decode(codes_t{LTRS, static_cast<code>(0x03 ^ 0x10)}) == "W");  // A 00011 -> W 10011
}
