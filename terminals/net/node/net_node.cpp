#include "terminals/net/node/net_node.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <list>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "sim/circuit.hpp"
#include "sim/crypto/crypto.hpp"
#include "sim/routing_table.hpp"
#include "terminals/net/net_printer_port.hpp"
#include "terminals/net/net_session.hpp"

namespace hakto::terminals {

namespace asio = boost::asio;
namespace wire = protocol::wire;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

std::string delivered_file_name(const net_cable& c) {
    std::string name;
    for (char ch : c.label)
        name += ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                    ? ch
                    : '_';
    if (name.empty()) name = fmt::format("cable_{}", c.id);
    return name + ".json";
}

namespace {

std::string wall_clock() {
    auto now = std::chrono::system_clock::now();
    auto s = std::chrono::floor<std::chrono::seconds>(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - s).count();
    std::time_t t = std::chrono::system_clock::to_time_t(s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:02}:{:02}:{:02}.{:03}Z", tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

/// Writes `text` to `path` whole: a temporary file, fsync, rename.
bool write_whole(const std::filesystem::path& path, const std::string& text) {
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        if (!f) return false;
        f << text;
        f.flush();
        if (!f) return false;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    return !ec;
}

}  // namespace

class net_node::impl : public std::enable_shared_from_this<net_node::impl> {
  public:
    struct outgoing {
        bool active = false;
        std::uint64_t seq = 0;
        std::uint64_t cable = 0;
        std::uint32_t serial = 0;
        std::vector<std::uint8_t> codes;  // as they go on the wire
        std::uint32_t sent = 0, acked = 0;
        bool begun = false;  // begin sent (the tx record is on disk)
        bool end_sent = false;
        steady::time_point t0{};
    };
    struct incoming {
        enum class state { none, receiving, skipping } st = state::none;
        std::uint32_t skip = 0;
        wire::begin b;
        std::vector<std::uint8_t> codes;  // as received
        std::vector<std::uint8_t> plain;  // as printed
        std::uint32_t printed = 0, acked = 0;
        bool end_ok = false;
        bool local = false;
        bool decrypting = false;
        steady::time_point next_print{};
        steady::time_point last_print{};
    };
    struct link {
        explicit link(asio::io_context& io) : send_timer(io), print_timer(io), dial_timer(io) {}
        std::size_t index = 0;
        node_peer peer;
        std::shared_ptr<session> s;        // established
        std::shared_ptr<session> pending;  // dialled, in its handshake
        std::uint64_t gen = 0;
        std::optional<sim::circuit> line;  // our direction's circuit model (crypto, noise)
        bool encrypts = false;
        std::optional<sim::key_tape> rx_tape;  // the far end's direction, to decrypt
        // The receiving operator and his tape reader: one for the channel, from message to
        // message, as on a real circuit (and as sim::circuit keeps it).
        std::optional<sim::resync_receiver> decrypt;
        std::optional<sim::key_reader> reader;  // a clean line: no walking
        sim::sim_time vt{};
        steady::duration frame{};  // one character at the paced speed
        outgoing tx;
        incoming rx;
        protocol::teletype_decoder page;
        asio::steady_timer send_timer, print_timer, dial_timer;
        std::chrono::milliseconds backoff{};
        bool reported_unreachable = false;
        std::size_t scan_from = 0;
        // Serials sent whole (end sent) whose "stored" has not come back: the next cable goes
        // meanwhile, up to max_in_flight of them.
        std::vector<std::uint32_t> in_flight;
        std::uint32_t asked_from = 0;  // a repeat request already sent for serials from here
        std::shared_ptr<tcp::socket> dial_socket;
    };

    impl(asio::io_context& io, node_config c)
        : io_(io), config_(std::move(c)), acceptor_(io), accept_retry_(io) {}

    // --- set-up -----------------------------------------------------------------------------

    /// Whether a cable to file here can go on the wire (its label, addressees and length).
    expected<void, node_error> check_cable(const net_cable& c) const {
        wire::begin probe;
        probe.serial = 1;
        probe.precedence = c.precedence;
        probe.length = static_cast<std::uint32_t>(std::max<std::size_t>(c.codes.size(), 1));
        probe.label = c.label;
        probe.origin = c.origin.empty() ? config_.id : c.origin;
        probe.addressees = c.addressees;
        if (c.codes.size() > wire::max_message_codes) probe.length = wire::max_message_codes + 1;
        if (auto v = wire::validate(probe); !v)
            return node_error{
                fmt::format("cable '{}' cannot go on the wire: {}", c.label, v.error().message())};
        return outcome::success();
    }

