#include "protocol/cable/cable.hpp"

namespace hakto::protocol {

std::string_view to_string(document_part_kind k) {
    switch (k) {
        case document_part_kind::title:
            return "title";
        case document_part_kind::cable:
            return "cable";
        case document_part_kind::memo:
            return "memo";
        case document_part_kind::notes:
            return "notes";
    }
    return "cable";
}

std::string_view to_string(cable_form f) {
    switch (f) {
        case cable_form::radioteletype:
            return "radioteletype";
        case cable_form::acp127:
            return "acp127";
        case cable_form::state_telegram:
            return "state-telegram";
        case cable_form::situation_room:
            return "situation-room";
        case cable_form::frus_printed:
            return "frus-printed";
    }
    return "radioteletype";
}

std::optional<std::string> first_addressee(const cable& c) {
    if (c.to.empty()) return std::nullopt;
    return c.to.front().address;
}

std::string_view to_string(line_role r) {
    switch (r) {
        case line_role::title:
            return "title";
        case line_role::preamble:
            return "preamble";
        case line_role::precedence_words:
            return "precedence-words";
        case line_role::via:
            return "via";
        case line_role::message_number:
            return "message-number";
        case line_role::classification_reference:
            return "classification-reference";
        case line_role::page_line:
            return "page-line";
        case line_role::page_break:
            return "page-break";
        case line_role::number_line:
            return "number-line";
        case line_role::distribution:
            return "distribution";
        case line_role::drafted_by:
            return "drafted-by";
        case line_role::approved_by:
            return "approved-by";
        case line_role::clearance:
            return "clearance";
        case line_role::desired_distribution:
            return "desired-distribution";
        case line_role::separator:
            return "separator";
        case line_role::handling:
            return "handling";
        case line_role::instruction:
            return "instruction";
        case line_role::repeat_notice:
            return "repeat-notice";
        case line_role::quote:
            return "quote";
        case line_role::eo:
            return "eo";
        case line_role::tags:
            return "tags";
        case line_role::subject:
            return "subject";
        case line_role::reference:
            return "reference";
        case line_role::signature:
            return "signature";
        case line_role::routing:
            return "routing";
        case line_role::precedence_dtg:
            return "precedence-dtg";
        case line_role::date_line:
            return "date-line";
        case line_role::to:
            return "to";
        case line_role::from:
            return "from";
        case line_role::info:
            return "info";
        case line_role::classification:
            return "classification";
        case line_role::series:
            return "series";
        case line_role::acp127_fl1:
            return "acp127-fl1";
        case line_role::acp127_fl2:
            return "acp127-fl2";
        case line_role::acp127_fl3:
            return "acp127-fl3";
        case line_role::acp127_fl4:
            return "acp127-fl4";
        case line_role::acp127_bt:
            return "acp127-bt";
        case line_role::acp127_fl15:
            return "acp127-fl15";
        case line_role::acp127_end:
            return "acp127-end";
        case line_role::paragraph:
            return "paragraph";
        case line_role::signoff:
            return "signoff";
        case line_role::page_marker:
            return "page-marker";
        case line_role::covering_marker:
            return "covering-marker";
        case line_role::memo_date:
            return "memo-date";
        case line_role::memo_for:
            return "memo-for";
        case line_role::memo_from:
            return "memo-from";
        case line_role::memo_subject:
            return "memo-subject";
        case line_role::memo_bullet:
            return "memo-bullet";
        case line_role::memo_paragraph:
            return "memo-paragraph";
        case line_role::source_note:
            return "source-note";
    }
    return "paragraph";
}

}  // namespace hakto::protocol
