// The relay model of simpy_relay.py, run through the hakto engine and relay, against SimPy itself.
//
// Model (as the reference script): one outgoing channel; Poisson arrivals at offered load 0.8;
// precedence mix 60/25/10/5 % ROUTINE/PRIORITY/IMMEDIATE/FLASH; lengths uniform 100..1,900
// characters at 0.163 s a character; FLASH interrupts lower traffic and the interrupted cable is
// sent again in full.
//
// The arrivals come from a generator that reproduces CPython's random.Random (MT19937 seeded by
// init_by_array; random(), expovariate(), randint()), so with the same seed both programs see the
// same cables at the same instants and their mean waits agree far closer than the 5 % demanded.
//
// Prints:
//   BENCH sim_cables_per_s <value> cables/s
//   BENCH simpy_cables_per_s <value> cables/s
//   BENCH sim_cables_vs_simpy <ratio> x
// and exits non-zero when a mean wait per precedence differs from SimPy's by more than 5 %, or when
// SimPy cannot be run.
#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "protocol/cable/precedence.hpp"
#include "sim/engine.hpp"
#include "sim/relay.hpp"

namespace {

using namespace hakto::sim;
using hakto::protocol::precedence;

constexpr double char_time_s = 0.163;  // seconds per character at 60 wpm
constexpr int levels = 4;
constexpr std::array<const char*, levels> level_names{"ROUTINE", "PRIORITY", "IMMEDIATE", "FLASH"};

// ---------------------------------------------------------------------------------------------
// CPython's random.Random, bit for bit (Modules/_randommodule.c and Lib/random.py, 3.11)

class py_random {
  public:
    explicit py_random(std::uint64_t seed) {
        std::array<std::uint32_t, 2> key{static_cast<std::uint32_t>(seed),
                                         static_cast<std::uint32_t>(seed >> 32)};
        init_by_array(key.data(), key[1] != 0 ? 2 : 1);
    }

    std::uint32_t genrand() noexcept {
        if (index_ >= n) [[unlikely]]
            refill();
        return out_[index_++];
    }
    double random() noexcept {
        const std::uint32_t a = genrand() >> 5, b = genrand() >> 6;
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }
    double expovariate(double lambd) noexcept { return -std::log(1.0 - random()) / lambd; }
    /// random.randint(a, b) = a + _randbelow(b - a + 1), by rejection over getrandbits(k).
    int randint(int a, int b) noexcept {
        const auto width = static_cast<std::uint32_t>(b - a + 1);
        const int k = std::bit_width(width);
        std::uint32_t r = genrand() >> (32 - k);
        while (r >= width) r = genrand() >> (32 - k);
        return a + static_cast<int>(r);
    }

  private:
    static constexpr int n = 624, m = 397;

    void init_genrand(std::uint32_t s) noexcept {
        mt_[0] = s;
        for (int i = 1; i < n; ++i)
            mt_[i] =
                1812433253u * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<std::uint32_t>(i);
        index_ = n;
    }
    void init_by_array(const std::uint32_t* key, int len) noexcept {
        init_genrand(19650218u);
        int i = 1, j = 0;
        for (int k = std::max(n, len); k > 0; --k) {
            mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + key[j] +
                     static_cast<std::uint32_t>(j);
            ++i;
            ++j;
            if (i >= n) {
                mt_[0] = mt_[n - 1];
                i = 1;
            }
            if (j >= len) j = 0;
        }
        for (int k = n - 1; k > 0; --k) {
            mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) -
                     static_cast<std::uint32_t>(i);
            ++i;
            if (i >= n) {
                mt_[0] = mt_[n - 1];
                i = 1;
            }
        }
        mt_[0] = 0x80000000u;
    }
    /// The next 624 words: the MT19937 twist, then the tempering of all of them in one pass.
    void refill() noexcept {
        constexpr std::uint32_t upper = 0x80000000u, lower = 0x7fffffffu, matrix = 0x9908b0dfu;
        std::uint32_t* mt = mt_.data();  // through a plain pointer the loops vectorize
        int k = 0;
        for (; k < n - m; ++k) {
            const std::uint32_t y = (mt[k] & upper) | (mt[k + 1] & lower);
            mt[k] = mt[k + m] ^ (y >> 1) ^ (-(y & 1u) & matrix);
        }
        for (; k < n - 1; ++k) {
            const std::uint32_t y = (mt[k] & upper) | (mt[k + 1] & lower);
            mt[k] = mt[k + (m - n)] ^ (y >> 1) ^ (-(y & 1u) & matrix);
        }
        const std::uint32_t y = (mt[n - 1] & upper) | (mt[0] & lower);
        mt[n - 1] = mt[m - 1] ^ (y >> 1) ^ (-(y & 1u) & matrix);
        std::uint32_t* out = out_.data();
        for (k = 0; k < n; ++k) {
            std::uint32_t t = mt[k];
            t ^= t >> 11;
            t ^= (t << 7) & 0x9d2c5680u;
            t ^= (t << 15) & 0xefc60000u;
            t ^= t >> 18;
            out[k] = t;
        }
        index_ = 0;
    }

