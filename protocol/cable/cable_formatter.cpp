#include "protocol/cable/cable_formatter.hpp"

#include <fmt/format.h>

#include "protocol/cable/cable_lines.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

const std::vector<header_field> canonical_order = {
    header_field::routing,   header_field::precedence_dtg,
    header_field::date_line, header_field::classification,
    header_field::to,        header_field::from,
    header_field::info,      header_field::series};

bool printed(const cable& c, const format_options& o, const char* field) {
    return !(o.as_received && c.inferred.count(field));
}

/// Appends a block of text, wrapped when asked, one '\n' after each line.
void put(std::string& out, std::string_view text, std::size_t wrap) {
    if (wrap == 0) {
        out += text;
        out += '\n';
        return;
    }
    auto wrapped = wrap_text(text, wrap);
    out += wrapped;
    if (wrapped.empty() || wrapped.back() != '\n') out += '\n';
}

std::string address_line(const char* word, const std::string& value, bool colon) {
    // "TO DE X" would read as a routing line ("<called> DE <calling>"): a colon keeps it an
    // address.
    if (starts_with_word(trim(value), "DE")) colon = true;
    return fmt::format("{}{} {}", word, colon ? ":" : "", value);
}

/// The marking as the cable wrote it, or the normalised one.
std::optional<std::string> marking_of(const cable& c) {
    if (c.classification_as_written) return c.classification_as_written;
    return c.classification;
}

/// The ACP 127 format lines 2 and 4 a cable carried without format line 1 (a tape-relay
/// heading above the radioteletype one).
void put_envelope_lines(std::string& out, const cable& c) {
    if (!c.envelope) return;
    const auto& e = *c.envelope;
    if (!e.routing_indicators.empty()) {
        std::string fl2 = e.precedence_prosigns;
        for (const auto& ri : e.routing_indicators) fl2 += (fl2.empty() ? "" : " ") + ri;
        out += fl2 + '\n';
    }
    if (!e.security_warning.empty()) out += e.security_warning + '\n';
}

/// The classification line, with the telegram's reference, section, series and captions when
/// the cable has them ("C O N F I D E N T I A L PEKING 2167 EXDIS"); `captions` is set to how
/// many handling items it wrote.
std::optional<std::string> classification_line(const cable& c, const format_options& o,
                                               std::size_t& captions) {
    captions = 0;
    auto m = marking_of(c);
    if (m && !printed(c, o, "classification")) m.reset();
    const bool series_on_line =
        c.series && c.layout.series_on_classification_line && c.series->number;
    if (!m && !c.telegram && !series_on_line) return std::nullopt;
    std::string line = m ? *m : std::string{};
    if (c.section && (c.telegram || series_on_line)) line += " " + *c.section;
    if (c.telegram)
        line += (line.empty() ? "" : " ") +
                fmt::format("{} {}", c.telegram->post, c.telegram->number_text);
    if (series_on_line) line += " " + format_series_tag(*c.series);
    if (c.telegram || series_on_line)
        for (; captions < c.layout.handling_on_classification_line && captions < c.handling.size();
             ++captions)
            line += " " + c.handling[captions];
    return line;
}

