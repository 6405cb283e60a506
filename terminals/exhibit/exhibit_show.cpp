#include "terminals/exhibit/exhibit_show.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "terminals/exhibit/exhibit_json.hpp"
#include "terminals/replay/replay_idle.hpp"
#include "terminals/replay/replay_texts.hpp"

namespace hakto::terminals::exhibit {

namespace {

/// As fast as possible, the show waits this long at most for the slowest screen to catch up.
constexpr auto max_wait_for_screens = std::chrono::seconds{1};
/// How often it looks again while it waits.
constexpr auto screen_wait_step = std::chrono::milliseconds{2};
/// How often the show looks again while it waits for the machine (exhibit_options::machine):
/// a character of a fast machine; the slowest prints one every 165 ms.
constexpr auto machine_wait_step = std::chrono::milliseconds{10};
/// How often the idle reset is checked.
constexpr auto idle_check_interval = std::chrono::seconds{1};

}  // namespace

expected<std::shared_ptr<show>, exhibit_error> show::create(exhibit_options options,
                                                            sim::timer_service& timers,
                                                            audience& screens) {
    auto s = std::make_shared<show>(std::move(options), timers, screens);
    if (auto loaded = s->load_scenarios(); !loaded) return loaded.error();
    return s;
}

show::show(exhibit_options options, sim::timer_service& timers, audience& screens)
    : options_(std::move(options)),
      timers_(timers),
      screens_(screens),
      clock_(timers),
      speed_(options_.speed),
      default_speed_(options_.speed),
      noise_(options_.replay.noise) {}

show::~show() {
    stop();
}

expected<void, exhibit_error> show::load_scenarios() {
    if (options_.replay.scenario_object) {
        base_scenario_ = *options_.replay.scenario_object;
    } else {
        auto s = sim::load_named_scenario(options_.replay.scenario);
        if (!s) {
            std::string m;
            for (const auto& e : s.error()) m += e.to_string() + "\n";
            return exhibit_error{m};
        }
        base_scenario_ = std::move(s.value());
    }
    // What the operator may choose from: the scenario the exhibit started with and the
    // built-in ones (never a path sent over the network).
    offered_.emplace_back(base_scenario_->name, *base_scenario_);
    for (auto name : sim::builtin_scenario_names()) {
        if (std::any_of(offered_.begin(), offered_.end(),
                        [&](const auto& o) { return o.first == name; }))
            continue;
        if (auto s = sim::load_named_scenario(std::string{name}))
            offered_.emplace_back(std::string{name}, std::move(s.value()));
    }
    // The FRUS files, read once: which cables have their texts decides what the attract loop
    // plays. A file that cannot be read is the operator's to hear about.
    std::vector<std::string> warnings;
    supplied_texts_ = read_supplied_texts(options_.replay.frus_files, warnings);
    for (const auto& w : warnings) tell_operator(w);
    return outcome::success();
}

std::vector<std::pair<std::string, std::string>> show::missing_texts() const {
    std::vector<std::pair<std::string, std::string>> missing;
    if (!base_scenario_) return missing;
    for (const auto& c : base_scenario_->cables)
        if (!find_text(c, supplied_texts_))
            missing.emplace_back(c.id, c.frus_document.value_or(""));
    return missing;
}

void show::tell_operator(const std::string& line) {
    if (!told_operator_.insert(line).second) return;  // the attract loop repeats: once is enough
    if (options_.log)
        options_.log(line);
    else
        std::fprintf(stderr, "hakto exhibit: %s\n", line.c_str());
}

void show::start() {
    started_at_ = last_moved_ = next_due_ = timers_.now();
    start_run(attract_options(), "attract");
    arm_idle_check();
}

void show::stop() {
    stopping_ = true;
    cancel(tick_timer_);
    cancel(attract_timer_);
    cancel(idle_timer_);
    cancel(frame_timer_);
}

template <class F>
sim::timer_service::timer_id show::call_at(sim::wall_time at, F f) {
    return timers_.call_at(at, [w = weak_from_this(), f = std::move(f)] {
        auto s = w.lock();
        if (!s || s->stopping_) return;
        f(*s);
    });
}

void show::cancel(std::optional<sim::timer_service::timer_id>& id) {
    if (id) timers_.cancel(*id);
    id.reset();
}

replay_options show::attract_options() const {
    auto o = options_.replay;
    o.noise = noise_;
    if (base_scenario_ && !o.scenario_object) o.scenario_object = *base_scenario_;
    // Unless the operator chose cables, the loop plays those it has in full: a cable whose text
    // is not at hand runs only when chosen (its header and timing, with a caption).
    if (o.cables.empty() && base_scenario_) {
        std::vector<std::string> whole;
        for (const auto& c : base_scenario_->cables)
            if (find_text(c, supplied_texts_)) whole.push_back(c.id);
        if (!whole.empty() && whole.size() < base_scenario_->cables.size()) o.cables = whole;
    }
    return o;
}

void show::start_run(replay_options o, std::string kind) {
    cancel(tick_timer_);
    cancel(attract_timer_);
    run_.reset();
    record_.clear();
    const auto& scn = o.scenario_object ? *o.scenario_object : *base_scenario_;
    // The run begins a minute before the first of its cables is filed.
    sim::sim_time first = sim::sim_time::max();
    for (const auto& c : scn.cables)
        if (o.cables.empty() || std::find(o.cables.begin(), o.cables.end(), c.id) != o.cables.end())
            first = std::min(first, c.filed);
    auto begin = first == sim::sim_time::max()
                     ? scn.start
                     : std::max(scn.start, first - std::chrono::minutes{1});
    auto rs = std::make_unique<run_state>();
    rs->engine = std::make_unique<sim::engine>(begin);
    std::vector<std::string> warnings;
    auto r = replay::prepare(o, *rs->engine, warnings);
    if (!r) {
        // The reason (a scenario's or a file's) is the operator's; the screens hear that the
        // exhibit will try again.
        tell_operator(r.error().message);
        start_failure_ = r.error().message;
        broadcast(error_message("this replay could not start: the exhibit tries again shortly"));
        schedule_attract();
        return;
    }
    rs->r = std::move(r.value());
    start_failure_.reset();
    last_moved_ = timers_.now();
    rs->r->add_sink(this);
    rs->kind = std::move(kind);
    run_finished_ = false;
    crypto_ = o.crypto;
    record_.begin(rs->r->cables(), protocol::decode_options{o.code, o.usos});
    rs->pacer = std::make_unique<sim::pacer>(
        *rs->engine, speed_.kind == sim::pacing::mode::stepped ? sim::pacing::scaled(20) : speed_,
        clock_);
    sim_now_ = rs->engine->now();
    run_ = std::move(rs);
    run_->r->start();
    ++runs_;
    for (const auto& w : warnings) tell_operator(w);
    broadcast(snapshot());
    run_->pacer->anchor();
    schedule_tick();
}

void show::finish_run() {
    run_finished_ = true;
    last_moved_ = timers_.now();
    broadcast(end_message(runs_.load()));
    schedule_attract();
}

void show::schedule_attract() {
    cancel(attract_timer_);
    next_due_ = timers_.now() + options_.attract_pause;
    attract_timer_ = call_at(timers_.now() + options_.attract_pause, [](show& s) {
        // Only while the run is over (or none could start): a timer that fired just as a
        // reply or a control was cancelling it is let go.
        if (s.run_finished_ || !s.run_) s.start_run(s.attract_options(), "attract");
    });
}

void show::back_to_attract() {
    visitor_mode_ = false;
    set_paused(false);
    speed_ = default_speed_;
    noise_ = options_.replay.noise;
    start_run(attract_options(), "attract");
}

void show::schedule_tick() {
    ++chain_;
    tick_at(timers_.now());
}

void show::tick_at(sim::wall_time at) {
    cancel(tick_timer_);
    next_due_ = at;
    tick_timer_ = call_at(at, [chain = chain_](show& s) {
        if (s.chain_ == chain) s.tick();
    });
}

void show::tick() {
    if (!run_ || paused_ || stopping_ || ticking_) return;
    auto& e = *run_->engine;
    auto& pace = *run_->pacer;
    if (!pace.policy().paced()) {
        // As fast as possible: as fast as the screens read, up to a second's wait for the
        // slowest (after that it is left to its queue limit).
        const auto now = timers_.now();
        if (screens_.backlog() > options_.max_queued_messages / 4) {
            if (!pressure_since_) pressure_since_ = now;
            if (now - *pressure_since_ < max_wait_for_screens) {
                tick_at(now + screen_wait_step);
                return;
            }
        } else {
            pressure_since_.reset();
        }
    }
    // The machine prints no faster than it can: the run waits for it at any speed, and goes
    // on from there at its pace (anchored again: no burst of late events after the wait).
    if (machine_behind()) {
        waited_for_machine_ = true;
        tick_at(timers_.now() + machine_wait_step);
        return;
    }
    if (waited_for_machine_) {
        waited_for_machine_ = false;
        if (pace.policy().paced()) pace.anchor();
    }
    std::size_t n = 0;
    while (n < options_.batch) {
        auto next = e.next_time();
        if (!next) {
            finish_run();
            return;
        }
        if (auto idle = pace.policy().paced() ? skip_idle_time(e, pace) : std::nullopt) {
            event(*idle);
        }
        if (pace.policy().paced()) {
            auto deadline = pace.deadline(*next);
            if (deadline > timers_.now()) {
                tick_at(deadline);
                return;
            }
        }
        ticking_ = true;
        e.step();
        ticking_ = false;
        ++n;
        if (machine_behind()) {
            waited_for_machine_ = true;
            tick_at(timers_.now() + machine_wait_step);
            return;
        }
    }
    tick_at(timers_.now());  // a burst: let the screens have their turn, then go on
}

bool show::machine_behind() const {
    return options_.machine.pending && options_.machine.pending() > options_.machine.hold_back;
}

void show::arm_idle_check() {
    if (options_.idle_reset.count() <= 0) return;
    cancel(idle_timer_);
    idle_timer_ = call_at(timers_.now() + idle_check_interval, [](show& s) { s.idle_check(); });
}

void show::idle_check() {
    if (visitor_mode_ && timers_.now() - last_control_ > options_.idle_reset) {
        // Nobody has touched the exhibit for a while: back to the attract loop.
        back_to_attract();
    }
    arm_idle_check();
}

void show::set_paused(bool p) {
    paused_ = p;
    paused_flag_ = p;
}

show_state show::state() const {
    show_state s;
    s.utc = sim_now_;
    s.stage = record_.stage();
    s.cable = record_.current_cable();
    s.paused = paused_;
    s.speed = speed_;
    s.noise = noise_;
    s.crypto = crypto_;
    s.run = runs_.load();
    s.mode = run_ ? run_->kind : std::string{"attract"};
    s.viewers = screens_.screens();
    return s;
}

show_health show::health() const {
    show_health h;
    const auto st = state();
    h.stage = st.stage;
    h.mode = st.mode;
    h.speed = sim::speed_name(speed_);
    h.noise = noise_;
    h.run = st.run;
    if (!started_at_) {
        h.stalled = "the show has not started";
        return h;
    }
    const auto now = timers_.now();
    h.uptime = now - *started_at_;
    h.since_last_event = now - last_moved_;
    if (!run_ && start_failure_) {
        // The attract loop tries again after its pause; until a run starts, nothing moves.
        h.show = "failed to start";
        h.stalled = "the replay could not start: " + *start_failure_;
        return h;
    }
    if (paused_)
        h.show = "paused";
    else if (!run_ || run_finished_)
        h.show = "between runs";
    else
        h.show = "playing";
    if (run_ && !run_finished_) h.cable = st.cable;
    // Paused, the show waits for a visitor (or the idle reset): not a stall. Otherwise it is
    // due to move at the tick or the attract loop's timer; stall_after past that, it is stuck.
    const auto due = std::max(last_moved_, next_due_);
    if (!paused_ && now - due > options_.stall_after) {
        const auto quiet = std::chrono::duration_cast<std::chrono::seconds>(now - last_moved_);
        h.stalled = fmt::format("no event for {} s while not paused (the limit: {} s past due)",
                                quiet.count(), options_.stall_after.count());
    }
    return h;
}

std::string show::snapshot() const {
    snapshot_parts p;
    p.state = state_json(state());
    operator_view o;
    o.offered = &offered_;
    o.scenario = base_scenario_ ? base_scenario_->name : std::string{};
    o.cables = options_.replay.cables;
    o.speed = default_speed_;
    o.noise = options_.replay.noise;
    o.idle_reset = options_.idle_reset.count();
    o.token_required = options_.operator_token.has_value();
    o.missing = missing_texts();
    o.souvenir_print = options_.souvenir_printer.has_value();
    p.operator_settings = operator_json(o);
    if (run_) {
        p.scenario = &run_->r->scenario();
        p.cables = record_.cables(run_->r->cables());
        p.history = &record_.history();
        p.tape = &record_.tape();
        p.strips = &record_.strips();
    }
    return snapshot_message(p);
}

void show::event(const replay_event& e) {
    static const std::vector<replay_cable> no_cables;
    sim_now_ = e.at;
    last_moved_ = timers_.now();
    if (e.kind == replay_event_kind::printed && options_.machine.printed)
        options_.machine.printed(e);
    auto text = dump(record_.take(e, run_ ? run_->r->cables() : no_cables));
    const bool first = frame_.add(text, timers_.now());
    if (options_.frame_interval.count() <= 0 || frame_.size() >= options_.max_frame_bytes) {
        flush_frame();
        return;
    }
    if (!first) return;
    frame_timer_ = call_at(frame_.since() + options_.frame_interval, [seq = frame_.seq()](show& s) {
        // A frame already flushed (by a message that had to follow it) is not flushed again.
        if (s.frame_.seq() == seq) s.flush_frame();
    });
}

void show::flush_frame() {
    if (frame_.empty()) return;
    cancel(frame_timer_);
    const auto made = frame_.since();
    send(frame_.take(), made);
}

void show::broadcast(std::string message) {
    flush_frame();  // whatever happened before this message goes out before it
    send(std::move(message), timers_.now());
}

void show::broadcast_state() {
    broadcast(state_message(state()));
}

void show::send(std::string message, sim::wall_time made) {
    ++broadcasts_;
    if (on_broadcast_) on_broadcast_(made, message);
    screens_.send_to_all(std::make_shared<const std::string>(std::move(message)));
}

}  // namespace hakto::terminals::exhibit