    expected<void, node_error> build() {
        if (config_.routing_indicator.empty()) config_.routing_indicator = config_.id;
        // Ids go on the wire in hello and begin frames: check them here, not at the far end.
        auto id_ok = [](const std::string& id, std::size_t max) {
            return !id.empty() && id.size() <= max &&
                   std::all_of(id.begin(), id.end(), [](char ch) {
                       return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
                   });
        };
        if (!id_ok(config_.id, wire::max_station_id))
            return node_error{fmt::format("station id '{}': 1 to {} capital letters or figures",
                                          config_.id, wire::max_station_id)};
        if (!id_ok(config_.routing_indicator, wire::max_addressee))
            return node_error{
                fmt::format("routing indicator '{}': 1 to {} capital letters or figures",
                            config_.routing_indicator, wire::max_addressee)};
        for (const auto& p : config_.peers)
            if (!id_ok(p.id, wire::max_station_id))
                return node_error{fmt::format("neighbour '{}': 1 to {} capital letters or figures",
                                              p.id, wire::max_station_id)};
        for (const auto& c : config_.to_file)
            if (auto v = check_cable(c); !v) return v.error();
        auto st = net_store::open(config_.journal_dir);
        if (!st) return node_error{st.error().message};
        store_ = std::move(st.value());
        if (store_->log().dropped_bytes() > 0)
            log(fmt::format("journal {}: a torn last record ({} bytes) was cut off",
                            store_->log().path(), store_->log().dropped_bytes()));
        for (auto& p : config_.peers) {
            auto l = std::make_unique<link>(io_);
            l->index = links_.size();
            l->peer = p;
            l->backoff = config_.reconnect_min;
            l->page =
                protocol::teletype_decoder(protocol::decode_options{config_.code, config_.usos});
            const auto& cs = p.circuit;
            if (config_.speed > 0)
                l->frame = std::chrono::duration_cast<steady::duration>(
                    std::chrono::duration<double, std::nano>(
                        static_cast<double>(cs.profile.frames(1).count()) / config_.speed));
            const bool noisy = config_.noise && cs.noise;
            const bool crypto = config_.crypto && cs.crypto;
            if (noisy || crypto) {
                sim::circuit_config cc;
                cc.name = fmt::format("{} {}>{}", cs.id, config_.id, p.id);
                cc.profile = cs.profile;
                cc.propagation_delay = cs.propagation_delay;
                cc.keep_log = false;
                if (noisy) {
                    cc.noise = *cs.noise;
                    cc.noise->seed = cs.noise->seed + static_cast<std::uint64_t>(p.direction);
                }
                if (crypto) {
                    auto [send, receive] = sim::key_tape::punch_pair(
                        cs.crypto->key_seed * 2 + static_cast<std::uint64_t>(p.direction),
                        cs.crypto->key_length);
                    auto at = static_cast<std::size_t>(store_->out(p.id).next_key);
                    cc.crypto = sim::crypto_setup{std::move(send), std::move(receive), at, at,
                                                  sim::resync_params{}};
                    l->encrypts = true;
                    l->rx_tape = sim::key_tape::punch(
                        cs.crypto->key_seed * 2 + static_cast<std::uint64_t>(1 - p.direction),
                        cs.crypto->key_length);
                }
                auto made = sim::circuit::create(std::move(cc));
                if (!made)
                    return node_error{fmt::format("circuit '{}': {}", cs.id, made.error().message)};
                l->line.emplace(std::move(made.value()));
            }
            link_of_[p.id] = l->index;
            links_.push_back(std::move(l));
        }
        for (const auto& [prefix, peer] : config_.routes) {
            auto it = link_of_.find(peer);
            if (it == link_of_.end())
                return node_error{
                    fmt::format("route '{}' goes to {}, which is not a neighbour of {}", prefix,
                                peer, config_.id)};
            auto cid = static_cast<sim::circuit_id>(it->second);
            if (prefix.empty()) {
                routes_.set_default(cid);
            } else if (auto added = routes_.add(prefix, cid); !added) {
                return node_error{
                    fmt::format("route '{}': {}", prefix, sim::to_string(added.error()))};
            }
        }
        if (config_.listen) {
            boost::system::error_code ec;
            auto addr = asio::ip::make_address(config_.listen_host, ec);
            if (ec)
                return node_error{
                    fmt::format("--listen: '{}' is not an IP address", config_.listen_host)};
            tcp::endpoint ep{addr, config_.listen_port};
            acceptor_.open(ep.protocol(), ec);
            if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
            if (!ec) acceptor_.bind(ep, ec);
            if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
            if (ec)
                return node_error{fmt::format("--listen {}:{}: {}", config_.listen_host,
                                              config_.listen_port, ec.message())};
        }
        if (config_.printer_port) {
            printer_port_options po;
            po.host = config_.printer_host;
            po.port = *config_.printer_port;
            po.greeting = fmt::format("{} page printer\r\n", config_.id);
            auto p =
                terminals::printer_port::open(io_, po, [this](const std::string& m) { log(m); });
            if (!p) return node_error{p.error()};
            printer_ = std::move(p.value());
        }
        return outcome::success();
    }

    void start() {
        auto self = shared_from_this();
        if (acceptor_.is_open()) accept();
        for (auto& l : links_)
            if (l->peer.dial) dial(*l);
        // Delivered cables whose file is missing (a crash between the journal and the file).
        for (const auto& [id, c] : store_->cables()) {
            if (!c.local) continue;
            if (config_.out_dir &&
                !std::filesystem::exists(std::filesystem::path(*config_.out_dir) /
                                         delivered_file_name(c)))
                write_delivery(c);
            store_->mark_delivered(id);
        }
        // Cables to file here, once: the journal remembers what was filed.
        bool filed = false;
        for (const auto& c : config_.to_file) {
            auto r = file_one(c);
            if (!r) return;
            filed = filed || r.value();
        }
        if (filed) durable([this] { pump_all(); });
        auto pending = outstanding();
        if (pending > 0)
            log(fmt::format("journal: {} cable{} to send on", pending, pending == 1 ? "" : "s"));
    }

    /// Files one cable here: journal record, routes; delivered here after the sync when it is
    /// addressed here. False when the journal already has its label (filed once only); an
    /// error when the journal cannot be written (the node stops).
    expected<bool, node_error> file_one(net_cable c) {
        if (store_->filed_here(c.label)) return false;
        if (c.origin.empty()) c.origin = config_.id;
        c.from_peer.clear();
        c.from_serial = 0;
        auto [routes, local] = route(c);
        c.local = local;
        auto id = store_->accept(c, routes);
        if (!id) {
            fatal(id.error().message);
            return node_error{id.error().message};
        }
        log(fmt::format(
            "filed {} ({} {}, {} characters) for {}", c.label,
            protocol::precedence_letter(static_cast<protocol::precedence>(c.precedence)),
            protocol::precedence_name(static_cast<protocol::precedence>(c.precedence)),
            c.codes.size(), fmt::join(c.addressees, " ")));
        if (local) deliver_after_sync(id.value());
        return true;
    }

    /// file() at run time: on the node's thread.
    void file_posted(net_cable c, std::function<void(expected<bool, node_error>)> done) {
        if (stopping_) {
            if (done) done(node_error{fmt::format("{}: the station is stopping", c.label)});
            return;
        }
        auto r = file_one(std::move(c));
        if (!r || !r.value()) {
            if (done) done(std::move(r));
            return;
        }
        durable([this, done = std::move(done)] {
            if (done) done(true);
            pump_all();
        });
    }

    void stop() {
        if (stopping_) return;
        stopping_ = true;
        boost::system::error_code ec;
        acceptor_.close(ec);
        accept_retry_.cancel();
        for (auto& l : links_) {
            l->send_timer.cancel();
            l->print_timer.cancel();
            l->dial_timer.cancel();
            if (l->dial_socket) l->dial_socket->close(ec);
        }
        auto all = sessions_;
        for (auto& s : all) s->close("shutting down");
        if (printer_) printer_->stop();
        (void)store_->sync();
        if (on_stop_) {
            auto f = std::move(on_stop_);
            on_stop_ = nullptr;
            f();
        }
    }

    // --- logging, durability ----------------------------------------------------------------

