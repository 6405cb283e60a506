// The node as a whole (terminals/net/node/net_node.hpp): it builds its parts from the
// configuration, files cables, routes them, and starts and stops. The parts: node_link (with
// link_sender and link_receiver), node_connections, node_durability.
#include "terminals/net/node/net_node.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/asio/post.hpp>

#include "protocol/cable/precedence.hpp"
#include "sim/routing_table.hpp"
#include "terminals/net/net_printer_port.hpp"
#include "terminals/net/net_timer.hpp"
#include "terminals/net/node/node_connections.hpp"
#include "terminals/net/node/node_context.hpp"
#include "terminals/net/node/node_durability.hpp"
#include "terminals/net/node/node_link.hpp"
#include "terminals/support/asio_timers.hpp"

namespace hakto::terminals {

namespace asio = boost::asio;
namespace wire = protocol::wire;

class net_node::impl final : public node_host, public std::enable_shared_from_this<impl> {
  public:
    impl(asio::io_context& io, sim::timer_service& timers, node_config c,
         std::unique_ptr<sim::timer_service> own_timers)
        : own_timers_(std::move(own_timers)), ctx_(io, timers, std::move(c)) {}
    impl(const impl&) = delete;
    impl& operator=(const impl&) = delete;
    ~impl() = default;

    /// Whether a cable to file here can go on the wire (its label, addressees and length).
    expected<void, node_error> check_cable(const net_cable& c) const {
        wire::begin probe;
        probe.serial = 1;
        probe.precedence = c.precedence;
        probe.length = static_cast<std::uint32_t>(std::max<std::size_t>(c.codes.size(), 1));
        probe.label = c.label;
        probe.origin = c.origin.empty() ? ctx_.config.id : c.origin;
        probe.addressees = c.addressees;
        if (c.codes.size() > wire::max_message_codes) probe.length = wire::max_message_codes + 1;
        if (auto v = wire::validate(probe); !v)
            return node_error{
                fmt::format("cable '{}' cannot go on the wire: {}", c.label, v.error().message())};
        return outcome::success();
    }

    expected<void, node_error> build() {
        auto& config = ctx_.config;
        if (config.routing_indicator.empty()) config.routing_indicator = config.id;
        // Ids go on the wire in hello and begin frames: check them here, not at the far end.
        auto id_ok = [](const std::string& id, std::size_t max) {
            return !id.empty() && id.size() <= max &&
                   std::all_of(id.begin(), id.end(), [](char ch) {
                       return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
                   });
        };
        if (!id_ok(config.id, wire::max_station_id))
            return node_error{fmt::format("station id '{}': 1 to {} capital letters or figures",
                                          config.id, wire::max_station_id)};
        if (!id_ok(config.routing_indicator, wire::max_addressee))
            return node_error{
                fmt::format("routing indicator '{}': 1 to {} capital letters or figures",
                            config.routing_indicator, wire::max_addressee)};
        for (const auto& p : config.peers)
            if (!id_ok(p.id, wire::max_station_id))
                return node_error{fmt::format("neighbour '{}': 1 to {} capital letters or figures",
                                              p.id, wire::max_station_id)};
        for (const auto& c : config.to_file)
            if (auto v = check_cable(c); !v) return v.error();
        auto st = net_store::open(config.journal_dir);
        if (!st) return node_error{st.error().message};
        durability_ = std::make_unique<node_durability>(ctx_, *this, std::move(st.value()));
        auto& store = durability_->store();
        if (store.log().dropped_bytes() > 0)
            ctx_.log(fmt::format("journal {}: a torn last record ({} bytes) was cut off",
                                 store.log().path(), store.log().dropped_bytes()));
        for (const auto& p : config.peers) {
            auto l = node_link::make(ctx_, *this, *durability_, p, links_.size());
            if (!l) return l.error();
            l.value()->sender().requeue_all();  // what the journal has still to send
            links_.add(std::move(l.value()));
        }
        for (const auto& [prefix, peer] : config.routes) {
            const auto* l = links_.find(peer);
            if (!l)
                return node_error{
                    fmt::format("route '{}' goes to {}, which is not a neighbour of {}", prefix,
                                peer, config.id)};
            auto cid = static_cast<sim::circuit_id>(l->index());
            if (prefix.empty()) {
                routes_.set_default(cid);
            } else if (auto added = routes_.add(prefix, cid); !added) {
                return node_error{
                    fmt::format("route '{}': {}", prefix, sim::to_string(added.error()))};
            }
        }
        connections_ = std::make_unique<node_connections>(ctx_, *this, links_);
        if (config.listen)
            if (auto r = connections_->listen(); !r) return r.error();
        if (config.printer_port) {
            printer_port_options po;
            po.host = config.printer_host;
            po.port = *config.printer_port;
            po.greeting = fmt::format("{} page printer\r\n", config.id);
            auto p = printer_port::open(ctx_.io, po, [this](const std::string& m) { ctx_.log(m); });
            if (!p) return node_error{p.error()};
            printer_ = std::move(p.value());
        }
        return outcome::success();
    }