void put_abbreviated_header(std::string& out, const cable& c, const format_options& o,
                            std::size_t& captions_written) {
    const bool as_received = o.as_received;
    const bool reference_line =
        c.telegram || (c.series && c.layout.series_on_classification_line && c.series->number);
    put_envelope_lines(out, c);
    const auto& order =
        (as_received && !c.layout.header_order.empty()) ? c.layout.header_order : canonical_order;
    const bool colon = as_received && c.layout.address_colon;
    bool first = true, to_done = false, info_done = false, from_done = false;
    auto line = [&](const std::string& s) {
        if (!first && as_received && c.layout.blank_line_between_headers) out += '\n';
        first = false;
        put(out, s, o.wrap_column);
    };
    for (auto f : order) {
        switch (f) {
            case header_field::routing:
                if (c.routing) line(format_routing_line(*c.routing));
                break;
            case header_field::precedence_dtg:
                if (as_received && c.layout.dtg_as_printed)
                    line((c.prec ? std::string(1, precedence_letter(*c.prec)) + " "
                                 : std::string{}) +
                         *c.layout.dtg_as_printed);
                else if ((c.prec || c.date_time_group) && printed(c, o, "dtg"))
                    line(format_precedence_dtg(c, printed(c, o, "dtg.month")));
                break;
            case header_field::date_line:
                if (c.date_line) line(*c.date_line);
                break;
            case header_field::to:
                if (to_done || !printed(c, o, "to")) break;
                to_done = true;
                for (const auto& a : c.to) line(address_line("TO", format_addressee(a), colon));
                break;
            case header_field::from:
                if (from_done || !c.from || !printed(c, o, "from")) break;
                from_done = true;
                line(address_line("FROM", *c.from, colon));
                break;
            case header_field::info:
                if (info_done) break;
                info_done = true;
                for (const auto& a : c.info) line(address_line("INFO", format_addressee(a), colon));
                break;
            case header_field::classification:
                // A classification-and-reference line opens the text: written after the heading.
                if (reference_line) break;
                if (auto l = classification_line(c, o, captions_written)) line(*l);
                break;
            case header_field::series:
                if (c.series && !(c.layout.series_on_classification_line && c.telegram))
                    line(format_series_tag(*c.series, printed(c, o, "series.number")));
                break;
        }
    }
    if (c.via) line("VIA " + *c.via);
    if (c.message_number) line(*c.message_number);
    if (reference_line)
        if (auto l = classification_line(c, o, captions_written)) line(*l);
}

std::string paragraph_label(const paragraph& p) {
    return fmt::format("{}{}", *p.number, p.parenthesis ? ')' : '.');
}

void put_text(std::string& out, const cable& c, const format_options& o, bool blank_between,
              bool own_line_numbers) {
    bool first = true;
    for (const auto& p : c.paragraphs) {
        if (!first && blank_between) out += '\n';
        first = false;
        if (p.number && own_line_numbers) {
            out += paragraph_label(p) + "\n";
            put(out, p.text, o.wrap_column);
        } else if (p.number) {
            put(out, fmt::format("{} {}", paragraph_label(p), p.text), o.wrap_column);
        } else {
            put(out, p.text, o.wrap_column);
        }
    }
}

void put_closing(std::string& out, const cable& c, const format_options& o, bool blank_before) {
    if (c.signoff) {
        if (blank_before) out += '\n';
        put(out, *c.signoff, o.wrap_column);
    }
    if (c.signature) put(out, *c.signature, 0);
}

/// Addressees: the first after the keyword, each further one on a line of its own (format
/// lines 7 and 8 run on over as many lines as they need) when an FM line stands before them,
/// as the reader takes a run-on addressee only in the FM, TO, INFO order; else each with its
/// keyword.
void put_addressees(std::string& out, const char* keyword, const std::vector<addressee>& list,
                    bool run_on) {
    for (std::size_t k = 0; k < list.size(); ++k) {
        auto a = format_addressee(list[k]);
        out += k == 0 || !run_on || !reads_back_as_run_on_addressee(a)
                   ? address_line(keyword, a, false)
                   : a;
        out += '\n';
    }
}

/// Handling captions on as few lines as read back the same: captions, then at most one
/// phrase that ends the line.
void put_handling(std::string& out, const std::vector<std::string>& items) {
    std::string line;
    for (const auto& h : items) {
        // A phrase stays on the line of the captions before it: alone it would not read as
        // handling.
        if (!line.empty() && is_handling_caption(h) &&
            line.size() + 1 + h.size() > page_copy_line_length) {
            out += line + '\n';
            line.clear();
        }
        if (!line.empty()) line += ' ';
        line += h;
        if (!is_handling_caption(h)) {
            out += line + '\n';
            line.clear();
        }
    }
    if (!line.empty()) out += line + '\n';
}

