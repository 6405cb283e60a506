#pragma once
// A station or relay as a process on the network: its circuits to its neighbours are TCP
// connections (terminals/net/net_session.hpp), its cables are on disk
// (terminals/net/net_store.hpp).
//
//  * Sending on a circuit: one cable at a time, highest precedence first (a copy that was on the
//    line when the connection went is sent again first, with its channel serial). The codes go
//    through the circuit model of sim/ for that direction when configured (on-line Vernam with
//    the direction's key tape, the line's noise), and leave no faster than the circuit's speed
//    (--speed scales it; max turns pacing off).
//  * Printer-paced flow control: the receiver prints at line speed and acknowledges the
//    characters printed; the sender keeps at most `window` characters beyond the last
//    acknowledged one, so a fast network never overruns a 60 wpm printer (as i-Telex does).
//  * Store and forward: a whole cable received is written to the journal (fsync) and only then
//    acknowledged as stored; then it is routed (longest routing-indicator prefix, sim/) to the
//    next circuit, or delivered here (the page printer, --out-dir, the printer port).
//  * Channel serials: a duplicate is acknowledged and dropped; a gap is answered with a repeat
//    request (INT ZDK) and the sender sends the missing cables again from its journal.
//  * Liveness: the side that dials reconnects with backoff; heartbeats; idle and handshake
//    timeouts; at most max_pending_handshakes connections that have not said hello (the oldest
//    goes first), so half-open connections cannot crowd out good peers.
//
// The parts (docs/network.md): the links, one a neighbour (node_link.hpp), each with the sender
// and the receiver of its channel, explicit state machines (link_sender.hpp, link_receiver.hpp);
// the connections (node_connections.hpp); durability (node_durability.hpp).
//
// Time: every wait (pacing, heartbeats, timeouts, back-off) is on the sim::timer_service the node
// is given: terminals::asio_timers in the program, sim::manual_timers in the tests (virtual
// time). Sockets are Asio's. One io_context, run by one thread: every handler of the node, its
// sessions and its timers runs on that thread (an implicit strand); no locks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "protocol/wire/wire_frame.hpp"
#include "sim/scenario.hpp"
#include "sim/timers.hpp"
#include "terminals/net/net_auth.hpp"
#include "terminals/net/net_delivered.hpp"
#include "terminals/net/net_store.hpp"
#include "terminals/net/net_stream.hpp"

namespace hakto::terminals {

/// A neighbour across one circuit.
struct node_peer {
    std::string id;                  ///< its station id
    bool dial = false;               ///< this node connects to it (else it connects here)
    std::string host = "127.0.0.1";  ///< where to connect, when dialling
    std::uint16_t port = 0;
    sim::circuit_spec circuit;  ///< the line: speed, delay, noise, crypto
    /// Which direction of the circuit this node sends on: 0 when this node is circuit.a (the
    /// direction seeds of sim::network: noise seed + d, key tape key_seed × 2 + d).
    int direction = 0;
};

struct node_config {
    std::string id;
    std::string routing_indicator;  ///< defaults to the id
    protocol::wire::role role = protocol::wire::role::station;
    std::string journal_dir;
    bool listen = true;
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 0;
    std::vector<node_peer> peers;
    /// Dial the neighbours marked dial over TCP (off in tests that hand in streams with adopt()).
    bool dial_out = true;
    std::vector<std::pair<std::string, std::string>>
        routes;  ///< routing-indicator prefix ("": default) -> peer id
    /// Line speed factor: 1 = the circuit's real speed, 20 = twenty times faster, 0 = no pacing.
    double speed = 1;
    bool noise = false;
    bool crypto = true;
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
    std::optional<shared_key> key;
    std::chrono::milliseconds handshake_timeout{5000};
    std::chrono::milliseconds heartbeat{1000};
    std::chrono::milliseconds idle_timeout{5000};
    std::chrono::milliseconds reconnect_min{100};
    std::chrono::milliseconds reconnect_max{3000};
    std::uint32_t window = 16;            ///< characters in flight when paced
    std::uint32_t unpaced_window = 8192;  ///< characters in flight with pacing off
    /// Whole cables sent and printed at the far end, waiting for "stored", while the next goes.
    std::size_t max_in_flight = 32;
    std::size_t max_pending_handshakes = 256;
    std::size_t max_connections = 1024;
    std::optional<std::string> out_dir;  ///< delivered cables, one JSON file each
    std::optional<std::uint16_t> printer_port;
    std::string printer_host = "127.0.0.1";
    std::vector<net_cable> to_file;  ///< cables to file at start (once: the journal remembers)
    /// File the cables of to_file at their filing times rather than all at start: in the order
    /// of their filing times, the first at start, each next one its filing time's distance
    /// after the one before (scaled by `speed`). A gap longer than `idle_gap` is not waited
    /// through: the next cable goes once nothing filed here is outstanding, and a second after
    /// that (the replay's idle skip, judged by this station alone).
    bool file_in_time = false;
    std::chrono::nanoseconds idle_gap{std::chrono::minutes{2}};
    /// Memory and journal over a long run (terminals/net/net_store.hpp): the last copies of each
    /// channel kept for repeat requests (an older serial asked for is answered: gone), finished
    /// cables kept in memory, the journal size past which it is compacted.
    std::size_t keep_copies = 64;
    std::size_t keep_cables = 64;
    std::uint64_t compact_bytes = 4u << 20;
};

struct node_error {
    std::string message;
};

struct node_stats {
    std::uint64_t delivered = 0;       ///< cables delivered here
    std::uint64_t stored = 0;          ///< cables taken off a channel and stored
    std::uint64_t forwarded = 0;       ///< copies acknowledged as stored by the next station
    std::uint64_t duplicates = 0;      ///< serials received again and dropped
    std::uint64_t gaps = 0;            ///< serial gaps found (repeat requests sent)
    std::uint64_t repeats_served = 0;  ///< repeat requests answered
    std::uint64_t preemptions = 0;     ///< transmissions broken off for a higher precedence
    std::uint64_t voided = 0;          ///< cancelled serials received (taken as void)
    std::uint64_t refused = 0;         ///< connections refused or dropped before hello
    std::uint64_t sessions = 0;        ///< sessions established
    std::uint64_t characters_printed = 0;
};

/// A change of state of the sender or the receiver of a channel (link_sender.hpp,
/// link_receiver.hpp).
struct node_transition {
    sim::wall_time at{};       ///< on the node's timer service
    std::string peer;          ///< the neighbour across the channel
    std::string_view machine;  ///< "sender" or "receiver"
    std::string_view from;
    std::string_view to;
    std::string reason;
};

class net_node {
  public:
    /// A node on `io`, waiting on `timers` (which must outlive it).
    static expected<std::unique_ptr<net_node>, node_error> create(boost::asio::io_context& io,
                                                                  sim::timer_service& timers,
                                                                  node_config config);
    /// A node on `io` in real time: its own terminals::asio_timers on `io`.
    static expected<std::unique_ptr<net_node>, node_error> create(boost::asio::io_context& io,
                                                                  node_config config);
    ~net_node();
    net_node(const net_node&) = delete;
    net_node& operator=(const net_node&) = delete;

