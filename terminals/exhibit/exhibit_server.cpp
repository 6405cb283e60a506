#include "terminals/exhibit/exhibit_server.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "sim/io/embedded.hpp"
#include "terminals/explain/explain.hpp"
#include "terminals/replay/replay_event_json.hpp"
#include "terminals/replay/replay_idle.hpp"

namespace hakto::terminals {

namespace detail {
extern const hakto::embedded_file exhibit_web_files[];
extern const std::size_t exhibit_web_files_count;
}  // namespace detail

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// What a code puts on the page, as UTF-8 (empty for shifts and NUL); zero as Ø.
std::string glyph(const protocol::code_meaning& m) {
    using protocol::code_function;
    switch (m.function) {
        case code_function::print:
            if (m.character == U'0') return "\xC3\x98";
            return protocol::utf8::encode(m.character);
        case code_function::space:
            return " ";
        case code_function::carriage_return:
            return "\r";
        case code_function::line_feed:
            return "\n";
        case code_function::bell:
            return "\a";
        default:
            return {};
    }
}

std::int64_t epoch_ms(sim::sim_time t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               sim::to_sys_time(t).time_since_epoch())
        .count();
}

std::string_view content_type(std::string_view name) {
    auto ends = [&](std::string_view x) {
        return name.size() >= x.size() && name.substr(name.size() - x.size()) == x;
    };
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".json")) return "application/json";
    return "text/plain; charset=utf-8";
}

/// A single file name: letters, digits, '.', '-', '_', not starting with '.'.
bool safe_name(std::string_view n) {
    if (n.empty() || n.size() > 64 || n.front() == '.') return false;
    return std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == '_';
    });
}

/// The lines of a cable's page copy that have notes, each with its notes (no sources: the page
/// gets those from explain.json).
json exhibit_walkthrough(const replay_cable& c) {
    auto w = explain_document(c.spec.id, c.page_copy, protocol::parse_document(c.page_copy));
    json lines = json::array();
    for (const auto& l : w.lines) {
        if (l.notes.empty()) continue;
        json notes = json::array();
        for (const auto& n : l.notes)
            notes.push_back(json{{"element", n.element},
                                 {"label", n.label},
                                 {"title", n.title},
                                 {"value", n.value},
                                 {"text", n.text},
                                 {"note", n.note}});
        lines.push_back(json{{"text", l.text}, {"notes", std::move(notes)}});
    }
    return lines;
}

class viewer;

}  // namespace

