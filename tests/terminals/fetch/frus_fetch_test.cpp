// hakto frus fetch against a local HTTPS server of the test's own (a certificate made at run
// time, trusted with --ca-file): the volume stored whole under --data-dir; every bad answer, a
// certificate not trusted or not for the host, no server, a server that stalls, each a clear
// error that leaves the data directory as it was. And the HTTPS client's URL reading and bounds.
#include <sys/stat.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "support/cli_run.hpp"
#include "support/files.hpp"
#include "terminals/fetch/fetch_fixture.hpp"
#include "terminals/fetch/frus_fetch.hpp"
#include "terminals/fetch/https_client.hpp"

using hakto::test::contains;
using hakto::test::fetch_fixture;
using hakto::test::run;
using namespace hakto::terminals;

namespace {

bool have_volume_pieces() {
    return hakto::test::have_shared("frus/frus1969-76ve13-d140.xml") &&
           hakto::test::have_shared("frus/frus1969-76ve13-d143.xml");
}

}  // namespace

TEST_CASE("parse_https_url reads https URLs and refuses every other") {
    auto u = parse_https_url("https://raw.githubusercontent.com/HistoryAtState/frus/master/x.xml");
    REQUIRE(u);
    CHECK(u.value().host == "raw.githubusercontent.com");
    CHECK(u.value().port == 443);
    CHECK(u.value().target == "/HistoryAtState/frus/master/x.xml");
    CHECK(u.value().text() == "https://raw.githubusercontent.com/HistoryAtState/frus/master/x.xml");
    auto p = parse_https_url("HTTPS://127.0.0.1:8443?x=1#frag");
    REQUIRE(p);
    CHECK(p.value().host == "127.0.0.1");
    CHECK(p.value().port == 8443);
    CHECK(p.value().target == "/?x=1");
    auto v6 = parse_https_url("https://[::1]:9/v");
    REQUIRE(v6);
    CHECK(v6.value().host == "::1");
    CHECK(v6.value().text() == "https://[::1]:9/v");
    for (auto bad : {"http://history.state.gov/", "ftp://x/", "history.state.gov/x", "https:///x",
                     "https://user@host/", "https://host:0/", "https://host:70000/",
                     "https://host:8x/", "https://[::1/"}) {
        INFO(bad);
        auto r = parse_https_url(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == fetch_error_kind::bad_url);
        CHECK(contains(r.error().message, bad));
    }
    CHECK(contains(parse_https_url("http://x/").error().message, "http:// is not accepted"));
}