    std::array<std::uint32_t, n> mt_{};
    std::array<std::uint32_t, n> out_{};
    int index_ = n;
};

// ---------------------------------------------------------------------------------------------
// The model on hakto

struct model_result {
    std::uint64_t generated = 0;
    std::uint64_t completed = 0;
    std::uint64_t preemptions = 0;
    std::uint64_t events = 0;
    double sim_seconds = 0;
    double busy_fraction = 0;
    std::array<std::uint64_t, levels> n{};
    std::array<double, levels> mean_wait{};
    std::array<double, levels> mean_response{};
    double wall_seconds = 0;
};

/// The Source process of the script: draws the gap to the next cable, then (at its arrival) its
/// precedence and length, and hands the cable to the relay.
class poisson_source {
  public:
    poisson_source(engine& e, relay& r, std::uint64_t cables, std::uint64_t seed, double rho)
        : engine_(e), relay_(r), rng_(seed), remaining_(cables) {
        const double mix[levels] = {0.60, 0.25, 0.10, 0.05};
        double s = 0;
        for (int k = 0; k < levels; ++k) cum_[static_cast<std::size_t>(k)] = s += mix[k];
        cum_[levels - 1] = 1.0;
        const double mean_s = (100 + 1900) / 2.0 * char_time_s;
        lambda_ = rho / mean_s;
        addressee_ = routing_indicator::parse("RUEHC").value();
        arrival_ = e.make_timer([this] { arrive(); });
    }

    void start() {
        if (remaining_ > 0) arrival_.arm_at(at(t_ + rng_.expovariate(lambda_)));
    }
    std::uint64_t generated() const { return generated_; }

  private:
    /// Virtual time as the script keeps it (a double of seconds), rounded to the nanosecond.
    static sim_time at(double seconds) {
        return sim_time{} + sim_duration{static_cast<std::int64_t>(seconds * 1e9 + 0.5)};
    }

    // The draws of a cable, in the script's order: precedence, length, then the gap to the next
    // cable. They are drawn a batch at a time, so that the logarithms of the gaps are taken in a
    // loop of independent calls rather than one at a time on the event path; the numbers are the
    // same (the words are consumed in the same order).
    static constexpr std::size_t batch = 64;
    void draw_batch() {
        std::array<double, batch> v;
        for (std::size_t k = 0; k < batch; ++k) {
            const double u = rng_.random();
            // while u > cum[p]: p += 1, without the branches (cum rises, u < cum[last] = 1)
            static_assert(levels == 4);
            prec_[k] = static_cast<std::uint8_t>(static_cast<int>(u > cum_[0]) +
                                                 static_cast<int>(u > cum_[1]) +
                                                 static_cast<int>(u > cum_[2]));
            chars_[k] = static_cast<std::uint32_t>(rng_.randint(100, 1900));
            v[k] = 1.0 - rng_.random();  // expovariate: -log(1 - random()) / lambd
        }
        for (std::size_t k = 0; k < batch; ++k) gap_[k] = -std::log(v[k]) / lambda_;
        next_ = 0;
    }
    void arrive() {
        if (next_ == batch) draw_batch();
        const std::size_t k = next_++;
        (void)relay_.accept(cable{generated_, static_cast<precedence>(prec_[k]),
                                  routing_indicators(addressee_), engine_.now(), chars_[k],
                                  nullptr});
        ++generated_;
        if (--remaining_ > 0) {
            t_ += gap_[k];
            arrival_.arm_at(at(t_));
        }
    }

    engine& engine_;
    relay& relay_;
    timer arrival_;
    py_random rng_;
    std::array<double, levels> cum_{};
    double lambda_ = 0;
    double t_ = 0;  // arrival time of the next cable
    std::array<std::uint8_t, batch> prec_{};
    std::array<std::uint32_t, batch> chars_{};
    std::array<double, batch> gap_{};
    std::size_t next_ = batch;
    routing_indicator addressee_;
    std::uint64_t remaining_;
    std::uint64_t generated_ = 0;
};