class exhibit_server::impl final : public replay_sink,
                                   public std::enable_shared_from_this<exhibit_server::impl> {
  public:
    impl(asio::io_context& io, exhibit_options o)
        : io_(io),
          options_(std::move(o)),
          acceptor_(io),
          timer_(io),
          attract_timer_(io),
          idle_timer_(io),
          frame_timer_(io),
          speed_(options_.speed),
          default_speed_(options_.speed),
          noise_(options_.replay.noise) {}

    expected<void, exhibit_error> listen() {
        boost::system::error_code ec;
        auto addr = asio::ip::make_address(options_.host, ec);
        if (ec)
            return exhibit_error{fmt::format("--listen: '{}' is not an IP address", options_.host)};
        tcp::endpoint ep{addr, options_.port};
        acceptor_.open(ep.protocol(), ec);
        if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(ep, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return exhibit_error{fmt::format("cannot listen on {}:{}: {}", options_.host,
                                             options_.port, ec.message())};
        port_ = acceptor_.local_endpoint(ec).port();
        return outcome::success();
    }

    expected<void, exhibit_error> check_scenario() {
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
        return outcome::success();
    }

    void start() {
        do_accept();
        start_run(attract_options(), "attract");
        arm_idle_check();
    }

    void stop() {
        stopping_ = true;
        boost::system::error_code ec;
        acceptor_.close(ec);
        timer_.cancel();
        attract_timer_.cancel();
        idle_timer_.cancel();
        frame_timer_.cancel();
        close_all_viewers();
    }

    std::uint16_t port() const { return port_; }

    exhibit_stats stats() const {
        exhibit_stats s;
        s.viewers = viewer_count_.load();
        s.broadcasts = broadcasts_.load();
        s.runs = runs_.load();
        s.dropped_viewers = dropped_.load();
        s.refused_messages = refused_.load();
        s.paused = paused_flag_.load();
        return s;
    }

    void set_on_broadcast(exhibit_server::broadcast_hook f) { on_broadcast_ = std::move(f); }

    // Viewers.
    bool has_room() const { return viewers_.size() < options_.max_viewers && !stopping_; }
    void add_viewer(viewer* v, std::weak_ptr<viewer> w);
    void remove_viewer(viewer* v) {
        viewers_.erase(v);
        viewer_count_ = viewers_.size();
    }
    void viewer_dropped() { ++dropped_; }
    void message_refused() { ++refused_; }
    const exhibit_options& options() const { return options_; }
    /// Handles a visitor's control message; returns an error text for that viewer, if any.
    /// `loopback_peer`: the viewer connected from a loopback address (operator controls).
    std::optional<std::string> control(std::string_view text, bool loopback_peer);

    /// The file to serve for a request target, if any.
    std::optional<std::pair<std::string, std::string_view>> file(std::string_view target) const {
        auto q = target.find_first_of("?#");
        if (q != std::string_view::npos) target = target.substr(0, q);
        if (target == "/" || target.empty()) target = "/index.html";
        if (target.front() != '/') return std::nullopt;
        auto name = target.substr(1);
        if (!safe_name(name)) return std::nullopt;
        if (options_.web_root) {
            auto path = std::filesystem::path(*options_.web_root) / std::string{name};
            std::ifstream f(path, std::ios::binary);
            if (!f) return std::nullopt;
            std::ostringstream ss;
            ss << f.rdbuf();
            return std::pair{ss.str(), content_type(name)};
        }
        if (name == "explain.json") return std::pair{explain_json_, content_type(name)};
        for (std::size_t i = 0; i < detail::exhibit_web_files_count; ++i)
            if (detail::exhibit_web_files[i].name == name)
                return std::pair{std::string{detail::exhibit_web_files[i].text},
                                 content_type(name)};
        return std::nullopt;
    }

    std::string snapshot() const;
    /// Sends the events gathered so far as one frame (a new viewer's snapshot must follow them).
    void flush_frame();

    // replay_sink
    void event(const replay_event& e) override;

  private:
    struct run_state {
        std::unique_ptr<sim::engine> engine;  // declared first: destroyed after the replay
        std::unique_ptr<replay> r;
        std::unique_ptr<sim::pacer> pacer;
        std::string kind;  // attract, visitor, reply
    };
    struct cable_progress {
        std::string printed;  // the page at the destination so far
        std::size_t punched = 0;
        bool started = false;
        protocol::teletype_decoder printer;
    };

    replay_options attract_options() const {
        auto o = options_.replay;
        o.noise = noise_;
        if (base_scenario_ && !o.scenario_object) o.scenario_object = *base_scenario_;
        return o;
    }

    void do_accept();
    std::size_t backlog() const;
    void broadcast(std::string msg);
    void send_to_viewers(std::string text, std::chrono::steady_clock::time_point made);
    void queue_event(std::string event_json);
    void close_all_viewers();

    void start_run(replay_options o, std::string kind) {
        timer_.cancel();
        attract_timer_.cancel();
        run_.reset();
        progress_.clear();
        walkthroughs_.clear();
        history_.clear();
        recent_tape_.clear();
        stage_ = "waiting";
        current_cable_.clear();
        const auto& scn = o.scenario_object ? *o.scenario_object : *base_scenario_;
        sim::sim_time first = sim::sim_time::max();
        for (const auto& c : scn.cables)
            if (o.cables.empty() ||
                std::find(o.cables.begin(), o.cables.end(), c.id) != o.cables.end())
                first = std::min(first, c.filed);
        auto begin = first == sim::sim_time::max()
                         ? scn.start
                         : std::max(scn.start, first - std::chrono::minutes{1});
        auto rs = std::make_unique<run_state>();
        rs->engine = std::make_unique<sim::engine>(begin);
        std::vector<std::string> warnings;
        auto r = replay::prepare(o, *rs->engine, warnings);
        if (!r) {
            broadcast(dump(json{{"type", "error"}, {"text", r.error().message}}));
            schedule_attract();
            return;
        }
        rs->r = std::move(r.value());
        rs->r->add_sink(this);
        rs->kind = std::move(kind);
        run_finished_ = false;
        crypto_ = o.crypto;
        decode_options_ = protocol::decode_options{o.code, o.usos};
        for (const auto& c : rs->r->cables()) {
            cable_progress p{{}, 0, false, protocol::teletype_decoder{decode_options_}};
            progress_.emplace(c.spec.id, std::move(p));
        }
        rs->pacer = std::make_unique<sim::pacer>(
            *rs->engine,
            speed_.kind == sim::pacing::mode::stepped ? sim::pacing::scaled(20) : speed_);
        sim_now_ = rs->engine->now();
        run_ = std::move(rs);
        run_->r->start();
        ++runs_;
        for (const auto& w : warnings) history_note(w);
        broadcast(snapshot());
        run_->pacer->anchor();
        schedule_tick();
    }

    void history_note(const std::string& text) {
        replay_event note;
        note.kind = replay_event_kind::note;
        note.at = sim_now_;
        note.text = text;
        json j{{"type", "event"}};
        write_event_json(note, j);
        history_.push_back(j);
    }

    /// Starts a new chain of ticks; a chain already running ends at its next step.
    void schedule_tick() {
        ++chain_;
        post_tick();
    }
    void post_tick() {
        asio::post(io_, [w = weak_from_this(), c = chain_] {
            if (auto s = w.lock(); s && s->chain_ == c) s->tick();
        });
    }
    void wait_tick() {
        timer_.async_wait([w = weak_from_this(), c = chain_](boost::system::error_code ec) {
            if (ec) return;
            if (auto s = w.lock(); s && s->chain_ == c) s->tick();
        });
    }

    void schedule_attract() {
        attract_timer_.expires_after(options_.attract_pause);
        attract_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
            if (ec) return;
            if (auto s = w.lock(); s && !s->stopping_)
                s->start_run(s->attract_options(), "attract");
        });
    }

    void finish_run() {
        run_finished_ = true;
        broadcast(dump(json{{"type", "end"}, {"run", runs_.load()}}));
        schedule_attract();
    }

    /// Runs the events that are due; arms the timer for the next one.
    void tick() {
        if (!run_ || paused_ || stopping_ || ticking_) return;
        auto& e = *run_->engine;
        auto& pace = *run_->pacer;
        if (!pace.policy().paced()) {
            // As fast as possible: as fast as the viewers read, up to a second's wait for the
            // slowest (after that it is left to its queue limit).
            auto now = std::chrono::steady_clock::now();
            if (backlog() > options_.max_queued_messages / 4) {
                if (pressure_since_ == std::chrono::steady_clock::time_point{})
                    pressure_since_ = now;
                if (now - pressure_since_ < std::chrono::seconds{1}) {
                    timer_.expires_after(std::chrono::milliseconds{2});
                    wait_tick();
                    return;
                }
            } else {
                pressure_since_ = {};
            }
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
                if (deadline > std::chrono::steady_clock::now()) {
                    timer_.expires_at(deadline);
                    wait_tick();
                    return;
                }
            }
            ticking_ = true;
            e.step();
            ticking_ = false;
            ++n;
        }
        post_tick();  // a burst: let the sockets have the io_context, then go on
    }

    void arm_idle_check() {
        if (options_.idle_reset.count() <= 0) return;
        idle_timer_.expires_after(std::chrono::seconds{1});
        idle_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
            if (ec) return;
            auto s = w.lock();
            if (!s || s->stopping_) return;
            if (s->visitor_mode_ &&
                std::chrono::steady_clock::now() - s->last_control_ > s->options_.idle_reset) {
                // Nobody has touched the exhibit for a while: back to the attract loop.
                s->visitor_mode_ = false;
                s->paused_ = false;
                s->paused_flag_ = false;
                s->speed_ = s->default_speed_;
                s->noise_ = s->options_.replay.noise;
                s->start_run(s->attract_options(), "attract");
            }
            s->arm_idle_check();
        });
    }

    json state_json() const {
        return json{{"utc_ms", epoch_ms(sim_now_)},
                    {"utc", sim::format_sim_time(sim_now_)},
                    {"stage", stage_},
                    {"cable", current_cable_},
                    {"paused", paused_},
                    {"speed", sim::speed_name(speed_)},
                    {"noise", noise_},
                    {"crypto", crypto_},
                    {"run", runs_.load()},
                    {"mode", run_ ? run_->kind : std::string{"attract"}},
                    {"viewers", viewers_.size()}};
    }

    void broadcast_state() {
        json j = state_json();
        j["type"] = "state";
        broadcast(dump(j));
    }

    std::optional<std::string> reply(std::string text, protocol::precedence prec);
    std::optional<std::string> operator_control(const json& j, bool loopback_peer);
    json operator_json() const;
    json cable_json(const replay_cable& c) const;

    asio::io_context& io_;
    exhibit_options options_;
    tcp::acceptor acceptor_;
    asio::steady_timer timer_, attract_timer_, idle_timer_, frame_timer_;
    // The frame being gathered: events as JSON, comma-separated.
    std::string frame_events_;
    std::chrono::steady_clock::time_point frame_since_{};
    bool frame_armed_ = false;
    std::uint64_t frame_seq_ = 0;
    std::uint16_t port_ = 0;
    std::optional<sim::scenario> base_scenario_;
    std::vector<std::pair<std::string, sim::scenario>>
        offered_;  // the operator's choice of scenarios
    // The teaching layer's texts: the table hakto explain uses (terminals/explain/data), and
    // each cable's walkthrough (the header lines of its page copy with their notes).
    std::string explain_json_ = explain_table_json().dump();
    std::map<std::string, json> walkthroughs_;
    std::unique_ptr<run_state> run_;
    std::map<std::string, cable_progress> progress_;
    std::deque<json> history_;      // stages, notes, log entries, memos of this run
    std::deque<json> recent_tape_;  // the last codes punched, for a new viewer's tape
    std::unordered_map<viewer*, std::weak_ptr<viewer>> viewers_;
    sim::pacing speed_, default_speed_;
    bool noise_ = false;
    bool crypto_ = true;
    bool paused_ = false;
    bool stopping_ = false;
    bool ticking_ = false;
    bool run_finished_ = false;  // the run's events are all done; the attract loop is waiting
    std::uint64_t chain_ = 0;
    bool visitor_mode_ = false;
    std::chrono::steady_clock::time_point last_control_{};
    std::chrono::steady_clock::time_point pressure_since_{};
    protocol::decode_options decode_options_{};
    protocol::teletype_decoder punch_decoder_{};
    sim::sim_time sim_now_{};
    std::string stage_ = "waiting";
    std::string current_cable_;
    exhibit_server::broadcast_hook on_broadcast_;
    std::atomic<std::size_t> viewer_count_{0};
    std::atomic<std::uint64_t> broadcasts_{0}, runs_{0}, dropped_{0}, refused_{0};
    std::atomic<bool> paused_flag_{false};
};

