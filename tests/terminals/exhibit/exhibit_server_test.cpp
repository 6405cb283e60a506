// The exhibit server over real loopback sockets: the page's files, the WebSocket upgrade and
// the snapshot, controls, an oversized message refused without stopping another viewer, the
// viewer limit. The server and its clients share one io_context on the test's thread, and each
// wait runs it until what the test waits for has happened (with a time limit, so that a test
// that waits for what never comes fails instead of hanging); nothing sleeps.
#include <catch2/catch.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "support/exhibit_loopback.hpp"
#include "terminals/exhibit/exhibit_server.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using hakto::terminals::exhibit_options;
using hakto::terminals::exhibit_server;
using namespace std::chrono_literals;

namespace {

using loopback = hakto::test::exhibit_loopback;

/// A screen over a WebSocket: every message it gets, a frame's events one by one.
class ws_screen : public std::enable_shared_from_this<ws_screen> {
  public:
    static std::shared_ptr<ws_screen> connect(loopback& lb) {
        auto s = std::make_shared<ws_screen>(lb.io);
        s->start(lb.endpoint());
        return s;
    }
    explicit ws_screen(asio::io_context& io) : ws_(io) {}

    std::vector<json> messages;
    bool open = false, closed = false;
    beast::error_code error;
    websocket::response_type handshake;
    bool seq_in_order = true;

    void send(std::string text) {
        out_.push_back(std::move(text));
        if (out_.size() == 1) write();
    }
    void close() {
        ws_.async_close(websocket::close_code::normal,
                        [self = shared_from_this()](beast::error_code) { self->closed = true; });
    }

  private:
    void start(const tcp::endpoint& ep) {
        beast::get_lowest_layer(ws_).async_connect(
            ep, [self = shared_from_this()](beast::error_code ec) {
                if (ec) return self->fail(ec);
                self->ws_.async_handshake(self->handshake, "127.0.0.1", "/ws",
                                          [self](beast::error_code e) {
                                              if (e) return self->fail(e);
                                              self->open = true;
                                              self->read();
                                          });
            });
    }
    void read() {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->fail(ec);
            self->take(json::parse(beast::buffers_to_string(self->buffer_.data())));
            self->buffer_.consume(self->buffer_.size());
            self->read();
        });
    }
    void take(json j) {
        if (j["type"] != "frame") return messages.push_back(std::move(j));
        auto seq = j["seq"].get<std::uint64_t>();
        if (last_seq_ && seq != last_seq_ + 1) seq_in_order = false;
        last_seq_ = seq;
        for (auto& e : j["events"]) messages.push_back(std::move(e));
    }
    void write() {
        ws_.text(true);
        ws_.async_write(asio::buffer(out_.front()),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->fail(ec);
                            self->out_.pop_front();
                            if (!self->out_.empty()) self->write();
                        });
    }
    void fail(beast::error_code ec) {
        if (!error) error = ec;
        closed = true;
    }

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> out_;
    std::uint64_t last_seq_ = 0;
};

/// Reads a screen's messages in order: each wait runs the loop until the next one that
/// satisfies `pred` has come.
class reader {
  public:
    reader(loopback& lb, ws_screen& s) : lb_(lb), s_(s) {}
    std::optional<json> next(const std::function<bool(const json&)>& pred) {
        std::optional<json> found;
        lb_.run_until([&] {
            while (pos_ < s_.messages.size())
                if (pred(s_.messages[pos_++])) {
                    found = s_.messages[pos_ - 1];
                    return true;
                }
            return s_.closed;
        });
        return found;
    }
    std::optional<json> next_of(std::string_view type) {
        return next([&](const json& j) { return j["type"] == type; });
    }

  private:
    loopback& lb_;
    ws_screen& s_;
    std::size_t pos_ = 0;
};

http::response<http::string_body> get(loopback& lb, const std::string& target) {
    return hakto::test::http_get(lb, target);
}

/// As fast as possible, HAKTO 12 alone, a long pause between runs: once a run has printed,
/// the page stays printed until a control starts another.
exhibit_options fast_options() {
    exhibit_options o;
    o.speed = hakto::sim::pacing::as_fast_as_possible();
    o.replay.cables = {"HAKTO 12"};
    o.attract_pause = std::chrono::hours{1};
    o.max_message_bytes = 1024;
    return o;
}

bool is_printed(const json& j) {
    return j["type"] == "event" && j["kind"] == "printed";
}

}  // namespace

TEST_CASE("exhibit server: the page's files over HTTP, 404 for anything else", "[exhibit]") {
    loopback lb{fast_options()};
    auto index = get(lb, "/");
    CHECK(index.result() == http::status::ok);
    CHECK(index.body().find("<html") != std::string::npos);
    CHECK(std::string(index[http::field::content_type]).find("text/html") == 0);
    auto js = get(lb, "/exhibit.js");
    CHECK(js.result() == http::status::ok);
    CHECK(std::string(js[http::field::content_type]).find("javascript") != std::string::npos);
    CHECK(get(lb, "/exhibit.css").result() == http::status::ok);
    CHECK(get(lb, "/operator.html").result() == http::status::ok);
    auto table = get(lb, "/explain.json");
    CHECK(table.result() == http::status::ok);
    CHECK(json::parse(table.body()).contains("elements"));
    CHECK(get(lb, "/nothing-here.html").result() == http::status::not_found);
    CHECK(get(lb, "/../CMakeLists.txt").result() == http::status::not_found);
}

