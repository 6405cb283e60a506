// hakto explain: the annotated walkthrough of a cable, and the table of explanations it and the
// exhibit share (terminals/explain/data/elements.toml).
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/text/text_util.hpp"
#include "support/cli_run.hpp"
#include "support/files.hpp"
#include "terminals/explain/explain.hpp"

using hakto::test::run;
using namespace hakto::terminals;
using json = nlohmann::json;

namespace {

std::string seed_path() {
    return hakto::test::source_path("terminals/frus/data/hakto12.txt");
}

/// The walkthrough of `args` as JSON (exit status checked).
json explain_json(std::vector<std::string> args) {
    args.insert(args.begin(), "explain");
    args.push_back("--format");
    args.push_back("json");
    auto r = run(args);
    INFO(r.err);
    REQUIRE(r.code == 0);
    return json::parse(r.out);
}

const json* line_of(const json& walk, int number) {
    for (const auto& l : walk["lines"])
        if (l["line"] == number) return &l;
    return nullptr;
}

std::set<std::string> elements_on(const json& line) {
    std::set<std::string> out;
    for (const auto& n : line["notes"]) out.insert(n["element"].get<std::string>());
    return out;
}

std::set<std::string> codes_on(const json& line) {
    std::set<std::string> out;
    for (const auto& d : line["diagnostics"]) out.insert(d["code"].get<std::string>());
    return out;
}

const json* note_of(const json& line, std::string_view element) {
    for (const auto& n : line["notes"])
        if (n["element"] == element) return &n;
    return nullptr;
}

/// The element ids the header lines of a walkthrough carry, by line role.
std::map<std::string, std::set<std::string>> header_elements(const json& walk) {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& l : walk["lines"]) {
        if (l["role"].is_null()) continue;
        auto role = l["role"].get<std::string>();
        for (const auto& e : elements_on(l)) out[role].insert(e);
    }
    return out;
}

std::string write_temp(const std::string& name, const std::string& content) {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-explain";
    std::filesystem::create_directories(dir);
    auto path = dir + "/" + name;
    std::ofstream f(path, std::ios::binary);
    f << content;
    return path;
}

}  // namespace

TEST_CASE("the built-in table of explanations loads, and covers every element explain uses") {
    auto t = load_builtin_explain_table();
    INFO((t ? std::string{} : t.error().to_string()));
    REQUIRE(t);
    for (const auto& spec : explain_element_specs()) {
        INFO(spec.id);
        const auto* e = t.value().find(spec.id);
        REQUIRE(e);
        CHECK_FALSE(e->title.empty());
        CHECK(e->text.size() > 40);
        CHECK_FALSE(e->sources.empty());
        for (const auto& s : e->sources) CHECK(t.value().source(s));
    }
    CHECK(t.value().elements.size() == explain_element_specs().size());
}

TEST_CASE("the table as JSON for the exhibit: every element with its placeholders and sources") {
    auto j = explain_table_json();
    REQUIRE(j.contains("elements"));
    REQUIRE(j.contains("sources"));
    CHECK(j["elements"].size() == explain_element_specs().size());
    const auto& zone = j["elements"]["dtg.zone"];
    CHECK(zone["title"] == "Zone letter");
    CHECK(zone["placeholders"] == json::array({"zone", "offset", "beijing", "washington"}));
    CHECK(zone["value"].get<std::string>().find("{beijing}") != std::string::npos);
    for (const auto& [id, e] : j["elements"].items())
        for (const auto& s : e["sources"]) CHECK(j["sources"].contains(s.get<std::string>()));
    CHECK(j["sources"]["frus-d143"].get<std::string>().find("frus1969-76ve13/d143") !=
          std::string::npos);
}

