#pragma once
// A cable as the line codes a teletype sends: the page copy with CR CR LF line ends, encoded
// in ITA2 or US-TTY, and, for the ACP 127 envelope, the exact end-of-message functions of
// format line 16: 2 CR, 8 LF, NNNN, 12 LTRS (JANAP 128; protocol facts §1.4).
#include "protocol/cable/cable_formatter.hpp"
#include "protocol/teletype/teletype_encoder.hpp"

namespace hakto::protocol {

/// LTRS sent after NNNN to close an ACP 127 message on 5-level tape.
inline constexpr std::size_t end_of_message_ltrs = 12;

expected<encoded, encode_error> cable_line_codes(const cable& c, const format_options& format = {},
                                                 const encode_options& code = {});

}  // namespace hakto::protocol
