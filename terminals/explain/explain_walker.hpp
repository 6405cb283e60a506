#pragma once
// The walk (inside terminals/explain only): one document's lines, each with the notes of the
// table that apply to it. explain_walk.cpp holds the walker's core, the text of the cable and
// the memo; explain_walk_header.cpp the header lines (routing, precedence and DTG, addresses,
// classification, series, the archive's head, the ACP 127 envelope).
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/cable/cable.hpp"
#include "protocol/text/text_template.hpp"
#include "terminals/explain/explain.hpp"

namespace hakto::terminals::explain_detail {

using values = protocol::template_values;

/// The spec of a known element; nullptr for an id the walkthrough does not know.
const explain_element_spec* spec_of(std::string_view id);

/// Byte offset of a 1-based character column.
std::size_t byte_of_column(std::string_view line, std::size_t column);
/// Finds `word` (case-insensitive) as a whole word at or after `from`; npos when absent.
std::size_t find_word(std::string_view line, std::string_view word, std::size_t from = 0);
/// The words of a pattern matched with any spacing ("NOT REPEAT NOT", "(PLEASE PROTECT)"):
/// returns {byte offset, byte length} of the first match in `line`, or npos.
std::pair<std::size_t, std::size_t> find_phrase(std::string_view line, std::string_view pattern);

class walker {
  public:
    walker(const protocol::document& doc, const explain_table& table);

    /// The contexts whose notes hold for this document: the June 1972 trip's cables (the trip
    /// station WTE10 on the routing line, or a HAKTO or TOHAK of June 1972), FRUS documents,
    /// State telegrams, the Situation Room form.
    static std::set<std::string> contexts_of(const protocol::document& doc);

    explained_line explain(std::size_t number, std::string text,
                           const protocol::line_reading* reading);

  private:
    // explain_walk.cpp: the notes, the walk, the text and the memo.
    void note(std::string_view id, std::string_view label, std::size_t byte, const values& v = {});
    void note_word(std::string_view id, std::string_view word, const values& v = {});
    void note_line(std::string_view id, const values& v = {});
    void annotate(const protocol::line_reading& r);
    std::size_t offset_in_line(std::string_view w) const;
    std::string restates(std::string_view memo_text) const;
    std::string c_memo_value(std::optional<std::string> protocol::memo::*field) const;
    void title();
    void paragraph(const protocol::line_reading& r);
    void text_features();

    // explain_walk_header.cpp: the header lines.
    static std::string joined(const std::vector<std::string>& v, std::string_view sep);
    static std::string to_lower(std::string_view s);
    std::string archive_value(std::optional<std::string> protocol::archive_head::*field) const;
    void precedence_words();
    void address(const protocol::line_reading& r);
    void classification();
    void classification_reference();
    void caption_note(std::string_view caption);
    void handling();
    void page_line();
    void distribution(const protocol::line_reading& r);
    void routing();
    void precedence_dtg();
    void series();
    void series_note(std::string_view text, std::size_t start);
    void envelope(protocol::line_role role);

    const protocol::document& doc_;
    const explain_table& table_;
    std::set<std::string> contexts_;
    explained_line* line_ = nullptr;
    std::set<protocol::line_role> seen_;
};

}  // namespace hakto::terminals::explain_detail
