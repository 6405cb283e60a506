// Interoperability with minimodem (Debian `minimodem`, 0.24), both ways, with the command lines of
// protocol facts §3.2. minimodem always applies unshift on space, so hakto encodes and decodes
// with --usos here, and the text is one US-TTY carries (no Ø, = or %, which minimodem drops).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "support/cli_run.hpp"
#include "support/files.hpp"

namespace fs = std::filesystem;
using hakto::test::run;

namespace {

bool have_minimodem() {
    return std::system("minimodem --version > /dev/null 2>&1") == 0;
}

struct minimodem_scratch {
    fs::path dir;
    minimodem_scratch()
        : dir(fs::temp_directory_path() / ("hakto-minimodem-" + std::to_string(getpid()))) {
        fs::create_directories(dir);
    }
    ~minimodem_scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string operator()(const std::string& file) const { return (dir / file).string(); }
};

// Page copy as the line carries it: CR CR LF line ends.
const std::string text =
    "WE DE WTE10\r\r\nO 211615Z\r\r\nTO GENERAL HAIG, THE WHITE HOUSE\r\r\nFROM HENRY A "
    "KISSINGER\r\r\n"
    "HAKTO 12\r\r\n1. THREE AND A HALF HOUR SESSION WITH CHOU WAS DEVOTED PRIMARILY TO VIETNAM "
    "(PLEASE "
    "PROTECT). 5 OR 6 PM, $ 1/2; \"QUOTE\" ? !\r\r\nWARM REGARDS\r\r\n";

}  // namespace

TEST_CASE("minimodem decodes what hakto writes") {
    if (!have_minimodem()) {
        WARN("minimodem is not installed (scripts/install-deps installs it): interop test skipped");
        return;
    }
    minimodem_scratch s;
    for (int rate : {48000, 8000}) {
        INFO(rate << " Hz");
        auto e = run({"audio", "encode", "--raw-line-ends", "--usos", "--rate",
                      std::to_string(rate), "-o", s("h.wav")},
                     text);
        REQUIRE(e.code == 0);
        const auto command = "minimodem --rx -q -f '" + s("h.wav") +
                             "' -M 2125 -S 2295 --stopbits 1.42 rtty > '" + s("out.txt") +
                             "' 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        CHECK(hakto::test::read_file(s("out.txt")) == text);
    }
}

TEST_CASE("hakto decodes what minimodem writes") {
    if (!have_minimodem()) {
        WARN("minimodem is not installed (scripts/install-deps installs it): interop test skipped");
        return;
    }
    minimodem_scratch s;
    {
        std::ofstream f(s("in.txt"), std::ios::binary);
        f << text;
    }
    // 48 kHz and 8 kHz 16-bit, and 32-bit float.
    for (const char* format : {"-R 48000", "-R 8000", "--float-samples"}) {
        INFO(format);
        const auto command = std::string{"minimodem --tx "} + format + " -f '" + s("m.wav") +
                             "' -M 2125 -S 2295 --stopbits 1.42 rtty < '" + s("in.txt") +
                             "' 2>/dev/null";
        REQUIRE(std::system(command.c_str()) == 0);
        auto d = run({"audio", "decode", s("m.wav"), "--usos", "--raw-line-ends"});
        REQUIRE(d.code == 0);
        CHECK(d.out == text);
        CHECK(d.err.find("(0 framing errors") != std::string::npos);
    }
}
