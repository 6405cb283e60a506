#include <algorithm>
#include <random>

#include <catch2/catch.hpp>

#include "protocol/cable/cable_parser.hpp"
#include "support/cable_fields.hpp"
#include "support/files.hpp"

using namespace hakto::protocol;

using hakto::test::find_code;

namespace {

std::size_t count_code(const document& d, std::string_view code) {
    return static_cast<std::size_t>(
        std::count_if(d.notes_for_reader.begin(), d.notes_for_reader.end(),
                      [&](const diagnostic& x) { return x.code == code; }));
}

document seed() {
    return parse_document(
        hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")));
}

}  // namespace

TEST_CASE("the HAKTO 12 document as published: every part and field") {
    auto doc = seed();
    const auto& c = doc.message;
    REQUIRE(c.routing);
    CHECK(c.routing->called == "WE");
    CHECK(c.routing->calling == "WTE");
    CHECK(c.routing->channel == "10");
    CHECK(c.prec == precedence::immediate);
    REQUIRE(c.date_time_group);
    CHECK(*c.date_time_group == dtg{21, 16, 15, 'Z', 6, 1972});
    CHECK(c.inferred.count("dtg.month") == 1);
    CHECK(c.date_line == "JUNE 21, 1972");
    CHECK(first_addressee(c) == "GENERAL HAIG, THE WHITE HOUSE");
    CHECK(c.from == "HENRY A KISSINGER");
    REQUIRE(c.series);
    CHECK(c.series->name == "HAKTO");
    CHECK(c.series->number == 12);  // from the title, and said so
    CHECK(c.inferred.count("series.number") == 1);
    REQUIRE(c.paragraphs.size() == 5);
    for (int i = 0; i < 5; ++i) CHECK(c.paragraphs[static_cast<std::size_t>(i)].number == i + 1);
    CHECK(c.paragraphs[0].text.rfind("THREE AND A HALF HOUR SESSION WITH CHOU", 0) == 0);
    CHECK(c.paragraphs[1].text.find(
              "REFERENCES TO Laird TESTIMONY BEFORE SFRC (PLEASE PROTECT).") != std::string::npos);
    CHECK(c.paragraphs[2].text.find("THE WAS WOULD NOT REPEAT NOT INTERFERE") != std::string::npos);
    CHECK(c.paragraphs[3].text.rfind("IN SEPERATE COUNTERPART", 0) == 0);
    CHECK(c.paragraphs[4].text ==
          "THEY ARE GOING TO EXTRAORDINARY LENGTHS TO SHOW HOSPITALITY TO US.");
    CHECK(c.signoff == "WARM REGARDS");
    CHECK(c.classification == "TOP SECRET");
    CHECK(c.classification_as_written == "TOP SECRET; SENSITIVE; EXCLUSIVELY EYES ONLY");
    CHECK(c.layout.number_on_own_line);
    CHECK(c.layout.blank_line_between_headers);

    REQUIRE(doc.title);
    CHECK(doc.title->document_number == 143);
    CHECK(doc.title->place == "Beijing");
    CHECK(doc.title->text.substr(doc.title->text.size() - 5) == "1615Z");  // note markers dropped
    REQUIRE(doc.covering_memo);
    const auto& m = *doc.covering_memo;
    CHECK(m.date == "1972-06-21");
    CHECK(m.for_ == "THE PRESIDENT");
    CHECK(m.from == "AL HAIG");
    CHECK(m.subject == "Report from Dr. Kissinger");
    REQUIRE(m.bullets.size() == 5);
    CHECK(m.bullets[0].text.rfind("He had just concluded a 3 1/2 hour session", 0) == 0);
    REQUIRE(m.paragraphs.size() == 2);
    CHECK(m.paragraphs[1].find("how to promote exchanges") !=
          std::string::npos);  // [Page 3] taken out
    CHECK(doc.page_breaks == std::vector<int>{2, 3});
    REQUIRE(doc.notes.size() == 2);
    CHECK(doc.notes[0].number == 1);
    CHECK(doc.notes[0].text.rfind("Source: National Archives", 0) == 0);
    REQUIRE(doc.parts.size() == 4);
    CHECK(doc.parts[0].kind == document_part_kind::title);
    CHECK(doc.parts[1].kind == document_part_kind::cable);
    CHECK(doc.parts[2].kind == document_part_kind::memo);
    CHECK(doc.parts[3].kind == document_part_kind::notes);

    // What was noticed: said, not fatal.
    CHECK_FALSE(has_errors(doc.notes_for_reader));
    auto month = find_code(doc, "dtg-month-inferred");
    REQUIRE(month);
    CHECK(month->where == source_position{5, 3});
    auto number = find_code(doc, "series-number-missing");
    REQUIRE(number);
    CHECK(number->where == source_position{13, 1});
    CHECK(find_code(doc, "series-number-from-title"));
    CHECK(find_code(doc, "classification-from-source-note"));
    CHECK_FALSE(find_code(doc, "garbled-word"));
    CHECK_FALSE(find_code(doc, "precedence-missing"));
}

TEST_CASE("without inference, unknown values stay unknown") {
    parse_options o;
    o.infer_from_context = false;
    auto doc = parse_document(
        hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")), o);
    CHECK_FALSE(doc.message.date_time_group->month);
    CHECK_FALSE(doc.message.series->number);
    CHECK_FALSE(doc.message.classification);
}

TEST_CASE("TEI text of HAKTO 7 (FRUS E-13 doc 140) parses with its expected diagnostics") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    auto text =
        hakto::test::tei_paragraph_text(hakto::test::shared_path("frus/frus1969-76ve13-d140.xml"));
    auto doc = parse_document(text);
    const auto& c = doc.message;
    REQUIRE(c.routing);
    CHECK(c.routing->called == "VFE");
    CHECK(c.routing->calling == "WTE");
    CHECK(c.routing->channel == "10");
    CHECK_FALSE(c.prec);
    CHECK(find_code(doc, "precedence-missing"));
    REQUIRE(c.date_time_group);
    CHECK(*c.date_time_group == dtg{19, 18, 10, 'Z', 6, 1972});
    CHECK(c.inferred.empty());
    CHECK(first_addressee(c) == "GENERAL HAIG");  // TO: before FROM:, before the routing line
    CHECK(c.from == "HWENMJIJ Kissinger");        // garbled, mixed case from the edition
    CHECK(c.layout.address_colon);
    auto garbled = find_code(doc, "garbled-word");
    REQUIRE(garbled);
    CHECK(garbled->message.find("HWENMJIJ") != std::string::npos);
    CHECK(garbled->where == source_position{2, 7});
    CHECK(count_code(doc, "garbled-word") == 1);
    REQUIRE(c.series);
    CHECK(c.series->number == 7);
    REQUIRE(c.paragraphs.size() == 5);
    CHECK(c.paragraphs[2].text.find("NOTED Le Duc Tho HAD JUST BEEN IN PEKING") !=
          std::string::npos);
    CHECK(c.paragraphs[4].text.rfind("PLEASE WIRE IMMEDIATELY", 0) == 0);
    CHECK(c.signoff == "WARM REGARDS");
    REQUIRE(doc.covering_memo);
    CHECK(doc.covering_memo->from == "GENERAL A.M. HAIG");
    CHECK(doc.covering_memo->subject == "Initial Report from Mr. Kissinger's Peking Trip");
    CHECK(doc.covering_memo->bullets.size() == 4);
    CHECK_FALSE(has_errors(doc.notes_for_reader));
}

TEST_CASE("TEI text of HAKTO 12 (FRUS E-13 doc 143) parses like the seed") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    auto text =
        hakto::test::tei_paragraph_text(hakto::test::shared_path("frus/frus1969-76ve13-d143.xml"));
    auto doc = parse_document(text);
    const auto& c = doc.message;
    CHECK(c.prec == precedence::immediate);
    CHECK(c.date_time_group->month == 6);  // from the date line
    CHECK(find_code(doc, "dtg-month-inferred"));
    CHECK(find_code(doc, "series-number-missing"));
    CHECK_FALSE(c.series->number);  // no title in the paragraph text: nothing to take it from
    CHECK(c.paragraphs.size() == 5);
    CHECK(first_addressee(c) == "GENERAL HAIG, THE WHITE HOUSE");
    CHECK_FALSE(c.layout.address_colon);
    CHECK(doc.covering_memo->bullets.size() == 5);
    CHECK_FALSE(has_errors(doc.notes_for_reader));
}