TEST_CASE("a broken table is refused with the place of each problem") {
    auto syntax = load_explain_table("[element.routing\ntitle = 1\n", "t.toml");
    REQUIRE_FALSE(syntax);
    CHECK(syntax.error().problems.at(0).to_string().rfind("t.toml:1:", 0) == 0);

    auto t = load_explain_table(
        "[sources.a]\ntext = \"a source\"\n"
        "[element.routing]\ntitle = \"R\"\ntext = \"the routing line\"\nsources = [\"a\"]\ncolour "
        "= \"red\"\n"
        "[element.routing.called]\ntitle = \"C\"\ntext = \"called\"\nvalue = \"{caled}\"\nsources "
        "= [\"a\", \"b\"]\n"
        "[element.routng]\ntitle = \"typo\"\ntext = \"x\"\nsources = [\"a\"]\n",
        "t.toml");
    REQUIRE_FALSE(t);
    auto all = t.error().to_string();
    INFO(all);
    CHECK(all.find("t.toml:7:10: element.routing: unknown key 'colour'") != std::string::npos);
    CHECK(all.find("t.toml:11:9: element.routing.called.value: unknown placeholder {caled} (known: "
                   "called)") != std::string::npos);
    CHECK(all.find("t.toml:12:17: element.routing.called.sources: cites source 'b', which "
                   "[sources] does not define") != std::string::npos);
    CHECK(all.find("t.toml:13:1: element.routng: is not an element hakto explain knows") !=
          std::string::npos);
    CHECK(all.find("t.toml: no [element.dtg.zone]") != std::string::npos);
}

