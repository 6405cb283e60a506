#include "protocol/text/utf8.hpp"

namespace hakto::protocol {

namespace utf8 {

namespace {
constexpr bool in(unsigned char b, unsigned char lo, unsigned char hi) {
    return b >= lo && b <= hi;
}
}  // namespace

read_result read(std::string_view bytes) noexcept {
    if (bytes.empty()) return {0, 0, read_status::ok};
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    if (b0 < 0x80) return {b0, 1, read_status::ok};

    // Well-formed byte sequences, Unicode Table 3-7: the range the second byte must fall in
    // depends on the lead byte; every later byte is 80..BF.
    std::size_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    char32_t value = 0;
    if (in(b0, 0xC2, 0xDF)) {
        need = 1;
        value = b0 & 0x1Fu;
    } else if (in(b0, 0xE0, 0xEF)) {
        need = 2;
        value = b0 & 0x0Fu;
        if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (in(b0, 0xF0, 0xF4)) {
        need = 3;
        value = b0 & 0x07u;
        if (b0 == 0xF0) lo = 0x90;  // no overlong forms
        if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return {replacement_character, 1, read_status::invalid};
    }
    for (std::size_t i = 1; i <= need; ++i) {
        if (i >= bytes.size()) return {replacement_character, i, read_status::truncated};
        const auto b = static_cast<unsigned char>(bytes[i]);
        const bool ok = i == 1 ? in(b, lo, hi) : in(b, 0x80, 0xBF);
        if (!ok) return {replacement_character, i, read_status::invalid};
        value = (value << 6) | (b & 0x3Fu);
    }
    return {value, need + 1, read_status::ok};
}

void append(std::string& out, char32_t c) {
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) c = replacement_character;
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encode(char32_t c) {
    std::string out;
    append(out, c);
    return out;
}

std::size_t length(std::string_view text) noexcept {
    std::size_t n = 0;
    while (!text.empty()) {
        const read_result r = read(text);
        text.remove_prefix(r.length);
        ++n;
    }
    return n;
}

}  // namespace utf8

}  // namespace hakto::protocol
