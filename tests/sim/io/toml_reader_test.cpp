// The one TOML reader and its one format of problems (sim/io/toml_reader).
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "protocol/text/text_util.hpp"
#include "sim/io/toml_reader.hpp"

using namespace hakto::sim;

namespace {

/// The number of lines of `text`, the empty one after a final newline counted: the lines a
/// place may name.
std::size_t line_count(std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

/// True when `p` names a place `text` has: a line of it, and a column on that line or just
/// after its last character.
bool inside(std::string_view text, toml_place p) {
    if (p.line < 1 || p.line > line_count(text) || p.column < 1) return false;
    std::size_t start = 0;
    for (std::size_t l = 1; l < p.line; ++l) start = text.find('\n', start) + 1;
    auto end = text.find('\n', start);
    auto line = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    return p.column <= hakto::protocol::utf8_length(line) + 1;
}

}  // namespace

TEST_CASE("parse_toml reads a good document, and place_of says where its nodes stand") {
    const std::string_view text =
        "# a scenario\n"
        "[scenario]\n"
        "name = \"June 1972\"\n"
        "speed = 75\n"
        "\n"
        "[[station]]\n"
        "id = \"WTE1Ø\"\n"
        "[[station]]\n"
        "id = \"WHCA\"\n";
    auto r = parse_toml(text, "june1972.toml");
    REQUIRE(r);
    const toml::table& t = r.value();
    CHECK(t["scenario"]["name"].value<std::string>() == "June 1972");
    CHECK(t["scenario"]["speed"].value<std::int64_t>() == 75);
    const auto* stations = t["station"].as_array();
    REQUIRE(stations);
    REQUIRE(stations->size() == 2);
    CHECK((*stations)[0].as_table()->at("id").value<std::string>() == "WTE1Ø");
    CHECK((*stations)[1].as_table()->at("id").value<std::string>() == "WHCA");

    const auto* speed = t["scenario"]["speed"].node();
    REQUIRE(speed);
    CHECK(place_of(*speed) == toml_place{4, 9});
    const auto* second = (*stations)[1].as_table()->get("id");
    REQUIRE(second);
    CHECK(place_of(*second) == toml_place{9, 6});
}

TEST_CASE("parse_toml: a syntax error is one problem naming the file, line, column and reason") {
    auto r = parse_toml("a = 1\nb = 2 3\nc = 4\n", "bad.toml");
    REQUIRE_FALSE(r);
    const auto& p = r.error();
    CHECK(p.file == "bad.toml");
    CHECK(p.where == toml_place{2, 7});  // the stray '3'
    CHECK(p.field.empty());
    CHECK_FALSE(p.message.empty());
    CHECK(p.message.find("'3'") != std::string::npos);
    CHECK(p.to_string() == "bad.toml:2:7: " + p.message);
}

TEST_CASE("parse_toml counts columns in characters, not bytes") {
    // "ØØ" is two characters and four bytes: the stray x is character 10, byte 12.
    auto r = parse_toml("s = \"ØØ\" x\n", "utf8.toml");
    REQUIRE_FALSE(r);
    CHECK(r.error().where == toml_place{1, 10});
}

TEST_CASE("parse_toml places an error met at the end of the input inside the text") {
    for (std::string_view text : {"a = ", "a = \"abc", "x = 1\ny = [1,\n", "x = [1,", "x = [1,\n\n",
                                  "a = \"\"\"abc\n", "[table\n", "a = 1\nb = [\n  1,\n"}) {
        CAPTURE(text);
        auto r = parse_toml(text, "eof.toml");
        REQUIRE_FALSE(r);
        CAPTURE(r.error().where.line, r.error().where.column);
        CHECK(inside(text, r.error().where));
    }
    // An unterminated array on the last line: the end of that line, just after the ','.
    auto array = parse_toml("x = 1\ny = [1,\n", "eof.toml");
    REQUIRE_FALSE(array);
    CHECK(array.error().where == toml_place{2, 8});
    // An unterminated multi-line string: just after its last character.
    auto string = parse_toml("a = \"\"\"abc\n", "eof.toml");
    REQUIRE_FALSE(string);
    CHECK(string.error().where == toml_place{1, 11});
}

TEST_CASE("parse_toml: text that is not UTF-8 is a problem, not an exception") {
    auto r = parse_toml("a = \"\xff\"\n", "latin1.toml");
    REQUIRE_FALSE(r);
    CHECK(r.error().file == "latin1.toml");
    CHECK(r.error().where.line == 1);
    CHECK_FALSE(r.error().message.empty());
}

TEST_CASE("clamp_to_text leaves a place inside the text as it is") {
    const std::string_view text = "ab\ncde\n";
    CHECK(clamp_to_text(text, {1, 1}) == toml_place{1, 1});
    CHECK(clamp_to_text(text, {2, 2}) == toml_place{2, 2});
    CHECK(clamp_to_text(text, {2, 4}) == toml_place{2, 4});  // just after "cde"
    CHECK(clamp_to_text(text, {3, 1}) == toml_place{3, 1});  // after the final newline
}

TEST_CASE("clamp_to_text moves a column past the end of its line back to the line's end") {
    const std::string_view text = "ab\ncde\nf";
    CHECK(clamp_to_text(text, {1, 4}) == toml_place{1, 3});
    CHECK(clamp_to_text(text, {2, 5}) == toml_place{2, 4});
    CHECK(clamp_to_text(text, {2, 40}) == toml_place{2, 4});
    CHECK(clamp_to_text(text, {3, 3}) == toml_place{3, 2});
    // Characters, not bytes: "WTE1Ø" is five characters, six bytes.
    CHECK(clamp_to_text("id = \"WTE1Ø\"", {1, 14}) == toml_place{1, 13});
    CHECK(clamp_to_text("id = \"WTE1Ø\"", {1, 13}) == toml_place{1, 13});
}

TEST_CASE("clamp_to_text moves a line past the last back to the end of the input") {
    CHECK(clamp_to_text("a = 1\nb = [", {3, 1}) == toml_place{2, 6});
    CHECK(clamp_to_text("a = 1\nb = [", {9, 4}) == toml_place{2, 6});
    // After a final newline the input ends at the start of the empty line that follows it.
    CHECK(clamp_to_text("a = 1\n", {3, 1}) == toml_place{2, 1});
    CHECK(clamp_to_text("", {2, 1}) == toml_place{1, 1});
    CHECK(clamp_to_text("ØØ", {2, 1}) == toml_place{1, 3});
}

TEST_CASE("toml_problem::to_string: FILE:LINE:COL: FIELD: MESSAGE, the place and field if known") {
    toml_problem placed{"net.toml", {22, 6}, "station[2].id", "station 'AAA' is defined twice"};
    CHECK(placed.to_string() == "net.toml:22:6: station[2].id: station 'AAA' is defined twice");
    toml_problem no_field{"net.toml", {3, 1}, "", "expected a value"};
    CHECK(no_field.to_string() == "net.toml:3:1: expected a value");
    toml_problem no_place{"net.toml", {}, "circuit", "no circuit is defined"};
    CHECK(no_place.to_string() == "net.toml: circuit: no circuit is defined");
    toml_problem only_file{"net.toml", {}, "", "is empty"};
    CHECK(only_file.to_string() == "net.toml: is empty");
}

TEST_CASE("to_string of problems: one line a problem, in order") {
    CHECK(to_string(toml_problems{}).empty());
    toml_problems ps{{"a.toml", {1, 2}, "x", "first"}, {"b.toml", {}, "", "second"}};
    CHECK(to_string(ps) == "a.toml:1:2: x: first\nb.toml: second\n");
}
