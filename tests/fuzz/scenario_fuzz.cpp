// fuzz-link: hakto_sim
// sim::load_scenario on arbitrary text (TOML or not).
// Properties, each a crash when broken:
// - no exception escapes (toml++ reports parse errors by exception: the loader must catch);
// - a failed load gives at least one error, each with a message, the file name given, and a
//   place inside the input (the scenario format promises the line of every error);
// - a loaded scenario is consistent: its circuits join stations it has, every route names a
//   circuit it has, every cable comes from a station it has; its numbers are ones the models
//   accept (the noise model takes every circuit's noise; delays are not negative; traffic
//   rates and precedence shares are finite and positive).
#include <cmath>
#include <string>

#include "fuzz_support.hpp"
#include "sim/noise.hpp"
#include "sim/scenario.hpp"

using namespace hakto::sim;

HAKTO_FUZZ_ENTRY(scenario) {
    auto text = hakto::fuzz::as_text(data, size);
    hakto::fuzz::no_exception("load_scenario", [&] {
        auto loaded = load_scenario(text, "fuzz.toml");
        if (!loaded) {
            HAKTO_FUZZ_CHECK(!loaded.error().empty(), "a failed load gives at least one error");
            hakto::fuzz::line_table table{text, false};
            for (const auto& e : loaded.error()) {
                HAKTO_FUZZ_CHECK(!e.message.empty(), "every error has a message", e.to_string());
                HAKTO_FUZZ_CHECK(e.file == "fuzz.toml", "every error names the file",
                                 e.to_string());
                HAKTO_FUZZ_CHECK(table.inside(e.where.line, e.where.column),
                                 "every error has a place inside the input", e.to_string());
            }
            return;
        }
        const auto& sc = loaded.value();
        HAKTO_FUZZ_CHECK(!sc.stations.empty(), "a loaded scenario has a station");
        for (const auto& c : sc.circuits) {
            HAKTO_FUZZ_CHECK(sc.find_station(c.a) && sc.find_station(c.b),
                             "a circuit joins known stations", c.id);
            HAKTO_FUZZ_CHECK(c.propagation_delay.count() >= 0, "a delay is not negative", c.id);
            if (c.noise) {
                auto model = noise_model::create(*c.noise);
                HAKTO_FUZZ_CHECK(model.has_value(), "the noise model takes a circuit's noise",
                                 c.id + ": " + (model ? std::string{} : model.error().message));
            }
        }
        for (const auto& g : sc.traffic) {
            HAKTO_FUZZ_CHECK(std::isfinite(g.cables_per_hour) && g.cables_per_hour > 0,
                             "a traffic rate is finite and positive",
                             std::to_string(g.cables_per_hour));
            double total = 0;
            for (double share : g.mix) {
                HAKTO_FUZZ_CHECK(std::isfinite(share) && share >= 0, "a precedence share is finite",
                                 std::to_string(share));
                total += share;
            }
            HAKTO_FUZZ_CHECK(total > 0, "the precedence shares add up to more than nothing");
            HAKTO_FUZZ_CHECK(g.min_chars >= 1 && g.min_chars <= g.max_chars,
                             "a length range is a range");
        }
        for (const auto& s : sc.stations)
            for (const auto& r : s.routes)
                HAKTO_FUZZ_CHECK(sc.find_circuit(r.circuit) != nullptr,
                                 "a route names a known circuit", s.id + " -> " + r.circuit);
        for (const auto& c : sc.cables)
            HAKTO_FUZZ_CHECK(sc.find_station(c.origin) != nullptr,
                             "a cable comes from a known station", c.id);
    });
    return 0;
}
