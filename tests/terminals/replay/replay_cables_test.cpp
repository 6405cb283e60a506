// `hakto replay FILE...`: cables a user brings, placed on the scenario's stations or on a route
// built for them, and replayed end to end in virtual time.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <catch2/catch.hpp>

#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "support/cli_run.hpp"
#include "support/files.hpp"
#include "terminals/replay/replay.hpp"
#include "terminals/replay/replay_cables.hpp"

using namespace hakto::terminals;

namespace {

std::string write_cable(const std::string& name, const std::string& text) {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-replay-cables";
    std::filesystem::create_directories(dir);
    auto path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

bool contains(const std::string& s, std::string_view what) {
    return s.find(what) != std::string::npos;
}

// A composed Situation Room cable (the 1974 header form of protocol facts §1; the text is ours).
const char* sitroom =
    "OP IMMED\nDE WTE #0661 0381304\nO 071304Z FEB 74\nFM THE SITUATION ROOM //TOHAK 003//\n"
    "TO PETER RODMAN FOR SECRETARY KISSINGER\nVIA 86970\nWH40366\nBT\nT O P S E C R E T\n"
    "1. A COMPOSED TEXT FOR THE TEST.\nWARM REGARDS\nBT\n#0661\nNNNN\n";

/// Runs the replay of a scenario built for the given cables to its end; the page each
/// destination printed, by cable and station.
struct replayed {
    std::unique_ptr<hakto::sim::engine> e;  // the replay runs on it: it lives as long
    std::unique_ptr<replay> r;
    std::vector<std::string> notes;
};

replayed replay_given(const std::vector<std::string>& files) {
    auto given = read_given_cables(files);
    INFO((given ? std::string{} : given.error().message));
    REQUIRE(given);
    auto base = hakto::sim::load_named_scenario("june1972");
    REQUIRE(base);
    replayed out;
    auto scn = scenario_for_cables(base.value(), given.value(), out.notes);
    INFO((scn ? std::string{} : scn.error().message));
    REQUIRE(scn);
    replay_options o;
    o.scenario_object = scn.value();
    o.noise = false;
    out.e = std::make_unique<hakto::sim::engine>(scn.value().start);
    auto& e = *out.e;
    std::vector<std::string> warnings;
    auto r = replay::prepare(o, e, warnings);
    INFO((r ? std::string{} : r.error().message));
    REQUIRE(r);
    out.r = std::move(r.value());
    out.r->start();
    e.run();
    return out;
}

std::string printed(const replay_cable& c) {
    REQUIRE(c.delivery);
    return hakto::protocol::from_page_copy_line_ends(
        hakto::protocol::decode(c.delivery->received, {}));
}

}  // namespace

TEST_CASE(
    "replay of a State telegram: from its post, over a built route, to each action addressee") {
    if (!std::filesystem::exists(
            hakto::test::shared_path("plusd-dev/cables/1975PEKING02221.txt"))) {
        std::cout << "HAKTO-SKIP: ../shared/plusd-dev is not there\n";
        return;
    }
    auto run = replay_given({hakto::test::shared_path("plusd-dev/cables/1975PEKING02221.txt")});
    REQUIRE(run.r->cables().size() == 1);
    const auto& c = run.r->cables()[0];
    CHECK(c.spec.id == "PEKING 2221");
    CHECK(c.spec.prec == hakto::protocol::precedence::immediate);
    CHECK(hakto::sim::format_sim_time(c.spec.filed).rfind("1975-11-19T01:28:00", 0) == 0);
    // SECSTATE WASHDC and AMEMBASSY TOKYO are built; WHITE HOUSE is the scenario's WTE.
    CHECK(c.spec.addressees.size() == 3);
    CHECK(std::find(c.spec.addressees.begin(), c.spec.addressees.end(), "WTE") !=
          c.spec.addressees.end());
    bool said = false;
    for (const auto& n : run.notes)
        said |= contains(n, "a route built for this cable (a modelling choice");
    CHECK(said);
    REQUIRE(c.delivery);
    auto page = printed(c);
    // The telegram as it was sent: the archive's page line and distribution are not on the line.
    CHECK(page.rfind("O 19", 0) == 0);
    CHECK_FALSE(contains(page, "PAGE 01"));
    CHECK_FALSE(contains(page, "ACTION A-01"));
    CHECK(contains(page, "FM USLO PEKING"));
    CHECK_FALSE(c.memo);  // not a HAKTO report: no covering memorandum
}

TEST_CASE(
    "replay of HAKTO 12 given as a file: the scenario's stations and the covering memorandum") {
    auto run = replay_given({hakto::test::source_path("terminals/frus/data/hakto12.txt")});
    REQUIRE(run.r->cables().size() == 1);
    const auto& c = run.r->cables()[0];
    CHECK(c.spec.id == "HAKTO 12");
    CHECK(c.spec.origin == "WTE10");
    CHECK(c.spec.addressees == std::vector<std::string>{"WTE"});
    REQUIRE(c.delivery);
    REQUIRE(c.memo);
    CHECK(c.memo->bullets.size() == 5);
}

TEST_CASE(
    "replay of the Situation Room form: from WTE by its call sign, to an addressee built for it") {
    auto path = write_cable("sitroom.txt", sitroom);
    auto run = replay_given({path});
    REQUIRE(run.r->cables().size() == 1);
    const auto& c = run.r->cables()[0];
    CHECK(c.spec.id == "TOHAK 003");
    CHECK(c.spec.origin == "WTE");
    REQUIRE(c.spec.addressees.size() == 1);
    CHECK(c.spec.addressees[0] != "WTE10");  // 1974: not the 1972 trip station
    REQUIRE(c.delivery);
    CHECK(contains(printed(c), "FM THE SITUATION ROOM //TOHAK 003//"));
    CHECK(hakto::sim::format_sim_time(c.spec.filed).rfind("1974-02-07T13:04:00", 0) == 0);
}

TEST_CASE("hakto replay FILE: the command line, and a file that holds no cable") {
    auto path = write_cable("sitroom-cli.txt", sitroom);
    auto r = hakto::test::run({"replay", "--speed", "max", path});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(contains(r.err, "modelling choice"));
    CHECK(contains(r.out, "TOHAK 003"));
    auto junk = write_cable("junk.txt", "");
    auto bad = hakto::test::run({"replay", "--speed", "max", junk});
    CHECK(bad.code == 1);
    CHECK(contains(bad.err, junk));
    auto missing = hakto::test::run({"replay", "--speed", "max", "/nonexistent/cable.txt"});
    CHECK(missing.code == 1);
    CHECK(contains(missing.err, "/nonexistent/cable.txt"));
    auto net = hakto::test::run({"replay", "--net", path});
    CHECK(net.code == 2);
}
