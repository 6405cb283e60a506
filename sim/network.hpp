#pragma once
// A network built from a scenario: one store-and-forward relay per station, one modelled
// circuit per direction of each scenario circuit (line timing, noise, on-line crypto), and the
// cables that cross it. A relay forwards the copy it received, so garbles made on one circuit
// travel on, as a reperforated tape did.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/circuit.hpp"
#include "sim/engine.hpp"
#include "sim/noise.hpp"
#include "sim/relay.hpp"
#include "sim/scenario.hpp"

namespace hakto::sim {

struct network_options {
    bool noise = true;   ///< apply the scenario's noise models
    bool crypto = true;  ///< apply the scenario's on-line encryption
    /// Keep the codes sent and received for each delivered cable (off for bulk runs).
    bool keep_codes = true;
    /// Tell the observer about each character as it arrives (one engine event a character).
    bool character_events = false;
    /// Keep a delivered_cable (with its hops) for every delivery: deliveries(),
    /// speed_of_service_report(). Off for bulk runs, which keep only totals().
    bool keep_deliveries = true;
    /// Log every change of state of every circuit (circuit::log()); off for bulk runs.
    bool circuit_logs = true;
    relay_options relaying{};
};

/// One crossing of one circuit.
struct hop_record {
    std::string from, to, circuit;
    channel_serial serial = 0;
    sim_time start{};    ///< first character on the line
    sim_time arrived{};  ///< last character at the far end
    std::uint32_t attempts = 1;
    transmission_counters counters;
};

struct delivered_cable {
    cable_id id = 0;
    std::string label;  ///< "HAKTO 12"
    std::string origin, destination;
    protocol::precedence prec = protocol::precedence::routine;
    sim_time filed{};
    sim_time delivered{};
    std::vector<protocol::code> sent;      ///< as filed (keep_codes)
    std::vector<protocol::code> received;  ///< as printed at the destination (keep_codes)
    std::vector<hop_record> hops;
    transmission_counters counters;  ///< summed over the hops
    std::uint64_t garbled = 0;       ///< received codes that differ from the ones sent
    [[nodiscard]] sim_duration elapsed() const { return delivered - filed; }
    [[nodiscard]] bool met_objective() const;
};

/// Speed of service of one precedence, summed over the deliveries.
struct precedence_summary {
    std::uint64_t delivered = 0;
    std::uint64_t met = 0;       ///< within the handling objective
    double elapsed_seconds = 0;  ///< sum, filing to delivery
    sim_duration worst{};
    [[nodiscard]] double mean_seconds() const {
        return delivered ? elapsed_seconds / static_cast<double>(delivered) : 0.0;
    }
};

/// What every delivery added up to, kept whether or not deliveries() are kept.
struct delivery_totals {
    std::uint64_t cables = 0;      ///< copies delivered (one per addressee)
    std::uint64_t characters = 0;  ///< codes printed at the destinations
    /// Of them, codes that differ from the ones filed at the same place, plus the missing or
    /// extra ones (as delivered_cable::garbled: a character lost shifts the rest of the copy).
    std::uint64_t garbled = 0;
    std::uint64_t garbled_cables = 0;  ///< copies with at least one such code
    /// FNV-1a (64-bit) over the codes of every delivered copy, in the order of delivery.
    std::uint64_t checksum = 0xcbf29ce484222325ULL;
    transmission_counters counters;  ///< summed over the hops of the delivered copies
    std::array<precedence_summary, protocol::precedence_levels> by_precedence{};
};

/// A character crossing a circuit (character_events).
struct character_event {
    cable_id cable = 0;
    std::string_view circuit, from, to;
    std::uint64_t index = 0;  ///< in the transmission
    sim_time left{}, arrived{};
    protocol::code sent = 0, on_line = 0, delivered = 0;  ///< delivered: no_code if lost
};

struct transmission_event {
    cable_id cable = 0;
    std::string_view circuit, from, to;
    channel_serial serial = 0;
    const line_transmission* line = nullptr;
    bool resend = false;
};

struct interruption_event {
    cable_id cable = 0;
    std::string_view circuit, from, to;
    sim_time at{};
    std::uint64_t characters_through = 0;
};

/// Renderers (the replay, the exhibit) watch the network through this.
class network_observer {
  public:
    virtual ~network_observer() = default;
    virtual void filed(cable_id, const std::string& /*label*/, const std::string& /*origin*/,
                       sim_time) {}
    virtual void transmission_started(const transmission_event&) {}
    virtual void interrupted(const interruption_event&) {}
    virtual void character(const character_event&) {}
    virtual void arrived(cable_id, const std::string& /*station*/, sim_time) {}
    virtual void delivered(const delivered_cable&) {}
    virtual void serial_finding(const std::string& /*station*/, const std::string& /*channel*/,
                                const serial_finding&) {}
};

/// `length` codes of plausible page copy (words of capital letters, spaces, CR CR LF line ends
/// at most 69 columns apart), starting with LTRS: the synthetic traffic of the generators.
std::vector<protocol::code> synthetic_page_copy(xoshiro256ss& rng, std::size_t length);

/// A cable handed in at its origin station.
struct filing {
    std::string label;
    std::string origin;                   ///< station id
    std::vector<std::string> addressees;  ///< routing indicators
    protocol::precedence prec = protocol::precedence::routine;
    sim_time filed{};
    std::vector<protocol::code> codes;  ///< the line codes (protocol::cable_line_codes)
};

struct network_error {
    std::string message;
};

class network {
  public:
    /// Builds stations, circuits and routes; the engine must outlive the network.
    static expected<std::unique_ptr<network>, network_error> build(const scenario& s, engine& e,
                                                                   network_options options = {});
    ~network();
    network(const network&) = delete;
    network& operator=(const network&) = delete;

