// The keyboard without a device: Baudot decoded with its shift state and ASCII with its parity
// bit stripped, composed into cables filed on NNNN (or a blank line then NNNN), WRU recognised
// (FIGS D in both code sets when an answerback is set; ENQ in ASCII), the cable's bound.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/teleprinter/teleprinter_input.hpp"

using namespace hakto::terminals;
namespace hp = hakto::protocol;

// Named, so that the helpers of the suite's files do not meet in one unity batch.
namespace teleprinter_input_test {
namespace {

std::vector<std::uint8_t> baudot(std::string_view text, hp::code_set set = hp::code_set::us_tty) {
    auto r = hp::encode(text, {set, false, true});
    REQUIRE(r);
    return {r.value().codes.begin(), r.value().codes.end()};
}

std::vector<std::uint8_t> ascii(std::string_view text) {
    return {text.begin(), text.end()};
}

std::vector<std::string> cables(const std::vector<input_event>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        if (e.what == input_event::kind::cable) out.push_back(e.text);
    return out;
}

bool has(const std::vector<input_event>& events, input_event::kind k) {
    for (const auto& e : events)
        if (e.what == k) return true;
    return false;
}

}  // namespace

TEST_CASE("Baudot typed on the keyboard files a cable on NNNN") {
    teleprinter_input in({teleprinter_mode::baudot});
    auto ev = in.feed(baudot("\r\nHAKTO 13\r\r\nOPS 15/1972 (2)\r\nNNNN\r\n"));
    REQUIRE(cables(ev) == std::vector<std::string>{"HAKTO 13\nOPS 15/1972 (2)\n"});
    CHECK(in.cable_so_far().empty());
}

TEST_CASE("a cable typed in pieces is filed once, when NNNN ends it") {
    teleprinter_input in({teleprinter_mode::baudot});
    const auto codes = baudot("TEXT 12\r\nNNNN\r\n");
    for (std::size_t i = 0; i + 1 < codes.size(); ++i)
        CHECK(in.feed(std::span(codes).subspan(i, 1)).empty());
    CHECK(cables(in.feed(std::span(codes).subspan(codes.size() - 1))) ==
          std::vector<std::string>{"TEXT 12\n"});
}

TEST_CASE("with blank-line filing only a blank line then NNNN files the cable") {
    teleprinter_input in({teleprinter_mode::ascii, hp::code_set::us_tty, false,
                          teleprinter_filing::blank_line_nnnn});
    CHECK(cables(in.feed(ascii("ONE\r\nNNNN\r\nTWO\r\n"))).empty());
    CHECK(cables(in.feed(ascii("\r\nNNNN\r\n"))) == std::vector<std::string>{"ONE\nNNNN\nTWO\n"});
}

TEST_CASE("NNNN with no text files nothing and says so") {
    teleprinter_input in({teleprinter_mode::ascii});
    auto ev = in.feed(ascii("\r\n\r\nNNNN\r"));
    CHECK(cables(ev).empty());
    CHECK(has(ev, input_event::kind::note));
}

TEST_CASE("FIGS D is WRU in ITA2, and in US-TTY when an answerback is set") {
    const std::vector<std::uint8_t> figs_d{0x1B, 0x09};
    teleprinter_input ita2(
        {teleprinter_mode::baudot, hp::code_set::ita2, false, teleprinter_filing::nnnn, true});
    CHECK(ita2.feed(figs_d) == std::vector<input_event>{{input_event::kind::wru, {}}});
    teleprinter_input us(
        {teleprinter_mode::baudot, hp::code_set::us_tty, false, teleprinter_filing::nnnn, true});
    CHECK(us.feed(figs_d) == std::vector<input_event>{{input_event::kind::wru, {}}});
    CHECK(us.line_so_far().empty());  // WRU is not text
    // Without an answerback, US-TTY FIGS D is the '$' of its table; ITA2's WRU is noted.
    teleprinter_input plain({teleprinter_mode::baudot});
    CHECK(plain.feed(figs_d).empty());
    CHECK(plain.line_so_far() == "$");
    teleprinter_input ita2_plain({teleprinter_mode::baudot, hp::code_set::ita2});
    auto ev = ita2_plain.feed(figs_d);
    REQUIRE(ev.size() == 1);
    CHECK(ev[0].what == input_event::kind::note);
}

TEST_CASE("ASCII input strips parity, reads upper case, rubs out, and answers ENQ") {
    teleprinter_input in(
        {teleprinter_mode::ascii, hp::code_set::us_tty, false, teleprinter_filing::nnnn, true});
    // 'H' with its even-parity bit set (0xC8), lower case, a BS and a DEL rubbing out.
    std::vector<std::uint8_t> bytes{0xC8, 'a', 'k', 't', 'x', 0x08, 'o', 'q', 0x7F, 0x05};
    auto ev = in.feed(bytes);
    CHECK(ev == std::vector<input_event>{{input_event::kind::wru, {}}});
    CHECK(in.line_so_far() == "HAKTO");
    CHECK(cables(in.feed(ascii("\rNNNN\n"))) == std::vector<std::string>{"HAKTO\n"});
}

TEST_CASE("a lone LF ends an ASCII line, and CR LF is one line end") {
    teleprinter_input in({teleprinter_mode::ascii});
    CHECK(cables(in.feed(ascii("A\nB\r\n\r\nC\rNNNN\r\n"))) ==
          std::vector<std::string>{"A\nB\n\nC\n"});
}

TEST_CASE("a typed cable past the bound is discarded up to its NNNN, never filed cut") {
    teleprinter_input in({teleprinter_mode::ascii, hp::code_set::us_tty, false,
                          teleprinter_filing::nnnn, false, 32});
    auto ev = in.feed(ascii("0123456789\r0123456789\r0123456789\r0123456789\r"));
    CHECK(has(ev, input_event::kind::note));
    ev = in.feed(ascii("MORE\rNNNN\r"));
    CHECK(cables(ev).empty());
    CHECK(cables(in.feed(ascii("SHORT\rNNNN\r"))) == std::vector<std::string>{"SHORT\n"});
}

}  // namespace teleprinter_input_test
