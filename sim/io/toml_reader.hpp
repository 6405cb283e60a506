#pragma once
// Reading TOML, the one way hakto does it (the scenarios, the memo rules, the explanation
// table): toml++ parses, and every problem names the file, the line and column inside the text,
// the field and what is wrong, in one format: "FILE:LINE:COL: FIELD: MESSAGE".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "protocol/text/expected.hpp"

namespace hakto::sim {

/// A place in a text: 1-based line and column (characters); 0 when not known.
struct toml_place {
    std::size_t line = 0;
    std::size_t column = 0;
    friend bool operator==(const toml_place&, const toml_place&) = default;
};

/// What is wrong in a TOML file, and where.
struct toml_problem {
    std::string file;
    toml_place where;
    std::string field;  ///< "circuit[2].speed", "element.dtg.value"; empty: the file as a whole
    std::string message;
    /// "FILE:LINE:COL: FIELD: MESSAGE"; the place and the field only when known.
    std::string to_string() const;
};

using toml_problems = std::vector<toml_problem>;

/// "FILE:…" lines, one a problem.
std::string to_string(const toml_problems& problems);

/// toml++ places an error met at the end of the input one column past the last character, or
/// on the line after the last: such a place is moved back to the end of the input, so that every
/// problem names a place the text has.
toml_place clamp_to_text(std::string_view text, toml_place p);

/// Where toml++ says a node stands (not clamped: a node always stands inside the text).
toml_place place_of(const toml::node& n);

/// Parses `text`; a syntax error is one problem, placed inside the text.
expected<toml::table, toml_problem> parse_toml(std::string_view text, std::string_view file);

}  // namespace hakto::sim
