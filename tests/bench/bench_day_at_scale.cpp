// A day of traffic at scale, at line fidelity: 1,000 stations and 1,000,000 cables through the
// project's own network (sim/network.hpp), engine, relays and modelled circuits, with every
// character of every circuit enciphered on a one-time key tape and every line element exposed to
// noise.
//
// Topology (built as a scenario, sim/scenario.hpp, in memory):
//  * H = 20 hub relays in a full mesh: one trunk circuit between every two hubs (190 trunks).
//    Hub k has the routing indicator "RH" + two letters: RHAA, RHAB, ..., RHAT.
//  * Each hub serves the tributary stations of its area, each on its own circuit: the other
//    stations (980 of 1,000, so 49 a hub), dealt out to the hubs in turn. A tributary's routing
//    indicator is its hub's followed by its number in the area: RHAB01 .. RHAB49.
//  * Routing by routing-indicator prefix: a tributary sends everything to its hub (default route);
//    a hub sends RHABnn to its own tributary (6-letter prefix) and anything else starting with
//    another hub's indicator (4-letter prefix) over the trunk to that hub.
//    So a cable takes 2 hops (same area: tributary > hub > tributary) or 3 (tributary > hub >
//    hub > tributary).
//  * Every circuit: 60 wpm (45.45 baud, 1.42 stop, 163.26 ms a character); propagation 5 ms on
//    tributary circuits, 20 + 3 |i - j| ms on the trunk between hubs i and j.
//  * Noise on the line elements: independent element errors at p = 1e-5 on every circuit, and on
//    every tenth circuit Gilbert–Elliott bursts as well (bad state: element error rate 0.05, mean
//    sojourn 100 elements; one burst every 500,000 elements on average). Each direction has its
//    own seed. The far end reads the elements with the start-stop receiver (sim/noise.hpp).
//  * On-line Vernam encryption on every circuit, each direction its own key tape pair (4 million
//    codes; a punched tape is made from its seed as it is read). The receiving operator walks
//    the tape back into step after a slip (resync_receiver).
//  * Relays forward the copy they received, garbles and all; FLASH preempts lower precedence on a
//    circuit and the interrupted cable is resent in full (ACP 127 tape relay).
//
// Traffic: N = 1,000,000 cables filed over 24 simulated hours, a Poisson stream (exponential
// gaps of 24 h / N) whose cables are handed in at a tributary chosen uniformly; 80 % are
// addressed to another tributary of the same hub area, 20 % to a tributary of another hub;
// precedence 60/25/10/5 % ROUTINE/PRIORITY/IMMEDIATE/FLASH; 50..550 characters (uniform) of
// synthetic page copy (sim::synthetic_page_copy). Cables are filed lazily: each filing arms the
// timer of the next, so the engine never holds more than one future filing.
//
// Loads (each direction, at the defaults): a tributary uplink carries N / 980 cables a day of
// 300 characters on average: 1,020 × 300 × 0.16326 s / 86,400 s = 0.58; a hub's downlink to a
// tributary the same; a trunk 0.2 × 49 × 1,020 / 19 cables a day: 0.30. All below 1.
//
// Prints informative lines, then
//   BENCH day_1000_stations_s <seconds> s          wall time, building the network and the run
//   BENCH day_1000_stations_peak_mib <MiB> MiB     peak resident memory (getrusage ru_maxrss)
// and exits non-zero unless every cable filed was delivered.
//
// Determinism: the same --seed gives the same figures, down to the FNV-1a checksum of every
// delivered copy.
//
//   bench_day_at_scale [--cables N] [--stations N] [--seed S]
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "protocol/cable/precedence.hpp"
#include "sim/engine.hpp"
#include "sim/network.hpp"
#include "sim/noise.hpp"
#include "sim/scenario.hpp"