TEST_CASE(
    "exhibit server: a viewer upgrades, gets the snapshot and the printing, and controls "
    "work",
    "[exhibit]") {
    loopback lb{fast_options()};
    auto c = ws_screen::connect(lb);
    reader rc{lb, *c};
    auto snap = rc.next_of("snapshot");
    REQUIRE(snap);
    CHECK(c->handshake[http::field::server] == "hakto-exhibit");
    CHECK((*snap)["stations"].size() >= 2);
    CHECK((*snap)["circuits"].size() >= 1);
    REQUIRE((*snap)["cables"].size() == 1);
    CHECK((*snap)["cables"][0]["id"] == "HAKTO 12");

    // The attract loop's first run may have begun before the viewer came: a visitor's start
    // makes sure it sees one from the beginning.
    c->send(R"({"type":"start"})");
    REQUIRE(rc.next(
        [](const json& j) { return j["type"] == "snapshot" && j["state"]["mode"] == "visitor"; }));
    auto printed = rc.next(is_printed);
    REQUIRE(printed);
    CHECK((*printed)["cable"] == "HAKTO 12");
    CHECK((*printed)["station"] == "WTE");

    c->send(R"({"type":"pause"})");
    REQUIRE(rc.next([](const json& j) { return j["type"] == "state" && j["paused"] == true; }));
    CHECK(lb.server->stats().paused);
    c->send(R"({"type":"resume"})");
    REQUIRE(rc.next([](const json& j) { return j["type"] == "state" && j["paused"] == false; }));

    // Nonsense is answered, not obeyed, and the viewer stays connected.
    c->send("this is not json");
    auto err = rc.next_of("error");
    REQUIRE(err);
    CHECK((*err)["text"] == "a control is a JSON object with a \"type\"");
    c->send(R"({"type":"speed","value":"fast"})");
    REQUIRE(rc.next_of("error"));

    // A viewer that comes later sees the page printed so far (the run is on its way or over;
    // no other starts for an hour).
    auto late = ws_screen::connect(lb);
    reader rl{lb, *late};
    auto snap2 = rl.next_of("snapshot");
    REQUIRE(snap2);
    CHECK((*snap2)["cables"][0].contains("printed"));
    CHECK((*snap2)["state"]["viewers"] == 2);
    CHECK(lb.server->stats().viewers == 2);
    CHECK(c->seq_in_order);
}

TEST_CASE("exhibit server: an oversized message is refused without stopping another viewer",
          "[exhibit]") {
    loopback lb{fast_options()};
    auto a = ws_screen::connect(lb);
    auto b = ws_screen::connect(lb);
    reader ra{lb, *a}, rb{lb, *b};
    REQUIRE(ra.next_of("snapshot"));
    REQUIRE(rb.next_of("snapshot"));
    a->send(std::string(64 * 1024, 'x'));
    // The big sender is closed, the refusal counted and logged with the reason…
    REQUIRE(lb.run_until([&] { return a->closed; }));
    REQUIRE(lb.run_until([&] { return lb.server->stats().refused_messages == 1; }));
    REQUIRE(lb.log.size() == 1);
    CHECK(lb.log[0].find("over 1024 bytes") != std::string::npos);
    REQUIRE(lb.run_until([&] { return lb.server->stats().viewers == 1; }));
    // …and the other viewer goes on.
    b->send(R"({"type":"start"})");
    REQUIRE(rb.next([](const json& j) { return j["type"] == "event"; }));
    b->send(R"({"type":"pause"})");
    REQUIRE(rb.next([](const json& j) { return j["type"] == "state" && j["paused"] == true; }));
    CHECK(!b->closed);
}

TEST_CASE("exhibit server: no more viewers than max_viewers, and the page is still served",
          "[exhibit]") {
    auto o = fast_options();
    o.max_viewers = 1;
    loopback lb{o};
    auto a = ws_screen::connect(lb);
    reader ra{lb, *a};
    REQUIRE(ra.next_of("snapshot"));
    auto b = ws_screen::connect(lb);
    REQUIRE(lb.run_until([&] { return b->closed; }));
    CHECK(!b->open);
    CHECK(b->handshake.result() == http::status::service_unavailable);
    CHECK(get(lb, "/").result() == http::status::ok);
    // Once the first has gone, there is room again.
    a->close();
    REQUIRE(lb.run_until([&] { return lb.server->stats().viewers == 0; }));
    auto c = ws_screen::connect(lb);
    reader rc{lb, *c};
    REQUIRE(rc.next_of("snapshot"));
    CHECK(lb.log.empty());  // a viewer that said goodbye is not reported as dropped
}

TEST_CASE("exhibit server: operator controls from this machine", "[exhibit]") {
    loopback lb{fast_options()};
    auto c = ws_screen::connect(lb);
    reader rc{lb, *c};
    REQUIRE(rc.next_of("snapshot"));
    c->send(R"({"type":"operator","noise":true,"speed":"300x"})");
    auto applied = rc.next(
        [](const json& j) { return j["type"] == "snapshot" && j["state"]["noise"] == true; });
    REQUIRE(applied);
    CHECK((*applied)["state"]["speed"] == "300x");
    CHECK((*applied)["state"]["mode"] == "attract");
}
