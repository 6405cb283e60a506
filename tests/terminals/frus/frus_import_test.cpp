// Importing backchannel documents from FRUS TEI XML: the library and `hakto import-frus`.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include "support/cli_run.hpp"

#include "protocol/cable/cable_parser.hpp"
#include "support/files.hpp"
#include "terminals/cli/cli.hpp"
#include "terminals/frus/bundled.hpp"
#include "terminals/frus/frus_import.hpp"

using namespace hakto::terminals;

namespace {

using hakto::test::frus_path;
using hakto::test::run;
using hakto::test::run_result;

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

std::string test_dir() {
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-frus";
    std::filesystem::create_directories(dir);
    return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
    auto path = test_dir() + "/" + name;
    std::ofstream f(path, std::ios::binary);
    f << text;
    return path;
}

constexpr const char* tei_open =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" xmlns:frus=\"http://history.state.gov/ns/1.0\">\n"
    "<teiHeader><fileDesc><titleStmt><title>Test "
    "volume</title></titleStmt></fileDesc></teiHeader>\n"
    "<text><body>\n";
constexpr const char* tei_close = "</body></text></TEI>\n";

/// A memorandum of conversation: no series, no routing line.
const std::string memcon_div = R"(<div type="document" xml:id="d901" n="901">
<head>901. Memorandum of Conversation, Beijing, June 21, 1972, 10:05 a.m.<note n="1" )"
                               R"(xml:id="d901fn1" type="source">)"
                               R"(Source: A test file. Top Secret.</note></head>
<dateline><placeName>Beijing</placeName>, <date when="1972-06-21T10:05:00">)"
                               R"(June 21, 1972</date></dateline>
<list type="participants"><head>PARTICIPANTS:</head><item>A Person, Somebody</item>)"
                               R"(<item>Another Person</item></list>
<p>MEMORANDUM OF CONVERSATION</p>
<p>The two sides <hi rend="italic">exchanged</hi> pleasantries.</p>
</div>
)";

/// A backchannel message with a footnote inside a paragraph, a page break mid-sentence and
/// most of the markup the volume uses.
const std::string footnote_div =
    R"(<div type="document" xml:id="d902" n="902">
<head>902. Backchannel Message TOHAK 3 From the President's Deputy Assistant (<persName )"
    R"(type="from">)"
    R"(Haig</persName>) to the President's Assistant (<persName type="to">)"
    R"(Kissinger</persName>), Washington, June 20, 1972, 0100Z<note n="1" type="source">)"
    R"(Source: A test file. Top Secret; Sensitive.</note><note n="2" type="summary">)"
    R"(Haig sends the speech.</note></head>
<pb n="1" xml:id="d902-01"/>
<dateline><placeName>Washington</placeName>, <date when="1972-06-20T01:00:00Z">)"
    R"(June 20, 1972, 0100Z</date></dateline>
<p>WTE DE WTE 20</p>
<p>O 200100Z JUN 72</p>
<p>TOHAK 3</p>
<p>1. TEXT OF <gloss target="#t_US1">US</gloss> SPEECH FOLLOWS BY SEPARATE<note n="3" )"
    R"(xml:id="d902fn3">)"
    R"(Not found in the files.</note> MESSAGE.</p>
<p>2. <persName corresp="#p_RWP1">ROGERS</persName> AGREES WITH THE <pb n="2" xml:id="d902-02"/>)"
    R"(APPROACH<lb/>YOU PROPOSED.</p>
<p>3. <quote>QUOTE THE SPEECH UNQUOTE</quote> IS SHORT.</p>
<p>WARM REGARDS</p>
<p>[Covering memorandum]</p>
<p>June 20, 1972</p>
<p>MEMORANDUM FOR: THE PRESIDENT</p>
<p>FROM: <persName>Al Haig</persName></p>
<p>SUBJECT: The Speech</p>
<p>I sent the text:</p>
<list><item>— first point</item><item>— second point</item></list>
<table><row><cell>Left</cell><cell>Right</cell></row></table>
<frus:attachment><head>Attachment</head><p>An attached page.</p></frus:attachment>
<div type="section"><p>A nested section.</p></div>
<p>The end.<figure><graphic url="x.tif"/></figure></p>
</div>
)";

std::string wrap(const std::string& divs) {
    return std::string{tei_open} + divs + tei_close;
}

