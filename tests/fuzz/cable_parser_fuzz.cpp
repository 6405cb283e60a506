// fuzz-link: hakto_protocol
// protocol::parse_document on arbitrary bytes (page copy, published documents, garbage).
// Properties, each a crash when broken:
// - no exception escapes the parser or the formatter;
// - every diagnostic has a code and a message, and every error has a place inside the input
//   (a diagnostic with a place at all has it inside the input);
// - for a cable with a routing line and numbered paragraphs with text, writing it back
//   (canonical page copy, unwrapped) and reading that again gives the same page copy:
//   format ∘ parse is a fixed point on the formatter's output.
#include <string>

#include "fuzz_support.hpp"
#include "protocol/cable_formatter.hpp"
#include "protocol/cable_parser.hpp"
#include "protocol/diagnostic.hpp"

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

}  // namespace

HAKTO_FUZZ_ENTRY(cable_parser) {
    auto input = hakto::fuzz::as_text(data, size);
    hakto::fuzz::no_exception("parse_document and format_cable", [&] {
        auto doc = parse_document(input);
        check_diagnostics(input, doc);

        // Unwrapped: wrapping drops the spaces at a break (a run of them too), by design.
        format_options unwrapped;
        unwrapped.wrap_column = 0;
        auto page = format_cable(doc.message, unwrapped);
        (void)format_cable(doc.message);  // wrapped, and in the ACP 127 envelope: never a crash
        unwrapped.style = header_style::acp127;
        (void)format_cable(doc.message, unwrapped);
        // The round trip is defined for a cable with a routing line and numbered paragraphs (as
        // the June 1972 cables are): the page copy then starts with the routing line, and text
        // cannot pass for a header line. Without a routing line, a first paragraph such as
        // "140. Report from Beijing, June 21" reads, rightly, as a published document's title;
        // an unnumbered paragraph "O 200102 S..." right after the header reads as a DTG.
        if (!doc.message.routing) return;
        // A number whose text never came ("1." at the very end) leaves an empty paragraph: written
        // back as "1." alone, it takes the next line as its text, by design ("1." then
        // "WARM REGARDS" is a paragraph). No round trip for those either.
        for (const auto& p : doc.message.paragraphs)
            if (!p.number || p.text.empty()) return;
        auto again = parse_document(page);
        check_diagnostics(page, again);
        auto page_again =
            format_cable(again.message, format_options{header_style::abbreviated, 0, false});
        HAKTO_FUZZ_CHECK(page_again == page, "format(parse(format(c))) == format(c)",
                         "first:\n" + page + "\nsecond:\n" + page_again);
    });
    return 0;
}