namespace {

/// One WebSocket viewer: a read loop for controls and a bounded queue of messages to send.
class viewer final : public std::enable_shared_from_this<viewer> {
  public:
    viewer(tcp::socket socket, std::weak_ptr<exhibit_server::impl> server)
        : ws_(std::move(socket)), server_(std::move(server)) {}
    ~viewer() {
        if (auto s = server_.lock()) s->remove_viewer(this);
    }

    void run(http::request<http::string_body> req) {
        auto s = server_.lock();
        if (!s) return;
        max_queue_ = s->options().max_queued_messages;
        beast::error_code ec;
        auto peer = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
        loopback_ = !ec && peer.address().is_loopback();
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.read_message_max(s->options().max_message_bytes);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "hakto-exhibit"); }));
        ws_.async_accept(
            req, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    void send(std::shared_ptr<const std::string> msg) {
        if (closed_) return;
        if (queue_.size() >= max_queue_) {
            // Too slow to keep up: let it go rather than hold the whole replay in memory.
            if (auto s = server_.lock()) s->viewer_dropped();
            close();
            return;
        }
        queue_.push_back(std::move(msg));
        if (!writing_) do_write();
    }

    std::size_t queued() const noexcept { return queue_.size(); }

    void close() {
        if (closed_) return;
        closed_ = true;
        queue_.clear();
        beast::error_code ec;
        beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
        beast::get_lowest_layer(ws_).socket().close(ec);
    }

  private:
    void on_accept(beast::error_code ec) {
        if (ec) return;
        auto s = server_.lock();
        if (!s) return;
        s->flush_frame();  // the snapshot includes every event so far: none may follow it again
        s->add_viewer(this, weak_from_this());
        send(std::make_shared<const std::string>(s->snapshot()));
        do_read();
    }

    void do_read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec) {
        if (ec) {
            if (ec == websocket::error::message_too_big)
                if (auto s = server_.lock()) s->message_refused();
            closed_ = true;
            return;
        }
        auto s = server_.lock();
        if (!s) return;
        std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        if (!ws_.got_text()) {
            send(std::make_shared<const std::string>(
                dump(json{{"type", "error"}, {"text", "controls are JSON text"}})));
        } else if (auto err = s->control(text, loopback_)) {
            send(
                std::make_shared<const std::string>(dump(json{{"type", "error"}, {"text", *err}})));
        }
        do_read();
    }

    void do_write() {
        writing_ = true;
        ws_.text(true);
        ws_.async_write(
            asio::buffer(*queue_.front()),
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        writing_ = false;
        if (ec) {
            closed_ = true;
            queue_.clear();
            return;
        }
        if (!queue_.empty()) queue_.pop_front();
        if (!queue_.empty() && !closed_) do_write();
    }

    websocket::stream<beast::tcp_stream> ws_;
    std::weak_ptr<exhibit_server::impl> server_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    std::size_t max_queue_ = 1000;
    beast::flat_buffer buffer_;
    bool writing_ = false;
    bool closed_ = false;
    bool loopback_ = false;  // connected from this machine
};

