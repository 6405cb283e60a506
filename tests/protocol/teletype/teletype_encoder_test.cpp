#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "support/teletype_codes.hpp"

using namespace hakto::protocol;
using codes_t = std::vector<code>;

using hakto::test::FIGS;
using hakto::test::LTRS;
using hakto::test::SP;

namespace {

constexpr code CR = 0x08;
constexpr code LF = 0x02;

codes_t codes_of(std::string_view text, encode_options options = {}) {
    auto r = encode(text, options);
    REQUIRE(r);
    return r.value().codes;
}

}  // namespace

TEST_CASE("A is 0x03, after the first shift") {
    CHECK(codes_of("A") == codes_t{LTRS, 0x03});
    CHECK(codes_of("-") == codes_t{FIGS, 0x03});
    CHECK(codes_of("") == codes_t{});
}

TEST_CASE("a shift is sent only when the case changes") {
    // L=0x12 E=0x01 T=0x10; 1=0x17 2=0x13; .=0x1C
    CHECK(codes_of("LET 12.") == codes_t{LTRS, 0x12, 0x01, 0x10, SP, FIGS, 0x17, 0x13, 0x1C});
    CHECK(codes_of("A1B2") == codes_t{LTRS, 0x03, FIGS, 0x17, LTRS, 0x19, FIGS, 0x13});
    CHECK(codes_of("AB") == codes_t{LTRS, 0x03, 0x19});
}

TEST_CASE("one shift goes before the first character, in the case of the first case-bearing one") {
    CHECK(codes_of(" 1") == codes_t{FIGS, SP, 0x17});
    CHECK(codes_of("\r\n1") == codes_t{FIGS, CR, LF, 0x17});
    CHECK(codes_of("\r\nA") == codes_t{LTRS, CR, LF, 0x03});
    CHECK(codes_of("  ") == codes_t{LTRS, SP, SP});  // none: LTRS
    CHECK(codes_of(std::string_view{"\0", 1}) == codes_t{LTRS, 0x00});
}

TEST_CASE("USOS on encode: a figure after a space gets a fresh FIGS") {
    // 1 2 3 = 17 13 01; 4 5 6 = 0A 10 15 (protocol facts, model item 2).
    CHECK(codes_of("123 456") == codes_t{FIGS, 0x17, 0x13, 0x01, SP, 0x0A, 0x10, 0x15});
    const encode_options usos{code_set::us_tty, true, true};
    CHECK(codes_of("123 456", usos) == codes_t{FIGS, 0x17, 0x13, 0x01, SP, FIGS, 0x0A, 0x10, 0x15});
    // After a space in figures the case is unknown, so letters get a LTRS too.
    CHECK(codes_of("123 ABC", usos) == codes_t{FIGS, 0x17, 0x13, 0x01, SP, LTRS, 0x03, 0x19, 0x0E});
    // A space in letters changes nothing.
    CHECK(codes_of("A B", usos) == codes_t{LTRS, 0x03, SP, 0x19});
    CHECK(codes_of("1  2", usos) == codes_t{FIGS, 0x17, SP, SP, FIGS, 0x13});
    CHECK(codes_of(" 1", usos) == codes_t{FIGS, SP, FIGS, 0x17});
}

TEST_CASE("control characters: CR, LF, BELL and WRU") {
    CHECK(codes_of("A\r\n") == codes_t{LTRS, 0x03, CR, LF});
    CHECK(codes_of("\a") == codes_t{FIGS, 0x05});  // US-TTY bell: figures S
    const encode_options ita2{code_set::ita2, false, true};
    CHECK(codes_of("\a", ita2) == codes_t{FIGS, 0x0B});    // ITA2 bell: figures J
    CHECK(codes_of("\x05", ita2) == codes_t{FIGS, 0x09});  // ITA2 WRU: figures D
    auto us = encode("\x05");
    REQUIRE_FALSE(us);
    CHECK(us.error().characters == std::vector<unencodable>{{0, {1, 1}, U'\x05'}});
}

TEST_CASE("silent policy: lower case, slashed zero, typographic quotes") {
    auto lower = encode("hello wte1\xC3\x98 \xC3\xB8");  // "hello wte1Ø ø"
    REQUIRE(lower);
    CHECK(lower.value().substitutions.empty());
    CHECK(lower.value().codes == codes_of("HELLO WTE10 0"));
    // Ø is the digit 0: FIGS + 0x16.
    CHECK(codes_of("\xC3\x98") == codes_t{FIGS, 0x16});

    // ‘ ’ ‚ ‛ “ ” „ ′ ″ are all the apostrophe: figures J in US-TTY, figures S in ITA2.
    const std::string quotes =
        "\xE2\x80\x98\xE2\x80\x99\xE2\x80\x9A\xE2\x80\x9B\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\x9E"
        "\xE2\x80\xB2\xE2\x80\xB3";
    auto us = encode(quotes);
    REQUIRE(us);
    CHECK(us.value().substitutions.empty());
    CHECK(us.value().codes == codes_t{FIGS, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B, 0x0B});
    CHECK(codes_of(quotes, {code_set::ita2, false, true}) ==
          codes_t{FIGS, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05, 0x05});
}