    void start() {
        connections_->start();
        durability_->recover_deliveries();
        // Cables to file here, once: the journal remembers what was filed.
        if (ctx_.config.file_in_time) {
            schedule_ = ctx_.config.to_file;
            std::stable_sort(
                schedule_.begin(), schedule_.end(),
                [](const net_cable& x, const net_cable& y) { return x.filed_ns < y.filed_ns; });
            file_due();
        } else {
            bool filed = false;
            for (const auto& c : ctx_.config.to_file) {
                auto r = file_one(c);
                if (!r) return;
                filed = filed || r.value();
            }
            if (filed) durability_->durable([this] { pump_all(); });
        }
        auto pending = durability_->outstanding();
        if (pending > 0)
            ctx_.log(
                fmt::format("journal: {} cable{} to send on", pending, pending == 1 ? "" : "s"));
    }

    /// Filing in time (node_config::file_in_time): files the next cable of the schedule and
    /// sets the timer for the one after it.
    void file_due() {
        if (ctx_.stopping) return;
        const double speed = ctx_.config.speed;
        while (next_filing_ < schedule_.size()) {
            if (next_filing_ > 0 && speed > 0) {
                const auto now = ctx_.timers.now();
                if (!filing_deadline_) {
                    // The filing times' distance, scaled by the speed.
                    const auto gap = std::chrono::nanoseconds{schedule_[next_filing_].filed_ns -
                                                              schedule_[next_filing_ - 1].filed_ns};
                    filing_deadline_ = now + wall(std::max(gap, std::chrono::nanoseconds{0}));
                }
                // Idle hours are skipped as the replay skips them: with nothing filed here
                // outstanding and more than idle_gap to go, the next cable comes a second on.
                const auto left = *filing_deadline_ - now;
                if (left > wall(ctx_.config.idle_gap) && durability_->outstanding() == 0) {
                    ctx_.log(fmt::format("no traffic here: the {} before {} is filed are skipped",
                                         format_span(left, speed), schedule_[next_filing_].label));
                    filing_deadline_ = now + wall(std::chrono::seconds{1});
                }
                if (now < *filing_deadline_) {
                    // Looked at again when due; while a skip may still come, also as the
                    // traffic here drains.
                    auto at = *filing_deadline_;
                    if (left > wall(ctx_.config.idle_gap))
                        at = std::min(at, now + std::chrono::milliseconds{50});
                    filing_timer_.set_at(at, [this] { file_due(); });
                    return;
                }
            }
            filing_deadline_.reset();
            auto r = file_one(schedule_[next_filing_]);
            if (!r) return;
            ++next_filing_;
            if (r.value()) durability_->durable([this] { pump_all(); });
        }
    }

