#pragma once
// What the fetch tests share: a folder of the build tree of their own, the test volume served
// over local HTTPS with the bad answers beside it, the CA file that trusts the server, and
// HAKTO_DATA_DIR set for the length of a test.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/files.hpp"
#include "terminals/fetch/https_test_server.hpp"

namespace hakto::test {

/// The test volume and the answers around it, as https_test_server routes:
///   /frus1969-76ve13.xml  the volume (200, Content-Length)
///   /redirect             302 to it (a relative Location); /redirect-absolute: 301, absolute
///   /redirect-loop        302 to itself; /redirect-http: 301 to http://
///   /truncated            Content-Length of the whole volume, half of it sent, TCP closed
///   /not-xml              200 with a line of text
///   /wrong-volume         the volume with another volume's id in its teiHeader
///   /no-d141              the volume without document 141
///   /stall                nothing at all, until the client gives up
///   anything else         404
inline std::map<std::string, https_test_server::route> volume_routes(const volume_pieces& p) {
    const auto volume = assemble_volume(p);
    const auto xml = std::vector<std::string>{"Content-Type: application/xml"};
    std::map<std::string, https_test_server::route> r;
    r["/frus1969-76ve13.xml"] = [=](std::uint16_t) {
        return http_response(200, "OK", volume, xml);
    };
    r["/redirect"] = [](std::uint16_t) {
        return http_response(302, "Found", "", {"Location: /frus1969-76ve13.xml"});
    };
    r["/redirect-absolute"] = [](std::uint16_t port) {
        return http_response(
            301, "Moved Permanently", "",
            {"Location: https://127.0.0.1:" + std::to_string(port) + "/frus1969-76ve13.xml"});
    };
    r["/redirect-loop"] = [](std::uint16_t) {
        return http_response(302, "Found", "", {"Location: /redirect-loop"});
    };
    r["/redirect-http"] = [](std::uint16_t port) {
        return http_response(
            301, "Moved Permanently", "",
            {"Location: http://127.0.0.1:" + std::to_string(port) + "/frus1969-76ve13.xml"});
    };
    r["/truncated"] = [=](std::uint16_t) {
        auto whole = http_response(200, "OK", volume, xml).bytes;
        auto body_at = whole.find("\r\n\r\n") + 4;
        return raw_response{whole.substr(0, body_at + volume.size() / 2), false, false};
    };
    r["/not-xml"] = [](std::uint16_t) {
        return http_response(200, "OK", "The volume has moved; see the repository.\n",
                             {"Content-Type: text/plain"});
    };
    r["/wrong-volume"] = [=](std::uint16_t) {
        return http_response(
            200, "OK", replace_all(volume, ">frus1969-76ve13</idno>", ">frus1969-76v17</idno>"),
            xml);
    };
    r["/no-d141"] = [=](std::uint16_t) {
        return http_response(200, "OK", assemble_volume(p, false), xml);
    };
    r["/stall"] = [](std::uint16_t) { return raw_response{"", true, true}; };
    return r;
}

struct fetch_fixture {
    std::string root;      ///< HAKTO_BUILD_DIR/test-fetch/NAME, emptied first
    std::string data_dir;  ///< ROOT/data (not created: the fetch creates it)
    std::string ca_file;   ///< ROOT/ca.pem: the server's self-signed certificate
    volume_pieces pieces;
    std::string volume;  ///< what /frus1969-76ve13.xml serves
    std::unique_ptr<https_test_server> server;

    explicit fetch_fixture(const std::string& name,
                           const std::string& alt_names = "IP:127.0.0.1,DNS:localhost") {
        root = hakto::test::work_folder("test-fetch/" + name, true);
        data_dir = root + "/data";
        pieces = read_volume_pieces();
        volume = assemble_volume(pieces);
        auto cert = make_test_certificate(alt_names);
        ca_file = root + "/ca.pem";
        std::ofstream(ca_file) << cert.cert_pem;
        server = std::make_unique<https_test_server>(volume_routes(pieces), cert);
    }

    std::string volume_path() const { return data_dir + "/frus1969-76ve13.xml"; }

    /// hakto frus fetch from TARGET of the server, trusting it, into data_dir.
    std::vector<std::string> fetch_args(const std::string& target,
                                        const std::string& timeout = "10") const {
        return {"frus",  "fetch",      "--url",  server->url(target), "--ca-file",
                ca_file, "--data-dir", data_dir, "--timeout",         timeout};
    }

    /// The names in data_dir, sorted (hidden ones too); nullopt when it does not exist.
    std::optional<std::vector<std::string>> listing() const {
        if (!std::filesystem::exists(data_dir)) return std::nullopt;
        std::vector<std::string> names;
        for (const auto& e : std::filesystem::directory_iterator(data_dir))
            names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
};

/// HAKTO_DATA_DIR set to DIR while it lives (catch_main.cpp's empty folder again after).
class scoped_data_dir {
  public:
    explicit scoped_data_dir(const std::string& dir) {
        if (const char* v = std::getenv("HAKTO_DATA_DIR")) old_ = v;
        ::setenv("HAKTO_DATA_DIR", dir.c_str(), 1);
    }
    ~scoped_data_dir() {
        if (old_)
            ::setenv("HAKTO_DATA_DIR", old_->c_str(), 1);
        else
            ::unsetenv("HAKTO_DATA_DIR");
    }
    scoped_data_dir(const scoped_data_dir&) = delete;
    scoped_data_dir& operator=(const scoped_data_dir&) = delete;

  private:
    std::optional<std::string> old_;
};

}  // namespace hakto::test