const frus_document* by_id(const std::vector<frus_document>& docs, const std::string& id) {
    for (const auto& d : docs)
        if (d.id == id) return &d;
    return nullptr;
}

bool has_code(const hakto::protocol::diagnostics& ds, const std::string& code) {
    return std::any_of(ds.begin(), ds.end(), [&](const auto& d) { return d.code == code; });
}

}  // namespace

TEST_CASE("import-frus: a footnote inside a paragraph and a page break mid-sentence") {
    auto r = import_frus(wrap(footnote_div), "footnote.xml");
    REQUIRE(r);
    REQUIRE(r.value().size() == 1);
    const auto& d = r.value().front();
    CHECK(d.id == "d902");
    CHECK(d.number == 902);
    CHECK(d.recognised_by == frus_recognition::title_series);
    REQUIRE(d.series);
    CHECK(d.series->name == "TOHAK");
    CHECK(d.series->number == 3);
    CHECK(d.title.rfind(
              "902. Backchannel Message TOHAK 3 From the President's Deputy Assistant (Haig)", 0) ==
          0);
    CHECK(d.title.find("Source") == std::string::npos);
    REQUIRE(d.dateline);
    CHECK(d.dateline->place == "Washington");
    CHECK(d.dateline->when == "1972-06-20T01:00:00Z");
    CHECK(d.source_note == "Source: A test file. Top Secret; Sensitive.");
    CHECK(d.summary == "Haig sends the speech.");
    REQUIRE(d.notes.size() == 3);
    CHECK(d.notes[2].number == 3);
    CHECK(d.notes[2].text == "Not found in the files.");
    CHECK_FALSE(d.notes[2].in_title);
    // The body lines: the footnote's text is not in the paragraph.
    REQUIRE(d.cable_lines.size() == 7);
    CHECK(d.cable_lines[3].text == "1. TEXT OF US SPEECH FOLLOWS BY SEPARATE MESSAGE.");
    CHECK(d.cable_lines[4].text == "2. ROGERS AGREES WITH THE APPROACH\nYOU PROPOSED.");
    REQUIRE(d.cable_lines[4].page_breaks.size() == 1);
    CHECK(d.cable_lines[4].page_breaks[0].n == "2");
    CHECK(d.cable_lines[5].text == "3. QUOTE THE SPEECH UNQUOTE IS SHORT.");
    CHECK(d.has_covering_memo);
    // The parsed cable.
    const auto& c = d.parsed.message;
    REQUIRE(c.routing);
    CHECK(c.routing->called == "WTE");
    CHECK(c.prec == hakto::protocol::precedence::immediate);
    REQUIRE(c.paragraphs.size() == 3);
    CHECK(c.paragraphs[0].text == "TEXT OF US SPEECH FOLLOWS BY SEPARATE MESSAGE.");
    CHECK(c.paragraphs[1].text == "ROGERS AGREES WITH THE APPROACH YOU PROPOSED.");
    CHECK(c.signoff == "WARM REGARDS");
    CHECK(std::find(d.parsed.page_breaks.begin(), d.parsed.page_breaks.end(), 2) !=
          d.parsed.page_breaks.end());
    REQUIRE(d.parsed.covering_memo);
    const auto& m = *d.parsed.covering_memo;
    CHECK(m.from == "Al Haig");
    CHECK(m.subject == "The Speech");
    CHECK(m.bullets.size() == 2);
    // The memo lines keep lists, tables, attachments and nested divisions in order.
    std::vector<std::string> memo;
    for (const auto& l : d.memo_lines) memo.push_back(l.text);
    CHECK(std::find(memo.begin(), memo.end(), "Left | Right") != memo.end());
    CHECK(std::find(memo.begin(), memo.end(), "Attachment") != memo.end());
    CHECK(std::find(memo.begin(), memo.end(), "An attached page.") != memo.end());
    CHECK(std::find(memo.begin(), memo.end(), "A nested section.") != memo.end());
    CHECK(memo.back() == "The end.");
    // The figure is left out, and said so.
    CHECK(has_code(d.import_diagnostics, "frus-skipped-element"));
    // The notes close the published text.
    CHECK(contains(d.published_text, "\n  3. Not found in the files.\n"));
    REQUIRE(d.parsed.notes.size() == 3);
    CHECK(d.parsed.notes[0].text == "Source: A test file. Top Secret; Sensitive.");
}