/// One HTTP connection: serves the page's files; hands a WebSocket upgrade to a viewer.
class http_session final : public std::enable_shared_from_this<http_session> {
  public:
    http_session(tcp::socket socket, std::weak_ptr<exhibit_server::impl> server)
        : stream_(std::move(socket)), server_(std::move(server)) {}

    void run() { do_read(); }

  private:
    void do_read() {
        parser_.emplace();
        parser_->header_limit(8192);
        parser_->body_limit(8192);
        stream_.expires_after(std::chrono::seconds{30});
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec) {
            beast::error_code ignored;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            return;
        }
        auto s = server_.lock();
        if (!s) return;
        auto req = parser_->release();
        if (websocket::is_upgrade(req)) {
            if (!s->has_room()) {
                respond(req, http::status::service_unavailable,
                        "the exhibit has as many viewers as it can take\n",
                        "text/plain; charset=utf-8");
                return;
            }
            stream_.expires_never();
            std::make_shared<viewer>(stream_.release_socket(), server_)->run(std::move(req));
            return;
        }
        if (req.method() != http::verb::get && req.method() != http::verb::head) {
            respond(req, http::status::method_not_allowed, "GET only\n",
                    "text/plain; charset=utf-8");
            return;
        }
        auto f = s->file(std::string_view{req.target().data(), req.target().size()});
        if (!f) {
            respond(req, http::status::not_found, "not found\n", "text/plain; charset=utf-8");
            return;
        }
        respond(req, http::status::ok, std::move(f->first), f->second);
    }

    void respond(const http::request<http::string_body>& req, http::status st, std::string body,
                 std::string_view type) {
        res_.emplace(st, req.version());
        res_->set(http::field::server, "hakto-exhibit");
        res_->set(http::field::content_type, std::string{type});
        res_->set(http::field::cache_control, "no-store");
        res_->set("X-Content-Type-Options", "nosniff");
        res_->keep_alive(req.keep_alive());
        bool head = req.method() == http::verb::head;
        res_->body() = std::move(body);
        res_->prepare_payload();
        if (head) res_->body().clear();
        http::async_write(
            stream_, *res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return;
                if (!self->res_->keep_alive()) {
                    beast::error_code ignored;
                    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                    return;
                }
                self->do_read();
            });
    }

    beast::tcp_stream stream_;
    std::weak_ptr<exhibit_server::impl> server_;
    beast::flat_buffer buffer_{16384};
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<http::response<http::string_body>> res_;
};

}  // namespace

