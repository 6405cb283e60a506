#include <catch2/catch.hpp>

#include "protocol/text/diagnostic.hpp"

using namespace hakto::protocol;

TEST_CASE("diagnostics name the file, line and column") {
    diagnostic d{{3, 14}, severity::warning, "dtg-year-garbled", "year 772 read as 72"};
    CHECK(format_diagnostic("x.txt", d) ==
          "x.txt:3:14: warning [dtg-year-garbled] year 772 read as 72");
    CHECK(format_diagnostic("", diagnostic{{}, severity::error, "empty", "no text"}) ==
          "<input>: error [empty] no text");
    CHECK_FALSE(has_errors({d}));
    CHECK(has_errors({d, diagnostic{{}, severity::error, "x", "y"}}));
}
