#pragma once
// A store-and-forward relay station (ACP 127 tape relay, modelled as a queueing station).
//
//  * Each accepted cable is routed by its routing indicators (longest prefix, then the default
//    route) to one or more outgoing circuits; a routing indicator nothing matches is reported and
//    the cable is held, not dropped.
//  * Each outgoing circuit sends one cable at a time from its queue: highest precedence first,
//    FIFO by original arrival within a precedence.
//  * FLASH and EMERGENCY COMMAND traffic interrupts a lower-precedence cable on the line
//    (protocol::preempts). The interrupted cable goes back to its original place in its level and
//    is later sent again in full (tape relay), or, if so configured, continues where it stopped.
//  * Every transmission on a circuit carries the next 3-digit channel serial (FL1); a
//    channel_serial_checker on the receiving side reports gaps and repeats.
//  * Speed of service (filing to delivery) is kept per cable and checked against the handling
//    objective of its precedence.
// The line itself is behind circuit_link: the relay asks it how long a transmission takes and tells
// it when one is delivered or cut off.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cable/precedence.hpp"
#include "protocol/text/expected.hpp"
#include "sim/circuit_queue.hpp"
#include "sim/clock.hpp"
#include "sim/engine.hpp"
#include "sim/routing_table.hpp"

namespace hakto::sim {

using cable_id = std::uint64_t;

/// The addressee routing indicators of a cable: up to two held inline, more on the heap.
class routing_indicators {
  public:
    routing_indicators() = default;
    explicit routing_indicators(routing_indicator ri) : size_(1) { inline_[0] = ri; }
    routing_indicators(std::initializer_list<routing_indicator> ris) {
        assign(ris.begin(), ris.end());
    }
    routing_indicators(const routing_indicators& o) { assign(o.begin(), o.end()); }
    routing_indicators(routing_indicators&& o) noexcept { take(o); }
    routing_indicators& operator=(const routing_indicators& o) {
        if (this != &o) assign(o.begin(), o.end());
        return *this;
    }
    routing_indicators& operator=(routing_indicators&& o) noexcept {
        if (this != &o) take(o);
        return *this;
    }
    ~routing_indicators() = default;

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    routing_indicator* data() noexcept { return heap_ ? heap_.get() : inline_.data(); }
    const routing_indicator* data() const noexcept { return heap_ ? heap_.get() : inline_.data(); }
    routing_indicator* begin() noexcept { return data(); }
    routing_indicator* end() noexcept { return data() + size_; }
    const routing_indicator* begin() const noexcept { return data(); }
    const routing_indicator* end() const noexcept { return data() + size_; }
    routing_indicator& operator[](std::size_t i) noexcept { return data()[i]; }
    const routing_indicator& operator[](std::size_t i) const noexcept { return data()[i]; }
    const routing_indicator& front() const noexcept { return data()[0]; }

    void clear() noexcept { size_ = 0; }
    void push_back(routing_indicator ri) {
        if (size_ == capacity_) reserve(std::size_t{capacity_} * 2);
        data()[size_++] = ri;
    }
    template <class It>
    void assign(It first, It last) {
        const auto n = static_cast<std::size_t>(std::distance(first, last));
        reserve(n);
        routing_indicator* out = data();
        for (; first != last; ++first) *out++ = *first;
        size_ = static_cast<std::uint32_t>(n);
    }

