#include "protocol/teletype/teletype_encoder.hpp"

#include <array>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

namespace hakto::protocol {

namespace {

// The silent part of the character policy (see the header): characters that stand for a table
// character without anything visible being lost.
char32_t apply_policy(char32_t c) {
    if (c >= U'a' && c <= U'z') return c - (U'a' - U'A');
    switch (c) {
        // The slashed zero is how the teleprinter prints 0 (protocol facts §1.11).
        case U'\u00D8':  // Ø
        case U'\u00F8':  // ø
            return U'0';
        // Typographic quotes and primes are sent as the apostrophe.
        case U'\u2018':  // ‘
        case U'\u2019':  // ’
        case U'\u201A':  // ‚
        case U'\u201B':  // ‛
        case U'\u201C':  // “
        case U'\u201D':  // ”
        case U'\u201E':  // „
        case U'\u2032':  // ′
        case U'\u2033':  // ″
            return U'\'';
        default:
            return c;
    }
}

// Base letters for U+00C0..U+00FF.
constexpr std::array<std::string_view, 64> latin1_letters{
    "A", "A", "A", "A", "A", "A", "AE", "C",   // À Á Â Ã Ä Å Æ Ç
    "E", "E", "E", "E", "I", "I", "I",  "I",   // È É Ê Ë Ì Í Î Ï
    "D", "N", "O", "O", "O", "O", "O",  "?",   // Ð Ñ Ò Ó Ô Õ Ö ×
    "O", "U", "U", "U", "U", "Y", "TH", "SS",  // Ø Ù Ú Û Ü Ý Þ ß
    "A", "A", "A", "A", "A", "A", "AE", "C",   // à á â ã ä å æ ç
    "E", "E", "E", "E", "I", "I", "I",  "I",   // è é ê ë ì í î ï
    "D", "N", "O", "O", "O", "O", "O",  "?",   // ð ñ ò ó ô õ ö ÷
    "O", "U", "U", "U", "U", "Y", "TH", "Y",   // ø ù ú û ü ý þ ÿ
};

struct letter_range {
    char32_t first;
    char32_t last;
    std::string_view base;
};

// Base letters for Latin Extended-A, U+0100..U+017F.
constexpr std::array<letter_range, 22> latin_extended_a{{
    {0x0100, 0x0105, "A"}, {0x0106, 0x010D, "C"},  {0x010E, 0x0111, "D"}, {0x0112, 0x011B, "E"},
    {0x011C, 0x0123, "G"}, {0x0124, 0x0127, "H"},  {0x0128, 0x0131, "I"}, {0x0132, 0x0133, "IJ"},
    {0x0134, 0x0135, "J"}, {0x0136, 0x0138, "K"},  {0x0139, 0x0142, "L"}, {0x0143, 0x014B, "N"},
    {0x014C, 0x0151, "O"}, {0x0152, 0x0153, "OE"}, {0x0154, 0x0159, "R"}, {0x015A, 0x0161, "S"},
    {0x0162, 0x0167, "T"}, {0x0168, 0x0173, "U"},  {0x0174, 0x0175, "W"}, {0x0176, 0x0178, "Y"},
    {0x0179, 0x017E, "Z"}, {0x017F, 0x017F, "S"},
}};

// The visible replacement for a character the code set lacks (lenient mode). Every replacement
// is made of characters both code sets have.
std::string_view replacement_for(char32_t c, code_set set) {
    if (c >= 0x00C0 && c <= 0x00FF) return latin1_letters[c - 0x00C0];
    for (const letter_range& r : latin_extended_a)
        if (c >= r.first && c <= r.last) return r.base;
    if (c >= 0x0300 && c <= 0x036F) return "";  // combining mark: its base letter is already sent
    switch (c) {
        case U'\u00BD':
            return "1/2";
        case U'\u00BC':
            return "1/4";
        case U'\u00BE':
            return "3/4";
        case U'\u2010':  // hyphen
        case U'\u2011':  // non-breaking hyphen
        case U'\u2012':  // figure dash
        case U'\u2013':  // en dash
        case U'\u2014':  // em dash
        case U'\u2212':  // minus
        case U'\u2022':  // bullet
            return "-";
        case U'\u2026':
            return "...";
        case U'\u00A0':
            return " ";
        case U'"':
            return set == code_set::ita2 ? "'" : "?";  // ITA2 figures Z is '+', not '"'
        default:
            return "?";
    }
}

bool shows_as_glyph(char32_t c) {
    return c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F) &&
           c != utf8::replacement_character && !(c >= 0xD800 && c <= 0xDFFF) && c <= 0x10FFFF;
}

void advance(source_position& where, char32_t c) {
    if (c == U'\n') {
        ++where.line;
        where.column = 1;
    } else {
        ++where.column;
    }
}

}  // namespace