    void log(const std::string& m) {
        if (log_)
            log_(fmt::format("{}: {}", config_.id, m));
        else
            std::cerr << wall_clock() << " " << config_.id << ": " << m << "\n";
    }
    /// What sessions say (refusals, bad frames, timeouts): at most 20 lines a second, so that a
    /// flood of bad connections cannot fill the disk with the log; the rest are counted.
    void session_log(const std::string& m) {
        auto now = steady::now();
        if (now - log_window_ >= std::chrono::seconds{1}) {
            if (log_suppressed_ > 0)
                log(fmt::format("({} more lines about connections in the last second not shown)",
                                log_suppressed_));
            log_window_ = now;
            log_lines_ = 0;
            log_suppressed_ = 0;
        }
        if (++log_lines_ > 20) {
            ++log_suppressed_;
            return;
        }
        log(m);
    }

    void fatal(const std::string& m) {
        log(fmt::format("stopping: {}", m));
        failed_ = true;
        stop();
    }

    /// Runs `fn` once every journal record appended so far is on disk. Records appended in one
    /// turn of the event loop share one fdatasync (group commit).
    void durable(std::function<void()> fn) {
        after_sync_.push_back(std::move(fn));
        if (flush_posted_) return;
        flush_posted_ = true;
        asio::post(io_, [weak = weak_from_this()] {
            if (auto self = weak.lock()) self->flush();
        });
    }
    void flush() {
        flush_posted_ = false;
        if (stopping_) return;
        auto r = store_->sync();
        if (!r) {
            fatal(r.error().message);
            return;
        }
        auto fns = std::move(after_sync_);
        after_sync_.clear();
        for (auto& f : fns) {
            if (stopping_) return;
            f();
        }
    }

    /// Bounded memory and journal over a long run (net_store::retire, compact_if): once a turn
    /// of the event loop, after the records of that turn are on disk.
    void tidy() {
        if (tidy_posted_) return;
        tidy_posted_ = true;
        durable([this] {
            tidy_posted_ = false;
            store_->retire(config_.keep_copies, config_.keep_cables);
            for (auto& l : links_) l->scan_from = 0;  // copies may have left the channel's list
            auto c = store_->compact_if(config_.compact_bytes);
            if (!c) {
                fatal(c.error().message);
                return;
            }
            if (c.value())
                log(fmt::format("journal {} compacted: {} bytes, {} cables held",
                                store_->log().path(), store_->log().size(),
                                store_->cables().size()));
        });
    }

    // --- routing and delivery ---------------------------------------------------------------

    std::pair<std::map<std::string, std::vector<std::string>>, bool> route(const net_cable& c) {
        std::map<std::string, std::vector<std::string>> routes;
        bool local = false;
        for (const auto& a : c.addressees) {
            if (a == config_.routing_indicator) {
                local = true;
                continue;
            }
            auto ri = sim::routing_indicator::parse(a);
            auto cid = ri ? routes_.lookup(ri.value()) : sim::routing_table::no_route;
            if (cid == sim::routing_table::no_route || cid >= links_.size()) {
                log(fmt::format("{}: no route for {}: held in the journal", c.label, a));
                continue;
            }
            routes[links_[cid]->peer.id].push_back(a);
        }
        return {std::move(routes), local};
    }

    void deliver_after_sync(std::uint64_t id) {
        durable([this, id] {
            const auto* c = store_->cable(id);
            if (!c) return;
            ++stats_.delivered;
            log(fmt::format(
                "delivered {} from {} ({} characters{})", c->label, c->origin, c->codes.size(),
                c->from_peer.empty()
                    ? std::string{", filed here"}
                    : fmt::format(", from {} channel serial {:03}", c->from_peer, c->from_serial)));
            write_delivery(*c);
            if (on_delivered_) on_delivered_(*c);
            store_->mark_delivered(id);
            tidy();
        });
    }

