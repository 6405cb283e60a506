// The replay, end to end in virtual time (no pacing), and its command line.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "support/cli_run.hpp"
#include "support/files.hpp"
#include "terminals/cli/cli.hpp"
#include "terminals/replay/replay.hpp"

using namespace hakto::terminals;
using hakto::sim::engine;

namespace {

struct ran {
    std::unique_ptr<replay> r;
    std::vector<std::string> warnings;
};

/// Prepares and runs a replay to the end on `e`.
ran run_replay(replay_options o, engine& e) {
    ran out;
    auto r = replay::prepare(o, e, out.warnings);
    INFO((r ? std::string{} : r.error().message));
    REQUIRE(r);
    out.r = std::move(r.value());
    out.r->start();
    e.run();
    return out;
}

engine engine_for(const std::string& scenario) {
    auto s = hakto::sim::load_named_scenario(scenario);
    REQUIRE(s);
    return engine{s.value().start};
}

/// The June 1972 scenario with a much noisier line, written where the test can read it.
std::string noisy_scenario() {
    auto text = std::string{hakto::sim::builtin_scenario_text("june1972")};
    auto at = text.find("element_error_rate = 2e-5");
    REQUIRE(at != std::string::npos);
    text.replace(at, 25, "element_error_rate = 2e-3");
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-scenarios";
    std::filesystem::create_directories(dir);
    auto path = dir + "/june1972-noisy.toml";
    std::ofstream(path) << text;
    return path;
}

hakto::test::run_result cli(std::vector<std::string> args) {
    return hakto::test::run(std::move(args));
}

}  // namespace

TEST_CASE("without noise the chain delivers HAKTO 12 to WTE exactly, and Haig's memo follows") {
    replay_options o;
    o.cables = {"HAKTO 12"};
    auto e = engine_for("june1972");
    auto run = run_replay(o, e);
    REQUIRE(run.r->cables().size() == 1);
    const auto& c = run.r->cables()[0];
    CHECK(c.text_supplied);
    REQUIRE(c.delivery);
    CHECK(c.delivery->received == c.codes);
    CHECK(c.delivery->garbled == 0);
    CHECK(c.delivery->destination == "WTE");
    CHECK(c.delivery->met_objective());
    // The page copy as printed at WTE reads back as the cable that was sent.
    auto printed =
        hakto::protocol::from_page_copy_line_ends(hakto::protocol::decode(c.delivery->received));
    CHECK(printed.find("WE DE WTE10\n") == 0);
    CHECK(printed.find("WOULD NOT REPEAT NOT INTERFERE") != std::string::npos);
    // The memo: a bullet for each paragraph, caveats out, NOT REPEAT NOT plain.
    REQUIRE(c.memo);
    CHECK(c.memo->from == "AL HAIG");
    CHECK(c.memo->for_ == "THE PRESIDENT");
    REQUIRE(c.memo->bullets.size() == 5);
    for (int i = 0; i < 5; ++i)
        CHECK(c.memo->bullets[static_cast<std::size_t>(i)].source_paragraphs ==
              std::vector<int>{i + 1});
    std::string all;
    for (const auto& b : c.memo->bullets) all += b.text + "\n";
    CHECK(all.find("PROTECT") == std::string::npos);
    CHECK(all.find("REPEAT") == std::string::npos);
    CHECK(all.find("Senate Foreign Relations Committee") != std::string::npos);
    REQUIRE_FALSE(c.memo->paragraphs.empty());
    CHECK(c.memo->paragraphs[0].find("third") !=
          std::string::npos);  // HAKTO 12 was the third report
    CHECK(c.historical_memo);
    CHECK_FALSE(c.memo_left_out.empty());
}

TEST_CASE("with a fixed noise seed the garbles are the same every run") {
    auto path = noisy_scenario();
    replay_options o;
    o.scenario = path;
    o.cables = {"HAKTO 12"};
    o.noise = true;
    o.seed = 7;
    auto e1 = engine_for(path);
    auto a = run_replay(o, e1);
    auto e2 = engine_for(path);
    auto b = run_replay(o, e2);
    const auto& da = *a.r->cables()[0].delivery;
    const auto& db = *b.r->cables()[0].delivery;
    CHECK(da.garbled > 0);
    CHECK(da.received == db.received);
    CHECK(da.counters.line.elements_flipped == db.counters.line.elements_flipped);
    o.seed = 8;
    auto e3 = engine_for(path);
    auto c = run_replay(o, e3);
    CHECK(c.r->cables()[0].delivery->received != da.received);
}

TEST_CASE(
    "the June 1972 timeline: DTG order, precedences, speed of service, texts supplied or marked") {
    replay_options o;
    auto e = engine_for("june1972");
    auto run = run_replay(o, e);
    const auto& cs = run.r->cables();
    REQUIRE(cs.size() == 3);
    CHECK(cs[0].spec.id == "HAKTO 7");
    CHECK(cs[1].spec.id == "HAKTO 9");
    CHECK(cs[2].spec.id == "HAKTO 12");
    CHECK(cs[1].spec.prec == hakto::protocol::precedence::priority);
    CHECK(cs[2].spec.prec == hakto::protocol::precedence::immediate);
    for (const auto& c : cs) {
        REQUIRE(c.delivery);
        CHECK(c.delivery->met_objective());
        CHECK(c.delivery->filed == c.spec.filed);
    }
    CHECK(cs[0].delivery->delivered < cs[1].delivery->delivered);
    CHECK(cs[1].delivery->delivered < cs[2].delivery->delivered);
    // HAKTO 9's text is not supplied: its header runs alone, with a caption for visitors saying
    // where the text is published, and no memo is made.
    CHECK_FALSE(cs[1].text_supplied);
    CHECK(cs[1].page_copy.find("P 201713Z JUN 772") != std::string::npos);  // the header as printed
    CHECK(cs[1].page_copy.find("NOT SUPPLIED") == std::string::npos);
    CHECK(cs[1].page_copy.find("FRUS") == std::string::npos);  // the tape: the header only
    CHECK(cs[1].caption.find("Volume E-13, Document 141") != std::string::npos);
    CHECK(cs[1].caption.find("--") == std::string::npos);
    CHECK(cs[1].caption.find(".xml") == std::string::npos);
    CHECK(cs[2].caption.empty());
    CHECK_FALSE(cs[1].memo);
    CHECK_FALSE(cs[0].text_supplied);  // HAKTO 7's text comes only with its FRUS file
    CHECK(cs[2].memo);
}