/// E.O., TAGS, SUBJECT and REF, the head of a State telegram's text. `handling_from` skips the
/// captions already written on the classification line.
void put_text_head(std::string& out, const cable& c, const format_options& o,
                   std::size_t handling_from, bool opened) {
    // Captions, instructions and a repeat notice stand in the head of the text, which the
    // classification-and-reference line or BT opens: without either, BT opens it.
    if (!opened &&
        (c.repeat_notice || handling_from < c.handling.size() || !c.instructions.empty()))
        out += "BT\n";
    if (c.repeat_notice) {
        put(out, *c.repeat_notice, 0);
        // A notice that does not close with a full stop would take the next line as its own.
        if (c.repeat_notice->empty() || c.repeat_notice->back() != '.') out += '\n';
    }
    put_handling(
        out, std::vector<std::string>(c.handling.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                               handling_from, c.handling.size())),
                                      c.handling.end()));
    for (std::size_t k = 0; k < c.instructions.size(); ++k) {
        // A blank line keeps an instruction apart that would read as running on from the one
        // before.
        if (k > 0 && !starts_instruction(c.instructions[k])) out += '\n';
        put(out, c.instructions[k], 0);
    }
    if (c.eo) put(out, c.eo->as_written, 0);
    if (!c.tags.empty()) {
        // Broken after a comma where the line would be too long: the reader takes a TAGS line
        // that ends with a comma as going on.
        std::string line = "TAGS:";
        for (std::size_t k = 0; k < c.tags.size(); ++k) {
            const auto& t = c.tags[k];
            // Never a line of its own for a tag that would read as the start of the memo, a
            // note or a paragraph.
            bool safe_start =
                !starts_with_word(t, "MEMORANDUM") && !read_paragraph_number(t) && t.front() != '[';
            if (k > 0 && safe_start && line.size() + 1 + t.size() > page_copy_line_length) {
                out += line + '\n';
                line = t;
            } else {
                line += " " + t;
            }
            if (k + 1 < c.tags.size()) line += ',';
        }
        out += line + '\n';
    }
    if (c.subject)
        put(out, fmt::format("{}: {}", c.layout.subject_keyword, *c.subject), o.wrap_column);
    if (!c.references.empty()) {
        const auto& k = c.layout.reference_keyword;
        if (c.layout.references_on_own_lines) {
            put(out, fmt::format("{}: {}", k, c.references.front()), 0);
            for (std::size_t r = 1; r < c.references.size(); ++r) put(out, c.references[r], 0);
        } else {
            std::string refs;
            for (const auto& r : c.references)
                refs += (refs.empty() ? "" : c.layout.reference_separator) + r;
            put(out, fmt::format("{}: {}", k, refs), 0);
        }
    }
}

/// The offices of the distribution, wrapped at the page width with the count kept whole.
void put_distribution(std::string& out, const distribution_block& d, std::size_t wrap) {
    if (d.action) out += fmt::format("{} {}\n", d.action_kind, *d.action);
    std::vector<std::string> words = d.info;
    if (d.count) words.push_back(*d.count);
    if (words.empty()) return;
    std::string line = "INFO";
    // The block keeps the archive's page width even when the text is not wrapped.
    const std::size_t width = wrap == 0 ? page_copy_line_length : wrap;
    for (const auto& w : words) {
        if (line.size() + 1 + w.size() > width && line != "INFO") {
            out += line + '\n';
            line = w;
        } else {
            line += (line.empty() ? "" : " ") + w;
        }
    }
    out += line + '\n';
}

/// What the archive printed above a telegram (PlusD): marking, page line, number,
/// distribution, drafter, clearances, separator. Left out with archive_head = false.
void put_archive_head(std::string& out, const cable& c, const format_options& o) {
    if (!o.archive_head || !c.archive) return;
    const auto& a = *c.archive;
    if (a.marking) out += *a.marking + '\n';
    if (a.page) out += format_page_line(*a.page) + '\n';
    if (a.number_line && a.page) out += *a.number_line + '\n';
    if (a.distribution) put_distribution(out, *a.distribution, o.wrap_column);
    if (a.number_line && !a.page) out += *a.number_line + '\n';
    if (a.drafted_by) out += "DRAFTED BY " + *a.drafted_by + '\n';
    if (a.approved_by) out += "APPROVED BY " + *a.approved_by + '\n';
    for (const auto& cl : a.clearances) out += cl + '\n';
    // On the keyword's line: alone on the next it could read as a line of another kind.
    if (a.desired_distribution)
        out += a.desired_distribution->empty()
                   ? std::string{"DESIRED DISTRIBUTION\n"}
                   : "DESIRED DISTRIBUTION " + *a.desired_distribution + '\n';
    if (a.separator) out += *a.separator + '\n';
    // Without the separator the clearances would take the next line as one more.
    else if ((a.approved_by || a.desired_distribution))
        out += '\n';
}

