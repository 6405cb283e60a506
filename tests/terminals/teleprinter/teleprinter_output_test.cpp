// The page copy as a teleprinter's bytes, without a device: Baudot code for code as the protocol
// encoder sends it (shifts carried across pieces), ASCII upper case with CR LF and NUL fill after
// CR, substitutions listed, and the line a reopened machine prints again after "RPT ".
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/teleprinter/teleprinter_output.hpp"

using namespace hakto::terminals;
namespace hp = hakto::protocol;

// Named, so that the helpers of the suite's files do not meet in one unity batch.
namespace teleprinter_output_test {
namespace {

output_config baudot_config(hp::code_set set = hp::code_set::us_tty, bool usos = false) {
    return {teleprinter_settings::defaults(teleprinter_mode::baudot), set, usos,
            std::chrono::milliseconds{200}};
}

output_config ascii_config(std::chrono::milliseconds cr_delay = std::chrono::milliseconds{200}) {
    return {teleprinter_settings::defaults(teleprinter_mode::ascii), hp::code_set::us_tty, false,
            cr_delay};
}

byte_string encoded(std::string_view text, hp::code_set set = hp::code_set::us_tty,
                    bool usos = false) {
    auto r = hp::encode(text, {set, usos, true});
    REQUIRE(r);
    return byte_string(r.value().codes.begin(), r.value().codes.end());
}

byte_string bytes_of(std::string_view s) {
    return byte_string(s.begin(), s.end());
}

}  // namespace

TEST_CASE("Baudot output is the encoder's codes, shifts carried across pieces") {
    const std::string text = "ZCZC 1234 HAKTO 12\r\nOPS 15/1972 ØØ1\r\n";
    for (const bool usos : {false, true}) {
        teleprinter_output out(baudot_config(hp::code_set::us_tty, usos));
        byte_string got;
        // Pieces cut inside figures, inside a UTF-8 sequence (Ø is two bytes) and at a space.
        for (const auto piece :
             {std::string_view(text).substr(0, 7), std::string_view(text).substr(7, 21),
              std::string_view(text).substr(28, 1), std::string_view(text).substr(29)})
            got += out.text(piece).bytes;
        CHECK(got == encoded(text, hp::code_set::us_tty, usos));
    }
}

TEST_CASE("Baudot output sends a leading CR LF at once, after LTRS") {
    teleprinter_output out(baudot_config());
    CHECK(out.text("\r\n").bytes == byte_string{0x1F, 0x08, 0x02});
    // The next piece begins a stream of its own, with its shift.
    CHECK(out.text("12").bytes == encoded("12"));
}

TEST_CASE("Baudot output substitutes what the code set lacks and lists it") {
    teleprinter_output out(baudot_config());
    auto r = out.text("CAFÉ = 1+1");
    CHECK(r.bytes == encoded("CAFE ? 1?1"));
    REQUIRE(r.substitutions.size() == 3);
    CHECK(r.substitutions[0].find("U+00C9") != std::string::npos);
}

TEST_CASE("raw codes go out masked, and the next text shifts again") {
    teleprinter_output out(baudot_config());
    const std::vector<hp::code> codes{0x1B, 0x17, 0x3F};
    CHECK(out.codes(codes) == byte_string{0x1B, 0x17, 0x1F});
    CHECK(out.text("A").bytes == encoded("A"));
}

TEST_CASE("ASCII output is upper case with CR LF and the CR fill") {
    teleprinter_output out(ascii_config());
    CHECK(out.cr_fill() == 2);  // 200 ms after CR at 100 ms a character
    CHECK(out.text("hakto 12\nline\r\nlast\r").bytes ==
          bytes_of(std::string("HAKTO 12\r\0\0\nLINE\r\0\0\nLAST\r\0\0", 27)));
    // A CR at the end of one piece and LF at the start of the next are one line end.
    CHECK(out.text("\nX").bytes == bytes_of("\nX"));
}

TEST_CASE("ASCII CR fill is at least one NUL") {
    CHECK(teleprinter_output(ascii_config(std::chrono::milliseconds{0})).cr_fill() == 1);
    CHECK(teleprinter_output(ascii_config(std::chrono::milliseconds{250})).cr_fill() == 3);
}

TEST_CASE("ASCII output prints Ø as zero and substitutes the rest") {
    teleprinter_output out(ascii_config());
    auto r = out.text("ØØ1 CAFÉ {1} \xE2\x80\x99");
    CHECK(r.bytes == bytes_of("001 CAFE (1) '"));
    CHECK(r.substitutions.size() == 3);  // É, {, }: Ø and the apostrophe are the policy
}

TEST_CASE("the line a machine was on is repeated after RPT, with the shift it began in") {
    const auto config = baudot_config();
    teleprinter_output out(config);
    printed_line line(config);
    const auto first = out.text("LINE ONE 1\r\n12 AND").bytes;
    line.written(first);
    // The line began in figures (the "1" before CR LF): its bytes start without a shift.
    auto r = line.take_repeat(out);
    byte_string mark{0x08, 0x02};
    mark += encoded("RPT ");
    mark.push_back(0x1B);
    CHECK(r.mark == mark);
    const auto lf = first.find(std::uint8_t{0x02});
    CHECK(r.line == first.substr(lf + 1));
    CHECK(line.empty());
    // Nothing to repeat on an empty line.
    auto again = line.take_repeat(out);
    CHECK(again.mark.empty());
    CHECK(again.line.empty());
}

TEST_CASE("the ASCII repeat mark starts a fresh line with the CR fill") {
    const auto config = ascii_config();
    teleprinter_output out(config);
    printed_line line(config);
    line.written(out.text("ONE\nTWO").bytes);
    auto r = line.take_repeat(out);
    CHECK(r.mark == bytes_of(std::string("\r\0\0\nRPT ", 8)));
    CHECK(r.line == bytes_of("TWO"));
}

}  // namespace teleprinter_output_test
