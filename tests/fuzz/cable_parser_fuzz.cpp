// fuzz-link: hakto_protocol
// protocol::parse_document on arbitrary bytes (page copy, published documents, garbage).
// Properties, each a crash when broken:
// - no exception escapes the parser or the formatter;
// - every diagnostic has a code and a message, and every error has a place inside the input
//   (a diagnostic with a place at all has it inside the input);
// - for a cable with a routing line (or a form other than the radioteletype header) and
//   numbered paragraphs with text, writing it back in its own form (unwrapped) and reading
//   that again keeps every field, and gives the same page copy: format ∘ parse is a fixed
//   point on the formatter's output.
#include <string>

#include "../support/cable_fields.hpp"
#include "fuzz_support.hpp"
#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/text/diagnostic.hpp"

using namespace hakto::protocol;

namespace {

std::string describe(const diagnostic& d) {
    return std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + " [" + d.code +
           "] " + d.message;
}

void check_diagnostics(std::string_view input, const document& doc) {
    hakto::fuzz::line_table table{input};
    for (const auto& d : doc.notes_for_reader) {
        HAKTO_FUZZ_CHECK(!d.code.empty() && !d.message.empty(),
                         "every diagnostic has a code and a message", describe(d));
        if (d.level == severity::error)
            HAKTO_FUZZ_CHECK(d.where.line != 0, "every error has a place", describe(d));
        if (d.where.line != 0)
            HAKTO_FUZZ_CHECK(table.inside(d.where.line, d.where.column),
                             "a diagnostic's place is inside the input", describe(d));
    }
}

format_options unwrapped_own_form() {
    format_options o;
    o.style = header_style::as_read;
    o.wrap_column = 0;
    return o;
}

}  // namespace

HAKTO_FUZZ_ENTRY(cable_parser) {
    auto input = hakto::fuzz::as_text(data, size);
    hakto::fuzz::no_exception("parse_document and format_cable", [&] {
        auto doc = parse_document(input);
        check_diagnostics(input, doc);

        // Unwrapped: wrapping drops the spaces at a break (a run of them too), by design.
        auto unwrapped = unwrapped_own_form();
        auto page = format_cable(doc.message, unwrapped);
        (void)format_cable(doc.message);  // wrapped, and in the ACP 127 envelope: never a crash
        unwrapped.style = header_style::acp127;
        (void)format_cable(doc.message, unwrapped);
        // The round trip is defined for a cable with a routing line and numbered paragraphs (as
        // the June 1972 cables are): the page copy then starts with the routing line, and text
        // cannot pass for a header line. Without a routing line, a first paragraph such as
        // "140. Report from Beijing, June 21" reads, rightly, as a published document's title;
        // an unnumbered paragraph "O 200102 S..." right after the header reads as a DTG.
        if (!doc.message.routing && doc.message.form == cable_form::radioteletype) return;
        // A number whose text never came ("1." at the very end) leaves an empty paragraph: written
        // back as "1." alone, it takes the next line as its text, by design ("1." then
        // "WARM REGARDS" is a paragraph). No round trip for those either.
        for (const auto& p : doc.message.paragraphs)
            if (!p.number || p.text.empty()) return;
        auto again = parse_document(page);
        check_diagnostics(page, again);
        auto page_again = format_cable(again.message, unwrapped_own_form());
        HAKTO_FUZZ_CHECK(page_again == page, "format(parse(format(c))) == format(c)",
                         "first:\n" + page + "\nsecond:\n" + page_again);
        // Fields a title or a source note supplied are the document's, not the copy's: the
        // printed form writes none of them back.
        for (const char* f : {"from", "to", "dtg"})
            if (doc.message.inferred.count(f)) return;
        if (doc.message.form == cable_form::frus_printed &&
            doc.message.inferred.count("classification"))
            return;
        auto lost = hakto::test::field_differences(doc.message, again.message);
        std::string detail;
        for (const auto& l : lost) detail += l + "\n";
        HAKTO_FUZZ_CHECK(lost.empty(), "parse(format(c)) keeps every field of c",
                         detail + "written:\n" + page);
    });
    return 0;
}