/// Lines of the heading that any form may carry: a plain date line, the Situation Room's VIA
/// and message number.
void put_heading_extras(std::string& out, const cable& c) {
    if (c.date_line) out += *c.date_line + '\n';
    if (c.via) out += "VIA " + *c.via + '\n';
    if (c.message_number) out += *c.message_number + '\n';
}

/// The end of message is written when the cable had one, and after a signature: the reader
/// takes a name for the signature when the end of the message follows it.
bool ends_with_marker(const cable& c) {
    return c.layout.end_of_message || c.signature;
}

/// The first line of the text as it will be written: a paragraph's, the sign-off, the signature.
std::string first_text_line(const cable& c) {
    if (!c.paragraphs.empty()) {
        const auto& p = c.paragraphs.front();
        return p.number ? fmt::format("{}{} {}", *p.number, p.parenthesis ? ')' : '.', p.text)
                        : p.text;
    }
    if (c.signoff) return *c.signoff;
    if (c.signature) return *c.signature;
    return {};
}

/// When the addressees are the last lines of the heading, a text line that would read as one
/// more addressee gets a blank line before it.
void keep_text_apart_from_addressees(std::string& out, const cable& c,
                                     std::size_t after_addressees) {
    if (out.size() != after_addressees || (c.to.empty() && c.info.empty())) return;
    auto first = first_text_line(c);
    if (!first.empty() && is_run_on_addressee_shape(first.substr(0, first.find('\n')))) out += '\n';
}

/// The head of the text needs BT to open it: no classification-and-reference line does, and
/// it holds captions, instructions or a repeat notice.
bool text_head_needs_bt(const cable& c) {
    const bool reference =
        c.telegram || (c.series && c.layout.series_on_classification_line && c.series->number);
    return !reference &&
           (c.repeat_notice || c.handling.size() > c.layout.handling_on_classification_line ||
            !c.instructions.empty());
}

void put_state_telegram(std::string& out, const cable& c, const format_options& o) {
    put_archive_head(out, c, o);
    put_envelope_lines(out, c);  // a tape-relay heading the telegram carried, if any
    if ((c.prec || c.date_time_group) && printed(c, o, "dtg"))
        out += format_precedence_dtg(c) + '\n';
    const bool fm = c.from && printed(c, o, "from");
    if (fm) out += "FM " + *c.from + '\n';
    if (printed(c, o, "to")) put_addressees(out, "TO", c.to, fm);
    put_addressees(out, "INFO", c.info, fm);
    const auto after_addressees = out.size();
    put_heading_extras(out, c);
    if (c.layout.bt_before_text || text_head_needs_bt(c)) out += "BT\n";
    // The classification-and-reference line opens the text.
    std::size_t captions_on_line = 0;
    if (auto line = classification_line(c, o, captions_on_line)) out += *line + '\n';
    const bool series_on_line =
        c.series && c.layout.series_on_classification_line && c.series->number;
    if (c.series && !series_on_line) out += format_series_tag(*c.series) + '\n';
    put_text_head(out, c, o, captions_on_line, true);
    // An unnumbered text after the head stands apart, so that it cannot read as a subject or a
    // reference running on.
    if (!c.paragraphs.empty() && !c.paragraphs.front().number &&
        (c.subject || !c.references.empty() || c.repeat_notice))
        out += '\n';
    keep_text_apart_from_addressees(out, c, after_addressees);
    put_text(out, c, o, false, false);
    put_closing(out, c, o, false);
    if (ends_with_marker(c)) out += c.layout.end_marker + '\n';
}

