#include "terminals/teleprinter/teleprinter_output.hpp"

#include <fmt/format.h>
#include <cmath>

#include "protocol/text/utf8.hpp"

namespace hakto::terminals {

namespace {

namespace pc = protocol::codes;

constexpr std::uint8_t out_cr = 0x0D;
constexpr std::uint8_t out_lf = 0x0A;
constexpr std::uint8_t out_nul = 0x00;
constexpr std::uint8_t out_bel = 0x07;

// A line longer than this without a line feed is taken as a new line from there on: no machine
// prints one (72 columns on a Model 15/28 or an ASR-33), so it is a stream without LF, and the
// repeat after a reopening stays short.
constexpr std::size_t max_line = 1024;

std::string describe(const protocol::substitution& s) {
    return fmt::format("U+{:04X} at {}:{} (byte {}) as '{}'",
                       static_cast<std::uint32_t>(s.original), s.where.line, s.where.column,
                       s.offset, s.replacement);
}

bool shift_neutral_only(std::string_view text) {
    for (const char c : text)
        if (c != ' ' && c != '\r' && c != '\n' && c != '\0') return false;
    return true;
}

// What an ASR-33 prints for a character outside its 64 printing characters (0x20..0x5F): the
// encoder's lenient policy for the character (É -> E, "…" -> "...", Ø -> 0, typographic quotes
// -> '), read back as text; nullopt when that policy keeps the character as it is.
std::string ascii_replacement(char32_t c) {
    switch (c) {
        case U'`':
            return "'";
        case U'{':
            return "(";
        case U'}':
            return ")";
        case U'|':
            return "/";
        case U'~':
            return "-";
        case U'\t':
            return " ";
        case U'\u201C':
        case U'\u201D':
        case U'\u201E':
        case U'\u2033':
            return "\"";
        default:
            break;
    }
    if (c < 0x20 || c == 0x7F) return "";
    const auto piece = protocol::utf8::encode(c);
    auto enc = protocol::encode(piece, {protocol::code_set::us_tty, false, false});
    if (!enc) return "?";
    const auto& e = enc.value();
    if (!e.substitutions.empty()) return e.substitutions.front().replacement;
    return protocol::decode(e.codes, {protocol::code_set::us_tty, false});
}

}  // namespace

teleprinter_output::teleprinter_output(output_config config)
    : config_(config), encoder_({config.code, config.usos, false}) {
    const double char_ms = config_.settings.character_seconds() * 1000.0;
    const double fill = std::ceil(static_cast<double>(config_.cr_delay.count()) / char_ms);
    cr_fill_ = fill < 1.0 ? 1 : static_cast<std::size_t>(fill);
}

output_bytes teleprinter_output::text(std::string_view utf8) {
    output_bytes out;
    if (config_.settings.mode == teleprinter_mode::baudot) {
        auto r = encoder_.encode(utf8);
        if (!r) {  // lenient mode substitutes; kept for safety, never expected
            out.substitutions.push_back(r.error().message());
            return out;
        }
        auto enc = std::move(r).value();
        if (!enc.codes.empty()) encoder_started_ = true;
        if (!encoder_started_ && !utf8.empty() && shift_neutral_only(utf8)) {
            // Only SP/CR/LF/NUL so far: the encoder holds them for the first shift; the machine
            // gets them now, after LTRS (finish() sends LTRS and them, and resets the encoder,
            // so the next piece begins with a shift of its own).
            auto fin = encoder_.finish();
            if (fin) enc.codes = std::move(fin).value().codes;
        }
        out.bytes.assign(enc.codes.begin(), enc.codes.end());
        for (const auto& s : enc.substitutions) out.substitutions.push_back(describe(s));
        return out;
    }

    std::size_t offset = 0;
    while (offset < utf8.size()) {
        const auto rd = protocol::utf8::read(utf8.substr(offset));
        const char32_t c = rd.status == protocol::utf8::read_status::ok
                               ? rd.value
                               : protocol::utf8::replacement_character;
        const std::size_t at = offset;
        offset += rd.length == 0 ? 1 : rd.length;
        if (c == U'\r') {
            out.bytes.push_back(out_cr);
            out.bytes.append(cr_fill_, out_nul);
            last_was_cr_ = true;
            continue;
        }
        if (c == U'\n') {
            if (!last_was_cr_) {
                out.bytes.push_back(out_cr);
                out.bytes.append(cr_fill_, out_nul);
            }
            out.bytes.push_back(out_lf);
            last_was_cr_ = false;
            continue;
        }
        last_was_cr_ = false;
        if (c >= U'a' && c <= U'z') {
            out.bytes.push_back(static_cast<std::uint8_t>(c - U'a' + U'A'));
        } else if ((c >= 0x20 && c <= 0x5F) || c == U'\a') {
            out.bytes.push_back(static_cast<std::uint8_t>(c == U'\a' ? out_bel : c));
        } else {
            const auto rep = ascii_replacement(c);
            for (const char r : rep) {
                const auto u = static_cast<unsigned char>(r);
                out.bytes.push_back(static_cast<std::uint8_t>(u >= 'a' && u <= 'z' ? u - 32 : u));
            }
            // Ø -> 0 is the policy (teleprinters print that zero as Ø, protocol facts §1.11),
            // not a loss, so it is not listed; nor are typographic apostrophes.
            const bool silent = c == U'Ø' || c == U'ø' || (rep == "'" && c >= 0x80);
            if (!silent)
                out.substitutions.push_back(fmt::format("U+{:04X} at byte {} as '{}'",
                                                        static_cast<std::uint32_t>(c), at, rep));
        }
    }
    return out;
}

byte_string teleprinter_output::codes(std::span<const protocol::code> codes) {
    byte_string out;
    out.reserve(codes.size());
    for (const auto c : codes) out.push_back(static_cast<std::uint8_t>(c & pc::mask));
    encoder_.reset();
    encoder_started_ = false;
    return out;
}

byte_string teleprinter_output::repeat_prefix() const {
    byte_string out;
    if (config_.settings.mode == teleprinter_mode::baudot) {
        out.push_back(pc::cr);
        out.push_back(pc::lf);
        const auto mark = protocol::encode(repeat_mark, {config_.code, config_.usos, true});
        for (const auto c : mark.value().codes) out.push_back(c);
        return out;
    }
    out.push_back(out_cr);
    out.append(cr_fill_, out_nul);
    out.push_back(out_lf);
    for (const char c : repeat_mark) out.push_back(static_cast<std::uint8_t>(c));
    return out;
}

printed_line::printed_line(const output_config& config)
    : config_(config), decoder_({config.code, config.usos}) {}

void printed_line::written(std::span<const std::uint8_t> bytes) {
    const bool baudot = config_.settings.mode == teleprinter_mode::baudot;
    for (const auto b : bytes) {
        if (baudot) {
            decoder_.feed(b);
            if ((b & pc::mask) == pc::lf) {
                line_.clear();
                line_shift_ = decoder_.current_shift();
                continue;
            }
        } else if (b == out_lf) {
            line_.clear();
            continue;
        }
        if (line_.size() >= max_line) {
            line_.clear();
            line_shift_ = decoder_.current_shift();
        }
        line_.push_back(b);
    }
}

printed_line::repeat printed_line::take_repeat(const teleprinter_output& output) {
    repeat r;
    if (line_.empty()) return r;
    r.mark = output.repeat_prefix();
    decoder_.reset();  // the mark ends in LETTERS
    if (config_.settings.mode == teleprinter_mode::baudot &&
        line_shift_ == protocol::shift::figures) {
        r.mark.push_back(pc::figs);
        decoder_.feed(pc::figs);
    }
    r.line = std::move(line_);
    line_.clear();
    return r;
}

}  // namespace hakto::terminals
