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

}  // namespace hakto::protocol
