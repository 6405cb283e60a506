#include "terminals/net/node/link_sender.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "protocol/cable/precedence.hpp"
#include "terminals/net/node/node_durability.hpp"
#include "terminals/net/node/node_link.hpp"

namespace hakto::terminals {

namespace wire = protocol::wire;

std::string_view link_sender::name(state s) noexcept {
    switch (s) {
        case state::idle:
            return "idle";
        case state::committing:
            return "committing";
        case state::sending:
            return "sending";
        case state::draining:
            return "draining";
        case state::breaking:
            return "breaking";
    }
    return "?";
}

bool link_sender::legal(state from, state to) noexcept {
    switch (to) {
        case state::committing:
            return from == state::idle;
        case state::sending:
            return from == state::committing;
        case state::draining:
            return from == state::sending;
        case state::breaking:
            return from == state::committing || from == state::sending;
        case state::idle:
            return from != state::idle;
    }
    return false;
}

link_sender::link_sender(node_context& ctx, node_host& host, node_durability& durability,
                         node_link& link, const node_peer& peer)
    : ctx_(ctx),
      host_(host),
      durability_(durability),
      link_(link),
      peer_(peer.id),
      machine_(ctx, "sender", peer.id, state::idle, &link_sender::legal, &link_sender::name),
      pace_(ctx.timers) {}

void link_sender::use_line(sim::circuit line, bool encrypts) {
    line_.emplace(std::move(line));
    encrypts_ = encrypts;
}

void link_sender::queue(std::uint64_t cable, std::uint8_t precedence) {
    const auto p = static_cast<protocol::precedence>(
        std::min<int>(precedence, protocol::precedence_levels - 1));
    fresh_.push(p, sim::circuit_queue::item{cable, 0});
    if (!ctx_.stopping && link_.up()) preempt_if_due();
}

bool link_sender::preempt_if_due() {
    const auto s = current();
    if (s != state::sending && s != state::committing) return false;
    const auto waiting = fresh_.top_precedence();
    if (!waiting) return false;
    const auto on_line = static_cast<protocol::precedence>(
        std::min<int>(tx_.precedence, protocol::precedence_levels - 1));
    if (!protocol::preempts(*waiting, on_line)) return false;
    // A serial sent before may be on the far end's disk already (it answers a duplicate with
    // "stored" at its begin): it is broken off only once the far end has acknowledged
    // characters of it, which it does only for a serial it is taking anew.
    if (!tx_.new_serial && !tx_.taken) return false;
    const auto* c = durability_.store().cable(tx_.cable);
    const std::string label = c ? c->label : "?";
    const auto serial = tx_.serial;
    pace_.cancel();
    machine_.enter(state::breaking,
                   fmt::format("{} channel serial {:03} after {} characters: a {} message waits",
                               label, serial, tx_.sent, protocol::precedence_name(*waiting)));
    if (auto r = durability_.store().cancel(peer_, tx_.cable, serial); !r) {
        host_.fatal(r.error().message);
        return true;
    }
    cancels_unsynced_.insert(serial);
    ctx_.log(fmt::format(
        "{} to {} (channel serial {:03}) broken off after {} of {} characters: a {} message "
        "pre-empts it",
        label, peer_, serial, tx_.sent, tx_.codes.size(), protocol::precedence_name(*waiting)));
    // The serial is void once the cancel record is on disk: only then does the far end hear of
    // it (a crash before would otherwise leave the cable with a serial the far end has voided).
    durability_.durable([this, seq = tx_.seq, serial, cable = tx_.cable, p = tx_.precedence] {
        on_broken(seq, serial, cable, p);
    });
    return true;
}

void link_sender::on_broken(std::uint64_t seq, std::uint32_t serial, std::uint64_t cable,
                            std::uint8_t precedence) {
    cancels_unsynced_.erase(serial);
    if (current() == state::breaking && tx_.seq == seq) {
        ++ctx_.stats.preemptions;
        drop_transmission(
            fmt::format("serial {:03} cancelled: the cable goes again later", serial));
        // Back to its original place in its precedence (the queue orders by the cable's
        // number).
        queue(cable, precedence);
    }
    // The cancel frame goes first, then the next copy (or, if the connection went meanwhile,
    // on the next connection).
    pump();
}

bool link_sender::send_cancels() {
    const auto& cancelled = durability_.store().out(peer_).cancelled;
    for (auto serial : cancelled) {
        if (cancels_sent_.count(serial)) continue;
        // Serials go out in order: a resend with a lower serial goes first.
        if (!again_.empty() && again_.begin()->first < serial) return true;
        if (cancels_unsynced_.count(serial)) return false;
        wire::cancel f;
        f.serial = serial;
        f.text = fmt::format("{:03} BROKEN OFF: TO BE SENT AGAIN", serial);
        if (!link_.send(f)) return false;
        cancels_sent_.insert(serial);
    }
    return true;
}

void link_sender::requeue_all() {
    auto& store = durability_.store();
    fresh_ = sim::circuit_queue{};
    again_.clear();
    for (const auto& c : store.out(peer_).copies) {
        if (c.done) continue;
        if (c.serial != 0) {
            const bool on_line = current() != state::idle && c.serial == tx_.serial;
            if (!on_line &&
                std::find(in_flight_.begin(), in_flight_.end(), c.serial) == in_flight_.end())
                again_.emplace(c.serial, c.cable);
        } else if (const auto* cable = store.cable(c.cable)) {
            queue(c.cable, cable->precedence);
        }
    }
}

net_copy* link_sender::next_copy() {
    auto& store = durability_.store();
    // A copy that has a serial goes first, the lowest first: serials go out in order.
    while (!again_.empty()) {
        const auto [serial, cable] = *again_.begin();
        again_.erase(again_.begin());
        auto* c = store.copy_of(peer_, cable);
        if (c && !c->done && c->serial == serial) return c;
    }
    // Then the highest precedence, first come first served within it.
    while (!fresh_.empty()) {
        const auto item = fresh_.pop();
        auto* c = store.copy_of(peer_, item.seq);
        if (c && !c->done && c->serial == 0 && store.cable(c->cable)) return c;
    }
    return nullptr;
}

void link_sender::pump() {
    if (ctx_.stopping || !link_.up()) return;
    switch (current()) {
        case state::idle:
            if (in_flight_.size() >= ctx_.config.max_in_flight) return;
            start_next();
            return;
        case state::sending:
            send_due();
            return;
        case state::committing:
        case state::draining:
        case state::breaking:
            return;
    }
}

void link_sender::start_next() {
    if (!send_cancels()) return;
    while (auto* copy = next_copy()) {
        const auto* c = durability_.store().cable(copy->cable);
        if (!c || c->codes.empty()) {
            copy->done = true;  // nothing to send (in memory only, as before)
            continue;
        }
        begin(*copy, *c);
        return;
    }
}

void link_sender::begin(net_copy& copy, const net_cable& c) {
    std::vector<std::uint8_t> codes;
    std::uint64_t key = 0, key_length = 0;
    if (line_) {
        key = line_->sender_key_position();
        // The line model's clock: the cable's filing time at the earliest, after the last
        // transmission (deterministic: the noise draws do not depend on the wall clock).
        vt_ = std::max(vt_, sim::sim_time{sim::sim_duration{c.filed_ns}});
        if (auto busy = line_->busy_until()) vt_ = std::max(vt_, *busy);
        line_->advance(vt_);
        auto t = line_->transmit(vt_, c.codes, c.label);
        if (!t) {
            host_.fatal(fmt::format("circuit to {}: {}", peer_, t.error().message));
            return;
        }
        vt_ = t.value().end();
        codes = t.value().line.printed();  // what the far end's receiver framed
        if (encrypts_) key_length = c.codes.size();
    } else {
        codes = c.codes;
    }
    if (codes.empty()) codes.push_back(0x1F);  // the whole line lost: one LTRS stands for it
    wire::begin b;
    b.resend = copy.attempts > 0;
    b.precedence = c.precedence;
    b.encrypted = encrypts_;
    b.key_position = key;
    b.length = static_cast<std::uint32_t>(codes.size());
    b.filed_ns = c.filed_ns;
    b.label = c.label.substr(0, wire::max_label);
    b.origin = c.origin;
    b.addressees = copy.addressees;
    const bool new_serial = copy.serial == 0;
    auto serial = durability_.store().transmit(peer_, copy.cable, key, key_length);
    if (!serial) {
        host_.fatal(serial.error().message);
        return;
    }
    b.serial = serial.value();
    tx_ = transmission{};
    tx_.seq = ++seq_;
    tx_.cable = copy.cable;
    tx_.serial = b.serial;
    tx_.codes = std::move(codes);
    tx_.precedence = c.precedence;
    tx_.new_serial = new_serial;
    machine_.enter(state::committing, fmt::format("{} channel serial {:03}: its tx record to disk",
                                                  c.label, b.serial));
    // The serial and the key stretch are on disk before the first code goes: a crash can never
    // reuse key or give one serial to two cables.
    durability_.durable(
        [this, seq = tx_.seq, b = std::move(b)]() mutable { on_committed(seq, std::move(b)); });
}

void link_sender::on_committed(std::uint64_t seq, wire::begin b) {
    if (current() != state::committing || tx_.seq != seq || !link_.up()) return;
    // A higher precedence filed meanwhile: a new serial is cancelled before its begin goes.
    if (preempt_if_due()) return;
    ctx_.log(fmt::format("{} {} to {} (channel serial {:03}, {} characters{})",
                         b.resend ? "sending again" : "sending", b.label, peer_, b.serial, b.length,
                         b.encrypted ? ", on-line encryption" : ""));
    if (!link_.send(b)) return;  // the connection went: reset() has left the transmission
    tx_.t0 = ctx_.timers.now();
    machine_.enter(state::sending, "on disk: begin sent");
    send_due();
}

std::uint32_t link_sender::window() const noexcept {
    return ctx_.config.speed > 0 ? ctx_.config.window : ctx_.config.unpaced_window;
}

void link_sender::send_due() {
    if (current() != state::sending) return;
    auto& tx = tx_;
    const auto total = static_cast<std::uint32_t>(tx.codes.size());
    const bool paced = ctx_.config.speed > 0;
    while (tx.sent < total) {
        const std::uint32_t limit = tx.acked + window();
        if (tx.sent >= limit) return;  // the printer has not caught up: wait for its ack
        std::uint32_t due = total;
        if (paced) {
            const auto now = ctx_.timers.now();
            due = frames_due(now);
            // At its due time a frame has left, whatever the rounding of the two conversions.
            if (due <= tx.sent && now >= due_time(tx.sent)) due = tx.sent + 1;
            if (due <= tx.sent) {
                pace_.set_at(due_time(tx.sent), [this, seq = tx.seq] {
                    if (!ctx_.stopping && current() == state::sending && tx_.seq == seq) send_due();
                });
                return;
            }
        }
        const std::uint32_t j = std::min(
            {due, limit, total, tx.sent + static_cast<std::uint32_t>(wire::max_codes_per_frame)});
        wire::data d;
        d.serial = tx.serial;
        d.offset = tx.sent;
        d.codes.assign(tx.codes.begin() + tx.sent, tx.codes.begin() + j);
        if (!link_.send(d)) return;
        if (ctx_.hooks.on_sent)
            for (std::uint32_t k = tx.sent; k < j; ++k) ctx_.hooks.on_sent(peer_, tx.serial, k);
        tx.sent = j;
    }
    wire::end e;
    e.serial = tx.serial;
    e.length = total;
    e.checksum = wire::codes_checksum(tx.codes);
    if (!link_.send(e)) return;
    machine_.enter(state::draining, "every code and end sent");
    when_printed();
}

void link_sender::when_printed() {
    if (current() != state::draining || tx_.acked < tx_.codes.size()) return;
    // Printed whole at the far end: the next one may go while this one is being stored.
    const auto serial = tx_.serial;
    in_flight_.push_back(serial);
    drop_transmission(fmt::format("serial {:03} printed at the far end: awaiting stored", serial));
    pump();
}

void link_sender::drop_transmission(std::string_view reason) {
    pace_.cancel();
    const bool on_line = current() != state::idle;
    tx_ = transmission{};
    if (on_line) machine_.enter(state::idle, reason);
}

std::uint32_t link_sender::frames_due(sim::wall_time now) const {
    const auto& circuit = link_.peer().circuit;
    auto elapsed =
        std::chrono::duration<double, std::nano>(now - tx_.t0).count() * ctx_.config.speed -
        static_cast<double>(circuit.propagation_delay.count());
    if (elapsed <= 0) return 0;
    auto k = circuit.profile.frames_ended_by(
        sim::sim_time{}, sim::sim_time{sim::sim_duration{static_cast<std::int64_t>(elapsed)}});
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(k, 0xFFFFFFFFu));
}