TEST_CASE("import-frus: only backchannel documents unless all are asked for") {
    auto xml = wrap("<div type=\"chapter\"><head>Chapter 1</head>\n" + memcon_div + footnote_div +
                    "</div>\n");
    auto some = import_frus(xml, "vol.xml");
    REQUIRE(some);
    REQUIRE(some.value().size() == 1);
    CHECK(some.value()[0].id == "d902");
    frus_import_options all;
    all.all_documents = true;
    auto every = import_frus(xml, "vol.xml", all);
    REQUIRE(every);
    REQUIRE(every.value().size() == 2);
    const auto& memcon = every.value()[0];
    CHECK(memcon.id == "d901");
    CHECK_FALSE(memcon.is_backchannel());
    CHECK(memcon.dateline->when == "1972-06-21T10:05:00");
    REQUIRE(!memcon.cable_lines.empty());
    CHECK(memcon.cable_lines[0].text == "PARTICIPANTS: A Person, Somebody");
    CHECK(memcon.cable_lines[1].text == "Another Person");
    CHECK(has_code(memcon.import_diagnostics, "frus-no-cable-lines"));
}

TEST_CASE("import-frus: a routing line alone makes a backchannel document, with the tei prefix") {
    std::string xml = R"(<?xml version="1.0"?>
<tei:TEI xmlns:tei="http://www.tei-c.org/ns/1.0"><tei:text><tei:body>
<tei:div type="document" xml:id="d5" n="5"><tei:head>5. Message From Somebody to Somebody )"
                      R"(Else</tei:head>
<tei:p>WTE DE WTE 10</tei:p><tei:p>P 201713Z JUN 72</tei:p><tei:p>1. A SHORT MESSAGE.</tei:p>
<tei:mystery>ODD</tei:mystery>
</tei:div></tei:body></tei:text></tei:TEI>
)";
    auto r = import_frus(xml, "prefixed.xml");
    REQUIRE(r);
    REQUIRE(r.value().size() == 1);
    const auto& d = r.value()[0];
    CHECK(d.recognised_by == frus_recognition::routing_line);
    CHECK_FALSE(d.series);
    CHECK(has_code(d.import_diagnostics, "frus-no-dateline"));
    CHECK(has_code(d.import_diagnostics, "frus-unknown-element"));
    CHECK(has_code(d.import_diagnostics, "frus-no-source-note"));
    REQUIRE(d.parsed.message.routing);
    CHECK(d.parsed.message.routing->channel == "10");
    CHECK(d.parsed.message.paragraphs.size() ==
          2);  // "1. A SHORT MESSAGE." and the unknown element's text
}

TEST_CASE("import-frus: malformed input is an error with its place, never a crash") {
    auto expect_error = [](const std::string& name, const std::string& text,
                           const std::string& what) {
        auto path = write_file(name, text);
        auto r = import_frus_file(path);
        REQUIRE_FALSE(r);
        INFO(r.error().message);
        CHECK(r.error().message.rfind(path, 0) == 0);
        CHECK(contains(r.error().message, what));
        auto cli = run({"import-frus", path});
        CHECK(cli.code == 1);
        CHECK(cli.out.empty());
        CHECK(contains(cli.err, path));
    };
    expect_error("empty.xml", "", "empty");
    expect_error("blank.xml", "  \n\n", "empty");
    expect_error("prose.xml", "This is not XML at all.\n", "no root element");
    expect_error("not-tei.xml",
                 "<?xml version=\"1.0\"?>\n<root>\n  <div type=\"document\"/>\n</root>\n",
                 ":2:1: not a TEI document: the root element is <root>");
    expect_error("no-docs.xml", wrap("<div type=\"chapter\"><p>Nothing here.</p></div>"),
                 "no <div type=\"document\">");
    auto truncated = wrap(footnote_div);
    truncated.resize(truncated.size() / 2);
    expect_error("truncated.xml", truncated, "not well-formed XML");
    expect_error("mismatch.xml", "<TEI>\n<text>\n  <body></text>\n</TEI>\n", ":3:");
    // Five megabytes of noise.
    std::string noise(5u << 20, '\0');
    std::uint32_t x = 12345;
    for (auto& ch : noise) {
        x = x * 1664525u + 1013904223u;
        ch = static_cast<char>(x >> 24);
    }
    auto noise_path = write_file("noise.xml", noise);
    auto r = import_frus_file(noise_path);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.rfind(noise_path + ":", 0) == 0);
    CHECK(run({"import-frus", noise_path}).code == 1);
    // Noise after a valid start: the place is the line where it goes wrong.
    auto tail =
        write_file("tail.xml", wrap(footnote_div).substr(0, 200) + "\n\n<<<\x01\x02 &&& >>>");
    auto t = import_frus_file(tail);
    REQUIRE_FALSE(t);
    CHECK(contains(t.error().message, "not well-formed XML"));
    // A missing file.
    auto missing = import_frus_file(test_dir() + "/missing.xml");
    REQUIRE_FALSE(missing);
    CHECK(contains(missing.error().message, "missing.xml: cannot open"));
    // Deep nesting is cut off, not followed into a stack overflow.
    std::string deep =
        "<div type=\"document\" xml:id=\"d1\" n=\"1\"><head>1. Backchannel Message HAKTO 1 From A "
        "to B</head><p>";
    for (int i = 0; i < 100000; ++i) deep += "<hi>";
    deep += "DEEP";
    for (int i = 0; i < 100000; ++i) deep += "</hi>";
    deep += "</p></div>";
    auto d = import_frus(wrap(deep), "deep.xml");
    REQUIRE(d);
    REQUIRE(d.value().size() == 1);
    CHECK(has_code(d.value()[0].import_diagnostics, "frus-too-deep"));
}