    void set_observer(network_observer* o) noexcept { observer_ = o; }

    /// Schedules a cable to be filed at its filing time (or now, if that has passed).
    expected<cable_id, network_error> file(filing f);
    /// Starts the scenario's traffic generators (synthetic cables of random text).
    void start_traffic();

    [[nodiscard]] const std::vector<delivered_cable>& deliveries() const noexcept {
        return deliveries_;
    }
    [[nodiscard]] std::uint64_t delivered_count() const noexcept { return delivered_count_; }
    [[nodiscard]] std::uint64_t filed_count() const noexcept { return filed_count_; }
    /// Counters and speed of service over every delivery so far.
    [[nodiscard]] const delivery_totals& totals() const noexcept { return totals_; }
    /// Totals over every circuit direction.
    [[nodiscard]] transmission_counters line_totals() const;
    [[nodiscard]] std::size_t station_count() const noexcept;
    [[nodiscard]] const relay& station_relay(std::string_view id) const;
    /// Every direction of every circuit: "trans-pacific WTE10>WHR".
    [[nodiscard]] std::vector<std::string> circuit_directions() const;
    [[nodiscard]] const circuit* direction(std::string_view circuit_id,
                                           std::string_view from) const;
    /// Serial gaps and duplicates found on incoming channels, in order.
    [[nodiscard]] const std::vector<std::pair<std::string, serial_finding>>& serial_findings()
        const noexcept {
        return serial_findings_;
    }
    /// Speed of service of every delivered cable, as a table.
    [[nodiscard]] std::string speed_of_service_report() const;

  private:
    struct station;
    struct direction_link;
    network(engine& e, network_options options);
    void arrive(std::size_t station_index, cable c,
                std::shared_ptr<const std::vector<protocol::code>> codes, const direction_link* via,
                channel_serial serial, std::vector<hop_record> hops,
                transmission_counters counters);
    void observe_serial(std::size_t station_index, const direction_link& via,
                        channel_serial serial);
    void deliver(std::size_t station_index, const cable& c,
                 const std::vector<protocol::code>& codes, std::vector<hop_record> hops,
                 transmission_counters counters);
    /// Hop records are kept for deliveries() and the observer only.
    [[nodiscard]] bool recording_hops() const noexcept {
        return options_.keep_deliveries || observer_ != nullptr;
    }

    engine& engine_;
    network_options options_;
    network_observer* observer_ = nullptr;
    std::vector<std::unique_ptr<station>> stations_;
    std::unordered_map<std::string, std::size_t> station_index_;  // id -> stations_
    struct cable_info {
        std::string label;
        std::string origin;
        std::shared_ptr<const std::vector<protocol::code>> sent;
        std::uint32_t open_copies = 0;  ///< addressees not yet delivered
    };
    std::unordered_map<cable_id, cable_info> cables_;
    std::vector<delivered_cable> deliveries_;
    std::vector<std::pair<std::string, serial_finding>> serial_findings_;
    struct generator {
        traffic_spec spec;
        std::unique_ptr<xoshiro256ss> rng;
        std::uint64_t made = 0;
    };
    std::vector<generator> generators_;
    void generate(std::size_t g);
    cable_id next_id_ = 1;
    std::uint64_t delivered_count_ = 0, filed_count_ = 0;
    delivery_totals totals_;
};

}  // namespace hakto::sim