void exhibit_server::impl::add_viewer(viewer* v, std::weak_ptr<viewer> w) {
    viewers_.emplace(v, std::move(w));
    viewer_count_ = viewers_.size();
}

std::size_t exhibit_server::impl::backlog() const {
    std::size_t most = 0;
    for (const auto& [p, w] : viewers_) most = std::max(most, p->queued());
    return most;
}

void exhibit_server::impl::close_all_viewers() {
    std::vector<std::shared_ptr<viewer>> all;
    for (auto& [p, w] : viewers_)
        if (auto v = w.lock()) all.push_back(std::move(v));
    for (auto& v : all) v->close();
}

void exhibit_server::impl::broadcast(std::string text) {
    flush_frame();  // whatever happened before this message goes out before it
    send_to_viewers(std::move(text), std::chrono::steady_clock::now());
}

void exhibit_server::impl::queue_event(std::string event_json) {
    if (frame_events_.empty())
        frame_since_ = std::chrono::steady_clock::now();
    else
        frame_events_ += ',';
    frame_events_ += event_json;
    if (options_.frame_interval.count() <= 0 || frame_events_.size() >= options_.max_frame_bytes) {
        flush_frame();
        return;
    }
    if (frame_armed_) return;
    frame_armed_ = true;
    frame_timer_.expires_at(frame_since_ + options_.frame_interval);
    frame_timer_.async_wait(
        [w = weak_from_this(), frame = frame_seq_](boost::system::error_code ec) {
            auto s = w.lock();
            // A frame already flushed (by a message that had to follow it) is not flushed again.
            if (ec || !s || s->frame_seq_ != frame) return;
            s->frame_armed_ = false;
            s->flush_frame();
        });
}

void exhibit_server::impl::flush_frame() {
    if (frame_events_.empty()) return;
    frame_armed_ = false;
    std::string msg;
    msg.reserve(frame_events_.size() + 48);
    msg += fmt::format(R"({{"type":"frame","seq":{},"events":[)", ++frame_seq_);
    msg += frame_events_;
    msg += "]}";
    frame_events_.clear();
    send_to_viewers(std::move(msg), frame_since_);
}

void exhibit_server::impl::send_to_viewers(std::string text,
                                           std::chrono::steady_clock::time_point made) {
    ++broadcasts_;
    if (on_broadcast_) on_broadcast_(made, text);
    auto msg = std::make_shared<const std::string>(std::move(text));
    std::vector<std::shared_ptr<viewer>> all;
    all.reserve(viewers_.size());
    for (auto& [p, w] : viewers_)
        if (auto v = w.lock()) all.push_back(std::move(v));
    for (auto& v : all) v->send(msg);
}

void exhibit_server::impl::do_accept() {
    acceptor_.async_accept([w = weak_from_this()](beast::error_code ec, tcp::socket socket) {
        auto s = w.lock();
        if (!s || s->stopping_) return;
        if (!ec) std::make_shared<http_session>(std::move(socket), w)->run();
        s->do_accept();
    });
}

