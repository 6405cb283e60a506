// The table of line kinds, the heading's and the text head's rows: each recognises one kind of
// line (format lines, routing, precedence and DTG, addressees, markings, TAGS, SUBJECT…) and
// takes what it says into the cable.
#include "protocol/cable/cable_reading.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/cable/garble.hpp"

namespace hakto::protocol::reading {

bool cable_reader::pending(const input_line& l, std::string_view t) {
    if (!pending_address) return false;
    auto k = *pending_address;
    pending_address.reset();
    if (read_paragraph_number(t)) return false;
    set_address(k, t, l);
    role = role_of(k);
    return true;
}

bool cable_reader::fl1(const input_line& l, std::string_view t) {
    auto upper = to_upper_ascii(t);
    if (upper.rfind("VZCZC", 0) != 0 && upper.rfind("ZCZC", 0) != 0) return false;
    auto& e = envelope();
    auto id = upper.substr(upper.rfind("ZCZC", 0) == 0 ? 4 : 5);
    std::size_t k = 0;
    while (k < id.size() && std::isalpha(static_cast<unsigned char>(id[k]))) ++k;
    e.channel_designator = id.substr(0, k);
    saw_fl1 = true;
    if (is_digits(id.substr(k)) && id.size() - k <= 4)
        e.channel_serial = std::stoi(id.substr(k));
    else
        report(at(l, lead_of(l, t)), severity::warning, "fl1-serial",
               "format line 1 has no channel serial");
    archive_closed = true;
    return true;
}

bool cable_reader::fl3(const input_line&, std::string_view t) {
    // DE <RI> #<SSN> <JJJHHMM>: ACP 127 format line 3 (protocol facts §1.2).
    auto upper = to_upper_ascii(fold_slashed_zero(t));
    if (upper.rfind("DE ", 0) != 0) return false;
    auto w = split_words(upper);
    auto& e = envelope();
    std::size_t k0 = 1;
    if (w.size() >= 2 && w[1].front() != '#') {
        e.originating_ri = std::string{w[1]};
        k0 = 2;
    }
    for (std::size_t k = k0; k < w.size(); ++k) {
        if (w[k].front() == '#' && is_digits(w[k].substr(1)))
            e.station_serial = std::stoi(std::string{w[k].substr(1, 6)});
        else if (is_digits(w[k]) && w[k].size() == 7)
            e.filing_time = std::string{w[k]};
    }
    archive_closed = true;
    return true;
}

bool cable_reader::routing(const input_line& l, std::string_view t) {
    auto r = read_routing_line(t);
    if (!r) return false;
    if (c.routing)
        report(at(l, lead_of(l, t)), severity::warning, "routing-repeated",
               "a second routing line; the first is kept");
    else
        c.routing = *r;
    header_seen(header_field::routing);
    archive_closed = true;
    return true;
}

bool cable_reader::precedence_dtg(const input_line& l, std::string_view t) {
    std::size_t lead = lead_of(l, t);
    auto p = read_precedence_dtg_line(t, l.number, column_of(l.text, lead));
    if (!p) return false;
    archive_closed = true;
    open = open_block::none;
    header_seen(header_field::precedence_dtg);
    if (p->reading) report.add(p->reading->notes);
    if (p->zero_for_o)
        report(at(l, lead), severity::warning, "prosign-zero",
               "the figure 0 stands where the prosign O belongs; read as O (IMMEDIATE)");
    if (!p->trailing.empty())
        report(at(l, lead + p->trailing_offset), severity::note, "dtg-trailing",
               fmt::format("'{}' follows the DTG (operating signals?)", p->trailing));
    if (c.date_time_group || (c.prec && !c.precedence_words)) {
        report(at(l, lead), severity::warning, "dtg-repeated",
               "a second precedence and DTG line; the first is kept");
        return true;
    }
    if (c.prec && p->prec && c.prec != p->prec)
        report(at(l, lead), severity::warning, "precedence-disagrees",
               fmt::format("the prosign {} disagrees with the precedence in words ({}); the "
                           "prosign is kept",
                           precedence_letter(*p->prec), *c.precedence_words));
    if (p->prec) c.prec = p->prec;
    c.info_prec = p->info_prec;
    if (p->reading && p->reading->value)
        c.operating_signals = p->operating_signals;  // they follow a DTG
    dtg_where = at(l, lead + p->dtg_offset);
    if (!p->reading) dtg_where = at(l, lead);
    if (p->reading && p->reading->value) {
        c.date_time_group = p->reading->value;
        for (const auto& n : p->reading->notes)
            if (n.code == "dtg-year-garbled")
                c.layout.dtg_as_printed =
                    std::string{trim(t.substr(p->dtg_offset, p->reading->length))};
        if (!p->reading->month_printed) c.inferred.insert("dtg.month");
        if (!p->reading->year_printed) c.inferred.insert("dtg.year");
    }
    return true;
}

bool cable_reader::precedence_words(const input_line&, std::string_view t) {
    auto p = read_precedence_words_line(t);
    if (!p || c.prec) return false;
    c.prec = p->prec;
    c.precedence_words = p->words;
    envelope().precedence_prosigns = p->prosigns;
    archive_closed = true;
    return true;
}

bool cable_reader::fl2(const input_line&, std::string_view t) {
    // ACP 127 FL2: precedence prosigns followed by routing indicators.
    auto upper = to_upper_ascii(t);
    auto w = split_words(upper);
    auto is_station = [](std::string_view x) {
        // DE is the prosign "from" (format line 3), never a routing indicator; nor is a
        // precedence in words ("OP IMMED").
        return x.size() >= 2 && x.size() <= 8 && x != "DE" && !precedence_from_word(x) &&
               std::all_of(x.begin(), x.end(), [](char ch) {
                   return std::isupper(static_cast<unsigned char>(ch)) ||
                          std::isdigit(static_cast<unsigned char>(ch));
               });
    };
    // Routing indicators start with R (worldwide tape relay) or Q; right after format
    // line 1, any station group will do.
    bool after_fl1 = c.envelope && c.envelope->routing_indicators.empty() &&
                     !c.envelope->channel_designator.empty();
    if (c.envelope && !c.envelope->routing_indicators.empty()) return false;  // read already
    bool all_stations = w.size() >= 2 && std::all_of(w.begin() + 1, w.end(), is_station);
    if (all_stations && w[0].size() <= 2 && precedence_from_letter(w[0][0]) &&
        (w[0].size() == 1 || w[0][1] == w[0][0] || precedence_from_letter(w[0][1])) &&
        (after_fl1 || ((w[1][0] == 'R' || w[1][0] == 'Q') && w[1].size() >= 4))) {
        auto& e = envelope();
        e.precedence_prosigns = std::string{w[0]};
        for (std::size_t k = 1; k < w.size(); ++k) e.routing_indicators.emplace_back(w[k]);
        archive_closed = true;
        return true;
    }
    return false;
}

bool cable_reader::marking(const input_line&, std::string_view t) {
    // The archive's marking, the first line of the archived copy: it stands before the page
    // line (or opens the archive block).
    if (archive_closed || c.archive || header_lines > 0) return false;
    auto m = read_classification_line(t);
    if (!m) return false;
    auto next = next_text_line(index);
    if (next >= last || !read_page_line(trim(lines[next].text))) return false;
    archive().marking = std::string{t};
    if (!c.classification) {
        // The marking, not what the archive added after it ("POSS DUPE").
        c.classification = m->normalised;
        c.classification_as_written =
            std::string{t.substr(0, read_classification_marking(t)->length)};
    }
    return true;
}

bool cable_reader::page(const input_line&, std::string_view t) {
    if (archive_closed) return false;
    auto p = read_page_line(t);
    if (!p || archive().page) return false;
    archive().page = *p;
    if (p->series && !c.series) c.series = p->series;
    return true;
}

bool cable_reader::number(const input_line&, std::string_view t) {
    // Under the page line, or after the distribution (as in 1977).
    if (archive_closed || !c.archive || c.archive->number_line || !is_number_line(t)) return false;
    if (!c.archive->page && !c.archive->distribution) return false;
    if (c.archive->drafted_by || c.archive->approved_by) return false;  // a clearance by then
    c.archive->number_line = std::string{t};
    return true;
}

bool cable_reader::distribution(const input_line&, std::string_view t) {
    if (archive_closed) return false;
    auto d = read_distribution_line(t);
    if (!d) return false;
    if (d->what == distribution_line::kind::continuation && open != open_block::distribution)
        return false;
    auto& block = archive().distribution;
    if (!block) block.emplace();
    if (d->what == distribution_line::kind::action || d->what == distribution_line::kind::origin) {
        block->action_kind = d->what == distribution_line::kind::action ? "ACTION" : "ORIGIN";
        block->action = d->offices.front();
        for (std::size_t k = 1; k < d->offices.size(); ++k) block->info.push_back(d->offices[k]);
    } else {
        continuation = d->what == distribution_line::kind::continuation;
        block->info.insert(block->info.end(), d->offices.begin(), d->offices.end());
    }
    if (d->count) block->count = d->count;
    open = d->count ? open_block::none : open_block::distribution;
    return true;
}

bool cable_reader::drafted(const input_line&, std::string_view t) {
    if (archive_closed) return false;
    auto v = read_keyword_value(t, "DRAFTED BY");
    if (!v || (c.archive && c.archive->drafted_by)) return false;
    archive().drafted_by = *v;
    open = open_block::none;
    return true;
}

bool cable_reader::approved(const input_line&, std::string_view t) {
    if (archive_closed) return false;
    auto v = read_keyword_value(t, "APPROVED BY");
    if (!v || (c.archive && c.archive->approved_by)) return false;
    archive().approved_by = *v;
    open = open_block::clearances;
    return true;
}

bool cable_reader::desired(const input_line&, std::string_view t) {
    if (archive_closed || !starts_with_word(t, "DESIRED DISTRIBUTION")) return false;
    auto rest = trim(t.substr(std::string_view{"DESIRED DISTRIBUTION"}.size()));
    if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
    archive().desired_distribution = std::string{rest};
    open = open_block::desired;
    return true;
}

bool cable_reader::archive_block_line(const input_line&, std::string_view t) {
    // Clearances after APPROVED BY, and the offices of DESIRED DISTRIBUTION: every line up
    // to the separator.
    if (archive_closed || !c.archive) return false;
    if (open == open_block::clearances) {
        c.archive->clearances.emplace_back(t);
        role = line_role::clearance;
        return true;
    }
    if (open == open_block::desired &&
        join_words(*c.archive->desired_distribution, t).size() <= joined_field_limit) {
        auto& d = *c.archive->desired_distribution;
        d = join_words(d, t);
        role = line_role::desired_distribution;
        continuation = true;
        return true;
    }
    return false;
}

bool cable_reader::date_line(const input_line& l, std::string_view t) {
    if (!read_calendar_date(t) || c.date_line) return false;
    c.date_line = std::string{t};
    date_line_number = l.number;
    header_seen(header_field::date_line);
    return true;
}

bool cable_reader::address(const input_line& l, std::string_view t) {
    bool colon = false;
    auto [kind, value] = read_address(t, colon);
    if (kind == address_kind::none) return false;
    if (kind == address_kind::info && !archive_closed && read_distribution_line(t)) return false;
    if (colon) c.layout.address_colon = true;
    role = role_of(kind);
    archive_closed = true;
    header_seen(kind == address_kind::to     ? header_field::to
                : kind == address_kind::from ? header_field::from
                                             : header_field::info);
    if (kind == address_kind::from && !c.from && c.to.empty()) from_first = true;
    open = kind == address_kind::to     ? open_block::to
           : kind == address_kind::info ? open_block::info
                                        : open_block::none;
    if (value.empty()) {
        pending_address = kind;
        return true;
    }
    set_address(kind, value, l);
    return true;
}

bool cable_reader::addressee_continued(const input_line& l, std::string_view t) {
    // A further addressee on a line of its own, in the FM/TO/INFO order of State telegrams
    // and the ACP 127 envelope (format lines 7 and 8 continue over several lines).
    if ((open != open_block::to && open != open_block::info) || !from_first) return false;
    if (!is_run_on_addressee_shape(t)) return false;
    set_address(open == open_block::to ? address_kind::to : address_kind::info, t, l);
    role = open == open_block::to ? line_role::to : line_role::info;
    continuation = true;
    return true;
}

bool cable_reader::via(const input_line&, std::string_view t) {
    auto v = read_via_line(t);
    if (!v || c.via) return false;
    c.via = *v;
    open = open_block::none;
    return true;
}

bool cable_reader::series(const input_line& l, std::string_view t) {
    auto s = read_series_tag(t);
    if (!s) return false;
    std::size_t lead = lead_of(l, t);
    if (c.series && (c.archive && c.archive->page && c.archive->page->series == *s)) {
        // The page line gave it already: the telegram prints it again on its own line.
    } else if (c.series) {
        report(at(l, lead), severity::warning, "series-repeated",
               "a second series tag; the first is kept");
    } else {
        c.series = *s;
        series_where = at(l, lead);
    }
    header_seen(header_field::series);
    if (!s->number)
        report(at(l, lead), severity::warning, "series-number-missing",
               fmt::format("the series tag {} has no number", s->name));
    open = open_block::none;
    return true;
}

bool cable_reader::classification_reference(const input_line& l, std::string_view t) {
    auto r = read_classification_reference_line(t);
    if (!r) return false;
    open = open_block::none;
    archive_closed = true;
    if (c.telegram || in_quote) {
        // A repeated cable's own line, inside the quotation: not this telegram's.
        where = zone::text_head;
        return true;
    }
    c.classification = r->marking.normalised;
    c.classification_as_written = r->marking.as_written;
    c.telegram = r->telegram;
    c.section = r->section;
    if (!r->handling.empty()) {
        c.handling.insert(c.handling.end(), r->handling.begin(), r->handling.end());
        c.layout.handling_on_classification_line = r->handling.size();
    }
    if (r->series) {
        if (!c.series) {
            c.series = r->series;
            series_where = at(l, lead_of(l, t));
        }
        c.layout.series_on_classification_line = true;
    }
    where = zone::text_head;
    return true;
}

bool cable_reader::classification(const input_line&, std::string_view t) {
    auto m = read_classification_line(t);
    if (!m) return false;
    // In the head of the text a marking opens the text (ACP 127 format line 12); once the
    // cable has one, another is a repeated cable's.
    if (where == zone::text_head && c.classification && !c.inferred.count("classification"))
        return true;
    if (!c.classification || c.inferred.count("classification")) {
        c.classification = m->normalised;
        c.classification_as_written = m->as_written;
        c.inferred.erase("classification");
    }
    header_seen(header_field::classification);
    return true;
}

bool cable_reader::bt(const input_line&, std::string_view t) {
    if (to_upper_ascii(t) != "BT") return false;
    saw_bt_open = true;
    c.layout.bt_before_text = true;
    where = zone::text_head;
    open = open_block::none;
    return true;
}

bool cable_reader::handling(const input_line&, std::string_view t) {
    auto h = read_handling_line(t);
    if (!h) return false;
    where = zone::text_head;
    // Every caption as printed, in order (a repeated cable prints its own again).
    c.handling.insert(c.handling.end(), h->begin(), h->end());
    open = open_block::none;
    return true;
}

bool cable_reader::repeat_notice(const input_line&, std::string_view t) {
    if (open == open_block::repeat && !claimed_in_text_head(t) && t.size() <= 69 &&
        is_all_caps(t) && join_words(*c.repeat_notice, t).size() <= joined_field_limit) {
        *c.repeat_notice = join_words(*c.repeat_notice, t);
        continuation = true;
        if (t.back() == '.') open = open_block::none;
        return true;
    }
    if (!is_repeat_notice(t) || c.repeat_notice) return false;
    where = zone::text_head;
    c.repeat_notice = std::string{t};
    open = t.back() == '.' ? open_block::none : open_block::repeat;
    return true;
}

bool cable_reader::quote(const input_line&, std::string_view t) {
    // QUOTE / QTE opens a repeated cable; its heading may stand on the same line ("QUOTE
    // C O N F I D E N T I A L TOKYO 15604"), which is that cable's, not this one's.
    bool closing = false;
    auto n = quote_marker_length(t, &closing);
    if (!n || closing) return false;
    in_quote = true;
    open = open_block::none;
    return true;
}

bool cable_reader::eo(const input_line&, std::string_view t) {
    auto e = read_eo_line(t);
    if (!e) return false;
    if (!c.eo) c.eo = *e;
    text_head_fields = true;
    where = zone::text_head;
    open = open_block::none;
    return true;
}

bool cable_reader::tags(const input_line&, std::string_view t) {
    // The tags are split once their text is whole: a parenthesis may close on the next line.
    bool more = false;
    if (open == open_block::tags && !claimed_in_text_head(t) &&
        join_words(tags_text, t).size() <= 4 * header_line_limit) {
        tags_text = join_words(tags_text, t);
        c.tags = split_tags(tags_text, &more);
        continuation = true;
        open = more ? open_block::tags : open_block::none;
        return true;
    }
    auto text = read_tags_text(t);
    if (!text) return false;
    if (c.tags.empty()) {
        tags_text = *text;
        c.tags = split_tags(tags_text, &more);
    }
    text_head_fields = true;
    where = zone::text_head;
    open = more ? open_block::tags : open_block::none;
    return true;
}

bool cable_reader::subject(const input_line&, std::string_view t) {
    if (open == open_block::subject) {
        const auto& prev = lines[previous_text_line(index)].text;
        bool stop = read_paragraph_number(t).has_value() || ends_text(t) ||
                    starts_with_word(t, "SUMMARY") || starts_with_word(t, "BEGIN") ||
                    read_reference_line(t) || read_eo_line(t) || read_tags_line(t) ||
                    !is_all_caps(t) || t.size() > 72 || letter_label(t) || !wraps(trim(prev), t) ||
                    trim(prev).back() == '.' ||
                    (looks_like_signature(t) && signature_here(index)) || claimed_in_text_head(t) ||
                    (++subject_continuations > 3);
        if (!stop) {
            *c.subject = join_words(*c.subject, t);
            continuation = true;
            return true;
        }
        open = open_block::none;
        return false;
    }
    auto s = read_subject_line(t);
    if (!s || c.subject) return false;
    c.subject = s->text;
    c.layout.subject_keyword = s->keyword;
    text_head_fields = true;
    where = zone::text_head;
    open = open_block::subject;
    subject_continuations = 0;
    return true;
}

bool cable_reader::reference(const input_line&, std::string_view t) {
    if (open == open_block::reference) {
        if (auto r = read_reference_continuation(t)) {
            c.references.insert(c.references.end(), r->items.begin(), r->items.end());
            c.layout.references_on_own_lines = true;
            continuation = true;
            return true;
        }
        open = open_block::none;
    }
    auto r = read_reference_line(t);
    if (!r || !c.references.empty()) return false;
    c.references = r->items;
    c.layout.reference_keyword = r->keyword;
    c.layout.reference_separator = r->separator;
    text_head_fields = true;
    where = zone::text_head;
    open = open_block::reference;
    return true;
}

bool cable_reader::instruction(const input_line&, std::string_view t) {
    // A passing instruction ("DEPT FOR A AND EA") stands between the classification line
    // and the E.O. line: any line there that no other kind claims. Without an E.O., TAGS or
    // SUBJECT line ahead, only a line of the instruction's own shape is one.
    if (text_head_fields || c.paragraphs.size() > 0) return false;
    if (read_paragraph_number(t) || ends_text(t)) return false;
    bool ahead = head_field_ahead(index);
    if (!ahead && !(looks_like_passing_instruction(t) && !in_quote)) return false;
    // A line that names no one for whom and passes nothing continues the instruction before
    // it ("HI, DOD WASHDC" after "… CINCPAC HONOLULU").
    bool starts = starts_instruction(t);
    if (!starts && open == open_block::instruction && !c.instructions.empty() &&
        join_words(c.instructions.back(), t).size() <= joined_field_limit) {
        c.instructions.back() = join_words(c.instructions.back(), t);
        continuation = true;
        return true;
    }
    c.instructions.emplace_back(t);
    open = open_block::instruction;
    return true;
}

}  // namespace hakto::protocol::reading
