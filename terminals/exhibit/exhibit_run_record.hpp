#pragma once
// The record of a run as the show keeps it for screens that join mid-run: each cable's page
// printed so far and how much is punched, the stages, notes, log entries and memos, the last
// codes punched, the stage of the moment. Fed by the replay's events; each event comes back
// as frames carry it, with what only the exhibit adds (glyphs, a cable's page copy and notes).
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_decoder.hpp"
#include "terminals/exhibit/exhibit_json.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals::exhibit {

class run_record {
  public:
    /// At most this many stages, notes, log entries and memos are kept (the oldest go first).
    static constexpr std::size_t max_history = 400;
    /// The codes punched last, for a new screen's tape.
    static constexpr std::size_t max_tape = 32;
    /// The codes sent last on a circuit, for a new screen's key-tape and cipher strips.
    static constexpr std::size_t max_strips = 64;

    /// Forgets the run: nothing started, nothing printed, the stage "waiting".
    void clear();
    /// A new run over `cables`, printed with `decode`.
    void begin(const std::vector<replay_cable>& cables, protocol::decode_options decode);
    /// A cable filed during the run (a visitor's reply).
    void add_cable(const replay_cable& c);

    /// Takes in an event of the run (`cables`: the run's cables) and returns it as frames
    /// carry it.
    json take(const replay_event& e, const std::vector<replay_cable>& cables);

    const std::string& stage() const noexcept { return stage_; }
    const std::string& current_cable() const noexcept { return current_cable_; }
    /// A cable as a screen draws it, with its progress in this run.
    json cable(const replay_cable& c) const;
    json cables(const std::vector<replay_cable>& all) const;
    const std::deque<json>& history() const noexcept { return history_; }
    const std::deque<json>& tape() const noexcept { return tape_; }
    const std::deque<json>& strips() const noexcept { return strips_; }

  private:
    std::map<std::string, cable_progress> progress_;
    // Each cable's walkthrough: the lines of its page copy with their notes.
    std::map<std::string, json> walkthroughs_;
    std::deque<json> history_;
    std::deque<json> tape_;
    std::deque<json> strips_;
    protocol::decode_options decode_{};
    protocol::teletype_decoder punch_decoder_{};
    std::string stage_ = "waiting";
    std::string current_cable_;
};

}  // namespace hakto::terminals::exhibit