model_result run_hakto(std::uint64_t cables, std::uint64_t seed, double rho) {
    const auto t0 = std::chrono::steady_clock::now();
    engine e;
    relay station{e, "RUEHBJ", relay_options{resend_mode::restart, false}};
    const circuit_id out = station.add_circuit(
        "ABA", std::make_unique<char_time_link>(seconds_to_duration(char_time_s)));
    (void)station.routes().add("RUEH", out);
    poisson_source source{e, station, cables, seed, rho};
    source.start();
    e.run();
    const auto t1 = std::chrono::steady_clock::now();

    model_result r;
    r.wall_seconds = std::chrono::duration<double>(t1 - t0).count();
    r.generated = source.generated();
    const circuit_stats& st = station.stats(out);
    r.completed = st.delivered();
    r.preemptions = st.preemptions;
    r.events = e.events_run();
    r.sim_seconds = to_seconds(e.now() - sim_time{});
    r.busy_fraction = to_seconds(st.busy) / r.sim_seconds;
    for (std::size_t k = 0; k < levels; ++k) {
        const precedence_stats& ps = st.by_precedence[k];
        r.n[k] = ps.delivered;
        r.mean_wait[k] = ps.mean_wait();
        r.mean_response[k] = ps.mean_response();
    }
    return r;
}

// ---------------------------------------------------------------------------------------------
// SimPy

struct simpy_result {
    std::uint64_t generated = 0;
    std::uint64_t completed = 0;
    std::uint64_t preemptions = 0;
    double rate = 0;  // messages/s as the script measures it
    std::array<std::uint64_t, levels> n{};
    std::array<std::optional<double>, levels> mean_wait{};
    std::array<std::optional<double>, levels> mean_response{};
};

std::optional<simpy_result> run_simpy(const std::string& script, std::uint64_t cables,
                                      std::uint64_t seed, std::string& output) {
    const std::string cmd = fmt::format("/usr/bin/python3 -O '{}' -n {} --seed {} --nocount 2>&1",
                                        script, cables, seed);
    std::printf("$ %s\n", cmd.c_str());
    std::fflush(stdout);
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return std::nullopt;
    std::array<char, 4096> buf{};
    std::size_t got;
    while ((got = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), got);
    const int status = pclose(pipe);
    if (status != 0) return std::nullopt;

    simpy_result r;
    bool have_gen = false, have_rate = false;
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string::npos) end = output.size();
        const std::string line = output.substr(start, end - start);
        start = end + 1;
        unsigned long long a = 0, b = 0;
        double x = 0, y = 0;
        char name[32] = {};
        if (std::sscanf(line.c_str(), "messages generated %llu, completed %llu", &a, &b) == 2) {
            r.generated = a;
            r.completed = b;
            have_gen = true;
        } else if (std::sscanf(line.c_str(), "wall %lf s, %lf messages/s", &x, &y) == 2) {
            r.rate = y;
            have_rate = true;
        } else if (const auto at = line.find("preemptions ");
                   at != std::string::npos &&
                   std::sscanf(line.c_str() + at, "preemptions %llu", &a) == 1) {
            r.preemptions = a;
        } else if (std::sscanf(line.c_str(), " %31s n= %llu mean wait %lf s mean response %lf s",
                               name, &a, &x, &y) == 4) {
            for (std::size_t k = 0; k < levels; ++k)
                if (std::string_view{name} == level_names[k]) {
                    r.n[k] = a;
                    r.mean_wait[k] = x;
                    r.mean_response[k] = y;
                }
        }
    }
    if (!have_gen || !have_rate) return std::nullopt;
    return r;
}

