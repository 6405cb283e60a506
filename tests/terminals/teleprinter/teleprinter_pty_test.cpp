// The teleprinter on a pseudo-terminal standing in for the serial device: the library opens the
// slave by its path (through a symlink the test controls), the test reads and writes the master.
// Baudot bytes are HAKTO 12's codes as the encoder sends them, code for code; ASCII bytes its
// page copy with CR LF and NUL fill; the termios the library sets, read back; the keyboard files
// cables and WRU is answered; a closed pty is reported and the device reopened, the line it was
// on repeated after "RPT " and nothing before it; a missing, busy or non-serial device is
// reported with its name and reason and retried with backoff; the output bound; the pacing.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/replay/replay_texts.hpp"
#include "terminals/teleprinter/serial_termios.hpp"
#include "terminals/teleprinter/teleprinter.hpp"
#include "terminals/teleprinter/teleprinter_output.hpp"

using namespace hakto::terminals;
namespace hp = hakto::protocol;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Named, so that the helpers of the suite's files do not meet in one unity batch.
namespace teleprinter_pty_test {
namespace {

/// A pty pair: the master kept by the test, the slave's path for the library.
struct pty_pair {
    int master = -1;
    std::string slave_path;
    pty_pair() {
        int slave = -1;
        char name[128] = {};
        REQUIRE(::openpty(&master, &slave, name, nullptr, nullptr) == 0);
        slave_path = name;
        ::close(slave);  // the pty lives while the master is open
        ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    }
    ~pty_pair() { close(); }
    pty_pair(const pty_pair&) = delete;
    pty_pair& operator=(const pty_pair&) = delete;
    void close() {
        if (master >= 0) ::close(master);
        master = -1;
    }
    /// What the library has written so far.
    void read_into(byte_string& out) const {
        std::uint8_t buf[4096];
        for (;;) {
            const auto n = ::read(master, buf, sizeof buf);
            if (n <= 0) return;
            out.append(buf, static_cast<std::size_t>(n));
        }
    }
    void type(std::span<const std::uint8_t> bytes) const {
        REQUIRE(::write(master, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    }
};

/// A folder with a symlink "tty" the test points at a pty's slave.
struct device_link {
    fs::path dir;
    fs::path link;
    device_link() {
        char tmpl[] = "/tmp/hakto-teleprinter-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir = tmpl;
        link = dir / "tty";
    }
    ~device_link() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void point_at(const std::string& target) const {
        const auto tmp = dir / "tty.new";
        fs::remove(tmp);
        fs::create_symlink(target, tmp);
        fs::rename(tmp, link);  // atomic: the library sees the old or the new target
    }
};

/// Runs the io_context until `done` or the timeout; false on timeout.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds timeout = 5s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        io.restart();
        io.run_for(2ms);
    }
    return true;
}

teleprinter_options fast(teleprinter_mode mode, const std::string& device,
                         std::vector<std::string>* log) {
    teleprinter_options o;
    o.device = device;
    o.settings = teleprinter_settings::defaults(mode);
    o.settings.baud = 115200;  // fast, so the tests are
    o.reopen_first = 20ms;
    o.reopen_max = 80ms;
    o.cr_delay = 0ms;  // one NUL after CR
    if (log) o.log = [log](const std::string& s) { log->push_back(s); };
    return o;
}

std::shared_ptr<teleprinter> make(boost::asio::io_context& io, teleprinter_options o) {
    auto t = teleprinter::create(io, std::move(o));
    REQUIRE(t);
    return t.value();
}

bool logged(const std::vector<std::string>& log, std::string_view part) {
    for (const auto& l : log)
        if (l.find(part) != std::string::npos) return true;
    return false;
}

byte_string encoded(std::string_view text) {
    auto r = hp::encode(text, {hp::code_set::us_tty, false, false});
    REQUIRE(r);
    return byte_string(r.value().codes.begin(), r.value().codes.end());
}

replay_cable hakto_12() {
    replay_options o;
    o.cables = {"HAKTO 12"};
    std::vector<std::string> warnings;
    auto prepared = prepare_cables(o, warnings);
    REQUIRE(prepared);
    REQUIRE(prepared.value().cables.size() == 1);
    return prepared.value().cables.front();
}

}  // namespace

TEST_CASE("Baudot on a pty: HAKTO 12's page copy comes out as the encoder's codes") {
    const auto cable = hakto_12();
    REQUIRE(cable.page_copy.size() > 500);
    pty_pair pty;
    boost::asio::io_context io;
    auto t = make(io, fast(teleprinter_mode::baudot, pty.slave_path, nullptr));
    t->start();
    REQUIRE(t->is_open());
    REQUIRE(t->print(cable.page_copy));
    const auto expected = encoded(cable.page_copy);
    byte_string got;
    bool drained = false;
    t->when_drained([&] { drained = true; });
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return drained && got.size() >= expected.size();
    }));
    CHECK(got == expected);
    CHECK(t->pending() == 0);

    // The codes the line carried, given raw, go out exactly as given.
    got.clear();
    REQUIRE(t->print_codes(cable.codes));
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return got.size() >= cable.codes.size();
    }));
    CHECK(got == byte_string(cable.codes.begin(), cable.codes.end()));
}