    friend bool operator==(const routing_indicators& a, const routing_indicators& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

  private:
    static constexpr std::uint32_t inline_capacity = 2;
    void reserve(std::size_t n) {
        if (n <= capacity_) return;
        auto bigger = std::make_unique<routing_indicator[]>(n);
        std::copy(begin(), end(), bigger.get());
        heap_ = std::move(bigger);
        capacity_ = static_cast<std::uint32_t>(n);
    }
    void take(routing_indicators& o) noexcept {
        if (o.heap_) {
            heap_ = std::move(o.heap_);
            capacity_ = o.capacity_;
        } else {
            // One element at a time: a 16-byte copy of the array would wait for the 8-byte
            // stores that filled it (store forwarding).
            routing_indicator* out = data();
            for (std::uint32_t k = 0; k < o.size_; ++k) out[k] = o.inline_[k];
        }
        size_ = o.size_;
        o.size_ = 0;
        o.capacity_ = inline_capacity;
    }

    std::array<routing_indicator, inline_capacity> inline_{};
    std::unique_ptr<routing_indicator[]> heap_;
    std::uint32_t size_ = 0;
    std::uint32_t capacity_ = inline_capacity;
};

/// A cable as a relay sees it: what routing and queueing need, not the full parse of the message.
struct cable {
    cable_id id = 0;
    protocol::precedence prec = protocol::precedence::routine;
    routing_indicators ris;                   ///< addressee routing indicators (FL2)
    sim_time filed{};                         ///< filing time: speed of service starts here
    std::uint32_t length_chars = 0;           ///< characters on the line, format lines included
    std::shared_ptr<const std::string> text;  ///< optional
};

// ---------------------------------------------------------------------------------------------
// Channel serials (ACP 127 FL1: channel designator and a 3-digit serial per transmission)

/// 001 to 999, then 001 again.
using channel_serial = std::uint16_t;
inline constexpr channel_serial max_channel_serial = 999;
constexpr channel_serial next_channel_serial(channel_serial s) {
    return s >= max_channel_serial ? channel_serial{1} : static_cast<channel_serial>(s + 1);
}

enum class serial_verdict {
    in_sequence,
    gap,        ///< serials skipped: that many transmissions are missing
    duplicate,  ///< a serial already received (a repeat)
    invalid,    ///< 000 or more than 999
};

std::string_view to_string(serial_verdict v);

struct serial_finding {
    serial_verdict verdict = serial_verdict::in_sequence;
    channel_serial expected = 1;
    channel_serial received = 1;
    std::uint16_t missing = 0;  ///< for a gap: the serials expected .. received-1
    friend bool operator==(const serial_finding&, const serial_finding&) = default;
};

/// Receiving side of one channel. A serial up to 499 ahead of the expected one is a gap (the
/// skipped ones are missing); one of the last 499 serials already passed (received or reported
/// missing) is a duplicate and leaves the expected serial alone.
class channel_serial_checker {
  public:
    explicit channel_serial_checker(channel_serial first_expected = 1)
        : expected_(first_expected) {}

    serial_finding observe(channel_serial s);
    channel_serial expected() const noexcept { return expected_; }
    /// Serials taken in sequence or after a gap (duplicates and invalid ones not counted).
    std::uint64_t received() const noexcept { return received_; }
    /// Every finding that was not in_sequence, in order.
    const std::vector<serial_finding>& findings() const noexcept { return findings_; }

  private:
    channel_serial expected_;
    std::uint64_t received_ = 0;
    std::uint64_t passed_ = 0;  // serials received or found missing so far
    std::vector<serial_finding> findings_;
};

// ---------------------------------------------------------------------------------------------
// The line, as the relay sees it

struct transmission {
    circuit_id circuit = 0;
    channel_serial serial = 0;
    cable_id cable = 0;
    protocol::precedence prec = protocol::precedence::routine;
    std::uint32_t length_chars = 0;  ///< the whole cable
    sim_time start{};
    bool resend = false;  ///< the cable was interrupted before
};

class circuit_link {
  public:
    virtual ~circuit_link() = default;
    /// A transmission starts: how long until its last character has left?
    virtual sim_duration transmit(const transmission& t) = 0;
    /// The last character of `t` has gone: the far end has cable `c`.
    virtual void delivered(const transmission& t, const cable& c) {
        (void)t;
        (void)c;
    }
    /// `t` was cut off by higher-precedence traffic after `sent` of line time.
    virtual void interrupted(const transmission& t, sim_duration sent) {
        (void)t;
        (void)sent;
    }
    /// Under resend_mode::resume only: `t` continues with `remaining` line time still to go.
    virtual void resumed(const transmission& t, sim_duration remaining) {
        (void)t;
        (void)remaining;
    }
};

/// Line time = characters × character time (e.g. 163 ms at 60 wpm).
class char_time_link final : public circuit_link {
  public:
    explicit char_time_link(sim_duration per_char) : per_char_(per_char) {}
    sim_duration transmit(const transmission& t) override {
        return per_char_ * static_cast<std::int64_t>(t.length_chars);
    }

