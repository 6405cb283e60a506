#pragma once
// One direction of a teletype circuit, as an explicit state machine.
//
// States: idle (the line rests on mark), transmitting, interrupted, out_of_service. Every change
// of state is logged with its time, the state left, the state entered and a reason.
//
//   idle            --transmit-->            transmitting
//   transmitting    --(last frame ends)-->   idle
//   transmitting    --interrupt-->           interrupted
//   interrupted     --transmit-->            transmitting   (e.g. the traffic that interrupted)
//   interrupted     --clear-->               idle
//   idle, transmitting, interrupted --take_out_of_service--> out_of_service
//   out_of_service  --restore-->             idle
//
// The circuit has no clock of its own: every operation takes the current simulated time, and
// times must not go backwards from one operation to the next. A transmission's end is logged
// (transmitting -> idle at the time the last frame ends) by the first operation, or advance(),
// at or after that time.
//
// A transmission sends a sequence of line codes back to back from time t; its timing is closed
// form (sim/line_profile.hpp): frame k leaves the sender at t + round(k × frame time) and arrives
// at the far end a propagation delay later. The codes go, in order, through:
//   encryption (optional): the sender's key reader, one key code per line code
//   (sim/crypto/crypto.hpp); the line: the noise model on the elements and the element-level
//   receiver (sim/noise.hpp); decryption (optional): the receiver's key reader, one key code per
//   character received, with the receiving operator walking the tape back into step after a slip.
// So a frame lost on the line puts the far end's key reader one character behind: the
// following text is garbage until the operator walks the tape.
//
// Interruptions. interrupt() stops a transmission at a character boundary: the character in
// progress is completed (a transmitter-distributor stops between characters), the rest is not
// sent. take_out_of_service() during a transmission cuts the line at once: only the characters
// whose last element had left get through. Either way the far end is recomputed as if the line
// had gone to mark after the last character sent. The key reserved for the characters not sent
// is discarded at both ends (the sender's reader stays past it, the receiver's is moved past
// it), so both ends stay in step; key is never reused.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/clock.hpp"
#include "sim/crypto/crypto.hpp"
#include "sim/line_profile.hpp"
#include "sim/noise.hpp"

namespace hakto::sim {

/// On-line encryption on a circuit: the key tape copy and start position at each end.
struct crypto_setup {
    key_tape sender_tape;
    key_tape receiver_tape;
    std::size_t sender_position = 0;
    std::size_t receiver_position = 0;
    /// How the receiving operator notices a slip and walks the tape; nullopt: never walks.
    std::optional<resync_params> resync = resync_params{};
};

struct circuit_config {
    std::string name;
    line_profile profile;  ///< default: 60 wpm
    sim_duration propagation_delay{0};
    std::optional<noise_config> noise;   ///< nullopt: a noiseless line
    std::optional<crypto_setup> crypto;  ///< nullopt: plain text on the line
    bool keep_log = true;                ///< log every change of state (log()); off for bulk runs
};

enum class circuit_error_kind : std::uint8_t {
    invalid_config,
    busy,  ///< transmitting, or still finishing the character in progress
    out_of_service,
    not_transmitting,     ///< interrupt with nothing on the line
    not_interrupted,      ///< clear when not interrupted
    in_service,           ///< restore when not out of service
    time_went_backwards,  ///< an operation earlier than the previous one
    key_refused,          ///< the sender's key tape refused (reuse or exhausted)
};

std::string_view circuit_error_kind_name(circuit_error_kind k) noexcept;

struct circuit_error {
    circuit_error_kind kind = circuit_error_kind::invalid_config;
    std::string message;
    std::optional<key_error> key;  ///< set for key_refused
};

/// What a transmission counted.
struct transmission_counters {
    line_counters line;               ///< elements and frames, as the line carried them
    std::uint64_t plain_garbled = 0;  ///< delivered (decrypted) code ≠ sent code, lost not counted
    std::uint64_t resyncs = 0;        ///< tape walks by the receiving operator

    transmission_counters& operator+=(const transmission_counters& o) noexcept;
    friend bool operator==(const transmission_counters&, const transmission_counters&) = default;
};

/// The result of sending a sequence of line codes.
struct line_transmission {
    std::uint64_t serial = 0;  ///< 1 for the circuit's first transmission
    sim_time start{};          ///< frame 0 starts leaving the sender
    sim_duration propagation_delay{0};
    line_profile profile;
    std::vector<code> sent;     ///< the line codes handed in
    std::vector<code> on_line;  ///< what went on the line (ciphertext with crypto)
    line_result line;           ///< the far-end receiver's reading of the line (ciphertext)
    /// One slot per sent frame: the code delivered to the printer (decrypted), or no_code.
    std::vector<code> delivered;
    std::vector<resync_event> resyncs;
    transmission_counters counters;