TEST_CASE("ASCII on a pty: the page copy upper case with CR LF and the CR fill") {
    pty_pair pty;
    boost::asio::io_context io;
    auto o = fast(teleprinter_mode::ascii, pty.slave_path, nullptr);
    o.cr_delay = 1ms;  // 11 units at 9600 baud are 1.15 ms: one NUL
    o.settings.baud = 9600;
    auto t = make(io, o);
    t->start();
    const std::string text = "HAKTO 12\nfrom the white house\r\nØØ1\n";
    const std::string want("HAKTO 12\r\0\nFROM THE WHITE HOUSE\r\0\n001\r\0\n", 40);
    REQUIRE(t->print(text));
    CHECK_FALSE(t->print_codes(std::vector<hp::code>{0x1F}));  // no raw codes in ASCII mode
    byte_string got;
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return got.size() >= want.size();
    }));
    CHECK(got == byte_string(want.begin(), want.end()));
}

TEST_CASE("the termios2 the settings make of a cooked terminal's") {
    pty_pair pty;  // a fresh pty is cooked: ICANON, ECHO, OPOST, ICRNL, IXON
    auto cooked = read_flags(pty.master, pty.slave_path);
    REQUIRE(cooked);
    CHECK_FALSE(state_of(cooked.value()).raw);
    SECTION("Baudot 45.45 baud 5N1.5") {
        const auto s = state_of(
            configured(cooked.value(), teleprinter_settings::defaults(teleprinter_mode::baudot)));
        CHECK(s.data_bits == 5);
        CHECK(s.two_stop_bits);  // CSTOPB: 1.5 stop units with 5 data bits
        CHECK(s.parity == teleprinter_parity::none);
        CHECK(s.raw);
        CHECK(s.clocal);
        CHECK(s.cread);
        CHECK(s.custom_rate);
        CHECK(s.ispeed == 45);
        CHECK(s.ospeed == 45);
        CHECK(s.vmin == 1);
        CHECK(s.vtime == 0);
    }
    SECTION("ASCII 110 baud 7E2, and odd parity, one stop bit") {
        auto settings = teleprinter_settings::defaults(teleprinter_mode::ascii);
        auto s = state_of(configured(cooked.value(), settings));
        CHECK(s.data_bits == 7);
        CHECK(s.parity == teleprinter_parity::even);
        CHECK(s.two_stop_bits);
        CHECK(s.raw);
        CHECK(s.ospeed == 110);
        settings.parity = teleprinter_parity::odd;
        settings.stop_bits = 1;
        settings.data_bits = 8;
        s = state_of(configured(cooked.value(), settings));
        CHECK(s.data_bits == 8);
        CHECK(s.parity == teleprinter_parity::odd);
        CHECK_FALSE(s.two_stop_bits);
    }
}

