// The exhibit server in-process: HTTP files, 404, the WebSocket snapshot and events, controls,
// and an oversized message refused without stopping service to another viewer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
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

#include "terminals/exhibit/exhibit_server.hpp"

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
        asio::post(io, [this] {
            server->stop();
            io.stop();
        });
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
    std::deque<nlohmann::json> pending;  // the events of a frame not yet handed out
    std::uint64_t frames = 0, last_seq = 0;
    bool seq_in_order = true;

    /// The next message; a frame's events are handed out one by one, in order.
    nlohmann::json read() {
        if (!pending.empty()) {
            auto j = std::move(pending.front());
            pending.pop_front();
            return j;
        }
        buffer.consume(buffer.size());
        ws.read(buffer);
        auto j = nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
        if (j["type"] != "frame") return j;
        ++frames;
        auto seq = j["seq"].get<std::uint64_t>();
        if (last_seq && seq != last_seq + 1) seq_in_order = false;
        last_seq = seq;
        for (auto& e : j["events"]) pending.push_back(std::move(e));
        if (pending.empty()) return nlohmann::json{{"type", "frame-empty"}};
        return read();
    }
    /// Reads until `pred` holds (at most `limit` messages).
    std::optional<nlohmann::json> read_until(const std::function<bool(const nlohmann::json&)>& pred,
                                             int limit = 500000) {
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

TEST_CASE("exhibit: a viewer gets the snapshot, then the printed characters, and controls work",
          "[exhibit]") {
    running_server s{fast_options()};
    ws_client c{s.port()};
    auto snap = c.read();
    REQUIRE(snap["type"] == "snapshot");
    CHECK(snap["stations"].size() >= 2);
    CHECK(snap["circuits"].size() >= 1);
    REQUIRE(snap["cables"].size() == 1);
    CHECK(snap["cables"][0]["id"] == "HAKTO 12");

    auto printed = c.read_until(
        [](const nlohmann::json& j) { return j["type"] == "event" && j["kind"] == "printed"; });
    REQUIRE(printed);
    CHECK((*printed)["cable"] == "HAKTO 12");
    CHECK((*printed)["station"] == "WTE");

    c.send(R"({"type":"pause"})");
    auto paused = c.read_until(
        [](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; });
    REQUIRE(paused);
    c.send(R"({"type":"resume"})");
    auto resumed = c.read_until(
        [](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == false; });
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
    REQUIRE(b.read_until(
        [](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; }));
}

TEST_CASE("exhibit: step while paused, a visitor's reply as a TOHAK, noise, idle reset",
          "[exhibit]") {
    auto o = fast_options();
    o.idle_reset = std::chrono::seconds{1};
    running_server s{o};
    ws_client c{s.port()};
    REQUIRE(c.read()["type"] == "snapshot");

    c.send(R"({"type":"pause"})");
    REQUIRE(c.read_until(
        [](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; }));
    c.send(R"({"type":"step"})");
    REQUIRE(c.read_until(
        [](const nlohmann::json& j) { return j["type"] == "state" && j["paused"] == true; }));

    // The reply goes from the White House keyboard to Beijing as the next TOHAK, into the
    // running network (no new run: no snapshot), at FLASH if the visitor asks.
    c.send(R"({"type":"reply","text":"well done. <script>","precedence":"Q"})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; }));
    c.send(R"({"type":"reply","text":"well done. <script>","precedence":"Z"})");
    auto handed = c.read_until(
        [](const nlohmann::json& j) { return j["type"] == "cable" || j["type"] == "snapshot"; });
    REQUIRE(handed);
    REQUIRE((*handed)["type"] == "cable");
    auto id = (*handed)["cable"]["id"].get<std::string>();
    CHECK(id.rfind("TOHAK", 0) == 0);
    CHECK((*handed)["cable"]["origin"] == "WTE");
    CHECK((*handed)["cable"]["precedence"] == "Z");
    auto drafted = c.read_until([&](const nlohmann::json& j) {
        return j["type"] == "event" && j.value("stage", "") == "drafting" &&
               j.value("cable", "") == id;
    });
    REQUIRE(drafted);
    auto page = (*drafted)["page_copy"].get<std::string>();
    CHECK(page.find("WELL DONE.") != std::string::npos);
    CHECK(page.find('<') == std::string::npos);
    CHECK(page.find("Z ") != std::string::npos);
    auto printed = c.read_until([&](const nlohmann::json& j) {
        return j["type"] == "event" && j["kind"] == "printed" && j.value("cable", "") == id;
    });
    REQUIRE(printed);
    CHECK((*printed)["station"] == "WTE10");
    // A second reply is the next number of the series.
    c.send(R"({"type":"reply","text":"and again"})");
    auto second = c.read_until([](const nlohmann::json& j) { return j["type"] == "cable"; });
    REQUIRE(second);
    CHECK((*second)["cable"]["id"] != id);
    CHECK((*second)["cable"]["id"].get<std::string>().rfind("TOHAK", 0) == 0);

    c.send(R"({"type":"noise","on":true})");
    REQUIRE(c.read_until([](const nlohmann::json& j) {
        return j["type"] == "snapshot" && j["state"]["noise"] == true;
    }));

    // Nobody touches it: back to the attract loop, noise off.
    auto attract = c.read_until([](const nlohmann::json& j) {
        return j["type"] == "snapshot" && j["state"]["mode"] == "attract" &&
               j["state"]["noise"] == false;
    });
    REQUIRE(attract);
}

TEST_CASE("exhibit: events go out in frames, and a viewer joining mid-run prints the same page",
          "[exhibit]") {
    auto o = fast_options();
    // Paced, so that the second viewer joins while the page is still printing (at 500× the
    // White House printer takes some 0.4 s over HAKTO 12).
    o.speed = hakto::sim::pacing::scaled(500);
    o.frame_interval = std::chrono::milliseconds{20};
    running_server s{o};
    auto page_of = [](const nlohmann::json& snap) {
        for (const auto& c : snap["cables"])
            if (c["id"] == "HAKTO 12" && c.contains("printed"))
                return c["printed"].get<std::string>();
        return std::string{};
    };
    // Reads to the end of HAKTO 12's printing, adding each printed glyph to `page`.
    auto print_to_end = [](ws_client& c, std::string& page, std::size_t& largest_frame) {
        for (int i = 0; i < 500000; ++i) {
            auto j = c.read();
            largest_frame = std::max(largest_frame, c.pending.size() + 1);
            if (j["type"] != "event") continue;
            if (j["kind"] == "printed" && j["glyph"] != "\a") page += j["glyph"].get<std::string>();
            if (j.value("stage", "") == "received") return true;
        }
        return false;
    };
    ws_client a{s.port()};
    auto snap_a = a.read();
    REQUIRE(snap_a["type"] == "snapshot");
    std::string page_a = page_of(snap_a);
    std::size_t printed_a = 0;
    while (printed_a < 300) {
        auto j = a.read();
        if (j["type"] == "event" && j["kind"] == "printed") {
            if (j["glyph"] != "\a") page_a += j["glyph"].get<std::string>();
            ++printed_a;
        }
    }
    ws_client b{s.port()};
    auto snap_b = b.read();
    REQUIRE(snap_b["type"] == "snapshot");
    std::string page_b = page_of(snap_b);
    CHECK(!page_b.empty());  // it joined mid-cable
    std::size_t largest_a = 0, largest_b = 0;
    REQUIRE(print_to_end(a, page_a, largest_a));
    REQUIRE(print_to_end(b, page_b, largest_b));
    auto diff = std::mismatch(page_a.begin(), page_a.end(), page_b.begin(), page_b.end());
    INFO("first difference at " << (diff.first - page_a.begin()) << " of " << page_a.size() << " / "
                                << page_b.size()
                                << ": a=" << page_a.substr(diff.first - page_a.begin(), 40)
                                << " b=" << page_b.substr(diff.second - page_b.begin(), 40));
    CHECK(page_a == page_b);
    CHECK(page_a.find("WARM REGARDS") != std::string::npos);
    CHECK(a.frames > 0);
    CHECK(largest_a > 1);  // frames carry several events
    CHECK(a.seq_in_order);
    CHECK(b.seq_in_order);
}

TEST_CASE("exhibit: the operator changes scenario cables, speed, noise and idle reset",
          "[exhibit]") {
    running_server s{fast_options()};
    ws_client c{s.port()};
    auto snap = c.read();
    REQUIRE(snap["type"] == "snapshot");
    REQUIRE(snap["operator"]["scenario"] == "june1972");
    auto offered = snap["operator"]["scenarios"];
    REQUIRE(!offered.empty());
    CHECK(offered[0]["cables"].size() == 3);  // HAKTO 7, 9 and 12
    CHECK(snap["operator"]["token_required"] == false);

    c.send(R"({"type":"operator","scenario":"nowhere"})");
    auto e1 = c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; });
    REQUIRE(e1);
    CHECK((*e1)["text"].get<std::string>().find("nowhere") != std::string::npos);
    c.send(R"({"type":"operator","cables":["HAKTO 99"]})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; }));
    c.send(R"({"type":"operator","idle_reset":-5})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; }));

    c.send(R"({"type":"operator","scenario":"june1972","cables":["HAKTO 7"],"speed":"300x",)"
           R"("noise":true,"idle_reset":30})");
    auto applied = c.read_until([](const nlohmann::json& j) {
        return j["type"] == "snapshot" &&
               j["operator"]["cables"] == nlohmann::json::array({"HAKTO 7"});
    });
    REQUIRE(applied);
    CHECK((*applied)["state"]["mode"] == "attract");
    CHECK((*applied)["state"]["speed"] == "300x");
    CHECK((*applied)["state"]["noise"] == true);
    CHECK((*applied)["operator"]["idle_reset"] == 30);
    REQUIRE((*applied)["cables"].size() == 1);
    CHECK((*applied)["cables"][0]["id"] == "HAKTO 7");
}

TEST_CASE("exhibit: with an operator token, operator controls need it", "[exhibit]") {
    auto o = fast_options();
    o.operator_token = "correct horse battery";
    running_server s{o};
    ws_client c{s.port()};
    auto snap = c.read();
    REQUIRE(snap["operator"]["token_required"] == true);
    CHECK(snap.dump().find("correct horse") == std::string::npos);  // never sent to viewers
    c.send(R"({"type":"operator","noise":true})");
    auto refused = c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; });
    REQUIRE(refused);
    CHECK((*refused)["text"].get<std::string>().find("token") != std::string::npos);
    c.send(R"({"type":"operator","noise":true,"token":"correct horse batterY"})");
    REQUIRE(c.read_until([](const nlohmann::json& j) { return j["type"] == "error"; }));
    c.send(R"({"type":"operator","noise":true,"token":"correct horse battery"})");
    REQUIRE(c.read_until([](const nlohmann::json& j) {
        return j["type"] == "snapshot" && j["state"]["noise"] == true;
    }));
}
