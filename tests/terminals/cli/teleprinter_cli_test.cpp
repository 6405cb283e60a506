// --teleprinter on hakto replay, hakto station and hakto exhibit, end to end: the built program
// as a process, a pseudo-terminal pair standing in for the serial device (the program opens the
// slave by its name, the test reads and types on the master). What comes out is the replay's
// page printer code for code (Baudot) or its page copy byte for byte (ASCII); what is typed
// files a cable (a station's, a visitor's TOHAK); a missing device is reported and the exhibit
// serves its page anyway; bad settings exit 2.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "support/cli_run.hpp"
#include "support/net_processes.hpp"
#include "support/process.hpp"
#include "terminals/net/net_delivered.hpp"

namespace fs = std::filesystem;
using hakto::test::eventually;
using hakto::test::process;
using hakto::test::slurp;
using namespace std::chrono_literals;

namespace {

/// A pseudo-terminal pair: the slave's name for the program, the master for the test. The test
/// keeps the slave open too (so the master never reads as hung up between the program's
/// openings) and sets it raw, so nothing typed is echoed before the program has set it.
struct tp_pty_pair {
    int master = -1, slave = -1;
    std::string name;

    tp_pty_pair() {
        REQUIRE(::openpty(&master, &slave, nullptr, nullptr, nullptr) == 0);
        name = ::ttyname(slave);
        termios t{};
        REQUIRE(::tcgetattr(slave, &t) == 0);
        ::cfmakeraw(&t);
        REQUIRE(::tcsetattr(slave, TCSANOW, &t) == 0);
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    ~tp_pty_pair() {
        ::close(master);
        ::close(slave);
    }
    tp_pty_pair(const tp_pty_pair&) = delete;
    tp_pty_pair& operator=(const tp_pty_pair&) = delete;

    /// What the program has written so far (waits up to `wait` for the first byte).
    std::string read_some(std::chrono::milliseconds wait = 10ms) {
        std::string got;
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return got;
        char buf[4096];
        for (;;) {
            auto n = ::read(master, buf, sizeof buf);
            if (n <= 0) break;
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }
    /// Types `bytes` on the machine's keyboard.
    void type(const std::string& bytes) {
        std::size_t at = 0;
        while (at < bytes.size()) {
            auto n = ::write(master, bytes.data() + at, bytes.size() - at);
            if (n > 0) at += static_cast<std::size_t>(n);
        }
    }
};

std::string tp_work_dir(const std::string& name) {
    auto dir = fs::path(HAKTO_BUILD_DIR) / "test-teleprinter" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir.string();
}

/// Runs `hakto args…` to its end while reading the pty's master; the bytes read, the exit
/// status in `code`.
std::string tp_run_reading(tp_pty_pair& pty, const std::vector<std::string>& args,
                           const std::string& log, int& code,
                           std::chrono::seconds limit = std::chrono::seconds{120}) {
    process p(HAKTO_BINARY, args, log);
    REQUIRE(p.running());
    std::string bytes;
    const auto end = std::chrono::steady_clock::now() + limit;
    code = -2;
    while (std::chrono::steady_clock::now() < end) {
        bytes += pty.read_some();
        code = p.wait_for(1ms);
        if (code != -2) break;
    }
    bytes += pty.read_some();
    return bytes;
}

/// The codes the page printer at `station` printed, from a --transcript file.
std::string tp_printed_codes(const nlohmann::json& transcript, const std::string& station) {
    std::string codes;
    for (const auto& e : transcript["events"])
        if (e["kind"] == "printed" && e["station"] == station)
            codes.push_back(
                static_cast<char>(std::stoi(e["received"].get<std::string>(), nullptr, 16)));
    return codes;
}

std::vector<hakto::protocol::code> tp_as_codes(const std::string& bytes) {
    return {bytes.begin(), bytes.end()};
}

/// `text` as a Baudot keyboard sends it (US-TTY, CR LF line ends as typed).
std::string tp_baudot_typed(const std::string& text) {
    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto e = hakto::protocol::encode(crlf, {hakto::protocol::code_set::us_tty, false, true});
    REQUIRE(e);
    return {e.value().codes.begin(), e.value().codes.end()};
}

/// GET `path` of an exhibit on `port`: the status.
int tp_http_status(unsigned port, const std::string& path) {
    namespace http = boost::beast::http;
    boost::asio::io_context io;
    boost::beast::tcp_stream s(io);
    s.expires_after(10s);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    http::request<http::empty_body> req{http::verb::get, path, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(s, req);
    boost::beast::flat_buffer b;
    http::response<http::string_body> res;
    http::read(s, b, res);
    return res.result_int();
}

/// The port `hakto exhibit` says it listens on, from its log (0 until it has).
unsigned tp_exhibit_port(const std::string& log) {
    const std::string ready = "hakto exhibit: listening on http://127.0.0.1:";
    auto text = slurp(log);
    auto at = text.find(ready);
    return at == std::string::npos
               ? 0
               : static_cast<unsigned>(std::stoul(text.substr(at + ready.size())));
}

}  // namespace

TEST_CASE("replay --teleprinter in Baudot mode writes the page printer's codes, code for code",
          "[teleprinter][process]") {
    auto dir = tp_work_dir("replay-baudot");
    tp_pty_pair pty;
    int code = 0;
    auto t0 = std::chrono::steady_clock::now();
    auto bytes = tp_run_reading(pty,
                                {"replay", "--speed", "max", "--teleprinter", pty.name,
                                 "--teleprinter-baud", "115200", "--transcript", dir + "/t.json"},
                                dir + "/replay.log", code);
    auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    INFO(slurp(dir + "/replay.log"));
    REQUIRE(code == 0);  // and only after the machine has printed everything
    WARN("replay --speed max, HAKTO 12 on a pty at 115200 baud: " << took << " s");
    auto transcript = nlohmann::json::parse(slurp(dir + "/t.json"));
    const auto codes = tp_printed_codes(transcript, "WTE");
    REQUIRE(codes.size() > 1000);
    CHECK(bytes == codes);
    // The same codes as the encoder makes of the page copy as replayed.
    std::string page_copy;
    for (const auto& c : transcript["cables"])
        if (c["id"] == "HAKTO 12") page_copy = c["page_copy"];
    REQUIRE(!page_copy.empty());
    auto encoded = hakto::protocol::encode(hakto::protocol::to_page_copy_line_ends(page_copy));
    REQUIRE(encoded);
    CHECK(tp_as_codes(bytes) == encoded.value().codes);
    // hakto decode --format raw reads them back as HAKTO 12's page copy.
    std::ofstream(dir + "/machine.raw", std::ios::binary) << bytes;
    process decode(HAKTO_BINARY, {"decode", "--format", "raw", dir + "/machine.raw"},
                   dir + "/decoded.txt");
    REQUIRE(decode.wait() == 0);
    // (upper case: the page printer has no lower case; the published text has "Laird")
    std::string upper;
    for (char c : page_copy)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(slurp(dir + "/decoded.txt") == upper);
}

TEST_CASE("replay --teleprinter in ASCII mode prints the page copy upper case with CR LF and fill",
          "[teleprinter][process]") {
    auto dir = tp_work_dir("replay-ascii");
    tp_pty_pair pty;
    int code = 0;
    auto bytes = tp_run_reading(pty,
                                {"replay", "--speed", "max", "--teleprinter", pty.name,
                                 "--teleprinter-mode", "ascii", "--teleprinter-baud", "115200",
                                 "--teleprinter-cr-delay", "1", "--transcript", dir + "/t.json"},
                                dir + "/replay.log", code);
    INFO(slurp(dir + "/replay.log"));
    REQUIRE(code == 0);
    auto transcript = nlohmann::json::parse(slurp(dir + "/t.json"));
    // The page copy as the page printer printed it: decoded, its CR CR LF one line end.
    auto codes = tp_printed_codes(transcript, "WTE");
    auto page = hakto::protocol::from_page_copy_line_ends(
        hakto::protocol::decode(tp_as_codes(codes), {hakto::protocol::code_set::us_tty, false}));
    std::string expected;
    std::size_t lines = 0;
    for (char c : page) {
        if (c == '\n') {
            expected += "\r\n";
            ++lines;
        } else {
            expected += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    std::string printed, fill;
    for (char c : bytes) (c == '\0' ? fill : printed) += c;
    CHECK(printed == expected);
    // The carriage-return delay: NUL fill after each line end.
    CHECK(fill.size() >= lines);
    CHECK(printed.find("THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO\r\n") !=
          std::string::npos);
    CHECK(printed.rfind("WE DE WTE10\r\n", 0) == 0);  // Ø prints as the zero it is
}

TEST_CASE("station --teleprinter prints the cables delivered there and files a cable typed on it",
          "[teleprinter][process][net]") {
    auto dir = hakto::test::work_dir("teleprinter-station");
    tp_pty_pair pty;
    hakto::test::net_run r;
    r.dir = dir;
    r.scenario = hakto::test::line_scenario(dir, 1);
    r.start_relay();
    r.start_station(
        r.b, "B",
        {"--teleprinter", pty.name, "--teleprinter-baud", "115200", "--answerback", "B STATION"});
    r.start_station(r.a, "A", {"--out-dir", dir + "/out-A"});
    REQUIRE(eventually([&] { return hakto::test::delivered(dir + "/out").size() == 1; }));
    auto got = hakto::test::delivered(dir + "/out");
    std::string bytes;
    const std::string& want_hex = got.begin()->second;
    REQUIRE(eventually([&] {
        bytes += pty.read_some();
        return hakto::test::hex(std::vector<std::uint8_t>(bytes.begin(), bytes.end())) == want_hex;
    }));

    // A cable typed on B's machine, with its routing line, ends with NNNN and goes to A.
    pty.type(
        tp_baudot_typed("A DE B\n\nO 211615Z\n\nTO GENERAL HAIG\n\nFROM THE TELETYPE\n\n1. "
                        "TYPED ON THE MACHINE AT B.\n\nNNNN\n"));
    REQUIRE(eventually([&] { return !hakto::test::delivered(dir + "/out-A").empty(); }));
    auto at_a = hakto::test::delivered(dir + "/out-A");
    REQUIRE(at_a.size() == 1);
    CHECK(at_a.begin()->first.rfind("TTY-", 0) == 0);
    auto log = slurp(dir + "/B.log");
    INFO(log);
    CHECK(log.find(" filed, to A") != std::string::npos);
    CHECK(r.a.stop(SIGTERM) == 0);
    CHECK(r.b.stop(SIGTERM) == 0);
    CHECK(r.relay.stop(SIGTERM) == 0);
}

TEST_CASE("exhibit --teleprinter files a visitor's TOHAK typed on the machine",
          "[teleprinter][process]") {
    auto dir = tp_work_dir("exhibit-typed");
    tp_pty_pair pty;
    const auto log = dir + "/exhibit.log";
    process p(HAKTO_BINARY,
              {"exhibit", "--listen", "127.0.0.1:0", "--speed", "max", "--teleprinter", pty.name,
               "--teleprinter-baud", "1200"},
              log);
    REQUIRE(eventually([&] { return tp_exhibit_port(log) != 0; }));
    // The machine prints the White House's page while the show runs.
    std::string bytes;
    REQUIRE(eventually([&] {
        bytes += pty.read_some();
        return bytes.size() > 20;
    }));
    pty.type(tp_baudot_typed("PLEASE TELL THE PREMIER WE AGREE.\nNNNN\n"));
    REQUIRE(eventually([&] {
        pty.read_some();
        return slurp(log).find("is filed as TOHAK") != std::string::npos;
    }));
    CHECK(tp_http_status(tp_exhibit_port(log), "/healthz") == 200);
    CHECK(p.stop(SIGTERM) == 0);
}

TEST_CASE("exhibit --teleprinter with a missing device says so and serves its page",
          "[teleprinter][process]") {
    auto dir = tp_work_dir("exhibit-missing");
    const auto log = dir + "/exhibit.log";
    const auto device = dir + "/no-such-tty";
    process p(HAKTO_BINARY,
              {"exhibit", "--listen", "127.0.0.1:0", "--speed", "max", "--teleprinter", device},
              log);
    REQUIRE(eventually([&] { return tp_exhibit_port(log) != 0; }));
    REQUIRE(eventually([&] { return slurp(log).find(device) != std::string::npos; }));
    auto text = slurp(log);
    INFO(text);
    CHECK(text.find("No such file or directory") != std::string::npos);
    CHECK(tp_http_status(tp_exhibit_port(log), "/") == 200);
    CHECK(tp_http_status(tp_exhibit_port(log), "/healthz") == 200);
    CHECK(p.stop(SIGTERM) == 0);
}

TEST_CASE("bad --teleprinter settings exit 2 with the option named", "[teleprinter]") {
    using hakto::test::run;
    struct bad {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<bad> cases{
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-baud", "0"}, "--teleprinter-baud"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-baud", "fast"},
         "--teleprinter-baud"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-mode", "morse"}, "morse"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-stop-bits", "3"},
         "--teleprinter-stop-bits"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-data-bits", "7"}, "data bits"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-mode", "ascii",
          "--teleprinter-stop-bits", "1.5"},
         "1.5 stop bits"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-parity", "mark"}, "mark"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-cr-delay", "100"},
         "--teleprinter-cr-delay"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-mode", "ascii",
          "--teleprinter-cr-delay", "-5"},
         "--teleprinter-cr-delay"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-filing", "eot"}, "eot"},
        {{"replay", "--teleprinter-baud", "50"}, "--teleprinter-baud needs --teleprinter"},
        {{"replay", "--net", "--teleprinter", "/dev/null"}, "--net does not take --teleprinter"},
        {{"station", "--id", "WTE", "--teleprinter", "/dev/null", "--teleprinter-baud", "-1"},
         "--teleprinter-baud"},
        {{"exhibit", "--teleprinter", "/dev/null", "--teleprinter-mode", "ebcdic"}, "ebcdic"},
        {{"exhibit", "--answerback", "WTE"}, "--answerback needs --teleprinter"},
        {{"exhibit", "--teleprinter-echo"}, "--teleprinter-echo needs --teleprinter"},
        {{"replay", "--teleprinter", "/dev/null", "--teleprinter-port-baud", "fast"},
         "--teleprinter-port-baud"},
    };
    for (const auto& c : cases) {
        auto r = run(c.args);
        INFO(fmt::format("hakto {}: {}", fmt::join(c.args, " "), r.err));
        CHECK(r.code == 2);
        CHECK(r.err.find(c.says) != std::string::npos);
    }
}
