// The exhibit's health (GET /healthz, docs/exhibit.md "Health"): the show's own report in
// virtual time (playing, paused, between runs, a stall, a run that cannot start), then the
// answer over a real loopback socket (200 JSON while the show runs, HEAD, a query string).
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "show_stage.hpp"
#include "terminals/exhibit/exhibit_health.hpp"
#include "terminals/exhibit/exhibit_server.hpp"
#include "terminals/support/asio_timers.hpp"

using namespace std::chrono_literals;
using hakto::test::json;
using hakto::test::show_options;
using hakto::test::stage;
using hakto::test::test_audience;
namespace sim = hakto::sim;
namespace exhibit = hakto::terminals::exhibit;

namespace {

/// Virtual time whose timers can be jammed: once `jammed`, a timer set never fires (a show
/// stuck for a reason of its own).
class jammable_timers final : public sim::timer_service {
  public:
    sim::manual_timers inner{sim::wall_time{} + std::chrono::hours{1}};
    bool jammed = false;

    sim::wall_time now() const override { return inner.now(); }
    timer_id call_at(sim::wall_time at, callback f) override {
        if (jammed) return inner.call_at(at, [] {});
        return inner.call_at(at, std::move(f));
    }
    void cancel(timer_id id) override { inner.cancel(id); }
};

}  // namespace

TEST_CASE("health: playing, paused and between runs are well, however long they last",
          "[exhibit]") {
    auto o = show_options();
    o.stall_after = 1s;  // a limit far below any wait of the show's own
    o.attract_pause = 30s;
    o.idle_reset = 0s;  // a visitor's pause lasts until resumed
    stage st{o};
    CHECK(st.show->health().stalled);  // not started
    st.show->start();
    auto h = st.show->health();
    CHECK(h.show == "playing");
    CHECK(!h.stalled);
    CHECK(h.mode == "attract");
    CHECK(h.speed == "20x");
    CHECK(h.run == 1);

    // A whole run at 20×, waiting for each event's deadline, then the attract loop's pause:
    // never a stall, though the pause is thirty times the limit.
    bool saw_cable = false, stalled = false;
    REQUIRE(st.run_until([&] {
        auto now = st.show->health();
        saw_cable = saw_cable || now.cable == "HAKTO 12";
        stalled = stalled || now.stalled.has_value();
        return st.audience.count_of("end") > 0;
    }));
    CHECK(saw_cable);
    CHECK(!stalled);
    h = st.show->health();
    CHECK(h.show == "between runs");
    CHECK(h.cable.empty());
    st.timers.advance(29s);
    CHECK(!st.show->health().stalled);
    st.timers.advance(1s);
    CHECK(st.show->health().show == "playing");
    CHECK(st.show->health().run == 2);

    // Paused by a visitor: well for as long as it lasts.
    REQUIRE(st.control(R"({"type":"pause"})"));
    st.timers.advance(10min);
    h = st.show->health();
    CHECK(h.show == "paused");
    CHECK(!h.stalled);
    CHECK(h.since_last_event >= 10min);
    CHECK(h.uptime >= 10min);
}

TEST_CASE("health: a show that has not moved for stall_after past due has stalled", "[exhibit]") {
    jammable_timers timers;
    test_audience audience{timers};
    auto o = show_options();
    o.stall_after = 300s;
    auto made = exhibit::show::create(o, timers, audience);
    REQUIRE(made);
    auto show = made.value();
    show->start();
    for (int i = 0; i < 200; ++i) timers.inner.run_next();
    REQUIRE(!show->health().stalled);
    REQUIRE(show->health().show == "playing");

    timers.jammed = true;  // the next tick is set but never comes
    timers.inner.advance(299s);
    CHECK(!show->health().stalled);
    timers.inner.advance(2s);
    auto h = show->health();
    REQUIRE(h.stalled);
    CHECK(h.stalled->find("no event for 30") != std::string::npos);
    CHECK(h.show == "playing");
    auto answer = exhibit::health_reply(h, 3, "0.1.0");
    CHECK(!answer.ok);
    auto j = json::parse(answer.body);
    CHECK(j["status"] == "stalled");
    CHECK(j["reason"] == *h.stalled);
    CHECK(j["viewers"] == 3);
    CHECK(j["last_event_age_s"].get<double>() >= 300.0);
    show->stop();
}

