// The hakto command line, run in-process (fast) and as a real process (exit codes, streams).
#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include "support/cli_run.hpp"

#include "support/files.hpp"
#include "terminals/cli/cli.hpp"

using hakto::terminals::run_cli;

namespace {

using hakto::test::run;
using hakto::test::run_result;

std::string seed_path() {
    return hakto::test::source_path("terminals/frus/data/hakto12.txt");
}

/// Runs the real binary through the shell; returns the exit status and standard output.
run_result run_process(const std::string& command_line) {
    std::string cmd = std::string{HAKTO_BINARY} + " " + command_line + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 4096> buf{};
    while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, {}};
}

}  // namespace

TEST_CASE("hakto parse --format json reports the seed's fields") {
    auto r = run({"parse", seed_path(), "--format", "json"});
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["precedence"]["letter"] == "O");
    CHECK(j["precedence"]["name"] == "IMMEDIATE");
    CHECK(j["dtg"]["day"] == 21);
    CHECK(j["dtg"]["hour"] == 16);
    CHECK(j["dtg"]["minute"] == 15);
    CHECK(j["dtg"]["zone"] == "Z");
    CHECK(j["dtg"]["month"] == "JUN");
    CHECK(j["dtg"]["year"] == 1972);
    CHECK(j["dtg"]["utc"] == "1972-06-21T16:15:00Z");
    CHECK(j["routing"]["called"] == "WE");
    CHECK(j["routing"]["calling"] == "WTE");
    CHECK(j["routing"]["channel"] == "10");
    CHECK(j["series"]["name"] == "HAKTO");
    CHECK(j["series"]["number"] == 12);
    CHECK(j["paragraphs"].size() == 5);
    CHECK(j["paragraphs"][4]["number"] == 5);
    CHECK(j["signoff"] == "WARM REGARDS");
    CHECK(j["from"] == "HENRY A KISSINGER");
    REQUIRE(j["to"].size() == 1);
    CHECK(j["to"][0]["address"] == "GENERAL HAIG, THE WHITE HOUSE");
    CHECK(j["to"][0]["precedence"].is_null());
    CHECK(j["form"] == "radioteletype");
    CHECK(j["classification"] == "TOP SECRET");
    CHECK(j["classification_as_written"] == "TOP SECRET; SENSITIVE; EXCLUSIVELY EYES ONLY");
    CHECK(j["memo"]["from"] == "AL HAIG");
    CHECK(j["memo"]["for"] == "THE PRESIDENT");
    CHECK(j["memo"]["subject"] == "Report from Dr. Kissinger");
    CHECK(j["memo"]["date"] == "1972-06-21");
    CHECK(j["memo"]["bullets"].size() == 5);
    bool month_note = false;
    for (const auto& d : j["diagnostics"]) {
        CHECK(d.contains("line"));
        CHECK(d.contains("column"));
        CHECK(d.contains("code"));
        CHECK(d.contains("message"));
        month_note |= d["code"] == "dtg-month-inferred";
    }
    CHECK(month_note);
    // Diagnostics go to stderr with file:line:col.
    CHECK(r.err.find("hakto12.txt:5:3: note [dtg-month-inferred]") != std::string::npos);
}

TEST_CASE("unknown values are null in the JSON, not invented") {
    auto r = run({"parse", "-", "--format", "json"}, "1. A CABLE WITH NO HEADER AT ALL.\n");
    REQUIRE(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["routing"].is_null());
    CHECK(j["precedence"].is_null());
    CHECK(j["dtg"].is_null());
    CHECK(j["series"].is_null());
    CHECK(j["memo"].is_null());
    CHECK(j["classification"].is_null());
    auto m = run({"parse", "-", "--format", "json"}, "O 211615Z\n1. TEXT.\n");
    auto k = nlohmann::json::parse(m.out);
    CHECK(k["dtg"]["month"].is_null());
    CHECK(k["dtg"]["utc"].is_null());
}

TEST_CASE("exit codes: 0 success, 1 bad input, 2 usage") {
    CHECK(run({"--version"}).code == 0);
    CHECK(run({"--version"}).out.rfind("hakto ", 0) == 0);
    CHECK(run({"--help"}).code == 0);
    CHECK(run({"parse", "--help"}).code == 0);
    CHECK(run({}).code == 2);
    CHECK(run({"frobnicate"}).code == 2);
    CHECK(run({"parse", "--no-such-flag"}).code == 2);
    CHECK(run({"parse", "--format", "yaml", seed_path()}).code == 2);
    auto missing = run({"parse", "/nonexistent/cable.txt"});
    CHECK(missing.code == 1);
    CHECK(missing.err.find("/nonexistent/cable.txt: cannot open") != std::string::npos);
    auto empty = run({"parse", "-"}, "");
    CHECK(empty.code == 1);
    CHECK(empty.err.find("error [empty]") != std::string::npos);
    auto bad = run({"parse", "-"}, "WE DE WTE10\nO 999999Z\n1. TEXT.\n");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("<stdin>:2:3: error [dtg-day]") != std::string::npos);
}