void usage() {
    std::fprintf(stderr,
                 "usage: bench_sim_vs_simpy [--cables N] [--seed S] [--repeat R] [--no-simpy]\n"
                 "  --cables N   cables offered to both (default 1000000)\n"
                 "  --seed S     arrival seed, the same for both (default 1)\n"
                 "  --repeat R   hakto runs; the median is reported (default 5)\n"
                 "  --no-simpy   hakto alone (for profiling); no BENCH comparison lines\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::uint64_t cables = 1'000'000;
    std::uint64_t seed = 1;
    int repeat = 5;
    bool with_simpy = true;
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
            cables = std::strtoull(value(), nullptr, 10);
        else if (a == "--seed")
            seed = std::strtoull(value(), nullptr, 10);
        else if (a == "--repeat")
            repeat = std::max(1, std::atoi(value()));
        else if (a == "--no-simpy")
            with_simpy = false;
        else {
            usage();
            return 2;
        }
    }
    if (cables == 0) {
        usage();
        return 2;
    }
    const double rho = 0.8;

    std::optional<simpy_result> simpy;
    if (with_simpy) {
        std::string output;
        simpy = run_simpy(std::string{HAKTO_SHARED_DIR} + "/bench/simpy_relay.py", cables, seed,
                          output);
        std::fputs(output.c_str(), stdout);
        if (!simpy) {
            std::fprintf(stderr,
                         "bench_sim_vs_simpy: SimPy run failed or its output was not understood\n");
            return 1;
        }
        // The script stops arrivals after 60 s of wall time: offer hakto the same cables.
        cables = simpy->generated;
    }

    std::vector<model_result> runs;
    for (int k = 0; k < repeat; ++k) runs.push_back(run_hakto(cables, seed, rho));
    for (const model_result& r : runs)
        if (r.completed != runs[0].completed || r.preemptions != runs[0].preemptions ||
            r.mean_wait != runs[0].mean_wait) {
            std::fprintf(stderr, "bench_sim_vs_simpy: hakto runs with the same seed differ\n");
            return 1;
        }
    std::vector<double> walls;
    for (const model_result& r : runs) walls.push_back(r.wall_seconds);
    std::sort(walls.begin(), walls.end());
    const double wall = walls[walls.size() / 2];
    const model_result& h = runs[0];
    const double rate = static_cast<double>(h.completed) / wall;

    std::printf("hakto  cables generated %llu, completed %llu, sim time %.4g s (%.2f years)\n",
                static_cast<unsigned long long>(h.generated),
                static_cast<unsigned long long>(h.completed), h.sim_seconds,
                h.sim_seconds / 86400 / 365.25);
    std::printf(
        "hakto  wall %.4f s (median of %d; best %.4f s), %.0f cables/s, %llu events (%.2f/cable)\n",
        wall, repeat, walls.front(), rate, static_cast<unsigned long long>(h.events),
        static_cast<double>(h.events) / static_cast<double>(h.completed));
    std::printf("hakto  channel busy %.4f of the time (offered %.2f), preemptions %llu\n",
                h.busy_fraction, rho, static_cast<unsigned long long>(h.preemptions));
    for (int k = levels - 1; k >= 0; --k) {
        const auto i = static_cast<std::size_t>(k);
        if (h.n[i] == 0) continue;
        std::printf("  %-9s n=%8llu  mean wait %9.1f s  mean response %9.1f s\n", level_names[i],
                    static_cast<unsigned long long>(h.n[i]), h.mean_wait[i], h.mean_response[i]);
    }

    if (!simpy) {
        std::printf("BENCH sim_cables_per_s %.0f cables/s\n", rate);
        return 0;
    }

    bool ok = true;
    std::printf("\nmean wait per precedence      hakto        SimPy    difference\n");
    for (int k = levels - 1; k >= 0; --k) {
        const auto i = static_cast<std::size_t>(k);
        if (!simpy->mean_wait[i]) {
            if (h.n[i] != 0) {
                std::printf("  %-9s %12.1f s  (none)\n", level_names[i], h.mean_wait[i]);
                ok = false;
            }
            continue;
        }
        const double s = *simpy->mean_wait[i];
        // SimPy prints one decimal: allow its rounding on top of the 5 %.
        const double diff = std::abs(h.mean_wait[i] - s);
        const bool within = diff <= 0.05 * s + 0.05;
        ok = ok && within;
        std::printf("  %-9s %12.1f s %10.1f s  %8.2f %%  %s  (n %llu / %llu)\n", level_names[i],
                    h.mean_wait[i], s, s > 0 ? 100.0 * diff / s : 0.0, within ? "ok" : "DIFFERS",
                    static_cast<unsigned long long>(h.n[i]),
                    static_cast<unsigned long long>(simpy->n[i]));
    }
    std::printf("  preemptions  %llu / %llu\n", static_cast<unsigned long long>(h.preemptions),
                static_cast<unsigned long long>(simpy->preemptions));
    if (h.completed != h.generated) ok = false;  // every cable offered must be delivered

    std::printf("BENCH sim_cables_per_s %.0f cables/s\n", rate);
    std::printf("BENCH simpy_cables_per_s %.0f cables/s\n", simpy->rate);
    std::printf("BENCH sim_cables_vs_simpy %.1f x\n", rate / simpy->rate);
    if (!ok) {
        std::fprintf(stderr, "bench_sim_vs_simpy: hakto and SimPy disagree (see above)\n");
        return 1;
    }
    return 0;
}