TEST_CASE("health: a run that cannot start is reported at once, with the reason", "[exhibit]") {
    auto o = show_options();
    o.replay.cables = {"HAKTO 99"};
    stage st{o};
    st.show->start();
    auto h = st.show->health();
    CHECK(h.show == "failed to start");
    REQUIRE(h.stalled);
    CHECK(h.stalled->find("HAKTO 99") != std::string::npos);
    auto j = json::parse(exhibit::health_reply(h, 0, "0.1.0").body);
    CHECK(j["status"] == "stalled");
    CHECK(j["show"] == "failed to start");
    CHECK(j["cable"].is_null());
}

TEST_CASE("health: the answer's fields, and nothing of the operator's token", "[exhibit]") {
    auto o = show_options();
    o.operator_token = "a-secret-token-1234";
    stage st{o};
    st.show->start();
    st.timers.advance(20s);
    auto answer = exhibit::health_reply(st.show->health(), 2, "0.1.0");
    CHECK(answer.ok);
    CHECK(answer.body.find("a-secret-token-1234") == std::string::npos);
    auto j = json::parse(answer.body);
    CHECK(j["status"] == "ok");
    CHECK(j["show"] == "playing");
    CHECK(j["cable"] == "HAKTO 12");
    CHECK(j["uptime_s"] == 20);
    CHECK(j["viewers"] == 2);
    CHECK(j["last_event_age_s"].get<double>() < 1.0);
    CHECK(j["version"] == "0.1.0");
    CHECK(j["noise"] == false);
    CHECK(!j.contains("reason"));
    auto closing = json::parse(exhibit::stopping_reply(0, "0.1.0").body);
    CHECK(closing["status"] == "stopping");
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

/// One request over its own connection, the server running on a thread of its own.
http::response<http::string_body> ask(std::uint16_t port, http::verb verb,
                                      const std::string& target) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(10s);
    stream.connect(asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.skip(verb == http::verb::head);  // a HEAD answer has a length but no body
    http::read(stream, buffer, parser);
    return parser.release();
}

}  // namespace

TEST_CASE("health: GET and HEAD /healthz over HTTP while the show runs", "[exhibit]") {
    asio::io_context io{1};
    hakto::terminals::asio_timers timers{io};
    auto o = show_options();
    o.port = 0;
    o.log = [](const std::string&) {};
    auto made = hakto::terminals::exhibit_server::create(io, timers, o);
    REQUIRE(made);
    auto& server = *made.value();
    server.start();
    std::thread runner{[&] { io.run(); }};
    struct joined {
        asio::io_context& io;
        std::thread& t;
        ~joined() {
            io.stop();
            t.join();
        }
    } join_at_end{io, runner};

    auto got = ask(server.port(), http::verb::get, "/healthz");
    CHECK(got.result() == http::status::ok);
    CHECK(std::string(got[http::field::content_type]) == "application/json");
    CHECK(std::string(got[http::field::cache_control]) == "no-store");
    auto j = json::parse(got.body());
    CHECK(j["status"] == "ok");
    for (const auto* k : {"show", "cable", "uptime_s", "viewers", "last_event_age_s", "version"})
        CHECK(j.contains(k));
    CHECK(j["viewers"] == 0);

    auto head = ask(server.port(), http::verb::head, "/healthz");
    CHECK(head.result() == http::status::ok);
    CHECK(head.body().empty());
    CHECK(std::stoul(std::string(head[http::field::content_length])) > 0);

    CHECK(ask(server.port(), http::verb::get, "/healthz?probe=1").result() == http::status::ok);
    CHECK(ask(server.port(), http::verb::post, "/healthz").result() ==
          http::status::method_not_allowed);
}