void exhibit_server::impl::event(const replay_event& e) {
    sim_now_ = e.at;
    json j{{"type", "event"}};
    write_event_json(e, j);
    auto* p = progress_.count(e.cable) ? &progress_.at(e.cable) : nullptr;
    // What only the exhibit adds: the glyph a code prints, the page copy and its notes.
    switch (e.kind) {
        case replay_event_kind::punched: {
            if (e.index == 0) punch_decoder_ = protocol::teletype_decoder{decode_options_};
            j["glyph"] = glyph(punch_decoder_.feed(e.sent));
            if (p) p->punched = e.index + 1;
            recent_tape_.push_back(json{{"code", j["code"]}, {"glyph", j["glyph"]}});
            while (recent_tape_.size() > 32) recent_tape_.pop_front();
            break;
        }
        case replay_event_kind::printed: {
            if (p) {
                auto g = glyph(p->printer.feed(e.delivered));
                if (g != "\a") p->printed += g;
                j["glyph"] = g;
            }
            break;
        }
        default:
            break;
    }
    if (e.kind == replay_event_kind::stage || e.kind == replay_event_kind::interrupted) {
        stage_ = std::string{to_string(e.stage)};
        current_cable_ = e.cable;
        if (p) p->started = true;
    }
    if (e.kind == replay_event_kind::stage && e.stage == replay_stage::drafting && p) {
        // The cable's text is on the operator's desk: viewers may show it now.
        for (const auto& c : run_->r->cables())
            if (c.spec.id == e.cable) {
                j["page_copy"] = c.page_copy;
                auto [w, fresh] = walkthroughs_.try_emplace(c.spec.id);
                if (fresh) w->second = exhibit_walkthrough(c);
                j["explain"] = w->second;
            }
    }
    if (e.kind != replay_event_kind::punched && e.kind != replay_event_kind::line &&
        e.kind != replay_event_kind::printed) {
        history_.push_back(j);
        while (history_.size() > 400) history_.pop_front();
    }
    queue_event(dump(j));
}

std::string exhibit_server::impl::snapshot() const {
    json j;
    j["type"] = "snapshot";
    j["state"] = state_json();
    j["operator"] = operator_json();
    if (!run_) return dump(j);
    const auto& scn = run_->r->scenario();
    j["scenario"] = {{"name", scn.name}, {"title", scn.title}};
    json stations = json::array();
    for (const auto& s : scn.stations)
        stations.push_back({{"id", s.id},
                            {"name", s.name},
                            {"place", s.place},
                            {"utc_offset", s.utc_offset_hours},
                            {"relay", s.kind == sim::station_kind::relay}});
    j["stations"] = stations;
    json circuits = json::array();
    for (const auto& c : scn.circuits)
        circuits.push_back({{"id", c.id}, {"a", c.a}, {"b", c.b}, {"description", c.description}});
    j["circuits"] = circuits;
    json cables = json::array();
    for (const auto& c : run_->r->cables()) cables.push_back(cable_json(c));
    j["cables"] = cables;
    json history = json::array();
    for (const auto& h : history_) history.push_back(h);
    j["history"] = std::move(history);
    json tape = json::array();
    for (const auto& t : recent_tape_) tape.push_back(t);
    j["tape"] = std::move(tape);
    return dump(j);
}

json exhibit_server::impl::operator_json() const {
    json scenarios = json::array();
    for (const auto& [name, scn] : offered_) {
        json cables = json::array();
        for (const auto& c : scn.cables) cables.push_back(c.id);
        scenarios.push_back({{"name", name}, {"title", scn.title}, {"cables", cables}});
    }
    return json{{"scenarios", scenarios},
                {"scenario", base_scenario_ ? base_scenario_->name : std::string{}},
                {"cables", options_.replay.cables},
                {"speed", sim::speed_name(default_speed_)},
                {"noise", options_.replay.noise},
                {"idle_reset", options_.idle_reset.count()},
                {"token_required", options_.operator_token.has_value()}};
}