TEST_CASE("hakto frus fetch stores the volume whole under --data-dir, after a redirect") {
    if (!have_volume_pieces()) return;
    fetch_fixture f{"stores"};
    auto r = run(f.fetch_args("/redirect"));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.empty());  // progress and the result on standard error
    CHECK(contains(r.err, "redirected (HTTP 302) to " + f.server->url("/frus1969-76ve13.xml")));
    CHECK(contains(r.err, "received " + std::to_string(f.volume.size()) + " bytes"));
    CHECK(contains(r.err,
                   "frus1969-76ve13: 3 documents, 3 backchannel messages among them; d140 "
                   "HAKTO 7, d141 HAKTO 9, d143 HAKTO 12"));
    // The last line names the path.
    auto last = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
    CHECK(last == "hakto frus fetch: stored " + f.volume_path() + " (" +
                      std::to_string(f.volume.size()) + " bytes)\n");
    CHECK(hakto::test::read_file(f.volume_path()) == f.volume);
    CHECK(f.listing() == std::vector<std::string>{"frus1969-76ve13.xml"});  // no temporary left
    struct stat st {};
    REQUIRE(::stat(f.volume_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    REQUIRE(::stat(f.data_dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0755);
    CHECK(f.server->requests() == std::vector<std::string>{"/redirect", "/frus1969-76ve13.xml"});

    // An absolute Location too; fetched again, the file is replaced by the same bytes.
    auto again = run(f.fetch_args("/redirect-absolute"));
    INFO(again.err);
    CHECK(again.code == 0);
    CHECK(contains(again.err, "redirected (HTTP 301)"));
    CHECK(hakto::test::read_file(f.volume_path()) == f.volume);
    CHECK(f.listing() == std::vector<std::string>{"frus1969-76ve13.xml"});
}

TEST_CASE("each bad answer is a clear error, and a good volume stored before stays as it was") {
    if (!have_volume_pieces()) return;
    fetch_fixture f{"bad-answers"};
    struct bad_case {
        std::string target;
        std::string message;
    };
    const std::vector<bad_case> cases = {
        {"/truncated", "the body ended after " + std::to_string(f.volume.size() / 2) + " of its " +
                           std::to_string(f.volume.size()) + " bytes (Content-Length)"},
        {"/not-xml", "not XML: no root element"},
        {"/wrong-volume", "this is volume 'frus1969-76v17', not frus1969-76ve13"},
        {"/no-d141", "document d141 is missing"},
        {"/missing", f.server->url("/missing") + ": HTTP 404 Not Found"},
        {"/redirect-http", "http:// is not accepted"},
        {"/redirect-loop", "more than 5 redirects"},
    };
    // First with no data directory at all: none is made for a failure.
    for (const auto& c : cases) {
        INFO(c.target);
        auto r = run(f.fetch_args(c.target));
        INFO(r.err);
        CHECK(r.code == 1);
        CHECK(contains(r.err, "hakto frus fetch: "));
        CHECK(contains(r.err, c.message));
        CHECK_FALSE(contains(r.err, "fetch: stored"));
        CHECK_FALSE(f.listing());
    }
    // Then over a good volume: it is never replaced by a bad one, and no temporary is left.
    REQUIRE(run(f.fetch_args("/frus1969-76ve13.xml")).code == 0);
    auto before = std::filesystem::last_write_time(f.volume_path());
    for (const auto& c : cases) {
        INFO(c.target);
        auto r = run(f.fetch_args(c.target));
        INFO(r.err);
        CHECK(r.code == 1);
        CHECK(contains(r.err, c.message));
        CHECK(f.listing() == std::vector<std::string>{"frus1969-76ve13.xml"});
        CHECK(hakto::test::read_file(f.volume_path()) == f.volume);
        CHECK(std::filesystem::last_write_time(f.volume_path()) == before);
    }
    // The checks name the URL the body came from, and say that nothing was stored.
    auto wrong = run(f.fetch_args("/wrong-volume"));
    CHECK(contains(wrong.err, f.server->url("/wrong-volume") + ":"));
    CHECK(contains(wrong.err, "(nothing was stored)"));
}

TEST_CASE("a certificate the system's CAs do not trust fails naming certificate verification") {
    if (!have_volume_pieces()) return;
    fetch_fixture f{"untrusted"};
    auto args = f.fetch_args("/frus1969-76ve13.xml");
    args.erase(args.begin() + 4, args.begin() + 6);  // no --ca-file: the system's CAs
    auto r = run(args);
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(contains(r.err, "certificate verification failed for 127.0.0.1:" +
                              std::to_string(f.server->port())));
    CHECK(contains(r.err, "self-signed certificate"));
    CHECK_FALSE(f.listing());
    CHECK(f.server->requests().empty());  // nothing was asked of a server not trusted
}

TEST_CASE("a trusted certificate for another host fails host name verification") {
    if (!have_volume_pieces()) return;
    fetch_fixture f{"other-host", "DNS:elsewhere.invalid"};
    auto r = run(f.fetch_args("/frus1969-76ve13.xml"));
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(contains(r.err, "certificate verification failed"));
    CHECK(contains(r.err, "the certificate is not for 127.0.0.1 (host name verification)"));
    CHECK_FALSE(f.listing());
}

TEST_CASE("no server: a closed port fails clearly, and so does a missing CA file") {
    std::uint16_t closed = 0;
    {
        boost::asio::io_context io;
        boost::asio::ip::tcp::acceptor a{io, {boost::asio::ip::make_address("127.0.0.1"), 0}};
        closed = a.local_endpoint().port();
    }  // closed again: nothing listens there now
    auto dir = std::string{HAKTO_BUILD_DIR} + "/test-fetch/no-server";
    std::filesystem::remove_all(dir);
    auto url = "https://127.0.0.1:" + std::to_string(closed) + "/frus1969-76ve13.xml";
    auto r = run({"frus", "fetch", "--url", url, "--data-dir", dir, "--timeout", "5"});
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(contains(
        r.err, "cannot connect to 127.0.0.1:" + std::to_string(closed) + ": Connection refused"));
    CHECK_FALSE(std::filesystem::exists(dir));

    auto ca =
        run({"frus", "fetch", "--url", url, "--ca-file", dir + "/none.pem", "--data-dir", dir});
    CHECK(ca.code == 1);
    CHECK(contains(ca.err, "cannot load the CA certificates of " + dir + "/none.pem"));
}

TEST_CASE("a server that stops answering times out after --timeout") {
    if (!have_volume_pieces()) return;
    fetch_fixture f{"stall"};
    auto r = run(f.fetch_args("/stall", "1"));
    INFO(r.err);
    CHECK(r.code == 1);
    CHECK(contains(r.err, "timed out after 1 s reading the response header from 127.0.0.1:" +
                              std::to_string(f.server->port())));
    CHECK_FALSE(f.listing());
}

TEST_CASE("hakto frus fetch refuses bad option values with a usage error") {
    auto r = run({"frus", "fetch", "--url", "http://history.state.gov/x.xml"});
    CHECK(r.code == 2);
    CHECK(contains(r.err, "--url 'http://history.state.gov/x.xml' is not a usable URL"));
    CHECK(run({"frus", "fetch", "--timeout", "0"}).code == 2);
    CHECK(run({"frus", "fetch", "--timeout", "3601"}).code == 2);
    CHECK(run({"frus", "fetch", "extra"}).code == 2);
    CHECK(run({"frus", "unpack"}).code == 2);
    CHECK(run({"frus"}).code == 2);
    auto help = run({"frus", "--help"});
    CHECK(help.code == 0);
    CHECK(contains(help.out, "hakto frus fetch"));
    CHECK(contains(help.out, "hakto frus status"));
}

TEST_CASE("https_get bounds the body and tells a truncated transfer by its kind") {
    if (!have_volume_pieces()) return;
    fetch_fixture f{"bounds"};
    https_options o;
    o.ca_file = f.ca_file;
    o.timeout = std::chrono::seconds{10};
    auto whole = https_get(f.server->url("/frus1969-76ve13.xml"), o);
    REQUIRE(whole);
    CHECK(whole.value().body == f.volume);
    CHECK(whole.value().content_length == f.volume.size());
    CHECK(whole.value().redirects == 0);

    auto small = o;
    small.max_body_bytes = 1000;
    auto big = https_get(f.server->url("/frus1969-76ve13.xml"), small);
    REQUIRE_FALSE(big);
    CHECK(big.error().kind == fetch_error_kind::too_large);
    CHECK(contains(big.error().message, "the body is larger than 1000 bytes"));

    auto cut = https_get(f.server->url("/truncated"), o);
    REQUIRE_FALSE(cut);
    CHECK(cut.error().kind == fetch_error_kind::truncated);

    auto hops = o;
    hops.max_redirects = 0;
    auto redirect = https_get(f.server->url("/redirect"), hops);
    REQUIRE_FALSE(redirect);
    CHECK(redirect.error().kind == fetch_error_kind::redirect);
}

TEST_CASE("store_file_atomically leaves nothing behind when it cannot store") {
    auto root = hakto::test::work_folder("test-fetch/store", true);
    // The data directory's place is taken by a file: it cannot be made, nothing is written.
    std::ofstream(root + "/data") << "a file, not a folder";
    auto r = store_file_atomically(root + "/data", "frus1969-76ve13.xml", "<TEI/>");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == fetch_error_kind::store);
    CHECK(contains(r.error().message, root + "/data"));
    CHECK(hakto::test::read_file(root + "/data") == "a file, not a folder");
    // The final name taken by a folder: the rename fails and the temporary goes.
    std::filesystem::create_directories(root + "/ok/frus1969-76ve13.xml");
    auto over = store_file_atomically(root + "/ok", "frus1969-76ve13.xml", "<TEI/>");
    REQUIRE_FALSE(over);
    CHECK(contains(over.error().message, "cannot rename the new file into place"));
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(root + "/ok"))
        left.push_back(e.path().filename().string());
    CHECK(left == std::vector<std::string>{"frus1969-76ve13.xml"});
    // And in a fresh nested folder it stores.
    auto fresh = store_file_atomically(root + "/a/b", "v.xml", "<TEI/>");
    REQUIRE(fresh);
    CHECK(fresh.value() == root + "/a/b/v.xml");
    CHECK(hakto::test::read_file(fresh.value()) == "<TEI/>");
}
