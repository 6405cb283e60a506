#pragma once
// What the parts of a node share (terminals/net/node/net_node.hpp): its configuration, its
// io_context and its timer service, its counters and hooks, its log; and what a part asks of the
// node as a whole (node_host). The parts: the links (node_link: one per neighbour, with its
// sender and receiver, link_sender and link_receiver), the connections (node_connections) and
// durability (node_durability). All of them run on the io_context's one thread.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>

#include "protocol/text/expected.hpp"
#include "sim/timers.hpp"
#include "terminals/net/node/net_node.hpp"

namespace hakto::terminals {

class printer_port;

/// The callbacks a node's user set (net_node::on_*).
struct node_hooks {
    std::function<void(const std::string&)> log;
    std::function<void()> on_stop;
    std::function<void(const net_cable&)> on_delivered;
    std::function<void(const std::string&, std::uint32_t, std::uint8_t)> on_printed;
    std::function<void(const std::string&, std::uint32_t, std::uint32_t)> on_sent;
    std::function<void(const node_transition&)> on_transition;
};

struct node_context {
    node_context(boost::asio::io_context& i, sim::timer_service& t, node_config c)
        : io(i), timers(t), config(std::move(c)) {}
    node_context(const node_context&) = delete;
    node_context& operator=(const node_context&) = delete;

    boost::asio::io_context& io;
    sim::timer_service& timers;
    node_config config;
    node_stats stats;
    node_hooks hooks;
    bool stopping = false;
    bool failed = false;

    /// A line of the node's log ("WHR: …"): the hook, or standard error with the time of day.
    void log(const std::string& m) const;
    /// What sessions say (refusals, bad frames, timeouts): at most 20 lines a second, so that a
    /// flood of bad connections cannot fill the disk with the log; the rest are counted.
    void session_log(const std::string& m);
    /// Tells the transition hook, if one is set.
    void transition(const node_transition& t) const {
        if (hooks.on_transition) hooks.on_transition(t);
    }

  private:
    std::optional<sim::wall_time> log_window_;
    std::size_t log_lines_ = 0, log_suppressed_ = 0;
};

/// What the parts ask of the node as a whole.
class node_host {
  public:
    /// Logs the reason and stops the node (a journal that cannot be written, say).
    virtual void fatal(const std::string& reason) = 0;
    /// Takes a cable in (filed here, or received whole): routed, its accept record appended,
    /// its copies queued on their channels. Not durable until the next sync; delivery here is
    /// the caller's to arrange. An error has stopped the node.
    virtual expected<std::uint64_t, node_error> take_in(net_cable c) = 0;
    /// Lets every channel's sender start what it may.
    virtual void pump_all() = 0;
    /// The printer port, if the station has one.
    virtual printer_port* printer() = 0;

  protected:
    ~node_host() = default;
};

/// The one transition function of a state machine, and its log: each change of state with its
/// time, the state left, the state entered and the reason, as sim::circuit keeps them; bounded
/// (the last `keep`), and told to the node's transition hook. A transition the machine's table
/// does not allow is not made: it is logged as a fault of the software and counted.
template <class State>
class state_machine {
  public:
    struct entry {
        sim::wall_time at{};
        State from{};
        State to{};
        std::string reason;
    };
    using legal_fn = bool (*)(State from, State to) noexcept;
    using name_fn = std::string_view (*)(State s) noexcept;
    static constexpr std::size_t keep = 64;

    state_machine(node_context& ctx, std::string_view machine, std::string peer, State initial,
                  legal_fn legal, name_fn name)
        : ctx_(ctx),
          machine_(machine),
          peer_(std::move(peer)),
          state_(initial),
          legal_(legal),
          name_(name) {}

    [[nodiscard]] State current() const noexcept { return state_; }
    [[nodiscard]] const std::deque<entry>& recent() const noexcept { return recent_; }
    [[nodiscard]] std::uint64_t transitions() const noexcept { return transitions_; }
    [[nodiscard]] std::uint64_t refused() const noexcept { return refused_; }

    /// The one way the state changes. False (and nothing changes) when the table forbids it.
    bool enter(State to, std::string_view reason) {
        const State from = state_;
        if (!legal_(from, to)) {
            ++refused_;
            ctx_.log(
                fmt::format("{} of the channel to {}: no transition from {} to {} ({}); a "
                            "fault of the software, the state is kept",
                            machine_, peer_, name_(from), name_(to), reason));
            return false;
        }
        state_ = to;
        ++transitions_;
        const auto now = ctx_.timers.now();
        if (recent_.size() == keep) recent_.pop_front();
        recent_.push_back(entry{now, from, to, std::string(reason)});
        ctx_.transition(
            node_transition{now, peer_, machine_, name_(from), name_(to), std::string(reason)});
        return true;
    }

  private:
    node_context& ctx_;
    std::string_view machine_;
    std::string peer_;
    State state_;
    legal_fn legal_;
    name_fn name_;
    std::deque<entry> recent_;
    std::uint64_t transitions_ = 0;
    std::uint64_t refused_ = 0;
};

}  // namespace hakto::terminals