std::string encode_error::message() const {
    if (characters.empty()) return "every character can be encoded";
    std::string out = characters.size() == 1
                          ? std::string{"1 character cannot be encoded: "}
                          : fmt::format("{} characters cannot be encoded: ", characters.size());
    bool first = true;
    for (const unencodable& u : characters) {
        if (!first) out += ", ";
        first = false;
        out += fmt::format("U+{:04X}", static_cast<std::uint32_t>(u.character));
        if (shows_as_glyph(u.character)) out += fmt::format(" '{}'", utf8::encode(u.character));
        if (u.character == utf8::replacement_character) out += " (invalid UTF-8 or U+FFFD)";
        out += fmt::format(" at {}:{} (byte {})", u.where.line, u.where.column, u.offset);
    }
    return out;
}

teletype_encoder::teletype_encoder(encode_options options) : options_(options) {}

void teletype_encoder::reset() {
    shift_.reset();
    started_ = false;
    offset_ = 0;
    position_ = {1, 1};
    held_back_.clear();
    waiting_.clear();
}

expected<encoded, encode_error> teletype_encoder::encode(std::string_view utf8_piece) {
    return encode_piece(utf8_piece, false);
}

expected<encoded, encode_error> teletype_encoder::finish() {
    auto result = encode_piece({}, true);
    reset();
    return result;
}

expected<encoded, encode_error> teletype_encoder::encode_piece(std::string_view utf8_piece,
                                                               bool end_of_stream) {
    const std::string buffer = held_back_ + std::string{utf8_piece};
    const std::string_view bytes{buffer};

    // Pass 1: every character to the table codes it stands for.
    std::vector<keyed_code> plan;
    encoded result;
    encode_error error;
    source_position where = position_;
    std::size_t i = 0;
    while (i < bytes.size()) {
        utf8::read_result r = utf8::read(bytes.substr(i));
        if (r.status == utf8::read_status::truncated) {
            if (!end_of_stream) break;  // held back for the next piece
            r.length = bytes.size() - i;
        }
        const std::size_t offset = offset_ + i;
        const bool well_formed = r.status == utf8::read_status::ok;
        const char32_t original = well_formed ? r.value : utf8::replacement_character;
        std::optional<keyed_code> key;
        if (well_formed) key = code_for(apply_policy(original), options_.set);
        if (key) {
            plan.push_back(*key);
        } else if (options_.strict) {
            error.characters.push_back({offset, where, original});
        } else {
            std::string_view replacement =
                well_formed ? replacement_for(original, options_.set) : "?";
            for (const char ch : replacement) {
                const auto replaced = code_for(static_cast<char32_t>(ch), options_.set);
                plan.push_back(replaced ? *replaced : *code_for(U'?', options_.set));
            }
            result.substitutions.push_back({offset, where, original, std::string{replacement}});
        }
        advance(where, original);
        i += r.length;
    }
    if (!error.characters.empty()) return error;

    // Pass 2: the codes, with the shifts they need.
    std::optional<shift> current = shift_;
    bool started = started_;
    std::vector<code> waiting = waiting_;
    result.codes.reserve(plan.size() + plan.size() / 4 + waiting.size() + 1);
    const auto send_shift = [&](shift s) {
        result.codes.push_back(s == shift::figures ? codes::figs : codes::ltrs);
        current = s;
    };
    const auto send = [&](const keyed_code& key) {
        if (key.needs && key.needs != current) send_shift(*key.needs);
        result.codes.push_back(key.value);
        // USOS: a receiver may have dropped to LETTERS on this space; the case is now unknown.
        if (options_.usos && key.value == codes::space && current == shift::figures)
            current.reset();
    };
    for (std::size_t k = 0; k < plan.size(); ++k) {
        const keyed_code& key = plan[k];
        if (!started) {
            if (!key.needs && !end_of_stream) {
                // Shift-neutral characters at the start of the stream wait for the first
                // character with a case, which decides the first shift.
                waiting.push_back(key.value);
                continue;
            }
            // One shift before the first character: the case of the first case-bearing one.
            shift first = shift::letters;
            for (std::size_t n = k; n < plan.size(); ++n) {
                if (plan[n].needs) {
                    first = *plan[n].needs;
                    break;
                }
            }
            send_shift(first);
            started = true;
            for (const code w : waiting) send({w, std::nullopt});
            waiting.clear();
        }
        send(key);
    }
    if (!started && end_of_stream && !waiting.empty()) {
        send_shift(shift::letters);  // nothing with a case in the whole stream: LTRS
        started = true;
        for (const code w : waiting) send({w, std::nullopt});
        waiting.clear();
    }

    shift_ = current;
    started_ = started;
    waiting_ = std::move(waiting);
    offset_ += i;
    position_ = where;
    held_back_ = std::string{bytes.substr(i)};
    return result;
}

expected<encoded, encode_error> encode(std::string_view utf8, const encode_options& options) {
    teletype_encoder encoder{options};
    return encoder.encode_piece(utf8, true);
}

}  // namespace hakto::protocol
