#include "protocol/teletype/line_discipline.hpp"

#include <algorithm>

namespace hakto::protocol {

namespace {

// One line, split into characters as byte ranges of the line.
struct character_span {
    std::size_t begin;
    std::size_t length;
    bool is_space;
};

std::vector<character_span> split_characters(std::string_view line) {
    std::vector<character_span> chars;
    std::size_t i = 0;
    while (i < line.size()) {
        const utf8::read_result r = utf8::read(line.substr(i));
        chars.push_back({i, r.length, line[i] == ' '});
        i += r.length;
    }
    return chars;
}

void wrap_line(std::string_view line, std::size_t column, std::string& out) {
    const std::vector<character_span> chars = split_characters(line);
    const auto bytes = [&](std::size_t from, std::size_t to) {  // characters [from, to)
        if (from >= to) return std::string_view{};
        const std::size_t b = chars[from].begin;
        const std::size_t e = chars[to - 1].begin + chars[to - 1].length;
        return line.substr(b, e - b);
    };
    const auto only_spaces = [&](std::size_t from, std::size_t to) {
        return std::all_of(chars.begin() + static_cast<std::ptrdiff_t>(from),
                           chars.begin() + static_cast<std::ptrdiff_t>(to),
                           [](const character_span& c) { return c.is_space; });
    };

    std::size_t start = 0;
    bool first_segment = true;
    const auto emit = [&](std::size_t from, std::size_t to) {
        while (to > from && chars[to - 1].is_space) --to;
        if (!first_segment) out += '\n';
        out += bytes(from, to);
        first_segment = false;
    };

    if (chars.size() <= column) {
        out += line;
        return;
    }
    while (chars.size() - start > column) {
        // The last space within reach with something other than spaces before it: the text up
        // to it fits on this line.
        std::size_t brk = start;
        for (std::size_t k = start + column; k > start; --k) {
            if (chars[k].is_space && !only_spaces(start, k)) {
                brk = k;
                break;
            }
        }
        if (brk > start) {
            emit(start, brk);
            start = brk;
        } else if (chars[start].is_space) {
            // An indent that cannot share a line with the word after it.
        } else {
            emit(start, start + column);  // a word longer than the line: broken hard
            start += column;
        }
        while (start < chars.size() && chars[start].is_space) ++start;
    }
    if (start < chars.size() && !only_spaces(start, chars.size())) emit(start, chars.size());
    if (first_segment) emit(start, start);  // nothing but spaces: an empty line
}

}  // namespace

std::string wrap_text(std::string_view text, std::size_t column) {
    column = std::max<std::size_t>(column, 1);
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    std::size_t begin = 0;
    while (true) {
        const std::size_t end = text.find('\n', begin);
        wrap_line(text.substr(begin,
                              end == std::string_view::npos ? std::string_view::npos : end - begin),
                  column, out);
        if (end == std::string_view::npos) break;
        out += '\n';
        begin = end + 1;
    }
    return out;
}

std::string to_page_copy_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    std::size_t pending_crs = 0;
    for (const char ch : text) {
        if (ch == '\r') {
            ++pending_crs;
            continue;
        }
        if (ch == '\n') {
            out += "\r\r\n";  // CR CR LF (protocol facts §1.9)
        } else {
            out.append(pending_crs, '\r');
            out += ch;
        }
        pending_crs = 0;
    }
    out.append(pending_crs, '\r');
    return out;
}

std::string from_page_copy_line_ends(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t pending_crs = 0;
    for (const char ch : text) {
        if (ch == '\r') {
            ++pending_crs;
            continue;
        }
        if (ch != '\n') out.append(pending_crs, '\r');
        out += ch;
        pending_crs = 0;
    }
    out.append(pending_crs, '\r');
    return out;
}

std::vector<code> ltrs_fill(std::size_t n) {
    return std::vector<code>(n, codes::ltrs);
}

}  // namespace hakto::protocol