    /// Listens, dials, files the cables to file. Nothing runs until the io_context does.
    void start();
    /// Files a cable here at run time, as the cables of to_file are at start: checked now (label,
    /// addressees, length, as create() checks to_file), then filed on the node's thread (safe to
    /// call from its handlers). A label the journal already has is not filed again. `done`, if
    /// given, runs on the node's thread once the journal has the cable on disk (true), or the
    /// label was filed before (false), or with the error that stopped the node.
    expected<void, node_error> file(net_cable c,
                                    std::function<void(expected<bool, node_error>)> done = {});
    /// Closes every connection, stops timers and listening; io.run() then returns.
    void stop();

    /// Takes a connected stream as a session (the TCP acceptor and dialler use this; tests pass
    /// in-memory streams). `initiator`: this side said hello first, expecting `expected_peer`.
    void adopt(std::unique_ptr<byte_stream> stream, bool initiator,
               const std::string& expected_peer);

    [[nodiscard]] std::uint16_t port() const;
    [[nodiscard]] std::uint16_t printer_port() const;
    [[nodiscard]] const node_stats& stats() const noexcept;
    [[nodiscard]] const net_store& store() const noexcept;
    [[nodiscard]] const node_config& config() const noexcept;
    /// Copies still to be acknowledged as stored by the next station.
    [[nodiscard]] std::size_t outstanding() const;
    /// The node stopped on an error it cannot go on from (a journal that cannot be written).
    [[nodiscard]] bool failed() const noexcept;

    /// Called once when the node stops (stop(), a signal, or a fatal error).
    void on_stop(std::function<void()> f);
    /// Log lines ("WHR: …"); default: standard error.
    void on_log(std::function<void(const std::string&)> f);
    /// A cable delivered here (after it is on disk).
    void on_delivered(std::function<void(const net_cable&)> f);
    /// Each code printed here at a destination: the cable's label, its index and the code.
    void on_printed(std::function<void(const std::string&, std::uint32_t, std::uint8_t)> f);
    /// Each code put on the wire: peer, serial, index (for the latency benchmark).
    void on_sent(std::function<void(const std::string&, std::uint32_t, std::uint32_t)> f);
    /// Each change of state of a channel's sender or receiver.
    void on_transition(std::function<void(const node_transition&)> f);

    class impl;

  private:
    struct token {  // create() alone makes nodes
        explicit token() = default;
    };

  public:
    net_node(token, std::shared_ptr<impl> p) : impl_(std::move(p)) {}

  private:
    std::shared_ptr<impl> impl_;
};

}  // namespace hakto::terminals