TEST_CASE("import-frus: usage errors") {
    CHECK(run({"import-frus"}).code == 2);
    CHECK(run({"import-frus", "--help"}).code == 0);
    CHECK(run({"import-frus", "x.xml", "--format", "yaml"}).code == 2);
    CHECK(run({"import-frus", "x.xml", "--bogus"}).code == 2);
    CHECK(contains(run({"--help"}).out, "import-frus"));
}

TEST_CASE("import-frus: the CLI on a synthetic file, in all three formats") {
    auto path = write_file("synthetic.xml", wrap(memcon_div + footnote_div));
    auto text = run({"import-frus", path});
    REQUIRE(text.code == 0);
    CHECK(contains(text.out, "d902 (" + path + ")"));
    CHECK(contains(text.out, "TOHAK 3"));
    CHECK_FALSE(contains(text.out, "d901"));
    CHECK(contains(text.err, path + ": doc d902: "));
    auto json = run({"import-frus", path, "--all", "--format", "json"});
    REQUIRE(json.code == 0);
    auto j = nlohmann::json::parse(json.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["frus"]["id"] == "d901");
    CHECK(j[0]["frus"]["recognised_by"] == "none");
    CHECK(j[1]["frus"]["series"]["name"] == "TOHAK");
    CHECK(j[1]["frus"]["dateline"]["when"] == "1972-06-20T01:00:00Z");
    CHECK(j[1]["paragraphs"].size() == 3);
    CHECK(j[1]["import_diagnostics"].is_array());
    auto doc = run({"import-frus", path, "--doc", "d901", "--format", "document"});
    REQUIRE(doc.code == 0);
    CHECK(doc.out.rfind("901. Memorandum of Conversation", 0) == 0);
    auto none = run({"import-frus", path, "--doc", "d141"});
    CHECK(none.code == 1);
    CHECK(none.out.empty());
    CHECK(contains(none.err, "d141 not found in " + path));
    // By series tag.
    auto tag = run({"import-frus", path, "--doc", "TOHAK 3", "--format", "json"});
    REQUIRE(tag.code == 0);
    CHECK(nlohmann::json::parse(tag.out)[0]["frus"]["id"] == "d902");
}

namespace {

/// The <div type="document"> of a one-document file, as it stands there.
std::string document_div(int n) {
    auto text = hakto::test::read_file(frus_path(n));
    auto start = text.find("<div type=\"document\"");
    auto end = text.find("</div>", start);
    REQUIRE(start != std::string::npos);
    REQUIRE(end != std::string::npos);
    return text.substr(start, end + 6 - start) + "\n";
}

}  // namespace

