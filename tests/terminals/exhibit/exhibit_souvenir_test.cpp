// The exhibit's souvenirs over real loopback sockets: GET /souvenir for the cable shown answers a
// PNG to download; an unknown cable is 404, a bad format 400; the operator's print_souvenir runs
// lp (a fake one the test writes) and its answer reaches the operator's screen alone. The server
// and the clients share one io_context on the test's thread; each wait has a time limit.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
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

namespace sv_asio = boost::asio;
namespace sv_beast = boost::beast;
namespace sv_http = sv_beast::http;
using sv_tcp = sv_asio::ip::tcp;
using sv_json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

/// The exhibit on loopback, HAKTO 12 as fast as possible, a long pause between runs.
struct sv_exhibit : hakto::test::exhibit_loopback {
    explicit sv_exhibit(hakto::terminals::exhibit_options o = {})
        : exhibit_loopback(with_fast_show(std::move(o))) {}
    static hakto::terminals::exhibit_options with_fast_show(hakto::terminals::exhibit_options o) {
        o.speed = hakto::sim::pacing::as_fast_as_possible();
        o.replay.cables = {"HAKTO 12"};
        o.attract_pause = std::chrono::hours{1};
        return o;
    }
};

sv_http::response<sv_http::string_body> sv_get(sv_exhibit& x, const std::string& target) {
    return hakto::test::http_get(x, target);
}

/// One WebSocket screen that sends `control` once the snapshot has come and keeps every
/// message it gets.
struct sv_screen : std::enable_shared_from_this<sv_screen> {
    sv_beast::websocket::stream<sv_beast::tcp_stream> ws;
    sv_beast::flat_buffer buffer;
    std::string control;
    std::vector<sv_json> messages;
    bool failed = false;
    explicit sv_screen(sv_asio::io_context& io) : ws(io) {}

    void start(const sv_tcp::endpoint& ep) {
        sv_beast::get_lowest_layer(ws).async_connect(
            ep, [self = shared_from_this()](sv_beast::error_code ec) {
                if (ec) return void(self->failed = true);
                self->ws.async_handshake("127.0.0.1", "/ws", [self](sv_beast::error_code e) {
                    if (e) return void(self->failed = true);
                    self->read();
                });
            });
    }
    void read() {
        ws.async_read(buffer, [self = shared_from_this()](sv_beast::error_code ec, std::size_t) {
            if (ec) return void(self->failed = true);
            auto j = sv_json::parse(sv_beast::buffers_to_string(self->buffer.data()));
            self->buffer.consume(self->buffer.size());
            if (j["type"] == "snapshot" && !self->control.empty()) {
                self->ws.text(true);
                self->ws.async_write(sv_asio::buffer(self->control),
                                     [self](sv_beast::error_code, std::size_t) {});
                self->control.clear();
            }
            if (j["type"] != "frame") self->messages.push_back(std::move(j));
            self->read();
        });
    }
    bool has(const std::function<bool(const sv_json&)>& pred) const {
        for (const auto& m : messages)
            if (pred(m)) return true;
        return false;
    }
};

}  // namespace

TEST_CASE("exhibit souvenir: GET /souvenir answers the cable shown as a PNG to download",
          "[exhibit]") {
    sv_exhibit x;
    const auto t0 = std::chrono::steady_clock::now();
    auto res = sv_get(x, "/souvenir?cable=HAKTO%2012&format=png");
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::cout << "BENCH exhibit_souvenir_png_hakto12 " << ms << " ms\n";
    REQUIRE(res.result() == sv_http::status::ok);
    CHECK(res[sv_http::field::content_type] == "image/png");
    CHECK(res[sv_http::field::content_disposition] ==
          "attachment; filename=\"souvenir-hakto-12.png\"");
    CHECK(res.body().rfind("\x89PNG\r\n", 0) == 0);

    auto svg = sv_get(x, "/souvenir?cable=HAKTO+12&format=svg");
    CHECK(svg.result() == sv_http::status::ok);
    CHECK(svg[sv_http::field::content_type] == "image/svg+xml");

    auto unknown = sv_get(x, "/souvenir?cable=HAKTO%2099&format=png");
    CHECK(unknown.result() == sv_http::status::not_found);
    CHECK(unknown.body() == "no such cable in the show\n");
    CHECK(sv_get(x, "/souvenir?cable=HAKTO%2012&format=gif").result() ==
          sv_http::status::bad_request);
    CHECK(sv_get(x, "/souvenir?cable=HAKTO%2&format=png").result() == sv_http::status::bad_request);
}

TEST_CASE("exhibit souvenir: print_souvenir runs lp and tells the operator alone", "[exhibit]") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hakto-exhibit-souvenir-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto lp = (dir / "lp").string();
    std::ofstream(lp) << "#!/bin/sh\nprintf '%s\\n' \"$@\" > " << (dir / "args").string()
                      << "\necho 'request id is kiosk-1 (1 file(s))'\n";
    ::chmod(lp.c_str(), 0755);
    hakto::terminals::exhibit_options o;
    o.souvenir_printer = "kiosk";
    o.souvenir_lp = lp;
    sv_exhibit x{o};

    auto op = std::make_shared<sv_screen>(x.io);
    op->control = R"({"type":"operator","command":"print_souvenir","cable":"HAKTO 12"})";
    auto visitor = std::make_shared<sv_screen>(x.io);
    op->start(x.endpoint());
    visitor->start(x.endpoint());
    auto printed = [](const sv_json& j) {
        return j["type"] == "operator_status" && j["ok"] == true &&
               j["text"].get<std::string>().find("request id is kiosk-1") != std::string::npos;
    };
    REQUIRE(x.run_until([&] { return op->has(printed) || op->failed; }));
    CHECK(op->has(printed));
    CHECK(op->has([](const sv_json& j) {
        return j["type"] == "snapshot" && j["operator"]["souvenir_print"] == true;
    }));
    CHECK_FALSE(visitor->has([](const sv_json& j) { return j["type"] == "operator_status"; }));
    std::ifstream args(dir / "args");
    std::stringstream got;
    got << args.rdbuf();
    CHECK(got.str().rfind("-d\nkiosk\n-t\nhakto souvenir\n--\n", 0) == 0);
    CHECK(std::any_of(x.log.begin(), x.log.end(), [](const std::string& l) {
        return l.find("souvenir of HAKTO 12 sent to printer kiosk") != std::string::npos;
    }));
    std::filesystem::remove_all(dir);
}

TEST_CASE("exhibit souvenir: without --souvenir-printer the print is refused with the reason",
          "[exhibit]") {
    sv_exhibit x;
    auto op = std::make_shared<sv_screen>(x.io);
    op->control = R"({"type":"operator","command":"print_souvenir"})";
    op->start(x.endpoint());
    auto refused = [](const sv_json& j) {
        return j["type"] == "error" && j["text"] == "no printer configured (--souvenir-printer)";
    };
    REQUIRE(x.run_until([&] { return op->has(refused) || op->failed; }));
    CHECK(op->has(refused));
}
