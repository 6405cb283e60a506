#include "protocol/cable.hpp"

namespace hakto::protocol {

std::string_view to_string(document_part_kind k) {
    switch (k) {
        case document_part_kind::title: return "title";
        case document_part_kind::cable: return "cable";
        case document_part_kind::memo: return "memo";
        case document_part_kind::notes: return "notes";
    }
    return "cable";
}

std::string_view to_string(line_role r) {
    switch (r) {
        case line_role::title: return "title";
        case line_role::routing: return "routing";
        case line_role::precedence_dtg: return "precedence-dtg";
        case line_role::date_line: return "date-line";
        case line_role::to: return "to";
        case line_role::from: return "from";
        case line_role::info: return "info";
        case line_role::classification: return "classification";
        case line_role::series: return "series";
        case line_role::acp127_fl1: return "acp127-fl1";
        case line_role::acp127_fl2: return "acp127-fl2";
        case line_role::acp127_fl3: return "acp127-fl3";
        case line_role::acp127_fl4: return "acp127-fl4";
        case line_role::acp127_bt: return "acp127-bt";
        case line_role::acp127_fl15: return "acp127-fl15";
        case line_role::acp127_end: return "acp127-end";
        case line_role::paragraph: return "paragraph";
        case line_role::signoff: return "signoff";
        case line_role::page_marker: return "page-marker";
        case line_role::covering_marker: return "covering-marker";
        case line_role::memo_date: return "memo-date";
        case line_role::memo_for: return "memo-for";
        case line_role::memo_from: return "memo-from";
        case line_role::memo_subject: return "memo-subject";
        case line_role::memo_bullet: return "memo-bullet";
        case line_role::memo_paragraph: return "memo-paragraph";
        case line_role::source_note: return "source-note";
    }
    return "paragraph";
}

}  // namespace hakto::protocol
