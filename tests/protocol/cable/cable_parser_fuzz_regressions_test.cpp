// The cable_parser fuzz target's seed corpus and every crash it found, run through the target's own
// property checks (tests/fuzz/cable_parser_fuzz.cpp).
#define HAKTO_FUZZ_UNIT_TEST 1
#include "fuzz/cable_parser_fuzz.cpp"

#include <algorithm>

#include <catch2/catch.hpp>

#include "protocol/cable/series_tag.hpp"
#include "support/fuzz_inputs.hpp"

TEST_CASE("fuzz target cable_parser: the seed corpus keeps its properties") {
    auto inputs = hakto::test::fuzz_inputs("corpus", "cable_parser");
    REQUIRE_FALSE(inputs.empty());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(cable_parser_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}

TEST_CASE("fuzz target cable_parser: the inputs of fixed crashes keep their properties") {
    auto inputs = hakto::test::fuzz_inputs("regressions", "cable_parser");
    REQUIRE_FALSE(inputs.empty());
    for (const auto& in : inputs) {
        INFO(in.path);
        CHECK_NOTHROW(cable_parser_fuzz_one(hakto::test::fuzz_data(in), in.bytes.size()));
    }
}

TEST_CASE("fuzz findings in the cable reader, read as a person would") {
    using namespace hakto::protocol;
    SECTION("a title alone: the no-cable error is placed on the title's line") {
        auto d = parse_document(
            "140. Backchannel Message HAKTO 7 From the Assistant (Kissinger) to the Deputy");
        auto e = std::find_if(d.notes_for_reader.begin(), d.notes_for_reader.end(),
                              [](const diagnostic& x) { return x.code == "no-cable"; });
        REQUIRE(e != d.notes_for_reader.end());
        CHECK(e->where == source_position{1, 1});
    }
    SECTION("a precedence prosign alone on a header line is the precedence") {
        auto d = parse_document("WE DE WTE10\nO\n\n1. TEXT.\n");
        CHECK(d.message.prec == precedence::immediate);
        REQUIRE(d.message.paragraphs.size() == 1);
        CHECK(d.message.paragraphs[0].text == "TEXT.");
    }
    SECTION("a numbered line is a paragraph, not the sign-off") {
        auto d = parse_document("WE DE WTE10\nO 211615Z JUN 72\n1. TEXT.\n2. WARM REGARDS\n");
        CHECK_FALSE(d.message.signoff);
        CHECK(d.message.paragraphs.size() == 2);
    }
    SECTION("a series tag's second serial is letters and digits, never cut inside a character") {
        auto t =
            find_series_tag("Backchannel Message HAKTO 4/C         7\xEF\xBF\xBD<\xEF\xBF\xBD");
        REQUIRE(t);
        CHECK(t->number == 4);
        CHECK_FALSE(t->second_serial);
        auto u = find_series_tag("Backchannel Message Tohak 89/WHS 2289 From the Deputy");
        REQUIRE(u);
        CHECK(u->second_serial == "WHS 2289");
    }
    SECTION("an address beginning with DE is written with its colon") {
        auto d = parse_document("VFE DE WTE10\n191810Z JUN 72\nTO: DE GENERAL HAIG\n1. TEXT.\n");
        REQUIRE(first_addressee(d.message) == "DE GENERAL HAIG");
        format_options o;
        o.wrap_column = 0;
        auto again = parse_document(format_cable(d.message, o));
        CHECK(first_addressee(again.message) == "DE GENERAL HAIG");
    }
    SECTION("DE is never a routing indicator of format line 2") {
        auto d =
            parse_document("VZCZCWTA017\nO DE WTABTO A\nDE RUWTA\nO 211615Z JUN 72\n1. TEXT.\n");
        if (d.message.envelope)
            for (const auto& ri : d.message.envelope->routing_indicators) CHECK(ri != "DE");
        if (d.message.routing) CHECK(d.message.routing->called != "DE");
    }
}
