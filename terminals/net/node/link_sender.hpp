#pragma once
// The sender of one channel: this node's direction of the circuit to one neighbour, as an explicit
// state machine. One cable at a time goes on the line:
//
//   idle        --a copy to send: its tx record appended-->   committing
//   committing  --the tx record on disk: begin sent-->        sending
//   sending     --every code and end sent-->                  draining
//   draining    --all printed at the far end-->               idle    (the copy awaits "stored")
//   committing, sending
//               --a FLASH or higher waits (protocol::preempts): cancel record appended-->  breaking
//   breaking    --the cancel record on disk: cancel sent-->   idle    (the copy goes again later)
//   committing, sending, draining, breaking
//               --"stored" already (a duplicate), a repeat request, the connection lost-->  idle
//
// The serial and the key stretch of a transmission are on disk before its first code goes
// (committing). While sending, the codes leave no faster than the circuit's speed (--speed
// scales it; 0 turns pacing off) and at most `window` characters beyond the last one the far
// end's printer acknowledged. A cable sent whole and printed waits for its "stored" (at most
// max_in_flight of them) while the next one goes.
//
// What goes next: first a copy that has a channel serial and is not done (broken off by a lost
// connection, or asked for again by a repeat request), lowest serial first, so that serials go
// out in order; then the copies never sent, from a sim::circuit_queue, the queue sim/relay uses:
// highest precedence first, first come first served within a precedence.
//
// Pre-emption (ACP 127: FLASH and EMERGENCY COMMAND interrupt lower precedences on the circuit,
// protocol facts §1.7; sim/relay does the same in process): a copy that pre-empts the one on the
// line (protocol::preempts) breaks it off at the next character. Its serial is used up: a cancel
// record goes to the journal and, once on disk, a cancel frame to the far end, which prints the
// break and takes the serial as void. The broken copy loses its serial and goes back to its
// original place in its precedence; it goes again in full under a new serial. A copy sent
// before under its serial (a resend after a lost connection: the far end may have stored it)
// is broken off only once the far end has acknowledged characters of it on this connection,
// which it does only for a serial it is taking anew. Cancelled serials the far end has not yet
// acknowledged go again first on a new connection, in serial order with the resends.
//
// Time (the pacing) is the node's timer service.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire/wire_frame.hpp"
#include "sim/circuit.hpp"
#include "sim/circuit_queue.hpp"
#include "terminals/net/net_store.hpp"
#include "terminals/net/net_timer.hpp"
#include "terminals/net/node/node_context.hpp"

namespace hakto::terminals {

class node_durability;
class node_link;

class link_sender {
  public:
    enum class state : std::uint8_t { idle, committing, sending, draining, breaking };

    link_sender(node_context& ctx, node_host& host, node_durability& durability, node_link& link,
                const node_peer& peer);
    link_sender(const link_sender&) = delete;
    link_sender& operator=(const link_sender&) = delete;

    /// The circuit model of this direction (on-line encryption, the line's noise); without one
    /// the codes go as filed.
    void use_line(sim::circuit line, bool encrypts);
    /// A copy of `cable` for this channel, never sent, joins the queue.
    void queue(std::uint64_t cable, std::uint8_t precedence);
    /// The queue and the copies to send again, from the store (at start, when the connection
    /// changes, after a repeat request).
    void requeue_all();
    /// Starts the next transmission, or sends what is due, if the channel is up.
    void pump();
    void on_ack(const protocol::wire::ack& a);
    /// A repeat request (INT ZDK) from the far end.
    void on_service(const protocol::wire::service& s);
    /// The connection went, or a new one replaced it: what was on the line stops; copies awaiting
    /// "stored" are sent again.
    void reset(std::string_view reason);
    /// The node stops: no timer left.
    void stop() { pace_.cancel(); }

    [[nodiscard]] state current() const noexcept { return machine_.current(); }
    [[nodiscard]] const state_machine<state>& machine() const noexcept { return machine_; }
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.size(); }
    /// Copies waiting to go (never sent, and to send again).
    [[nodiscard]] std::size_t waiting() const noexcept { return fresh_.size() + again_.size(); }

    static std::string_view name(state s) noexcept;

  private:
    /// The transmission on the line (state other than idle).
    struct transmission {
        std::uint64_t seq = 0;  ///< this sender's count of transmissions: tells stale callbacks
        std::uint64_t cable = 0;
        std::uint32_t serial = 0;
        std::vector<std::uint8_t> codes;  ///< as they go on the wire
        std::uint32_t sent = 0, acked = 0;
        sim::wall_time t0{};  ///< begin sent: the pacing counts from here
        std::uint8_t precedence = 0;
        bool new_serial = false;  ///< the serial was given for this transmission
        bool taken = false;       ///< the far end acknowledged characters of it (not "stored")
    };

    static bool legal(state from, state to) noexcept;
    net_copy* next_copy();
    void start_next();
    void begin(net_copy& copy, const net_cable& c);
    void on_committed(std::uint64_t seq, protocol::wire::begin b);
    void send_due();
    void when_printed();
    /// The copy on the line gives way to a higher precedence waiting, if it may (see above).
    bool preempt_if_due();
    void on_broken(std::uint64_t seq, std::uint32_t serial, std::uint64_t cable,
                   std::uint8_t precedence);
    /// Sends the cancel frames due before the next transmission. False: one is not on disk yet.
    bool send_cancels();
    void stored_early(std::uint32_t serial);
    void log_stored(std::uint32_t serial);
    void mark_done(std::uint32_t serial);
    /// Leaves the transmission (timer and all) and goes idle.
    void drop_transmission(std::string_view reason);
    [[nodiscard]] std::uint32_t window() const noexcept;
    /// Characters of the transmission whose frame has left the sender by `now`: frame k ends at
    /// t0 + (propagation delay + k + 1 frame times) / speed.
    [[nodiscard]] std::uint32_t frames_due(sim::wall_time now) const;
    [[nodiscard]] sim::wall_time due_time(std::uint32_t k) const;

    node_context& ctx_;
    node_host& host_;
    node_durability& durability_;
    node_link& link_;
    std::string peer_;
    state_machine<state> machine_;
    transmission tx_;
    /// Serials sent whole (end sent, all printed) whose "stored" has not come back.
    std::vector<std::uint32_t> in_flight_;
    /// Copies never sent. The sequence number of an item is the cable's number in the store:
    /// its order of arrival here, and the handle it is found by (job is not used).
    sim::circuit_queue fresh_;
    std::map<std::uint32_t, std::uint64_t> again_;  ///< serial -> cable, to send again
    std::set<std::uint32_t> cancels_sent_;          ///< cancel frames sent on this connection
    std::set<std::uint32_t> cancels_unsynced_;      ///< cancel records not yet on disk
    std::optional<sim::circuit> line_;
    bool encrypts_ = false;
    sim::sim_time vt_{};  ///< the line model's clock (deterministic: not the wall clock)
    scoped_timer pace_;
    std::uint64_t seq_ = 0;
};

}  // namespace hakto::terminals
