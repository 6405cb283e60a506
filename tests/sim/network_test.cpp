#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <string_view>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/cable_tape.hpp"
#include "protocol/cable/garble.hpp"
#include "protocol/teletype/teletype_code.hpp"
#include "sim/network.hpp"
#include "support/files.hpp"

using namespace hakto::sim;
using namespace std::chrono;
using hakto::protocol::code;
using hakto::protocol::precedence;

namespace {

std::vector<code> seed_codes() {
    auto doc = hakto::protocol::parse_document(
        hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")));
    auto codes = hakto::protocol::cable_line_codes(doc.message);
    REQUIRE(codes);
    return codes.value().codes;
}

scenario june1972() {
    auto s = load_named_scenario("june1972");
    REQUIRE(s);
    return s.value();
}

/// A — R — B with a given element error rate (0: none).
scenario three_stations(double error_rate) {
    std::string t = R"(
[scenario]
name = "abc"
start = 1972-06-21T00:00:00Z
[[station]]
id = "AAA"
  [[station.route]]
  prefix = ""
  circuit = "ar"
[[station]]
id = "RRR"
kind = "relay"
  [[station.route]]
  prefix = "AAA"
  circuit = "ar"
  [[station.route]]
  prefix = "BBB"
  circuit = "rb"
[[station]]
id = "BBB"
  [[station.route]]
  prefix = ""
  circuit = "rb"
[[circuit]]
id = "ar"
between = ["AAA", "RRR"]
delay_ms = 100
  [circuit.crypto]
  key_seed = 5
[[circuit]]
id = "rb"
between = ["RRR", "BBB"]
delay_ms = 10
)";
    if (error_rate > 0)
        t += fmt::format("  [circuit.noise]\n  seed = 9\n  element_error_rate = {}\n", error_rate);
    auto s = load_scenario(t, "abc.toml");
    REQUIRE(s);
    return s.value();
}

filing make_filing(std::string label, std::string origin, std::string to, precedence p, sim_time at,
                   std::vector<code> codes) {
    return filing{std::move(label), std::move(origin), {std::move(to)}, p, at, std::move(codes)};
}

}  // namespace

TEST_CASE("without noise the whole chain delivers HAKTO 12 to WTE exactly, on time") {
    auto sc = june1972();
    engine e{sc.start};
    network_options o;
    o.noise = false;
    auto net = network::build(sc, e, o);
    REQUIRE(net);
    auto codes = seed_codes();
    auto filed = make_sim_time(1972y / June / 21, 16h, 15min);
    REQUIRE(net.value()->file(
        make_filing("HAKTO 12", "WTE10", "WTE", precedence::immediate, filed, codes)));
    e.run();
    const auto& d = net.value()->deliveries();
    REQUIRE(d.size() == 1);
    CHECK(d[0].destination == "WTE");
    CHECK(d[0].received == codes);
    CHECK(d[0].garbled == 0);
    REQUIRE(d[0].hops.size() == 2);
    CHECK(d[0].hops[0].circuit == "trans-pacific");
    CHECK(d[0].hops[1].from == "WHR");
    // Store and forward: the whole cable crosses each circuit before the next starts.
    auto line = profile_60wpm().frames(codes.size());
    CHECK(d[0].delivered == filed + line + 290ms + line + 25ms);
    CHECK(d[0].met_objective());  // IMMEDIATE: 30 minutes
    CHECK(net.value()->serial_findings().empty());
    // On-line crypto was on: the line carried cipher, not the plain codes.
    CHECK(net.value()->line_totals().line.chars_sent == 2 * codes.size());
}

