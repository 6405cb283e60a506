#include <algorithm>

#include <catch2/catch.hpp>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/cable_tape.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "support/files.hpp"

using namespace hakto::protocol;

namespace {
cable seed_cable() {
    return parse_document(
               hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")))
        .message;
}
}  // namespace

TEST_CASE("a cable's line codes decode back to its page copy") {
    auto c = seed_cable();
    auto codes = cable_line_codes(c);
    REQUIRE(codes);
    CHECK(codes.value().substitutions.empty());
    auto text = from_page_copy_line_ends(decode(codes.value().codes));
    // The encoder folds case: the page copy prints "LAIRD".
    auto expected = format_cable(c);
    std::transform(expected.begin(), expected.end(), expected.begin(), [](char ch) {
        return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
    });
    CHECK(text == expected);
    // Every line ends CR CR LF.
    const auto& v = codes.value().codes;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] == codes::lf) {
            REQUIRE(i >= 2);
            CHECK(v[i - 1] == codes::cr);
            CHECK(v[i - 2] == codes::cr);
        }
}

TEST_CASE("the ACP 127 envelope ends with 2 CR, 8 LF, NNNN and 12 LTRS") {
    format_options o;
    o.style = header_style::acp127;
    auto codes = cable_line_codes(seed_cable(), o);
    REQUIRE(codes);
    const auto& v = codes.value().codes;
    REQUIRE(v.size() > 30);
    // Tail: … CR CR LF (end of "#0001") CR CR LF×8, LTRS (the SSN left the printer in
    // figures), N N N N, LTRS×12.
    std::vector<code> tail(v.end() - 12, v.end());
    CHECK(tail == std::vector<code>(12, codes::ltrs));
    std::vector<code> nnnn(v.end() - 16, v.end() - 12);
    CHECK(nnnn == std::vector<code>(4, 0x0C));  // N
    CHECK(*(v.end() - 17) == codes::ltrs);
    std::vector<code> lfs(v.end() - 25, v.end() - 17);
    CHECK(lfs == std::vector<code>(8, codes::lf));
    CHECK(*(v.end() - 26) == codes::cr);
    CHECK(*(v.end() - 27) == codes::cr);
    CHECK(*(v.end() - 28) == codes::lf);  // the end of the FL15 line
}