    void write_delivery(const net_cable& c) {
        if (!config_.out_dir) return;
        std::error_code ec;
        std::filesystem::create_directories(*config_.out_dir, ec);
        nlohmann::ordered_json j;
        j["label"] = c.label;
        j["origin"] = c.origin;
        j["addressees"] = c.addressees;
        j["precedence"] = std::string(
            1, protocol::precedence_letter(static_cast<protocol::precedence>(c.precedence)));
        j["filed"] = sim::format_sim_time(sim::sim_time{sim::sim_duration{c.filed_ns}});
        j["from"] = c.from_peer;
        j["serial"] = c.from_serial;
        std::string hex;
        for (auto code : c.codes) hex += fmt::format("{:02X}", code);
        j["codes"] = hex;
        j["text"] = protocol::from_page_copy_line_ends(
            protocol::decode(c.codes, protocol::decode_options{config_.code, config_.usos}));
        auto path = std::filesystem::path(*config_.out_dir) / delivered_file_name(c);
        if (!write_whole(path,
                         j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"))
            log(fmt::format("--out-dir: cannot write {}", path.string()));
    }

    // --- connections ------------------------------------------------------------------------

    void accept() {
        acceptor_.async_accept(
            [weak = weak_from_this()](const boost::system::error_code& ec, tcp::socket s) {
                auto self = weak.lock();
                if (!self || self->stopping_ || ec == asio::error::operation_aborted) return;
                if (ec) {
                    // Out of descriptors, say: wait a little rather than spin.
                    self->log(fmt::format("accept failed: {}", ec.message()));
                    self->accept_retry_.expires_after(std::chrono::milliseconds{100});
                    self->accept_retry_.async_wait([weak](const boost::system::error_code& e) {
                        if (auto s2 = weak.lock(); s2 && !e && !s2->stopping_) s2->accept();
                    });
                    return;
                }
                if (self->sessions_.size() >= self->config_.max_connections) {
                    ++self->stats_.refused;
                    boost::system::error_code ignored;
                    s.close(ignored);
                } else {
                    self->adopt(make_tcp_stream(std::move(s)), false, "");
                }
                self->accept();
            });
    }

    session_config session_cfg() const {
        session_config sc;
        sc.self_id = config_.id;
        sc.role = config_.role;
        sc.capabilities = (config_.speed > 0 ? wire::capability::pacing : 0u) |
                          (config_.crypto ? wire::capability::crypto : 0u) |
                          (config_.noise ? wire::capability::noise : 0u);
        sc.key = config_.key;
        sc.handshake_timeout = config_.handshake_timeout;
        sc.heartbeat = config_.heartbeat;
        sc.idle_timeout = config_.idle_timeout;
        return sc;
    }

    void adopt(std::unique_ptr<byte_stream> stream, bool initiator,
               const std::string& expected_peer) {
        if (stopping_) {
            stream->close();
            return;
        }
        auto s = std::make_shared<session>(io_, std::move(stream), session_cfg(), initiator,
                                           expected_peer);
        sessions_.insert(s);
        if (initiator) {
            if (auto it = link_of_.find(expected_peer); it != link_of_.end())
                links_[it->second]->pending = s;
        }
        std::weak_ptr<impl> weak = shared_from_this();
        session::hooks h;
        h.admit = [weak](const std::string& id) -> std::string {
            auto self = weak.lock();
            if (!self) return "shutting down";
            auto it = self->link_of_.find(id);
            if (it == self->link_of_.end())
                return fmt::format("{} is not a neighbour of {}", id, self->config_.id);
            if (self->links_[it->second]->peer.dial)
                return fmt::format("{} dials {}; it does not take calls from it", self->config_.id,
                                   id);
            return {};
        };
        h.established = [weak](const std::shared_ptr<session>& sp) {
            if (auto self = weak.lock()) self->established(sp);
        };
        h.on_frame = [weak](const std::shared_ptr<session>& sp, wire::frame f) {
            if (auto self = weak.lock()) self->on_frame(sp, std::move(f));
        };
        h.closed = [weak](const std::shared_ptr<session>& sp, const std::string& reason) {
            if (auto self = weak.lock()) self->closed(sp, reason);
        };
        h.log = [weak](const std::string& m) {
            if (auto self = weak.lock()) self->session_log(m);
        };
        s->start(std::move(h));
        enforce_pending_limit();
    }

    /// At most max_pending_handshakes connections that have not finished their hello: past it,
    /// the oldest goes (good peers say hello at once; a flood of idle connections cannot starve
    /// them).
    void enforce_pending_limit() {
        std::vector<std::shared_ptr<session>> waiting;
        for (const auto& s : sessions_)
            if (!s->established() && s->open()) waiting.push_back(s);
        if (waiting.size() <= config_.max_pending_handshakes) return;
        std::sort(waiting.begin(), waiting.end(),
                  [](const auto& a, const auto& b) { return a->started() < b->started(); });
        auto excess = waiting.size() - config_.max_pending_handshakes;
        for (std::size_t i = 0; i < excess; ++i) {
            // (The session logs its closing, with this reason.)
            waiting[i]->close(
                fmt::format("too many connections without hello (limit {}): the oldest goes",
                            config_.max_pending_handshakes));
        }
    }

    void dial(link& l) {
        if (stopping_ || !config_.dial_out) return;
        boost::system::error_code ec;
        auto addr = asio::ip::make_address(l.peer.host, ec);
        if (ec) {
            fatal(fmt::format("--peer {}: '{}' is not an IP address", l.peer.id, l.peer.host));
            return;
        }
        l.dial_socket = std::make_shared<tcp::socket>(io_);
        auto sock = l.dial_socket;
        l.dial_timer.expires_after(config_.handshake_timeout);
        l.dial_timer.async_wait([sock](const boost::system::error_code& e) {
            if (!e) {
                boost::system::error_code ignored;
                sock->close(ignored);  // connect timed out
            }
        });
        sock->async_connect(
            tcp::endpoint{addr, l.peer.port},
            [weak = weak_from_this(), index = l.index, sock](const boost::system::error_code& e) {
                auto self = weak.lock();
                if (!self || self->stopping_) return;
                auto& lk = *self->links_[index];
                lk.dial_timer.cancel();
                if (lk.dial_socket == sock) lk.dial_socket.reset();
                if (e) {
                    if (!lk.reported_unreachable)
                        self->log(fmt::format("cannot reach {} at {}:{}: {}; retrying", lk.peer.id,
                                              lk.peer.host, lk.peer.port, e.message()));
                    lk.reported_unreachable = true;
                    self->redial(lk);
                    return;
                }
                self->adopt(make_tcp_stream(std::move(*sock)), true, lk.peer.id);
            });
    }

    void redial(link& l) {
        if (stopping_ || !config_.dial_out) return;
        l.dial_timer.expires_after(l.backoff);
        l.backoff = std::min(l.backoff * 2, config_.reconnect_max);
        l.dial_timer.async_wait(
            [weak = weak_from_this(), index = l.index](const boost::system::error_code& e) {
                auto self = weak.lock();
                if (!self || e || self->stopping_) return;
                self->dial(*self->links_[index]);
            });
    }

    link* link_for(const std::shared_ptr<session>& s) {
        auto it = link_of_.find(s->peer_id());
        if (it == link_of_.end()) return nullptr;
        return links_[it->second].get();
    }

    void established(const std::shared_ptr<session>& s) {
        auto* l = link_for(s);
        if (!l) {
            s->close("not a neighbour");
            return;
        }
        if (l->pending == s) l->pending.reset();
        if (l->s && l->s != s) {
            auto old = l->s;
            l->s.reset();
            old->close("replaced by a new connection from the same station");
        }
        reset_link(*l);
        l->s = s;
        l->backoff = config_.reconnect_min;
        l->reported_unreachable = false;
        ++stats_.sessions;
        log(fmt::format("{} {} ({}{})", l->peer.dial ? "connected to" : "connection from",
                        l->peer.id, s->remote(), config_.key ? ", authenticated" : ""));
        pump(*l);
    }

    void reset_link(link& l) {
        ++l.gen;
        l.send_timer.cancel();
        l.print_timer.cancel();
        if (l.rx.st == incoming::state::receiving)
            log(
                fmt::format("{} channel serial {:03} from {} broken off after {} characters; the "
                            "sender will send it again",
                            l.rx.b.label, l.rx.b.serial, l.peer.id, l.rx.printed));
        if (l.rx.st == incoming::state::receiving && l.rx.local && printer_)
            printer_->print(
                fmt::format("\r\n*** {} BROKEN OFF: TO BE SENT AGAIN ***\r\n", l.rx.b.label));
        l.tx = outgoing{};
        l.in_flight.clear();
        l.rx = incoming{};
        l.asked_from = 0;
        l.page.reset();
    }

    void closed(const std::shared_ptr<session>& s, const std::string& reason) {
        sessions_.erase(s);
        if (!s->established()) ++stats_.refused;
        for (auto& lk : links_) {
            auto& l = *lk;
            const bool was_up = l.s == s;
            const bool was_pending = l.pending == s;  // dialled, still in its handshake
            if (was_up) {
                l.s.reset();
                reset_link(l);
                log(fmt::format("{} disconnected: {}", l.peer.id, reason));
            }
            if (was_pending) l.pending.reset();
            if ((was_up || was_pending) && l.peer.dial && !stopping_) redial(l);
        }
    }

    // --- frames -----------------------------------------------------------------------------

    void on_frame(const std::shared_ptr<session>& s, wire::frame f) {
        auto* l = link_for(s);
        if (!l || l->s != s) return;
        std::visit(
            [&](auto& v) {
                using T = std::decay_t<decltype(v)>;
                if constexpr (std::is_same_v<T, wire::begin>)
                    on_begin(*l, std::move(v));
                else if constexpr (std::is_same_v<T, wire::data>)
                    on_data(*l, std::move(v));
                else if constexpr (std::is_same_v<T, wire::end>)
                    on_end(*l, v);
                else if constexpr (std::is_same_v<T, wire::ack>)
                    on_ack(*l, v);
                else if constexpr (std::is_same_v<T, wire::service>)
                    on_service(*l, v);
            },
            f);
    }

    // --- sending ----------------------------------------------------------------------------

    void pump_all() {
        for (auto& l : links_) pump(*l);
    }

    net_copy* next_copy(link& l) {
        auto& ch = store_->out(l.peer.id);
        while (l.scan_from < ch.copies.size() && ch.copies[l.scan_from].done) ++l.scan_from;
        net_copy* best = nullptr;
        // A copy that has a serial and is not done goes first: serials go out in order.
        for (std::size_t i = l.scan_from; i < ch.copies.size(); ++i) {
            auto& c = ch.copies[i];
            if (!c.done && c.serial != 0 && (!best || c.serial < best->serial) &&
                std::find(l.in_flight.begin(), l.in_flight.end(), c.serial) == l.in_flight.end())
                best = &c;
        }
        if (best) return best;
        // Then the highest precedence, first in first out within it.
        const net_cable* best_cable = nullptr;
        for (std::size_t i = l.scan_from; i < ch.copies.size(); ++i) {
            auto& c = ch.copies[i];
            if (c.done || c.serial != 0) continue;
            const auto* cb = store_->cable(c.cable);
            if (!cb) continue;
            if (!best || cb->precedence > best_cable->precedence) {
                best = &c;
                best_cable = cb;
            }
        }
        return best;
    }

    void pump(link& l) {
        if (stopping_ || !l.s || !l.s->established()) return;
        if (!l.tx.active) {
            if (l.in_flight.size() >= config_.max_in_flight) return;
            auto* copy = next_copy(l);
            if (!copy) return;
            begin_transmission(l, *copy);
            return;
        }
        if (l.tx.begun && !l.tx.end_sent) send_due(l);
    }

    void begin_transmission(link& l, net_copy& copy) {
        const auto* c = store_->cable(copy.cable);
        if (!c || c->codes.empty()) {
            copy.done = true;
            pump(l);
            return;
        }
        std::vector<std::uint8_t> codes;
        std::uint64_t key = 0, key_length = 0;
        if (l.line) {
            key = l.line->sender_key_position();
            // The line model's clock: the cable's filing time at the earliest, after the last
            // transmission (deterministic: the noise draws do not depend on the wall clock).
            l.vt = std::max(l.vt, sim::sim_time{sim::sim_duration{c->filed_ns}});
            if (auto busy = l.line->busy_until()) l.vt = std::max(l.vt, *busy);
            l.line->advance(l.vt);
            auto t = l.line->transmit(l.vt, c->codes, c->label);
            if (!t) {
                fatal(fmt::format("circuit to {}: {}", l.peer.id, t.error().message));
                return;
            }
            l.vt = t.value().end();
            codes = t.value().line.printed();  // what the far end's receiver framed
            if (l.encrypts) key_length = c->codes.size();
        } else {
            codes = c->codes;
        }
        if (codes.empty()) codes.push_back(0x1F);  // the whole line lost: one LTRS stands for it
        const bool resend = copy.attempts > 0;
        auto serial = store_->transmit(l.peer.id, copy.cable, key, key_length);
        if (!serial) {
            fatal(serial.error().message);
            return;
        }
        auto& tx = l.tx;
        tx = outgoing{};
        tx.active = true;
        tx.seq = ++tx_seq_;
        tx.cable = copy.cable;
        tx.serial = serial.value();
        tx.codes = std::move(codes);
        wire::begin b;
        b.serial = tx.serial;
        b.precedence = c->precedence;
        b.resend = resend;
        b.encrypted = l.encrypts;
        b.key_position = key;
        b.length = static_cast<std::uint32_t>(tx.codes.size());
        b.filed_ns = c->filed_ns;
        b.label = c->label.substr(0, wire::max_label);
        b.origin = c->origin;
        b.addressees = copy.addressees;
        // The serial and the key stretch are on disk before the first code goes: a crash can
        // never reuse key or give one serial to two cables.
        durable([this, index = l.index, seq = tx.seq, gen = l.gen, b = std::move(b)] {
            auto& lk = *links_[index];
            if (lk.gen != gen || !lk.tx.active || lk.tx.seq != seq || !lk.s) return;
            log(fmt::format("{} {} to {} (channel serial {:03}, {} characters{})",
                            b.resend ? "sending again" : "sending", b.label, lk.peer.id, b.serial,
                            b.length, b.encrypted ? ", on-line encryption" : ""));
            lk.s->send(b);
            lk.tx.begun = true;
            lk.tx.t0 = steady::now();
            send_due(lk);
        });
    }

    std::uint32_t window_for_sending() const {
        return config_.speed > 0 ? config_.window : config_.unpaced_window;
    }

    void send_due(link& l) {
        auto& tx = l.tx;
        if (!l.s || !tx.active || !tx.begun || tx.end_sent) return;
        const auto total = static_cast<std::uint32_t>(tx.codes.size());
        const bool paced = config_.speed > 0;
        while (tx.sent < total) {
            const std::uint32_t limit = tx.acked + window_for_sending();
            if (tx.sent >= limit) return;  // the printer has not caught up: wait for its ack
            std::uint32_t due = total;
            if (paced) {
                auto now = steady::now();
                due = frames_due(l, now);
                if (due <= tx.sent) {
                    l.send_timer.expires_at(due_time(l, tx.sent));
                    l.send_timer.async_wait([weak = weak_from_this(), index = l.index,
                                             seq = tx.seq](const boost::system::error_code& e) {
                        auto self = weak.lock();
                        if (!self || e || self->stopping_) return;
                        auto& lk = *self->links_[index];
                        if (lk.tx.active && lk.tx.seq == seq) self->send_due(lk);
                    });
                    return;
                }
            }
            std::uint32_t j =
                std::min({due, limit, total,
                          tx.sent + static_cast<std::uint32_t>(wire::max_codes_per_frame)});
            wire::data d;
            d.serial = tx.serial;
            d.offset = tx.sent;
            d.codes.assign(tx.codes.begin() + tx.sent, tx.codes.begin() + j);
            if (!l.s->send(d)) return;
            if (on_sent_)
                for (std::uint32_t k = tx.sent; k < j; ++k) on_sent_(l.peer.id, tx.serial, k);
            tx.sent = j;
        }
        wire::end e;
        e.serial = tx.serial;
        e.length = total;
        e.checksum = wire::codes_checksum(tx.codes);
        l.s->send(e);
        tx.end_sent = true;
        next_when_printed(l);
    }

    /// Once the far end has printed the whole cable, the next one may go while this one is
    /// being stored (its "stored" comes later).
    void next_when_printed(link& l) {
        auto& tx = l.tx;
        if (!tx.active || !tx.end_sent || tx.acked < tx.codes.size()) return;
        l.in_flight.push_back(tx.serial);
        l.send_timer.cancel();
        l.tx = outgoing{};
        pump(l);
    }

    /// Characters of the transmission whose frame has left the sender by `now`: frame k ends
    /// at t0 + (propagation delay + k + 1 frame times) / speed.
    std::uint32_t frames_due(const link& l, steady::time_point now) const {
        auto elapsed =
            std::chrono::duration<double, std::nano>(now - l.tx.t0).count() * config_.speed -
            static_cast<double>(l.peer.circuit.propagation_delay.count());
        if (elapsed <= 0) return 0;
        auto k = l.peer.circuit.profile.frames_ended_by(
            sim::sim_time{}, sim::sim_time{sim::sim_duration{static_cast<std::int64_t>(elapsed)}});
        return static_cast<std::uint32_t>(std::min<std::uint64_t>(k, 0xFFFFFFFFu));
    }
    steady::time_point due_time(const link& l, std::uint32_t k) const {
        auto ns = static_cast<double>(
            (l.peer.circuit.propagation_delay + l.peer.circuit.profile.frames(std::uint64_t{k} + 1))
                .count());
        return l.tx.t0 + std::chrono::duration_cast<steady::duration>(
                             std::chrono::duration<double, std::nano>(ns / config_.speed));
    }

    void on_ack(link& l, const wire::ack& a) {
        auto& tx = l.tx;
        if (tx.active && a.serial == tx.serial) {
            if (a.printed > tx.codes.size()) {
                l.s->close(fmt::format("protocol: ack of {} characters for a message of {}",
                                       a.printed, tx.codes.size()));
                return;
            }
            tx.acked = std::max(tx.acked, a.printed);
            if (a.stored) {
                // Stored before we finished (a duplicate): the rest need not go.
                finish(l, a.serial);
                return;
            }
            if (tx.end_sent)
                next_when_printed(l);
            else
                send_due(l);
            return;
        }
        if (!a.stored) return;
        auto it = std::find(l.in_flight.begin(), l.in_flight.end(), a.serial);
        if (it != l.in_flight.end()) {
            l.in_flight.erase(it);
            log_stored(l, a.serial);
        }
        mark_done(l, a.serial);
        pump(l);
    }

    void log_stored(link& l, std::uint32_t serial) {
        const auto& ch = store_->out(l.peer.id);
        for (const auto& c : ch.copies)
            if (c.serial == serial) {
                const auto* cb = store_->cable(c.cable);
                log(fmt::format("{} stored at {} (channel serial {:03})", cb ? cb->label : "?",
                                l.peer.id, serial));
                return;
            }
    }

    void mark_done(link& l, std::uint32_t serial) {
        auto& ch = store_->out(l.peer.id);
        for (const auto& c : ch.copies)
            if (c.serial == serial && !c.done) {
                if (auto r = store_->done(l.peer.id, serial); !r) fatal(r.error().message);
                ++stats_.forwarded;
                tidy();
                return;
            }
    }

    void finish(link& l, std::uint32_t serial) {
        const auto* c = store_->cable(l.tx.cable);
        log(fmt::format("{} stored at {} (channel serial {:03})", c ? c->label : "?", l.peer.id,
                        serial));
        mark_done(l, serial);
        l.send_timer.cancel();
        l.tx = outgoing{};
        pump(l);
    }

    void on_service(link& l, const wire::service& s) {
        auto& ch = store_->out(l.peer.id);
        if (auto held = store_->oldest_held(l.peer.id);
            s.first < held && s.first <= ch.last_serial) {
            // Only the last keep_copies of a channel are kept for repeats: an older serial is
            // gone, and the far end is told so (its operator must see to the gap).
            auto why = fmt::format(
                "{}: serials {:03}-{:03} are gone from {} (the last {} of a "
                "channel are kept for repeats)",
                s.text, s.first, std::min(s.last, held - 1), config_.id, config_.keep_copies);
            log(fmt::format("repeat request from {}: {}", l.peer.id, why));
            if (l.s) l.s->close(why);
            return;
        }
        std::size_t again = 0;
        for (auto& c : ch.copies)
            if (c.serial >= s.first && c.serial <= s.last) {
                c.done = false;
                ++again;
            }
        l.scan_from = 0;
        ++stats_.repeats_served;
        log(fmt::format("{} asks {} ({}): sending {} cable{} again", l.peer.id, s.text,
                        fmt::format("{:03}-{:03}", s.first, s.last), again, again == 1 ? "" : "s"));
        if (again < std::size_t{s.last} - s.first + 1)
            log(fmt::format(
                "repeat request from {}: some of serials {:03}-{:03} were never sent here",
                l.peer.id, s.first, s.last));
        // Whatever is on the line or awaiting "stored" stops; the lowest serial asked for goes
        // first, then the rest again in order.
        l.send_timer.cancel();
        l.tx = outgoing{};
        l.in_flight.clear();
        pump(l);
    }

    // --- receiving --------------------------------------------------------------------------

    void on_begin(link& l, wire::begin b) {
        auto& rx = l.rx;
        if (rx.st == incoming::state::receiving)
            log(
                fmt::format("{} channel serial {:03} from {} abandoned after {} characters: a new "
                            "message began",
                            rx.b.label, rx.b.serial, l.peer.id, rx.printed));
        l.print_timer.cancel();
        rx = incoming{};
        // The channel serial of ACP 127 format line 1 (protocol facts §1.2): one number a
        // message on each channel, in order, so that a receiving station sees a message missed
        // or received twice.
        const auto last = store_->last_received(l.peer.id);
        if (b.serial <= last) {
            ++stats_.duplicates;
            log(
                fmt::format("{} channel serial {:03} from {} is a duplicate (stored before): "
                            "acknowledged, not taken again",
                            b.label, b.serial, l.peer.id));
            rx.st = incoming::state::skipping;
            rx.skip = b.serial;
            l.s->send(wire::ack{b.serial, 0, true});
            return;
        }
        if (b.serial > last + 1) {
            rx.st = incoming::state::skipping;
            rx.skip = b.serial;
            if (l.asked_from == last + 1) return;  // asked already; the repeats will come
            l.asked_from = last + 1;
            ++stats_.gaps;
            // Ask for the missing ones as an operator did: INT ZDK, "please retransmit"
            // (protocol facts §1.12).
            wire::service s;
            s.first = last + 1;
            s.last = b.serial - 1;
            s.text = s.first == s.last ? fmt::format("INT ZDK {:03}", s.first)
                                       : fmt::format("INT ZDK {:03}-{:03}", s.first, s.last);
            log(fmt::format("channel from {}: serial {:03} after {:03}, a gap: {}", l.peer.id,
                            b.serial, last, s.text));
            rx.st = incoming::state::skipping;
            rx.skip = b.serial;
            l.s->send(s);
            return;
        }
        if (b.encrypted && !l.rx_tape) {
            l.s->close(
                fmt::format("{} encrypts on circuit {} and this station has no key tape for it "
                            "(--no-crypto here?)",
                            l.peer.id, l.peer.circuit.id));
            return;
        }
        rx.st = incoming::state::receiving;
        rx.local = std::find(b.addressees.begin(), b.addressees.end(), config_.routing_indicator) !=
                   b.addressees.end();
        if (b.encrypted) {
            if (b.key_position + b.length > l.rx_tape->size()) {
                l.s->close("key position past the end of the key tape");
                return;
            }
            // The begin frame says where the sender's tape starts; the reader is moved there (it is
            // already there unless a transmission was broken off or the operator walked the tape).
            const auto want = static_cast<std::size_t>(b.key_position);
            rx.decrypting = true;
            if (!(l.s->peer_hello().capabilities & wire::capability::noise)) {
                // A clean line cannot slip: the key is read in step, character for character.
                l.reader.emplace(*l.rx_tape, want);
                l.decrypt.reset();
            } else {
                l.reader.reset();
                bool placed = false;
                if (l.decrypt) {
                    const auto at = l.decrypt->reader().position();
                    placed = at == want || l.decrypt->skip(static_cast<std::ptrdiff_t>(want) -
                                                           static_cast<std::ptrdiff_t>(at));
                }
                if (!placed) l.decrypt.emplace(sim::key_reader(*l.rx_tape, want));
            }
        }
        rx.codes.reserve(b.length);
        rx.plain.reserve(b.length);
        rx.next_print = steady::now();
        rx.last_print = rx.next_print - l.frame;
        rx.b = std::move(b);
        l.page.reset();
    }

    std::uint32_t receive_limit(const link& l) const {
        // The flow-control window the sender promised (paced: a few characters) and one frame.
        const bool paced = l.s && (l.s->peer_hello().capabilities & wire::capability::pacing);
        return (paced ? config_.window : config_.unpaced_window) +
               static_cast<std::uint32_t>(wire::max_codes_per_frame);
    }

    void on_data(link& l, wire::data d) {
        auto& rx = l.rx;
        if (rx.st == incoming::state::skipping && d.serial == rx.skip) return;
        if (rx.st != incoming::state::receiving || d.serial != rx.b.serial) {
            l.s->close(
                fmt::format("protocol: data for serial {:03}, no such message begun", d.serial));
            return;
        }
        if (d.offset != rx.codes.size()) {
            l.s->close(
                fmt::format("protocol: data at {} where {} was due", d.offset, rx.codes.size()));
            return;
        }
        if (rx.codes.size() + d.codes.size() > rx.b.length) {
            l.s->close("protocol: more data than the begin frame announced");
            return;
        }
        if (rx.codes.size() + d.codes.size() - rx.printed > receive_limit(l)) {
            l.s->close(
                fmt::format("flow control: {} characters beyond the printer, the window is {}",
                            rx.codes.size() + d.codes.size() - rx.printed, receive_limit(l)));
            return;
        }
        // The printer prints a character when it arrives, and at most one a character time:
        // print(k) = max(arrival(k), print(k - 1) + one character). With characters waiting, the
        // slots follow each other a character apart.
        if (rx.printed == rx.codes.size())
            rx.next_print = std::max(steady::now(), rx.last_print + l.frame);
        rx.codes.insert(rx.codes.end(), d.codes.begin(), d.codes.end());
        print_due(l);
    }

    void on_end(link& l, const wire::end& e) {
        auto& rx = l.rx;
        if (rx.st == incoming::state::skipping && e.serial == rx.skip) {
            rx = incoming{};
            return;
        }
        if (rx.st != incoming::state::receiving || e.serial != rx.b.serial) {
            l.s->close(
                fmt::format("protocol: end of serial {:03}, no such message begun", e.serial));
            return;
        }
        if (e.length != rx.b.length || rx.codes.size() != e.length ||
            wire::codes_checksum(rx.codes) != e.checksum) {
            wire::service s;
            s.first = s.last = e.serial;
            s.text = fmt::format("INT ZDK {:03}", e.serial);
            log(fmt::format("{} channel serial {:03} from {}: {} characters, check failed: {}",
                            rx.b.label, e.serial, l.peer.id, rx.codes.size(), s.text));
            l.print_timer.cancel();
            rx = incoming{};
            l.s->send(s);
            return;
        }
        rx.end_ok = true;
        print_due(l);
    }

    void print_code(link& l, std::uint8_t code) {
        auto& rx = l.rx;
        std::uint8_t plain = code;
        if (rx.decrypting && l.decrypt) {
            auto p = l.decrypt->receive(code);
            plain = p ? p.value() : code;
        } else if (rx.decrypting && l.reader) {
            auto p = l.reader->decrypt(code);
            plain = p ? p.value() : code;
        }
        rx.plain.push_back(plain);
        ++stats_.characters_printed;
        if (rx.local) {
            if (printer_) {
                auto m = l.page.feed(plain);
                switch (m.function) {
                    case protocol::code_function::print:
                        printer_->print(protocol::utf8::encode(m.character));
                        break;
                    case protocol::code_function::space:
                        printer_->print(" ");
                        break;
                    case protocol::code_function::line_feed:
                        printer_->print("\r\n");
                        break;
                    case protocol::code_function::bell:
                        printer_->print("\a");
                        break;
                    default:
                        break;
                }
            }
            if (on_printed_) on_printed_(rx.b.label, rx.printed, plain);
        }
        ++rx.printed;
    }

    void print_due(link& l) {
        auto& rx = l.rx;
        if (rx.st != incoming::state::receiving) return;
        const bool paced = config_.speed > 0;
        const auto before = rx.printed;
        auto now = steady::now();
        while (rx.printed < rx.codes.size()) {
            if (paced) {
                // A character that arrives a little early for its slot (up to a quarter of a
                // character: network and timer jitter) prints at once; the slots themselves stay a
                // character apart, so the printer never gains on the line.
                if (rx.next_print > now + l.frame / 4) {
                    l.print_timer.expires_at(rx.next_print - l.frame / 4);
                    l.print_timer.async_wait(
                        [weak = weak_from_this(), index = l.index, gen = l.gen,
                         serial = rx.b.serial](const boost::system::error_code& e) {
                            auto self = weak.lock();
                            if (!self || e || self->stopping_) return;
                            auto& lk = *self->links_[index];
                            if (lk.gen == gen && lk.rx.st == incoming::state::receiving &&
                                lk.rx.b.serial == serial)
                                self->print_due(lk);
                        });
                    break;
                }
                rx.next_print += l.frame;
            }
            print_code(l, rx.codes[rx.printed]);
            rx.last_print = now;
        }
        // Acknowledge what was printed: every character when paced (the sender's window is a
        // few characters), every 1024 otherwise, and always the last.
        if (rx.printed != before && l.s) {
            const bool all = rx.printed == rx.b.length;
            if (paced || all || rx.printed - rx.acked >= 1024) {
                l.s->send(wire::ack{rx.b.serial, rx.printed, false});
                rx.acked = rx.printed;
            }
        }
        if (rx.end_ok && rx.printed == rx.b.length) store_message(l);
    }

    void store_message(link& l) {
        auto& rx = l.rx;
        l.asked_from = 0;
        net_cable c;
        c.label = rx.b.label;
        c.origin = rx.b.origin;
        c.addressees = rx.b.addressees;
        c.precedence = rx.b.precedence;
        c.filed_ns = rx.b.filed_ns;
        c.codes = std::move(rx.plain);
        c.from_peer = l.peer.id;
        c.from_serial = rx.b.serial;
        auto [routes, local] = route(c);
        c.local = local;
        const auto serial = rx.b.serial;
        const auto length = rx.b.length;
        auto id = store_->accept(std::move(c), routes);
        rx = incoming{};
        if (!id) {
            fatal(id.error().message);
            return;
        }
        if (local) deliver_after_sync(id.value());
        // Stored means on disk: the acknowledgement waits for the fsync.
        durable([this, index = l.index, gen = l.gen, serial, length, id = id.value()] {
            ++stats_.stored;
            auto& lk = *links_[index];
            const auto* cb = store_->cable(id);
            if (cb && !cb->local)
                log(fmt::format("stored {} from {} (channel serial {:03}, {} characters)",
                                cb->label, lk.peer.id, serial, length));
            if (lk.gen == gen && lk.s) lk.s->send(wire::ack{serial, length, true});
            pump_all();
        });
    }

    std::size_t outstanding() const {
        std::size_t n = 0;
        for (const auto& [peer, ch] : store_->outs())
            for (const auto& c : ch.copies) n += c.done ? 0 : 1;
        return n;
    }

    asio::io_context& io_;
    node_config config_;
    tcp::acceptor acceptor_;
    asio::steady_timer accept_retry_;
    std::unique_ptr<net_store> store_;
    std::unique_ptr<terminals::printer_port> printer_;
    std::vector<std::unique_ptr<link>> links_;
    std::map<std::string, std::size_t> link_of_;
    sim::routing_table routes_;
    std::set<std::shared_ptr<session>> sessions_;
    std::vector<std::function<void()>> after_sync_;
    bool flush_posted_ = false;
    bool tidy_posted_ = false;
    bool stopping_ = false;
    bool failed_ = false;
    std::uint64_t tx_seq_ = 0;
    node_stats stats_;
    std::function<void(const std::string&)> log_;
    std::function<void()> on_stop_;
    steady::time_point log_window_{};
    std::size_t log_lines_ = 0, log_suppressed_ = 0;
    std::function<void(const net_cable&)> on_delivered_;
    std::function<void(const std::string&, std::uint32_t, std::uint8_t)> on_printed_;
    std::function<void(const std::string&, std::uint32_t, std::uint32_t)> on_sent_;
};

expected<std::unique_ptr<net_node>, node_error> net_node::create(asio::io_context& io,
                                                                 node_config config) {
    auto p = std::make_shared<impl>(io, std::move(config));
    if (auto r = p->build(); !r) return r.error();
    return std::unique_ptr<net_node>(new net_node(std::move(p)));
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
    asio::post(impl_->io_, [weak = std::weak_ptr<impl>(impl_), c = std::move(c),
                            done = std::move(done)]() mutable {
        if (auto self = weak.lock()) self->file_posted(std::move(c), std::move(done));
    });
    return outcome::success();
}
void net_node::adopt(std::unique_ptr<byte_stream> stream, bool initiator,
                     const std::string& expected_peer) {
    impl_->adopt(std::move(stream), initiator, expected_peer);
}
std::uint16_t net_node::port() const {
    boost::system::error_code ec;
    auto ep = impl_->acceptor_.local_endpoint(ec);
    return ec ? 0 : ep.port();
}
std::uint16_t net_node::printer_port() const {
    return impl_->printer_ ? impl_->printer_->port() : 0;
}
const node_stats& net_node::stats() const noexcept {
    return impl_->stats_;
}
const net_store& net_node::store() const noexcept {
    return *impl_->store_;
}
const node_config& net_node::config() const noexcept {
    return impl_->config_;
}
std::size_t net_node::outstanding() const {
    return impl_->outstanding();
}
bool net_node::failed() const noexcept {
    return impl_->failed_;
}
void net_node::on_stop(std::function<void()> f) {
    impl_->on_stop_ = std::move(f);
}
void net_node::on_log(std::function<void(const std::string&)> f) {
    impl_->log_ = std::move(f);
}
void net_node::on_delivered(std::function<void(const net_cable&)> f) {
    impl_->on_delivered_ = std::move(f);
}
void net_node::on_printed(std::function<void(const std::string&, std::uint32_t, std::uint8_t)> f) {
    impl_->on_printed_ = std::move(f);
}
void net_node::on_sent(std::function<void(const std::string&, std::uint32_t, std::uint32_t)> f) {
    impl_->on_sent_ = std::move(f);
}

}  // namespace hakto::terminals
