// The reader on the traffic of the period: State Department telegrams as archived (the real
// ones of ../shared/plusd-dev/, read there at test time and never copied), the White House
// Situation Room form and the FRUS printed forms (inputs composed here), and the writer's
// round trip for each: parse(format(c)) keeps every field.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <catch2/catch.hpp>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "support/cable_fields.hpp"
#include "support/files.hpp"

using namespace hakto::protocol;

using hakto::test::find_code;

namespace {

std::vector<std::string> split_tab(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char ch : line) {
        if (ch == '\t') {
            out.push_back(cur);
            cur.clear();
        } else if (ch != '\r') {
            cur += ch;
        }
    }
    out.push_back(cur);
    return out;
}

/// The dev set's expected fields, one map a cable (column name → value); empty when the
/// folder is not there.
std::vector<std::map<std::string, std::string>> dev_set() {
    std::vector<std::map<std::string, std::string>> rows;
    std::ifstream f(hakto::test::shared_path("plusd-dev/expect.tsv"));
    if (!f) return rows;
    std::string line;
    std::getline(f, line);
    auto header = split_tab(line);
    while (std::getline(f, line)) {
        if (line.empty()) continue;
        auto cells = split_tab(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i)
            row[header[i]] = cells[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

/// Reported as skipped by CTest (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt).
bool skip_without_dev_set() {
    if (std::filesystem::exists(hakto::test::shared_path("plusd-dev/expect.tsv"))) return false;
    std::cout << "HAKTO-SKIP: " << hakto::test::shared_path("plusd-dev") << " is not there\n";
    return true;
}

/// parse(format(c)) holds every field of c, wrapped at 69 columns and unwrapped; and the
/// written copy is a fixed point of format ∘ parse.
void check_round_trip(const cable& c, const std::string& name) {
    for (std::size_t wrap : {std::size_t{69}, std::size_t{0}}) {
        format_options o;
        o.wrap_column = wrap;
        auto page = format_cable(c, o);
        auto again = parse_document(page).message;
        INFO(name << " written at wrap " << wrap << ":\n" << page);
        auto diffs = hakto::test::field_differences(c, again);
        std::string all;
        for (const auto& d : diffs) all += d + "\n";
        INFO(all);
        CHECK(diffs.empty());
        CHECK(format_cable(again, o) == page);
    }
}

}  // namespace

TEST_CASE("the State telegrams of the dev set: every field of expect.tsv") {
    if (skip_without_dev_set()) return;
    auto rows = dev_set();
    REQUIRE(rows.size() == 20);
    std::size_t right = 0, fields = 0;
    for (const auto& r : rows) {
        auto path = hakto::test::shared_path("plusd-dev/cables/" + r.at("file"));
        auto doc = parse_document(hakto::test::read_file(path));
        const auto& c = doc.message;
        INFO(r.at("file"));
        CHECK(c.form == cable_form::state_telegram);
        REQUIRE(c.prec);
        CHECK(std::string(1, precedence_letter(*c.prec)) == r.at("precedence"));
        REQUIRE(c.date_time_group);
        const auto& g = *c.date_time_group;
        CHECK(std::to_string(g.day) == r.at("day"));
        CHECK(std::to_string(g.hour) == r.at("hour"));
        CHECK(std::to_string(g.minute) == r.at("minute"));
        REQUIRE(g.month);
        CHECK(month_abbreviation(*g.month) == r.at("month"));
        CHECK(g.year == std::stoi(r.at("year")));
        CHECK(c.from == r.at("from"));
        CHECK(first_addressee(c) == r.at("to_first"));
        CHECK(c.classification == r.at("classification"));
        if (r.at("subject") == "-") {
            CHECK_FALSE(c.subject);
        } else {
            REQUIRE(c.subject);
            CHECK(c.subject->rfind(r.at("subject"), 0) ==
                  0);  // the first line; continuations joined
        }
        if (r.at("series") == "-")
            CHECK_FALSE(c.series);
        else
            CHECK((c.series ? format_series_tag(*c.series) : "-") == r.at("series"));
        // Nothing of the archive's page furniture is left in the text.
        for (const auto& p : c.paragraphs) CHECK(p.text.find("PAGE 02") == std::string::npos);
        fields += 11;
        right += 1;
    }
    CHECK(right == 20);
    CHECK(fields == 220);
}

TEST_CASE("the State telegrams of the dev set: every header line read as its element") {
    if (skip_without_dev_set()) return;
    for (const auto& r : dev_set()) {
        auto text =
            hakto::test::read_file(hakto::test::shared_path("plusd-dev/cables/" + r.at("file")));
        auto doc = parse_document(text);
        INFO(r.at("file"));
        // Up to the first line of text, no line is a paragraph; the archive's block, the
        // telegram's heading and the head of its text each have a role of their own.
        bool text_seen = false;
        for (const auto& l : doc.line_map) {
            if (l.role == line_role::paragraph) text_seen = true;
            if (!text_seen) CHECK(l.role != line_role::preamble);
        }
        const auto& c = doc.message;
        REQUIRE(c.archive);
        CHECK(c.archive->page);
        CHECK(c.archive->distribution);
        CHECK(c.archive->separator);
        CHECK(c.telegram);
        CHECK_FALSE(c.to.empty());
        CHECK_FALSE(c.paragraphs.empty());
    }
}

TEST_CASE(
    "the State telegrams of the dev set: written back in their own form, read again the same") {
    if (skip_without_dev_set()) return;
    for (const auto& r : dev_set()) {
        auto doc = parse_document(
            hakto::test::read_file(hakto::test::shared_path("plusd-dev/cables/" + r.at("file"))));
        check_round_trip(doc.message, r.at("file"));
    }
}

namespace {

// A State telegram composed for the tests, in the shape of the archived ones: the marking, the
// page line, the distribution, the separator, the heading, the head of the text, a page break,
// the signature and NNN.
const char* composed_state = R"(CONFIDENTIAL
PAGE 01 PEKING 04321 121001Z
17
ACTION EA-09
INFO OCT-01 ISO-00 SS-15 NSC-05 CIAE-00 INR-07
/037 W
------------------ 123456
O R 120940Z NOV 75 ZFF-4
FM USLO PEKING
TO SECSTATE WASHDC NIACT IMMEDIATE 4733
WHITE HOUSE IMMEDIATE
INFO AMEMBASSY TOKYO
AMCONSUL HONG KONG INKEDIATE 0211
C O N F I D E N T I A L PEKING 4321 EXDIS
DEPT PASS WHITE HOUSE
E.O. 11652: GDS
TAGS: PFOR, CH, US
SUBJECT: TEST OF THE READER: A SUBJECT THAT RUNS ON TO A
SECOND LINE
REFS: A. STATE 123456
B. PEKING 2080
1. THE FIRST PARAGRAPH OF THE TEXT, WHICH THE
CONFIDENTIAL
CONFIDENTIAL
PAGE 02 PEKING 04321 121001Z
PAGE BREAK DOES NOT INTERRUPT.
2. THE SECOND PARAGRAPH ENDS THE TEXT.
BRUCE
NNN
)";

}  // namespace

TEST_CASE(
    "a composed State telegram: archive block, heading, head of the text, page break, signature") {
    auto doc = parse_document(composed_state);
    const auto& c = doc.message;
    CHECK(c.form == cable_form::state_telegram);
    REQUIRE(c.archive);
    CHECK(c.archive->marking == "CONFIDENTIAL");
    REQUIRE(c.archive->page);
    CHECK(c.archive->page->post == "PEKING");
    CHECK(c.archive->page->telegram_number == "04321");
    CHECK(c.archive->page->time_group == "121001Z");
    CHECK(c.archive->number_line == "17");
    REQUIRE(c.archive->distribution);
    CHECK(c.archive->distribution->action == "EA-09");
    CHECK(c.archive->distribution->info.size() == 6);
    CHECK(c.archive->distribution->count == "/037 W");
    CHECK(c.prec == precedence::immediate);
    CHECK(c.info_prec == precedence::routine);
    CHECK(c.operating_signals == std::vector<std::string>{"ZFF-4"});
    REQUIRE(c.date_time_group);
    CHECK(*c.date_time_group == dtg{12, 9, 40, 'Z', 11, 1975});
    CHECK(c.from == "USLO PEKING");
    REQUIRE(c.to.size() == 2);
    CHECK(c.to[0].address == "SECSTATE WASHDC");
    CHECK(c.to[0].prec == precedence::immediate);
    CHECK(c.to[0].niact);
    CHECK(c.to[0].serial == 4733);
    CHECK(c.to[1].address == "WHITE HOUSE");
    CHECK_FALSE(c.to[1].serial);
    REQUIRE(c.info.size() == 2);
    CHECK_FALSE(c.info[0].prec);
    CHECK(c.info[1].address == "AMCONSUL HONG KONG");
    CHECK(c.info[1].prec == precedence::immediate);  // INKEDIATE, read through the garble
    CHECK(c.info[1].serial == 211);
    REQUIRE(find_code(doc, "precedence-word-garbled"));
    CHECK(find_code(doc, "precedence-word-garbled")->where.line == 13);
    CHECK(c.classification == "CONFIDENTIAL");
    CHECK(c.classification_as_written == "C O N F I D E N T I A L");
    REQUIRE(c.telegram);
    CHECK(c.telegram->post == "PEKING");
    CHECK(c.telegram->number == 4321);
    CHECK(c.handling == std::vector<std::string>{"EXDIS"});
    CHECK(c.instructions == std::vector<std::string>{"DEPT PASS WHITE HOUSE"});
    REQUIRE(c.eo);
    CHECK(c.eo->order == "11652");
    CHECK(c.eo->category == "GDS");
    CHECK(c.tags == std::vector<std::string>{"PFOR", "CH", "US"});
    CHECK(c.subject == "TEST OF THE READER: A SUBJECT THAT RUNS ON TO A SECOND LINE");
    CHECK(c.references == std::vector<std::string>{"A. STATE 123456", "B. PEKING 2080"});
    REQUIRE(c.paragraphs.size() == 2);
    CHECK(c.paragraphs[0].text ==
          "THE FIRST PARAGRAPH OF THE TEXT, WHICH THE PAGE BREAK DOES NOT INTERRUPT.");
    CHECK(c.signature == "BRUCE");
    CHECK(c.layout.end_of_message);
    CHECK(c.layout.end_marker == "NNN");
    CHECK_FALSE(find_code(doc, "routing-missing"));  // a State telegram has no routing line
    check_round_trip(c, "the composed telegram");
    // As sent: the archive's block left out, the telegram itself kept.
    format_options sent;
    sent.archive_head = false;
    auto page = format_cable(c, sent);
    CHECK(page.rfind("O R 120940Z NOV 75 ZFF-4\nFM USLO PEKING\n", 0) == 0);
    CHECK(page.find("PAGE 01") == std::string::npos);
}

TEST_CASE(
    "a note before the header is kept aside as a preamble, and the header is found after it") {
    std::string text =
        std::string{
            "Telegram brought by a teacher, typed from the archive copy.\nSee the notes on "
            "it.\n\n"} +
        composed_state;
    auto doc = parse_document(text);
    CHECK(doc.preamble.size() == 2);
    REQUIRE(find_code(doc, "preamble"));
    CHECK(doc.message.from == "USLO PEKING");
    CHECK(doc.message.classification == "CONFIDENTIAL");
    REQUIRE(doc.message.paragraphs.size() == 2);
}

TEST_CASE(
    "the 1974 Situation Room form: OP IMMED, format line 3 without VZCZC, the series between "
    "slashes") {
    // The header as protocol facts §1 describes it; the text is composed.
    auto doc = parse_document(
        "OP IMMED\n"
        "DE WTE #0661 0381304\n"
        "O 071304Z FEB 74\n"
        "FM THE SITUATION ROOM //TOHAK 003//\n"
        "TO PETER RODMAN FOR SECRETARY KISSINGER\n"
        "VIA 86970\n"
        "WH40366\n"
        "BT\n"
        "T O P S E C R E T\n"
        "1. A COMPOSED TEXT FOR THE TEST.\n"
        "2. A SECOND PARAGRAPH.\n"
        "WARM REGARDS\n"
        "BT\n"
        "#0661\n"
        "NNNN\n");
    const auto& c = doc.message;
    CHECK(c.form == cable_form::situation_room);
    CHECK(c.prec == precedence::immediate);
    CHECK(c.precedence_words == "IMMED");
    REQUIRE(c.date_time_group);
    CHECK(format_dtg(*c.date_time_group) == "071304Z FEB 74");
    REQUIRE(c.series);
    CHECK(c.series->name == "TOHAK");
    CHECK(c.series->number == 3);
    CHECK(format_series_tag(*c.series) == "TOHAK 003");
    CHECK(c.from == "THE SITUATION ROOM");
    CHECK(first_addressee(c) == "PETER RODMAN FOR SECRETARY KISSINGER");
    CHECK(c.via == "86970");
    CHECK(c.message_number == "WH40366");
    REQUIRE(c.envelope);
    CHECK(c.envelope->precedence_prosigns == "OP");
    CHECK(c.envelope->originating_ri == "WTE");
    CHECK(c.envelope->station_serial == 661);
    CHECK(c.envelope->filing_time == "0381304");  // day 38 is 7 February
    CHECK(c.classification == "TOP SECRET");
    CHECK(c.paragraphs.size() == 2);
    CHECK(c.signoff == "WARM REGARDS");
    CHECK_FALSE(find_code(doc, "ssn-mismatch"));
    CHECK_FALSE(find_code(doc, "precedence-disagrees"));
    std::vector<line_role> roles;
    for (const auto& l : doc.line_map) roles.push_back(l.role);
    CHECK(roles[0] == line_role::precedence_words);
    CHECK(roles[1] == line_role::acp127_fl3);
    CHECK(roles[2] == line_role::precedence_dtg);
    CHECK(roles[5] == line_role::via);
    CHECK(roles[6] == line_role::message_number);
    check_round_trip(c, "the Situation Room cable");
}

TEST_CASE(
    "the FRUS printed forms: the series runs into the text, the title gives sender, addressee and "
    "date") {
    struct form {
        const char* series_line;
        const char* name;
        int number;
        std::optional<std::string> second;
        bool numbered;
    };
    const form forms[] = {
        {"Hakto 46/226. 1. A composed first paragraph of the text.", "HAKTO", 46, "226", true},
        {"Tohak 95/WH 29642. A composed first paragraph of the text.", "TOHAK", 95, "WH 29642",
         false},
        {"Tohak 90/WHS 2291. A composed first paragraph of the text.", "TOHAK", 90, "WHS 2291",
         false},
        {"Sitto 11. A composed first paragraph of the text.", "SITTO", 11, std::nullopt, false},
        {"Tosit 15. A composed first paragraph of the text.", "TOSIT", 15, std::nullopt, false},
    };
    for (const auto& f : forms) {
        std::string text =
            std::string{
                "55. Backchannel Message From the President’s Assistant for National Security "
                "Affairs "
                "(Kissinger) to the President’s Deputy Assistant for National Security Affairs "
                "(Haig), Saigon, October 22, 1972, 0210Z1\n\n"} +
            f.series_line +
            "\n\n2. A second composed paragraph.\n\nWarm regards.\n\n1. Source: A composed source "
            "note. Top Secret; Sensitive; Eyes Only.\n";
        INFO(f.series_line);
        auto doc = parse_document(text);
        const auto& c = doc.message;
        CHECK(c.form == cable_form::frus_printed);
        REQUIRE(c.series);
        CHECK(c.series->name == f.name);
        CHECK(c.series->number == f.number);
        CHECK(c.series->second_serial == f.second);
        REQUIRE(c.paragraphs.size() == 2);
        CHECK(c.paragraphs[0].text == (f.numbered ? "A composed first paragraph of the text."
                                                  : "A composed first paragraph of the text."));
        CHECK(c.paragraphs[0].number == (f.numbered ? std::optional<int>{1} : std::nullopt));
        CHECK(c.paragraphs[1].number == 2);
        CHECK(c.signoff == "Warm regards.");
        CHECK(c.from == "the President’s Assistant for National Security Affairs (Kissinger)");
        CHECK(first_addressee(c) ==
              "the President’s Deputy Assistant for National Security Affairs (Haig)");
        REQUIRE(c.date_time_group);
        CHECK(*c.date_time_group == dtg{22, 2, 10, 'Z', 10, 1972});
        CHECK(c.inferred.count("from"));
        CHECK(c.inferred.count("to"));
        CHECK(c.inferred.count("dtg"));
        CHECK_FALSE(c.prec);  // nothing says which: unknown, not invented
        CHECK(c.classification == "TOP SECRET");
        REQUIRE(doc.title);
        CHECK(doc.title->place == "Saigon");
        CHECK_FALSE(find_code(doc, "routing-missing"));
        // The text alone reads back as the same printed form; the document (title and all)
        // reads back with the fields its title gives.
        format_options o;
        o.wrap_column = 0;
        auto again = parse_document(format_cable(c, o)).message;
        CHECK(again.form == cable_form::frus_printed);
        CHECK(again.series == c.series);
        CHECK(again.paragraphs == c.paragraphs);
        auto whole = parse_document(format_document(doc, o));
        auto diffs = hakto::test::field_differences(c, whole.message);
        CHECK(diffs.empty());
    }
}

TEST_CASE("a FRUS title without a time gives its date, not an invented time") {
    auto doc = parse_document(
        "12. Message From the President’s Deputy Assistant for National Security Affairs (Haig) to "
        "the "
        "President’s Assistant for National Security Affairs (Kissinger) in Moscow, Washington, "
        "April 21, 1972\n\n"
        "Sitto 12. A composed text.\n");
    REQUIRE(doc.title);
    CHECK(doc.title->place == "Washington");
    REQUIRE(doc.title->date);
    CHECK(*doc.title->date == calendar_date{1972, 4, 21});
    CHECK_FALSE(doc.title->time);
    CHECK_FALSE(doc.message.date_time_group);
    CHECK(doc.title->addressee.value_or("") ==
          "the President’s Assistant for National Security Affairs (Kissinger) in Moscow");
}

TEST_CASE("line kinds: each recognizer on its own") {
    SECTION("precedence and DTG lines") {
        auto p = read_precedence_dtg_line("Z O 161554Z MAR 76 ZFF6", 1, 1);
        REQUIRE(p);
        CHECK(p->prec == precedence::flash);
        CHECK(p->info_prec == precedence::immediate);
        CHECK(p->operating_signals == std::vector<std::string>{"ZFF6"});
        auto q = read_precedence_dtg_line("O 182323 Z APR 73 ZFF6", 1, 1);
        REQUIRE(q);
        REQUIRE(q->reading);
        REQUIRE(q->reading->value);
        CHECK(q->reading->value->hour == 23);
        CHECK_FALSE(read_precedence_dtg_line("ORIGIN SS-15", 1, 1));
        auto zero = read_precedence_dtg_line("0 120940Z NOV 75", 1, 1);
        REQUIRE(zero);
        CHECK(zero->zero_for_o);
        CHECK(zero->prec == precedence::immediate);
        CHECK_FALSE(read_precedence_dtg_line("0 DOLLARS", 1, 1));
        CHECK_FALSE(read_precedence_dtg_line("PAGE 01 STATE 198526", 1, 1));
    }
    SECTION("addressees") {
        auto a = read_addressee("AMEMBASSY ATHENS IMMEDIATE NIACT");
        CHECK(a.address == "AMEMBASSY ATHENS");
        CHECK(a.niact);
        CHECK(a.prec == precedence::immediate);
        auto b = read_addressee("SECSTATE 2269");
        CHECK(b.address == "SECSTATE");
        CHECK(b.serial == 2269);
        auto d = read_addressee("GENERAL HAIG, THE WHITE HOUSE");
        CHECK(d.address == "GENERAL HAIG, THE WHITE HOUSE");
        CHECK_FALSE(d.prec);
        auto e = read_addressee("AMEMBASSY DAMASCUS FLASH");
        CHECK(e.prec == precedence::flash);
        CHECK(read_addressee("USDEL SECRETARY IMMEDIATELY").address ==
              "USDEL SECRETARY IMMEDIATELY");
    }
    SECTION("classification markings, spaced or not") {
        CHECK(normalise_classification("UNCLAS") == "UNCLASSIFIED");
        CHECK(normalise_classification("C O N F I D E N T I A L") == "CONFIDENTIAL");
        CHECK(normalise_classification("T O P S E C R E T") == "TOP SECRET");
        CHECK(normalise_classification("Top Secret; Sensitive; Exclusively Eyes Only") ==
              "TOP SECRET");
        CHECK(normalise_classification("LIMITED OFFICIAL USE") == "LIMITED OFFICIAL USE");
        CHECK_FALSE(normalise_classification("CONFIDENTIALLY"));
        auto r = read_classification_reference_line("UNCLAS SECTION 1 OF 2 STATE 123456");
        REQUIRE(r);
        CHECK(r->section == "SECTION 1 OF 2");
        REQUIRE(r->telegram);
        CHECK(r->telegram->post == "STATE");
        auto s = read_classification_reference_line("S E C R E T SECTO 08064");
        REQUIRE(s);
        CHECK_FALSE(s->telegram);
        REQUIRE(s->series);
        CHECK(format_series_tag(*s->series) == "SECTO 08064");
        CHECK_FALSE(read_classification_reference_line("SECRET TALKS WERE HELD ON 12 MAY"));
    }
    SECTION("the archive's lines") {
        auto p = read_page_line("PAGE 01 USUN N 01430 182351 Z");
        REQUIRE(p);
        CHECK(p->post == "USUN N");
        CHECK(p->time_group == "182351 Z");
        auto q = read_page_line("PAGE 01 MOSCOW 12345 01 OF 02 121001Z");
        REQUIRE(q);
        CHECK(q->section == "01 OF 02");
        CHECK(format_page_line(*q) == "PAGE 01 MOSCOW 12345 01 OF 02 121001Z");
        auto d = read_distribution_line("SS-15 USIA-15 OMB-01 RSR-01 ( ADP ) W");
        REQUIRE(d);
        CHECK(d->count == "( ADP ) W");
        CHECK_FALSE(read_distribution_line("INFO AMEMBASSY TOKYO"));
        CHECK(is_separator_line("------------------022183 082354Z /75"));
        CHECK_FALSE(is_separator_line("--- A TEXT"));
    }
    SECTION("the head of the text") {
        auto e = read_eo_line("E. O. 11652: GDS");
        REQUIRE(e);
        CHECK(e->category == "GDS");
        auto e2 = read_eo_line("E.O. 11652:XGDS-2");
        REQUIRE(e2);
        CHECK(e2->category == "XGDS-2");
        CHECK(read_tags_line("TAGS: OVIP (RUSH, KENNETH), AF") ==
              std::vector<std::string>{"OVIP (RUSH, KENNETH)", "AF"});
        auto r = read_reference_line("REF: A) STATE 92867; B) STATE 97839; C) STATE 97827");
        REQUIRE(r);
        CHECK(r->items ==
              std::vector<std::string>{"A) STATE 92867", "B) STATE 97839", "C) STATE 97827"});
        CHECK(r->separator == "; ");
        CHECK(read_handling_line("STADIS//////////////") == std::vector<std::string>{"STADIS"});
        CHECK(read_handling_line("NODIS CHEROKEE") ==
              std::vector<std::string>{"NODIS", "CHEROKEE"});
        CHECK_FALSE(read_subject_line("SUBJECT TO APPROVAL BY THE DEPARTMENT"));
    }
}
