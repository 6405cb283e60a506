#include "terminals/net/node/node_connections.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace hakto::terminals {

namespace asio = boost::asio;
namespace wire = protocol::wire;
using tcp = asio::ip::tcp;

node_connections::node_connections(node_context& ctx, node_host& host, node_links& links)
    : ctx_(ctx), host_(host), links_(links), acceptor_(ctx.io), accept_retry_(ctx.timers) {
    for (std::size_t i = 0; i < links_.size(); ++i) {
        diallers_.push_back(std::make_unique<dialler>(ctx.timers));
        diallers_.back()->backoff = ctx.config.reconnect_min;
    }
}

expected<void, node_error> node_connections::listen() {
    const auto& config = ctx_.config;
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(config.listen_host, ec);
    if (ec)
        return node_error{fmt::format("--listen: '{}' is not an IP address", config.listen_host)};
    tcp::endpoint ep{addr, config.listen_port};
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return node_error{fmt::format("--listen {}:{}: {}", config.listen_host, config.listen_port,
                                      ec.message())};
    return outcome::success();
}

std::uint16_t node_connections::port() const {
    boost::system::error_code ec;
    auto ep = acceptor_.local_endpoint(ec);
    return ec ? 0 : ep.port();
}

void node_connections::start() {
    if (acceptor_.is_open()) accept();
    for (const auto& l : links_)
        if (l->peer().dial) dial(*l);
}

void node_connections::stop() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    accept_retry_.cancel();
    for (auto& d : diallers_) {
        d->timer.cancel();
        if (d->socket) d->socket->close(ec);
    }
    std::vector<std::shared_ptr<session>> all;
    for (const auto& [s, order] : sessions_) all.push_back(s);
    for (auto& s : all) s->close("shutting down");
}

void node_connections::accept() {
    acceptor_.async_accept([this, alive = std::weak_ptr<bool>(alive_)](
                               const boost::system::error_code& ec, tcp::socket s) {
        if (!alive.lock() || ctx_.stopping || ec == asio::error::operation_aborted) return;
        if (ec) {
            // Out of descriptors, say: wait a little rather than spin.
            ctx_.log(fmt::format("accept failed: {}", ec.message()));
            accept_retry_.set_after(std::chrono::milliseconds{100}, [this] {
                if (!ctx_.stopping) accept();
            });
            return;
        }
        if (sessions_.size() >= ctx_.config.max_connections) {
            ++ctx_.stats.refused;
            boost::system::error_code ignored;
            s.close(ignored);
        } else {
            adopt(make_tcp_stream(std::move(s)), false, "");
        }
        accept();
    });
}

session_config node_connections::session_cfg() const {
    const auto& config = ctx_.config;
    session_config sc;
    sc.self_id = config.id;
    sc.role = config.role;
    sc.capabilities = (config.speed > 0 ? wire::capability::pacing : 0u) |
                      (config.crypto ? wire::capability::crypto : 0u) |
                      (config.noise ? wire::capability::noise : 0u);
    sc.key = config.key;
    sc.handshake_timeout = config.handshake_timeout;
    sc.heartbeat = config.heartbeat;
    sc.idle_timeout = config.idle_timeout;
    return sc;
}

std::string node_connections::admit(const std::string& id) const {
    const auto* l = links_.find(id);
    if (!l) return fmt::format("{} is not a neighbour of {}", id, ctx_.config.id);
    if (l->peer().dial)
        return fmt::format("{} dials {}; it does not take calls from it", ctx_.config.id, id);
    return {};
}

void node_connections::adopt(std::unique_ptr<byte_stream> stream, bool initiator,
                             const std::string& expected_peer) {
    if (ctx_.stopping) {
        stream->close();
        return;
    }
    auto s = std::make_shared<session>(ctx_.timers, std::move(stream), session_cfg(), initiator,
                                       expected_peer);
    sessions_.emplace(s, ++adopted_);
    if (initiator)
        if (const auto* l = links_.find(expected_peer)) diallers_[l->index()]->pending = s;
    const std::weak_ptr<bool> alive = alive_;
    session::hooks h;
    h.admit = [this, alive](const std::string& id) -> std::string {
        return alive.lock() ? admit(id) : std::string{"shutting down"};
    };
    h.established = [this, alive](const std::shared_ptr<session>& sp) {
        if (alive.lock()) established(sp);
    };
    h.on_frame = [this, alive](const std::shared_ptr<session>& sp, wire::frame f) {
        if (alive.lock()) on_frame(sp, std::move(f));
    };
    h.closed = [this, alive](const std::shared_ptr<session>& sp, const std::string& reason) {
        if (alive.lock()) closed(sp, reason);
    };
    h.log = [this, alive](const std::string& m) {
        if (alive.lock()) ctx_.session_log(m);
    };
    s->start(std::move(h));
    enforce_pending_limit();
}