TEST_CASE("the termios set on a pty, as far as a pty keeps it") {
    // A Linux pty keeps the termios2 rate (BOTHER and the integer), CSTOPB and the raw mode, but
    // its driver forces CS8 and clears PARENB (pty_set_termios): those are checked above, on
    // the flags the library writes, and here only where the pty keeps them.
    for (const auto mode : {teleprinter_mode::baudot, teleprinter_mode::ascii}) {
        pty_pair pty;
        boost::asio::io_context io;
        auto o = fast(mode, pty.slave_path, nullptr);
        o.settings = teleprinter_settings::defaults(mode);
        auto t = make(io, o);
        t->start();
        REQUIRE(t->is_open());
        // The master answers termios ioctls for its slave.
        auto st = read_termios(pty.master, pty.slave_path);
        REQUIRE(st);
        const auto& s = st.value();
        const bool ascii = mode == teleprinter_mode::ascii;
        CHECK((s.data_bits == (ascii ? 7 : 5) || s.data_bits == 8));
        CHECK((s.parity == (ascii ? teleprinter_parity::even : teleprinter_parity::none) ||
               s.parity == teleprinter_parity::none));
        CHECK(s.two_stop_bits);
        CHECK(s.raw);
        CHECK(s.clocal);
        CHECK(s.cread);
        CHECK(s.vmin == 1);
        CHECK(s.vtime == 0);
        CHECK(s.custom_rate);
        CHECK(s.ospeed == (ascii ? 110u : 45u));  // 45.45 rounded: termios2 takes integers
        CHECK(s.ispeed == s.ospeed);
    }
}

TEST_CASE("an aliased adapter is asked for its alias rate, and what the driver kept is logged") {
    pty_pair pty;
    boost::asio::io_context io;
    std::vector<std::string> log;
    auto o = fast(teleprinter_mode::baudot, pty.slave_path, &log);
    o.settings = teleprinter_settings::defaults(teleprinter_mode::baudot);
    o.port_baud = 600;  // a CP2102 aliased to run 45.45 baud when asked for 600
    auto t = make(io, o);
    t->start();
    auto st = read_termios(pty.master, pty.slave_path);
    REQUIRE(st);
    CHECK(st.value().ospeed == 600);
    CHECK(t->settings().character_seconds() == Approx(7.5 / 45.45));  // paced at the line's rate
    // The pty's driver forces 8 data bits: said, and the device used anyway.
    CHECK(t->is_open());
    if (st.value().data_bits == 8) CHECK(logged(log, "the driver set 8 data bits, not 5"));
}

TEST_CASE("Baudot typed into the pty files a cable, and WRU is answered") {
    pty_pair pty;
    boost::asio::io_context io;
    std::vector<std::string> log;
    std::vector<std::string> filed;
    auto o = fast(teleprinter_mode::baudot, pty.slave_path, &log);
    o.answerback = "WHITE HOUSE 12";
    o.on_cable = [&](const std::string& c) { filed.push_back(c); };
    auto t = make(io, o);
    t->start();
    pty.type(encoded("TOHAK 1\r\nHAKTO 12 RECEIVED 1972\r\nNNNN\r\n"));
    CHECK(run_until(io, [&] { return !filed.empty(); }));
    CHECK(filed == std::vector<std::string>{"TOHAK 1\nHAKTO 12 RECEIVED 1972\n"});
    // WRU: FIGS D, answered with the answerback, encoded.
    pty.type(std::vector<std::uint8_t>{0x1B, 0x09});
    const auto answer = encoded("WHITE HOUSE 12");
    byte_string got;
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return got.size() >= answer.size();
    }));
    CHECK(got == answer);
    CHECK(logged(log, "WRU"));
}

TEST_CASE("ASCII typed into the pty files a cable, and ENQ is answered") {
    pty_pair pty;
    boost::asio::io_context io;
    std::vector<std::string> filed;
    auto o = fast(teleprinter_mode::ascii, pty.slave_path, nullptr);
    o.answerback = "hakto wh";
    o.filing = teleprinter_filing::blank_line_nnnn;
    o.on_cable = [&](const std::string& c) { filed.push_back(c); };
    auto t = make(io, o);
    t->start();
    const std::string typed = "tohak 2\r\nthank you\r\n\r\nNNNN\r\n\x05";
    pty.type(std::vector<std::uint8_t>(typed.begin(), typed.end()));
    byte_string got;
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return !filed.empty() && got.size() >= 8;
    }));
    CHECK(filed == std::vector<std::string>{"TOHAK 2\nTHANK YOU\n"});
    CHECK(got == byte_string{'H', 'A', 'K', 'T', 'O', ' ', 'W', 'H'});
}

