// The teleprinter's port settings without a device: the defaults of each mode, the time a
// character takes on the line, the combinations a UART refuses, the rate read from text, and the
// integer rate termios2 is given.
#include <catch2/catch.hpp>

#include <cstdio>

#include "terminals/teleprinter/serial_termios.hpp"
#include "terminals/teleprinter/teleprinter_settings.hpp"

using namespace hakto::terminals;

TEST_CASE("teleprinter settings default to 45.45 baud 5N1.5 and ASR-33 110 baud 7E2") {
    const auto b = teleprinter_settings::defaults(teleprinter_mode::baudot);
    CHECK(b.baud == 45.45);
    CHECK(b.data_bits == 5);
    CHECK(b.stop_bits == 1.5);
    CHECK(b.parity == teleprinter_parity::none);
    CHECK(b.describe() == "45.45 baud 5N1.5");
    const auto a = teleprinter_settings::defaults(teleprinter_mode::ascii);
    CHECK(a.mode == teleprinter_mode::ascii);
    CHECK(a.baud == 110.0);
    CHECK(a.data_bits == 7);
    CHECK(a.stop_bits == 2.0);
    CHECK(a.parity == teleprinter_parity::even);
    CHECK(a.describe() == "110 baud 7E2");
}

TEST_CASE("a character takes 7.5 units in Baudot and 11 in ASR-33 ASCII") {
    // 1 start + 5 data + 1.5 stop = 7.5 units at 45.45 baud: 165 ms, 60 wpm.
    CHECK(teleprinter_settings::defaults(teleprinter_mode::baudot).character_seconds() ==
          Approx(0.16502).epsilon(1e-4));
    // 1 start + 7 data + 1 parity + 2 stop = 11 units at 110 baud: 100 ms.
    CHECK(teleprinter_settings::defaults(teleprinter_mode::ascii).character_seconds() ==
          Approx(0.1));
    teleprinter_settings m28;
    m28.baud = 74.2;  // 100 wpm
    CHECK(m28.character_seconds() == Approx(7.5 / 74.2));
}

TEST_CASE("settings a UART cannot send are refused with the reason") {
    auto s = teleprinter_settings::defaults(teleprinter_mode::ascii);
    CHECK(s.validate());
    s.stop_bits = 1.5;
    REQUIRE_FALSE(s.validate());
    CHECK(s.validate().error().find("only with 5 data bits") != std::string::npos);
    s = teleprinter_settings::defaults(teleprinter_mode::baudot);
    s.data_bits = 7;
    REQUIRE_FALSE(s.validate());
    CHECK(s.validate().error().find("Baudot") != std::string::npos);
    s = teleprinter_settings::defaults(teleprinter_mode::baudot);
    s.stop_bits = 3;
    CHECK_FALSE(s.validate());
    s = teleprinter_settings::defaults(teleprinter_mode::baudot);
    s.baud = 0;
    CHECK_FALSE(s.validate());
    s = teleprinter_settings::defaults(teleprinter_mode::ascii);
    s.data_bits = 5;
    CHECK_FALSE(s.validate());
}

TEST_CASE("parse_baud reads the customary rates and rejects the rest with a reason") {
    for (const double r : {45.45, 50.0, 56.9, 74.2, 75.0, 100.0, 110.0, 115200.0}) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", r);
        auto p = parse_baud(text);
        REQUIRE(p);
        CHECK(p.value() == Approx(r));
    }
    CHECK(parse_baud("0").error().find("above 0") != std::string::npos);
    CHECK(parse_baud("-45").error().find("above 0") != std::string::npos);
    CHECK(parse_baud("115201").error().find("at most") != std::string::npos);
    CHECK(parse_baud("45.45x").error().find("not a number") != std::string::npos);
    CHECK_FALSE(parse_baud(""));
    CHECK_FALSE(parse_baud("nan"));
}

TEST_CASE("termios2 is given the nearest integer rate") {
    CHECK(termios_rate(45.45) == 45);
    CHECK(termios_rate(56.9) == 57);
    CHECK(termios_rate(74.2) == 74);
    CHECK(termios_rate(110) == 110);
    CHECK(termios_rate(0.2) == 1);
}

TEST_CASE("mode, parity and filing names are read back") {
    CHECK(parse_teleprinter_mode("ascii").value() == teleprinter_mode::ascii);
    CHECK(parse_teleprinter_mode("baudot").value() == teleprinter_mode::baudot);
    CHECK(parse_teleprinter_mode("ebcdic").error().find("'ebcdic'") != std::string::npos);
    CHECK(parse_teleprinter_parity("odd").value() == teleprinter_parity::odd);
    CHECK_FALSE(parse_teleprinter_parity("mark"));
    CHECK(parse_teleprinter_filing("blank-nnnn").value() == teleprinter_filing::blank_line_nnnn);
    CHECK(parse_teleprinter_filing("nnnn").value() == teleprinter_filing::nnnn);
    CHECK_FALSE(parse_teleprinter_filing("zczc"));
}
