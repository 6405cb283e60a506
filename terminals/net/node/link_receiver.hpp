#pragma once
// The receiver of one channel: the neighbour's direction of the circuit to this node, as an
// explicit state machine.
//
//   idle       --begin of the next serial-->                  receiving
//   idle       --begin of a serial stored before (a duplicate: acknowledged as stored at once),
//                or past a gap (a repeat request, INT ZDK, asked once)-->   skipping
//   receiving  --end: length and checksum right-->            finishing
//   finishing  --the printer has printed it whole: stored-->  idle
//   receiving, finishing  --end with a wrong length or checksum (INT ZDK for it)-->  idle
//   skipping   --end of the message skipped-->                idle
//   receiving, finishing, skipping  --a new begin, the connection lost-->  idle
//   receiving  --cancel of the serial (a higher precedence pre-empts it): the break printed,
//                the serial taken as void-->                  idle
//
// The printer prints a character when it arrives and at most one a character time
// (print(k) = max(arrival(k), print(k - 1) + one character); a quarter of a character of slack
// absorbs the network's and the timers' jitter), and acknowledges what it printed: every
// character when paced, every 1024 otherwise, and always the last. A sender past the window it
// promised is cut off. A cable printed whole goes to the journal; "stored" is acknowledged once
// it is on disk (terminals/net/node/node_durability.hpp).
//
// The receiving operator and his key tape reader belong to the channel, from message to message,
// as on a real circuit (and as sim::circuit keeps them). Time is the node's timer service.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/wire/wire_frame.hpp"
#include "sim/crypto/crypto.hpp"
#include "terminals/net/net_timer.hpp"
#include "terminals/net/node/node_context.hpp"

namespace hakto::terminals {

class node_durability;
class node_link;

class link_receiver {
  public:
    enum class state : std::uint8_t { idle, receiving, finishing, skipping };

    link_receiver(node_context& ctx, node_host& host, node_durability& durability, node_link& link,
                  const node_peer& peer);
    link_receiver(const link_receiver&) = delete;
    link_receiver& operator=(const link_receiver&) = delete;

    /// The far end's key tape for this circuit (on-line encryption).
    void use_tape(sim::key_tape tape) { tape_.emplace(std::move(tape)); }

    void on_begin(protocol::wire::begin b);
    void on_data(protocol::wire::data d);
    void on_end(const protocol::wire::end& e);
    /// The message on the line is broken off for a higher precedence (or a cancelled serial is
    /// announced again): nothing of it is delivered; the serial is taken as void.
    void on_cancel(const protocol::wire::cancel& c);
    /// The connection went, or a new one replaced it: a message being received is broken off
    /// (the sender sends it again).
    void reset(std::string_view reason);
    /// The node stops: no timer left.
    void stop() { print_.cancel(); }

    [[nodiscard]] state current() const noexcept { return machine_.current(); }
    [[nodiscard]] const state_machine<state>& machine() const noexcept { return machine_; }

    static std::string_view name(state s) noexcept;

  private:
    /// The message being received (receiving, finishing) or skipped (skipping).
    struct message {
        protocol::wire::begin b;
        std::vector<std::uint8_t> codes;  ///< as received
        std::vector<std::uint8_t> plain;  ///< as printed
        std::uint32_t printed = 0, acked = 0;
        bool local = false;  ///< addressed here: to the page printer
        bool decrypting = false;
        sim::wall_time next_print{};
        sim::wall_time last_print{};
    };

    static bool legal(state from, state to) noexcept;
    [[nodiscard]] bool taking() const noexcept {
        return current() == state::receiving || current() == state::finishing;
    }
    [[nodiscard]] std::uint32_t receive_limit() const;
    void place_key_reader(const protocol::wire::begin& b);
    void print_due();
    void print_code(std::uint8_t code);
    void store();
    /// Asks for serials [first, last] again (INT ZDK), once for a gap that starts at `first`.
    void ask_repeat(std::uint32_t first, std::uint32_t last, std::string_view why);
    /// The printer port's mark of a message broken off.
    void print_break(const std::string& label);

    node_context& ctx_;
    node_host& host_;
    node_durability& durability_;
    node_link& link_;
    std::string peer_;
    state_machine<state> machine_;
    message msg_;
    std::uint32_t skip_ = 0;        ///< the serial skipped
    std::uint32_t asked_from_ = 0;  ///< a repeat request already sent for serials from here
    sim::wall_duration frame_{};    ///< one character at the paced speed
    protocol::teletype_decoder page_;
    std::optional<sim::key_tape> tape_;
    std::optional<sim::resync_receiver> decrypt_;  ///< a noisy line: the operator walks the tape
    std::optional<sim::key_reader> reader_;        ///< a clean line: read in step
    scoped_timer print_;
};

}  // namespace hakto::terminals