std::optional<std::string> exhibit_server::impl::operator_control(const json& j,
                                                                  bool loopback_peer) {
    if (options_.operator_token) {
        const auto given = j.contains("token") && j["token"].is_string()
                               ? j["token"].get<std::string>()
                               : std::string{};
        // Compared in time independent of where the strings differ.
        const auto& want = *options_.operator_token;
        unsigned diff = given.size() == want.size() ? 0u : 1u;
        for (std::size_t i = 0; i < want.size(); ++i)
            diff |= static_cast<unsigned char>(want[i]) ^
                    static_cast<unsigned char>(i < given.size() ? given[i] : 0);
        if (diff != 0) return "operator controls need the operator token";
    } else if (!loopback_peer) {
        return "operator controls are taken from this machine only (or start the exhibit with "
               "--operator-token)";
    }
    const sim::scenario* scn = base_scenario_ ? &*base_scenario_ : nullptr;
    if (j.contains("scenario")) {
        if (!j["scenario"].is_string()) return "scenario is a name";
        auto name = j["scenario"].get<std::string>();
        auto it = std::find_if(offered_.begin(), offered_.end(),
                               [&](const auto& o) { return o.first == name; });
        if (it == offered_.end()) return fmt::format("no scenario '{}' here", name.substr(0, 64));
        scn = &it->second;
    }
    if (!scn) return "no scenario";
    std::vector<std::string> cables;
    if (j.contains("cables")) {
        if (!j["cables"].is_array()) return "cables is a list of cable names";
        for (const auto& c : j["cables"]) {
            if (!c.is_string()) return "cables is a list of cable names";
            auto id = c.get<std::string>();
            if (std::none_of(scn->cables.begin(), scn->cables.end(),
                             [&](const auto& s) { return s.id == id; }))
                return fmt::format("scenario '{}' has no cable '{}'", scn->name, id.substr(0, 64));
            cables.push_back(std::move(id));
        }
    }
    auto speed = default_speed_;
    if (j.contains("speed")) {
        if (!j["speed"].is_string()) return "speed is a text such as \"20x\"";
        auto p = sim::read_speed(j["speed"].get<std::string>());
        if (!p) return "speed " + p.error().message();
        speed = p.value();
    }
    bool noise = options_.replay.noise;
    if (j.contains("noise")) {
        if (!j["noise"].is_boolean()) return "noise is true or false";
        noise = j["noise"].get<bool>();
    }
    auto idle = options_.idle_reset;
    if (j.contains("idle_reset")) {
        if (!j["idle_reset"].is_number_integer() || j["idle_reset"].get<std::int64_t>() < 0 ||
            j["idle_reset"].get<std::int64_t>() > 86400)
            return "idle_reset is a number of seconds from 0 (never) to 86400";
        idle = std::chrono::seconds{j["idle_reset"].get<std::int64_t>()};
    }
    // Everything checked: the new defaults, and the attract loop starts again with them.
    base_scenario_ = *scn;
    options_.replay.scenario = scn->name;
    options_.replay.scenario_object.reset();
    options_.replay.cables = std::move(cables);
    options_.replay.noise = noise;
    noise_ = noise;
    default_speed_ = speed;
    speed_ = speed;
    const bool idle_was_off = options_.idle_reset.count() <= 0;
    options_.idle_reset = idle;
    if (idle_was_off) arm_idle_check();
    visitor_mode_ = false;
    paused_ = false;
    paused_flag_ = false;
    start_run(attract_options(), "attract");
    return std::nullopt;
}

json exhibit_server::impl::cable_json(const replay_cable& c) const {
    json cj{{"id", c.spec.id},
            {"precedence", std::string(1, protocol::precedence_letter(c.spec.prec))},
            {"filed_ms", epoch_ms(c.spec.filed)},
            {"origin", c.spec.origin},
            {"addressees", c.spec.addressees}};
    if (auto it = progress_.find(c.spec.id); it != progress_.end() && it->second.started) {
        cj["page_copy"] = c.page_copy;
        cj["printed"] = it->second.printed;
        cj["punched"] = it->second.punched;
        if (auto w = walkthroughs_.find(c.spec.id); w != walkthroughs_.end())
            cj["explain"] = w->second;
    }
    return cj;
}

std::optional<std::string> exhibit_server::impl::control(std::string_view text,
                                                         bool loopback_peer) {
    try {
        auto j = json::parse(text, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("type") || !j["type"].is_string())
            return "a control is a JSON object with a \"type\"";
        auto type = j["type"].get<std::string>();
        last_control_ = std::chrono::steady_clock::now();
        if (type == "ping") return std::nullopt;
        if (type == "operator") return operator_control(j, loopback_peer);
        visitor_mode_ = true;
        if (type == "start") {
            paused_ = false;
            paused_flag_ = false;
            start_run(attract_options(), "visitor");
        } else if (type == "pause") {
            paused_ = true;
            paused_flag_ = true;
            timer_.cancel();
            broadcast_state();
        } else if (type == "resume") {
            paused_ = false;
            paused_flag_ = false;
            if (run_) run_->pacer->anchor();
            broadcast_state();
            schedule_tick();
        } else if (type == "speed") {
            if (!j.contains("value") || !j["value"].is_string())
                return "speed needs a \"value\" such as \"20x\"";
            auto p = sim::read_speed(j["value"].get<std::string>());
            if (!p) return "speed " + p.error().message();
            speed_ = p.value();
            if (run_) {
                run_->pacer->set_pacing(speed_);
                run_->pacer->anchor();
            }
            timer_.cancel();
            broadcast_state();
            schedule_tick();
        } else if (type == "noise") {
            if (!j.contains("on") || !j["on"].is_boolean())
                return "noise needs \"on\": true or false";
            noise_ = j["on"].get<bool>();
            start_run(attract_options(), "visitor");
        } else if (type == "step") {
            if (!paused_) return "step works while paused";
            if (run_) {
                if (!run_->engine->step()) finish_run();
                broadcast_state();
            }
        } else if (type == "reply") {
            if (!j.contains("text") || !j["text"].is_string()) return "reply needs a \"text\"";
            auto prec = protocol::precedence::immediate;
            if (j.contains("precedence")) {
                auto letter = j["precedence"].is_string() ? j["precedence"].get<std::string>()
                                                          : std::string{};
                auto p =
                    letter.size() == 1 ? protocol::precedence_from_letter(letter[0]) : std::nullopt;
                if (!p) return "precedence is one letter: Z, O, P or R";
                prec = *p;
            }
            return reply(j["text"].get<std::string>(), prec);
        } else {
            return fmt::format("unknown control '{}'", type.substr(0, 32));
        }
        return std::nullopt;
    } catch (const std::exception& ex) {
        return fmt::format("control refused: {}", ex.what());
    }
}

