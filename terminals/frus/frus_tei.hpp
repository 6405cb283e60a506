#pragma once
// Reading TEI (inside terminals/frus only): the XML of FRUS documents into the body lines, notes,
// title and dateline of a frus_document, with the places in the XML. Assembling the published
// text and parsing it is frus_import.cpp's.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "protocol/text/diagnostic.hpp"
#include "terminals/frus/frus_import.hpp"

namespace hakto::terminals::frus_detail {

/// Byte offset → 1-based line and character column.
class line_index {
  public:
    explicit line_index(std::string_view text);
    protocol::source_position at(std::ptrdiff_t offset) const;

  private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

std::string_view local_name(const pugi::xml_node& n);
/// The attribute with this local name ("id" finds xml:id), or an empty attribute.
pugi::xml_attribute find_attribute(const pugi::xml_node& n, std::string_view local);
/// Where a node starts: the '<' of an element, the first character of text.
std::ptrdiff_t node_offset(const pugi::xml_node& n);
/// The whole of `s` (trimmed) as a number, or nothing.
std::optional<int> to_int(std::string_view s);
bool is_ws(char c);

/// Visits the descendants of `top` in document order without recursion; `f(node)` returns
/// whether to descend into the node.
template <class F>
void preorder(const pugi::xml_node& top, F&& f) {
    for (auto it = top.first_child(); it;) {
        if (f(it) && it.first_child()) {
            it = it.first_child();
            continue;
        }
        while (it && it != top && !it.next_sibling()) it = it.parent();
        if (!it || it == top) break;
        it = it.next_sibling();
    }
}

/// Reads one <div type="document"> into `doc`: its id and number, the title (<head>), the
/// dateline, the notes, the body lines split at "[Covering memorandum]", and what the reading
/// could not interpret (doc.import_diagnostics, placed in the XML by `index`).
void read_document_div(const pugi::xml_node& div, const line_index& index, frus_document& doc);

}  // namespace hakto::terminals::frus_detail