void node_connections::enforce_pending_limit() {
    std::vector<std::pair<std::shared_ptr<session>, std::uint64_t>> waiting;
    for (const auto& [s, order] : sessions_)
        if (!s->established() && s->open()) waiting.emplace_back(s, order);
    if (waiting.size() <= ctx_.config.max_pending_handshakes) return;
    std::sort(waiting.begin(), waiting.end(), [](const auto& a, const auto& b) {
        return std::tuple(a.first->started(), a.second) < std::tuple(b.first->started(), b.second);
    });
    auto excess = waiting.size() - ctx_.config.max_pending_handshakes;
    for (std::size_t i = 0; i < excess; ++i) {
        // (The session logs its closing, with this reason.)
        waiting[i].first->close(
            fmt::format("too many connections without hello (limit {}): the oldest goes",
                        ctx_.config.max_pending_handshakes));
    }
}

void node_connections::dial(node_link& l) {
    if (ctx_.stopping || !ctx_.config.dial_out) return;
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(l.peer().host, ec);
    if (ec) {
        host_.fatal(
            fmt::format("--peer {}: '{}' is not an IP address", l.peer().id, l.peer().host));
        return;
    }
    auto& d = *diallers_[l.index()];
    d.socket = std::make_shared<tcp::socket>(ctx_.io);
    auto sock = d.socket;
    d.timer.set_after(ctx_.config.handshake_timeout, [sock] {
        boost::system::error_code ignored;
        sock->close(ignored);  // the connect timed out
    });
    sock->async_connect(
        tcp::endpoint{addr, l.peer().port},
        [this, alive = std::weak_ptr<bool>(alive_), index = l.index(),
         sock](const boost::system::error_code& e) {
            if (!alive.lock() || ctx_.stopping) return;
            auto& lk = links_.at(index);
            auto& dl = *diallers_[index];
            dl.timer.cancel();
            if (dl.socket == sock) dl.socket.reset();
            if (e) {
                if (!dl.reported_unreachable)
                    ctx_.log(fmt::format("cannot reach {} at {}:{}: {}; retrying", lk.peer().id,
                                         lk.peer().host, lk.peer().port, e.message()));
                dl.reported_unreachable = true;
                redial(lk);
                return;
            }
            adopt(make_tcp_stream(std::move(*sock)), true, lk.peer().id);
        });
}

void node_connections::redial(node_link& l) {
    if (ctx_.stopping || !ctx_.config.dial_out) return;
    auto& d = *diallers_[l.index()];
    const auto wait = d.backoff;
    d.backoff = std::min<sim::wall_duration>(d.backoff * 2, ctx_.config.reconnect_max);
    d.timer.set_after(wait, [this, index = l.index()] {
        if (!ctx_.stopping) dial(links_.at(index));
    });
}

void node_connections::established(const std::shared_ptr<session>& s) {
    auto* l = links_.find(s->peer_id());
    if (!l) {
        s->close("not a neighbour");
        return;
    }
    auto& d = *diallers_[l->index()];
    if (d.pending == s) d.pending.reset();
    if (auto old = l->connection(); old && old != s) {
        l->detach("replaced by a new connection");
        old->close("replaced by a new connection from the same station");
    }
    l->attach(s);
    d.backoff = ctx_.config.reconnect_min;
    d.reported_unreachable = false;
    ++ctx_.stats.sessions;
    ctx_.log(fmt::format("{} {} ({}{})", l->peer().dial ? "connected to" : "connection from",
                         l->peer().id, s->remote(),
                         ctx_.config.key ? ", authenticated, frames sealed" : ""));
    l->sender().pump();
}

void node_connections::closed(const std::shared_ptr<session>& s, const std::string& reason) {
    sessions_.erase(s);
    if (!s->established()) ++ctx_.stats.refused;
    for (const auto& lp : links_) {
        auto& l = *lp;
        auto& d = *diallers_[l.index()];
        const bool was_up = l.connection() == s;
        const bool was_pending = d.pending == s;  // dialled, still in its handshake
        if (was_up) {
            l.detach(fmt::format("disconnected: {}", reason));
            ctx_.log(fmt::format("{} disconnected: {}", l.peer().id, reason));
        }
        if (was_pending) d.pending.reset();
        if ((was_up || was_pending) && l.peer().dial && !ctx_.stopping) redial(l);
    }
}

void node_connections::on_frame(const std::shared_ptr<session>& s, wire::frame f) {
    auto* l = links_.find(s->peer_id());
    if (!l || l->connection() != s) return;
    l->on_frame(std::move(f));
}

}  // namespace hakto::terminals
