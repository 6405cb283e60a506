#include <sstream>

#include <catch2/catch.hpp>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/text/text_util.hpp"
#include "support/files.hpp"

using namespace hakto::protocol;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    while (!out.empty() && trim(out.back()).empty()) out.pop_back();
    return out;
}

/// The documented policy between the printed record and page copy: Ø is the digit 0.
std::string policy(const std::string& s) {
    return fold_slashed_zero(s);
}

}  // namespace

TEST_CASE("the seed cable formats back line for line") {
    auto text = hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt"));
    auto doc = parse_document(text);
    format_options o;
    o.as_received = true;
    o.wrap_column = 0;
    auto out = lines_of(format_cable(doc.message, o));
    auto all = lines_of(text);
    // The cable part: from the routing line to the sign-off.
    std::vector<std::string> expected(all.begin() + 2, all.begin() + 26);
    REQUIRE(expected.front() == "WE DE WTE1Ø");
    REQUIRE(expected.back() == "WARM REGARDS");
    REQUIRE(out.size() == expected.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        INFO("line " << i + 1);
        CHECK(out[i] == policy(expected[i]));
    }
}

TEST_CASE("canonical page copy: every field, 69-column lines, and it reads back the same") {
    auto doc = parse_document(
        hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")));
    auto page = format_cable(doc.message);
    auto lines = lines_of(page);
    CHECK(lines[0] == "WE DE WTE10");
    CHECK(lines[1] == "O 211615Z JUN 72");
    CHECK(std::find(lines.begin(), lines.end(), "HAKTO 12") != lines.end());
    for (const auto& l : lines) CHECK(utf8_length(l) <= 69);
    auto again = parse_document(page).message;
    CHECK(again.routing == doc.message.routing);
    CHECK(again.prec == doc.message.prec);
    CHECK(again.date_time_group == doc.message.date_time_group);
    CHECK(again.series == doc.message.series);
    CHECK(again.to == doc.message.to);
    CHECK(again.from == doc.message.from);
    CHECK(again.paragraphs == doc.message.paragraphs);
    CHECK(again.signoff == doc.message.signoff);
    CHECK(again.inferred.empty());
}

TEST_CASE("ACP 127 envelope: format lines in order, FL3 SSN repeated in FL15, EOM") {
    auto doc = parse_document(
        hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")));
    auto c = doc.message;
    c.envelope =
        acp127_envelope{"WTA", 7, "OO", {"RUWTABA"}, "RUWTEKA", 123, "1731615", "ZNY TTTTT"};
    format_options o;
    o.style = header_style::acp127;
    auto text = format_cable(c, o);
    auto lines = lines_of(text);
    CHECK(lines[0] == "VZCZCWTA007");
    CHECK(lines[1] == "OO RUWTABA");
    CHECK(lines[2] == "DE RUWTEKA #0123 1731615");
    CHECK(lines[3] == "ZNY TTTTT");
    CHECK(lines[4] == "O 211615Z JUN 72");
    CHECK(lines[5] == "FM HENRY A KISSINGER");
    CHECK(lines[6] == "TO GENERAL HAIG, THE WHITE HOUSE");
    CHECK(lines[7] == "BT");
    auto bt2 = std::find(lines.begin() + 8, lines.end(), "BT");
    REQUIRE(bt2 != lines.end());
    CHECK(*(bt2 + 1) == "#0123");
    CHECK(lines.back() == "NNNN");
    CHECK(text.find("#0123\n\n\n\n\n\n\n\n\nNNNN\n") != std::string::npos);  // 8 LF before NNNN
    auto back = parse_document(text);
    CHECK_FALSE(has_errors(back.notes_for_reader));
    CHECK(back.message.envelope == c.envelope);
    CHECK(back.message.paragraphs == c.paragraphs);
    CHECK(back.message.routing->called == "RUWTABA");
}

TEST_CASE("an envelope derived from the routing line and DTG") {
    auto doc = parse_document(
        hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")));
    auto e = envelope_for(doc.message);
    CHECK(e.originating_ri == "WTE10");
    CHECK(e.routing_indicators == std::vector<std::string>{"WE"});
    CHECK(e.filing_time == "1731615");
    CHECK(e.security_warning == "ZNY TTTTT");
    CHECK(security_warning_for(std::string{"UNCLAS"}) == "ZNR UUUUU");
    CHECK(security_warning_for(std::string{"SECRET"}) == "ZNY SSSSS");
    CHECK(security_warning_for(std::nullopt).empty());
}
