// FLASH pre-emption across real processes (the hakto binary) on 127.0.0.1: a long ROUTINE filed
// into a station's spool, a FLASH after it. The FLASH breaks the ROUTINE off on the circuit it
// is on (at the origin or at the relay), arrives first, and the ROUTINE follows once, whole; the
// break shows on the destination's printer port. The same with the relay killed with SIGKILL
// mid-FLASH and mid-resend. The tests wait for what the processes show (logs, files, printer
// bytes), each wait with a deadline.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/net_processes.hpp"
#include "support/process.hpp"

namespace fs = std::filesystem;
using hakto::test::count_of;
using hakto::test::eventually;
using hakto::test::net_run;
using hakto::test::raw_client;
using hakto::test::read_port;
using hakto::test::slurp;
using hakto::test::work_dir;

namespace {

/// The body of a cable: numbered paragraphs of lines shorter than a page line (69 columns),
/// about `characters` long, each line different.
std::vector<std::string> body_lines(const std::string& tag, std::size_t characters) {
    const char* words[] = {"TRADE", "VISIT",     "COMMUNIQUE", "SHANGHAI", "PREMIER",
                           "PRESS", "EXCHANGES", "AGREED",     "SESSION",  "HOURS",
                           "TEXT",  "DRAFT",     "MEETING",    "EVENING",  "MORNING"};
    std::vector<std::string> lines;
    std::size_t total = 0;
    for (int i = 1; total < characters; ++i) {
        std::string line = fmt::format("{} {}.", tag, i);
        for (int w = 0; line.size() < 60; ++w) {
            line += ' ';
            line += words[(i * 7 + w) % 15];
        }
        total += line.size() + 1;
        lines.push_back(line);
    }
    return lines;
}

std::string spool_text(const std::string& prosign, const std::string& series,
                       const std::vector<std::string>& body) {
    std::string t = fmt::format("B DE A\n\n{} 211615Z JUN 72\n\n{}\n\n", prosign, series);
    for (const auto& l : body) t += l + "\n";
    return t;
}

/// Files `text` into the spool as the station expects: written under another name, renamed.
void file_into(const std::string& spool, const std::string& name, const std::string& text) {
    const auto tmp = fs::path(spool) / (name + ".part");
    std::ofstream(tmp) << text;
    fs::rename(tmp, fs::path(spool) / (name + ".txt"));
}

/// Every line of `body` in `text`, once.
bool whole_once(const std::string& text, const std::vector<std::string>& body) {
    for (const auto& l : body)
        if (count_of(text, l) != 1) return false;
    return true;
}

/// The run: relay R between A (with a spool) and B (with an out-dir and a printer port).
struct flash_run {
    net_run r;
    std::string spool;
    std::unique_ptr<raw_client> page;
    std::string page_text;

    explicit flash_run(const std::string& name) {
        r.dir = work_dir(name);
        r.scenario = hakto::test::line_scenario(r.dir, 0);
        r.speed = "50x";
        spool = r.dir + "/spool";
        fs::create_directories(spool);
        r.start_relay();
        r.start_station(r.b, "B",
                        {"--printer-port", "0", "--printer-port-file", r.dir + "/B.printer"});
        unsigned port = 0;
        REQUIRE(eventually([&] { return (port = read_port(r.dir + "/B.printer")) != 0; }));
        page = std::make_unique<raw_client>(port);
        r.start_station(r.a, "A", {"--spool", spool});
    }
    /// The printer port's bytes so far.
    const std::string& read_page() {
        std::array<char, 4096> buf{};
        page->s.non_blocking(true);
        for (;;) {
            boost::system::error_code ec;
            auto n = page->s.read_some(boost::asio::buffer(buf), ec);
            if (ec) break;
            page_text.append(buf.data(), n);
        }
        return page_text;
    }
    /// HAKTO 21 (the FLASH) delivered at B before HAKTO 20 (the ROUTINE), each once and whole.
    void check_flash_first(const std::vector<std::string>& routine,
                           const std::vector<std::string>& flash) {
        REQUIRE(eventually([&] { return delivered().size() == 2; }, std::chrono::seconds{60}));
        const auto got = delivered();
        CHECK(whole_once(got.at("HAKTO 20"), routine));
        CHECK(whole_once(got.at("HAKTO 21"), flash));
        const auto b_log = log("B");
        CHECK(count_of(b_log, "delivered HAKTO 20") == 1);
        CHECK(count_of(b_log, "delivered HAKTO 21") == 1);
        CHECK(b_log.find("delivered HAKTO 21") < b_log.find("delivered HAKTO 20"));
    }
    /// Every process stops cleanly.
    void stop() {
        CHECK(r.a.stop(SIGTERM) == 0);
        CHECK(r.b.stop(SIGTERM) == 0);
        CHECK(r.relay.stop(SIGTERM) == 0);
    }
    std::string log(const std::string& id) const { return slurp(r.dir + "/" + id + ".log"); }
    bool logged(const std::string& id, const std::string& what) const {
        return log(id).find(what) != std::string::npos;
    }
    /// The cables delivered at B: label -> text.
    std::map<std::string, std::string> delivered() const {
        std::map<std::string, std::string> out;
        std::error_code ec;
        for (auto it = fs::directory_iterator(r.dir + "/out", ec);
             !ec && it != fs::directory_iterator(); it.increment(ec)) {
            if (it->path().extension() != ".json") continue;
            auto d = hakto::terminals::read_delivered(it->path().string());
            if (d) out[d.value().label] = d.value().text;
        }
        return out;
    }
};

}  // namespace