TEST_CASE("with echo, what is typed is printed back, but not a WRU") {
    SECTION("Baudot") {
        pty_pair pty;
        boost::asio::io_context io;
        auto o = fast(teleprinter_mode::baudot, pty.slave_path, nullptr);
        o.echo = true;
        o.code = hp::code_set::ita2;
        auto t = make(io, o);
        t->start();
        // A B, FIGS D (WRU in ITA2; no answerback: noted, not echoed), LTRS C.
        pty.type(std::vector<std::uint8_t>{0x1F, 0x03, 0x19, 0x1B, 0x09, 0x1F, 0x0E});
        byte_string got;
        CHECK(run_until(io, [&] {
            pty.read_into(got);
            return got.size() >= 6;
        }));
        CHECK(got == byte_string{0x1F, 0x03, 0x19, 0x1B, 0x1F, 0x0E});
    }
    SECTION("ASCII") {
        pty_pair pty;
        boost::asio::io_context io;
        auto o = fast(teleprinter_mode::ascii, pty.slave_path, nullptr);
        o.echo = true;
        o.answerback = "WH";
        auto t = make(io, o);
        t->start();
        const std::string typed = "ok\r\n\x05";
        pty.type(std::vector<std::uint8_t>(typed.begin(), typed.end()));
        byte_string got;
        CHECK(run_until(io, [&] {
            pty.read_into(got);
            return got.size() >= 7;
        }));
        CHECK(got == byte_string{'O', 'K', '\r', 0, '\n', 'W', 'H'});
    }
}

TEST_CASE("a closed pty is reported, the device reopened, and the line it was on repeated") {
    pty_pair first;
    device_link dev;
    dev.point_at(first.slave_path);
    boost::asio::io_context io;
    std::vector<std::string> log;
    auto t = make(io, fast(teleprinter_mode::baudot, dev.link.string(), &log));
    t->start();
    REQUIRE(t->is_open());
    const std::string before = "FIRST LINE\r\nSECOND HALF";
    const std::string after = " AND REST\r\nNEXT 1\r\n";
    const auto all = encoded(before + after);
    const auto first_part = encoded(before);
    REQUIRE(all.substr(0, first_part.size()) == first_part);
    REQUIRE(t->print(before));
    byte_string got;
    bool drained = false;
    t->when_drained([&] { drained = true; });
    CHECK(run_until(io, [&] {
        first.read_into(got);
        return drained;
    }));
    first.read_into(got);
    CHECK(got == first_part);

    // The machine goes away: its device name goes first (as an unplugged adapter's does), so
    // that a pty another test opens meanwhile, which may get the freed number, is never taken
    // for it; then the master closes and the slave reads EIO.
    dev.point_at((dev.dir / "unplugged").string());
    first.close();
    CHECK(run_until(io, [&] { return !t->is_open(); }));
    CHECK(logged(log, "teleprinter " + dev.link.string() + ": reading: "));
    CHECK(logged(log, "reopening in 0.02 s"));
    // What is printed meanwhile waits for the machine.
    REQUIRE(t->print(after));
    CHECK(t->pending() > 0);
    // The old slave is gone: reopening fails and backs off, doubling.
    CHECK(run_until(io, [&] { return logged(log, "reopening in 0.08 s"); }));
    CHECK(logged(log, "No such file or directory"));

    pty_pair second;
    dev.point_at(second.slave_path);
    got.clear();
    byte_string want{0x08, 0x02};
    want += encoded("RPT ");
    const auto lf = first_part.rfind(std::uint8_t{0x02});
    want += first_part.substr(lf + 1);  // SECOND HALF, in LETTERS: no shift needed
    want += all.substr(first_part.size());
    CHECK(run_until(io, [&] {
        second.read_into(got);
        return t->is_open() && got.size() >= want.size();
    }));
    CHECK(got == want);
    CHECK(logged(log, "repeating the line it was on"));
}

