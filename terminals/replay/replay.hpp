#pragma once
// The replay: cables of a scenario go from drafting and punching at the origin, through on-line
// encryption, the modelled circuits and relays, to the page printer at the destination, the
// Situation Room log, the covering memorandum and the President. Renderers (the terminal, a
// transcript file, the exhibit) receive the replay's events through replay_sink.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cable/cable.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/engine.hpp"
#include "sim/network.hpp"
#include "sim/scenario.hpp"

namespace hakto::terminals {

struct replay_options {
    std::string scenario = "june1972";
    /// A scenario built in memory (hakto send); used instead of `scenario` when set.
    std::optional<sim::scenario> scenario_object;
    /// Cables to replay, by label ("HAKTO 12"); empty: every cable of the scenario.
    std::vector<std::string> cables;
    std::vector<std::string> frus_files;  ///< FRUS TEI files that supply cable texts
    bool noise = false;
    std::optional<std::uint64_t> seed;  ///< varies every noise draw of the scenario
    bool crypto = true;
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
    double typing_wpm = 40;  ///< the operator punching the tape
    std::optional<std::string> memo_rules_file;
    /// Time Haig took over the covering memorandum after the cable was logged (not recorded;
    /// a modelling choice).
    sim::sim_duration memo_delay = std::chrono::minutes{40};
};

enum class replay_event_kind : std::uint8_t {
    stage,        ///< a new stage of a cable (`stage` says which)
    punched,      ///< a code punched into the outgoing tape
    line,         ///< a code crossing a circuit (sent, on the line, delivered)
    printed,      ///< a code arriving at the destination's page printer
    interrupted,  ///< a transmission cut by higher-precedence traffic
    logged,       ///< the Situation Room log entry
    memo,         ///< the covering memorandum
    note,         ///< anything worth telling the viewer (a text not supplied, a serial gap…)
};
/// "stage", "punched", "line", "printed", "interrupted", "logged", "memo", "note".
std::string_view to_string(replay_event_kind k) noexcept;

/// Where a cable is on its way from the drafting desk to the President.
enum class replay_stage : std::uint8_t {
    none,          ///< not at a stage (a code event, a note about no cable)
    drafting,      ///< released for transmission at its origin
    punching,      ///< the operator punches its tape
    transmitting,  ///< on a circuit (sent or resent)
    interrupted,   ///< cut by traffic of higher precedence
    relaying,      ///< stored at a relay, queued by precedence
    received,      ///< on the destination's page printer
    logged,        ///< entered in the destination's log
    president,     ///< the covering memorandum goes to the President
    memo,          ///< the covering memorandum itself (or why there is none)
};
/// "" for none, else the enumerator's name: "drafting", "punching", "transmitting", …
std::string_view to_string(replay_stage s) noexcept;

struct replay_event {
    replay_event_kind kind = replay_event_kind::stage;
    sim::sim_time at{};
    std::string cable;    ///< label
    std::string station;  ///< where it happens
    replay_stage stage = replay_stage::none;
    std::string text;  ///< a line for a person
    // Line events.
    std::string circuit, from, to;
    std::uint64_t index = 0;
    protocol::code sent = 0, on_line = 0, delivered = 0;
    // Memo events.
    const protocol::memo* memo = nullptr;
    const protocol::memo* historical = nullptr;
    std::vector<std::string> left_out;  ///< what the memo left out, and why
};

class replay_sink {
  public:
    virtual ~replay_sink() = default;
    virtual void event(const replay_event& e) = 0;
};

/// One cable of the replay and what became of it.
struct replay_cable {
    sim::cable_spec spec;
    protocol::document source;  ///< as read (the text, or the header alone)
    bool text_supplied = false;
    /// For visitors, when the text is not at hand: where it is published, why it is not shown.
    std::string caption;
    std::string
        source_description;  ///< "bundled (FRUS E-13 doc 143)", "frus1969-76ve13.xml doc d140"
    std::vector<protocol::code> codes;
    std::string page_copy;  ///< the text that was punched
    std::optional<sim::delivered_cable> delivery;
    std::optional<protocol::memo> memo;
    std::optional<protocol::memo> historical_memo;
    std::vector<std::string> memo_left_out;
};

struct replay_error {
    std::string message;
};

class replay {
  public:
    /// Loads the scenario and the cable texts and builds the network on `e`. Problems that do
    /// not stop the replay (a FRUS file that cannot be read, a text not supplied) are reported
    /// in `warnings`.
    static expected<std::unique_ptr<replay>, replay_error> prepare(
        const replay_options& options, sim::engine& e, std::vector<std::string>& warnings);
    ~replay();

    void add_sink(replay_sink* sink) { sinks_.push_back(sink); }
    /// Schedules every cable on the engine.
    void start();
    /// Adds a cable to the running replay (a visitor's reply at the exhibit): its text is
    /// `spec.text` (required), filed at `spec.filed` or now, whichever is later. Returns its
    /// index in cables().
    expected<std::size_t, replay_error> file_cable(sim::cable_spec spec);

    const std::vector<replay_cable>& cables() const noexcept { return cables_; }
    const sim::scenario& scenario() const noexcept { return scenario_; }
    const sim::network& net() const noexcept { return *network_; }
    /// UTC offset (hours) of a station, for local times.
    int utc_offset(std::string_view station) const;
    /// The stage of the cable most recently active, for a status line.
    replay_stage current_stage() const noexcept { return current_stage_; }

  private:
    class observer;
    replay(sim::engine& e, replay_options options);
    void emit(replay_event e);
    void schedule_cable(std::size_t index);
    void on_delivered(const sim::delivered_cable& d);

    sim::engine& engine_;
    replay_options options_;
    sim::scenario scenario_;
    std::unique_ptr<sim::network> network_;
    std::unique_ptr<observer> observer_;
    std::vector<replay_cable> cables_;
    std::vector<replay_sink*> sinks_;
    replay_stage current_stage_ = replay_stage::none;
    int reports_received_ = 0;
};

/// The one marked line that stands for a cable text hakto does not have (never invented text).
std::string marked_body(const sim::cable_spec& c);

/// "1972-06-21 16:15:00Z"
std::string zulu(sim::sim_time t);
/// "1972-06-21 12:15 (UTC-4)" local time of a station.
std::string local_time(sim::sim_time t, int utc_offset_hours);

}  // namespace hakto::terminals
