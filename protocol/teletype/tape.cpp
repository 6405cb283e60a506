#include "protocol/teletype/tape.hpp"

#include <array>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "protocol/teletype/teletype_decoder.hpp"

namespace hakto::protocol {

namespace {

// Across a row: channel 1, channel 2, feed hole, channel 3, channel 4, channel 5 (§2.5).
// Each entry is the code bit of the channel, or 0 for the feed hole.
constexpr std::array<code, 6> row_layout{0x01, 0x02, 0x00, 0x04, 0x08, 0x10};
constexpr std::array<int, 6> channel_number{1, 2, 0, 3, 4, 5};

bool is_hole(char32_t c) {
    return c == U'o' || c == U'O' || c == U'\u25CF';
}
bool is_feed_hole(char32_t c) {
    return c == U'.' || c == U'\u00B7';
}
bool is_edge(char32_t c) {
    return c == U'|' || c == U'\u2502';
}

std::string show(char32_t c) {
    if (c == utf8::replacement_character) return "invalid UTF-8";
    if (c < 0x20 || c == 0x7F) return fmt::format("U+{:04X}", static_cast<std::uint32_t>(c));
    return fmt::format("'{}'", utf8::encode(c));
}

// Reads one row; the codes are appended, the problem (if any) recorded.
void parse_row(std::string_view line, std::size_t line_number, std::vector<code>& out,
               std::vector<malformed_row>& problems) {
    std::size_t column = 1;
    const auto next = [&]() -> char32_t {
        const utf8::read_result r = utf8::read(line);
        line.remove_prefix(r.length);
        ++column;
        return r.status == utf8::read_status::ok ? r.value : utf8::replacement_character;
    };
    const auto fail = [&](std::size_t at, std::string reason) {
        problems.push_back({{line_number, at}, std::move(reason)});
    };

    char32_t c = next();
    while (c == U' ' || c == U'\t') c = next();
    if (!is_edge(c))
        return fail(column - 1, fmt::format("expected '|' to start the row, found {}", show(c)));

    code value = 0;
    for (std::size_t cell = 0; cell < row_layout.size(); ++cell) {
        if (line.empty()) {
            return fail(column, cell == 2 ? std::string{"the row ends before the feed hole"}
                                          : fmt::format("the row ends before channel {}",
                                                        channel_number[cell]));
        }
        c = next();
        if (cell == 2) {
            if (!is_feed_hole(c))
                return fail(column - 1,
                            fmt::format("expected the feed hole ('.' or '·'), found {}", show(c)));
        } else if (is_hole(c)) {
            value |= row_layout[cell];
        } else if (c != U' ') {
            return fail(column - 1, fmt::format("channel {}: expected a hole ('o' or '●') or a "
                                                "space, found {}",
                                                channel_number[cell], show(c)));
        }
    }
    if (line.empty()) return fail(column, "the row ends before its closing '|'");
    c = next();
    if (!is_edge(c))
        return fail(column - 1, fmt::format("expected '|' after channel 5, found {}", show(c)));
    out.push_back(value);
}

}  // namespace

std::string render_tape(std::span<const code> input, const tape_options& options) {
    const std::string_view hole = options.unicode ? "\u25CF" : "o";
    const std::string_view feed_hole = options.unicode ? "\u00B7" : ".";
    teletype_decoder receiver{{options.set, options.usos}};
    std::string out;
    out.reserve(input.size() * 16);
    for (const code raw : input) {
        const code c = raw & codes::mask;  // five channels: only the low five bits are punched
        out += '|';
        for (const code bit : row_layout) {
            if (bit == 0)
                out += feed_hole;
            else if (c & bit)
                out += hole;
            else
                out += ' ';
        }
        out += '|';
        if (options.annotate) {
            const shift case_at_row = receiver.current_shift();
            receiver.feed(c);
            out += fmt::format(" {:02X}  {}", c, code_name(c, case_at_row, options.set));
        }
        out += '\n';
    }
    return out;
}

std::string tape_error::message() const {
    std::string out;
    for (const malformed_row& row : rows) {
        if (!out.empty()) out += "; ";
        out += fmt::format("{}:{}: {}", row.where.line, row.where.column, row.reason);
    }
    return out;
}

expected<std::vector<code>, tape_error> parse_tape(std::string_view picture) {
    std::vector<code> out;
    tape_error error;
    std::size_t line_number = 0;
    while (!picture.empty()) {
        ++line_number;
        const std::size_t end = picture.find('\n');
        std::string_view line = picture.substr(0, end);
        picture.remove_prefix(end == std::string_view::npos ? picture.size() : end + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#') continue;
        parse_row(line, line_number, out, error.rows);
    }
    if (!error.rows.empty()) return error;
    return out;
}

}  // namespace hakto::protocol
