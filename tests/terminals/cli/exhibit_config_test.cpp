// hakto exhibit --config FILE: the exhibit's options from `name = value` lines (the same names
// as the long options, # comments), the command line winning; a missing or bad file is an
// error naming FILE:LINE (exit 2). The options file the package installs
// (packaging/exhibit.conf) is read by the real program, which then serves /healthz.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "support/cli_run.hpp"
#include "support/files.hpp"
#include "support/process.hpp"

using hakto::test::run;
using namespace std::chrono_literals;

namespace {

std::string work_dir() {
    return hakto::test::work_folder("test-exhibit-config");
}

/// Writes `text` to FILE in the work folder; returns its path.
std::string config_file(const std::string& name, const std::string& text) {
    auto path = work_dir() + "/" + name;
    std::ofstream(path) << text;
    return path;
}

/// `hakto exhibit` as a process: started, its port read from the line it prints when ready.
struct exhibit_process {
    std::string log;
    hakto::test::process p;
    unsigned port = 0;

    explicit exhibit_process(const std::string& name, const std::vector<std::string>& args)
        : log(work_dir() + "/" + name + ".log") {
        std::filesystem::remove(log);
        p.start(HAKTO_BINARY, args, log);
        REQUIRE(p.running());
        const std::string ready = "hakto exhibit: listening on http://127.0.0.1:";
        hakto::test::eventually([&] {
            auto text = hakto::test::slurp(log);
            auto at = text.find(ready);
            if (at == std::string::npos) return false;
            port = static_cast<unsigned>(std::stoul(text.substr(at + ready.size())));
            return true;
        });
        INFO(hakto::test::slurp(log));
        REQUIRE(port > 0);
    }

    /// GET /healthz, as JSON.
    nlohmann::json health() const {
        namespace http = boost::beast::http;
        boost::asio::io_context io;
        boost::beast::tcp_stream s(io);
        s.expires_after(10s);
        s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
        http::request<http::empty_body> req{http::verb::get, "/healthz", 11};
        req.set(http::field::host, "127.0.0.1");
        http::write(s, req);
        boost::beast::flat_buffer b;
        http::response<http::string_body> res;
        http::read(s, b, res);
        REQUIRE(res.result_int() == 200);
        return nlohmann::json::parse(res.body());
    }
};

}  // namespace

TEST_CASE("exhibit --config: a missing file or a bad line is named, exit 2") {
    auto r = run({"exhibit", "--config", work_dir() + "/none.conf"});
    CHECK(r.code == 2);
    CHECK(r.err.find("none.conf") != std::string::npos);

    auto unknown = config_file("unknown.conf", "# the exhibit\n\nspeed = 5x\nbogus = 1\n");
    r = run({"exhibit", "--config", unknown});
    CHECK(r.code == 2);
    CHECK(r.err.find(unknown + ":4: ") != std::string::npos);
    CHECK(r.err.find("bogus") != std::string::npos);

    auto junk = config_file("junk.conf", "listen = 127.0.0.1:0\nthis is not a setting\n");
    r = run({"exhibit", "--config", junk});
    CHECK(r.code == 2);
    CHECK(r.err.find(junk + ":2: ") != std::string::npos);

    auto number = config_file("number.conf", "idle-reset = soon\n");
    r = run({"exhibit", "--config", number});
    CHECK(r.code == 2);
    CHECK(r.err.find(number + ":1: ") != std::string::npos);

    auto twice = config_file("twice.conf", "speed = 5x\nnoise = true\nspeed = 10x\n");
    r = run({"exhibit", "--config", twice});
    CHECK(r.code == 2);
    CHECK(r.err.find(twice + ":3: speed is set again (first on line 1)") != std::string::npos);

    auto maybe = config_file("maybe.conf", "noise = maybe\n");
    r = run({"exhibit", "--config", maybe});
    CHECK(r.code == 2);
    CHECK(r.err.find(maybe + ":1: noise is a switch: true or false, not 'maybe'") !=
          std::string::npos);
}

TEST_CASE("exhibit --config: a value checked after reading names its line too") {
    auto speed = config_file("speed.conf", "# pace\nspeed = fast\n");
    auto r = run({"exhibit", "--config", speed});
    CHECK(r.code == 2);
    CHECK(r.err.find(speed + ":2: ") != std::string::npos);
    CHECK(r.err.find("'fast'") != std::string::npos);

    auto idle = config_file("idle.conf", "idle-reset = -5\n");
    r = run({"exhibit", "--config", idle});
    CHECK(r.code == 2);
    CHECK(r.err.find(idle + ":1: idle-reset must be 0 or more seconds") != std::string::npos);

    auto listen = config_file("listen.conf", "listen = here:there\n");
    r = run({"exhibit", "--config", listen});
    CHECK(r.code == 2);
    CHECK(r.err.find(listen + ":1: listen ") != std::string::npos);

    // The same value on the command line is named as the option.
    r = run({"exhibit", "--idle-reset=-5"});
    CHECK(r.code == 2);
    CHECK(r.err.find("--idle-reset must be 0 or more seconds") != std::string::npos);
}

TEST_CASE("exhibit --config: the file's options apply, the command line wins") {
    auto conf = config_file("good.conf",
                            "# the exhibit's options\n"
                            "listen = 127.0.0.1:1   # overridden below\n"
                            "speed = 5x\n"
                            "noise = true\n"
                            "idle-reset = 60\n");
    {
        exhibit_process ex{"good", {"exhibit", "--config", conf, "--listen", "127.0.0.1:0"}};
        auto h = ex.health();
        CHECK(h["status"] == "ok");
        CHECK(h["speed"] == "5x");
        CHECK(h["noise"] == true);
        CHECK(ex.p.stop(SIGTERM) == 0);
    }
    {
        exhibit_process ex{
            "wins", {"exhibit", "--config", conf, "--listen", "127.0.0.1:0", "--speed", "max"}};
        CHECK(ex.health()["speed"] == "max");
        CHECK(ex.p.stop(SIGTERM) == 0);
    }
    // A switch set false stays off ("noise = 0" must not turn the noise on).
    auto quiet = config_file("quiet.conf", "noise = false\nlisten = 127.0.0.1:0\n");
    {
        exhibit_process ex{"quiet", {"exhibit", "--config", quiet}};
        CHECK(ex.health()["noise"] == false);
        CHECK(ex.p.stop(SIGTERM) == 0);
    }
}

TEST_CASE("exhibit --config: the options file the package installs is read as it is") {
    auto shipped = hakto::test::source_path("packaging/exhibit.conf");
    exhibit_process ex{"shipped", {"exhibit", "--config", shipped, "--listen", "127.0.0.1:0"}};
    auto h = ex.health();
    CHECK(h["status"] == "ok");
    CHECK(h["speed"] == "20x");  // every line of it is a comment: the defaults
    CHECK(h["version"] == HAKTO_VERSION);
    CHECK(ex.p.stop(SIGTERM) == 0);
    CHECK(hakto::test::slurp(ex.log).find("hakto exhibit: stopped") != std::string::npos);
}
