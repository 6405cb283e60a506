#include <catch2/catch.hpp>

#include "protocol/cable/garble.hpp"

using namespace hakto::protocol;

TEST_CASE("garbled words are spotted, real words, names and typos are not") {
    auto g = find_garbled_words("FROM: HWENMJIJ Kissinger");
    REQUIRE(g.size() == 1);
    CHECK(g[0].word == "HWENMJIJ");
    CHECK(g[0].offset == 6);
    // Typos of the record read as words: they are kept and not flagged.
    CHECK(
        find_garbled_words("IN SEPERATE COUNTERPART MEETING THE WAS EXPRESSEDLY TONIGHTS").empty());
    CHECK(find_garbled_words("CHOU EN-LAI CHIAO KUAN-HUA PODGORNY SFRC PRC DESULTORY CEASEFIRE")
              .empty());
    CHECK(find_garbled_words("Le Duc Tho McGovern").empty());  // mixed case is never judged
    // A FIGS hit: letters turned to figures in the middle of a word.
    auto f = find_garbled_words("THE W3R IS OVER");
    REQUIRE(f.size() == 1);
    CHECK(f[0].word == "W3R");
    CHECK(find_garbled_words("21ST JUNE 1972, 3 1/2 HOURS").empty());
    CHECK(letter_pair_count('M', 'J') == 0);
    CHECK(letter_pair_count('T', 'H') > 1000);
}
