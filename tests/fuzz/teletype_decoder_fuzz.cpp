// fuzz-link: hakto_protocol
// The teletype decoder (and, for the round trips, the encoder). The first byte chooses:
//   bit 0: ITA2 (else US-TTY); bit 1: USOS; bit 2: the rest is UTF-8 text to encode (else the
//   rest is 5-level codes to decode); bits 3-7: where the text is cut in two for the
//   piecewise encoder (a fraction of its length).
// Properties, each a crash when broken:
// - codes: `decode` equals feeding the codes one by one to a teletype_decoder; it reads only
//   the five low bits; `decode_checked` fails exactly when a value is above 0x1F and lists
//   every such value; a decoded text without U+FFFD encodes (strict) and decodes back to
//   itself, and with USOS that encoding also prints the same on a receiver without USOS;
// - text: strict encoding fails exactly when lenient encoding substitutes, at the same
//   offsets; encoding in two pieces gives what encoding the whole text gives;
//   encode(decode(encode(t))) == encode(t), NUL aside (the printer drops it).
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"

using namespace hakto::protocol;

namespace {

/// What `decode` documents for one code meaning.
void append_meaning(std::string& out, code_meaning m) {
    switch (m.function) {
        case code_function::print:
            utf8::append(out, m.character);
            break;
        case code_function::space:
            out += ' ';
            break;
        case code_function::carriage_return:
            out += '\r';
            break;
        case code_function::line_feed:
            out += '\n';
            break;
        case code_function::bell:
            out += '\a';
            break;
        case code_function::who_are_you:
            out += '\x05';
            break;
        case code_function::unassigned:
            utf8::append(out, utf8::replacement_character);
            break;
        case code_function::nul:
        case code_function::figures:
        case code_function::letters:
            break;
    }
}

std::string show(const std::vector<code>& codes) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string s;
    for (auto c : codes) {
        s += hex[c >> 4];
        s += hex[c & 0xF];
        s += ' ';
    }
    return s;
}

void check_codes(std::span<const code> codes, const decode_options& d) {
    auto text = decode(codes, d);

    teletype_decoder receiver{d};
    std::string fed;
    for (auto c : codes) append_meaning(fed, receiver.feed(c));
    HAKTO_FUZZ_CHECK(fed == text, "decode equals feeding the codes one by one");

    std::vector<code> masked(codes.begin(), codes.end());
    std::vector<invalid_code> invalid;
    for (std::size_t i = 0; i < masked.size(); ++i) {
        if (masked[i] > codes::mask) invalid.push_back({i, masked[i]});
        masked[i] &= codes::mask;
    }
    HAKTO_FUZZ_CHECK(decode(masked, d) == text, "decode reads only the five low bits");

    auto checked = decode_checked(codes, d);
    if (invalid.empty()) {
        HAKTO_FUZZ_CHECK(checked.has_value() && checked.value() == text,
                         "decode_checked equals decode on 5-level codes");
    } else {
        HAKTO_FUZZ_CHECK(!checked.has_value(), "decode_checked rejects a value above 0x1F");
        HAKTO_FUZZ_CHECK(checked.error().codes == invalid,
                         "decode_checked lists every value above 0x1F");
        HAKTO_FUZZ_CHECK(!checked.error().message().empty(),
                         "decode_checked's error has a message");
    }

    if (text.find("\xEF\xBF\xBD") != std::string::npos) return;  // an unassigned ITA2 figure
    encode_options e{d.set, d.usos, true};
    auto sent = encode(text, e);
    HAKTO_FUZZ_CHECK(sent.has_value(), "a decoded text encodes (strict)",
                     sent ? "" : sent.error().message());
    HAKTO_FUZZ_CHECK(decode(sent.value().codes, d) == text,
                     "decode(encode(decode(c))) == decode(c)", show(sent.value().codes));
    if (d.usos)
        HAKTO_FUZZ_CHECK(decode(sent.value().codes, decode_options{d.set, false}) == text,
                         "a USOS encoding prints the same on a receiver without USOS",
                         show(sent.value().codes));
}