TEST_CASE("import-frus: d140 is HAKTO 7") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    auto r = import_frus_file(frus_path(140));
    REQUIRE(r);
    REQUIRE(r.value().size() == 1);
    const auto& d = r.value()[0];
    CHECK(d.id == "d140");
    CHECK(d.number == 140);
    CHECK(d.title ==
          "140. Backchannel Message HAKTO 7 From the President's Assistant for National Security "
          "Affairs "
          "(Kissinger) to the President's Deputy Assistant for National Security Affairs (Haig), "
          "Beijing, June 19, "
          "1972, 1801Z");
    REQUIRE(d.series);
    CHECK(hakto::protocol::format_series_tag(*d.series) == "HAKTO 7");
    CHECK(d.recognised_by == frus_recognition::title_series);
    REQUIRE(d.dateline);
    CHECK(d.dateline->place == "Beijing");
    CHECK(d.dateline->when == "1972-06-19T18:01:00Z");
    REQUIRE(d.source_note);
    CHECK(d.source_note->rfind("Source: National Archives, Nixon Presidential Materials", 0) == 0);
    REQUIRE(d.summary);
    CHECK(d.summary->rfind("Kissinger described his reception", 0) == 0);
    CHECK(d.cable_lines[0].text == "TO: GENERAL HAIG");
    CHECK(d.cable_lines[1].text == "FROM: HWENMJIJ Kissinger");
    CHECK(d.has_covering_memo);
    CHECK(d.import_diagnostics.empty());

    const auto& c = d.parsed.message;
    REQUIRE(c.routing);
    CHECK(c.routing->called == "VFE");
    CHECK(c.routing->calling == "WTE");
    CHECK(c.routing->channel == "10");
    CHECK_FALSE(c.prec);
    REQUIRE(c.date_time_group);
    CHECK(c.date_time_group->day == 19);
    CHECK(c.date_time_group->hour == 18);
    CHECK(c.date_time_group->minute == 10);
    CHECK(c.date_time_group->month == 6);
    CHECK(c.date_time_group->year == 1972);
    REQUIRE(c.series);
    CHECK(c.series->number == 7);
    CHECK(first_addressee(c) == "GENERAL HAIG");
    CHECK(c.from == "HWENMJIJ Kissinger");
    REQUIRE(c.paragraphs.size() == 5);
    CHECK(c.paragraphs[4].number == 5);
    CHECK(c.signoff == "WARM REGARDS");
    CHECK(has_code(d.parsed.notes_for_reader, "title-dtg-mismatch"));
    REQUIRE(d.parsed.covering_memo);
    const auto& m = *d.parsed.covering_memo;
    CHECK(m.date == "1972-06-19");
    CHECK(m.for_ == "THE PRESIDENT");
    CHECK(m.from == "GENERAL A.M. HAIG");
    CHECK(m.subject == "Initial Report from Mr. Kissinger's Peking Trip");
    CHECK(m.bullets.size() == 4);
    REQUIRE(d.parsed.notes.size() == 2);
    CHECK(d.parsed.notes[0].text.rfind("Source: National Archives", 0) == 0);
    CHECK(c.classification == "TOP SECRET");
    CHECK(c.classification_as_written == "TOP SECRET; SENSITIVE; EXCLUSIVELY EYES ONLY");
}

