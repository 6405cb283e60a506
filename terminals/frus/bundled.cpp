#include "terminals/frus/bundled.hpp"

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
    return {};
}

}  // namespace hakto::terminals
