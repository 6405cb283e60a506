#pragma once
// The annotated walkthrough of a cable (`hakto explain`): each line of a cable or a published
// document, with a note for every element on it (what it is, why it is there, what this cable's
// element says, where the facts come from) and the parser's diagnostics where they belong.
//
// The explanations are data: terminals/explain/data/elements.toml, compiled in. The same table
// serves the exhibit page as JSON (explain_table_json()). See docs/teachers-guide.md.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/cable/cable.hpp"
#include "protocol/text/expected.hpp"
#include "sim/io/toml_reader.hpp"

namespace hakto::terminals {

/// What the table says of an element for some cables only: the June 1972 HAKTO cables, the
/// documents FRUS prints, State telegrams, the Situation Room form.
struct explain_context_note {
    std::string context;  ///< "june1972", "frus", "state", "sitroom"
    std::string text;
    std::vector<std::string> sources;  ///< keys of explain_table::sources
};

/// The contexts a note may be for, and what each means.
const std::vector<std::pair<std::string_view, std::string_view>>& explain_contexts();

/// One element of a cable, as the table explains it.
struct explain_element {
    std::string id;                           ///< "routing.called"
    std::string title;                        ///< "Called station"
    std::string text;                         ///< the explanation
    std::string value_template;               ///< "Called: {called}." (may be empty)
    std::vector<std::string> sources;         ///< keys of explain_table::sources
    std::vector<explain_context_note> notes;  ///< for particular cables only
    std::size_t line = 0;                     ///< where the table defines it
};

struct explain_source {
    std::string key;   ///< "frus-d143"
    std::string text;  ///< the citation
};

struct explain_table {
    std::vector<explain_element> elements;  ///< in file order
    std::vector<explain_source> sources;    ///< in file order
    const explain_element* find(std::string_view id) const;
    const explain_source* source(std::string_view key) const;
};

/// The problems of a table file, each "FILE:LINE:COL: FIELD: MESSAGE" (the one format of
/// hakto's TOML problems, sim/io/toml_reader.hpp; "FILE: MESSAGE" for the file as a whole).
struct explain_table_error {
    sim::toml_problems problems;
    std::string to_string() const;  ///< one problem a line
};

/// The elements the walkthrough knows and the placeholders each one's value may use.
struct explain_element_spec {
    std::string_view id;
    std::vector<std::string_view> placeholders;
};
const std::vector<explain_element_spec>& explain_element_specs();

/// Reads a table. Errors: TOML syntax, unknown keys, an element or source missing or unknown,
/// an unknown placeholder (checked here, so that filling a value meets none), a source key that
/// is not defined; each with its place.
expected<explain_table, explain_table_error> load_explain_table(std::string_view toml,
                                                                std::string_view file);
/// The table compiled into the program.
expected<explain_table, explain_table_error> load_builtin_explain_table();
/// The same, loaded once. A table that does not load is a broken build, never an empty table:
/// this throws std::runtime_error with the problems, which stops the program in main ("hakto:
/// internal error: …", exit 70). The tests load it and require no problem.
const explain_table& builtin_explain_table();

/// The table as JSON, for the exhibit page: {"sources": {key: text}, "elements": {id: {title,
/// text, value, placeholders, sources, notes: {context: {text, sources}}}}}. Placeholders are
/// filled from the walkthrough's values.
nlohmann::ordered_json explain_table_json(const explain_table& table = builtin_explain_table());

/// One note under a line: one element of it.
struct explain_note {
    std::string element;     ///< the table id, "dtg.zone"
    std::string label;       ///< the characters of the line it is about ("Z"); empty: the line
    std::size_t column = 0;  ///< 1-based column of the label in the line; 0: the whole line
    std::string title;       ///< from the table
    std::string value;       ///< the table's value template, filled for this cable
    std::string text;        ///< from the table: the element in general
    std::string note;        ///< what the table says of it for this cable in particular
    std::vector<std::string> sources;  ///< source keys (the note's after the text's)
};

struct explained_line {
    std::size_t number = 0;  ///< 1-based line of the text
    std::string text;        ///< the line as read
    std::string role;        ///< protocol::to_string(line_role), empty when the line was not read
    bool continuation = false;
    std::vector<explain_note> notes;
    protocol::diagnostics diagnostics;  ///< the parser's, placed on this line
};

struct walkthrough {
    std::string name;                          ///< "hakto12.txt", "frus1969-76ve13-d140.xml d140"
    std::vector<explained_line> lines;         ///< the non-blank lines, in order
    protocol::diagnostics unplaced;            ///< diagnostics that belong to no one line
    protocol::diagnostics import_diagnostics;  ///< from a FRUS import, placed in the XML
};

/// Walks `text` (what `doc` was parsed from) line by line. `doc` must come from
/// protocol::parse_document(text).
walkthrough explain_document(std::string_view name, std::string_view text,
                             const protocol::document& doc,
                             const explain_table& table = builtin_explain_table());

nlohmann::ordered_json to_json(const walkthrough& w);

struct explain_render_options {
    std::size_t wrap = 78;  ///< wrap at this column; 0: no wrapping
    bool colour = false;    ///< ANSI colours (on a terminal)
};

/// The walkthroughs as text: each line of the cable, then its notes and diagnostics under it,
/// then the sources cited, numbered in order of first use.
std::string render_walkthroughs(const std::vector<walkthrough>& ws, const explain_table& table,
                                const explain_render_options& options);

}  // namespace hakto::terminals