TEST_CASE("ASCII double quote: US-TTY figures Z, not in ITA2") {
    CHECK(codes_of("\"") == codes_t{FIGS, 0x11});
    auto ita2 = encode("A\"", {code_set::ita2, false, true});
    REQUIRE_FALSE(ita2);
    CHECK(ita2.error().characters == std::vector<unencodable>{{1, {1, 2}, U'"'}});
    auto lenient = encode("A\"", {code_set::ita2, false, false});
    REQUIRE(lenient);
    CHECK(lenient.value().codes == codes_t{LTRS, 0x03, FIGS, 0x05});
    CHECK(lenient.value().substitutions == std::vector<substitution>{{1, {1, 2}, U'"', "'"}});
}

TEST_CASE("strict mode lists every unencodable character with its place") {
    // "Café + naïve\n☃ x": é is bytes 3-4, '+' byte 6, ï bytes 10-11, ☃ bytes 15-17.
    const std::string text = "Caf\xC3\xA9 + na\xC3\xAFve\n\xE2\x98\x83 x";
    auto r = encode(text);
    REQUIRE_FALSE(r);
    const std::vector<unencodable> expected{
        {3, {1, 4}, U'\u00E9'},
        {6, {1, 6}, U'+'},
        {10, {1, 10}, U'\u00EF'},
        {15, {2, 1}, U'\u2603'},
    };
    CHECK(r.error().characters == expected);
    CHECK(r.error().message() ==
          "4 characters cannot be encoded: U+00E9 '\xC3\xA9' at 1:4 (byte 3), U+002B '+' at 1:6 "
          "(byte 6), U+00EF '\xC3\xAF' at 1:10 (byte 10), U+2603 '\xE2\x98\x83' at 2:1 (byte 15)");

    // '+' is fine in ITA2, the rest is not.
    auto ita2 = encode(text, {code_set::ita2, false, true});
    REQUIRE_FALSE(ita2);
    CHECK(ita2.error().characters.size() == 3);
}

TEST_CASE("lenient mode substitutes visibly and records each substitution") {
    const std::string text = "Caf\xC3\xA9 + na\xC3\xAFve\n\xE2\x98\x83 x";
    auto r = encode(text, {code_set::us_tty, false, false});
    REQUIRE(r);
    const std::vector<substitution> expected{
        {3, {1, 4}, U'\u00E9', "E"},
        {6, {1, 6}, U'+', "?"},
        {10, {1, 10}, U'\u00EF', "I"},
        {15, {2, 1}, U'\u2603', "?"},
    };
    CHECK(r.value().substitutions == expected);
    CHECK(decode(r.value().codes) == "CAFE ? NAIVE\n? X");

    // ½ ¼ ¾ — – − • … É Ü ß Æ Œ Ł, no-break space
    const std::string misc =
        "\xC2\xBD \xC2\xBC \xC2\xBE \xE2\x80\x94 \xE2\x80\x93 \xE2\x88\x92 \xE2\x80\xA2 "
        "\xE2\x80\xA6 \xC3\x89\xC3\x9C\xC3\x9F\xC3\x86\xC5\x92\xC5\x81\xC2\xA0%";
    auto m = encode(misc, {code_set::us_tty, false, false});
    REQUIRE(m);
    CHECK(decode(m.value().codes) == "1/2 1/4 3/4 - - - - ... EUSSAEOEL ?");
    CHECK(m.value().substitutions.size() == 16);
    CHECK(m.value().substitutions.front() == substitution{0, {1, 1}, U'\u00BD', "1/2"});
    CHECK(m.value().substitutions.back().original == U'%');
    CHECK(m.value().substitutions.back().replacement == "?");

    // A decomposed é: the combining acute is dropped, and that is recorded.
    auto decomposed = encode("e\xCC\x81", {code_set::us_tty, false, false});
    REQUIRE(decomposed);
    CHECK(decode(decomposed.value().codes) == "E");
    CHECK(decomposed.value().substitutions ==
          std::vector<substitution>{{1, {1, 2}, U'\u0301', ""}});

    // Characters both sets lack, in ITA2.
    auto ita2 = encode("$!#&;", {code_set::ita2, false, false});
    REQUIRE(ita2);
    CHECK(decode(ita2.value().codes, {code_set::ita2, false}) == "?????");
    CHECK(ita2.value().substitutions.size() == 5);
}