TEST_CASE("with a fixed noise seed the garbles are the same every run") {
    auto run_once = [] {
        auto sc = three_stations(1e-3);
        engine e{sc.start};
        auto net = network::build(sc, e);
        REQUIRE(net);
        REQUIRE(net.value()->file(
            make_filing("X", "AAA", "BBB", precedence::routine, sc.start, seed_codes())));
        e.run();
        REQUIRE(net.value()->deliveries().size() == 1);
        return net.value()->deliveries()[0];
    };
    auto a = run_once();
    auto b = run_once();
    CHECK(a.received == b.received);
    CHECK(a.garbled == b.garbled);
    CHECK(a.garbled > 0);
    CHECK(a.counters.line.elements_flipped > 0);
    CHECK(a.counters.line.elements_flipped == b.counters.line.elements_flipped);
}

TEST_CASE("a FLASH overtakes ROUTINE traffic across the network, which is then resent in full") {
    auto sc = three_stations(0);
    engine e{sc.start};
    auto net = network::build(sc, e);
    REQUIRE(net);
    auto long_text = seed_codes();
    std::vector<code> short_text(long_text.begin(), long_text.begin() + 40);
    REQUIRE(net.value()->file(
        make_filing("ROUTINE", "AAA", "BBB", precedence::routine, sc.start, long_text)));
    REQUIRE(net.value()->file(
        make_filing("FLASH", "AAA", "BBB", precedence::flash, sc.start + 10s, short_text)));
    e.run();
    const auto& d = net.value()->deliveries();
    REQUIRE(d.size() == 2);
    CHECK(d[0].label == "FLASH");
    CHECK(d[1].label == "ROUTINE");
    CHECK(d[1].received == long_text);  // the interrupted cable arrives whole
    CHECK(d[0].met_objective());
    const auto& origin = net.value()->station_relay("AAA");
    CHECK(origin.stats(0).preemptions == 1);
    // The resend took a new channel serial: serials 1 (cut), 2 (FLASH), 3 (resend).
    CHECK(d[1].hops[0].serial == 3);
    CHECK(net.value()->serial_findings().empty());
    auto report = net.value()->speed_of_service_report();
    CHECK(report.find("FLASH          Z") != std::string::npos);
    CHECK(report.find("FLASH      1 of 1 within") != std::string::npos);
}

TEST_CASE("traffic generators file synthetic page copy, deterministically") {
    auto sc = three_stations(0);
    traffic_spec g;
    g.origin = "AAA";
    g.addressees = {"BBB"};
    g.cables_per_hour = 60;
    g.count = 20;
    g.seed = 3;
    g.start = sc.start;
    sc.traffic.push_back(g);
    engine e{sc.start};
    auto net = network::build(sc, e);
    REQUIRE(net);
    net.value()->start_traffic();
    e.run();
    CHECK(net.value()->filed_count() == 20);
    CHECK(net.value()->delivered_count() == 20);
    for (const auto& d : net.value()->deliveries()) CHECK(d.received == d.sent);
    xoshiro256ss rng(1);
    auto text = synthetic_page_copy(rng, 500);
    CHECK(text.size() == 500);
    CHECK(text[0] == hakto::protocol::codes::ltrs);
}