TEST_CASE("hakto explain with no file: the bundled HAKTO 12, every header element explained") {
    auto j = explain_json({});
    REQUIRE(j["walkthroughs"].size() == 1);
    const auto& w = j["walkthroughs"][0];

    // Every header field the parser read from the seed gets a note on its line.
    auto doc = hakto::protocol::parse_document(hakto::test::read_file(seed_path()));
    auto by_role = header_elements(w);
    using hakto::protocol::header_field;
    std::map<header_field, std::pair<std::string, std::string>> expected{
        {header_field::routing, {"routing", "routing.calling"}},
        {header_field::precedence_dtg, {"precedence-dtg", "dtg.zone"}},
        {header_field::date_line, {"date-line", "date_line"}},
        {header_field::to, {"to", "to"}},
        {header_field::from, {"from", "from"}},
        {header_field::series, {"series", "series.hakto"}},
    };
    REQUIRE(doc.message.layout.header_order.size() == 6);
    for (auto f : doc.message.layout.header_order) {
        auto [role, element] = expected.at(f);
        INFO(role);
        CHECK(by_role[role].count(element) == 1);
    }

    const auto* routing = line_of(w, 3);
    REQUIRE(routing);
    CHECK((*routing)["text"] == "WE DE WTE1Ø");
    CHECK(elements_on(*routing) == std::set<std::string>{"routing", "routing.called", "routing.de",
                                                         "routing.calling",
                                                         "routing.slashed_zero"});
    CHECK((*note_of(*routing, "routing.called"))["label"] == "WE");
    CHECK((*note_of(*routing, "routing.called"))["column"] == 1);
    CHECK((*note_of(*routing, "routing.de"))["column"] == 4);
    CHECK((*note_of(*routing, "routing.calling"))["label"] == "WTE1Ø");
    CHECK((*note_of(*routing, "routing.calling"))["value"] ==
          "Calling: WTE10, channel or station number 10.");

    const auto* dtg = line_of(w, 5);
    REQUIRE(dtg);
    CHECK(elements_on(*dtg) ==
          std::set<std::string>{"precedence", "dtg", "dtg.zone", "dtg.no_month_year"});
    CHECK((*note_of(*dtg, "precedence"))["value"] ==
          "O = IMMEDIATE: handling objective 30 minutes.");
    auto zone = (*note_of(*dtg, "dtg.zone"))["value"].get<std::string>();
    CHECK(zone.find("220015H JUN 72 in Beijing") != std::string::npos);
    CHECK(zone.find("211215Q JUN 72 in Washington") != std::string::npos);
    CHECK((*note_of(*dtg, "dtg.zone"))["column"] == 9);
    CHECK((*note_of(*dtg, "dtg"))["value"] ==
          "Day 21, 16:15 in zone Z; the instant: 1972-06-21T16:15:00Z (UTC).");
    // The parser's inference shows where it happened.
    CHECK(codes_on(*dtg).count("dtg-month-inferred") == 1);

    const auto* series = line_of(w, 13);
    REQUIRE(series);
    CHECK(elements_on(*series) == std::set<std::string>{"series.hakto", "series.no_number"});
    CHECK(codes_on(*series).count("series-number-from-title") == 1);
    CHECK((*note_of(*series, "series.hakto"))["value"] ==
          "HAKTO 12 (the number from the title); the answering series is TOHAK.");

    // The text: paragraph numbers, NOT REPEAT NOT, the caveat, a name the edition lowered.
    CHECK(elements_on(*line_of(w, 15)) == std::set<std::string>{"paragraph"});
    CHECK(elements_on(*line_of(w, 20)).count("emphasis") == 1);
    CHECK((*note_of(*line_of(w, 20), "emphasis"))["label"] == "NOT REPEAT NOT");
    auto para2 = elements_on(*line_of(w, 18));
    CHECK(para2.count("caveat") == 1);
    CHECK(para2.count("mixed_case") == 1);
    CHECK((*note_of(*line_of(w, 18), "mixed_case"))["label"] == "Laird");
    CHECK(elements_on(*line_of(w, 26)) == std::set<std::string>{"signoff"});

    // The document around the cable: title, marker, memo, notes; and diagnostics without a
    // line placed where they belong.
    CHECK(elements_on(*line_of(w, 1)) == std::set<std::string>{"title"});
    CHECK(elements_on(*line_of(w, 28)) == std::set<std::string>{"covering_marker"});
    CHECK(elements_on(*line_of(w, 30)) == std::set<std::string>{"memo.date"});
    CHECK(elements_on(*line_of(w, 32)) == std::set<std::string>{"page_marker"});
    CHECK(elements_on(*line_of(w, 34)) == std::set<std::string>{"memo.for"});
    CHECK(elements_on(*line_of(w, 36)) == std::set<std::string>{"memo.from"});
    CHECK(elements_on(*line_of(w, 38)) == std::set<std::string>{"memo.subject"});
    CHECK(elements_on(*line_of(w, 42)) == std::set<std::string>{"memo.bullet"});
    // Which cable paragraph each bullet restates, by the words they share: Haig split paragraph
    // 2 into three bullets; the opening restates none.
    std::vector<std::string> restated;
    for (int line = 42; line <= 46; ++line) {
        auto v = (*note_of(*line_of(w, line), "memo.bullet"))["value"].get<std::string>();
        auto at = v.find("restates paragraph ");
        REQUIRE(at != std::string::npos);
        restated.push_back(v.substr(at + 19, 1));
    }
    CHECK(restated == std::vector<std::string>{"1", "2", "2", "2", "3"});
    CHECK((*note_of(*line_of(w, 40), "memo.paragraph"))["value"].get<std::string>().find(
              "no one paragraph") != std::string::npos);
    const auto* source = line_of(w, 50);
    REQUIRE(source);
    CHECK(elements_on(*source) == std::set<std::string>{"source_note"});
    CHECK(codes_on(*source).count("classification-from-source-note") == 1);
    CHECK(w["unplaced_diagnostics"].empty());
    // The FROM line and the others of the header are not taken for mixed-case text.
    CHECK(elements_on(*line_of(w, 11)) == std::set<std::string>{"from"});
}

TEST_CASE("hakto explain as text: the cable's own line, then its notes, then the sources") {
    auto r = run({"explain", seed_path()});
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("   3  WE DE WTE1Ø\n") != std::string::npos);
    CHECK(r.out.find("- WE (3:1) Called station") != std::string::npos);
    CHECK(r.out.find("- Z (5:9) Zone letter") != std::string::npos);
    CHECK(r.out.find("! 5:3: note [dtg-month-inferred]") != std::string::npos);
    CHECK(r.out.find("\nSources\n[1] ") != std::string::npos);
    CHECK(r.out.find("\x1b[") == std::string::npos);  // not a terminal: plain text
    // The notes come after their line and before the next one.
    auto line3 = r.out.find("   3  WE DE WTE1Ø");
    auto called = r.out.find("Called station");
    auto line5 = r.out.find("   5  O 211615Z");
    CHECK(line3 < called);
    CHECK(called < line5);
    // Same input, same bytes; the default is the bundled seed.
    CHECK(run({"explain", seed_path()}).out == r.out);
    auto bundled = run({"explain"});
    CHECK(bundled.out.substr(bundled.out.find("\n\n")) == r.out.substr(r.out.find("\n\n")));
}

