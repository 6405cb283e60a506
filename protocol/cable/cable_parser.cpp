// parse_document: the parts of a document found (title, cable, memo, notes), each read by its
// reader (cable_reading.hpp).
#include "protocol/cable/cable_parser.hpp"

#include "protocol/cable/cable_reading.hpp"

namespace hakto::protocol {

using namespace reading;

document parse_document(std::string_view input, const parse_options& options) {
    document doc;
    reporter report{options.max_diagnostics_per_code};
    auto lines = split_lines(input, report);

    std::size_t i = 0, n = lines.size();
    while (i < n && blank(lines[i])) ++i;
    if (i == n) {
        report({1, 1}, severity::error, "empty", "the input holds no text");
        doc.notes_for_reader = report.finish();
        return doc;
    }
    // Parts: title, cable, memo, notes.
    if (lines[i].text.size() < long_line_limit && looks_like_title(lines[i].text)) {
        doc.title = read_title(lines[i]);
        doc.parts.push_back({document_part_kind::title, lines[i].number, lines[i].number});
        doc.line_map.push_back(line_reading{lines[i].number, line_role::title, 0, false});
        ++i;
    }
    std::size_t cable_first = i, memo_first = n, notes_first = n;
    bool marker = false;
    for (std::size_t k = i; k < n; ++k) {
        if (is_covering_marker(lines[k].text)) {
            memo_first = k;
            marker = true;
            break;
        }
        if (starts_with_word(trim(lines[k].text), "MEMORANDUM") &&
            lines[k].text.find("FOR") != std::string::npos) {
            memo_first = k;
            break;
        }
        if (is_notes_start(lines[k].text)) {
            notes_first = k;
            break;
        }
    }
    std::size_t cable_last = std::min(memo_first, notes_first);
    if (memo_first < n) {
        for (std::size_t k = memo_first + 1; k < n; ++k)
            if (is_notes_start(lines[k].text)) {
                notes_first = k;
                break;
            }
    }

    cable_reader cable{lines, report, doc};
    cable.read(cable_first, cable_last);
    if (cable_first < cable_last)
        doc.parts.push_back(
            {document_part_kind::cable, lines[cable_first].number, lines[cable_last - 1].number});

    if (memo_first < n) {
        std::size_t first = memo_first + (marker ? 1 : 0);
        if (marker)
            doc.line_map.push_back(
                line_reading{lines[memo_first].number, line_role::covering_marker, 0, false});
        std::size_t last = std::min(notes_first, n);
        if (first < last) {
            memo_reader mr{lines, report, doc};
            mr.read(first, last);
            doc.covering_memo = std::move(mr.m);
            doc.parts.push_back(
                {document_part_kind::memo, lines[memo_first].number, lines[last - 1].number});
        } else {
            report({lines[memo_first].number, 1}, severity::warning, "memo-empty",
                   "the covering memorandum marker is followed by nothing");
        }
    }
    if (notes_first < n) {
        read_notes(lines, notes_first, n, doc);
        doc.parts.push_back(
            {document_part_kind::notes, lines[notes_first].number, lines[n - 1].number});
    }

    auto& c = doc.message;
    bool any_cable = c.routing || c.date_time_group || c.prec || c.series ||
                     !c.paragraphs.empty() || c.signoff || c.from || !c.to.empty() || c.archive ||
                     c.telegram;
    if (!any_cable) {
        // A title alone leaves i past the last line: the place is then the title's line.
        report({lines[std::min(i, n - 1)].number, 1}, severity::error, "no-cable",
               "no cable was found: no routing line, DTG, series tag or text");
    } else {
        if (options.infer_from_context) infer_from_context(doc, cable, report);
        cross_check(doc, report);
        auto where = source_position{lines[cable_first < n ? cable_first : 0].number, 1};
        if (!c.routing && c.envelope && !c.envelope->originating_ri.empty() &&
            !c.envelope->routing_indicators.empty()) {
            // ACP 127: the called and calling stations are format lines 2 and 3.
            c.routing = read_routing_line(c.envelope->routing_indicators.front() + " DE " +
                                          c.envelope->originating_ri);
        }
        // What each form is expected to give. A State telegram has no routing line (the
        // routing indicators were the communications centre's), and the FRUS printed form has
        // no header at all: the title gives what it can.
        const bool radioteletype =
            c.form == cable_form::radioteletype || c.form == cable_form::acp127;
        const bool printed = c.form == cable_form::frus_printed;
        if (!c.routing && radioteletype)
            report(where, severity::warning, "routing-missing",
                   "the cable has no routing line (<called> DE <calling>)");
        if (!c.prec)
            report(where, printed ? severity::note : severity::warning, "precedence-missing",
                   printed ? "the printed text gives no precedence, and the title none either"
                           : "the cable gives no precedence prosign");
        if (!c.date_time_group)
            report(where, severity::warning, "dtg-missing", "the cable gives no date-time group");
        if (c.form == cable_form::state_telegram || c.form == cable_form::situation_room) {
            if (!c.from)
                report(where, severity::warning, "from-missing", "the telegram has no FM line");
            if (c.to.empty())
                report(where, severity::warning, "to-missing", "the telegram has no TO line");
        }
        if (c.paragraphs.empty())
            report(where, severity::warning, "no-text", "the cable has no text");
        if (!c.signoff && !c.signature && !c.paragraphs.empty() && (radioteletype || printed))
            report(where, severity::note, "signoff-missing", "the cable has no sign-off");
        if (cable.pending_address)
            report(where, severity::warning, "address-empty", "an address line has no value");
    }
    doc.notes_for_reader = report.finish();
    return doc;
}

}  // namespace hakto::protocol