    /// A span of scenario time as wall time at the node's speed.
    [[nodiscard]] sim::wall_duration wall(std::chrono::nanoseconds d) const {
        return std::chrono::duration_cast<sim::wall_duration>(
            std::chrono::duration<double, std::nano>(static_cast<double>(d.count()) /
                                                     ctx_.config.speed));
    }
    static std::string format_span(sim::wall_duration left, double speed) {
        const auto s = static_cast<long long>(std::chrono::duration<double>(left).count() * speed);
        return fmt::format("{}:{:02}:{:02} (h:mm:ss)", s / 3600, s / 60 % 60, s % 60);
    }

    /// Files one cable here. False when the journal already has its label (filed once only);
    /// an error when the journal cannot be written (the node stops).
    expected<bool, node_error> file_one(net_cable c) {
        auto& store = durability_->store();
        if (store.filed_here(c.label)) return false;
        if (c.origin.empty()) c.origin = ctx_.config.id;
        c.from_peer.clear();
        c.from_serial = 0;
        const auto label = c.label;
        const auto precedence = static_cast<protocol::precedence>(c.precedence);
        const auto length = c.codes.size();
        const auto addressees = c.addressees;
        auto id = take_in(std::move(c));
        if (!id) return id.error();
        ctx_.log(fmt::format("filed {} ({} {}, {} characters) for {}", label,
                             protocol::precedence_letter(precedence),
                             protocol::precedence_name(precedence), length,
                             fmt::join(addressees, " ")));
        if (const auto* cb = store.cable(id.value()); cb && cb->local)
            durability_->deliver_after_sync(id.value());
        return true;
    }

    /// file() at run time: on the node's thread.
    void file_posted(net_cable c, std::function<void(expected<bool, node_error>)> done) {
        if (ctx_.stopping) {
            if (done) done(node_error{fmt::format("{}: the station is stopping", c.label)});
            return;
        }
        auto r = file_one(std::move(c));
        if (!r || !r.value()) {
            if (done) done(std::move(r));
            return;
        }
        durability_->durable([this, done = std::move(done)] {
            if (done) done(true);
            pump_all();
        });
    }

    void stop() {
        if (ctx_.stopping) return;
        ctx_.stopping = true;
        filing_timer_.cancel();
        for (const auto& l : links_) l->stop();
        connections_->stop();
        if (printer_) printer_->stop();
        (void)durability_->store().sync();
        if (ctx_.hooks.on_stop) {
            auto f = std::move(ctx_.hooks.on_stop);
            ctx_.hooks.on_stop = nullptr;
            f();
        }
    }

    // --- node_host ---------------------------------------------------------------------------

    void fatal(const std::string& m) override {
        ctx_.log(fmt::format("stopping: {}", m));
        ctx_.failed = true;
        stop();
    }

    expected<std::uint64_t, node_error> take_in(net_cable c) override {
        auto [routes, local] = route(c);
        c.local = local;
        const auto precedence = c.precedence;
        auto id = durability_->store().accept(std::move(c), routes);
        if (!id) {
            fatal(id.error().message);
            return node_error{id.error().message};
        }
        for (const auto& [peer, addressees] : routes)
            if (auto* l = links_.find(peer)) l->sender().queue(id.value(), precedence);
        return id.value();
    }

    void pump_all() override {
        for (const auto& l : links_) l->sender().pump();
    }

    terminals::printer_port* printer() override { return printer_.get(); }

    // --- routing -----------------------------------------------------------------------------

    std::pair<std::map<std::string, std::vector<std::string>>, bool> route(const net_cable& c) {
        std::map<std::string, std::vector<std::string>> routes;
        bool local = false;
        for (const auto& a : c.addressees) {
            if (a == ctx_.config.routing_indicator) {
                local = true;
                continue;
            }
            auto ri = sim::routing_indicator::parse(a);
            auto cid = ri ? routes_.lookup(ri.value()) : sim::routing_table::no_route;
            if (cid == sim::routing_table::no_route || cid >= links_.size()) {
                ctx_.log(fmt::format("{}: no route for {}: held in the journal", c.label, a));
                continue;
            }
            routes[links_.at(cid).peer().id].push_back(a);
        }
        return {std::move(routes), local};
    }

