#include "protocol/text/diagnostic.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hakto::protocol {

std::string_view to_string(severity s) {
    switch (s) {
        case severity::note:
            return "note";
        case severity::warning:
            return "warning";
        case severity::error:
            return "error";
    }
    return "error";
}

bool has_errors(const diagnostics& ds) {
    return std::any_of(ds.begin(), ds.end(),
                       [](const diagnostic& d) { return d.level == severity::error; });
}

std::string format_diagnostic(std::string_view file, const diagnostic& d) {
    std::string place{file.empty() ? "<input>" : file};
    if (d.where.line != 0) {
        place += fmt::format(":{}", d.where.line);
        if (d.where.column != 0) place += fmt::format(":{}", d.where.column);
    }
    return fmt::format("{}: {} [{}] {}", place, to_string(d.level), d.code, d.message);
}

}  // namespace hakto::protocol