TEST_CASE("import-frus: d143 is HAKTO 12") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    auto r = import_frus_file(frus_path(143));
    REQUIRE(r);
    REQUIRE(r.value().size() == 1);
    const auto& d = r.value()[0];
    CHECK(d.id == "d143");
    CHECK(d.number == 143);
    CHECK(d.title.rfind("143. Backchannel Message HAKTO 12 From the President's Assistant", 0) ==
          0);
    CHECK(d.title.size() > 10);
    CHECK(d.title.substr(d.title.size() - 29) == "Beijing, June 21, 1972, 1615Z");
    REQUIRE(d.series);
    CHECK(hakto::protocol::format_series_tag(*d.series) == "HAKTO 12");
    CHECK(d.dateline->when == "1972-06-21T16:15:00Z");
    CHECK(d.source_note->rfind("Source: National Archives", 0) == 0);

    const auto& c = d.parsed.message;
    REQUIRE(c.routing);
    CHECK(c.routing->called == "WE");
    CHECK(c.routing->calling == "WTE");
    CHECK(c.routing->channel == "10");
    CHECK(c.prec == hakto::protocol::precedence::immediate);
    REQUIRE(c.date_time_group);
    CHECK(c.date_time_group->day == 21);
    CHECK(c.date_time_group->hour == 16);
    CHECK(c.date_time_group->minute == 15);
    CHECK(c.date_time_group->month == 6);
    CHECK(c.date_time_group->year == 1972);
    CHECK(c.inferred.count("dtg.month") == 1);
    CHECK(has_code(d.parsed.notes_for_reader, "dtg-month-inferred"));
    CHECK_FALSE(has_code(d.parsed.notes_for_reader, "title-dtg-mismatch"));
    REQUIRE(c.series);
    CHECK(c.series->number == 12);
    CHECK(c.inferred.count("series.number") == 1);
    CHECK(c.date_line == "JUNE 21, 1972");
    CHECK(first_addressee(c) == "GENERAL HAIG, THE WHITE HOUSE");
    CHECK(c.from == "HENRY A KISSINGER");
    REQUIRE(c.paragraphs.size() == 5);
    CHECK(c.signoff == "WARM REGARDS");
    REQUIRE(d.parsed.covering_memo);
    const auto& m = *d.parsed.covering_memo;
    CHECK(m.from == "AL HAIG");
    CHECK(m.subject == "Report from Dr. Kissinger");
    CHECK(m.bullets.size() == 5);
    // The page break in mid-sentence (pb n="3") leaves the sentence whole.
    REQUIRE(!m.paragraphs.empty());
    CHECK(contains(m.paragraphs.back(), "on how to promote exchanges between our countries."));
    CHECK(std::find(d.parsed.page_breaks.begin(), d.parsed.page_breaks.end(), 3) !=
          d.parsed.page_breaks.end());
}

TEST_CASE("import-frus: a volume made of d140, d143, a memcon and a footnoted document") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    auto volume =
        wrap("<div type=\"chapter\" xml:id=\"ch1\"><head>June 1972</head>\n" + memcon_div +
             document_div(140) + footnote_div + document_div(143) + "</div>\n");
    auto path = write_file("volume.xml", volume);
    auto r = import_frus_file(path);
    REQUIRE(r);
    REQUIRE(r.value().size() == 3);
    CHECK(r.value()[0].id == "d140");
    CHECK(r.value()[1].id == "d902");
    CHECK(r.value()[2].id == "d143");
    const auto* fn = by_id(r.value(), "d902");
    REQUIRE(fn);
    CHECK(fn->cable_lines[3].text == "1. TEXT OF US SPEECH FOLLOWS BY SEPARATE MESSAGE.");
    CHECK_FALSE(contains(fn->published_text, "SEPARATE Not found"));
    frus_import_options all;
    all.all_documents = true;
    auto every = import_frus_file(path, all);
    REQUIRE(every);
    CHECK(every.value().size() == 4);
    // The finder used by the replay.
    auto h12 = find_frus_document({path}, "HAKTO 12");
    REQUIRE(h12);
    CHECK(h12.value().id == "d143");
    auto h7 = find_frus_document({frus_path(143), frus_path(140)}, "d140");
    REQUIRE(h7);
    CHECK(h7.value().parsed.message.paragraphs.size() == 5);
    auto by_number = find_frus_document({path}, "901");
    REQUIRE(by_number);
    CHECK(by_number.value().id == "d901");
    auto missing = find_frus_document({frus_path(140), frus_path(143)}, "d141");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "d141 not found in " + frus_path(140) + ", " + frus_path(143));
    auto nonsense = find_frus_document({path}, "no such thing");
    REQUIRE_FALSE(nonsense);
    CHECK(contains(nonsense.error().message, "neither a document id"));
    auto bad_file = find_frus_document({path, test_dir() + "/absent.xml"}, "d140");
    REQUIRE_FALSE(bad_file);
    CHECK(contains(bad_file.error().message, "absent.xml: cannot open"));
}