namespace {

using namespace hakto::sim;
using hakto::protocol::code;
using hakto::protocol::precedence;

constexpr double day_seconds = 86'400.0;
constexpr std::uint32_t min_chars = 50, max_chars = 550;
constexpr double same_area_share = 0.80;
constexpr std::array<double, 4> mix{0.60, 0.25, 0.10, 0.05};  // R, P, O, Z
constexpr std::size_t max_hubs = 20;

struct settings {
    std::uint64_t cables = 1'000'000;
    std::size_t stations = 1'000;
    std::uint64_t seed = 1;
};

struct area {
    std::string ri;                        // the hub's routing indicator
    std::vector<std::string> tributaries;  // their routing indicators (= station ids)
};

struct topology {
    std::vector<area> areas;
    std::vector<std::size_t> area_of;      // tributary -> area
    std::vector<std::string> tributaries;  // all, in station order
    scenario sc;
};

std::string hub_ri(std::size_t k) {
    return fmt::format("RH{}{}", static_cast<char>('A' + k / 26), static_cast<char>('A' + k % 26));
}

topology make_topology(const settings& s, sim_time start) {
    topology t;
    const std::size_t hubs = std::clamp<std::size_t>(s.stations / 3, 1, max_hubs);
    const std::size_t tributaries = s.stations - hubs;
    const std::size_t per_area = (tributaries + hubs - 1) / hubs;
    const int digits = per_area > 99 ? 3 : 2;
    t.areas.resize(hubs);
    for (std::size_t k = 0; k < hubs; ++k) t.areas[k].ri = hub_ri(k);
    for (std::size_t i = 0; i < tributaries; ++i) {
        area& a = t.areas[i % hubs];
        a.tributaries.push_back(fmt::format("{}{:0{}}", a.ri, a.tributaries.size() + 1, digits));
        t.tributaries.push_back(a.tributaries.back());
        t.area_of.push_back(i % hubs);
    }

    scenario& sc = t.sc;
    sc.name = "day";
    sc.title = "a day at scale";
    sc.start = start;
    sc.seed = s.seed;
    std::uint64_t circuit_number = 0;
    auto add_circuit = [&](std::string id, const std::string& a, const std::string& b,
                           sim_duration delay) {
        circuit_spec c;
        c.id = std::move(id);
        c.a = a;
        c.b = b;
        c.propagation_delay = delay;  // profile: 60 wpm by default
        const std::uint64_t n = circuit_number++;
        noise_config noise;
        noise.seed = s.seed * 1'000'003 + 2 * n;  // the second direction takes seed + 1
        noise.independent = independent_errors{1e-5};
        if (n % 10 == 9) noise.bursts = gilbert_elliott{0.0, 0.05, 2e-6, 0.01};
        c.noise = noise;
        c.crypto = crypto_spec{(s.seed << 24) + n, 4'000'000};
        sc.circuits.push_back(std::move(c));
    };
    for (std::size_t k = 0; k < hubs; ++k) {
        station_spec hub;
        hub.id = hub.routing_indicator = t.areas[k].ri;
        hub.kind = station_kind::relay;
        for (const std::string& trib : t.areas[k].tributaries)
            hub.routes.push_back(route_spec{trib, "T-" + trib, {}});
        for (std::size_t j = 0; j < hubs; ++j) {
            if (j == k) continue;
            const std::string& lo = t.areas[std::min(j, k)].ri;
            const std::string& hi = t.areas[std::max(j, k)].ri;
            hub.routes.push_back(route_spec{t.areas[j].ri, fmt::format("K-{}-{}", lo, hi), {}});
        }
        sc.stations.push_back(std::move(hub));
    }
    for (std::size_t i = 0; i < tributaries; ++i) {
        station_spec st;
        st.id = st.routing_indicator = t.tributaries[i];
        st.routes.push_back(route_spec{"", "T-" + t.tributaries[i], {}});
        sc.stations.push_back(std::move(st));
    }
    for (std::size_t i = 0; i < tributaries; ++i)
        add_circuit("T-" + t.tributaries[i], t.areas[t.area_of[i]].ri, t.tributaries[i],
                    std::chrono::milliseconds{5});
    for (std::size_t j = 0; j < hubs; ++j)
        for (std::size_t k = j + 1; k < hubs; ++k)
            add_circuit(fmt::format("K-{}-{}", t.areas[j].ri, t.areas[k].ri), t.areas[j].ri,
                        t.areas[k].ri,
                        std::chrono::milliseconds{20 + 3 * static_cast<std::int64_t>(k - j)});
    return t;
}

/// Files the day's cables one at a time: each filing arms the timer for the next.
class filer {
  public:
    filer(engine& e, network& net, const topology& t, const settings& s)
        : engine_(e),
          net_(net),
          topo_(t),
          rng_(s.seed ^ 0x6461792E66696C65ULL),
          remaining_(s.cables),
          mean_gap_s_(day_seconds / static_cast<double>(s.cables)) {
        next_ = e.make_timer([this] { file_one(); });
    }
    void start() {
        if (remaining_ > 0)
            next_.arm_at(engine_.now() + seconds_to_duration(rng_.exponential(mean_gap_s_)));
    }
    std::uint64_t filed() const { return filed_; }
    std::uint64_t refused() const { return refused_; }
    std::uint64_t characters() const { return characters_; }
    std::uint64_t other_area() const { return other_area_; }
    sim_time last() const { return last_; }
    const std::array<std::uint64_t, 4>& by_precedence() const { return by_prec_; }

