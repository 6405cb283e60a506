#include "sim/circuit.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace hakto::sim {

std::string_view state_name(circuit::state s) noexcept {
    switch (s) {
        case circuit::state::idle:
            return "idle";
        case circuit::state::transmitting:
            return "transmitting";
        case circuit::state::interrupted:
            return "interrupted";
        case circuit::state::out_of_service:
            return "out of service";
    }
    return "?";
}

std::string_view circuit_error_kind_name(circuit_error_kind k) noexcept {
    switch (k) {
        case circuit_error_kind::invalid_config:
            return "invalid config";
        case circuit_error_kind::busy:
            return "busy";
        case circuit_error_kind::out_of_service:
            return "out of service";
        case circuit_error_kind::not_transmitting:
            return "not transmitting";
        case circuit_error_kind::not_interrupted:
            return "not interrupted";
        case circuit_error_kind::in_service:
            return "in service";
        case circuit_error_kind::time_went_backwards:
            return "time went backwards";
        case circuit_error_kind::key_refused:
            return "key refused";
    }
    return "?";
}

transmission_counters& transmission_counters::operator+=(const transmission_counters& o) noexcept {
    line += o.line;
    plain_garbled += o.plain_garbled;
    resyncs += o.resyncs;
    return *this;
}

// --- line_transmission ------------------------------------------------------------------------

sim_time line_transmission::sender_start(std::uint64_t k) const noexcept {
    return profile.frame_start(start, k);
}

sim_time line_transmission::sender_end(std::uint64_t k) const noexcept {
    return profile.frame_end(start, k);
}

sim_time line_transmission::arrival_start(std::uint64_t k) const noexcept {
    return sender_start(k) + propagation_delay;
}

sim_time line_transmission::arrival_end(std::uint64_t k) const noexcept {
    return sender_end(k) + propagation_delay;
}

sim_time line_transmission::end() const noexcept {
    return profile.frame_start(start, sent.size());
}

sim_time line_transmission::arrival_end() const noexcept {
    return end() + propagation_delay;
}

sim_time line_transmission::arrival_of(const frame_fault& f) const noexcept {
    return fault_start_time(profile, start, f) + propagation_delay;
}

std::vector<code> line_transmission::printed() const {
    if (std::find(delivered.begin(), delivered.end(), no_code) == delivered.end()) {
        return delivered;  // every frame printed (the usual case)
    }
    std::vector<code> out;
    out.reserve(delivered.size());
    for (const code c : delivered) {
        if (c != no_code) {
            out.push_back(c);
        }
    }
    return out;
}

// --- circuit ----------------------------------------------------------------------------------

namespace {

circuit_error make_error(circuit_error_kind kind, std::string message) {
    return circuit_error{kind, std::move(message), std::nullopt};
}

}  // namespace

circuit::circuit(circuit_config config) : config_(std::move(config)) {}

expected<circuit, circuit_error> circuit::create(circuit_config config) {
    if (config.propagation_delay < sim_duration::zero()) {
        return make_error(circuit_error_kind::invalid_config,
                          fmt::format("circuit {}: negative propagation delay", config.name));
    }
    noise_model noise;
    if (config.noise) {
        auto made = noise_model::create(*config.noise);
        if (!made) {
            return make_error(circuit_error_kind::invalid_config,
                              fmt::format("circuit {}: {}", config.name, made.error().message));
        }
        noise = std::move(made).value();
    }
    circuit c(std::move(config));
    c.noise_ = std::move(noise);
    if (c.config_.crypto) {
        const crypto_setup& k = *c.config_.crypto;
        c.sender_.emplace(k.sender_tape, k.sender_position);
        resync_params params;
        if (k.resync) {
            params = *k.resync;
        } else {
            params.garbage_below = -std::numeric_limits<double>::infinity();  // never searches
        }
        c.receiver_.emplace(key_reader(k.receiver_tape, k.receiver_position), params);
    }
    return c;
}

std::optional<sim_time> circuit::busy_until() const noexcept {
    if (state_ == state::transmitting && current_) {
        return current_->end();
    }
    return std::nullopt;
}

std::size_t circuit::sender_key_position() const noexcept {
    return sender_ ? sender_->position() : 0;
}

std::size_t circuit::receiver_key_position() const noexcept {
    return receiver_ ? receiver_->reader().position() : 0;
}

expected<void, circuit_error> circuit::check_time(sim_time t) {
    if (last_time_ && t < *last_time_) {
        return make_error(
            circuit_error_kind::time_went_backwards,
            fmt::format("circuit {}: operation at {} is before the previous one at {}",
                        config_.name, format_sim_time(t), format_sim_time(*last_time_)));
    }
    return outcome::success();
}

