#include "terminals/replay/replay_render.hpp"

#include <ostream>

#include <fmt/format.h>

#include "protocol/teletype/page_printer.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "terminals/memo/memo_writer.hpp"
#include "terminals/replay/replay_event_json.hpp"

namespace hakto::terminals {

namespace {

std::string memo_block(const replay_event& e, bool compare) {
    if (!e.memo) return {};
    std::string s;
    if (!e.left_out.empty()) {
        s += "Left out of the memorandum:\n";
        for (const auto& l : e.left_out) s += "  - " + l + "\n";
        s += "\n";
    }
    if (compare && e.historical) return s + render_memo_comparison(*e.memo, *e.historical, 72);
    if (compare) s += "(no historical memorandum to compare with)\n\n";
    return s + render_memo(*e.memo);
}

}  // namespace

transcript_renderer::transcript_renderer(std::ostream& out, const replay& /*r*/, render_options o)
    : out_(out), options_(o), decoder_(protocol::decode_options{o.code, o.usos}) {}

void transcript_renderer::flush_line(const std::string&) {
    out_ << line_ << "\n";
    line_.clear();
}

void transcript_renderer::event(const replay_event& e) {
    switch (e.kind) {
        case replay_event_kind::punched:
        case replay_event_kind::line:
            return;  // too many for a transcript; the JSON file has them
        case replay_event_kind::printed: {
            if (page_cable_ != e.cable) {
                // The first character of a new page: the teleprinter at the destination starts.
                if (!line_.empty()) flush_line(e.cable);
                page_cable_ = e.cable;
                decoder_.reset();
                out_ << fmt::format("{}  {:<5}  the page printer starts: {}\n", zulu(e.at),
                                    e.station, e.cable);
                out_ << fmt::format("---- page copy at {} ----\n", e.station);
            }
            auto m = decoder_.feed(e.delivered);
            auto g = protocol::page_copy_text(m, options_.slashed_zero);
            if (g == "\n")
                flush_line(e.cable);
            else if (g == "\r") {
                // CR: the carriage returns; the page copy shows the line once.
            } else {
                line_ += g;
            }
            return;
        }
        case replay_event_kind::stage:
            if (e.stage == replay_stage::received) {
                if (!line_.empty()) flush_line(e.cable);
                out_ << "---- end of page ----\n";
                page_cable_.clear();
            }
            break;
        case replay_event_kind::memo:
            out_ << fmt::format("{}  {:<5}  {}\n", zulu(e.at), e.station, e.text);
            out_ << memo_block(e, options_.compare);
            return;
        default:
            break;
    }
    out_ << fmt::format("{}  {:<5}  {}\n", zulu(e.at), e.station, e.text);
}

void transcript_renderer::finish() {
    if (!line_.empty()) flush_line({});
    out_.flush();
}

terminal_renderer::terminal_renderer(std::ostream& out, const replay& r, render_options o, int rows,
                                     int columns)
    : out_(out),
      replay_(r),
      options_(o),
      rows_(std::max(rows, 5)),
      columns_(std::max(columns, 40)),
      decoder_(protocol::decode_options{o.code, o.usos}) {
    // Scrolling region above a one-line status bar.
    out_ << "\x1b[2J\x1b[1;" << rows_ - 1 << "r\x1b[1;1H" << std::flush;
}

terminal_renderer::~terminal_renderer() {
    finish();
}

void terminal_renderer::finish() {
    if (finished_) return;
    finished_ = true;
    out_ << "\x1b[r\x1b[" << rows_ << ";1H\x1b[K\n"
         << std::flush;  // the whole screen scrolls again
}

void terminal_renderer::status(const replay_event& e) {
    if (e.stage != replay_stage::none)
        last_stage_ = std::string{to_string(e.stage)} + (e.circuit.empty() ? "" : " " + e.circuit);
    auto line = fmt::format(" {}  Beijing {}  Washington {}  {} {}", zulu(e.at),
                            local_time(e.at, replay_.utc_offset("WTE10")).substr(5, 11),
                            local_time(e.at, replay_.utc_offset("WTE")).substr(5, 11), e.cable,
                            last_stage_);
    if (static_cast<int>(line.size()) > columns_) line.resize(static_cast<std::size_t>(columns_));
    // Save the cursor, write the bar in reverse video on the last row, restore the cursor.
    out_ << "\x1b"
            "7\x1b["
         << rows_ << ";1H\x1b[7m" << line
         << std::string(
                static_cast<std::size_t>(std::max(0, columns_ - static_cast<int>(line.size()))),
                ' ')
         << "\x1b[0m\x1b"
            "8";
}

void terminal_renderer::event(const replay_event& e) {
    switch (e.kind) {
        case replay_event_kind::punched:
            if (e.index % 16 == 0) status(e);
            return;
        case replay_event_kind::line:
            if (e.index % 8 == 0) status(e);
            return;
        case replay_event_kind::printed: {
            if (page_cable_ != e.cable) {
                page_cable_ = e.cable;
                decoder_.reset();
                out_ << fmt::format("\n\x1b[2m{}  the page printer at {} starts: {}\x1b[0m\n\n",
                                    zulu(e.at), e.station, e.cable);
            }
            auto g = protocol::page_copy_text(decoder_.feed(e.delivered), options_.slashed_zero);
            out_ << g;
            if (g == "\n") status(e);
            out_ << std::flush;
            return;
        }
        case replay_event_kind::memo:
            out_ << "\n" << memo_block(e, options_.compare);
            status(e);
            out_ << std::flush;
            return;
        case replay_event_kind::stage:
            if (e.stage == replay_stage::received) {
                out_ << fmt::format("\n\x1b[2m{}  {}\x1b[0m\n", zulu(e.at), e.text);
                page_cable_.clear();
            } else if (e.stage != replay_stage::transmitting && e.stage != replay_stage::relaying) {
                out_ << fmt::format("\x1b[2m{}  {}\x1b[0m\n", zulu(e.at), e.text);
            }
            break;
        default:
            out_ << fmt::format("\n\x1b[2m{}  {}\x1b[0m\n", zulu(e.at), e.text);
            break;
    }
    status(e);
    out_ << std::flush;
}

void json_transcript::event(const replay_event& e) {
    events_.push_back(event_json(e));
}

nlohmann::ordered_json json_transcript::document() const {
    nlohmann::ordered_json doc;
    doc["scenario"] = replay_.scenario().name;
    nlohmann::ordered_json stations = nlohmann::ordered_json::array();
    for (const auto& s : replay_.scenario().stations)
        stations.push_back({{"id", s.id},
                            {"name", s.name},
                            {"place", s.place},
                            {"utc_offset", s.utc_offset_hours}});
    doc["stations"] = stations;
    nlohmann::ordered_json cables = nlohmann::ordered_json::array();
    for (const auto& c : replay_.cables())
        cables.push_back({{"id", c.spec.id},
                          {"precedence", std::string(1, protocol::precedence_letter(c.spec.prec))},
                          {"filed", sim::format_sim_time(c.spec.filed)},
                          {"source", c.source_description},
                          {"page_copy", c.page_copy}});
    doc["cables"] = cables;
    doc["events"] = events_;
    return doc;
}

}  // namespace hakto::terminals