    // Declared first: destroyed last, after every part that holds a timer of it.
    std::unique_ptr<sim::timer_service> own_timers_;
    node_context ctx_;
    std::unique_ptr<node_durability> durability_;
    std::unique_ptr<terminals::printer_port> printer_;
    node_links links_;
    sim::routing_table routes_;
    std::unique_ptr<node_connections> connections_;
    std::vector<net_cable> schedule_;  ///< to_file in filing order (file_in_time)
    std::size_t next_filing_ = 0;
    /// When schedule_[next_filing_] is due (set when its wait began).
    std::optional<sim::wall_time> filing_deadline_;
    scoped_timer filing_timer_{ctx_.timers};
};

expected<std::unique_ptr<net_node>, node_error> net_node::create(asio::io_context& io,
                                                                 sim::timer_service& timers,
                                                                 node_config config) {
    auto p = std::make_shared<impl>(io, timers, std::move(config), nullptr);
    if (auto r = p->build(); !r) return r.error();
    return std::make_unique<net_node>(token{}, std::move(p));
}

expected<std::unique_ptr<net_node>, node_error> net_node::create(asio::io_context& io,
                                                                 node_config config) {
    auto timers = std::make_unique<asio_timers>(io);
    auto& t = *timers;
    auto p = std::make_shared<impl>(io, t, std::move(config), std::move(timers));
    if (auto r = p->build(); !r) return r.error();
    return std::make_unique<net_node>(token{}, std::move(p));
}

net_node::~net_node() {
    impl_->stop();
}
void net_node::start() {
    impl_->start();
}
void net_node::stop() {
    impl_->stop();
}
expected<void, node_error> net_node::file(net_cable c,
                                          std::function<void(expected<bool, node_error>)> done) {
    if (auto v = impl_->check_cable(c); !v) return v.error();
    asio::post(impl_->ctx_.io, [weak = std::weak_ptr<impl>(impl_), c = std::move(c),
                                done = std::move(done)]() mutable {
        if (auto self = weak.lock()) self->file_posted(std::move(c), std::move(done));
    });
    return outcome::success();
}
void net_node::adopt(std::unique_ptr<byte_stream> stream, bool initiator,
                     const std::string& expected_peer) {
    impl_->connections_->adopt(std::move(stream), initiator, expected_peer);
}
std::uint16_t net_node::port() const {
    return impl_->connections_->port();
}
std::uint16_t net_node::printer_port() const {
    return impl_->printer_ ? impl_->printer_->port() : 0;
}
const node_stats& net_node::stats() const noexcept {
    return impl_->ctx_.stats;
}
const net_store& net_node::store() const noexcept {
    return impl_->durability_->store();
}
const node_config& net_node::config() const noexcept {
    return impl_->ctx_.config;
}
std::size_t net_node::outstanding() const {
    return impl_->durability_->outstanding();
}
bool net_node::failed() const noexcept {
    return impl_->ctx_.failed;
}
void net_node::on_stop(std::function<void()> f) {
    impl_->ctx_.hooks.on_stop = std::move(f);
}
void net_node::on_log(std::function<void(const std::string&)> f) {
    impl_->ctx_.hooks.log = std::move(f);
}
void net_node::on_delivered(std::function<void(const net_cable&)> f) {
    impl_->ctx_.hooks.on_delivered = std::move(f);
}
void net_node::on_printed(std::function<void(const std::string&, std::uint32_t, std::uint8_t)> f) {
    impl_->ctx_.hooks.on_printed = std::move(f);
}
void net_node::on_sent(std::function<void(const std::string&, std::uint32_t, std::uint32_t)> f) {
    impl_->ctx_.hooks.on_sent = std::move(f);
}
void net_node::on_transition(std::function<void(const node_transition&)> f) {
    impl_->ctx_.hooks.on_transition = std::move(f);
}

}  // namespace hakto::terminals