sim::wall_time link_sender::due_time(std::uint32_t k) const {
    const auto& circuit = link_.peer().circuit;
    auto ns = static_cast<double>(
        (circuit.propagation_delay + circuit.profile.frames(std::uint64_t{k} + 1)).count());
    return tx_.t0 + std::chrono::duration_cast<sim::wall_duration>(
                        std::chrono::duration<double, std::nano>(ns / ctx_.config.speed));
}

void link_sender::on_ack(const wire::ack& a) {
    if (current() != state::idle && a.serial == tx_.serial) {
        if (a.printed > tx_.codes.size()) {
            link_.close(fmt::format("protocol: ack of {} characters for a message of {}", a.printed,
                                    tx_.codes.size()));
            return;
        }
        if (current() == state::breaking) return;  // cancelled: the cancel frame follows
        tx_.acked = std::max(tx_.acked, a.printed);
        if (a.printed > 0 && !a.stored && !tx_.taken) {
            tx_.taken = true;
            if (current() == state::sending && preempt_if_due()) return;
        }
        if (a.stored) {
            // Stored before we finished (a duplicate): the rest need not go.
            stored_early(a.serial);
            return;
        }
        if (current() == state::draining)
            when_printed();
        else
            send_due();
        return;
    }
    if (!a.stored) return;
    if (durability_.store().out(peer_).cancelled.count(a.serial)) {
        // The far end has taken the cancelled serial as void.
        cancels_sent_.erase(a.serial);
        if (auto r = durability_.store().done(peer_, a.serial); !r) host_.fatal(r.error().message);
        pump();
        return;
    }
    auto it = std::find(in_flight_.begin(), in_flight_.end(), a.serial);
    if (it != in_flight_.end()) {
        in_flight_.erase(it);
        log_stored(a.serial);
    }
    again_.erase(a.serial);
    mark_done(a.serial);
    pump();
}

