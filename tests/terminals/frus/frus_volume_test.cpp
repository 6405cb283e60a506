// The E-13 volume on this machine: the data directories in their order, the lookup, and the
// check of a volume, each failure named with its place.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

#include "support/files.hpp"
#include "terminals/fetch/https_test_server.hpp"
#include "terminals/frus/frus_volume.hpp"

using hakto::test::contains;
using namespace hakto::terminals;

namespace {

/// An environment of the test's own.
environment_lookup env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}

std::vector<std::string> paths(const std::vector<frus_data_dir>& dirs) {
    std::vector<std::string> out;
    for (const auto& d : dirs) out.push_back(d.path + " " + d.source);
    return out;
}

}  // namespace

TEST_CASE("the data directories: --data-dir, HAKTO_DATA_DIR, XDG_DATA_HOME, HOME, the service") {
    using v = std::vector<std::string>;
    auto all = env({{"HAKTO_DATA_DIR", "/srv/h"}, {"XDG_DATA_HOME", "/x"}, {"HOME", "/home/a"}});
    CHECK(paths(frus_data_dirs(std::string{"/given"}, all)) == v{"/given --data-dir"});
    // An explicit HAKTO_DATA_DIR is the one place: nothing else is looked at.
    CHECK(paths(frus_data_dirs({}, all)) == v{"/srv/h $HAKTO_DATA_DIR"});
    CHECK(paths(frus_data_dirs({}, env({{"HAKTO_DATA_DIR", ""}, {"XDG_DATA_HOME", "/x"}}))) ==
          v{"/x/hakto $XDG_DATA_HOME", "/var/lib/hakto service"});
    CHECK(paths(frus_data_dirs({}, env({{"XDG_DATA_HOME", "/x"}, {"HOME", "/home/a"}}))) ==
          v{"/x/hakto $XDG_DATA_HOME", "/var/lib/hakto service"});
    // XDG Base Directory: a relative XDG_DATA_HOME is ignored.
    CHECK(paths(frus_data_dirs({}, env({{"XDG_DATA_HOME", "rel"}, {"HOME", "/home/a"}}))) ==
          v{"/home/a/.local/share/hakto $HOME", "/var/lib/hakto service"});
    CHECK(paths(frus_data_dirs({}, env({}))) == v{"/var/lib/hakto service"});
    // The service's home as XDG_DATA_HOME's parent is not listed twice.
    CHECK(paths(frus_data_dirs({}, env({{"XDG_DATA_HOME", "/var/lib"}}))) ==
          v{"/var/lib/hakto $XDG_DATA_HOME"});
}

TEST_CASE("find_frus_volume returns the first data directory that holds the volume") {
    auto root = hakto::test::work_folder("test-fetch/find", true);
    std::filesystem::create_directories(root + "/xdg/hakto");
    std::filesystem::create_directories(root + "/home/.local/share/hakto");
    auto e = env({{"XDG_DATA_HOME", root + "/xdg"}, {"HOME", root + "/home"}});
    CHECK_FALSE(find_frus_volume({}, e));
    // A folder of the volume's name is not the volume.
    std::filesystem::create_directories(root + "/xdg/hakto/frus1969-76ve13.xml");
    CHECK_FALSE(find_frus_volume({}, e));
    std::filesystem::remove(root + "/xdg/hakto/frus1969-76ve13.xml");
    std::ofstream(root + "/xdg/hakto/frus1969-76ve13.xml") << "<TEI/>";
    CHECK(find_frus_volume({}, e) == root + "/xdg/hakto/frus1969-76ve13.xml");
    CHECK(find_frus_volume(root + "/home", e) == std::nullopt);
    CHECK_FALSE(find_frus_volume({}, env({{"HAKTO_DATA_DIR", root + "/none"}})));
}

TEST_CASE("check_frus_volume accepts the E-13 volume and names what is wrong with another") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    auto pieces = hakto::test::read_volume_pieces();
    auto volume = hakto::test::assemble_volume(pieces);
    auto good = check_frus_volume(volume, "v.xml");
    REQUIRE(good);
    CHECK(good.value().volume_id == "frus1969-76ve13");
    CHECK(good.value().documents == 3);
    CHECK(good.value().backchannel == 3);
    REQUIRE(good.value().required.size() == 3);
    CHECK(good.value().required[0].id == "d140");
    CHECK(good.value().required[0].series == "HAKTO 7");
    CHECK(good.value().required[1].series == "HAKTO 9");
    CHECK(good.value().required[2].series == "HAKTO 12");
    CHECK(good.value().required[2].title.rfind("143. Backchannel Message HAKTO 12", 0) == 0);

    using hakto::test::replace_all;
    auto fails = [](const std::string& text) {
        auto r = check_frus_volume(text, "v.xml");
        REQUIRE_FALSE(r);
        return r.error().message;
    };
    CHECK(fails("") == "v.xml: empty: there is no XML in it");
    // Not well formed: the place of the break.
    auto cut = volume.substr(0, volume.size() / 2);
    CHECK(contains(fails(cut), "not well-formed XML"));
    CHECK(
        fails("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">\n<a></b></TEI>").rfind("v.xml:2:", 0) ==
        0);
    CHECK(fails("<html><body/></html>") ==
          "v.xml:1:1: not a TEI document: the root element is <html>, not <TEI>");
    CHECK(fails("<TEI><teiHeader/></TEI>") ==
          "v.xml:1:1: <TEI> is not in the TEI namespace http://www.tei-c.org/ns/1.0: it declares "
          "no namespace");
    CHECK(contains(fails("<TEI xmlns=\"urn:other\"/>"), "its namespace is urn:other"));
    CHECK(contains(fails("<tei:TEI xmlns:tei=\"http://www.tei-c.org/ns/1.0\"/>"),
                   "<TEI> has no <teiHeader>"));
    CHECK(contains(fails(replace_all(volume, "<idno type=\"frus\">", "<idno type=\"other\">")),
                   "the teiHeader has no <idno type=\"frus\">"));
    auto wrong = fails(replace_all(volume, ">frus1969-76ve13</idno>", ">frus1969-76v17</idno>"));
    CHECK(contains(wrong, "this is volume 'frus1969-76v17', not frus1969-76ve13"));
    // Placed at the <idno>: its line in the volume.
    auto idno_line =
        1 + std::count(
                volume.begin(),
                volume.begin() + static_cast<std::ptrdiff_t>(volume.find("<idno type=\"frus\">")),
                '\n');
    CHECK(wrong.rfind("v.xml:" + std::to_string(idno_line) + ":", 0) == 0);
    CHECK(contains(fails(hakto::test::assemble_volume(pieces, false)),
                   "document d141 is missing (no <div type=\"document\" xml:id=\"d141\">; the "
                   "file holds 2 documents)"));
    // d141 there, but not a backchannel message: an editorial note in its place.
    auto note = pieces;
    note.d141 =
        "<div type=\"document\" xml:id=\"d141\" n=\"141\"><head>141. Editorial "
        "Note</head><p>Nothing here.</p></div>";
    CHECK(contains(fails(hakto::test::assemble_volume(note)),
                   "document d141 is not recognised as a backchannel message"));
    // A backchannel message of another series.
    auto tohak = pieces;
    tohak.d141 = replace_all(tohak.d141, "HAKTO 9", "TOHAK 9");
    CHECK(contains(fails(hakto::test::assemble_volume(tohak)),
                   "document d141 is not a HAKTO message"));
}