  private:
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng_.next() % n); }

    void file_one() {
        const std::size_t origin = below(topo_.tributaries.size());
        const std::size_t home = topo_.area_of[origin];
        const auto& local = topo_.areas[home].tributaries;
        const bool can_stay = local.size() >= 2, can_leave = topo_.areas.size() >= 2;
        const bool stay = can_stay && (!can_leave || rng_.uniform_open() < same_area_share);
        const std::string* to = nullptr;
        if (stay) {
            std::size_t k = below(local.size() - 1);
            if (local[k] == topo_.tributaries[origin]) k = local.size() - 1;  // anyone but itself
            to = &local[k];
        } else {
            std::size_t other = below(topo_.areas.size() - 1);
            if (other >= home) ++other;
            const auto& there = topo_.areas[other].tributaries;
            to = &there[below(there.size())];
            ++other_area_;
        }
        const double u = rng_.uniform_open();
        std::size_t level = 0;
        for (double acc = mix[0]; level + 1 < mix.size() && u > acc; acc += mix[++level]) {
        }
        const std::size_t length = min_chars + below(max_chars - min_chars + 1);
        filing f;
        f.label = fmt::format("DAY {}", filed_ + 1);
        f.origin = topo_.tributaries[origin];
        f.addressees.push_back(*to);
        f.prec = static_cast<precedence>(level);
        f.filed = engine_.now();
        f.codes = synthetic_page_copy(rng_, length);
        characters_ += f.codes.size();
        if (net_.file(std::move(f))) {
            ++filed_;
            ++by_prec_[level];
        } else {
            ++refused_;
        }
        last_ = engine_.now();
        if (--remaining_ > 0)
            next_.arm_at(engine_.now() + seconds_to_duration(rng_.exponential(mean_gap_s_)));
    }

    engine& engine_;
    network& net_;
    const topology& topo_;
    xoshiro256ss rng_;
    timer next_;
    std::uint64_t remaining_;
    double mean_gap_s_;
    std::uint64_t filed_ = 0, refused_ = 0, characters_ = 0, other_area_ = 0;
    std::array<std::uint64_t, 4> by_prec_{};
    sim_time last_{};
};

struct busy_figures {
    double sum = 0, max = 0;
    std::size_t n = 0;
    void add(double x) {
        sum += x;
        max = std::max(max, x);
        ++n;
    }
    double mean() const { return n ? sum / static_cast<double>(n) : 0.0; }
};

void usage() {
    std::fprintf(stderr,
                 "usage: bench_day_at_scale [--cables N] [--stations N] [--seed S]\n"
                 "  --cables N    cables filed over the 24 hours (default 1000000)\n"
                 "  --stations N  stations, hubs included; at least 3 (default 1000: 20 hubs, 980 "
                 "tributaries)\n"
                 "  --seed S      seed of the traffic, noise and key tapes (default 1)\n");
}

double peak_mib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

std::string hms(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

}  // namespace

