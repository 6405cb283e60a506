// The cable reader's walk over the lines: where the heading starts, the page furniture, the
// zones, the text's paragraphs and signature, and the form the cable was written in.
#include "protocol/cable/cable_reading.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/cable/garble.hpp"

namespace hakto::protocol::reading {

bool cable_reader::head_field_ahead(std::size_t i) const {
    std::size_t seen = 0;
    for (std::size_t k = next_text_line(i); k < last && seen < 10; k = next_text_line(k), ++seen) {
        auto t = trim(lines[k].text);
        if (read_paragraph_number(t) || ends_text(t)) return false;
        if (read_eo_line(t) || read_tags_line(t) || read_subject_line(t) || read_reference_line(t))
            return true;
    }
    return false;
}

const std::vector<line_kind>& cable_reader::head_kinds() {
    static const std::vector<line_kind> kinds = {
        {line_role::to, &cable_reader::pending},
        {line_role::acp127_fl1, &cable_reader::fl1},
        {line_role::acp127_fl3, &cable_reader::fl3},
        {line_role::acp127_fl4, &cable_reader::fl4},
        {line_role::routing, &cable_reader::routing},
        {line_role::precedence_dtg, &cable_reader::precedence_dtg},
        {line_role::precedence_words, &cable_reader::precedence_words},
        {line_role::acp127_fl2, &cable_reader::fl2},
        {line_role::classification, &cable_reader::marking},
        {line_role::page_line, &cable_reader::page},
        {line_role::number_line, &cable_reader::number},
        {line_role::distribution, &cable_reader::distribution},
        {line_role::drafted_by, &cable_reader::drafted},
        {line_role::approved_by, &cable_reader::approved},
        {line_role::desired_distribution, &cable_reader::desired},
        {line_role::separator, &cable_reader::separator},
        {line_role::date_line, &cable_reader::date_line},
        {line_role::from, &cable_reader::address},
        {line_role::via, &cable_reader::via},
        {line_role::message_number, &cable_reader::message_number},
        {line_role::series, &cable_reader::series},
        {line_role::classification_reference, &cable_reader::classification_reference},
        {line_role::classification, &cable_reader::classification},
        {line_role::acp127_bt, &cable_reader::bt},
        {line_role::eo, &cable_reader::eo},
        {line_role::tags, &cable_reader::tags},
        {line_role::subject, &cable_reader::subject},
        {line_role::reference, &cable_reader::reference},
        {line_role::handling, &cable_reader::handling},
        {line_role::repeat_notice, &cable_reader::repeat_notice},
        // Clearances and desired distribution take what no kind above takes, up to the
        // separator.
        {line_role::clearance, &cable_reader::archive_block_line},
        {line_role::to, &cable_reader::addressee_continued},
    };
    return kinds;
}

const std::vector<line_kind>& cable_reader::text_head_kinds() {
    static const std::vector<line_kind> kinds = {
        {line_role::subject, &cable_reader::subject},      // a subject's continuation first
        {line_role::reference, &cable_reader::reference},  // and a reference's
        {line_role::tags, &cable_reader::tags},
        {line_role::repeat_notice, &cable_reader::repeat_notice},
        {line_role::series, &cable_reader::series},
        {line_role::handling, &cable_reader::handling},
        {line_role::quote, &cable_reader::quote},
        {line_role::classification_reference, &cable_reader::classification_reference},
        {line_role::classification, &cable_reader::classification},
        {line_role::eo, &cable_reader::eo},
        {line_role::instruction, &cable_reader::instruction},
    };
    return kinds;
}

bool cable_reader::read_with(const std::vector<line_kind>& kinds, const input_line& l) {
    std::string_view t = trim(l.text);
    if (t.size() > header_line_limit) return false;
    for (const auto& k : kinds) {
        role = k.role;
        continuation = false;
        mark_index = 0;
        if ((this->*k.read)(l, t)) {
            // A line of another kind closes the list or block a next line could continue.
            static const std::set<line_role> continued{line_role::to,
                                                       line_role::from,
                                                       line_role::info,
                                                       line_role::distribution,
                                                       line_role::approved_by,
                                                       line_role::clearance,
                                                       line_role::desired_distribution,
                                                       line_role::subject,
                                                       line_role::tags,
                                                       line_role::reference,
                                                       line_role::instruction,
                                                       line_role::repeat_notice};
            if (!continued.count(k.role)) open = open_block::none;
            return true;
        }
    }
    return false;
}

void cable_reader::set_address(address_kind k, std::string_view value, const input_line& l) {
    std::string garbled;
    auto lead = static_cast<std::size_t>(value.data() - l.text.data());
    // Telegram addresses (FM/TO/INFO in that order) are plain-language addresses made of
    // abbreviations (CINCPAC, USDOCOSOUTH) that the letter-pair check would call garbled.
    if (!from_first) check_words(l, value, lead);
    switch (k) {
        case address_kind::to:
        case address_kind::info: {
            auto a = read_addressee(value, &garbled);
            if (!garbled.empty()) {
                auto pos = value.find(garbled);
                report(at(l, lead + (pos == std::string_view::npos ? 0 : pos)), severity::warning,
                       "precedence-word-garbled",
                       fmt::format("'{}' looks like a garbled precedence word; read as {}", garbled,
                                   precedence_name(*a.prec)));
            }
            auto& list = k == address_kind::to ? c.to : c.info;
            list.push_back(std::move(a));
            mark_index = list.size() - 1;
            break;
        }
        case address_kind::from: {
            if (c.from) {
                report(at(l, lead), severity::warning, "from-repeated",
                       "a second originator line; the first is kept");
                break;
            }
            // "FM THE SITUATION ROOM //TOHAK 003//": a series tag between slashes.
            std::string_view v = value;
            auto slash = v.find("//");
            if (slash != std::string_view::npos) {
                auto inner = v.substr(slash + 2);
                auto close = inner.find("//");
                if (close != std::string_view::npos) {
                    if (auto s = read_series_tag(inner.substr(0, close))) {
                        if (!c.series) {
                            c.series = *s;
                            series_where = at(l, lead + slash + 2);
                        }
                        c.layout.series_in_from = true;
                        v = trim(v.substr(0, slash));
                    }
                }
            }
            c.from = std::string{v};
            break;
        }
        case address_kind::none:
            break;
    }
}

void cable_reader::start_paragraph(const input_line& l, std::optional<int> number,
                                   std::string_view text, std::size_t text_byte, bool parenthesis) {
    if (!c.paragraphs.empty() && last_blank_line + 1 == l.number)
        ++paragraph_gaps;
    else if (!c.paragraphs.empty())
        ++paragraph_joins;
    if (number) {
        int expected = 1;
        for (auto it = c.paragraphs.rbegin(); it != c.paragraphs.rend(); ++it)
            if (it->number) {
                expected = *it->number + 1;
                break;
            }
        if (*number != expected)
            report(at(l), severity::warning, "paragraph-sequence",
                   fmt::format("paragraph {} where {} was expected", *number, expected));
    }
    c.paragraphs.push_back(paragraph{number, std::string{text}, at(l, text_byte), parenthesis});
    current = &c.paragraphs.back();
    check_words(l, text, text_byte);
}

void cable_reader::read_body_line(const input_line& l) {
    std::string_view t = trim(l.text);
    std::size_t lead = lead_of(l, t);
    auto upper = to_upper_ascii(t);
    if (upper == "BT") {
        if (in_text()) {
            ended = true;
            current = nullptr;
        }
        saw_bt_open = true;
        mark(l, line_role::acp127_bt);
        return;
    }
    if (is_end_of_message(upper)) {
        ended = true;
        current = nullptr;
        c.layout.end_of_message = true;
        c.layout.end_marker = upper;
        mark(l, line_role::acp127_end);
        return;
    }
    if (upper.size() >= 2 && upper[0] == '#' && is_digits(upper.substr(1)) && upper.size() <= 7) {
        // FL15: the station serial number again; it must equal FL3's.
        int ssn = std::stoi(upper.substr(1));
        if (c.envelope && c.envelope->station_serial != ssn)
            report(at(l, lead), severity::warning, "ssn-mismatch",
                   fmt::format("format line 15 gives #{:04}, format line 3 #{:04}", ssn,
                               c.envelope->station_serial));
        ended = true;
        mark(l, line_role::acp127_fl15);
        return;
    }
    if (ended)
        report(at(l, lead), severity::warning, "text-after-end",
               "text after the end of the message is kept as a paragraph");
    if (is_signoff(t) && !paragraph_pending_text) {
        if (c.signoff)
            report(at(l, lead), severity::warning, "signoff-repeated", "a second sign-off");
        else {
            c.signoff = std::string{t};
            signoff_line = l.number;
        }
        current = nullptr;
        mark(l, line_role::signoff);
        return;
    }
    // A quotation's end, perhaps with the signature of the repeated cable after it.
    bool closing = false;
    if (auto n = quote_marker_length(t, &closing); n && closing) {
        in_quote = false;
        current = nullptr;
        mark(l, line_role::quote);
        auto rest = trim(t.substr(n));
        if (!rest.empty() && looks_like_signature(rest) && signature_here(index))
            c.signature = std::string{rest};
        return;
    }
    if (!paragraph_pending_text && looks_like_signature(t) && signature_here(index)) {
        c.signature = std::string{t};
        current = nullptr;
        mark(l, line_role::signature);
        return;
    }
    if (signoff_line && !ended)
        report(at(l, lead), severity::warning, "text-after-signoff", "text after the sign-off");
    if (auto p = read_paragraph_number(l.text)) {
        auto text = std::string_view{l.text}.substr(p->text_offset);
        start_paragraph(l, p->number, trim(text), p->text_offset, p->parenthesis);
        mark(l, line_role::paragraph, c.paragraphs.size() - 1);
        paragraph_pending_text = trim(text).empty();
        if (paragraph_pending_text) c.layout.number_on_own_line = true;
        return;
    }
    if (current &&
        (paragraph_pending_text || last_blank_line + 1 != l.number || current->text.empty())) {
        // A word broken at the end of a line ("DEPAR-" / "TURE") is joined without a space;
        // the hyphen stays, as it was printed.
        const auto& prev = current->text;
        bool broken = prev.size() >= 2 && prev.back() == '-' &&
                      std::isalpha(static_cast<unsigned char>(prev[prev.size() - 2])) &&
                      std::isalpha(static_cast<unsigned char>(t.front()));
        current->text = broken ? current->text + std::string{t} : join_words(current->text, t);
        paragraph_pending_text = false;
        check_words(l, t, lead);
        mark(l, line_role::paragraph, static_cast<std::size_t>(current - c.paragraphs.data()),
             true);
        return;
    }
    start_paragraph(l, std::nullopt, t, lead);
    mark(l, line_role::paragraph, c.paragraphs.size() - 1);
    paragraph_pending_text = false;
}

bool cable_reader::signature_here(std::size_t i) const {
    // A telegram's signature: the State and ACP 127 forms sign with the name of the
    // principal; the radioteletype cables of FRUS close with a sign-off instead.
    bool telegram = !c.routing || c.archive || c.telegram || c.envelope;
    if (c.signature || !telegram) return false;
    auto next = next_text_line(i);
    if (next < last) {
        auto u = to_upper_ascii(trim(lines[next].text));
        return is_end_of_message(u) || u == "BT" ||
               (u.size() >= 2 && u[0] == '#' && is_digits(u.substr(1)));
    }
    auto prev = previous_text_line(i);
    if (prev == i) return false;
    auto p = trim(lines[prev].text);
    return split_words(trim(lines[i].text)).size() == 1 && !p.empty() &&
           (p.back() == '.' || p.back() == ')' || p.back() == '"' || p.back() == '?');
}

void cable_reader::find_furniture() {
    for (std::size_t k = first; k < last; ++k) {
        auto p = read_page_line(trim(lines[k].text));
        if (!p || p->number < 2) continue;
        furniture.insert(k);
        std::size_t back = k, taken = 0;
        while (taken < 2 && back > first) {
            --back;
            if (blank(lines[back])) continue;
            auto t = trim(lines[back].text);
            auto m = read_classification_line(t);
            if (!m || split_words(t).size() > 5) break;
            furniture.insert(back);
            ++taken;
        }
    }
}

std::size_t cable_reader::find_header_start() const {
    std::size_t k0 = first;
    while (k0 < last && blank(lines[k0])) ++k0;
    if (k0 >= last) return first;
    auto anchor_at = [&](std::size_t k) {
        auto t = trim(lines[k].text);
        if (t.size() > header_line_limit) return false;
        auto u = to_upper_ascii(fold_slashed_zero(t));
        if (auto p = read_page_line(t); p && p->number == 1) return true;
        if (u.rfind("VZCZC", 0) == 0 || read_routing_line(t) || read_precedence_words_line(t))
            return true;
        if (u.rfind("DE ", 0) == 0 && u.find('#') != std::string::npos) return true;
        if (read_series_run_in(t) || read_classification_reference_line(t)) return true;
        if (read_precedence_dtg_line(t, 0, 1)) {
            auto n = next_text_line(k);
            if (n < last) {
                bool colon = false;
                return read_address(trim(lines[n].text), colon).first != address_kind::none;
            }
        }
        return false;
    };
    auto first_is_header = [&] {
        auto t = trim(lines[k0].text);
        if (anchor_at(k0) || read_paragraph_number(t) || read_series_run_in(t)) return true;
        // Any kind of the heading that takes the line, tried on a scratch reader.
        reporter scratch_report{1};
        document scratch;
        cable_reader probe{lines, scratch_report, scratch};
        probe.first = first;
        probe.last = last;
        probe.index = k0;
        return probe.read_with(head_kinds(), lines[k0]);
    };
    if (first_is_header()) return first;
    for (std::size_t k = k0 + 1; k < last && k < k0 + 60; ++k) {
        if (blank(lines[k]) || !anchor_at(k)) continue;
        // The archive's marking stands just above its page line.
        for (std::size_t b = k; b-- > k0;) {
            if (blank(lines[b])) continue;
            if (read_classification_line(trim(lines[b].text))) k = b;
            break;
        }
        return k;
    }
    return first;
}

void cable_reader::read(std::size_t first_line, std::size_t last_line) {
    first = first_line;
    last = last_line;
    find_furniture();
    std::size_t start = find_header_start();
    for (std::size_t k = first; k < start; ++k) {
        if (blank(lines[k])) continue;
        doc.preamble.push_back(lines[k].text);
        mark(lines[k], line_role::preamble);
    }
    if (start > first) {
        std::size_t k = first;
        while (blank(lines[k])) ++k;
        report({lines[k].number, 1}, severity::note, "preamble",
               fmt::format("{} line(s) before the header are kept aside, not read as the cable",
                           doc.preamble.size()));
    }
    bool any_line = false;
    for (index = start; index < last; ++index) {
        const auto& l = lines[index];
        if (blank(l)) {
            last_blank_line = l.number;
            if (where != zone::text) ++header_blanks;
            if (!paragraph_pending_text) current = nullptr;
            open = open_block::none;  // a blank line ends any list or block
            continue;
        }
        if (auto pg = page_marker(l.text)) {
            doc.page_breaks.push_back(*pg);
            mark(l, line_role::page_marker);
            continue;
        }
        if (furniture.count(index)) {
            mark(l, line_role::page_break);
            continue;
        }
        if (!any_line) {
            any_line = true;
            // FRUS prints a cable without its header with the series running into the text.
            if (auto r = read_series_run_in(l.text)) {
                c.series = r->tag;
                c.form = cable_form::frus_printed;
                c.layout.series_title_case = r->title_case;
                series_where = at(l, lead_of(l, trim(l.text)));
                where = zone::text;
                auto rest =
                    std::string_view{l.text}.substr(lead_of(l, trim(l.text)) + r->text_offset);
                mark(l, line_role::series);
                if (!trim(rest).empty()) {
                    if (auto p = read_paragraph_number(rest)) {
                        auto text = trim(rest.substr(p->text_offset));
                        start_paragraph(l, p->number, text, lead_of(l, text), p->parenthesis);
                    } else {
                        start_paragraph(l, std::nullopt, trim(rest), lead_of(l, trim(rest)));
                    }
                }
                continue;
            }
        }
        if (where == zone::head) {
            bool numbered = read_paragraph_number(l.text).has_value();
            if (!numbered && read_with(head_kinds(), l)) {
                mark(l, role, mark_index, continuation);
                continue;
            }
            if (where == zone::head) where = zone::text;
        }
        if (where == zone::text_head) {
            bool numbered = read_paragraph_number(l.text).has_value();
            if (!numbered && read_with(text_head_kinds(), l)) {
                mark(l, role, mark_index, continuation);
                continue;
            }
            where = zone::text;
        }
        open = open_block::none;
        read_body_line(l);
    }
    // Layout: blank lines between header lines, and between paragraphs.
    c.layout.blank_line_between_headers = header_lines > 1 && header_blanks >= header_lines - 1;
    c.layout.blank_line_between_paragraphs =
        paragraph_gaps > 0 && paragraph_gaps >= paragraph_joins;
    decide_form();
}

void cable_reader::decide_form() {
    if (c.form == cable_form::frus_printed) return;
    if (saw_fl1)
        c.form = cable_form::acp127;
    else if (c.envelope && (!c.envelope->originating_ri.empty() || c.precedence_words))
        c.form = cable_form::situation_room;
    else if (!c.routing && (c.archive || c.telegram || c.eo || !c.tags.empty() || c.subject ||
                            (from_first && c.from && c.prec)))
        c.form = cable_form::state_telegram;
    else
        c.form = cable_form::radioteletype;
}

}  // namespace hakto::protocol::reading