void put_situation_room(std::string& out, const cable& c, const format_options& o) {
    put_archive_head(out, c, o);
    const auto* e = c.envelope ? &*c.envelope : nullptr;
    if (e && !e->precedence_prosigns.empty() && c.precedence_words)
        out += fmt::format("{} {}\n", e->precedence_prosigns, *c.precedence_words);
    if (e && !e->routing_indicators.empty()) {
        std::string fl2 = e->precedence_prosigns;
        for (const auto& ri : e->routing_indicators) fl2 += (fl2.empty() ? "" : " ") + ri;
        out += fl2 + '\n';
    }
    if (e && !e->originating_ri.empty()) {
        out += fmt::format("DE {} #{:04}", e->originating_ri, e->station_serial);
        if (!e->filing_time.empty()) out += " " + e->filing_time;
        out += '\n';
    }
    if (e && !e->security_warning.empty()) out += e->security_warning + '\n';
    if (c.routing) {
        std::optional<routing_line> derived;
        if (e && !e->routing_indicators.empty() && !e->originating_ri.empty())
            derived = read_routing_line(e->routing_indicators.front() + " DE " + e->originating_ri);
        if (!derived || !(*derived == *c.routing)) out += format_routing_line(*c.routing) + '\n';
    }
    // The precedence line, unless the precedence in words said all it does.
    const bool words_say_it =
        c.precedence_words && precedence_from_word(*c.precedence_words) == c.prec;
    if ((c.date_time_group || (c.prec && !words_say_it)) && printed(c, o, "dtg"))
        out += format_precedence_dtg(c) + '\n';
    if (c.from) {
        std::string from = "FM " + *c.from;
        if (c.series && c.layout.series_in_from)
            from += " //" + format_series_tag(*c.series) + "//";
        out += from + '\n';
    }
    put_addressees(out, "TO", c.to, c.from.has_value());
    put_addressees(out, "INFO", c.info, c.from.has_value());
    const auto after_addressees = out.size();
    put_heading_extras(out, c);
    if (c.layout.bt_before_text || text_head_needs_bt(c)) out += "BT\n";
    std::size_t captions = 0;
    if (auto l = classification_line(c, o, captions)) out += *l + '\n';
    const bool series_on_line =
        c.layout.series_on_classification_line && (c.telegram || c.classification);
    if (c.series && !(c.layout.series_in_from && c.from) && !series_on_line)
        out += format_series_tag(*c.series) + '\n';
    put_text_head(out, c, o, captions, true);
    keep_text_apart_from_addressees(out, c, after_addressees);
    put_text(out, c, o, false, false);
    put_closing(out, c, o, false);
    if (ends_with_marker(c)) {
        if (c.layout.bt_before_text || text_head_needs_bt(c)) out += "BT\n";
        if (e && !e->originating_ri.empty()) out += fmt::format("#{:04}\n", e->station_serial);
        out += c.layout.end_marker + '\n';
    }
}

std::string printed_series(const cable& c) {
    if (!c.series) return {};
    auto s = format_series_tag(*c.series);
    if (c.layout.series_title_case && s.size() > 1)
        for (std::size_t i = 1; i < c.series->name.size() && i < s.size(); ++i)
            s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    return s;
}

void put_frus_printed(std::string& out, const cable& c, const format_options& o) {
    // FRUS prints the series and its number at the head of the first paragraph.
    std::string head = printed_series(c);
    if (!head.empty()) head += '.';
    bool first = true;
    for (const auto& p : c.paragraphs) {
        if (!first) out += '\n';
        std::string text = p.number ? fmt::format("{} {}", paragraph_label(p), p.text) : p.text;
        if (first && !head.empty()) text = head + " " + text;
        put(out, text, o.wrap_column);
        first = false;
    }
    if (first && !head.empty()) out += head + '\n';
    put_closing(out, c, o, !c.paragraphs.empty());
}

