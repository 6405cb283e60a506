#include "terminals/net/net_session.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace hakto::terminals {

namespace wire = protocol::wire;

session::session(sim::timer_service& timers, std::unique_ptr<byte_stream> stream,
                 session_config config, bool initiator, std::string expected_peer)
    : timers_(timers),
      channel_(std::make_shared<frame_channel>(std::move(stream), config.max_queued_bytes)),
      config_(std::move(config)),
      initiator_(initiator),
      expected_peer_(std::move(expected_peer)),
      remote_(channel_->peer()),
      timer_(timers) {
    if (config_.key)
        config_.capabilities |= wire::capability::authenticate;
    else
        config_.capabilities &= ~wire::capability::authenticate;
}

void session::log(const std::string& line) const {
    if (hooks_.log) hooks_.log(line);
}

void session::start(hooks h) {
    hooks_ = std::move(h);
    started_ = last_in_ = last_out_ = timers_.now();
    auto n = fresh_nonce();
    if (!n) {
        close(n.error().message);
        return;
    }
    my_nonce_ = n.value();
    std::weak_ptr<session> weak = shared_from_this();
    channel_->start({[weak](wire::frame f) {
                         if (auto s = weak.lock()) s->frame(std::move(f));
                     },
                     [weak](const std::string& reason) {
                         if (auto s = weak.lock()) s->close(reason);
                     }});
    if (initiator_) {
        wire::hello h;
        h.station = config_.self_id;
        h.kind = config_.role;
        h.capabilities = config_.capabilities;
        h.nonce = my_nonce_;
        my_hello_ = h;
        raw_send(h);
    }
    arm();
}

bool session::raw_send(const wire::frame& f) {
    last_out_ = timers_.now();
    if (!seals_) return channel_->send(f);
    auto s = seals_->out.seal(f);
    if (!s) {
        log(fmt::format("{} ({}): {}: closing", peer_id_, remote_, s.error().message));
        close(s.error().message);
        return false;
    }
    return channel_->send(s.value());
}

bool session::send(const wire::frame& f) {
    if (!established_ || closed_) return false;
    return raw_send(f);
}

void session::refuse(const std::string& reason) {
    if (closed_ || refusing_) return;
    refusing_ = true;  // what else comes before the close is not read
    log(fmt::format("refused {}{}: {}", remote_, peer_id_.empty() ? "" : " (" + peer_id_ + ")",
                    reason));
    // The peer is told why (sealed, once the connection is); then the connection goes.
    raw_send(wire::refuse{reason.substr(0, wire::max_text)});
    channel_->close_after_flush(reason);
}

void session::close(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    if (!established_ && !logged_)
        log(fmt::format("closed {}{} before the handshake ended: {}", remote_,
                        peer_id_.empty() ? "" : " (" + peer_id_ + ")", reason));
    channel_->close(reason);
    auto self = shared_from_this();
    auto cb = std::move(hooks_.closed);
    hooks_.established = nullptr;
    hooks_.on_frame = nullptr;
    hooks_.admit = nullptr;
    if (cb) cb(self, reason);
}

void session::arm() {
    if (closed_) return;
    const auto at = established_
                        ? std::min(last_in_ + config_.idle_timeout, last_out_ + config_.heartbeat)
                        : started_ + config_.handshake_timeout;
    timer_.set_at(at, [weak = weak_from_this()] {
        if (auto s = weak.lock()) s->on_timer();
    });
}

void session::on_timer() {
    if (closed_) return;
    const auto now = timers_.now();
    if (!established_) {
        if (now - started_ >= config_.handshake_timeout) {
            log(fmt::format("closed {}: no {} within {} ms", remote_,
                            phase_ == phase::hello ? "hello" : "authentication",
                            config_.handshake_timeout.count()));
            close("handshake timed out");
            return;
        }
    } else {
        if (now - last_in_ >= config_.idle_timeout) {
            log(fmt::format("{} ({}) silent for {} ms: closing", peer_id_, remote_,
                            config_.idle_timeout.count()));
            close("idle timeout");
            return;
        }
        if (now - last_out_ >= config_.heartbeat) raw_send(wire::heartbeat{++heartbeats_});
    }
    arm();  // the next deadline (a frame in or out meanwhile moved it on)
}

void session::frame(wire::frame f) {
    if (closed_ || refusing_) return;
    last_in_ = timers_.now();
    if (seals_ && !open_sealed(f)) return;
    if (auto* r = std::get_if<wire::refuse>(&f)) {
        log(fmt::format("{}{} refused us: {}", remote_,
                        peer_id_.empty() ? "" : " (" + peer_id_ + ")", r->reason));
        close(fmt::format("refused by the peer: {}", r->reason));
        return;
    }
    switch (phase_) {
        case phase::hello:
            if (auto* h = std::get_if<wire::hello>(&f)) {
                on_hello(*h);
            } else {
                refuse(fmt::format(
                    "protocol: expected hello, got {}",
                    wire::frame_type_name(static_cast<std::uint8_t>(wire::type_of(f)))));
            }
            return;
        case phase::auth:
            if (auto* a = std::get_if<wire::auth>(&f)) {
                on_auth(*a);
            } else {
                refuse(fmt::format(
                    "protocol: expected auth, got {}",
                    wire::frame_type_name(static_cast<std::uint8_t>(wire::type_of(f)))));
            }
            return;
        case phase::up:
            if (std::holds_alternative<wire::heartbeat>(f)) return;
            if (std::holds_alternative<wire::hello>(f) || std::holds_alternative<wire::auth>(f)) {
                refuse("protocol: a second hello or auth");
                return;
            }
            if (std::holds_alternative<wire::sealed>(f)) {
                refuse("protocol: a sealed frame, and this connection has no shared key");
                return;
            }
            if (hooks_.on_frame) hooks_.on_frame(shared_from_this(), std::move(f));
            return;
    }
}