TEST_CASE("with the FRUS files, HAKTO 7's text is supplied and its memo drafted") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    replay_options o;
    o.frus_files = {hakto::test::shared_path("frus/frus1969-76ve13-d140.xml"),
                    hakto::test::shared_path("frus/frus1969-76ve13-d143.xml")};
    auto e = engine_for("june1972");
    auto run = run_replay(o, e);
    const auto& cs = run.r->cables();
    REQUIRE(cs.size() == 3);
    for (const auto& c : cs) {
        REQUIRE(c.delivery);
        CHECK(c.delivery->met_objective());
    }
    CHECK(cs[0].delivery->delivered < cs[1].delivery->delivered);
    CHECK(cs[1].delivery->delivered < cs[2].delivery->delivered);
    CHECK(cs[0].text_supplied);
    CHECK(cs[0].page_copy.find("VFE DE WTE10") != std::string::npos);
    REQUIRE(cs[0].memo);
    CHECK(cs[0].memo->bullets.size() == 4);  // paragraph 5 asks for a wire: left out
    CHECK_FALSE(cs[1].text_supplied);
    CHECK(cs[2].memo);
}

TEST_CASE("a missing or malformed --frus file is a clear warning and the replay still runs") {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-scenarios";
    std::filesystem::create_directories(dir);
    auto bad = dir + "/not-tei.xml";
    std::ofstream(bad) << "<html><body>not a volume</body></html>";
    replay_options o;
    o.frus_files = {dir + "/missing.xml", bad};
    auto e = engine_for("june1972");
    auto run = run_replay(o, e);
    REQUIRE(run.warnings.size() >= 2);
    CHECK(run.warnings[0].find("missing.xml") != std::string::npos);
    CHECK(run.warnings[1].find("not-tei.xml") != std::string::npos);
    CHECK(run.r->cables().size() == 3);
    for (const auto& c : run.r->cables()) CHECK(c.delivery);
}

TEST_CASE("hakto replay --speed max ends with the memo, and writes a transcript") {
    auto path = std::string{HAKTO_BUILD_DIR} + "/test-scenarios/replay.json";
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    auto r = cli({"replay", "--speed", "max", "--transcript", path});
    REQUIRE(r.code == 0);
    auto tail = r.out.substr(r.out.size() - 200);
    CHECK(tail.find("extraordinary lengths") != std::string::npos);
    CHECK(r.out.find("MEMORANDUM FOR:") != std::string::npos);
    CHECK(r.out.find("---- page copy at WTE ----\nWE DE WTE1\xC3\x98") != std::string::npos);
    CHECK(r.out.find("\x1b") == std::string::npos);  // no control codes when not a terminal
    auto j = nlohmann::json::parse(hakto::test::read_file(path));
    CHECK(j["scenario"] == "june1972");
    std::size_t printed = 0, memo = 0;
    for (const auto& ev : j["events"]) {
        printed += ev["kind"] == "printed";
        memo += ev["kind"] == "memo";
        if (ev["kind"] == "memo") CHECK(ev["memo"]["bullets"][0]["sources"][0] == 1);
    }
    CHECK(printed > 1000);
    CHECK(memo == 1);
}

TEST_CASE("hakto send composes a TOHAK with the current DTG and replays it to Beijing") {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-scenarios";
    std::filesystem::create_directories(dir);
    auto text = dir + "/reply.txt";
    std::ofstream(text) << "1. RICHARDSON SPEECH TEXT FOLLOWS BY SEPARATE WIRE.\n";
    auto r = cli({"send", "--from", "WTE", "--to", "WTE10", "--precedence", "O", "--speed", "max",
                  "--at", "1972-06-19T20:00:00Z", text});
    INFO(r.err);
    REQUIRE(r.code == 0);
    // The page printer's type prints the digit 0 as Ø.
    CHECK(r.out.find("WTE1\xC3\x98 DE WTE") != std::string::npos);
    CHECK(r.out.find("O 192\xC3\x98\xC3\x98\xC3\x98Z JUN 72") != std::string::npos);
    CHECK(r.out.find("TOHAK 1") != std::string::npos);
    CHECK(r.out.find("RICHARDSON SPEECH") != std::string::npos);
    CHECK(cli({"send", "--from", "WTE", "--to", "XXX", text}).code == 2);
}

TEST_CASE("a config file holds the same options as the command line, which wins") {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-scenarios";
    std::filesystem::create_directories(dir);
    auto cfg = dir + "/replay.cfg";
    std::ofstream(cfg) << "speed = max\nno-crypto = 1\ncode = ita2\n";
    auto r = cli({"replay", "--config", cfg});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("on-line encryption") == std::string::npos);
    std::ofstream(cfg) << "speed = max\nbogus = 1\n";
    CHECK(cli({"replay", "--config", cfg}).code == 2);
    CHECK(cli({"replay", "--config", dir + "/none.cfg"}).code == 2);
}