  private:
    sim_duration per_char_;
};

// ---------------------------------------------------------------------------------------------
// Statistics and the speed-of-service report

struct precedence_stats {
    std::uint64_t delivered = 0;
    /// Sums over the delivered cables, in nanoseconds (exact up to 2^53 ns, about 104 days):
    double wait_ns = 0;         ///< arrival at the station -> first start on the line
    double response_ns = 0;     ///< arrival at the station -> delivery
    double mean_wait() const {  ///< seconds
        return delivered ? wait_ns * 1e-9 / static_cast<double>(delivered) : 0;
    }
    double mean_response() const {  ///< seconds
        return delivered ? response_ns * 1e-9 / static_cast<double>(delivered) : 0;
    }
};

struct circuit_stats {
    std::array<precedence_stats, protocol::precedence_levels> by_precedence{};
    std::uint64_t transmissions = 0;  ///< started, interrupted ones included
    std::uint64_t preemptions = 0;
    sim_duration busy{};  ///< line time used, time lost to interruptions included
    const precedence_stats& operator[](protocol::precedence p) const {
        return by_precedence[static_cast<std::size_t>(p)];
    }
    std::uint64_t delivered() const;
};

/// One cable (or one circuit's copy of it) delivered.
struct cable_record {
    cable_id cable = 0;
    protocol::precedence prec = protocol::precedence::routine;
    circuit_id circuit = 0;
    channel_serial serial = 0;   ///< of the transmission that delivered it
    std::uint32_t attempts = 0;  ///< transmissions started, the delivering one included
    sim_time filed{};
    sim_time arrived{};      ///< at this station
    sim_time first_start{};  ///< first character on the line
    sim_time delivered{};    ///< last character off the line
};

struct unroutable_report {
    cable_id cable = 0;
    routing_indicator ri;
    sim_time at{};
};

struct speed_of_service_entry {
    cable_id cable = 0;
    protocol::precedence prec = protocol::precedence::routine;
    std::string circuit;
    sim_time filed{};
    sim_time delivered{};
    sim_duration elapsed{};
    std::chrono::seconds objective{};
    bool met = false;
};

struct speed_of_service_summary {
    protocol::precedence prec = protocol::precedence::routine;
    std::size_t cables = 0;
    std::size_t met = 0;
    sim_duration mean_elapsed{};
    sim_duration worst{};
};

struct speed_of_service_report {
    std::string station;
    std::vector<speed_of_service_entry> entries;    ///< in delivery order
    std::vector<speed_of_service_summary> summary;  ///< highest precedence first; used levels only
    std::size_t met() const;
};

/// A fixed-width table: one line per cable, then one per precedence.
std::string render(const speed_of_service_report& report);

// ---------------------------------------------------------------------------------------------
// The relay

enum class resend_mode {
    restart,  ///< an interrupted cable is sent again in full (tape relay)
    resume,   ///< it continues where it stopped
};

struct relay_options {
    resend_mode interrupted = resend_mode::restart;
    bool keep_records =
        true;  ///< keep a cable_record per delivery (for the speed-of-service report)
};

enum class relay_error {
    no_routing_indicator,  ///< the cable names no addressee
    unknown_channel,       ///< receive() on a channel never opened with add_incoming()
};

std::string_view to_string(relay_error e);

class relay {
  public:
    relay(engine& e, std::string station, relay_options options = {});
    relay(const relay&) = delete;  // events hold a pointer to the relay
    relay& operator=(const relay&) = delete;
    /// Must run before the engine's destructor (the relay's timers live in the engine).
    ~relay();

    /// Adds an outgoing circuit; `designator` is its FL1 channel designator (e.g. "ABA").
    circuit_id add_circuit(std::string designator, std::unique_ptr<circuit_link> link);
    routing_table& routes() noexcept { return routes_; }
    const routing_table& routes() const noexcept { return routes_; }

    /// Takes a cable in at the engine's current time. Returns the number of outgoing circuits it
    /// was queued on; routing indicators that match no route are reported (unroutable()) and the
    /// cable is held for them (held()).
    expected<std::uint32_t, relay_error> accept(cable c);
    /// Offers the held cables to the routing table again (after routes were added). Returns how
    /// many went out on at least one circuit; what still matches no route is reported again.
    std::size_t retry_held();