TEST_CASE("hakto explain --wrap and --color") {
    auto r = run({"explain", "--wrap", "72"});
    REQUIRE(r.code == 0);
    std::size_t start = 0, checked = 0;
    while (start < r.out.size()) {
        auto end = r.out.find('\n', start);
        auto line = r.out.substr(start, end - start);
        start = end + 1;
        // A line longer than the wrap column is one word that cannot be broken (a long URL).
        if (hakto::protocol::utf8_length(line) > 72) {
            INFO(line);
            auto words = hakto::protocol::split_words(line);
            CHECK(words.size() == 1);
        }
        ++checked;
    }
    CHECK(checked > 100);
    auto wide = run({"explain", "--wrap", "0"});
    CHECK(wide.out.find(
              "THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO VIETNAM WITH SOME "
              "DISCUSSION OF SOVIET UNION AT OUTSET.") != std::string::npos);
    auto colour = run({"explain", "--color", "always"});
    CHECK(colour.out.find("\x1b[") != std::string::npos);
    CHECK(run({"explain", "--color", "never"}).out.find("\x1b[") == std::string::npos);
    CHECK(run({"explain", "--color", "pink"}).code == 2);
    CHECK(run({"explain", "--format", "xml"}).code == 2);
    CHECK(run({"explain", "--doc", "d143", seed_path()}).code == 2);
}

TEST_CASE("hakto explain: a bad file gives a positioned error, exit 1 and no output") {
    auto missing = run({"explain", "/nonexistent/cable.txt"});
    CHECK(missing.code == 1);
    CHECK(missing.out.empty());
    CHECK(missing.err.find("/nonexistent/cable.txt: cannot open") != std::string::npos);

    auto bad_dtg = write_temp("bad-dtg.txt", "WE DE WTE10\nO 219915Z JUN 72\nHAKTO 1\n1. TEXT.\n");
    auto r = run({"explain", bad_dtg});
    CHECK(r.code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find(bad_dtg + ":2:5: error [dtg-hour]") != std::string::npos);

    auto empty = write_temp("empty.txt", "\n\n");
    auto e = run({"explain", empty});
    CHECK(e.code == 1);
    CHECK(e.out.empty());
    CHECK(e.err.find(empty + ":1:1: error [empty]") != std::string::npos);

    auto binary = run({"explain", "-"}, std::string(200, '\x01'));
    CHECK(binary.code == 1);
    CHECK(binary.err.find("<stdin>:1:1: error") != std::string::npos);

    auto xml = write_temp("broken.xml", "<TEI><text><body><div type=\"document\"");
    auto x = run({"explain", xml});
    CHECK(x.code == 1);
    CHECK(x.out.empty());
    CHECK(x.err.find(xml + ":1:") != std::string::npos);
}

TEST_CASE("hakto explain reads standard input and an ACP 127 envelope") {
    auto page = run({"parse", seed_path(), "--format", "acp127"});
    REQUIRE(page.code == 0);
    auto r = run({"explain", "-", "--format", "json"}, page.out);
    REQUIRE(r.code == 0);
    auto w = json::parse(r.out)["walkthroughs"][0];
    std::set<std::string> all;
    for (const auto& l : w["lines"])
        for (const auto& e : elements_on(l)) all.insert(e);
    for (auto e : {"acp127.fl1", "acp127.fl2", "acp127.fl3", "acp127.fl4", "acp127.bt",
                   "acp127.fl15", "acp127.end", "precedence", "dtg.month_year", "classification"}) {
        INFO(e);
        CHECK(all.count(e) == 1);
    }
}