std::optional<std::string> exhibit_server::impl::reply(std::string text,
                                                       protocol::precedence prec) {
    // What the White House keyboard can send: letters, figures, common signs; upper case.
    std::string clean;
    for (char c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            std::string_view{" .,-?:'()/"}.find(c) != std::string_view::npos)
            clean += c;
        else if (c == '\n' || c == '\t')
            clean += ' ';
    }
    while (!clean.empty() && clean.back() == ' ') clean.pop_back();
    while (!clean.empty() && clean.front() == ' ') clean.erase(clean.begin());
    if (clean.empty()) return "the reply is empty";
    if (clean.size() > 400) clean.resize(400);
    if (!run_) return "the exhibit is between replays: try again in a moment";
    const auto& running = run_->r->scenario();
    if (!running.find_station("WTE") || !running.find_station("WTE10"))
        return "this scenario has no WTE and WTE10";
    // The next TOHAK of the series, counting the scenario's and the replies already sent.
    int number = 1;
    for (const auto& c : running.cables)
        if (auto t = protocol::find_series_tag(c.id); t && t->name == "TOHAK" && t->number)
            number = std::max(number, *t->number + 1);
    const auto at = run_->engine->now();
    protocol::cable c;
    c.routing = protocol::read_routing_line("WTE10 DE WTE");
    c.prec = prec;
    c.date_time_group = protocol::make_dtg(
        std::chrono::time_point_cast<std::chrono::seconds>(sim::to_sys_time(at)), 'Z');
    c.to = {protocol::read_addressee("HENRY A KISSINGER")};
    c.from = "GENERAL HAIG";
    c.series = protocol::series_tag{"TOHAK", number, std::nullopt};
    c.paragraphs.push_back(protocol::paragraph{1, clean, {}});
    sim::cable_spec spec;
    spec.id = protocol::format_series_tag(*c.series);
    spec.origin = "WTE";
    spec.addressees = {"WTE10"};
    spec.prec = prec;
    spec.filed = at;
    spec.text = protocol::format_cable(c);
    // Into the running network: it goes out over the same circuits and relay queues as the
    // traffic already on them, and its precedence decides its turn.
    auto index = run_->r->file_cable(spec);
    if (!index) return index.error().message;
    const auto& rc = run_->r->cables()[index.value()];
    progress_.emplace(rc.spec.id,
                      cable_progress{{}, 0, false, protocol::teletype_decoder{decode_options_}});
    broadcast(dump(json{{"type", "cable"}, {"cable", cable_json(rc)}}));
    paused_ = false;
    paused_flag_ = false;
    if (run_finished_) {
        // The replay had ended and was waiting for the attract loop: it goes on instead.
        attract_timer_.cancel();
        run_finished_ = false;
    }
    broadcast_state();
    run_->pacer->anchor();
    schedule_tick();
    return std::nullopt;
}

expected<std::unique_ptr<exhibit_server>, exhibit_error> exhibit_server::create(
    asio::io_context& io, exhibit_options options) {
    auto p = std::make_shared<impl>(io, std::move(options));
    if (auto r = p->check_scenario(); !r) return r.error();
    if (auto r = p->listen(); !r) return r.error();
    return std::make_unique<exhibit_server>(std::move(p));
}

exhibit_server::exhibit_server(std::shared_ptr<impl> p) : impl_(std::move(p)) {}
exhibit_server::~exhibit_server() {
    impl_->stop();
}
void exhibit_server::start() {
    impl_->start();
}
void exhibit_server::stop() {
    impl_->stop();
}
std::uint16_t exhibit_server::port() const {
    return impl_->port();
}
exhibit_stats exhibit_server::stats() const {
    return impl_->stats();
}
void exhibit_server::on_broadcast(broadcast_hook f) {
    impl_->set_on_broadcast(std::move(f));
}

}  // namespace hakto::terminals