    /// Opens an incoming channel whose serials are checked.
    void add_incoming(std::string designator, channel_serial first_expected = 1);
    struct received {
        serial_finding serial;
        std::uint32_t queued = 0;
    };
    /// A cable arrives on an incoming channel with transmission serial `s`: the serial is checked,
    /// then the cable is accepted.
    expected<received, relay_error> receive(std::string_view channel, channel_serial s, cable c);
    const channel_serial_checker* incoming(std::string_view channel) const;

    const std::string& station() const noexcept { return station_; }
    std::size_t circuit_count() const noexcept { return circuits_.size(); }
    const std::string& designator(circuit_id c) const { return circuits_[c]->designator; }
    const circuit_stats& stats(circuit_id c) const { return circuits_[c]->stats; }
    std::size_t queued(circuit_id c) const { return circuits_[c]->queue.size(); }
    /// The cable on the line, if any.
    std::optional<cable_id> on_line(circuit_id c) const;
    /// Queued cables in the order they will go.
    std::vector<cable_id> queue_order(circuit_id c) const;
    /// Serial of the last transmission started on the circuit (0: none yet).
    channel_serial last_serial(circuit_id c) const { return circuits_[c]->serial; }
    /// Starts the circuit's serials again at 001 (e.g. a new radio day).
    void reset_channel_serial(circuit_id c) { circuits_[c]->serial = 0; }

    std::span<const cable_record> records() const noexcept { return records_; }
    std::span<const unroutable_report> unroutable() const noexcept { return unroutable_; }
    std::span<const cable> held() const noexcept { return held_; }
    speed_of_service_report speed_of_service() const;

  private:
    static constexpr std::uint32_t none = 0xFFFF'FFFFu;

    struct job {
        cable c;
        sim_time arrived{};
        sim_time first_start{};
        sim_duration remaining{};  // resume mode: line time left after an interruption
        std::uint64_t seq = 0;
        std::uint32_t attempts = 0;  // transmissions started
        channel_serial serial = 0;
        bool resuming = false;  // resume mode: the next stretch continues the cut transmission
        std::uint32_t next_free = none;
    };
    struct circuit_state {
        std::string designator;
        std::unique_ptr<circuit_link> link;
        circuit_queue queue;
        std::uint32_t on_line = none;                                    // job
        job* line_job = nullptr;                                         // that job
        protocol::precedence line_prec = protocol::precedence::routine;  // its precedence
        sim_time started{};  // start of the current stretch of line time
        sim_time ends{};
        timer done;  // end of the transmission on the line
        transmission tx;
        channel_serial serial = 0;  // last used
        circuit_stats stats;
    };
    struct incoming_channel {
        std::string designator;
        channel_serial_checker checker;
    };

    static constexpr std::uint32_t job_chunk_bits = 6;
    job& job_at(std::uint32_t i) noexcept {
        return job_chunks_[i >> job_chunk_bits][i & ((1u << job_chunk_bits) - 1)];
    }
    const job& job_at(std::uint32_t i) const noexcept {
        return job_chunks_[i >> job_chunk_bits][i & ((1u << job_chunk_bits) - 1)];
    }
    void grow_jobs();
    expected<std::uint32_t, relay_error> accept_split(cable c);
    void hold(cable c, std::span<const routing_indicator> unknown);
    void enqueue(circuit_id cid, cable&& c);
    void start(circuit_state& cs, circuit_id cid, std::uint32_t j);
    void start_next(circuit_state& cs, circuit_id cid);
    static void describe(transmission& tx, circuit_id cid, const job& jb, sim_time now,
                         bool resend);
    void interrupt(circuit_state& cs, circuit_id cid);
    void finish(circuit_state& cs, circuit_id cid);

    engine& engine_;
    std::string station_;
    relay_options options_;
    // protocol::preempts(incoming, on_line) for every pair, looked up on each arrival.
    std::array<std::array<bool, protocol::precedence_levels>, protocol::precedence_levels>
        preempts_{};
    routing_table routes_;
    std::vector<std::unique_ptr<circuit_state>> circuits_;
    std::vector<std::unique_ptr<job[]>> job_chunks_;  // chunks never move
    std::uint32_t free_jobs_ = none;                  // list through job::next_free
    std::uint64_t next_seq_ = 0;
    std::vector<cable_record> records_;
    std::vector<unroutable_report> unroutable_;
    std::vector<cable> held_;
    std::vector<incoming_channel> incoming_;
};

}  // namespace hakto::sim