TEST_CASE("the real program: hakto explain writes plain text to a pipe") {
    std::string cmd = std::string{HAKTO_BINARY} + " explain 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 4096> buf{};
    while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    int status = pclose(p);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(out.find("WE DE WTE1Ø") != std::string::npos);
    CHECK(out.find("\x1b[") == std::string::npos);
}

using hakto::test::frus_path;

TEST_CASE("hakto explain on FRUS doc 140 (HAKTO 7): the garbles where they stand") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    auto j = explain_json({frus_path(140)});
    REQUIRE(j["walkthroughs"].size() == 1);
    const auto& w = j["walkthroughs"][0];
    CHECK(w["name"].get<std::string>().find("doc d140") != std::string::npos);
    std::map<std::string, const json*> by_text;
    for (const auto& l : w["lines"]) by_text[l["text"].get<std::string>()] = &l;

    REQUIRE(by_text.count("VFE DE WTE10"));
    const auto& routing = *by_text["VFE DE WTE10"];
    CHECK((*note_of(routing, "routing.called"))["label"] == "VFE");
    CHECK(elements_on(routing).count("routing.slashed_zero") == 0);

    REQUIRE(by_text.count("191810Z JUN 72"));
    const auto& dtg = *by_text["191810Z JUN 72"];
    CHECK(elements_on(dtg) ==
          std::set<std::string>{"precedence.none", "dtg", "dtg.zone", "dtg.month_year"});
    CHECK(codes_on(dtg).count("precedence-missing") ==
          1);  // on the line where the precedence would stand
    CHECK(w["unplaced_diagnostics"].empty());

    // A name the edition lowered is one note, once a line: "Le Duc Tho".
    const json* vietnam = nullptr;
    for (const auto& l : w["lines"])
        if (l["text"].get<std::string>().find("Le Duc Tho HAD JUST") != std::string::npos)
            vietnam = &l;
    REQUIRE(vietnam);
    std::vector<std::string> names;
    for (const auto& n : (*vietnam)["notes"])
        if (n["element"] == "mixed_case") names.push_back(n["label"].get<std::string>());
    CHECK(names == std::vector<std::string>{"Le Duc Tho"});

    // HWENMJIJ: the garbled-word warning and the garble note on the FROM line.
    const json* from = nullptr;
    for (const auto& l : w["lines"])
        if (l["text"].get<std::string>().find("HWENMJIJ") != std::string::npos) from = &l;
    REQUIRE(from);
    CHECK((*from)["role"] == "from");
    CHECK(codes_on(*from).count("garbled-word") == 1);
    REQUIRE(note_of(*from, "garble"));
    CHECK((*note_of(*from, "garble"))["label"] == "HWENMJIJ");
    CHECK((*note_of(*from, "mixed_case"))["label"] == "Kissinger");

    // The title says 1801Z, the DTG 191810Z: the mismatch is shown on the title line.
    const auto& title = w["lines"][0];
    CHECK(title["role"] == "title");
    CHECK(codes_on(title).count("title-dtg-mismatch") == 1);

    // Header elements: routing, precedence/DTG, TO, FROM, series.
    auto roles = header_elements(w);
    CHECK(roles["to"].count("to") == 1);
    CHECK(roles["from"].count("from") == 1);
    CHECK(roles["series"].count("series.hakto") == 1);
    CHECK(roles["memo-bullet"].count("memo.bullet") == 1);
}

