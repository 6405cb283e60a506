#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/teletype/page_printer.hpp"
#include "protocol/teletype/teletype_decoder.hpp"

using namespace hakto::protocol;
using lines_t = std::vector<std::string>;

namespace {

// Feeds text to the printer the way the decoder would hand it over.
void type(page_printer& printer, std::u32string_view text) {
    for (const char32_t c : text) {
        switch (c) {
            case U'\r':
                printer.feed(code_meaning::control(code_function::carriage_return));
                break;
            case U'\n':
                printer.feed(code_meaning::control(code_function::line_feed));
                break;
            case U' ':
                printer.feed(code_meaning::control(code_function::space));
                break;
            default:
                printer.feed(code_meaning::printed(c));
                break;
        }
    }
}

}  // namespace

TEST_CASE("a fresh page is one empty line with the carriage at column 1") {
    page_printer printer;
    CHECK(printer.lines() == lines_t{""});
    CHECK(printer.text() == "");
    CHECK(printer.carriage_column() == 1);
    CHECK(printer.current_line() == 1);
    CHECK(printer.columns() == 72);
}

TEST_CASE("printing, CR and LF") {
    page_printer printer;
    type(printer, U"HELLO");
    CHECK(printer.lines() == lines_t{"HELLO"});
    CHECK(printer.carriage_column() == 6);
    type(printer, U"\r\r\nWORLD\r\r\n");
    CHECK(printer.lines() == lines_t{"HELLO", "WORLD", ""});
    CHECK(printer.text() == "HELLO\nWORLD\n");
    CHECK(printer.overprints() == 0);
}

TEST_CASE("LF without CR feeds the paper but leaves the carriage where it is") {
    page_printer printer;
    type(printer, U"AB\nCD");
    CHECK(printer.lines() == lines_t{"AB", "  CD"});
    CHECK(printer.carriage_column() == 5);
}

TEST_CASE("CR without LF overprints the same line, overprints are counted") {
    page_printer printer;
    type(printer, U"ABC\rXY");
    CHECK(printer.lines() == lines_t{"XYC"});
    CHECK(printer.overprints() == 2);
    // Spaces do not erase.
    type(printer, U"\r   Z");
    CHECK(printer.lines() == lines_t{"XYCZ"});
    CHECK(printer.overprints() == 2);
}

TEST_CASE("characters past the right margin pile up on the last column") {
    page_printer printer{{5, false}};
    type(printer, U"ABCDEFG");
    CHECK(printer.lines() == lines_t{"ABCDG"});
    CHECK(printer.overprints() == 2);
    CHECK(printer.carriage_column() == 5);
    type(printer, U"  ");
    CHECK(printer.carriage_column() == 5);

    page_printer wide;  // 72 columns
    std::u32string eighty;
    for (int i = 0; i < 80; ++i) eighty += static_cast<char32_t>(U'A' + i % 26);
    type(wide, eighty);
    const std::string line = wide.lines().front();
    CHECK(line.size() == 72);
    CHECK(line.substr(0, 71) ==
          "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRS");
    CHECK(line.back() == 'B');  // the 80th character, on top of the 72nd..79th
    CHECK(wide.overprints() == 8);

    page_printer narrow{{0, false}};  // 0 columns is taken as 1
    type(narrow, U"AB");
    CHECK(narrow.lines() == lines_t{"B"});
}

TEST_CASE("the printer fed by the decoder: bells, WRU, shifts, unassigned figures") {
    page_printer us;
    teletype_decoder rx;
    // LTRS A FIGS BELL 1 LTRS B
    for (const code c : std::vector<code>{0x1F, 0x03, 0x1B, 0x05, 0x17, 0x1F, 0x19})
        us.feed(rx.feed(c));
    CHECK(us.lines() == lines_t{"A1B"});
    CHECK(us.bells() == 1);

    page_printer ita2;
    teletype_decoder rx2{{code_set::ita2, false}};
    // FIGS WRU BELL F(unassigned) 1
    for (const code c : std::vector<code>{0x1B, 0x09, 0x0B, 0x0D, 0x17}) ita2.feed(rx2.feed(c));
    CHECK(ita2.lines() == lines_t{"\xEF\xBF\xBD"
                                  "1"});
    CHECK(ita2.answer_back_requests() == 1);
    CHECK(ita2.bells() == 1);
}

TEST_CASE("slashed zero option prints the digit zero as Ø") {
    page_printer printer{{72, true}};
    type(printer, U"WTE10");
    CHECK(printer.lines() == lines_t{"WTE1\xC3\x98"});
}

TEST_CASE("a lost LF overprints the next line on the same one") {
    page_printer printer;
    type(printer, U"LINE ONE\r\rLINE 2");
    CHECK(printer.lines() == lines_t{"LINE 2NE"});
    CHECK(printer.overprints() == 5);
}

TEST_CASE("page_copy_text: what one code adds to a page copy kept as text") {
    using hakto::protocol::code_function;
    using hakto::protocol::code_meaning;
    using hakto::protocol::page_copy_text;
    CHECK(page_copy_text(code_meaning::printed(U'A'), false) == "A");
    CHECK(page_copy_text(code_meaning::printed(U'0'), false) == "0");
    CHECK(page_copy_text(code_meaning::printed(U'0'), true) == "\xC3\x98");  // Ø
    CHECK(page_copy_text(code_meaning::control(code_function::space), false) == " ");
    CHECK(page_copy_text(code_meaning::control(code_function::carriage_return), false) == "\r");
    CHECK(page_copy_text(code_meaning::control(code_function::line_feed), false) == "\n");
    CHECK(page_copy_text(code_meaning::control(code_function::bell), false).empty());
    CHECK(page_copy_text(code_meaning::control(code_function::bell), false, true) == "\a");
    for (auto f : {code_function::nul, code_function::figures, code_function::letters,
                   code_function::who_are_you, code_function::unassigned})
        CHECK(page_copy_text(code_meaning::control(f), true, true).empty());
}