TEST_CASE(
    "across processes a FLASH breaks off the ROUTINE on the relay's outgoing circuit and "
    "arrives first, and the ROUTINE follows once, whole",
    "[net][process][precedence]") {
    flash_run f("flash-relay");
    const auto routine = body_lines("ROUTINE", 2250);
    const auto flash = body_lines("FLASH", 200);
    file_into(f.spool, "h20", spool_text("R", "HAKTO 20", routine));
    // HAKTO 20 has crossed to the relay and is printing at B.
    REQUIRE(eventually([&] { return f.read_page().find(routine[1]) != std::string::npos; },
                       std::chrono::seconds{30}));
    file_into(f.spool, "h21", spool_text("Z", "HAKTO 21", flash));
    f.check_flash_first(routine, flash);
    CHECK(f.logged("R", "HAKTO 20 to B (channel serial 001) broken off after"));
    CHECK(f.logged("R", "a FLASH message pre-empts it"));
    CHECK(f.logged("B", "HAKTO 20 channel serial 001 from R broken off after"));
    // The printer port: part of HAKTO 20, the break, HAKTO 21 whole, HAKTO 20 again whole.
    REQUIRE(eventually([&] { return f.read_page().find(routine.back()) != std::string::npos; }));
    const auto& page = f.read_page();
    const auto mark = page.find("*** HAKTO 20 BROKEN OFF: TO BE SENT AGAIN ***");
    REQUIRE(mark != std::string::npos);
    CHECK(page.find(routine[1]) < mark);
    CHECK(page.find(flash.front()) > mark);
    CHECK(page.rfind(routine.front()) > page.find(flash.back()));
    CHECK(count_of(page, flash.back()) == 1);
    CHECK(count_of(page, routine.back()) == 1);  // the broken copy never got that far
    f.stop();
}

TEST_CASE(
    "across processes a FLASH filed after a ROUTINE breaks it off at the origin, and with the "
    "relay killed mid-FLASH and mid-resend every cable still arrives once, FLASH first",
    "[net][process][precedence]") {
    flash_run f("flash-kill");
    const auto routine = body_lines("ROUTINE", 2250);
    const auto flash = body_lines("FLASH", 600);
    file_into(f.spool, "h20", spool_text("R", "HAKTO 20", routine));
    REQUIRE(eventually([&] { return f.logged("A", "sending HAKTO 20 to R"); }));
    file_into(f.spool, "h21", spool_text("Z", "HAKTO 21", flash));
    // The FLASH on the line from A: the relay dies in the middle of it.
    REQUIRE(eventually([&] { return f.logged("A", "sending HAKTO 21 to R"); }));
    CHECK(f.logged("A", "HAKTO 20 to R (channel serial 001) broken off after"));
    CHECK(f.r.relay.stop(SIGKILL) == 128 + SIGKILL);
    f.r.start_relay();
    // HAKTO 20 again from A: the relay dies in the middle of that too.
    REQUIRE(eventually([&] { return f.logged("A", "sending again HAKTO 20 to R"); },
                       std::chrono::seconds{30}));
    CHECK(f.r.relay.stop(SIGKILL) == 128 + SIGKILL);
    f.r.start_relay();
    f.check_flash_first(routine, flash);
    f.stop();
}

TEST_CASE(
    "hakto replay --net of the flash drill breaks the ROUTINE off and delivers the FLASH "
    "first, in the in-process replay's order",
    "[net][process][precedence]") {
    const auto dir = work_dir("replay-drill");
    hakto::test::process p(HAKTO_BINARY,
                           {"replay", "--net", "--scenario", "flash-drill", "--speed", "50x"},
                           dir + "/out.txt");
    CHECK(p.wait_for(std::chrono::milliseconds{90000}) == 0);
    const auto out = slurp(dir + "/out.txt");
    INFO(out);
    CHECK(out.find("*** DRILL 1 BROKEN OFF: TO BE SENT AGAIN ***") != std::string::npos);
    CHECK(out.find("Delivered over TCP in the order DRILL 2, DRILL 1: the same as the in-process "
                   "replay's") != std::string::npos);
    CHECK(out.find("DRILL 1 delivered at WTE over TCP: 2382 characters, the same as the "
                   "in-process replay's copy") != std::string::npos);
}
