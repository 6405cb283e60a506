#pragma once
// The exhibit server on real loopback sockets for the tests that speak HTTP and WebSocket to it:
// the server and its clients share one io_context on the test's thread, and each wait runs it
// until what the test waits for has happened, with a time limit (a test that waits for what
// never comes fails instead of hanging); nothing sleeps.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include "terminals/exhibit/exhibit_server.hpp"
#include "terminals/support/asio_timers.hpp"

namespace hakto::test {

/// One io_context for the server and its clients, the timers on it, the server's log.
struct exhibit_loopback {
    boost::asio::io_context io{1};
    terminals::asio_timers timers{io};
    std::vector<std::string> log;
    std::unique_ptr<terminals::exhibit_server> server;

    explicit exhibit_loopback(terminals::exhibit_options o) {
        o.port = 0;
        o.log = [this](const std::string& line) { log.push_back(line); };
        auto s = terminals::exhibit_server::create(io, timers, std::move(o));
        REQUIRE(s);
        server = std::move(s.value());
        server->start();
    }
    ~exhibit_loopback() { server->stop(); }
    exhibit_loopback(const exhibit_loopback&) = delete;
    exhibit_loopback& operator=(const exhibit_loopback&) = delete;

    std::uint16_t port() const { return server->port(); }
    boost::asio::ip::tcp::endpoint endpoint() const {
        return {boost::asio::ip::make_address("127.0.0.1"), port()};
    }

    /// Runs the io_context until `done()` holds; false after `limit`.
    bool run_until(const std::function<bool()>& done,
                   std::chrono::seconds limit = std::chrono::seconds{60}) {
        const auto give_up = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= give_up) return false;
            if (io.stopped()) io.restart();
            io.run_one_until(give_up);
        }
        return true;
    }
};

/// A GET over its own connection, on the loop; bodies up to `body_limit` bytes.
inline boost::beast::http::response<boost::beast::http::string_body> http_get(
    exhibit_loopback& lb, const std::string& target, std::size_t body_limit = 64u << 20) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    struct exchange {
        beast::tcp_stream stream;
        http::request<http::string_body> req;
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> res;
        bool done = false;
        exchange(boost::asio::io_context& io, std::size_t limit) : stream(io) {
            res.body_limit(limit);
        }
    };
    auto x = std::make_shared<exchange>(lb.io, body_limit);
    x->req = {http::verb::get, target, 11};
    x->req.set(http::field::host, "127.0.0.1");
    x->stream.async_connect(lb.endpoint(), [x](beast::error_code ec) {
        if (ec) return void(x->done = true);
        http::async_write(x->stream, x->req, [x](beast::error_code e, std::size_t) {
            if (e) return void(x->done = true);
            http::async_read(x->stream, x->buffer, x->res,
                             [x](beast::error_code, std::size_t) { x->done = true; });
        });
    });
    REQUIRE(lb.run_until([&] { return x->done; }));
    return x->res.release();
}

}  // namespace hakto::test
