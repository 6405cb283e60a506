#include "terminals/teleprinter/teleprinter_input.hpp"

#include <fmt/format.h>

#include "protocol/text/utf8.hpp"

namespace hakto::terminals {

namespace {

constexpr std::uint8_t in_bs = 0x08;
constexpr std::uint8_t in_lf = 0x0A;
constexpr std::uint8_t in_cr = 0x0D;
constexpr std::uint8_t in_enq = 0x05;
constexpr std::uint8_t in_del = 0x7F;
constexpr protocol::code code_d = 0x09;  // D in LETTERS; WRU (ITA2) or '$' (US-TTY) in FIGURES

std::string_view trimmed_line(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

teleprinter_input::teleprinter_input(input_config config)
    : config_(config), decoder_({config.code, config.usos}) {}

void teleprinter_input::reset() {
    decoder_.reset();
    cable_.clear();
    line_.clear();
    last_line_blank_ = false;
    discarding_ = false;
    last_was_cr_ = false;
}

std::vector<input_event> teleprinter_input::feed(std::span<const std::uint8_t> bytes) {
    std::vector<input_event> events;
    for (const auto b : bytes) {
        if (config_.mode == teleprinter_mode::baudot) {
            const protocol::code c = b & protocol::codes::mask;
            const bool figures = decoder_.current_shift() == protocol::shift::figures;
            const auto m = decoder_.feed(c);
            if (figures && c == code_d && config_.answers_wru) {
                wru(events);
                continue;
            }
            switch (m.function) {
                case protocol::code_function::print: {
                    // Table characters are ASCII, apart from none; read them as UTF-8 anyway.
                    std::string s;
                    protocol::utf8::append(s, m.character);
                    for (const char ch : s) character(ch, events);
                    break;
                }
                case protocol::code_function::space:
                    character(' ', events);
                    break;
                case protocol::code_function::line_feed:
                    end_line(events);
                    break;
                case protocol::code_function::who_are_you:
                    wru(events);
                    break;
                default:
                    break;  // CR, NUL, the shifts, BELL, unassigned: nothing on the page text
            }
            continue;
        }
        const std::uint8_t a = b & 0x7F;  // the parity bit, if the UART passes it
        if (a == in_lf) {
            if (!last_was_cr_) end_line(events);
            last_was_cr_ = false;
            continue;
        }
        last_was_cr_ = false;
        if (a == in_cr) {
            end_line(events);
            last_was_cr_ = true;
        } else if (a == in_enq) {
            wru(events);
        } else if (a == in_bs || a == in_del) {
            if (!line_.empty()) line_.pop_back();
        } else if (a >= 0x20 && a < 0x7F) {
            const char ch = static_cast<char>(a >= 'a' && a <= 'z' ? a - 32 : a);
            character(ch, events);
        }
        // other controls (NUL fill, BEL, XON/XOFF...): nothing on the page text
    }
    return events;
}

void teleprinter_input::wru(std::vector<input_event>& events) {
    if (config_.answers_wru)
        events.push_back({input_event::kind::wru, {}});
    else
        events.push_back({input_event::kind::note, "WRU received; no answerback configured"});
}

void teleprinter_input::character(char c, std::vector<input_event>& events) {
    if (discarding_) {
        // Only the line is kept, to see the filing line that ends the discarded cable.
        if (line_.size() < 16) line_.push_back(c);
        return;
    }
    if (cable_.size() + line_.size() + 1 > config_.max_cable) {
        events.push_back({input_event::kind::note,
                          fmt::format("typed cable longer than {} bytes: discarded up to the "
                                      "next NNNN",
                                      config_.max_cable)});
        discarding_ = true;
        cable_.clear();
        line_.clear();
        line_.push_back(c);
        return;
    }
    line_.push_back(c);
}

void teleprinter_input::end_line(std::vector<input_event>& events) {
    const auto line = trimmed_line(line_);
    const bool is_nnnn = line == "NNNN";
    const bool files =
        is_nnnn && (config_.filing == teleprinter_filing::nnnn || last_line_blank_ || discarding_);
    if (files) {
        if (discarding_) {
            events.push_back({input_event::kind::note, "discarded cable ended by NNNN"});
        } else {
            std::string text = std::move(cable_);
            if (config_.filing == teleprinter_filing::blank_line_nnnn && text.ends_with("\n\n"))
                text.pop_back();  // the blank line before NNNN is not part of the cable
            if (trimmed_line(text).find_first_not_of('\n') == std::string_view::npos)
                events.push_back(
                    {input_event::kind::note, "NNNN with no cable text: nothing filed"});
            else
                events.push_back({input_event::kind::cable, std::move(text)});
        }
        cable_.clear();
        line_.clear();
        discarding_ = false;
        last_line_blank_ = false;
        return;
    }
    last_line_blank_ = line.empty();
    if (!discarding_) {
        // Cable text before the first character of substance starts at its first line: blank
        // lines between cables are not part of the next one.
        if (!(cable_.empty() && line.empty())) {
            cable_.append(line_);
            cable_.push_back('\n');
        }
    }
    line_.clear();
}

}  // namespace hakto::terminals
