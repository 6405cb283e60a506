#include <catch2/catch.hpp>

#include "protocol/cable/dtg.hpp"

using namespace hakto::protocol;

namespace {
dtg hakto12() {
    return dtg{21, 16, 15, 'Z', 6, 1972};
}
}  // namespace

TEST_CASE("zone letters: Z, A–M without J east, N–Y west, J local") {
    CHECK(zone_offset_hours('Z') == 0);
    CHECK(zone_offset_hours('A') == 1);
    CHECK(zone_offset_hours('H') == 8);  // Beijing
    CHECK(zone_offset_hours('I') == 9);
    CHECK(zone_offset_hours('K') == 10);
    CHECK(zone_offset_hours('M') == 12);
    CHECK(zone_offset_hours('N') == -1);
    CHECK(zone_offset_hours('Q') == -4);  // Washington, EDT
    CHECK(zone_offset_hours('R') == -5);  // EST
    CHECK(zone_offset_hours('Y') == -12);
    CHECK_FALSE(zone_offset_hours('J').has_value());
    CHECK_FALSE(zone_offset_hours('1').has_value());
    for (int h = -12; h <= 12; ++h) {
        auto z = zone_letter_for_offset(h);
        REQUIRE(z);
        CHECK(zone_offset_hours(*z) == h);
    }
    CHECK_FALSE(zone_letter_for_offset(13));
}

TEST_CASE("211615Z JUN 72 is 220015H in Beijing and 211215Q in Washington") {
    auto beijing = in_zone(hakto12(), 'H');
    REQUIRE(beijing);
    CHECK(format_dtg(beijing.value()) == "220015H JUN 72");
    auto washington = in_zone(hakto12(), 'Q');
    REQUIRE(washington);
    CHECK(format_dtg(washington.value()) == "211215Q JUN 72");
    auto back = in_zone(beijing.value(), 'Z');
    REQUIRE(back);
    CHECK(back.value() == hakto12());
    CHECK(iso8601(hakto12()) == "1972-06-21T16:15:00Z");
    CHECK(iso8601(beijing.value()) == "1972-06-21T16:15:00Z");
}

TEST_CASE("crossing month and year boundaries") {
    auto d = in_zone(dtg{31, 20, 0, 'Z', 12, 1972}, 'H');
    REQUIRE(d);
    CHECK(format_dtg(d.value()) == "010400H JAN 73");
    auto w = in_zone(dtg{1, 2, 30, 'Z', 3, 1972}, 'R');
    REQUIRE(w);
    CHECK(format_dtg(w.value()) == "292130R FEB 72");  // 1972 is a leap year
}

TEST_CASE("ordinal days and the ACP 127 filing time") {
    CHECK(ordinal_day(1972, 6, 19) == 171);
    CHECK(ordinal_day(1972, 6, 20) == 172);
    CHECK(ordinal_day(1972, 6, 21) == 173);
    CHECK(ordinal_day(1973, 6, 21) == 172);
    CHECK(ordinal_day(1974, 2, 7) == 38);  // the 1974 White House header DE WTE #0661 0381304
    CHECK(ordinal_day(1972, 12, 31) == 366);
    CHECK(filing_time(hakto12()).value() == "1731615");
    // A DTG written in another zone is filed in UTC.
    CHECK(filing_time(dtg{22, 0, 15, 'H', 6, 1972}).value() == "1731615");
    CHECK_FALSE(filing_time(dtg{21, 16, 15, 'Z', std::nullopt, std::nullopt}));
    CHECK_FALSE(to_utc(dtg{21, 16, 15, 'J', 6, 1972}));
}

TEST_CASE("reading the June 1972 DTGs as printed") {
    auto r = read_dtg("211615Z", 5, 3);
    REQUIRE(r.value);
    CHECK(r.value->day == 21);
    CHECK(r.value->hour == 16);
    CHECK(r.value->minute == 15);
    CHECK(r.value->zone == 'Z');
    CHECK_FALSE(r.value->month);
    CHECK_FALSE(r.month_printed);
    CHECK(r.notes.empty());

    r = read_dtg("191810Z JUN 72", 1, 1);
    REQUIRE(r.value);
    CHECK(*r.value == dtg{19, 18, 10, 'Z', 6, 1972});
    CHECK(r.month_printed);
    CHECK(r.year_printed);
    CHECK(r.length == 14);

    r = read_dtg("201713Z JUN 772", 2, 3);
    REQUIRE(r.value);
    CHECK(*r.value == dtg{20, 17, 13, 'Z', 6, 1972});
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].code == "dtg-year-garbled");
    CHECK(r.notes[0].where == source_position{2, 15});
    CHECK(r.notes[0].level == severity::warning);

    r = read_dtg("260517 Z JUN 73", 1, 1);
    REQUIRE(r.value);
    CHECK(*r.value == dtg{26, 5, 17, 'Z', 6, 1973});
}

TEST_CASE("impossible DTGs are errors with columns, never a crash") {
    auto r = read_dtg("999999Z", 4, 3);
    CHECK_FALSE(r.value);
    REQUIRE(r.notes.size() == 3);
    CHECK(r.notes[0].code == "dtg-day");
    CHECK(r.notes[0].where == source_position{4, 3});
    CHECK(r.notes[1].code == "dtg-hour");
    CHECK(r.notes[1].where == source_position{4, 5});
    CHECK(r.notes[2].code == "dtg-minute");
    CHECK(r.notes[2].where == source_position{4, 7});

    r = read_dtg("211615Z JUX 72", 1, 1);
    CHECK_FALSE(r.value);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].code == "dtg-month");
    CHECK(r.notes[0].where.column == 9);

    r = read_dtg("310900Z JUN 72", 1, 1);  // June has 30 days
    CHECK_FALSE(r.value);
    CHECK(r.notes.at(0).code == "dtg-day");

    CHECK_FALSE(read_dtg("", 1, 1).value);
    CHECK_FALSE(read_dtg("12345", 1, 1).value);
    CHECK_FALSE(read_dtg("211615 ZULU", 1, 1).value);
    CHECK(read_dtg("211615 ZULU", 1, 1).notes.empty());
}

TEST_CASE("month names") {
    CHECK(month_from_name("JUN") == 6);
    CHECK(month_from_name("June") == 6);
    CHECK(month_from_name("sept.") == 9);
    CHECK_FALSE(month_from_name("JUX"));
    CHECK(month_abbreviation(12) == "DEC");
    CHECK(month_abbreviation(13).empty());
}
