// The volume `hakto frus fetch` stores, found where it was stored: `hakto frus status` reports
// it, and replay and explain read it without --frus. Without one (the tests' own empty data
// directory, catch_main.cpp), status fails and the replay runs HAKTO 7 without its text.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "support/cli_run.hpp"
#include "support/files.hpp"
#include "terminals/fetch/fetch_fixture.hpp"

using hakto::test::contains;
using hakto::test::fetch_fixture;
using hakto::test::run;
using hakto::test::scoped_data_dir;

TEST_CASE("without a stored volume, frus status fails and says where it looked") {
    auto r = run({"frus", "status"});
    CHECK(r.code == 1);
    // The tests' own data directory, never the developer's ~/.local/share/hakto.
    const std::string dir = std::getenv("HAKTO_DATA_DIR");
    CHECK(contains(dir, HAKTO_BUILD_DIR));
    CHECK(contains(r.out, "hakto frus fetch stores into " + dir + "\n"));
    CHECK(contains(r.out, "  " + dir + " ($HAKTO_DATA_DIR): not there\n"));
    CHECK_FALSE(contains(r.out, ".local/share"));
    CHECK_FALSE(contains(r.out, "/var/lib/hakto"));
    CHECK(contains(r.out, "no volume: run 'hakto frus fetch'"));
    // And replay runs HAKTO 7 without its text, saying how to get it.
    auto replay = run({"replay", "--cable", "HAKTO 7", "--speed", "max"});
    CHECK(replay.code == 0);
    CHECK(contains(replay.err, "HAKTO 7: text not supplied"));
    CHECK(contains(replay.err, "Run 'hakto frus fetch'"));
    // explain --doc needs a file then.
    auto explain = run({"explain", "--doc", "d140"});
    CHECK(explain.code == 2);
    CHECK(contains(explain.err, "run 'hakto frus fetch'"));
}

TEST_CASE("a volume fetched into the data directory is found by status, replay and explain") {
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d140.xml")) return;
    if (!hakto::test::have_shared("frus/frus1969-76ve13-d143.xml")) return;
    fetch_fixture f{"found"};
    auto fetched = run(f.fetch_args("/frus1969-76ve13.xml"));
    INFO(fetched.err);
    REQUIRE(fetched.code == 0);

    auto status = run({"frus", "status", "--data-dir", f.data_dir});
    INFO(status.out);
    CHECK(status.code == 0);
    CHECK(contains(status.out, f.data_dir + " (--data-dir): " + std::to_string(f.volume.size()) +
                                   " bytes (the one read)"));
    CHECK(contains(status.out, f.volume_path() + ": frus1969-76ve13, 3 documents"));
    CHECK(contains(status.out, "d140 HAKTO 7, d141 HAKTO 9, d143 HAKTO 12"));

    scoped_data_dir here{f.data_dir};
    CHECK(run({"frus", "status"}).code == 0);
    // HAKTO 7 with its text, from the stored volume, without --frus.
    auto replay = run({"replay", "--cable", "HAKTO 7", "--speed", "max"});
    INFO(replay.err);
    CHECK(replay.code == 0);
    CHECK(contains(replay.out, "text: as published, FRUS 1969-1976 vol. E-13 doc 140"));
    CHECK(contains(replay.out, "1. OUR INITIAL RECEPTION HAS BEEN THE WARMEST OF ANY VISIT YET"));
    CHECK_FALSE(contains(replay.err, "HAKTO 7: text not supplied"));
    // explain --doc chooses from it.
    auto explain = run({"explain", "--doc", "d140", "--color", "never"});
    INFO(explain.err);
    CHECK(explain.code == 0);
    CHECK(contains(explain.out, "HAKTO 7"));
    CHECK(contains(explain.out, f.volume_path()));
    // --frus still wins: an unreadable one is warned about, the stored volume not read.
    auto given =
        run({"replay", "--cable", "HAKTO 7", "--speed", "max", "--frus", f.root + "/none.xml"});
    CHECK(contains(given.err, "--frus " + f.root + "/none.xml"));
    CHECK(contains(given.err, "HAKTO 7: text not supplied"));
}

TEST_CASE("a stored file that is not the volume makes status fail, naming what is wrong") {
    auto dir = hakto::test::work_folder("test-fetch/status-bad", true);
    std::ofstream(dir + "/frus1969-76ve13.xml") << "<TEI><teiHeader/></TEI>\n";
    auto r = run({"frus", "status", "--data-dir", dir});
    CHECK(r.code == 1);
    CHECK(contains(r.out, "not usable: " + dir +
                              "/frus1969-76ve13.xml:1:1: <TEI> is not in the "
                              "TEI namespace"));
    CHECK(contains(r.out, "run 'hakto frus fetch' to replace it"));
}
