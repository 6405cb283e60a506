#pragma once
// Renderers of the replay: the terminal (the page printing under a status line), a plain
// transcript (when standard output is not a terminal), and the JSON transcript file.
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/teletype/teletype_decoder.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {

struct render_options {
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
    bool compare = false;      ///< the generated memo beside the historical one
    bool slashed_zero = true;  ///< print the digit 0 as Ø, as the page printer's type did
};

/// Plain text, no control codes: time-stamped stages, the page copy line by line, the log
/// entry and the memo.
class transcript_renderer final : public replay_sink {
  public:
    transcript_renderer(std::ostream& out, const replay& r, render_options o);
    void event(const replay_event& e) override;
    void finish();

  private:
    void flush_line(const std::string& cable);
    std::ostream& out_;
    render_options options_;
    std::string line_;
    std::string page_cable_;  ///< the cable on the page printer now
    protocol::teletype_decoder decoder_;
};

/// A terminal: the teleprinter page prints at the simulated pace in a scrolling region, under
/// a status line (simulated UTC, Beijing and Washington times, the stage).
class terminal_renderer final : public replay_sink {
  public:
    terminal_renderer(std::ostream& out, const replay& r, render_options o, int rows, int columns);
    ~terminal_renderer() override;
    void event(const replay_event& e) override;
    void finish();

  private:
    void status(const replay_event& e);
    std::ostream& out_;
    const replay& replay_;
    render_options options_;
    int rows_, columns_;
    protocol::teletype_decoder decoder_;
    std::string page_cable_;
    bool finished_ = false;
    std::string last_stage_;
};

/// Every event as JSON: enough to render the replay again.
class json_transcript final : public replay_sink {
  public:
    explicit json_transcript(const replay& r) : replay_(r) {}
    void event(const replay_event& e) override;
    nlohmann::ordered_json document() const;

  private:
    const replay& replay_;
    nlohmann::ordered_json events_ = nlohmann::ordered_json::array();
};

}  // namespace hakto::terminals
