#pragma once
// Scenarios: a network (stations, circuits with speed, delay, noise and crypto, routing tables)
// and its traffic (cables with filing times, or traffic generators), written in TOML by hand.
// docs/scenario-format.md describes the format. Every validation error names the file, the
// line and the field.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/clock.hpp"
#include "sim/io/toml_reader.hpp"
#include "sim/line_profile.hpp"
#include "sim/noise.hpp"

namespace hakto::sim {

/// Where a field of a scenario file stands.
using scenario_place = toml_place;

struct route_spec {
    std::string prefix;   ///< routing-indicator prefix; empty = the default route
    std::string circuit;  ///< circuit id
    scenario_place where;
};

enum class station_kind { terminal, relay };

struct station_spec {
    std::string id;                 ///< call sign as in the routing line: "WTE10"
    std::string routing_indicator;  ///< defaults to the id
    std::string name;
    std::string place;
    station_kind kind = station_kind::terminal;
    int utc_offset_hours = 0;  ///< local time, for display
    /// Where the station stands on the globe, in degrees (north and east positive), for the
    /// exhibit's map; absent when the scenario does not say.
    std::optional<double> latitude, longitude;
    std::vector<route_spec> routes;
    scenario_place where;
};

struct crypto_spec {
    std::uint64_t key_seed = 0;
    std::size_t key_length = 1'000'000;  ///< characters of key tape at each end
};

/// A duplex circuit between two stations: two directions, each with its own noise draw and its
/// own pair of key tapes.
struct circuit_spec {
    std::string id;
    std::string a, b;  ///< station ids
    std::string description;
    line_profile profile;
    sim_duration propagation_delay{0};
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
    std::optional<noise_config> noise;  ///< seed is per direction: seed, seed + 1
    std::optional<crypto_spec> crypto;
    scenario_place where;
};

struct cable_spec {
    std::string id;                       ///< "HAKTO 12"
    std::string origin;                   ///< station id
    std::vector<std::string> addressees;  ///< routing indicators
    protocol::precedence prec = protocol::precedence::routine;
    sim_time filed{};
    std::optional<std::string> text;  ///< the page copy itself
    /// The header lines as printed (routing line, precedence and DTG, …), used with the
    /// marked placeholder body when the text itself is not at hand.
    std::optional<std::string> header;
    std::optional<std::string> text_file;       ///< a file with it (relative to the scenario)
    std::optional<std::string> frus_document;   ///< "d143": text from a FRUS TEI file
    std::optional<std::uint32_t> length_chars;  ///< when there is no text: how long it is
    std::string note;
    scenario_place where;
};

struct traffic_spec {
    std::string origin;
    std::vector<std::string> addressees;
    double cables_per_hour = 0;
    /// Share of each precedence, lowest first: R, P, O, Z, Y.
    std::array<double, protocol::precedence_levels> mix{0.60, 0.25, 0.10, 0.05, 0.0};
    std::uint32_t min_chars = 100, max_chars = 1900;
    sim_time start{};
    std::optional<sim_time> end;
    std::optional<std::uint64_t> count;
    std::uint64_t seed = 1;
    scenario_place where;
};

struct scenario {
    std::string name;
    std::string title;
    std::string description;
    sim_time start{};
    std::uint64_t seed = 0;
    std::vector<station_spec> stations;
    std::vector<circuit_spec> circuits;
    std::vector<cable_spec> cables;
    std::vector<traffic_spec> traffic;

    const station_spec* find_station(std::string_view id) const;
    const circuit_spec* find_circuit(std::string_view id) const;
};

/// What is wrong in a scenario file, and where: "file:line:col: circuit[2].speed: unknown speed
/// profile '61wpm'" (the one format of hakto's TOML problems, sim/io/toml_reader.hpp).
using scenario_error = toml_problem;
using scenario_errors = toml_problems;

/// Reads a scenario from TOML text. `file` names it in the errors.
expected<scenario, scenario_errors> load_scenario(std::string_view toml_text,
                                                  std::string_view file);
/// Reads a scenario file.
expected<scenario, scenario_errors> load_scenario_file(const std::string& path);

/// The names of the scenarios built into hakto ("june1972").
std::vector<std::string_view> builtin_scenario_names();
/// A built-in scenario's TOML text; empty if there is none of that name.
std::string_view builtin_scenario_text(std::string_view name);
/// A built-in scenario by name, or a file path.
expected<scenario, scenario_errors> load_named_scenario(const std::string& name_or_path);

}  // namespace hakto::sim