void circuit::enter(sim_time at, state to, std::string_view reason) {
    if (config_.keep_log) {
        log_.push_back(transition{at, state_, to, std::string(reason)});
    }
    state_ = to;
    last_time_ = last_time_ ? std::max(*last_time_, at) : at;
}

void circuit::finish_current() {
    if (current_) {
        ++totals_.transmissions;
        totals_.counters += current_->counters;
        current_.reset();
        // receiver_before_ is kept (it is set again before every transmission, and only read
        // while one is on the line): assigning over it reuses its storage.
    }
}

void circuit::advance(sim_time now) {
    if (last_time_ && now < *last_time_) {
        return;
    }
    if (state_ == state::transmitting && current_ && current_->end() <= now) {
        enter(current_->end(), state::idle, "end of transmission");
        finish_current();
    }
    last_time_ = now;
}

void circuit::far_end(line_transmission& t, std::uint64_t count, resync_receiver* receiver) const {
    const std::size_t events_before = receiver ? receiver->events().size() : 0;
    t.delivered.assign(count, no_code);
    t.counters = transmission_counters{};
    t.counters.line = t.line.counters;
    const code* in = t.line.delivered.data();
    code* out = t.delivered.data();
    if (receiver) {
        // Each run of characters received (between frames lost on the line) is decrypted in one
        // call. A receiving reader run off the end of its tape prints nothing from there on.
        std::uint64_t k = 0;
        while (k < count) {
            if (in[k] == no_code) {
                ++k;
                continue;
            }
            std::uint64_t end = k + 1;
            while (end < count && in[end] != no_code) {
                ++end;
            }
            const std::size_t n = static_cast<std::size_t>(end - k);
            if (receiver->receive(std::span<const code>(in + k, n), std::span<code>(out + k, n)) <
                n) {
                break;
            }
            k = end;
        }
    } else {
        std::copy_n(in, count, out);
    }
    const code* sent = t.sent.data();
    std::uint64_t garbled = 0;
    for (std::uint64_t k = 0; k < count; ++k) {
        garbled += (out[k] != no_code && out[k] != sent[k]) ? 1 : 0;
    }
    t.counters.plain_garbled = garbled;
    t.resyncs.clear();
    if (receiver) {
        const auto& ev = receiver->events();
        t.resyncs.assign(ev.begin() + static_cast<std::ptrdiff_t>(events_before), ev.end());
    }
    t.counters.resyncs = t.resyncs.size();
}

expected<line_transmission, circuit_error> circuit::transmit(sim_time now,
                                                             std::span<const code> codes,
                                                             std::string_view reason) {
    auto sent = send(now, codes, reason);
    if (!sent) {
        return std::move(sent).error();
    }
    return *sent.value();
}

expected<std::shared_ptr<const line_transmission>, circuit_error> circuit::send(
    sim_time now, std::span<const code> codes, std::string_view reason) {
    if (auto ok = check_time(now); !ok) {
        return ok.error();
    }
    advance(now);
    switch (state_) {
        case state::transmitting:
            return make_error(circuit_error_kind::busy,
                              fmt::format("circuit {}: busy until {}", config_.name,
                                          format_sim_time(current_->end())));
        case state::out_of_service:
            return make_error(circuit_error_kind::out_of_service,
                              fmt::format("circuit {}: out of service", config_.name));
        case state::interrupted:
            if (now < line_free_at_) {
                return make_error(circuit_error_kind::busy,
                                  fmt::format("circuit {}: the character in progress ends at {}",
                                              config_.name, format_sim_time(line_free_at_)));
            }
            break;
        case state::idle:
            break;
    }

    auto made = std::make_shared<line_transmission>();
    line_transmission& t = *made;
    t.start = now;
    t.propagation_delay = config_.propagation_delay;
    t.profile = config_.profile;
    t.sent.assign(codes.begin(), codes.end());

    // Sender: one key code per line code, refused as a whole if any key position was used.
    if (sender_) {
        auto enciphered = sender_->encrypt(codes);
        if (!enciphered) {
            ++totals_.key_refusals;
            circuit_error e = make_error(
                circuit_error_kind::key_refused,
                fmt::format("circuit {}: {}", config_.name, enciphered.error().message()));
            e.key = enciphered.error();
            return e;
        }
        t.on_line = std::move(enciphered).value();
    } else {
        t.on_line = t.sent;
    }

    // The line.
    t.line = noise_.transmit(config_.profile, now, t.on_line);

    // Far end.
    if (receiver_) {
        receiver_before_ = *receiver_;
    }
    far_end(t, t.sent.size(), receiver_ ? &*receiver_ : nullptr);

    t.serial = ++serial_;
    enter(now, state::transmitting, reason);
    line_free_at_ = t.end();
    current_ = made;
    if (t.sent.empty()) {
        enter(now, state::idle, "end of transmission");
        finish_current();
    }
    return std::shared_ptr<const line_transmission>(std::move(made));
}

