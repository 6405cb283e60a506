#pragma once
// The show: the replay the exhibit runs for its screens. It owns no socket and no clock of its
// own: it reads the time from a sim::timer_service and waits with its timers (manual_timers in
// its tests, asio_timers in the program), and it reaches the screens through an `audience`.
//
//  * The attract loop: a run of the scenario; when it ends, a pause (attract_pause), then
//    another. A visitor's touch makes it the visitor's run; idle_reset after the last touch
//    (checked every second) it is the attract loop again, with the exhibit's own settings.
//  * The run is paced against the timer service's clock; as fast as possible it still waits (up
//    to a second) for the slowest screen's queue.
//  * Events go out in frames, at most frame_interval after the oldest, or at once when they
//    reach max_frame_bytes or another message must follow them.
//  * Controls: start, pause, resume, step (while paused), speed, noise, the visitor's reply
//    (into the running network as the next TOHAK), the operator's settings.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"
#include "sim/engine.hpp"
#include "sim/pacing.hpp"
#include "sim/scenario.hpp"
#include "sim/timers.hpp"
#include "terminals/exhibit/exhibit_controls.hpp"
#include "terminals/exhibit/exhibit_frames.hpp"
#include "terminals/exhibit/exhibit_health.hpp"
#include "terminals/exhibit/exhibit_run_record.hpp"
#include "terminals/exhibit/exhibit_server.hpp"
#include "terminals/exhibit/exhibit_wall_clock.hpp"
#include "terminals/frus/frus_import.hpp"
#include "terminals/replay/replay.hpp"
#include "terminals/souvenir/souvenir.hpp"

namespace hakto::terminals::exhibit {

/// The screens as the show sees them.
class audience {
  public:
    virtual ~audience() = default;
    /// Queues one message for every screen; every screen's queue shares its bytes.
    virtual void send_to_all(std::shared_ptr<const std::string> message) = 0;
    /// Screens watching.
    virtual std::size_t screens() const = 0;
    /// The longest send queue of any screen, in messages.
    virtual std::size_t backlog() const = 0;
};

class show final : public replay_sink, public std::enable_shared_from_this<show> {
  public:
    /// Loads the scenario (and the built-in ones the operator may choose) so that a bad one is
    /// reported before anything runs. `timers` and `screens` must outlive the show.
    static expected<std::shared_ptr<show>, exhibit_error> create(exhibit_options options,
                                                                 sim::timer_service& timers,
                                                                 audience& screens);
    ~show() override;
    show(const show&) = delete;
    show& operator=(const show&) = delete;

    /// The first run of the attract loop, and the idle check.
    void start();
    /// Cancels every timer; nothing more is sent.
    void stop();

    // A screen joining: flush_frame(), then add it to the audience, then send it snapshot().
    // The snapshot holds every event so far, so none of them may reach it again in a frame.
    /// Sends the events gathered so far as one frame.
    void flush_frame();
    /// Everything a screen needs to draw the run so far.
    std::string snapshot() const;

    /// A screen's control message (`from_loopback`: the screen's peer is on this machine).
    /// The error is for that screen alone; so is what `answer` is given (a message for the
    /// operator's screen: how a print went), even after control() has returned.
    using answer_fn = std::function<void(std::string message)>;
    expected<void, control_error> control(std::string_view text, bool from_loopback,
                                          answer_fn answer = {});

    /// A reply typed on the exhibit's teleprinter: a visitor's control, as the reply form's
    /// (IMMEDIATE). The label of the TOHAK filed.
    expected<std::string, control_error> typed_reply(std::string_view text);

    /// The souvenir of a cable the show has (its run's cables and the replies filed in it), as
    /// the run carries it; `label` empty: the cable shown. Nothing for a cable it has not.
    std::optional<souvenir::souvenir_text> souvenir(std::string_view label) const;
    /// Prints a souvenir (the exhibit server's souvenir desk, off this thread): `done` is called
    /// on this thread with lp's answer or the reason it failed.
    using print_fn = std::function<bool(souvenir::souvenir_text,
                                        std::function<void(bool ok, std::string line)> done)>;
    void on_print_souvenir(print_fn f) { print_souvenir_ = std::move(f); }

    void on_broadcast(exhibit_server::broadcast_hook f) { on_broadcast_ = std::move(f); }