TEST_CASE("import-frus: the CLI on d140 and d143") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    auto p140 = frus_path(140), p143 = frus_path(143);
    auto text = run({"import-frus", p140, p143});
    REQUIRE(text.code == 0);
    CHECK(contains(text.out, "d140 (" + p140 + ")"));
    CHECK(contains(text.out, "HAKTO 7"));
    CHECK(contains(text.out, "VFE DE WTE10"));
    CHECK(contains(text.out, "211615Z JUN 72 = 1972-06-21T16:15:00Z  (month and year inferred)"));
    CHECK(contains(text.out, "Report from Dr. Kissinger"));
    CHECK(contains(text.err, p140 + ": doc d140: warning [title-dtg-mismatch]"));
    CHECK(contains(text.err, p143 + ": doc d143: text "));

    auto json = run({"import-frus", p140, p143, "--format", "json"});
    REQUIRE(json.code == 0);
    auto j = nlohmann::json::parse(json.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["frus"]["id"] == "d140");
    CHECK(j[0]["frus"]["number"] == 140);
    CHECK(j[0]["frus"]["series"]["name"] == "HAKTO");
    CHECK(j[0]["frus"]["series"]["number"] == 7);
    CHECK(j[0]["frus"]["dateline"]["place"] == "Beijing");
    CHECK(j[0]["frus"]["dateline"]["when"] == "1972-06-19T18:01:00Z");
    CHECK(j[0]["dtg"]["text"] == "191810Z JUN 72");
    CHECK(j[0]["routing"]["called"] == "VFE");
    CHECK(j[0]["memo"]["bullets"].size() == 4);
    CHECK(j[1]["series"]["number"] == 12);
    CHECK(j[1]["frus"]["source_note"].get<std::string>().rfind("Source: National Archives", 0) ==
          0);
    CHECK(j[1]["frus"]["summary"].get<std::string>().rfind("Kissinger recounted", 0) == 0);
    CHECK(j[1]["import_diagnostics"].empty());

    auto none = run({"import-frus", p140, p143, "--doc", "d141"});
    CHECK(none.code == 1);
    CHECK(none.out.empty());
    CHECK(contains(none.err, "d141 not found in " + p140 + ", " + p143));
}

TEST_CASE("import-frus: the published text of d143 parses again to the same fields") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    auto p143 = frus_path(143);
    auto doc = run({"import-frus", p143, "--doc", "d143", "--format", "document"});
    REQUIRE(doc.code == 0);
    CHECK(doc.out.rfind("143. Backchannel Message HAKTO 12 From", 0) == 0);
    CHECK(contains(doc.out, "\n\nWE DE WTE1Ø\n\nO 211615Z\n\nJUNE 21, 1972\n"));
    CHECK(contains(doc.out, "\n[Covering memorandum]\n"));
    CHECK(contains(doc.out, "\n[Page 2]\n"));
    CHECK(contains(doc.out, "how to [Page 3] promote"));
    CHECK(contains(doc.out, "\n  1. Source: National Archives"));
    auto parsed = run({"parse", "-", "--format", "json"}, doc.out);
    REQUIRE(parsed.code == 0);
    auto again = nlohmann::json::parse(parsed.out);
    auto imported = nlohmann::json::parse(run({"import-frus", p143, "--format", "json"}).out)[0];
    imported.erase("frus");
    imported.erase("import_diagnostics");
    CHECK(again == imported);
    CHECK(again["routing"]["called"] == "WE");
    CHECK(again["dtg"]["utc"] == "1972-06-21T16:15:00Z");
    CHECK(again["series"]["number"] == 12);
    CHECK(again["paragraphs"].size() == 5);
    CHECK(again["memo"]["bullets"].size() == 5);
    CHECK(again["memo"]["from"] == "AL HAIG");
    CHECK(again["title"]["utc"] == "1972-06-21T16:15:00Z");
}

TEST_CASE("the bundled document, FRUS E-13 doc 143, is built in and reads with no error") {
    auto text = bundled_document("d143");
    REQUIRE_FALSE(text.empty());
    auto doc = hakto::protocol::parse_document(text);
    std::string errors;
    for (const auto& d : doc.notes_for_reader)
        if (d.level == hakto::protocol::severity::error)
            errors += hakto::protocol::format_diagnostic("hakto12.txt", d) + "\n";
    INFO(errors);
    REQUIRE_FALSE(hakto::protocol::has_errors(doc.notes_for_reader));
    REQUIRE(doc.message.series);
    CHECK(doc.message.series->name == "HAKTO");
    CHECK(doc.message.paragraphs.size() == 5);
    REQUIRE(doc.covering_memo);
    // The file on disk is the one built in.
    CHECK(text ==
          hakto::test::read_file(hakto::test::source_path("terminals/frus/data/hakto12.txt")));
    CHECK(bundled_document("d140").empty());  // not bundled: the text comes from --frus
}