namespace {

// synthetic_page_copy as first written (r % row total, std::upper_bound): the faster one must
// make the same text from the same generator.
std::vector<code> reference_page_copy(xoshiro256ss& rng, std::size_t length) {
    std::array<std::array<std::uint32_t, 26>, 26> cumulative{};
    std::array<code, 26> letters{};
    for (int a = 0; a < 26; ++a) {
        std::uint32_t total = 0;
        for (int b = 0; b < 26; ++b) {
            total += static_cast<std::uint32_t>(hakto::protocol::letter_pair_count(
                static_cast<char>('A' + a), static_cast<char>('A' + b)));
            cumulative[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = total;
        }
        letters[static_cast<std::size_t>(a)] =
            hakto::protocol::code_for(static_cast<char32_t>('A' + a))->value;
    }
    auto next = [&](std::size_t previous, std::uint64_t r) {
        const auto& row = cumulative[previous];
        auto pick = static_cast<std::uint32_t>(r % row[25]);
        return static_cast<std::size_t>(std::upper_bound(row.begin(), row.end(), pick) -
                                        row.begin());
    };
    static constexpr std::string_view initials = "TTTTTAAAAOOOSSSIIWWCCBBPPHHFFMMDDRRLLEENNGUVYKJQ";
    std::vector<code> out;
    if (length == 0) return out;
    out.push_back(hakto::protocol::codes::ltrs);
    std::size_t column = 0;
    while (out.size() < length) {
        std::size_t word = 2 + rng.next() % 8;
        if (column + word + 1 > 69) {
            for (code c : {hakto::protocol::codes::cr, hakto::protocol::codes::cr,
                           hakto::protocol::codes::lf})
                if (out.size() < length) out.push_back(c);
            column = 0;
            continue;
        }
        if (column > 0 && out.size() < length) {
            out.push_back(hakto::protocol::codes::space);
            ++column;
        }
        std::size_t letter = static_cast<std::size_t>(initials[rng.next() % initials.size()] - 'A');
        for (std::size_t i = 0; i < word && out.size() < length; ++i, ++column) {
            out.push_back(letters[letter]);
            letter = next(letter, rng.next());
        }
    }
    return out;
}

}  // namespace

TEST_CASE("synthetic page copy is the same text as the reference generator makes") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        xoshiro256ss a(seed), b(seed);
        for (std::size_t length : {0, 1, 2, 50, 69, 70, 71, 300, 2000}) {
            REQUIRE(synthetic_page_copy(a, length) == reference_page_copy(b, length));
        }
        REQUIRE(a.next() == b.next());  // and the same draws taken
    }
}

TEST_CASE("a bulk run keeps totals only, and they are those of the kept deliveries") {
    struct outcome {
        std::vector<delivered_cable> deliveries;
        delivery_totals totals;
        transmission_counters line;
    };
    auto run = [](bool bulk) {
        auto sc = three_stations(1e-3);
        traffic_spec g;
        g.origin = "AAA";
        g.addressees = {"BBB"};
        g.cables_per_hour = 30;
        g.count = 25;
        g.seed = 4;
        g.start = sc.start;
        sc.traffic.push_back(g);
        engine e{sc.start};
        network_options o;
        if (bulk) {
            o.keep_codes = false;
            o.keep_deliveries = false;
            o.circuit_logs = false;
            o.relaying.keep_records = false;
        }
        auto net = network::build(sc, e, o);
        REQUIRE(net);
        net.value()->start_traffic();
        e.run();
        CHECK(net.value()->delivered_count() == 25);
        CHECK(net.value()->direction("ar", "AAA")->log().empty() == bulk);
        return outcome{net.value()->deliveries(), net.value()->totals(),
                       net.value()->line_totals()};
    };
    const outcome kept = run(false);
    const outcome bulk = run(true);
    CHECK(bulk.deliveries.empty());
    REQUIRE(kept.deliveries.size() == 25);
    std::uint64_t checksum = 0xcbf29ce484222325ULL, garbled = 0, characters = 0, garbled_cables = 0;
    std::array<std::uint64_t, hakto::protocol::precedence_levels> by{};
    for (const auto& d : kept.deliveries) {
        for (const code x : d.received) checksum = (checksum ^ x) * 0x100000001b3ULL;
        garbled += d.garbled;
        garbled_cables += d.garbled != 0;
        characters += d.received.size();
        ++by[static_cast<std::size_t>(d.prec)];
    }
    CHECK(garbled > 0);
    for (const delivery_totals* t : {&kept.totals, &bulk.totals}) {
        CHECK(t->cables == 25);
        CHECK(t->checksum == checksum);
        CHECK(t->garbled == garbled);
        CHECK(t->garbled_cables == garbled_cables);
        CHECK(t->characters == characters);
        for (std::size_t p = 0; p < by.size(); ++p) CHECK(t->by_precedence[p].delivered == by[p]);
    }
    CHECK(bulk.totals.counters == kept.totals.counters);
    CHECK(bulk.line == kept.line);
    CHECK(bulk.totals.by_precedence[0].elapsed_seconds ==
          kept.totals.by_precedence[0].elapsed_seconds);
}
