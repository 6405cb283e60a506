#include <catch2/catch.hpp>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/teletype/line_discipline.hpp"

using namespace hakto::protocol;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string part;
    std::istringstream in{s};
    while (std::getline(in, part, sep)) out.push_back(part);
    if (!s.empty() && s.back() == sep) out.emplace_back();
    return out;
}

std::vector<std::string> words_of(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in{s};
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

}  // namespace

TEST_CASE("wrap_text breaks at spaces") {
    CHECK(wrap_text("THE QUICK BROWN FOX", 9) == "THE QUICK\nBROWN FOX");
    CHECK(wrap_text("THE QUICK BROWN FOX", 10) == "THE QUICK\nBROWN FOX");
    CHECK(wrap_text("THE QUICK BROWN FOX", 19) == "THE QUICK BROWN FOX");
    CHECK(wrap_text("A B C D E", 3) == "A B\nC D\nE");
    CHECK(wrap_text("AB   CD", 4) == "AB\nCD");          // the spaces at a break are dropped
    CHECK(wrap_text("  AB CD EF", 5) == "  AB\nCD EF");  // an indent that fits is kept
    CHECK(wrap_text("   ABCD", 4) == "ABCD");            // one that does not is dropped
    CHECK(wrap_text("A\n\nB C", 1) == "A\n\nB\nC");      // empty lines are kept
    CHECK(wrap_text("", 69) == "");
    CHECK(wrap_text("AB CD", 0) == "A\nB\nC\nD");  // column 0 is 1
}

TEST_CASE("a word longer than the column is broken hard") {
    CHECK(wrap_text("ABCDEFGHIJ KL", 4) == "ABCD\nEFGH\nIJ\nKL");
    CHECK(wrap_text("XY ABCDEFGHIJ", 4) == "XY\nABCD\nEFGH\nIJ");
}

TEST_CASE("69 characters fit, the 70th wraps") {
    const std::string line69(69, 'X');
    CHECK(wrap_text(line69) == line69);
    const std::string text = std::string(40, 'A') + " " + std::string(29, 'B');  // 70
    CHECK(wrap_text(text) == std::string(40, 'A') + "\n" + std::string(29, 'B'));
    CHECK(wrap_text(std::string(40, 'A') + " " + std::string(28, 'B')) ==
          std::string(40, 'A') + " " + std::string(28, 'B'));
}

TEST_CASE("columns are counted in characters, and invalid UTF-8 is carried through") {
    const std::string e = "\xC3\x89";  // É
    CHECK(wrap_text(e + e + e + " " + e + e + e, 3) == e + e + e + "\n" + e + e + e);
    CHECK(wrap_text(e + e + e + e + e, 5) == e + e + e + e + e);
    CHECK(wrap_text("\xFF\xFF \xFF", 2) == "\xFF\xFF\n\xFF");
    CHECK(wrap_text("\xE2\x80 \xE2\x80", 1) == "\xE2\x80\n\xE2\x80");
}

TEST_CASE("random text wrapped at 69: no line too long, no short word split") {
    std::mt19937 rng{1972};
    std::uniform_int_distribution<int> word_length{1, 14};
    std::uniform_int_distribution<int> long_word{50, 69};
    std::uniform_int_distribution<int> words_per_line{0, 40};
    std::uniform_int_distribution<int> spaces{1, 3};
    std::uniform_int_distribution<int> letter{'A', 'Z'};
    std::uniform_int_distribution<int> percent{0, 99};
    for (int n = 0; n < 300; ++n) {
        std::string text;
        const int lines = 1 + n % 5;
        for (int l = 0; l < lines; ++l) {
            if (l > 0) text += '\n';
            const int count = words_per_line(rng);
            for (int w = 0; w < count; ++w) {
                if (w > 0) text.append(static_cast<std::size_t>(spaces(rng)), ' ');
                const int len = percent(rng) < 5 ? long_word(rng) : word_length(rng);
                for (int i = 0; i < len; ++i) text += static_cast<char>(letter(rng));
            }
        }
        const std::string wrapped = wrap_text(text);
        for (const std::string& line : split(wrapped, '\n')) CHECK(line.size() <= 69);
        // Every word (all are at most 69 characters) comes through whole and in order.
        CHECK(words_of(wrapped) == words_of(text));
        // Wrapping wrapped text changes nothing.
        CHECK(wrap_text(wrapped) == wrapped);
    }
}

TEST_CASE("random text with over-long words: no line exceeds the column, nothing lost") {
    std::mt19937 rng{621};
    std::uniform_int_distribution<int> word_length{1, 150};
    std::uniform_int_distribution<int> letter{'A', 'Z'};
    for (int n = 0; n < 200; ++n) {
        std::string text;
        for (int w = 0; w < 10; ++w) {
            if (w > 0) text += ' ';
            const int len = word_length(rng);
            for (int i = 0; i < len; ++i) text += static_cast<char>(letter(rng));
        }
        const std::string wrapped = wrap_text(text, 69);
        for (const std::string& line : split(wrapped, '\n')) {
            CHECK(line.size() <= 69);
            CHECK_FALSE(line.empty());
        }
        std::string a, b;
        for (const char c : text)
            if (c != ' ') a += c;
        for (const char c : wrapped)
            if (c != ' ' && c != '\n') b += c;
        CHECK(a == b);
    }
}

TEST_CASE("page copy line ends are CR CR LF") {
    CHECK(to_page_copy_line_ends("A\nB\n") == "A\r\r\nB\r\r\n");
    CHECK(to_page_copy_line_ends("A\r\nB") == "A\r\r\nB");
    CHECK(to_page_copy_line_ends("A\rB") == "A\rB");  // a lone CR stays
    CHECK(to_page_copy_line_ends("A\r") == "A\r");
    const std::string once = to_page_copy_line_ends("X\nY\r\n\nZ");
    CHECK(once == "X\r\r\nY\r\r\n\r\r\nZ");
    CHECK(to_page_copy_line_ends(once) == once);

    CHECK(from_page_copy_line_ends("A\r\r\nB\r\nC\nD\rE\r") == "A\nB\nC\nD\rE\r");
    CHECK(from_page_copy_line_ends(to_page_copy_line_ends("ONE\nTWO\n\nTHREE")) ==
          "ONE\nTWO\n\nTHREE");
}

TEST_CASE("LTRS fill") {
    CHECK(ltrs_fill(0).empty());
    CHECK(ltrs_fill(3) == std::vector<code>{0x1F, 0x1F, 0x1F});
    CHECK(ltrs_fill(12).size() == 12);
}