TEST_CASE("invalid UTF-8 is reported as U+FFFD with its place, never a crash") {
    auto r = encode(
        "A\xFF"
        "B\n\xED\xA0\x80\xC3");
    REQUIRE_FALSE(r);
    // FF; then ED A0 80 (a surrogate: three ill-formed subparts); then a cut-off C3.
    const std::vector<unencodable> expected{
        {1, {1, 2}, U'\uFFFD'}, {4, {2, 1}, U'\uFFFD'}, {5, {2, 2}, U'\uFFFD'},
        {6, {2, 3}, U'\uFFFD'}, {7, {2, 4}, U'\uFFFD'},
    };
    CHECK(r.error().characters == expected);
    CHECK(r.error().message().find("U+FFFD (invalid UTF-8 or U+FFFD) at 1:2 (byte 1)") !=
          std::string::npos);

    auto lenient = encode(
        "A\xFF"
        "B\xE2\x80",
        {code_set::us_tty, false, false});
    REQUIRE(lenient);
    CHECK(decode(lenient.value().codes) == "A?B?");
    CHECK(lenient.value().substitutions ==
          std::vector<substitution>{{1, {1, 2}, U'\uFFFD', "?"}, {3, {1, 4}, U'\uFFFD', "?"}});
}

TEST_CASE("every byte value alone: encoded, substituted or reported") {
    for (int b = 0; b < 256; ++b) {
        const std::string one(1, static_cast<char>(b));
        auto strict = encode(one);
        auto lenient = encode(one, {code_set::us_tty, false, false});
        REQUIRE(lenient);
        if (strict) {
            CHECK(lenient.value().codes == strict.value().codes);
        } else {
            CHECK(strict.error().characters.size() == 1);
            CHECK(lenient.value().substitutions.size() == 1);
        }
        CHECK(lenient.value().codes.size() >= 2);  // never silently dropped
    }
}

TEST_CASE("the stateful encoder carries the case and the position between pieces") {
    teletype_encoder encoder;
    auto a = encoder.encode("12");
    REQUIRE(a);
    CHECK(a.value().codes == codes_t{FIGS, 0x17, 0x13});
    CHECK(encoder.assumed_shift() == shift::figures);
    auto b = encoder.encode("3 A\n");
    REQUIRE(b);
    CHECK(b.value().codes == codes_t{0x01, SP, LTRS, 0x03, LF});

    // A failing call changes nothing: the next piece continues in LETTERS at 2:1 (byte 6).
    auto bad = encoder.encode("x+");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().characters == std::vector<unencodable>{{7, {2, 2}, U'+'}});
    auto c = encoder.encode("B");
    REQUIRE(c);
    CHECK(c.value().codes == codes_t{0x19});

    // A UTF-8 sequence split between pieces is read whole.
    teletype_encoder lenient{{code_set::us_tty, false, false}};
    auto first = lenient.encode("A\xC3");
    REQUIRE(first);
    CHECK(first.value().codes == codes_t{LTRS, 0x03});
    auto second = lenient.encode("\x89Z");
    REQUIRE(second);
    CHECK(second.value().codes == codes_t{0x01, 0x11});  // É -> E, then Z
    CHECK(second.value().substitutions == std::vector<substitution>{{1, {1, 2}, U'\u00C9', "E"}});
    auto tail = lenient.encode("\xE2\x80");
    REQUIRE(tail);
    CHECK(tail.value().codes.empty());
    auto end = lenient.finish();
    REQUIRE(end);
    CHECK(end.value().codes == codes_t{FIGS, 0x19});  // the cut-off sequence becomes "?"
    CHECK(end.value().substitutions == std::vector<substitution>{{4, {1, 4}, U'\uFFFD', "?"}});
    CHECK_FALSE(lenient.assumed_shift().has_value());  // finish() resets

    teletype_encoder strict;
    REQUIRE(strict.encode("A\xE2"));
    auto cut = strict.finish();
    REQUIRE_FALSE(cut);
    CHECK(cut.error().characters == std::vector<unencodable>{{1, {1, 2}, U'\uFFFD'}});
}