void put_acp127(std::string& out, const cable& c, const format_options& o) {
    // ACP 127 format lines (protocol facts §1.2, item 9 of the model list).
    auto e = envelope_for(c);
    put_archive_head(out, c, o);
    out += fmt::format("VZCZC{}{:03}\n", e.channel_designator, e.channel_serial % 1000);  // FL1
    // FL2: the precedence twice and the routing indicators. Without indicators there is
    // nothing to route by, and prosigns alone would read as the precedence line.
    // The precedence in words first: the reader takes it only before any precedence.
    if (!e.precedence_prosigns.empty() && c.precedence_words)
        out += fmt::format("{} {}\n", e.precedence_prosigns, *c.precedence_words);  // "OP IMMED"
    if (!e.routing_indicators.empty() || (!e.precedence_prosigns.empty() && !c.precedence_words)) {
        std::string prosigns = e.precedence_prosigns;
        if (prosigns.empty() && c.prec) prosigns = std::string(2, precedence_letter(*c.prec));
        std::string fl2 = prosigns;
        for (const auto& ri : e.routing_indicators) fl2 += (fl2.empty() ? "" : " ") + ri;
        out += fl2 + '\n';
    }
    out += fmt::format("DE {}#{:04}", e.originating_ri.empty() ? "" : e.originating_ri + " ",
                       e.station_serial);  // FL3
    if (!e.filing_time.empty()) out += " " + e.filing_time;
    out += '\n';
    if (!e.security_warning.empty()) out += e.security_warning + '\n';  // FL4
    // A routing line of its own, read with the envelope, when format lines 2 and 3 do not give
    // it (the reader takes the called and calling stations from them). A cable of another form
    // put into the envelope has its routing line in format lines 2 and 3.
    if (c.routing && c.form == cable_form::acp127) {
        std::optional<routing_line> derived;
        if (!e.routing_indicators.empty() && !e.originating_ri.empty())
            derived = read_routing_line(e.routing_indicators.front() + " DE " + e.originating_ri);
        if (!derived || !(*derived == *c.routing)) out += format_routing_line(*c.routing) + '\n';
    }
    const bool words_say_it =
        c.precedence_words && precedence_from_word(*c.precedence_words) == c.prec;
    if ((c.prec && !words_say_it) || c.date_time_group)
        out += format_precedence_dtg(c) + '\n';               // FL5
    if (c.from) put(out, "FM " + *c.from, o.wrap_column);     // FL6
    put_addressees(out, "TO", c.to, c.from.has_value());      // FL7
    put_addressees(out, "INFO", c.info, c.from.has_value());  // FL8
    // Lines no format line has: kept for a cable read in the envelope, dropped when another
    // form is put into it.
    if (c.form == cable_form::acp127) put_heading_extras(out, c);
    out += "BT\n";  // FL11
    std::size_t captions = 0;
    if (auto l = classification_line(c, o, captions))
        put(out, *l, o.wrap_column);  // FL12 opens with it
    const bool series_on_line =
        c.layout.series_on_classification_line && (c.telegram || c.classification);
    if (c.series && !series_on_line) out += format_series_tag(*c.series) + '\n';
    put_text_head(out, c, o, captions, true);  // after BT
    put_text(out, c, format_options{o.style, o.wrap_column, false, o.archive_head}, false, false);
    put_closing(out, c, o, false);
    out += "BT\n";                                     // FL13
    out += fmt::format("#{:04}\n", e.station_serial);  // FL15 repeats the SSN
    out += std::string(8, '\n');                       // FL16: 8 LF …
    out += "NNNN\n";                                   // … then NNNN
}

}  // namespace

header_style style_of(cable_form f) {
    switch (f) {
        case cable_form::radioteletype:
            return header_style::abbreviated;
        case cable_form::acp127:
            return header_style::acp127;
        case cable_form::state_telegram:
            return header_style::state_telegram;
        case cable_form::situation_room:
            return header_style::situation_room;
        case cable_form::frus_printed:
            return header_style::frus_printed;
    }
    return header_style::abbreviated;
}

std::string format_precedence_dtg(const cable& c, bool with_month_year) {
    std::string s;
    if (c.prec) s += precedence_letter(*c.prec);
    if (c.prec && c.info_prec) s += fmt::format(" {}", precedence_letter(*c.info_prec));
    if (c.date_time_group) {
        if (!s.empty()) s += ' ';
        s += format_dtg(*c.date_time_group, with_month_year);
        for (const auto& z : c.operating_signals) s += " " + z;
    }
    return s;
}

std::string security_warning_for(const std::optional<std::string>& classification) {
    if (!classification) return {};
    auto n = normalise_classification(*classification);
    if (!n) return {};
    if (*n == "TOP SECRET") return "ZNY TTTTT";
    if (*n == "SECRET") return "ZNY SSSSS";
    if (*n == "CONFIDENTIAL") return "ZNY CCCCC";
    // UNCLASSIFIED, and LIMITED OFFICIAL USE (an administrative control, not a classification).
    return "ZNR UUUUU";
}

