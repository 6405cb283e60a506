#pragma once
// Diagnostics: what a tolerant reader says about its input, with the place it says it of.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hakto::protocol {

enum class severity { note, warning, error };

std::string_view to_string(severity s);

/// 1-based line and column (in characters, not bytes). 0 means "not known".
struct source_position {
    std::size_t line = 0;
    std::size_t column = 0;
    friend bool operator==(const source_position&, const source_position&) = default;
};

struct diagnostic {
    source_position where;
    severity level = severity::warning;
    std::string code;     ///< stable, machine-readable, e.g. "dtg-month-inferred"
    std::string message;  ///< one sentence for a person
};

using diagnostics = std::vector<diagnostic>;

bool has_errors(const diagnostics& ds);

/// "file:line:col: warning [code] message" (file may be empty).
std::string format_diagnostic(std::string_view file, const diagnostic& d);

}  // namespace hakto::protocol
