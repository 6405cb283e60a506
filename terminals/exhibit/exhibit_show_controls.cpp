// What each control does to the show: the visitor's (start, pause, resume, step, speed, noise,
// the reply) and the operator's. The controls are read and checked in exhibit_controls first.
#include <cstdio>
#include <exception>
#include <utility>

#include <fmt/format.h>

#include "terminals/exhibit/exhibit_json.hpp"
#include "terminals/exhibit/exhibit_reply.hpp"
#include "terminals/exhibit/exhibit_show.hpp"
#include "terminals/souvenir/souvenir_cable.hpp"

namespace hakto::terminals::exhibit {

expected<void, control_error> show::control(std::string_view text, bool from_loopback,
                                            answer_fn answer) {
    try {
        auto c = read_control(text);
        if (!c) return c.error();
        last_control_ = timers_.now();
        return apply(c.value(), from_loopback, std::move(answer));
    } catch (const std::exception& ex) {
        return control_error{control_error::kind_t::failed,
                             fmt::format("control refused: {}", ex.what())};
    }
}

expected<void, control_error> show::apply(const control_message& c, bool from_loopback,
                                          answer_fn answer) {
    if (c.kind == control_kind::ping) return outcome::success();
    if (c.kind == control_kind::operator_settings) {
        operator_rules rules;
        rules.offered = &offered_;
        rules.scenario = base_scenario_ ? &*base_scenario_ : nullptr;
        rules.speed = default_speed_;
        rules.noise = options_.replay.noise;
        rules.idle_reset = options_.idle_reset;
        rules.token = &options_.operator_token;
        if (is_operator_command(c.fields)) {
            auto command = read_operator_command(c.fields, rules, from_loopback);
            if (!command) return command.error();
            return print_souvenir(command.value(), std::move(answer));
        }
        auto s = read_operator_control(c.fields, rules, from_loopback);
        if (!s) return s.error();
        return apply_operator(s.value());
    }
    visitor_mode_ = true;
    switch (c.kind) {
        case control_kind::start:
            set_paused(false);
            start_run(attract_options(), "visitor");
            break;
        case control_kind::pause:
            set_paused(true);
            cancel(tick_timer_);
            broadcast_state();
            break;
        case control_kind::resume:
            set_paused(false);
            if (run_) run_->pacer->anchor();
            broadcast_state();
            schedule_tick();
            break;
        case control_kind::speed: {
            auto p = read_speed_control(c.fields);
            if (!p) return p.error();
            return apply_speed(p.value());
        }
        case control_kind::noise: {
            auto on = read_noise_control(c.fields);
            if (!on) return on.error();
            noise_ = on.value();
            start_run(attract_options(), "visitor");
            break;
        }
        case control_kind::step:
            if (!paused_)
                return control_error{control_error::kind_t::not_now, "step works while paused"};
            if (run_) {
                if (!run_->engine->step()) finish_run();
                broadcast_state();
            }
            break;
        case control_kind::reply: {
            auto r = read_reply_control(c.fields);
            if (!r) return r.error();
            return reply(r.value());
        }
        default:
            return unknown_control(c);
    }
    return outcome::success();
}

expected<std::string, control_error> show::typed_reply(std::string_view text) {
    visitor_mode_ = true;
    last_control_ = timers_.now();
    reply_request request;
    request.text = std::string{text};
    if (auto filed = reply(request); !filed) return filed.error();
    return run_->r->cables().back().spec.id;
}

expected<void, control_error> show::apply_speed(sim::pacing p) {
    speed_ = p;
    if (run_) {
        run_->pacer->set_pacing(speed_);
        run_->pacer->anchor();
    }
    cancel(tick_timer_);
    broadcast_state();
    schedule_tick();
    return outcome::success();
}

expected<void, control_error> show::reply(const reply_request& request) {
    auto text = keyboard_text(request.text);
    if (text.empty()) return control_error{control_error::kind_t::bad_field, "the reply is empty"};
    if (!run_)
        return control_error{control_error::kind_t::not_now,
                             "the exhibit is between replays: try again in a moment"};
    auto spec = draft_reply(text, request.prec, run_->r->scenario(), run_->engine->now());
    if (!spec) return spec.error();
    // Into the running network: it goes out over the same circuits and relay queues as the
    // traffic already on them, and its precedence decides its turn.
    auto index = run_->r->file_cable(std::move(spec.value()));
    if (!index) return control_error{control_error::kind_t::not_filed, index.error().message};
    const auto& rc = run_->r->cables()[index.value()];
    record_.add_cable(rc);
    broadcast(cable_message(record_.cable(rc)));
    set_paused(false);
    if (run_finished_) {
        // The replay had ended and was waiting for the attract loop: it goes on instead.
        cancel(attract_timer_);
        run_finished_ = false;
    }
    broadcast_state();
    run_->pacer->anchor();
    schedule_tick();
    return outcome::success();
}

expected<void, control_error> show::apply_operator(const operator_settings& s) {
    // Everything checked: the new defaults, and the attract loop starts again with them.
    if (!base_scenario_ || s.scenario != &*base_scenario_) base_scenario_ = *s.scenario;
    options_.replay.scenario = base_scenario_->name;
    options_.replay.scenario_object.reset();
    options_.replay.cables = s.cables;
    options_.replay.noise = s.noise;
    noise_ = s.noise;
    default_speed_ = s.speed;
    speed_ = s.speed;
    const bool idle_was_off = options_.idle_reset.count() <= 0;
    options_.idle_reset = s.idle_reset;
    if (idle_was_off) arm_idle_check();
    visitor_mode_ = false;
    set_paused(false);
    start_run(attract_options(), "attract");
    return outcome::success();
}

expected<void, control_error> show::print_souvenir(const operator_command& c, answer_fn answer) {
    // The operator's alone: what is printed, and how it went, never reaches the visitors.
    if (!options_.souvenir_printer || !print_souvenir_)
        return control_error{control_error::kind_t::not_now,
                             "no printer configured (--souvenir-printer)"};
    auto s = souvenir(c.cable);
    if (!s)
        return control_error{control_error::kind_t::bad_field,
                             c.cable.empty() ? std::string{"no cable is shown now"}
                                             : fmt::format("no cable '{}' in this run", c.cable)};
    const auto label = s->title;
    const auto printer = *options_.souvenir_printer;
    auto tell = [w = weak_from_this(), answer, label, printer](bool ok, std::string line) {
        auto text = ok ? fmt::format("souvenir of {} sent to printer {}: {}", label, printer, line)
                       : fmt::format("souvenir of {} not printed: {}", label, line);
        if (auto self = w.lock()) {
            if (self->options_.log)
                self->options_.log(text);
            else
                std::fprintf(stderr, "hakto exhibit: %s\n", text.c_str());
        }
        if (answer) answer(operator_status_message(ok, text));
    };
    if (!print_souvenir_(std::move(*s), tell))
        return control_error{control_error::kind_t::not_now,
                             "the souvenir desk is busy: try again in a moment"};
    if (answer)
        answer(operator_status_message(
            true, fmt::format("printing the souvenir of {} on {}…", label, printer)));
    return outcome::success();
}

std::optional<souvenir::souvenir_text> show::souvenir(std::string_view label) const {
    if (!run_) return std::nullopt;
    const auto& cables = run_->r->cables();
    const std::string wanted{label.empty() ? std::string_view{record_.current_cable()} : label};
    for (const auto& c : cables)
        if (wanted.empty() ? &c == &cables.front() : c.spec.id == wanted) {
            const auto& scn = run_->r->scenario();
            // The code the run's circuits carry (prepare_cables set them all alike).
            const auto set = scn.circuits.empty() ? options_.replay.code : scn.circuits[0].code;
            const bool usos = scn.circuits.empty() ? options_.replay.usos : scn.circuits[0].usos;
            return souvenir::souvenir_of(c, scn, set, usos);
        }
    return std::nullopt;
}

}  // namespace hakto::terminals::exhibit
