// The line map: what the reader took each line of its input to be (hakto explain walks it).
#include <catch2/catch.hpp>

#include "protocol/cable/cable_parser.hpp"
#include "support/files.hpp"

using namespace hakto::protocol;

namespace {

const line_reading* at_line(const document& d, std::size_t line) {
    for (const auto& r : d.line_map)
        if (r.line == line) return &r;
    return nullptr;
}

}  // namespace

TEST_CASE("line map of the HAKTO 12 document: every non-blank line, in order, with its role") {
    auto text = hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt"));
    auto doc = parse_document(text);
    // Every non-blank line is in the map exactly once, in input order.
    std::size_t line = 0, non_blank = 0, start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        auto l = std::string_view{text}.substr(
            start, end == std::string::npos ? std::string::npos : end - start);
        ++line;
        if (l.find_first_not_of(" \t\r") != std::string_view::npos) {
            ++non_blank;
            INFO("line " << line << ": " << l);
            CHECK(at_line(doc, line) != nullptr);
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    CHECK(doc.line_map.size() == non_blank);
    for (std::size_t i = 1; i < doc.line_map.size(); ++i)
        CHECK(doc.line_map[i - 1].line < doc.line_map[i].line);

    auto role_at = [&](std::size_t n) {
        auto r = at_line(doc, n);
        REQUIRE(r);
        return r->role;
    };
    CHECK(role_at(1) == line_role::title);
    CHECK(role_at(3) == line_role::routing);         // WE DE WTE1Ø
    CHECK(role_at(5) == line_role::precedence_dtg);  // O 211615Z
    CHECK(role_at(7) == line_role::date_line);       // JUNE 21, 1972
    CHECK(role_at(9) == line_role::to);
    CHECK(role_at(11) == line_role::from);
    CHECK(role_at(13) == line_role::series);  // HAKTO
    // "1." alone, then its text: the number line starts paragraph 0, the text continues it.
    CHECK(role_at(15) == line_role::paragraph);
    CHECK(at_line(doc, 15)->index == 0);
    CHECK_FALSE(at_line(doc, 15)->continuation);
    CHECK(role_at(16) == line_role::paragraph);
    CHECK(at_line(doc, 16)->continuation);
    CHECK(at_line(doc, 23)->index == 4);  // "5."
    CHECK(role_at(26) == line_role::signoff);
    CHECK(role_at(28) == line_role::covering_marker);
    CHECK(role_at(30) == line_role::memo_date);
    CHECK(role_at(32) == line_role::page_marker);
    CHECK(role_at(34) == line_role::memo_for);
    CHECK(role_at(36) == line_role::memo_from);
    CHECK(role_at(38) == line_role::memo_subject);
    CHECK(role_at(40) == line_role::memo_paragraph);
    CHECK(role_at(42) == line_role::memo_bullet);
    CHECK(at_line(doc, 42)->index == 0);
    CHECK(at_line(doc, 46)->index == 4);
    CHECK(role_at(48) == line_role::memo_paragraph);
    // The source notes close the document.
    CHECK(doc.line_map.back().role == line_role::source_note);
}

TEST_CASE("line map of a full ACP 127 envelope") {
    auto doc = parse_document(
        "VZCZCWTA001\nOO RUWTE\nDE WTE10 #0001 1731615\nZNY TTTTT\nO 211615Z JUN 72\nFM HENRY A "
        "KISSINGER\n"
        "TO GENERAL HAIG\nBT\nTOP SECRET\nHAKTO 12\n1. TEXT OF THE CABLE.\nWARM "
        "REGARDS\nBT\n#0001\nNNNN\n");
    std::vector<line_role> roles;
    for (const auto& r : doc.line_map) roles.push_back(r.role);
    std::vector<line_role> expected{
        line_role::acp127_fl1, line_role::acp127_fl2,     line_role::acp127_fl3,
        line_role::acp127_fl4, line_role::precedence_dtg, line_role::from,
        line_role::to,         line_role::acp127_bt,      line_role::classification,
        line_role::series,     line_role::paragraph,      line_role::signoff,
        line_role::acp127_bt,  line_role::acp127_fl15,    line_role::acp127_end};
    CHECK(roles == expected);
}

TEST_CASE("line map: an address on the line after a bare TO, and a text-only input") {
    auto doc = parse_document("TO:\nGENERAL HAIG\nFROM:\nHENRY A KISSINGER\n\n1. ONE.\n");
    REQUIRE(doc.line_map.size() == 5);
    CHECK(doc.line_map[0].role == line_role::to);
    CHECK(doc.line_map[1].role == line_role::to);
    CHECK(doc.line_map[2].role == line_role::from);
    CHECK(doc.line_map[3].role == line_role::from);
    CHECK(doc.line_map[4].role == line_role::paragraph);
    CHECK(to_string(line_role::precedence_dtg) == "precedence-dtg");
}
