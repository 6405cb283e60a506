#include "protocol/cable/cable_tape.hpp"

#include "protocol/teletype/line_discipline.hpp"

namespace hakto::protocol {

expected<encoded, encode_error> cable_line_codes(const cable& c, const format_options& format,
                                                 const encode_options& code) {
    auto text = format_cable(c, format);
    std::string line;
    // format_cable ends the envelope with FL16 as page copy shows it: 8 empty lines, NNNN.
    constexpr std::string_view fl16_text = "\n\n\n\n\n\n\n\nNNNN\n";
    bool envelope = format.style == header_style::acp127 && text.size() >= fl16_text.size() &&
                    std::string_view{text}.substr(text.size() - fl16_text.size()) == fl16_text;
    if (envelope) {
        line = to_page_copy_line_ends(
            std::string_view{text}.substr(0, text.size() - fl16_text.size()));
        line += "\r\r";                // FL16: 2 CR …
        line += std::string(8, '\n');  // … 8 LF …
        line += "NNNN";                // … NNNN …
    } else {
        line = to_page_copy_line_ends(text);
    }
    auto r = encode(line, code);
    if (!r) return r;
    if (envelope) {
        auto fill = ltrs_fill(end_of_message_ltrs);  // … 12 LTRS.
        r.value().codes.insert(r.value().codes.end(), fill.begin(), fill.end());
    }
    return r;
}

}  // namespace hakto::protocol
