// The exhibit server in-process: HTTP files, 404, the WebSocket snapshot and events, controls,
// and an oversized message refused without stopping service to another viewer.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "terminals/exhibit_server.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using hakto::terminals::exhibit_options;
using hakto::terminals::exhibit_server;

namespace {

/// The server on its own io_context thread, stopped and joined on destruction.
struct running_server {
    asio::io_context io{1};
    std::unique_ptr<exhibit_server> server;
    std::thread thread;

    explicit running_server(exhibit_options o) {
        auto s = exhibit_server::create(io, std::move(o));
        REQUIRE(s);
        server = std::move(s.value());
        server->start();
        thread = std::thread([this] { io.run(); });
    }
    ~running_server() {
        asio::post(io, [this] { server->stop(); io.stop(); });
        thread.join();
    }
    std::uint16_t port() const { return server->port(); }
};

exhibit_options fast_options() {
    exhibit_options o;
    o.port = 0;
    o.speed = hakto::sim::pacing::as_fast_as_possible();
    o.replay.cables = {"HAKTO 12"};
    o.attract_pause = std::chrono::milliseconds{200};
    o.max_message_bytes = 1024;
    return o;
}

http::response<http::string_body> get(std::uint16_t port, const std::string& target) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return res;
}

struct ws_client {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
    beast::flat_buffer buffer;

    explicit ws_client(std::uint16_t port) {
        ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        ws.handshake("127.0.0.1", "/ws");
    }
    nlohmann::json read() {
        buffer.consume(buffer.size());
        ws.read(buffer);
        return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
    }
    /// Reads until `pred` holds (at most `limit` messages).
    std::optional<nlohmann::json> read_until(const std::function<bool(const nlohmann::json&)>& pred, int limit = 500000) {
        for (int i = 0; i < limit; ++i) {
            auto j = read();
            if (pred(j)) return j;
        }
        return std::nullopt;
    }
    void send(const std::string& text) {
        ws.text(true);
        ws.write(asio::buffer(text));
    }
};

}  // namespace

TEST_CASE("exhibit: the page's files over HTTP, 404 for anything else", "[exhibit]") {
    running_server s{fast_options()};
    auto index = get(s.port(), "/");
    CHECK(index.result() == http::status::ok);
    CHECK(index.body().find("<html") != std::string::npos);
    CHECK(std::string(index[http::field::content_type]).find("text/html") == 0);
    auto js = get(s.port(), "/exhibit.js");
    CHECK(js.result() == http::status::ok);
    CHECK(std::string(js[http::field::content_type]).find("javascript") != std::string::npos);
    CHECK(get(s.port(), "/exhibit.css").result() == http::status::ok);
    CHECK(get(s.port(), "/nothing-here.html").result() == http::status::not_found);
    CHECK(get(s.port(), "/../CMakeLists.txt").result() == http::status::not_found);
}

TEST_CASE("exhibit: a viewer gets the snapshot, then the printed characters, and controls work", "[exhibit]") {
    running_server s{fast_options()};
    ws_client c{s.port()};
    auto snap = c.read();
    REQUIRE(snap["type"] == "snapshot");
    CHECK(snap["stations"].size() >= 2);
    CHECK(snap["circuits"].size() >= 1);
    REQUIRE(snap["cables"].size() == 1);
    CHECK(snap["cables"][0]["id"] == "HAKTO 12");

    auto printed = c.read_until([](const nlohmann::json& j) { return j["type"] == "event" && j["kind"] == "printed"; });
    REQUIRE(printed);
    CHECK((*printed)["cable"] == "HAKTO 12");
    CHECK((*printed)["station"] == "WTE");

    c.send(R"({"type":"pause"})");
    auto paused = c.read_until([](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; });
    REQUIRE(paused);
    c.send(R"({"type":"resume"})");
    auto resumed = c.read_until([](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == false; });
    REQUIRE(resumed);

    // Nonsense is answered, not obeyed, and the viewer stays connected.
    c.send("this is not json");
    auto err = c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; });
    REQUIRE(err);
    c.send(R"({"type":"speed","value":"fast"})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; }));

    // A newly connected viewer mid-run sees the page printed so far.
    ws_client late{s.port()};
    auto snap2 = late.read();
    REQUIRE(snap2["type"] == "snapshot");
    CHECK(snap2["cables"][0].contains("printed"));
}

TEST_CASE("exhibit: an oversized message is refused without stopping another viewer", "[exhibit]") {
    running_server s{fast_options()};
    ws_client a{s.port()};
    ws_client b{s.port()};
    REQUIRE(a.read()["type"] == "snapshot");
    REQUIRE(b.read()["type"] == "snapshot");
    a.send(std::string(64 * 1024, 'x'));
    // The big sender is closed…
    bool closed = false;
    for (int i = 0; i < 1000000 && !closed; ++i) {
        try {
            a.read();
        } catch (const std::exception&) {
            closed = true;
        }
    }
    CHECK(closed);
    // The server counts the refusal once its side of the close is done.
    for (int i = 0; i < 200 && s.server->stats().refused_messages == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    CHECK(s.server->stats().refused_messages >= 1);
    // …and the other viewer still gets the replay.
    auto next = b.read_until([](const nlohmann::json& j) { return j["type"] == "event"; });
    REQUIRE(next);
    b.send(R"({"type":"pause"})");
    REQUIRE(b.read_until([](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; }));
}

TEST_CASE("exhibit: step while paused, a visitor's reply as a TOHAK, noise, idle reset", "[exhibit]") {
    auto o = fast_options();
    o.idle_reset = std::chrono::seconds{1};
    running_server s{o};
    ws_client c{s.port()};
    REQUIRE(c.read()["type"] == "snapshot");

    c.send(R"({"type":"pause"})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; }));
    c.send(R"({"type":"step"})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; }));

    // The reply goes from the White House keyboard to Beijing as the next TOHAK.
    c.send(R"({"type":"reply","text":"well done. <script>"})");
    auto snap = c.read_until([](const nlohmann::json& j) { return j["type"] == "snapshot" && j["state"]["mode"] == "reply"; });
    REQUIRE(snap);
    REQUIRE((*snap)["cables"].size() == 1);
    auto id = (*snap)["cables"][0]["id"].get<std::string>();
    CHECK(id.rfind("TOHAK", 0) == 0);
    CHECK((*snap)["cables"][0]["origin"] == "WTE");
    auto drafted = c.read_until([](const nlohmann::json& j) { return j["type"] == "event" && j.value("stage", "") == "drafting"; });
    REQUIRE(drafted);
    auto page = (*drafted)["page_copy"].get<std::string>();
    CHECK(page.find("WELL DONE.") != std::string::npos);
    CHECK(page.find('<') == std::string::npos);
    auto printed = c.read_until([](const nlohmann::json& j) { return j["type"] == "event" && j["kind"] == "printed"; });
    REQUIRE(printed);
    CHECK((*printed)["station"] == "WTE10");

    c.send(R"({"type":"noise","on":true})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "snapshot" && j["state"]["noise"] == true; }));

    // Nobody touches it: back to the attract loop, noise off.
    auto attract = c.read_until([](const nlohmann::json& j) {
        return j["type"] == "snapshot" && j["state"]["mode"] == "attract" && j["state"]["noise"] == false;
    });
    REQUIRE(attract);
}