interruption circuit::cut(sim_time at, std::uint64_t through) {
    const line_transmission& t = *current_;
    const std::uint64_t n = t.sent.size();
    interruption r;
    r.at = at;
    r.characters_through = through;
    r.characters_cut = n - through;
    r.line_free_at = t.profile.frame_start(t.start, through);

    line_transmission actual;
    actual.serial = t.serial;
    actual.start = t.start;
    actual.propagation_delay = t.propagation_delay;
    actual.profile = t.profile;
    actual.sent.assign(t.sent.begin(), t.sent.begin() + static_cast<std::ptrdiff_t>(through));
    actual.on_line.assign(t.on_line.begin(),
                          t.on_line.begin() + static_cast<std::ptrdiff_t>(through));
    // The far end as if the line had gone to mark after the last character sent.
    const auto& changed = t.line.changed_elements;
    const auto last = std::lower_bound(changed.begin(), changed.end(),
                                       through * static_cast<std::uint64_t>(elements_per_frame));
    const std::vector<std::uint64_t> kept(changed.begin(), last);
    actual.line = receive_elements(t.profile, actual.on_line, kept);
    if (receiver_) {
        receiver_ = receiver_before_;
    }
    far_end(actual, through, receiver_ ? &*receiver_ : nullptr);
    if (receiver_ && r.characters_cut > 0) {
        // Both ends discard the key reserved for the characters not sent.
        (void)receiver_->skip(static_cast<std::ptrdiff_t>(r.characters_cut));
    }
    current_ = std::make_shared<const line_transmission>(actual);
    r.transmission = std::move(actual);
    line_free_at_ = r.line_free_at;
    return r;
}

expected<interruption, circuit_error> circuit::interrupt(sim_time at, std::string_view reason) {
    if (auto ok = check_time(at); !ok) {
        return ok.error();
    }
    advance(at);
    if (state_ != state::transmitting || !current_) {
        return make_error(
            circuit_error_kind::not_transmitting,
            fmt::format("circuit {}: nothing to interrupt ({})", config_.name, state_name(state_)));
    }
    // A transmitter-distributor completes the character in progress.
    const std::uint64_t through = std::min<std::uint64_t>(
        current_->profile.frames_started_before(current_->start, at), current_->sent.size());
    interruption r = cut(at, through);
    enter(at, state::interrupted, reason);
    ++totals_.interruptions;
    finish_current();
    return r;
}

expected<void, circuit_error> circuit::clear(sim_time at, std::string_view reason) {
    if (auto ok = check_time(at); !ok) {
        return ok.error();
    }
    advance(at);
    if (state_ != state::interrupted) {
        return make_error(
            circuit_error_kind::not_interrupted,
            fmt::format("circuit {}: not interrupted ({})", config_.name, state_name(state_)));
    }
    enter(at, state::idle, reason);
    return outcome::success();
}

expected<std::optional<interruption>, circuit_error> circuit::take_out_of_service(
    sim_time at, std::string_view reason) {
    if (auto ok = check_time(at); !ok) {
        return ok.error();
    }
    advance(at);
    if (state_ == state::out_of_service) {
        return make_error(circuit_error_kind::out_of_service,
                          fmt::format("circuit {}: already out of service", config_.name));
    }
    std::optional<interruption> r;
    if (state_ == state::transmitting && current_) {
        // The line fails at once: the character in progress is lost.
        const std::uint64_t through = std::min<std::uint64_t>(
            current_->profile.frames_ended_by(current_->start, at), current_->sent.size());
        r = cut(at, through);
        ++totals_.interruptions;
        finish_current();
    }
    enter(at, state::out_of_service, reason);
    return r;
}

expected<void, circuit_error> circuit::restore(sim_time at, std::string_view reason) {
    if (auto ok = check_time(at); !ok) {
        return ok.error();
    }
    advance(at);
    if (state_ != state::out_of_service) {
        return make_error(
            circuit_error_kind::in_service,
            fmt::format("circuit {}: not out of service ({})", config_.name, state_name(state_)));
    }
    enter(at, state::idle, reason);
    return outcome::success();
}

}  // namespace hakto::sim