    // What exhibit_server::stats() reports; read from any thread.
    std::uint64_t broadcasts() const noexcept { return broadcasts_.load(); }
    std::uint64_t runs() const noexcept { return runs_.load(); }
    bool paused() const noexcept { return paused_flag_.load(); }
    /// How the show stands and whether it is advancing as it should (GET /healthz); on the
    /// timers' thread.
    show_health health() const;

    // replay_sink
    void event(const replay_event& e) override;

    /// Use create().
    show(exhibit_options options, sim::timer_service& timers, audience& screens);

  private:
    struct run_state {
        std::unique_ptr<sim::engine> engine;  // declared first: destroyed after the replay
        std::unique_ptr<replay> r;
        std::unique_ptr<sim::pacer> pacer;
        std::string kind;  // attract, visitor
    };

    expected<void, exhibit_error> load_scenarios();
    replay_options attract_options() const;
    /// The base scenario's cables whose texts are not at hand: {cable, FRUS document id}.
    std::vector<std::pair<std::string, std::string>> missing_texts() const;
    /// A problem for the operator (the exhibit's log, each distinct line once), never for the
    /// visitors' screens.
    void tell_operator(const std::string& line);
    void start_run(replay_options o, std::string kind);
    void finish_run();
    void schedule_attract();
    void back_to_attract();

    // The ticks: each runs the events due and waits for the next.
    void schedule_tick();
    void tick_at(sim::wall_time at);
    void tick();
    void arm_idle_check();
    void idle_check();

    /// The machine (exhibit_options::machine) has more than its hold_back still to print.
    bool machine_behind() const;
    void set_paused(bool p);
    expected<void, control_error> apply(const control_message& c, bool from_loopback,
                                        answer_fn answer);
    expected<void, control_error> apply_speed(sim::pacing p);
    expected<void, control_error> reply(const reply_request& r);
    expected<void, control_error> apply_operator(const operator_settings& s);
    expected<void, control_error> print_souvenir(const operator_command& c, answer_fn answer);

    show_state state() const;
    void broadcast(std::string message);
    void broadcast_state();
    void send(std::string message, sim::wall_time made);
    /// Calls `f` on this show at `at`, unless the show is gone or stopped by then.
    template <class F>
    sim::timer_service::timer_id call_at(sim::wall_time at, F f);
    void cancel(std::optional<sim::timer_service::timer_id>& id);

    exhibit_options options_;
    sim::timer_service& timers_;
    audience& screens_;
    timer_wall_clock clock_;  // the pacers' clock
    std::optional<sim::scenario> base_scenario_;
    offered_scenarios offered_;
    std::vector<frus_document> supplied_texts_;  // the FRUS files given, read once
    std::set<std::string> told_operator_;
    std::unique_ptr<run_state> run_;
    run_record record_;
    frame_builder frame_;
    sim::pacing speed_, default_speed_;
    bool noise_ = false;
    bool crypto_ = true;
    bool paused_ = false;
    bool stopping_ = false;
    bool ticking_ = false;
    bool run_finished_ = false;  // the run's events are all done; the attract loop is waiting
    bool visitor_mode_ = false;
    // The run waited for the machine (exhibit_options::machine): anchor it again.
    bool waited_for_machine_ = false;
    std::uint64_t chain_ = 0;  // the chain of ticks that may run; older ones end
    std::optional<sim::timer_service::timer_id> tick_timer_, attract_timer_, idle_timer_,
        frame_timer_;
    sim::wall_time last_control_{};
    // For health(): when the show started, last moved (an event, a run begun or over), and
    // is next due to (the tick or the attract loop's timer); why the last run could not start.
    std::optional<sim::wall_time> started_at_;
    sim::wall_time last_moved_{}, next_due_{};
    std::optional<std::string> start_failure_;
    std::optional<sim::wall_time> pressure_since_;  // the slowest screen fell behind then
    sim::sim_time sim_now_{};
    exhibit_server::broadcast_hook on_broadcast_;
    print_fn print_souvenir_;
    std::atomic<std::uint64_t> broadcasts_{0}, runs_{0};
    std::atomic<bool> paused_flag_{false};
};

}  // namespace hakto::terminals::exhibit