    [[nodiscard]] std::size_t size() const noexcept { return sent.size(); }
    [[nodiscard]] sim_time sender_start(std::uint64_t k) const noexcept;
    [[nodiscard]] sim_time sender_end(std::uint64_t k) const noexcept;
    [[nodiscard]] sim_time arrival_start(std::uint64_t k) const noexcept;
    [[nodiscard]] sim_time arrival_end(std::uint64_t k) const noexcept;
    /// The last frame has left the sender / has arrived at the far end.
    [[nodiscard]] sim_time end() const noexcept;
    [[nodiscard]] sim_time arrival_end() const noexcept;
    /// When the far-end receiver framed the character of a fault (its slipped start).
    [[nodiscard]] sim_time arrival_of(const frame_fault& f) const noexcept;
    /// The delivered codes without the empty slots: what the printer receives.
    [[nodiscard]] std::vector<code> printed() const;
};

/// What an interruption let through.
struct interruption {
    sim_time at{};
    std::uint64_t characters_through = 0;  ///< sent in full
    std::uint64_t characters_cut = 0;      ///< never sent
    sim_time line_free_at{};               ///< the last character sent has left the sender
    line_transmission transmission;        ///< the transmission as it actually went
};

struct circuit_totals {
    std::uint64_t transmissions = 0;  ///< finished or cut
    std::uint64_t interruptions = 0;
    std::uint64_t key_refusals = 0;
    transmission_counters counters;
};

class circuit {
  public:
    enum class state : std::uint8_t { idle, transmitting, interrupted, out_of_service };

    struct transition {
        sim_time at{};
        state from = state::idle;
        state to = state::idle;
        std::string reason;
        friend bool operator==(const transition&, const transition&) = default;
    };

    /// Checks the configuration (the propagation delay and the noise model's). The two crypto
    /// tapes are not required to be one key: different tapes give garbage at the far end.
    static expected<circuit, circuit_error> create(circuit_config config);

    /// Sends `codes` back to back from `now`. Allowed when idle, or interrupted once the
    /// character in progress has left.
    expected<line_transmission, circuit_error> transmit(sim_time now, std::span<const code> codes,
                                                        std::string_view reason = "transmission");
    /// As transmit(), without copying the transmission out: the circuit and the caller share
    /// it (an interruption does not change it; it gives the transmission as it actually went).
    expected<std::shared_ptr<const line_transmission>, circuit_error> send(
        sim_time now, std::span<const code> codes, std::string_view reason = "transmission");
    /// Stops the transmission on the line at `at` (see the header comment).
    expected<interruption, circuit_error> interrupt(sim_time at, std::string_view reason);
    /// Interrupted -> idle: the interrupted traffic is abandoned or will be sent later.
    expected<void, circuit_error> clear(sim_time at, std::string_view reason);
    /// Takes the circuit out of service; a transmission on the line is cut at `at`.
    expected<std::optional<interruption>, circuit_error> take_out_of_service(
        sim_time at, std::string_view reason);
    /// Out of service -> idle.
    expected<void, circuit_error> restore(sim_time at, std::string_view reason);
    /// Logs the end of a transmission that has ended by `now`. Times before the last operation
    /// are ignored.
    void advance(sim_time now);

    /// The state after the last operation (call advance(now) first to see an ended
    /// transmission).
    [[nodiscard]] state current() const noexcept { return state_; }
    /// When the transmission on the line ends at the sender, if one is.
    [[nodiscard]] std::optional<sim_time> busy_until() const noexcept;
    [[nodiscard]] const std::vector<transition>& log() const noexcept { return log_; }
    [[nodiscard]] const circuit_totals& totals() const noexcept { return totals_; }
    [[nodiscard]] const circuit_config& config() const noexcept { return config_; }
    [[nodiscard]] const std::string& name() const noexcept { return config_.name; }
    [[nodiscard]] const line_profile& profile() const noexcept { return config_.profile; }
    /// The key readers' positions (0 without crypto).
    [[nodiscard]] std::size_t sender_key_position() const noexcept;
    [[nodiscard]] std::size_t receiver_key_position() const noexcept;
    /// The line's noise model (noiseless when none was configured), e.g. for its test hook
    /// force_error().
    [[nodiscard]] noise_model& noise() noexcept { return noise_; }

  private:
    explicit circuit(circuit_config config);

    expected<void, circuit_error> check_time(sim_time t);
    void enter(sim_time at, state to, std::string_view reason);
    // Far end of `count` frames of `on_line`, decrypting from `receiver`.
    void far_end(line_transmission& t, std::uint64_t count, resync_receiver* receiver) const;
    interruption cut(sim_time at, std::uint64_t through);
    void finish_current();

    circuit_config config_;
    noise_model noise_;
    std::optional<key_reader> sender_;
    std::optional<resync_receiver> receiver_;
    state state_ = state::idle;
    std::vector<transition> log_;
    std::optional<sim_time> last_time_;
    circuit_totals totals_;
    std::uint64_t serial_ = 0;
    sim_time line_free_at_{};
    // The transmission on the line, and the receiving end as it was before it.
    std::shared_ptr<const line_transmission> current_;
    std::optional<resync_receiver> receiver_before_;
};

/// "idle", "transmitting", "interrupted", "out of service".
std::string_view state_name(circuit::state s) noexcept;

}  // namespace hakto::sim