TEST_CASE("hakto encode and decode: hex, raw and tape, both code sets") {
    auto r = run({"encode", "--text", "123 456", "--usos"});
    REQUIRE(r.code == 0);
    CHECK(r.out == "1B 17 13 01 04 1B 0A 10 15\n");
    r = run({"encode", "--text", "123 456"});
    CHECK(r.out == "1B 17 13 01 04 0A 10 15\n");
    auto d = run({"decode", "-"}, "1B 17 13 01 04 0A 10 15\n");
    REQUIRE(d.code == 0);
    CHECK(d.out == "123 456");
    // Bell and apostrophe swap places between the tables.
    CHECK(run({"encode", "--text", "'"}).out == "1B 0B\n");
    CHECK(run({"encode", "--text", "'", "--code", "ita2"}).out == "1B 05\n");
    // Page-copy line ends by default: CR CR LF.
    CHECK(run({"encode", "--text", "A\n"}).out == "1F 03 08 08 02\n");
    CHECK(run({"encode", "--text", "A\n", "--raw-line-ends"}).out == "1F 03 02\n");
    // Raw bytes round trip.
    auto raw = run({"encode", "--text", "WE DE WTE1Ø", "--output", "raw"});
    REQUIRE(raw.code == 0);
    CHECK(raw.out.size() == 13);  // LTRS W E SP D E SP W T E FIGS 1 0
    CHECK(run({"decode", "-", "--format", "raw"}, raw.out).out == "WE DE WTE10");
    // Tape picture round trip.
    auto tape = run({"encode", "--text", "HAKTO 12", "--output", "tape"});
    REQUIRE(tape.code == 0);
    CHECK(tape.out.find("|oo.   |") != std::string::npos);  // A: channels 1 and 2
    CHECK(run({"decode", "-", "--format", "tape"}, tape.out).out == "HAKTO 12");
}

TEST_CASE("encode: strict mode lists every character the code lacks, lenient substitutes") {
    auto r = run({"encode", "--text", "3 ½ HOURS\n— DONE"});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("<text>:1:3: error [unencodable] U+00BD") != std::string::npos);
    CHECK(r.err.find("<text>:2:1: error [unencodable] U+2014") != std::string::npos);
    auto l = run({"encode", "--text", "3 ½ HOURS", "--lenient"});
    CHECK(l.code == 0);
    CHECK(l.err.find("warning [substituted] U+00BD") != std::string::npos);
    CHECK(run({"decode", "-"}, l.out).out == "3 1/2 HOURS");
}

TEST_CASE("decode: malformed input is an error with its place") {
    auto r = run({"decode", "-"}, "1B 17\n13 ZZ\n");
    CHECK(r.code == 1);
    CHECK(r.err.find("<stdin>:2:4: error [hex]") != std::string::npos);
    auto big = run({"decode", "-"}, "1B 20\n");
    CHECK(big.code == 1);
    auto raw = run({"decode", "-", "--format", "raw"}, std::string("\x03\x40", 2));
    CHECK(raw.code == 1);
    CHECK(raw.out.empty());
}

TEST_CASE("the real program: streams and exit codes") {
    auto ok = run_process("parse " + seed_path() + " --format json");
    CHECK(ok.code == 0);
    CHECK(nlohmann::json::parse(ok.out)["signoff"] == "WARM REGARDS");
    CHECK(run_process("parse /nonexistent").code == 1);
    CHECK(run_process("--bogus").code == 2);
    auto version = run_process("--version");
    CHECK(version.code == 0);
    CHECK(version.out == "hakto 0.1.0\n");
}

TEST_CASE(
    "hakto simulate runs the June 1972 scenario, and refuses a malformed one with its place") {
    auto r = run({"simulate", "--no-noise"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("scenario june1972: 3 cables filed, 3 delivered") != std::string::npos);
    CHECK(r.out.find("IMMEDIATE  1 of 1 within 0:30:00.0") != std::string::npos);
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-scenarios";
    std::filesystem::create_directories(dir);
    auto path = dir + "/broken.toml";
    {
        std::ofstream f(path);
        f << "[scenario]\nname = \"b\"\nstart = 1972-06-21T00:00:00Z\n[[station]]\nid = \"A\"\n"
             "[[circuit]]\nid = \"x\"\nbetween = [\"A\", \"Q\"]\nspeed = \"61wpm\"\n";
    }
    auto bad = run({"simulate", "--scenario", path});
    CHECK(bad.code == 1);
    CHECK(bad.err.find(path + ":9:9: circuit[0].speed:") != std::string::npos);
    CHECK(bad.err.find(path + ":8:11: circuit[0].between: no station 'Q'") != std::string::npos);
    {
        std::ofstream f(path);
        f << "\x01\x02 [[[ = = \xff\n";
    }
    CHECK(run({"simulate", "--scenario", path}).code == 1);
    CHECK(run({"simulate", "--scenario", dir + "/missing.toml"}).code == 1);
}