TEST_CASE("hakto explain on FRUS doc 143 and --doc: the same walkthrough as the bundled text") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    auto xml = explain_json({frus_path(143)});
    auto chosen = explain_json({frus_path(143), "--doc", "d143"});
    CHECK(xml["walkthroughs"] == chosen["walkthroughs"]);
    auto bundled = explain_json({});
    auto roles_xml = header_elements(xml["walkthroughs"][0]);
    auto roles_bundled = header_elements(bundled["walkthroughs"][0]);
    for (auto role : {"routing", "precedence-dtg", "date-line", "to", "from", "series", "paragraph",
                      "signoff", "memo-for", "memo-from", "memo-subject", "memo-bullet"}) {
        INFO(role);
        CHECK(roles_xml[role] == roles_bundled[role]);
    }
    auto by_number = explain_json({frus_path(143), "--doc", "HAKTO 12"});
    CHECK(by_number["walkthroughs"] == xml["walkthroughs"]);

    auto missing = run({"explain", frus_path(143), "--doc", "d999"});
    CHECK(missing.code == 1);
    CHECK(missing.out.empty());
    CHECK(missing.err.find("d999 not found") != std::string::npos);

    auto text = run({"explain", frus_path(140)});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("HWENMJIJ (") != std::string::npos);
    CHECK(text.out.find("[garbled-word] 'HWENMJIJ' looks garbled") != std::string::npos);
}

TEST_CASE(
    "hakto explain on the State telegrams of the dev set: every header line its element, none a "
    "paragraph") {
    auto dir = hakto::test::shared_path("plusd-dev/cables");
    if (!std::filesystem::exists(dir)) {
        std::cout << "HAKTO-SKIP: " << dir << " is not there\n";
        return;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        auto path = entry.path().string();
        INFO(path);
        auto walk = explain_json({path})["walkthroughs"][0];
        bool text = false;
        for (const auto& l : walk["lines"]) {
            auto role = l["role"].is_null() ? std::string{} : l["role"].get<std::string>();
            if (role == "paragraph") text = true;
            if (text) continue;
            INFO("line " << l["line"] << ": " << l["text"].get<std::string>() << " (" << role
                         << ")");
            CHECK_FALSE(role.empty());
            // A line that starts an element says what it is; a continuation belongs to the one
            // before.
            if (!l["continuation"].get<bool>()) CHECK_FALSE(l["notes"].empty());
        }
        CHECK(text);
        // General texts, not the June 1972 notes: the State telegram's own context.
        for (const auto& l : walk["lines"])
            for (const auto& n : l["notes"]) {
                auto t = n["text"].get<std::string>();
                CHECK(t.find("HAKTO 12") == std::string::npos);
                CHECK(n["note"].get<std::string>().find("HAKTO 12") == std::string::npos);
            }
    }
}

TEST_CASE("hakto explain on the Situation Room form and a FRUS printed document") {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-explain";
    std::filesystem::create_directories(dir);
    auto sitroom = dir + "/sitroom.txt";
    std::ofstream(sitroom)
        << "OP IMMED\nDE WTE #0661 0381304\nO 071304Z FEB 74\nFM THE SITUATION ROOM //TOHAK 003//\n"
           "TO PETER RODMAN FOR SECRETARY KISSINGER\nVIA 86970\nWH40366\nBT\n"
           "1. A COMPOSED TEXT.\nBT\n#0661\nNNNN\n";
    auto walk = explain_json({sitroom})["walkthroughs"][0];
    CHECK(elements_on(*line_of(walk, 1)).count("precedence.words"));
    CHECK(elements_on(*line_of(walk, 1)).count("precedence"));
    CHECK(elements_on(*line_of(walk, 2)).count("acp127.fl3"));
    CHECK(elements_on(*line_of(walk, 4)).count("from"));
    CHECK(elements_on(*line_of(walk, 4)).count("series.tohak"));
    CHECK(elements_on(*line_of(walk, 6)).count("via"));
    CHECK(elements_on(*line_of(walk, 7)).count("message_number"));
    auto printed = dir + "/printed.txt";
    std::ofstream(printed)
        << "55. Backchannel Message From the Assistant (Kissinger) to the Deputy (Haig), Saigon, "
           "October 22, 1972, 0210Z\n\nHakto 46/226. 1. A composed paragraph.\n\n2. Another.\n";
    auto p = explain_json({printed})["walkthroughs"][0];
    auto first = elements_on(*line_of(p, 3));
    CHECK(first.count("series.hakto"));
    CHECK(first.count("paragraph"));
}