void check_text(std::string_view text, code_set set, bool usos, std::size_t cut) {
    auto lenient = encode(text, encode_options{set, usos, false});
    HAKTO_FUZZ_CHECK(lenient.has_value(), "lenient encoding never fails");
    const auto& subs = lenient.value().substitutions;
    auto strict = encode(text, encode_options{set, usos, true});
    if (subs.empty()) {
        HAKTO_FUZZ_CHECK(strict.has_value(),
                         "strict encoding succeeds when lenient substitutes nothing",
                         strict ? "" : strict.error().message());
        HAKTO_FUZZ_CHECK(strict.value().codes == lenient.value().codes,
                         "strict and lenient encodings agree without substitutions");
    } else {
        HAKTO_FUZZ_CHECK(!strict.has_value(), "strict encoding fails when lenient substitutes");
        const auto& bad = strict.error().characters;
        HAKTO_FUZZ_CHECK(bad.size() == subs.size(),
                         "strict lists every character lenient substitutes",
                         strict.error().message());
        for (std::size_t i = 0; i < bad.size(); ++i)
            HAKTO_FUZZ_CHECK(bad[i].offset == subs[i].offset && bad[i].where == subs[i].where,
                             "strict and lenient name the same places", strict.error().message());
    }

    teletype_encoder pieces{encode_options{set, usos, false}};
    auto first = pieces.encode(text.substr(0, cut));
    auto second = pieces.encode(text.substr(cut));
    auto last = pieces.finish();
    HAKTO_FUZZ_CHECK(first && second && last, "lenient piecewise encoding never fails");
    std::vector<code> joined;
    std::vector<substitution> joined_subs;
    for (const auto* part : {&first.value(), &second.value(), &last.value()}) {
        joined.insert(joined.end(), part->codes.begin(), part->codes.end());
        joined_subs.insert(joined_subs.end(), part->substitutions.begin(),
                           part->substitutions.end());
    }
    HAKTO_FUZZ_CHECK(joined == lenient.value().codes,
                     "encoding in pieces gives the codes of the whole",
                     show(joined) + "\n" + show(lenient.value().codes));
    HAKTO_FUZZ_CHECK(joined_subs == subs,
                     "encoding in pieces gives the substitutions of the whole");

    auto printed = decode(lenient.value().codes, decode_options{set, usos});
    auto resent = encode(printed, encode_options{set, usos, true});
    HAKTO_FUZZ_CHECK(resent.has_value(), "a printed text encodes (strict)",
                     resent ? "" : resent.error().message());
    // The printer does nothing with NUL (blank tape), so decoding drops it; a text of NULs
    // alone prints nothing at all, and nothing encodes as no codes.
    if (printed.empty()) {
        HAKTO_FUZZ_CHECK(resent.value().codes.empty(), "an empty text encodes as no codes");
        return;
    }
    auto without_nul = lenient.value().codes;
    std::erase(without_nul, codes::nul);
    HAKTO_FUZZ_CHECK(resent.value().codes == without_nul,
                     "encode(decode(encode(t))) == encode(t) without NULs",
                     show(resent.value().codes) + "\n" + show(lenient.value().codes));
}

}  // namespace

HAKTO_FUZZ_ENTRY(teletype_decoder) {
    if (size == 0) return 0;
    const auto mode = data[0];
    const auto set = (mode & 1) ? code_set::ita2 : code_set::us_tty;
    const bool usos = (mode & 2) != 0;
    const std::span<const code> rest{data + 1, size - 1};
    hakto::fuzz::no_exception("the teletype decoder and encoder", [&] {
        if (mode & 4) {
            std::string_view text{reinterpret_cast<const char*>(rest.data()), rest.size()};
            check_text(text, set, usos, rest.size() * (mode >> 3) / 31);
        } else {
            check_codes(rest, decode_options{set, usos});
        }
    });
    return 0;
}