TEST_CASE("the HAKTO 9 header variant: spaced channel, precedence P, year 772, FROM before TO") {
    auto doc = parse_document(
        "WTE DE WTE 10\n"
        "P 201713Z JUN 772\n"
        "FROM: HENRY A KISSINGER\n"
        "TO: GENERAL HAIG\n"
        "HAKTO 9\n"
        "1. FOUR PRIVATE SESSIONS WITH CHOU.\n"
        "WARM REGARDS.\n");
    const auto& c = doc.message;
    CHECK(c.routing->channel_spaced);
    CHECK(c.prec == precedence::priority);
    CHECK(*c.date_time_group == dtg{20, 17, 13, 'Z', 6, 1972});
    auto y = find_code(doc, "dtg-year-garbled");
    REQUIRE(y);
    CHECK(y->where == source_position{2, 15});
    CHECK(c.from == "HENRY A KISSINGER");
    CHECK(first_addressee(c) == "GENERAL HAIG");
    REQUIRE(c.layout.header_order.size() == 5);
    CHECK(c.layout.header_order[2] == header_field::from);
    CHECK(c.layout.header_order[3] == header_field::to);
    CHECK(c.signoff == "WARM REGARDS.");
    CHECK(c.layout.dtg_as_printed == "201713Z JUN 772");  // a faithful copy keeps the garble
    CHECK_FALSE(has_errors(doc.notes_for_reader));
}

