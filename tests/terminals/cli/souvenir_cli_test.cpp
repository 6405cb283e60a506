// hakto souvenir: the file written (and nothing for bad input), the formats, --print through a
// fake lp on the PATH that records its arguments and the PDF it is given, and an lp that fails.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/cli_run.hpp"

namespace fs = std::filesystem;

namespace {

struct souvenir_dir {
    fs::path dir;
    explicit souvenir_dir(const std::string& name)
        : dir(fs::temp_directory_path() /
              ("hakto-souvenir-cli-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~souvenir_dir() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    std::string operator/(const std::string& f) const { return (dir / f).string(); }
};

std::string souvenir_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// An `lp` first on the PATH while it lives.
class fake_lp {
  public:
    fake_lp(const souvenir_dir& d, const std::string& body) : old_(std::getenv("PATH")) {
        const auto path = d / "lp";
        std::ofstream(path) << "#!/bin/sh\n" << body;
        ::chmod(path.c_str(), 0755);
        ::setenv("PATH", (d.dir.string() + ":" + old_).c_str(), 1);
    }
    ~fake_lp() { ::setenv("PATH", old_.c_str(), 1); }
    fake_lp(const fake_lp&) = delete;
    fake_lp& operator=(const fake_lp&) = delete;

  private:
    std::string old_;
};

}  // namespace

TEST_CASE("hakto souvenir: --format svg --output writes the file, and - writes stdout", "[cli]") {
    souvenir_dir d{"svg"};
    auto r = hakto::test::run({"souvenir", "--format", "svg", "--output", d / "t.svg"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto svg = souvenir_bytes(d / "t.svg");
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(r.err.find("HAKTO 12 written to") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "t.svg.tmp"));

    auto out = hakto::test::run({"souvenir", "--format", "png", "--output", "-"});
    REQUIRE(out.code == 0);
    CHECK(out.out.rfind("\x89PNG\r\n", 0) == 0);
}

TEST_CASE("hakto souvenir: the default name, and another cable of the scenario", "[cli]") {
    souvenir_dir d{"names"};
    const auto here = fs::current_path();
    fs::current_path(d.dir);
    auto r = hakto::test::run({"souvenir"});
    auto seven = hakto::test::run({"souvenir", "--cable", "HAKTO 7", "--format", "png"});
    fs::current_path(here);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(souvenir_bytes(d / "souvenir-hakto-12.pdf").rfind("%PDF-", 0) == 0);
    // HAKTO 7 without the volume: its header, with the visitors' caption.
    INFO(seven.err);
    REQUIRE(seven.code == 0);
    CHECK(souvenir_bytes(d / "souvenir-hakto-7.png").rfind("\x89PNG", 0) == 0);
}

TEST_CASE("hakto souvenir: a bad format or an unknown cable is exit 2, a reason, no file",
          "[cli]") {
    souvenir_dir d{"bad"};
    auto bad = hakto::test::run({"souvenir", "--format", "gif", "--output", d / "x.gif"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--format must be svg, pdf or png, not 'gif'") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "x.gif"));

    auto unknown = hakto::test::run({"souvenir", "--cable", "HAKTO 99", "--output", d / "x.pdf"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("has no cable 'HAKTO 99'") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "x.pdf"));

    auto missing = hakto::test::run({"souvenir", d / "no-such.txt", "--output", d / "y.pdf"});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("no-such.txt") != std::string::npos);
    CHECK_FALSE(fs::exists(d / "y.pdf"));
    CHECK(fs::is_empty(d.dir));
}

TEST_CASE("hakto souvenir: a cable of your own, from its file", "[cli]") {
    souvenir_dir d{"own"};
    const std::string file = std::string{HAKTO_SOURCE_DIR} + "/terminals/frus/data/hakto12.txt";
    auto r = hakto::test::run({"souvenir", file, "--format", "svg", "-o", d / "o.svg"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(souvenir_bytes(d / "o.svg").find("<svg") != std::string::npos);
}

TEST_CASE("hakto souvenir: --print gives lp the PDF, its queue and title, and tells lp's answer",
          "[cli]") {
    souvenir_dir d{"print"};
    fake_lp lp{d, "printf '%s\\n' \"$@\" > " + (d / "args") +
                      "\nfor last; do :; done\ncp \"$last\" " + (d / "got.pdf") +
                      "\necho 'request id is kiosk-3 (1 file(s))'\n"};
    auto r = hakto::test::run({"souvenir", "--print", "--printer", "kiosk"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(souvenir_bytes(d / "args").rfind("-d\nkiosk\n-t\nhakto souvenir\n--\n", 0) == 0);
    const auto pdf = souvenir_bytes(d / "got.pdf");
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    CHECK(r.err.find("sent to printer kiosk: request id is kiosk-3 (1 file(s))") !=
          std::string::npos);
    // --print alone writes no file.
    CHECK_FALSE(fs::exists("souvenir-hakto-12.pdf.tmp"));
}

TEST_CASE("hakto souvenir: an lp that fails is reported with its message", "[cli]") {
    souvenir_dir d{"lpfail"};
    fake_lp lp{d, "echo 'lp: The printer or class does not exist.' >&2\nexit 1\n"};
    auto r = hakto::test::run({"souvenir", "--print", "--printer", "nowhere"});
    CHECK(r.code == 1);
    CHECK(r.err.find("--print: lp exited with status 1: lp: The printer or class does not "
                     "exist.") != std::string::npos);
    auto lonely = hakto::test::run({"souvenir", "--printer", "kiosk"});
    CHECK(lonely.code == 2);
}
