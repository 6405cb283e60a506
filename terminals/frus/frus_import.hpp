#pragma once
// Reading backchannel documents out of FRUS TEI XML (the Office of the Historian's encoding of
// Foreign Relations of the United States): one-document files or whole volumes. Each
// <div type="document"> becomes a frus_document: its id, number, title, series tag, dateline,
// source and summary notes and body lines, the text of the document as published (the layout
// protocol::parse_document reads) and what the cable parser made of it. See docs/frus-import.md.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cable/cable.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/text/diagnostic.hpp"
#include "protocol/text/expected.hpp"

namespace hakto::terminals {

/// Why a file could not be imported: "FILE:LINE:COL: reason" when the place is known,
/// "FILE: reason" otherwise.
struct frus_error {
    std::string message;
};

struct frus_import_options {
    /// Return every <div type="document">, not only the backchannel ones.
    bool all_documents = false;
    /// Passed to protocol::parse_document for the published text.
    protocol::parse_options parse{};
};

/// A page break (<pb n="2"/>) inside or before a body line.
struct frus_page_break {
    std::size_t offset = 0;  ///< byte offset into frus_line::text; 0 = before the line
    std::string n;           ///< the page number as given ("2")
};

/// One body line: a <p>, a list item ("HEAD ITEM"), a table row, a nested heading.
struct frus_line {
    std::string text;  ///< whitespace collapsed; '\n' where the source has <lb/>; notes left out
    std::vector<frus_page_break> page_breaks;
    protocol::source_position where;  ///< in the XML
};

struct frus_note {
    int number = 0;    ///< @n, or the running number when @n is missing or not a number
    std::string type;  ///< @type: "source", "summary", or empty
    std::string text;  ///< whitespace collapsed
    bool in_title = false;
    protocol::source_position where;  ///< in the XML
};

struct frus_dateline {
    std::optional<std::string> place;  ///< <placeName>
    std::optional<std::string> when;   ///< <date when="…"> as given: "1972-06-19T18:01:00Z"
    std::string text;                  ///< "Beijing, June 19, 1972, 1801Z"
};

/// Why a document counts as a backchannel document.
enum class frus_recognition {
    none,               ///< it does not (returned only with all_documents)
    title_series,       ///< the title names a series: "… HAKTO 7 From …"
    title_backchannel,  ///< the title says "Backchannel Message"
    routing_line,       ///< the body holds a routing line "<called> DE <calling>"
};

std::string_view to_string(frus_recognition r);

struct frus_document {
    std::string file;           ///< the file name it was read from, as given
    std::string id;             ///< xml:id, "d140"
    std::optional<int> number;  ///< @n (or the id's digits), 140
    std::string title;          ///< the <head> without its notes, whitespace collapsed
    std::optional<protocol::series_tag> series;  ///< from the title: HAKTO 7
    std::optional<frus_dateline> dateline;
    std::optional<std::string> source_note;  ///< the text of <note type="source">
    std::optional<std::string> summary;      ///< the text of <note type="summary">
    std::vector<frus_note> notes;            ///< every note, title notes first, in document order
    std::vector<frus_line> cable_lines;      ///< body lines before "[Covering memorandum]"
    std::vector<frus_line> memo_lines;       ///< body lines after it
    bool has_covering_memo = false;
    frus_recognition recognised_by = frus_recognition::none;
    protocol::source_position where;  ///< the <div> in the XML

    /// The document as published: title line, cable lines, "[Covering memorandum]", memo
    /// lines, numbered notes ("  1. Source: …"), paragraphs separated by blank lines.
    std::string published_text;
    /// protocol::parse_document(published_text); its diagnostics are placed in published_text.
    protocol::document parsed;
    /// What the importer itself could not interpret; placed in the XML.
    protocol::diagnostics import_diagnostics;

    bool is_backchannel() const { return recognised_by != frus_recognition::none; }
};

/// Imports the documents of one TEI file (held in `xml`; `file_name` names it in messages).
/// Returns the backchannel documents in document order (every document with all_documents).
/// Errors: empty input, XML that is not well formed (with its line and column), a root that is
/// not <TEI>, no <div type="document">.
expected<std::vector<frus_document>, frus_error> import_frus(
    std::string_view xml, std::string_view file_name, const frus_import_options& options = {});

/// Reads and imports a file; an unreadable file is an error naming it.
expected<std::vector<frus_document>, frus_error> import_frus_file(
    const std::string& path, const frus_import_options& options = {});

/// True when `which` names the document: its id ("d141"), its number ("141") or its series
/// tag ("HAKTO 9", matched against the title's tag and the cable's).
bool frus_document_matches(const frus_document& doc, std::string_view which);

/// The index in `docs` of the one document `which` names. Errors: "WHICH not found in
/// FILES", or "WHICH matches d140, d200 in FILES" when a series tag names several.
/// `files` is only used in the messages.
expected<std::size_t, frus_error> locate_frus_document(const std::vector<frus_document>& docs,
                                                       std::string_view which,
                                                       const std::vector<std::string>& files);

/// Imports every file (all documents) and returns the one `which` names, or the first import
/// error, or a clear "not found in FILES".
expected<frus_document, frus_error> find_frus_document(const std::vector<std::string>& files,
                                                       std::string_view which,
                                                       const frus_import_options& options = {});

}  // namespace hakto::terminals
