#include "protocol/teletype/page_printer.hpp"

#include <algorithm>
#include <utility>

namespace hakto::protocol {

namespace {
constexpr char32_t blank = U' ';
}

page_printer::page_printer(page_printer_options options)
    : columns_(std::max<std::size_t>(options.columns, 1)), slashed_zero_(options.slashed_zero) {}

void page_printer::feed(const code_meaning& m) {
    switch (m.function) {
        case code_function::print:
            print(m.character);
            break;
        case code_function::space:
            space();
            break;
        case code_function::carriage_return:
            carriage_return();
            break;
        case code_function::line_feed:
            line_feed();
            break;
        case code_function::bell:
            ++bells_;
            break;
        case code_function::who_are_you:
            ++wru_;
            break;
        case code_function::unassigned:
            print(utf8::replacement_character);
            break;
        case code_function::nul:
        case code_function::figures:
        case code_function::letters:
            break;
    }
}

void page_printer::space() {
    // At the right margin the carriage stays on the last column.
    if (carriage_ + 1 < columns_) ++carriage_;
}

void page_printer::print(char32_t c) {
    if (c == blank) {
        space();
        return;
    }
    if (slashed_zero_ && c == U'0') c = U'\u00D8';
    std::u32string& row = page_[line_];
    if (row.size() <= carriage_) row.resize(carriage_ + 1, blank);
    if (row[carriage_] != blank) ++overprints_;
    row[carriage_] = c;
    space();
}

void page_printer::carriage_return() noexcept {
    carriage_ = 0;
}

void page_printer::line_feed() {
    ++line_;
    if (page_.size() <= line_) page_.resize(line_ + 1);
}

std::vector<std::string> page_printer::lines() const {
    std::vector<std::string> out;
    out.reserve(page_.size());
    for (const std::u32string& row : page_) {
        const std::size_t end = row.find_last_not_of(blank);
        std::string line;
        if (end != std::u32string::npos)
            for (std::size_t i = 0; i <= end; ++i) utf8::append(line, row[i]);
        out.push_back(std::move(line));
    }
    return out;
}

std::string page_printer::text() const {
    std::string out;
    bool first = true;
    for (const std::string& line : lines()) {
        if (!first) out += '\n';
        first = false;
        out += line;
    }
    return out;
}

std::string page_copy_text(const code_meaning& m, bool slashed_zero, bool bell) {
    switch (m.function) {
        case code_function::print:
            if (slashed_zero && m.character == U'0')
                return "\xC3\x98";  // Ø, as the type printed it
            return utf8::encode(m.character);
        case code_function::space:
            return " ";
        case code_function::carriage_return:
            return "\r";
        case code_function::line_feed:
            return "\n";
        case code_function::bell:
            return bell ? "\a" : "";
        default:
            return {};
    }
}

}  // namespace hakto::protocol