TEST_CASE("encoding in pieces gives the codes of encoding the whole text") {
    // Shift-neutral characters at the start wait for the first character with a case.
    teletype_encoder encoder{{code_set::us_tty, true, true}};
    auto a = encoder.encode(" \r\n");
    REQUIRE(a);
    CHECK(a.value().codes.empty());
    auto b = encoder.encode("1 2");
    REQUIRE(b);
    CHECK(b.value().codes == codes_t{FIGS, SP, CR, LF, FIGS, 0x17, SP, FIGS, 0x13});
    CHECK(b.value().codes == codes_of(" \r\n1 2", {code_set::us_tty, true, true}));

    // With no character that has a case, finish() sends them after LTRS.
    teletype_encoder blank;
    REQUIRE(blank.encode("  "));
    auto end = blank.finish();
    REQUIRE(end);
    CHECK(end.value().codes == codes_t{LTRS, SP, SP});

    std::mt19937 rng{173};
    const std::string alphabet = "AB12 \r\n.\xC3\x89\xE2\x80\x94+";
    std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
    std::uniform_int_distribution<std::size_t> cut{0, 4};
    for (int n = 0; n < 500; ++n) {
        std::string text;
        for (int i = 0; i < 20; ++i) text += alphabet[pick(rng)];
        for (const bool usos : {false, true}) {
            const encode_options options{code_set::ita2, usos, false};
            teletype_encoder pieces{options};
            codes_t codes;
            std::vector<substitution> subs;
            for (std::size_t at = 0; at < text.size();) {
                const std::size_t len = cut(rng);
                auto r = pieces.encode(std::string_view{text}.substr(at, len));
                REQUIRE(r);
                codes.insert(codes.end(), r.value().codes.begin(), r.value().codes.end());
                subs.insert(subs.end(), r.value().substitutions.begin(),
                            r.value().substitutions.end());
                at += len;
            }
            auto r = pieces.finish();
            REQUIRE(r);
            codes.insert(codes.end(), r.value().codes.begin(), r.value().codes.end());
            subs.insert(subs.end(), r.value().substitutions.begin(), r.value().substitutions.end());
            auto whole = encode(text, options);
            REQUIRE(whole);
            CHECK(codes == whole.value().codes);
            CHECK(subs == whole.value().substitutions);
        }
    }
}

TEST_CASE("USOS round trips") {
    const encode_options usos_sender{code_set::us_tty, true, true};
    const std::string text = "123 456 ABC 7 D\r\n8 9";
    const codes_t sent = codes_of(text, usos_sender);
    CHECK(decode(sent, {code_set::us_tty, true}) == text);   // USOS receiver
    CHECK(decode(sent, {code_set::us_tty, false}) == text);  // non-USOS receiver

    // A non-USOS sender to a USOS receiver: the figures after a space print as letters.
    const codes_t plain = codes_of("123 456");
    CHECK(decode(plain, {code_set::us_tty, false}) == "123 456");
    CHECK(decode(plain, {code_set::us_tty, true}) == "123 RTY");
    CHECK(decode(codes_of("10.5 3", {code_set::ita2, false, true}), {code_set::ita2, true}) ==
          "10.5 E");
}

TEST_CASE("random encodable text survives encode and decode") {
    const std::string us_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-$'!:(\")#?&./;, \r\n\a";
    const std::string ita2_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-':(+)?./=, \r\n\a\x05";
    std::mt19937 rng{19720621};
    int checked = 0;
    for (const code_set set : {code_set::us_tty, code_set::ita2}) {
        const std::string& alphabet = set == code_set::us_tty ? us_alphabet : ita2_alphabet;
        std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
        std::uniform_int_distribution<std::size_t> length{0, 60};
        for (int n = 0; n < 1000; ++n) {
            std::string text;
            const std::size_t len = length(rng);
            for (std::size_t i = 0; i < len; ++i) text += alphabet[pick(rng)];
            INFO("text: " << text);

            const codes_t plain = codes_of(text, {set, false, true});
            CHECK(decode(plain, {set, false}) == text);
            const codes_t usos = codes_of(text, {set, true, true});
            CHECK(decode(usos, {set, true}) == text);
            CHECK(decode(usos, {set, false}) == text);

            // No shift is wasted: one at the start, then one per change of case.
            std::size_t changes = 0;
            std::optional<shift> last;
            for (const char ch : text) {
                const auto key = code_for(static_cast<char32_t>(ch), set);
                REQUIRE(key);
                if (!key->needs) continue;
                if (last && *last != *key->needs) ++changes;
                last = key->needs;
            }
            const std::size_t shifts = static_cast<std::size_t>(
                std::count_if(plain.begin(), plain.end(), [](code c) { return is_shift(c); }));
            CHECK(shifts == (text.empty() ? 0 : 1 + changes));
            CHECK(plain.size() == text.size() + shifts);
            checked += 3;
        }
    }
    CHECK(checked == 6000);
}