int main(int argc, char** argv) {
    settings s;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--cables")
            s.cables = std::strtoull(value(), nullptr, 10);
        else if (a == "--stations")
            s.stations = static_cast<std::size_t>(std::strtoull(value(), nullptr, 10));
        else if (a == "--seed")
            s.seed = std::strtoull(value(), nullptr, 10);
        else {
            usage();
            return 2;
        }
    }
    if (s.cables == 0 || s.stations < 3) {
        usage();
        return 2;
    }

    const auto t0 = std::chrono::steady_clock::now();
    const sim_time start = make_sim_time(std::chrono::year{1972} / std::chrono::June / 21);
    const topology topo = make_topology(s, start);
    engine e{start};
    network_options options;
    options.keep_codes = false;
    options.keep_deliveries = false;
    options.circuit_logs = false;
    options.relaying.keep_records = false;
    auto built = network::build(topo.sc, e, options);
    if (!built) {
        std::fprintf(stderr, "bench_day_at_scale: %s\n", built.error().message.c_str());
        return 1;
    }
    network& net = *built.value();
    filer traffic{e, net, topo, s};
    traffic.start();
    const auto t1 = std::chrono::steady_clock::now();
    e.run();
    const auto t2 = std::chrono::steady_clock::now();
    const double wall = std::chrono::duration<double>(t2 - t0).count();
    const double build_s = std::chrono::duration<double>(t1 - t0).count();

    // What the circuits carried, by kind.
    busy_figures uplink, downlink, trunk;
    std::uint64_t preemptions = 0, transmissions = 0, key_refusals = 0, interruptions = 0;
    const double filing_span = std::max(to_seconds(traffic.last() - start), 1.0);
    for (const station_spec& st : topo.sc.stations) {
        const relay& r = net.station_relay(st.id);
        for (std::size_t c = 0; c < r.circuit_count(); ++c) {
            const circuit_stats& cs = r.stats(static_cast<circuit_id>(c));
            preemptions += cs.preemptions;
            transmissions += cs.transmissions;
            const double busy = to_seconds(cs.busy) / filing_span;
            const std::string& d = r.designator(static_cast<circuit_id>(c));
            if (d.starts_with("K-"))
                trunk.add(busy);
            else if (st.kind == station_kind::relay)
                downlink.add(busy);
            else
                uplink.add(busy);
        }
    }
    for (const circuit_spec& c : topo.sc.circuits)
        for (const std::string* from : {&c.a, &c.b})
            if (const circuit* line = net.direction(c.id, *from)) {
                key_refusals += line->totals().key_refusals;
                interruptions += line->totals().interruptions;
            }
    const transmission_counters line = net.line_totals();
    const delivery_totals& got = net.totals();
    const double frame_s = to_seconds(profile_60wpm().frames(1));
    const double mean_chars = (min_chars + max_chars) / 2.0;
    const auto tribs = static_cast<double>(topo.tributaries.size());
    const auto hubs = static_cast<double>(topo.areas.size());
    const double per_trib = static_cast<double>(s.cables) / tribs;  // cables a day each way
    const double offered_trib = per_trib * mean_chars * frame_s / day_seconds;
    const double offered_trunk = hubs > 1
                                     ? (1 - same_area_share) * static_cast<double>(s.cables) /
                                           (hubs * (hubs - 1)) * mean_chars * frame_s / day_seconds
                                     : 0.0;

    std::printf(
        "day: %zu stations (hubs in a full mesh: %zu, tributaries: %zu), %zu circuits (%zu "
        "directions), seed %llu\n",
        topo.sc.stations.size(), topo.areas.size(), topo.tributaries.size(),
        topo.sc.circuits.size(), 2 * topo.sc.circuits.size(),
        static_cast<unsigned long long>(s.seed));
    std::printf(
        "line: 60 wpm, element errors p = 1e-5 everywhere, Gilbert-Elliott bursts on every 10th "
        "circuit, "
        "on-line Vernam key tape on every circuit\n");
    std::printf(
        "cables filed %llu (refused %llu) over %s, %llu characters, %.1f %% to another hub area, "
        "R/P/O/Z %llu/%llu/%llu/%llu\n",
        static_cast<unsigned long long>(traffic.filed()),
        static_cast<unsigned long long>(traffic.refused()), hms(filing_span).c_str(),
        static_cast<unsigned long long>(traffic.characters()),
        100.0 * static_cast<double>(traffic.other_area()) / static_cast<double>(s.cables),
        static_cast<unsigned long long>(traffic.by_precedence()[0]),
        static_cast<unsigned long long>(traffic.by_precedence()[1]),
        static_cast<unsigned long long>(traffic.by_precedence()[2]),
        static_cast<unsigned long long>(traffic.by_precedence()[3]));
    std::printf("cables delivered %llu, %llu characters printed\n",
                static_cast<unsigned long long>(got.cables),
                static_cast<unsigned long long>(got.characters));
    std::printf(
        "load offered: tributary uplink %.3f, hub downlink %.3f, trunk %.3f (each direction)\n",
        offered_trib, offered_trib, offered_trunk);
    std::printf(
        "line busy: uplink mean %.3f max %.3f, downlink mean %.3f max %.3f, trunk mean %.3f max "
        "%.3f\n",
        uplink.mean(), uplink.max, downlink.mean(), downlink.max, trunk.mean(), trunk.max);
    if (std::max(offered_trib, offered_trunk) >= 1.0)
        std::printf("warning: an offered load is at or above 1: the queues grow all day\n");
    std::printf(
        "transmissions %llu, FLASH preemptions %llu (interrupted %llu), key refusals %llu\n",
        static_cast<unsigned long long>(transmissions),
        static_cast<unsigned long long>(preemptions),
        static_cast<unsigned long long>(interruptions),
        static_cast<unsigned long long>(key_refusals));
    std::printf("character-hops %llu, elements sent %llu, flipped %llu\n",
                static_cast<unsigned long long>(line.line.chars_sent),
                static_cast<unsigned long long>(line.line.elements_sent),
                static_cast<unsigned long long>(line.line.elements_flipped));
    std::printf(
        "line: characters garbled %llu (ciphertext), frames lost %llu, slipped %llu, framing "
        "errors %llu; "
        "plain garbled %llu, key walks %llu\n",
        static_cast<unsigned long long>(line.line.chars_garbled),
        static_cast<unsigned long long>(line.line.frames_lost),
        static_cast<unsigned long long>(line.line.frames_slipped),
        static_cast<unsigned long long>(line.line.framing_errors),
        static_cast<unsigned long long>(line.plain_garbled),
        static_cast<unsigned long long>(line.resyncs));
    std::printf(
        "garbled characters delivered %llu (%.2e of those printed; compared place by place with "
        "the copy "
        "filed, so a character lost shifts the rest), in %llu of the copies (%.2f %%)\n",
        static_cast<unsigned long long>(got.garbled),
        got.characters ? static_cast<double>(got.garbled) / static_cast<double>(got.characters)
                       : 0.0,
        static_cast<unsigned long long>(got.garbled_cables),
        got.cables
            ? 100.0 * static_cast<double>(got.garbled_cables) / static_cast<double>(got.cables)
            : 0.0);
    std::printf("events run %llu, simulated span %s (%.0f s), built in %.2f s\n",
                static_cast<unsigned long long>(e.events_run()),
                hms(to_seconds(e.now() - start)).c_str(), to_seconds(e.now() - start), build_s);
    std::printf("speed of service:\n");
    for (int level = hakto::protocol::precedence_levels - 1; level >= 0; --level) {
        const precedence_summary& p = got.by_precedence[static_cast<std::size_t>(level)];
        if (p.delivered == 0) continue;
        const auto prec = static_cast<precedence>(level);
        std::printf(
            "  %-10s %8llu delivered, %8llu within %s, mean %s, worst %s\n",
            std::string(hakto::protocol::precedence_name(prec)).c_str(),
            static_cast<unsigned long long>(p.delivered), static_cast<unsigned long long>(p.met),
            format_elapsed(hakto::protocol::handling_objective(prec)).c_str(),
            format_elapsed(seconds_to_duration(std::round(p.mean_seconds() * 10) / 10)).c_str(),
            format_elapsed(std::chrono::round<std::chrono::milliseconds>(p.worst)).c_str());
    }
    std::printf("checksum of the delivered copies (FNV-1a) %016llx\n",
                static_cast<unsigned long long>(got.checksum));
    std::printf("BENCH day_1000_stations_s %.2f s\n", wall);
    std::printf("BENCH day_1000_stations_peak_mib %.0f MiB\n", peak_mib());

    if (traffic.filed() != s.cables || got.cables != traffic.filed() ||
        net.delivered_count() != net.filed_count()) {
        std::fprintf(stderr,
                     "bench_day_at_scale: %llu cables to file, %llu filed, %llu delivered\n",
                     static_cast<unsigned long long>(s.cables),
                     static_cast<unsigned long long>(traffic.filed()),
                     static_cast<unsigned long long>(got.cables));
        return 1;
    }
    return 0;
}