TEST_CASE("a device that appears late gets what was printed from its start, no repeat") {
    device_link dev;
    boost::asio::io_context io;
    std::vector<std::string> log;
    auto t = make(io, fast(teleprinter_mode::baudot, dev.link.string(), &log));
    t->start();
    CHECK_FALSE(t->is_open());
    REQUIRE(t->print("HAKTO 12\r\n"));
    CHECK(run_until(io, [&] { return logged(log, "reopening in 0.04 s"); }));
    pty_pair pty;
    dev.point_at(pty.slave_path);
    const auto want = encoded("HAKTO 12\r\n");
    byte_string got;
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return got.size() >= want.size();
    }));
    CHECK(got == want);
    CHECK_FALSE(logged(log, "repeating"));
}

TEST_CASE("a missing, busy or non-serial device is reported with its name and retried") {
    boost::asio::io_context io;
    SECTION("missing") {
        std::vector<std::string> log;
        auto t = make(io, fast(teleprinter_mode::baudot, "/dev/hakto-no-such-tty", &log));
        t->start();
        CHECK_FALSE(t->is_open());
        CHECK(logged(log,
                     "teleprinter /dev/hakto-no-such-tty: opening: No such file or "
                     "directory; reopening in 0.02 s"));
        CHECK(run_until(io, [&] { return logged(log, "reopening in 0.04 s"); }));
        // Printing meanwhile is kept, not lost.
        CHECK(t->print("HELD"));
        CHECK(t->pending() == encoded("HELD").size());
        t->stop();
        CHECK(t->pending() == 0);
    }
    SECTION("busy") {
        pty_pair pty;
        std::vector<std::string> log;
        auto a = make(io, fast(teleprinter_mode::baudot, pty.slave_path, nullptr));
        a->start();
        REQUIRE(a->is_open());
        auto b = make(io, fast(teleprinter_mode::baudot, pty.slave_path, &log));
        b->start();
        CHECK_FALSE(b->is_open());
        CHECK((logged(log, "busy") || logged(log, "Device or resource busy")));
        CHECK(logged(log, pty.slave_path));
    }
    SECTION("not a serial device") {
        std::vector<std::string> log;
        auto t = make(io, fast(teleprinter_mode::baudot, "/dev/null", &log));
        t->start();
        CHECK_FALSE(t->is_open());
        CHECK(logged(log, "teleprinter /dev/null: opening: not a serial device"));
    }
}

TEST_CASE("bad teleprinter options are refused before any device is opened") {
    boost::asio::io_context io;
    auto o = fast(teleprinter_mode::ascii, "/dev/ttyUSB9", nullptr);
    o.settings.stop_bits = 1.5;
    auto r = teleprinter::create(io, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().find("teleprinter /dev/ttyUSB9: 1.5 stop bits") != std::string::npos);
    o = fast(teleprinter_mode::baudot, "", nullptr);
    CHECK_FALSE(teleprinter::create(io, o));
}

TEST_CASE("the output bound refuses what would pass it, and says so") {
    boost::asio::io_context io;
    std::vector<std::string> log;
    auto o = fast(teleprinter_mode::ascii, "/dev/hakto-no-such-tty", &log);
    o.max_pending = 10;
    auto t = make(io, o);
    CHECK(t->print("ABCDEFGH"));
    CHECK_FALSE(t->print("IJK"));
    CHECK(t->pending() == 8);
    CHECK(logged(log, "output full"));
}

TEST_CASE("output is paced by the machine's character time") {
    pty_pair pty;
    boost::asio::io_context io;
    auto o = fast(teleprinter_mode::baudot, pty.slave_path, nullptr);
    o.settings.baud = 1200;  // 7.5 units: 6.25 ms a character
    auto t = make(io, o);
    t->start();
    const std::string text(40, 'E');  // LTRS and 40 codes: 41 characters, 256 ms
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(t->print(text));
    bool drained = false;
    t->when_drained([&] { drained = true; });
    byte_string got;
    CHECK(run_until(io, [&] {
        pty.read_into(got);
        return drained;
    }));
    const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    CHECK(got.size() == 41);
    CHECK(took.count() >= 41 * 7.5 / 1200 * 0.95);
    CHECK(took.count() < 1.0);
}

}  // namespace teleprinter_pty_test