void session::on_hello(const wire::hello& h) {
    peer_hello_ = h;
    peer_id_ = h.station;
    const bool peer_auth = (h.capabilities & wire::capability::authenticate) != 0;
    if (initiator_) {
        if (h.station != expected_peer_) {
            refuse(fmt::format("connected to {}, expected {}", h.station, expected_peer_));
            return;
        }
        if (config_.key && !peer_auth) {
            refuse("the peer does not authenticate and this station has a shared key");
            return;
        }
        if (!config_.key && peer_auth) {
            refuse("the peer requires authentication: give --key-file");
            return;
        }
        if (config_.key) {
            wire::auth a;
            a.mac = auth_answer(*config_.key, auth_side::client, h.nonce, my_nonce_,
                                config_.self_id, h.station);
            raw_send(a);
            phase_ = phase::auth;
            return;
        }
        up();
        return;
    }
    // The listening side.
    if (hooks_.admit) {
        auto why = hooks_.admit(h.station);
        if (!why.empty()) {
            refuse(why);
            return;
        }
    }
    if (config_.key && !peer_auth) {
        refuse("authentication required: this station has a shared key, the peer offered none");
        return;
    }
    wire::hello mine;
    mine.station = config_.self_id;
    mine.kind = config_.role;
    mine.capabilities = config_.capabilities;
    mine.nonce = my_nonce_;
    my_hello_ = mine;
    raw_send(mine);
    if (config_.key) {
        phase_ = phase::auth;
        return;
    }
    if (peer_auth) {
        // The peer will refuse us (it has a key, we have none); wait for its refusal.
        phase_ = phase::auth;
        return;
    }
    up();
}

void session::on_auth(const wire::auth& a) {
    if (!config_.key) {
        refuse("authentication: this station has no shared key");
        return;
    }
    if (initiator_) {
        auto want = auth_answer(*config_.key, auth_side::server, peer_hello_.nonce, my_nonce_,
                                config_.self_id, peer_id_);
        if (!same_mac(want, a.mac)) {
            refuse("authentication failed: the peer does not hold our key");
            return;
        }
        up();
        return;
    }
    auto want = auth_answer(*config_.key, auth_side::client, my_nonce_, peer_hello_.nonce, peer_id_,
                            config_.self_id);
    if (!same_mac(want, a.mac)) {
        refuse("authentication failed: wrong key or a replayed answer");
        return;
    }
    wire::auth mine;
    mine.mac = auth_answer(*config_.key, auth_side::server, my_nonce_, peer_hello_.nonce, peer_id_,
                           config_.self_id);
    raw_send(mine);
    up();
}

bool session::start_sealing() {
    handshake_facts facts;
    facts.server_nonce = initiator_ ? peer_hello_.nonce : my_nonce_;
    facts.client_nonce = initiator_ ? my_nonce_ : peer_hello_.nonce;
    facts.client_id = initiator_ ? config_.self_id : peer_id_;
    facts.server_id = initiator_ ? peer_id_ : config_.self_id;
    wire::encode_to(initiator_ ? my_hello_ : peer_hello_, facts.transcript);
    wire::encode_to(initiator_ ? peer_hello_ : my_hello_, facts.transcript);
    auto seals =
        make_seals(*config_.key, initiator_ ? auth_side::client : auth_side::server, facts);
    if (!seals) {
        close(seals.error().message);
        return false;
    }
    seals_.emplace(std::move(seals.value()));
    return true;
}

bool session::open_sealed(wire::frame& f) {
    const auto* s = std::get_if<wire::sealed>(&f);
    if (!s) {
        // Nothing in clear is taken after the handshake: not even a refusal, which anyone on
        // the path could have written (its text is logged, marked as such).
        if (const auto* r = std::get_if<wire::refuse>(&f))
            refuse(fmt::format(
                "protocol: a refuse frame in clear after the handshake (unauthenticated: '{}')",
                r->reason));
        else
            refuse(fmt::format(
                "protocol: a frame in clear after the handshake ({}), where every frame is sealed",
                wire::frame_type_name(static_cast<std::uint8_t>(wire::type_of(f)))));
        return false;
    }
    auto inner = seals_->in.open(*s);
    if (!inner) {
        refuse(inner.error().message);
        return false;
    }
    f = std::move(inner.value());
    return true;
}

void session::up() {
    if (config_.key && !start_sealing()) return;
    phase_ = phase::up;
    established_ = true;
    last_in_ = timers_.now();
    arm();  // from the handshake's deadline to the idle timeout and the heartbeat
    if (hooks_.established) hooks_.established(shared_from_this());
}

}  // namespace hakto::terminals