TEST_CASE("malformed input gives positioned diagnostics, never a crash") {
    SECTION("empty") {
        auto d = parse_document("");
        CHECK(has_errors(d.notes_for_reader));
        CHECK(d.notes_for_reader.at(0).code == "empty");
        CHECK(has_errors(parse_document("\n\n   \n").notes_for_reader));
    }
    SECTION("a DTG of 999999Z") {
        auto d = parse_document("WE DE WTE10\nO 999999Z\n1. TEXT.\n");
        CHECK(has_errors(d.notes_for_reader));
        auto day = find_code(d, "dtg-day");
        REQUIRE(day);
        CHECK(day->where == source_position{2, 3});
        CHECK(find_code(d, "dtg-hour")->where == source_position{2, 5});
        CHECK(d.message.prec == precedence::immediate);
        CHECK_FALSE(d.message.date_time_group);
        CHECK(d.message.paragraphs.size() == 1);  // it keeps going
    }
    SECTION("a month JUX") {
        auto d = parse_document("WE DE WTE10\nO 211615Z JUX 72\n1. TEXT.\n");
        auto m = find_code(d, "dtg-month");
        REQUIRE(m);
        CHECK(m->where == source_position{2, 11});
        CHECK(m->level == severity::error);
    }
    SECTION("binary") {
        std::string bytes;
        std::mt19937 rng(7);
        for (int i = 0; i < 4096; ++i) bytes += static_cast<char>(rng() & 0xFF);
        auto d = parse_document(bytes);
        CHECK(has_errors(d.notes_for_reader));
        CHECK(find_code(d, "binary-input"));
        CHECK(find_code(d, "invalid-utf8")->where.line >= 1);
        // Capped: no flood of one code.
        CHECK(count_code(d, "invalid-utf8") <= 21);
    }
    SECTION("10 MB of one line") {
        std::string big(10u << 20, 'A');
        auto d = parse_document(big);
        auto l = find_code(d, "line-too-long");
        REQUIRE(l);
        CHECK(l->where == source_position{1, 1});
        REQUIRE(d.message.paragraphs.size() == 1);
        CHECK(d.message.paragraphs[0].text.size() == big.size());  // nothing lost
    }
    SECTION("invalid UTF-8 in the middle of a line names its column") {
        auto d = parse_document("WE DE WTE10\nO 211615Z JUN 72\n1. CH\xFFOU.\n");
        auto u = find_code(d, "invalid-utf8");
        REQUIRE(u);
        CHECK(u->where == source_position{3, 6});
        CHECK(d.message.paragraphs.at(0).text == "CH\xEF\xBF\xBDOU.");
    }
    SECTION("random line noise") {
        std::mt19937 rng(11);
        const std::string alphabet = "ABCDE 0123456789.,:/-()\n\r DEWTEZOPRY#BTNNNN";
        for (int round = 0; round < 200; ++round) {
            std::string s;
            for (int i = 0; i < 300; ++i) s += alphabet[rng() % alphabet.size()];
            auto d = parse_document(s);
            for (const auto& x : d.notes_for_reader) CHECK(!x.code.empty());
        }
    }
}

TEST_CASE("ACP 127 envelope fields are read, FL3 and FL15 serials are compared") {
    auto d = parse_document(
        "VZCZCWTA017\n"
        "OO RUWTABA\n"
        "DE RUWTEKA #0042 1731615\n"
        "ZNY TTTTT\n"
        "O 211615Z JUN 72\n"
        "FM HENRY A KISSINGER\n"
        "TO GENERAL HAIG\n"
        "BT\n"
        "TOP SECRET\n"
        "HAKTO 12\n"
        "1. TEXT ONE.\n"
        "WARM REGARDS\n"
        "BT\n"
        "#0043\n"
        "\n\n\n\n\n\n\n\n"
        "NNNN\n");
    const auto& c = d.message;
    REQUIRE(c.envelope);
    CHECK(c.envelope->channel_designator == "WTA");
    CHECK(c.envelope->channel_serial == 17);
    CHECK(c.envelope->routing_indicators == std::vector<std::string>{"RUWTABA"});
    CHECK(c.envelope->originating_ri == "RUWTEKA");
    CHECK(c.envelope->station_serial == 42);
    CHECK(c.envelope->filing_time == "1731615");
    CHECK(c.envelope->security_warning == "ZNY TTTTT");
    CHECK(c.classification == "TOP SECRET");
    CHECK(c.series->number == 12);
    CHECK(c.paragraphs.size() == 1);
    CHECK(c.signoff == "WARM REGARDS");
    auto ssn = find_code(d, "ssn-mismatch");
    REQUIRE(ssn);
    CHECK(ssn->where.line == 14);
}

TEST_CASE("calendar dates") {
    auto d = read_calendar_date("June 21, 1972");
    REQUIRE(d);
    CHECK(d->year == 1972);
    CHECK(d->month == 6);
    CHECK(d->day == 21);
    CHECK(read_calendar_date("JUNE 21, 1972"));
    CHECK(read_calendar_date("21 June 1972"));
    CHECK_FALSE(read_calendar_date("June 21, 1972, 1615Z"));
    CHECK_FALSE(read_calendar_date("JUNE IS HOT"));
}
