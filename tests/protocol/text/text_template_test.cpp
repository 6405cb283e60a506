// The {placeholder} templates of the memo rules and the explanation table
// (protocol/text/text_template).
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "protocol/text/text_template.hpp"

using namespace hakto::protocol;
using names = std::vector<std::string>;

namespace {

constexpr std::array<std::string_view, 2> date_place{"date", "place"};

std::string error_of(std::string_view text, std::span<const std::string_view> known) {
    auto r = check_template(text, known);
    REQUIRE_FALSE(r);
    return r.error().message;
}

}  // namespace

TEST_CASE("fill_template replaces each placeholder with its value") {
    const template_values v{{"ordinal", "third"}, {"place", "Peking"}, {"date", "June 21, 1972"}};
    CHECK(fill_template("A {ordinal} report, from {place} on {date}.", v) ==
          "A third report, from Peking on June 21, 1972.");
    CHECK(fill_template("{place}{place} {date}", v) == "PekingPeking June 21, 1972");
    CHECK(fill_template("{place}", v) == "Peking");
    CHECK(fill_template("no placeholders here", v) == "no placeholders here");
    CHECK(fill_template("", v).empty());
    // A value is written as it is: braces in it are not filled again.
    CHECK(fill_template("[{a}]", {{"a", "{b}"}, {"b", "no"}}) == "[{b}]");
    CHECK(fill_template("WTE1Ø {word}", {{"word", "Ø"}}) == "WTE1Ø Ø");
}

TEST_CASE("fill_template writes a name without a value as (unknown)") {
    CHECK(fill_template("from {place} on {date}", {{"date", "June 21"}}) ==
          "from (unknown) on June 21");
    CHECK(fill_template("{mystery}", {}) == "(unknown)");
    CHECK(fill_template("[{}]", {{"date", "June 21"}}) == "[(unknown)]");
    // Names are matched exactly, case and spaces included.
    CHECK(fill_template("{Date} { date}", {{"date", "June 21"}}) == "(unknown) (unknown)");
}

TEST_CASE("fill_template keeps braces that close no placeholder as they are") {
    const template_values v{{"place", "Peking"}};
    CHECK(fill_template("See {place", v) == "See {place");
    CHECK(fill_template("{place} and {", v) == "Peking and {");
    CHECK(fill_template("a } b {place}", v) == "a } b Peking");
    CHECK(fill_template("{place}}", v) == "Peking}");
}

TEST_CASE("check_template lists the placeholders used, in order, each time it is used") {
    auto r = check_template("On {date} at {place}, again {date}.", date_place);
    REQUIRE(r);
    CHECK(r.value() == names{"date", "place", "date"});
    auto none = check_template("no placeholders", date_place);
    REQUIRE(none);
    CHECK(none.value().empty());
    auto empty = check_template("", {});
    REQUIRE(empty);
    CHECK(empty.value().empty());
}

TEST_CASE("check_template: an unknown placeholder is an error that lists the known ones") {
    CHECK(error_of("On {date} at {x}", date_place) ==
          "unknown placeholder {x} (known: date, place)");
    CHECK(error_of("{Date}", date_place) == "unknown placeholder {Date} (known: date, place)");
    CHECK(error_of("{}", date_place) == "unknown placeholder {} (known: date, place)");
    CHECK(error_of("{date}", {}) == "unknown placeholder {date} (known: none)");
}

TEST_CASE("check_template: a brace without its partner is an error at its character") {
    CHECK(error_of("See {place", date_place) == "a '{' without its '}' at character 5");
    CHECK(error_of("{date} and {", date_place) == "a '{' without its '}' at character 12");
    CHECK(error_of("a}", date_place) == "a '}' without its '{' at character 2");
    CHECK(error_of("{date}}", date_place) == "a '}' without its '{' at character 7");
    // The first problem met, reading from the start.
    CHECK(error_of("} {", date_place) == "a '}' without its '{' at character 1");
}

TEST_CASE("check_template counts characters, not bytes, in its places") {
    // "WTE1Ø" is five characters and six bytes; "—" one character and three bytes.
    CHECK(error_of("WTE1Ø {place", date_place) == "a '{' without its '}' at character 7");
    CHECK(error_of("— }", date_place) == "a '}' without its '{' at character 3");
}

TEST_CASE("check_template has no escapes: a doubled brace is not a literal brace") {
    CHECK_FALSE(check_template("{{date}}", date_place));
    CHECK_FALSE(check_template("{{", date_place));
    CHECK_FALSE(check_template("}}", date_place));
}
