#include "protocol/teletype/teletype_decoder.hpp"

#include <fmt/format.h>

namespace hakto::protocol {

teletype_decoder::teletype_decoder(decode_options options) : options_(options) {}

code_meaning teletype_decoder::feed(code c) noexcept {
    const code_meaning m = meaning_of(c, shift_, options_.set);
    switch (m.function) {
        case code_function::figures:
            shift_ = shift::figures;
            break;
        case code_function::letters:
            shift_ = shift::letters;
            break;
        case code_function::space:
            // Unshift on space (protocol facts §2.2).
            if (options_.usos) shift_ = shift::letters;
            break;
        default:
            break;
    }
    return m;
}

namespace {

void append_meaning(std::string& out, const code_meaning& m) {
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

}  // namespace

std::string decode(std::span<const code> input, const decode_options& options) {
    teletype_decoder decoder{options};
    std::string out;
    out.reserve(input.size());
    for (const code c : input) append_meaning(out, decoder.feed(c));
    return out;
}

std::string decode_error::message() const {
    std::string out = codes.size() == 1
                          ? std::string{"1 value is not a 5-level code: "}
                          : fmt::format("{} values are not 5-level codes: ", codes.size());
    bool first = true;
    for (const invalid_code& c : codes) {
        if (!first) out += ", ";
        first = false;
        out += fmt::format("0x{:02X} at index {}", c.value, c.index);
    }
    return out;
}

expected<std::string, decode_error> decode_checked(std::span<const code> input,
                                                   const decode_options& options) {
    decode_error error;
    for (std::size_t i = 0; i < input.size(); ++i)
        if (input[i] > codes::mask) error.codes.push_back({i, input[i]});
    if (!error.codes.empty()) return error;
    return decode(input, options);
}

}  // namespace hakto::protocol
