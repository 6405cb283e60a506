#pragma once
// The tolerant reader of page copy. It takes what a teleprinter printed, or a document as
// published (title, cable, "[Covering memorandum]", memo, numbered source notes), and returns
// the cable model with diagnostics (line, column, code, message). Like an operator, it reads
// through garbles and odd layouts and says what it noticed rather than giving up: a year
// "772", a DTG without month and year, a series tag without its number, TO before or after
// FROM, with or without colons, mixed-case names inside all-capital text.
#include <string_view>

#include "protocol/cable/cable.hpp"

namespace hakto::protocol {

struct parse_options {
    /// Fill what the cable leaves out from its context (the date line, the title, the source
    /// note), marking each such field in cable::inferred and saying so in a note.
    bool infer_from_context = true;
    /// Diagnostics of one code beyond this many are summed up in one note.
    std::size_t max_diagnostics_per_code = 20;
};

document parse_document(std::string_view input, const parse_options& options = {});

/// Reads a memo date such as "June 21, 1972" or "JUNE 21, 1972" → {1972, 6, 21}.
std::optional<calendar_date> read_calendar_date(std::string_view text);

}  // namespace hakto::protocol
