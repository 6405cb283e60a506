#pragma once
// The show on a stage of its own: virtual time (sim::manual_timers) and screens that are only
// lists of the messages they got. Nothing sleeps and nothing waits on a socket: a test moves
// time itself, so it decides exactly when a screen joins or a visitor touches a control.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/timers.hpp"
#include "terminals/exhibit/exhibit_show.hpp"

namespace hakto::test {

using json = nlohmann::json;
using terminals::exhibit_options;
namespace exhibit = terminals::exhibit;

/// One screen: what it got, a frame's events one by one.
struct screen {
    std::vector<json> messages;
    std::uint64_t frames = 0, last_seq = 0;
    std::size_t largest_frame = 0;
    bool seq_in_order = true;

    void receive(const json& j) {
        if (j["type"] != "frame") {
            messages.push_back(j);
            return;
        }
        ++frames;
        auto seq = j["seq"].get<std::uint64_t>();
        if (last_seq && seq != last_seq + 1) seq_in_order = false;
        last_seq = seq;
        largest_frame = std::max(largest_frame, j["events"].size());
        for (const auto& e : j["events"]) messages.push_back(e);
    }
    std::size_t count(const std::function<bool(const json&)>& pred, std::size_t from = 0) const {
        std::size_t n = 0;
        for (std::size_t i = from; i < messages.size(); ++i) n += pred(messages[i]) ? 1 : 0;
        return n;
    }
    /// The last message that satisfies `pred` (null when none does).
    json last(const std::function<bool(const json&)>& pred) const {
        for (auto it = messages.rbegin(); it != messages.rend(); ++it)
            if (pred(*it)) return *it;
        return nullptr;
    }
};

/// The audience of the show: the screens present, and every message with when it was sent.
class test_audience final : public exhibit::audience {
  public:
    struct sent_message {
        sim::wall_time at;
        json message;
    };

    explicit test_audience(const sim::timer_service& timers) : timers_(timers) {}

    void send_to_all(std::shared_ptr<const std::string> message) override {
        auto j = json::parse(*message);
        for (auto* s : present) s->receive(j);
        ++counts[j["type"].get<std::string>()];
        sent.push_back({timers_.now(), std::move(j)});
    }
    std::size_t screens() const override { return present.size(); }
    std::size_t backlog() const override { return backlog_now; }

    std::vector<screen*> present;
    std::vector<sent_message> sent;
    std::size_t backlog_now = 0;                             ///< what backlog() answers
    std::map<std::string, std::size_t, std::less<>> counts;  ///< messages sent, by type

    std::size_t count_of(std::string_view type) const {
        auto it = counts.find(type);
        return it == counts.end() ? 0 : it->second;
    }

    /// The messages sent of a type ("snapshot", "state", "frame", …), from `from` on.
    std::vector<sent_message> of_type(std::string_view type, std::size_t from = 0) const {
        std::vector<sent_message> out;
        for (std::size_t i = from; i < sent.size(); ++i)
            if (sent[i].message["type"] == type) out.push_back(sent[i]);
        return out;
    }

  private:
    const sim::timer_service& timers_;
};

/// HAKTO 12 at 20×, its defaults otherwise.
inline exhibit_options show_options() {
    exhibit_options o;
    o.port = 0;
    o.replay.cables = {"HAKTO 12"};
    return o;
}

inline bool is_event(const json& j, std::string_view kind) {
    return j.value("type", "") == "event" && j.value("kind", "") == kind;
}

struct stage {
    sim::manual_timers timers{sim::wall_time{} + std::chrono::hours{1}};
    test_audience audience{timers};
    std::shared_ptr<exhibit::show> show;

    explicit stage(exhibit_options o = show_options()) {
        auto s = exhibit::show::create(std::move(o), timers, audience);
        REQUIRE(s);
        show = std::move(s.value());
    }
    ~stage() { show->stop(); }
    stage(const stage&) = delete;
    stage& operator=(const stage&) = delete;

    /// As a viewer session joins: the pending frame to the others, then in, then its snapshot.
    void join(screen& s) {
        show->flush_frame();
        audience.present.push_back(&s);
        s.receive(json::parse(show->snapshot()));
    }
    expected<void, exhibit::control_error> control(std::string_view text,
                                                   bool from_loopback = true) {
        return show->control(text, from_loopback);
    }
    /// Moves virtual time from timer to timer until `done()` holds; false if the timers run
    /// out or `max_steps` pass first.
    template <class F>
    bool run_until(F done, std::size_t max_steps = 1'000'000) {
        for (std::size_t i = 0; i < max_steps; ++i) {
            if (done()) return true;
            if (!timers.run_next()) return done();
        }
        return done();
    }
    /// run_until() the screen has got `times` messages that satisfy `pred` (looking at each
    /// message once).
    template <class P>
    bool run_until_received(const screen& s, P pred, std::size_t times = 1) {
        std::size_t pos = 0, found = 0;
        return run_until([&] {
            for (; pos < s.messages.size() && found < times; ++pos) found += pred(s.messages[pos]);
            return found >= times;
        });
    }
    sim::wall_duration elapsed(sim::wall_time since) const { return timers.now() - since; }
};

}  // namespace hakto::test