void link_sender::stored_early(std::uint32_t serial) {
    const auto* c = durability_.store().cable(tx_.cable);
    const std::string label = c ? c->label : "?";
    drop_transmission(fmt::format("serial {:03} stored at the far end before the end", serial));
    ctx_.log(fmt::format("{} stored at {} (channel serial {:03})", label, peer_, serial));
    mark_done(serial);
    pump();
}

void link_sender::log_stored(std::uint32_t serial) {
    auto& store = durability_.store();
    for (const auto& c : store.out(peer_).copies)
        if (c.serial == serial) {
            const auto* cb = store.cable(c.cable);
            ctx_.log(fmt::format("{} stored at {} (channel serial {:03})", cb ? cb->label : "?",
                                 peer_, serial));
            return;
        }
}

void link_sender::mark_done(std::uint32_t serial) {
    auto& store = durability_.store();
    for (const auto& c : store.out(peer_).copies)
        if (c.serial == serial && !c.done) {
            if (auto r = store.done(peer_, serial); !r) host_.fatal(r.error().message);
            ++ctx_.stats.forwarded;
            durability_.tidy();
            return;
        }
}

void link_sender::on_service(const wire::service& s) {
    auto& store = durability_.store();
    auto& ch = store.out(peer_);
    if (auto held = store.oldest_held(peer_); s.first < held && s.first <= ch.last_serial) {
        // Only the last keep_copies of a channel are held in memory: older ones are read back
        // from the journal. A serial the journal no longer has either is gone, and the far end
        // is told so (its operator must see to the gap).
        const auto upto = std::min(s.last, held - 1);
        auto restored = store.restore_for_repeat(peer_, s.first, upto);
        if (!restored) {
            host_.fatal(restored.error().message);
            return;
        }
        std::set<std::uint32_t> have(ch.cancelled.begin(), ch.cancelled.end());
        for (const auto& c : ch.copies)
            if (c.serial != 0) have.insert(c.serial);
        std::uint32_t missing_from = 0, missing_to = 0;
        for (auto k = s.first; k <= upto; ++k)
            if (!have.count(k)) {
                if (missing_from == 0) missing_from = k;
                missing_to = k;
            }
        if (missing_from != 0) {
            auto why = fmt::format(
                "{}: serials {:03}-{:03} are gone from {} (neither held nor in its journal)",
                s.text, missing_from, missing_to, ctx_.config.id);
            ctx_.log(fmt::format("repeat request from {}: {}", peer_, why));
            link_.close(why);
            return;
        }
        ctx_.log(fmt::format("repeat request from {} for {:03}-{:03}: read back from the journal",
                             peer_, s.first, upto));
    }
    std::size_t again = 0;
    for (auto& c : ch.copies)
        if (c.serial >= s.first && c.serial <= s.last) {
            c.done = false;
            ++again;
        }
    // A cancelled serial asked for: its cancel goes again.
    for (auto serial : ch.cancelled)
        if (serial >= s.first && serial <= s.last) {
            cancels_sent_.erase(serial);
            ++again;
        }
    ++ctx_.stats.repeats_served;
    ctx_.log(fmt::format("{} asks {} ({}): sending {} cable{} again", peer_, s.text,
                         fmt::format("{:03}-{:03}", s.first, s.last), again,
                         again == 1 ? "" : "s"));
    if (again < std::size_t{s.last} - s.first + 1)
        ctx_.log(
            fmt::format("repeat request from {}: some of serials {:03}-{:03} were never sent here",
                        peer_, s.first, s.last));
    // Whatever is on the line or awaiting "stored" stops; the lowest serial asked for goes
    // first, then the rest again in order.
    in_flight_.clear();
    drop_transmission(fmt::format("repeat request {}", s.text));
    requeue_all();
    pump();
}

void link_sender::reset(std::string_view reason) {
    in_flight_.clear();
    cancels_sent_.clear();
    drop_transmission(reason);
    requeue_all();
}

}  // namespace hakto::terminals
