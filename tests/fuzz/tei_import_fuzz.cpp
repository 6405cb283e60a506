// fuzz-link: hakto_frus
// terminals::import_frus on arbitrary bytes (TEI XML or not), every document returned.
// Properties, each a crash when broken:
// - no exception escapes;
// - an error names the file;
// - every place the importer gives (documents, lines, notes, its own diagnostics) is inside the
//   XML, and every diagnostic of the cable parser is inside the published text it read;
// - a page break's offset lies within its line's text.
#include <string>

#include "fuzz_support.hpp"
#include "terminals/frus/frus_import.hpp"

using namespace hakto::terminals;
using hakto::protocol::source_position;

namespace {

std::string show(const source_position& p) {
    return std::to_string(p.line) + ":" + std::to_string(p.column);
}

void check_place(const hakto::fuzz::line_table& table, const source_position& p,
                 std::string_view what) {
    if (p.line == 0) return;  // "not known"
    HAKTO_FUZZ_CHECK(table.inside(p.line, p.column), what, show(p));
}

}  // namespace

HAKTO_FUZZ_ENTRY(tei_import) {
    auto xml = hakto::fuzz::as_text(data, size);
    hakto::fuzz::no_exception("import_frus", [&] {
        frus_import_options options;
        options.all_documents = true;
        auto imported = import_frus(xml, "fuzz.xml", options);
        if (!imported) {
            HAKTO_FUZZ_CHECK(imported.error().message.rfind("fuzz.xml", 0) == 0,
                             "an error names the file", imported.error().message);
            return;
        }
        hakto::fuzz::line_table table{xml, false};
        for (const auto& doc : imported.value()) {
            check_place(table, doc.where, "a document's place is inside the XML");
            for (const auto* lines : {&doc.cable_lines, &doc.memo_lines})
                for (const auto& line : *lines) {
                    check_place(table, line.where, "a line's place is inside the XML");
                    for (const auto& pb : line.page_breaks)
                        HAKTO_FUZZ_CHECK(pb.offset <= line.text.size(),
                                         "a page break lies within its line");
                }
            for (const auto& note : doc.notes)
                check_place(table, note.where, "a note's place is inside the XML");
            for (const auto& d : doc.import_diagnostics) {
                HAKTO_FUZZ_CHECK(!d.code.empty() && !d.message.empty(),
                                 "an import diagnostic has a code and a message");
                check_place(table, d.where, "an import diagnostic's place is inside the XML");
            }
            hakto::fuzz::line_table published{doc.published_text};
            for (const auto& d : doc.parsed.notes_for_reader)
                check_place(published, d.where,
                            "a parser diagnostic's place is inside the published text");
        }
    });
    return 0;
}
