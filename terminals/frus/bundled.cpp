#include "terminals/frus/bundled.hpp"

#include <stdexcept>

#include "sim/io/embedded.hpp"

namespace hakto::terminals {
namespace detail {
extern const embedded_file bundled_document_files[];
extern const std::size_t bundled_document_files_count;
}  // namespace detail

std::string_view bundled_document(std::string_view frus_id) {
    // hakto12.txt is FRUS E-13 doc 143.
    if (frus_id != "d143") return {};
    for (std::size_t i = 0; i < detail::bundled_document_files_count; ++i)
        if (detail::bundled_document_files[i].name == "hakto12.txt")
            return detail::bundled_document_files[i].text;
    // Broken built-in data is a broken build: stop (main reports it), as the memo rules and the
    // explanation table do, rather than go on as if doc 143 were not bundled.
    throw std::runtime_error(
        "the bundled document hakto12.txt (FRUS E-13 doc 143) is not built "
        "in (a broken build)");
}

}  // namespace hakto::terminals
