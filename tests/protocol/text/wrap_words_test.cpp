// wrap_words: the one word wrap of the memo and the explanations (protocol/text/text_util).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "protocol/text/text_util.hpp"

using namespace hakto::protocol;
using lines = std::vector<std::string>;

TEST_CASE("wrap_words fills lines of at most the width, one space between words") {
    CHECK(wrap_words("THREE AND A HALF HOUR SESSION", 10) ==
          lines{"THREE AND", "A HALF", "HOUR", "SESSION"});
    CHECK(wrap_words("ab cd", 5) == lines{"ab cd"});  // exactly the width fits
    CHECK(wrap_words("ab cd", 4) == lines{"ab", "cd"});
    // Runs of spaces and tabs are one break; the text's own spacing is not kept.
    CHECK(wrap_words("  ab \t  cd  ", 80) == lines{"ab cd"});
}

TEST_CASE("wrap_words: a word longer than a line stands alone, unbroken") {
    CHECK(
        wrap_words("a https://history.state.gov/historicaldocuments/frus1969-76ve13/d143 b", 20) ==
        lines{"a", "https://history.state.gov/historicaldocuments/frus1969-76ve13/d143", "b"});
    CHECK(wrap_words("SUPERCALIFRAGILISTIC", 5) == lines{"SUPERCALIFRAGILISTIC"});
}

TEST_CASE("wrap_words counts characters, not bytes") {
    // "WTE1Ø" is five characters and six bytes; "— " two characters and four bytes.
    CHECK(wrap_words("WE DE WTE1Ø", 11) == lines{"WE DE WTE1Ø"});
    CHECK(wrap_words("\xE2\x80\x94 a b", 5) == lines{"\xE2\x80\x94 a b"});
    CHECK(wrap_words("\xE2\x80\x94 a b", 4) == lines{"\xE2\x80\x94 a", "b"});
}

TEST_CASE("wrap_words: the first line and the others may start further right") {
    // A label of 6 columns before the first line, an indent of 8 before the others.
    CHECK(wrap_words("one two three four", 12, 6, 8) == lines{"one", "two", "three", "four"});
    CHECK(wrap_words("one two three four", 16, 6, 8) == lines{"one two", "three", "four"});
    CHECK(wrap_words("one two three four", 16, 0, 8) == lines{"one two three", "four"});
    // The first word goes on the first line even when the label leaves no room for it.
    CHECK(wrap_words("alpha beta", 8, 10, 0) == lines{"alpha", "beta"});
}

TEST_CASE("wrap_words: no width is no wrapping, and no words is one empty line") {
    CHECK(wrap_words("a b c d e f g h i j k l m n o p", 0) ==
          lines{"a b c d e f g h i j k l m n o p"});
    CHECK(wrap_words("", 72) == lines{""});
    CHECK(wrap_words(" \t ", 72) == lines{""});
    CHECK(wrap_words("", 0, 4, 4) == lines{""});
}