acp127_envelope envelope_for(const cable& c) {
    // The Situation Room form has format lines 2 and 3 without format line 1: the rest is derived.
    if (c.envelope && c.form != cable_form::situation_room) return *c.envelope;
    acp127_envelope e;
    std::string letters = c.routing ? c.routing->calling : std::string{"WTE"};
    if (c.envelope && !c.envelope->originating_ri.empty()) letters = c.envelope->originating_ri;
    // FL1 channel designator: three letters naming the circuit and its direction.
    std::string alpha;
    for (char ch : letters)
        if (std::isalpha(static_cast<unsigned char>(ch))) alpha += ch;
    e.channel_designator = (alpha + "AAA").substr(0, 3);
    e.channel_serial = 1;
    if (c.routing) e.routing_indicators.push_back(c.routing->called);
    e.originating_ri =
        c.envelope && !c.envelope->originating_ri.empty()
            ? c.envelope->originating_ri
            : letters + (c.routing ? c.routing->channel.value_or("") : std::string{});
    e.station_serial = c.envelope ? c.envelope->station_serial : 1;
    if (c.envelope && !c.envelope->filing_time.empty())
        e.filing_time = c.envelope->filing_time;
    else if (c.date_time_group) {
        auto ft = filing_time(*c.date_time_group);
        if (ft) e.filing_time = ft.value();
    }
    e.security_warning = c.envelope && !c.envelope->security_warning.empty()
                             ? c.envelope->security_warning
                             : security_warning_for(c.classification);
    return e;
}

std::string format_cable(const cable& c, const format_options& o) {
    std::string out;
    auto style = o.style == header_style::as_read ? style_of(c.form) : o.style;
    switch (style) {
        case header_style::as_read:
        case header_style::abbreviated: {
            std::size_t captions = 0;
            put_archive_head(out, c, o);
            put_abbreviated_header(out, c, o, captions);
            // What a telegram's text opens with, when the cable has it (none of the FRUS cables
            // do).
            put_text_head(out, c, o, captions,
                          c.telegram || (c.series && c.layout.series_on_classification_line &&
                                         c.series->number));
            bool blank = o.as_received ? c.layout.blank_line_between_paragraphs : true;
            if (!c.paragraphs.empty() || c.signoff || c.signature) {
                if (!o.as_received || c.layout.blank_line_between_headers) out += '\n';
                put_text(out, c, o, blank, o.as_received && c.layout.number_on_own_line);
                put_closing(out, c, o,
                            blank || (o.as_received && c.layout.blank_line_between_headers));
            }
            if (ends_with_marker(c)) out += c.layout.end_marker + '\n';
            return out;
        }
        case header_style::acp127:
            put_acp127(out, c, o);
            return out;
        case header_style::state_telegram:
            put_state_telegram(out, c, o);
            return out;
        case header_style::situation_room:
            put_situation_room(out, c, o);
            return out;
        case header_style::frus_printed:
            put_frus_printed(out, c, o);
            return out;
    }
    return out;
}

std::string format_document(const document& doc, const format_options& o) {
    std::string out;
    if (doc.title) out += doc.title->text + "\n\n";
    out += format_cable(doc.message, o);
    if (doc.covering_memo) {
        const auto& m = *doc.covering_memo;
        out += "\n[Covering memorandum]\n\n";
        if (m.date_text) out += *m.date_text + "\n\n";
        if (m.for_) out += "MEMORANDUM FOR: " + *m.for_ + "\n\n";
        if (m.from) out += "FROM: " + *m.from + "\n\n";
        if (m.subject) out += "SUBJECT: " + *m.subject + "\n\n";
        std::size_t b = 0, p = 0;
        for (bool bullet : m.body_order) {
            if (bullet && b < m.bullets.size())
                out += "\xE2\x80\x94" + m.bullets[b++].text + "\n\n";
            else if (!bullet && p < m.paragraphs.size())
                out += m.paragraphs[p++] + "\n\n";
        }
    }
    if (!doc.notes.empty()) {
        out += '\n';
        for (const auto& n : doc.notes) out += fmt::format("{}. {}\n", n.number, n.text);
    }
    return out;
}

}  // namespace hakto::protocol
