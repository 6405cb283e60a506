#pragma once
// A local HTTPS server for the fetch tests: a self-signed certificate made at run time (OpenSSL:
// an EC P-256 key, X.509 v3 with subjectAltName IP:127.0.0.1 and DNS:localhost unless told
// otherwise), Boost.Beast on 127.0.0.1:0 in a thread of its own, one connection at a time,
// answering each request target with the raw bytes its route gives (so that a route can lie
// about Content-Length or close early). And the test volume: FRUS E-13 assembled at run time
// from the reference material (never stored in the repository).
#include <atomic>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/files.hpp"

namespace hakto::test {

/// A certificate and its key, both PEM.
struct test_certificate {
    std::string cert_pem;
    std::string key_pem;
};

/// A self-signed certificate for `alt_names` ("IP:127.0.0.1,DNS:localhost"), valid from an
/// hour ago for a day, a CA of itself (basicConstraints CA:TRUE) so that --ca-file can trust it.
inline test_certificate make_test_certificate(
    const std::string& alt_names = "IP:127.0.0.1,DNS:localhost") {
    auto fail = [](const char* what) { throw std::runtime_error(what); };
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_EC_gen("P-256"), EVP_PKEY_free};
    if (!key) fail("EVP_EC_gen");
    std::unique_ptr<X509, decltype(&X509_free)> x{X509_new(), X509_free};
    X509_set_version(x.get(), 2);  // v3
    static std::atomic<long> serial{1};
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 86400);
    X509_set_pubkey(x.get(), key.get());
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("hakto test server"), -1, -1,
                               0);
    X509_set_issuer_name(x.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, alt_names.c_str()},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        if (!ext) fail("X509V3_EXT_conf_nid");
        X509_add_ext(x.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (!X509_sign(x.get(), key.get(), EVP_sha256())) fail("X509_sign");
    auto pem = [](auto write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
        write(bio.get());
        char* data = nullptr;
        auto n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    test_certificate out;
    out.cert_pem = pem([&](BIO* b) { PEM_write_bio_X509(b, x.get()); });
    out.key_pem = pem([&](BIO* b) {
        PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    return out;
}

/// What a route answers: the bytes sent as they are, then the connection closed, with TLS
/// close_notify when `clean_close`, else the TCP connection dropped (a truncated transfer).
struct raw_response {
    std::string bytes;
    bool clean_close = true;
    bool stall = false;  ///< send nothing; wait until the client gives up
};

inline raw_response http_response(int status, const std::string& reason, const std::string& body,
                                  const std::vector<std::string>& headers = {}) {
    std::string r = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
    for (const auto& h : headers) r += h + "\r\n";
    r += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    return {r + body, true, false};
}

class https_test_server {
  public:
    /// Answers target → route(port); an unknown target is a 404.
    using route = std::function<raw_response(std::uint16_t port)>;

    explicit https_test_server(std::map<std::string, route> routes,
                               const test_certificate& cert = make_test_certificate())
        : routes_(std::move(routes)) {
        namespace asio = boost::asio;
        ctx_.use_certificate_chain(asio::buffer(cert.cert_pem));
        ctx_.use_private_key(asio::buffer(cert.key_pem), asio::ssl::context::pem);
        acceptor_.open(asio::ip::tcp::v4());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { serve(); });
    }
    ~https_test_server() {
        stopping_ = true;
        // Wake the blocking accept with a connection of our own.
        boost::system::error_code ec;
        boost::asio::ip::tcp::socket wake{io_};
        wake.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
        thread_.join();
    }
    https_test_server(const https_test_server&) = delete;
    https_test_server& operator=(const https_test_server&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url(const std::string& target) const {
        return "https://127.0.0.1:" + std::to_string(port_) + target;
    }
    /// The targets requested so far, in order.
    std::vector<std::string> requests() const {
        std::lock_guard lock{mutex_};
        return requests_;
    }

  private:
    void serve() {
        namespace asio = boost::asio;
        namespace beast = boost::beast;
        namespace http = beast::http;
        while (!stopping_) {
            boost::system::error_code ec;
            asio::ip::tcp::socket socket{io_};
            acceptor_.accept(socket, ec);
            if (stopping_ || ec) break;
            asio::ssl::stream<asio::ip::tcp::socket> stream{std::move(socket), ctx_};
            stream.handshake(asio::ssl::stream_base::server, ec);
            if (ec) continue;  // e.g. the client refused the certificate
            beast::flat_buffer buffer;
            http::request<http::string_body> req;
            http::read(stream, buffer, req, ec);
            if (ec) continue;
            std::string target{req.target()};
            {
                std::lock_guard lock{mutex_};
                requests_.push_back(target);
            }
            auto it = routes_.find(target);
            auto r = it != routes_.end() ? it->second(port_)
                                         : http_response(404, "Not Found", "no such file\n");
            if (r.stall) {
                char c;
                stream.next_layer().read_some(asio::buffer(&c, 1), ec);  // until the client closes
                continue;
            }
            asio::write(stream, asio::buffer(r.bytes), ec);
            if (r.clean_close) stream.shutdown(ec);  // close_notify; the client may be gone
            stream.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
            stream.next_layer().close(ec);
        }
    }

    std::map<std::string, route> routes_;
    boost::asio::io_context io_;
    boost::asio::ssl::context ctx_{boost::asio::ssl::context::tls_server};
    boost::asio::ip::tcp::acceptor acceptor_{io_};
    std::uint16_t port_ = 0;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

/// The span of `text` from the first `from` to the end of the first `to` after it.
inline std::string span_of(const std::string& text, const std::string& from,
                           const std::string& to) {
    auto a = text.find(from);
    REQUIRE(a != std::string::npos);
    auto b = text.find(to, a);
    REQUIRE(b != std::string::npos);
    return text.substr(a, b + to.size() - a);
}

inline bool contains(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

/// The pieces of the test volume, read from the reference material (HAKTO_SHARED_DIR/frus/):
/// the teiHeader of vol. E-13 and the divs of documents 140 and 143.
struct volume_pieces {
    std::string header, d140, d141, d143;
};

inline volume_pieces read_volume_pieces() {
    auto f140 = read_file(frus_path(140));
    auto f143 = read_file(frus_path(143));
    volume_pieces p;
    p.header = span_of(f140, "<teiHeader>", "</teiHeader>");
    // Each shared file holds one document div, closed by the last </div> before </body>.
    auto div = [](const std::string& f) {
        auto a = f.find("<div type=\"document\"");
        REQUIRE(a != std::string::npos);
        auto b = f.rfind("</div>", f.find("</body>"));
        REQUIRE(b != std::string::npos);
        return f.substr(a, b + 6 - a);
    };
    p.d140 = div(f140);
    p.d143 = div(f143);
    // Document 141 (HAKTO 9) is not in the reference material: a stand-in made here, at run
    // time, as a copy of d140's div with its ids and number renumbered (d140 → d141, n="140" →
    // n="141", "140." → "141." in the title). Its text is HAKTO 7's; only its place is d141's.
    p.d141 = replace_all(replace_all(p.d140, "d140", "d141"), "n=\"140\"", "n=\"141\"");
    p.d141 = replace_all(p.d141, "<head>140. Backchannel Message HAKTO 7",
                         "<head>141. Backchannel Message HAKTO 9");
    return p;
}

/// A volume file made of the pieces: the XML declaration, the TEI root, the header, the divs.
inline std::string assemble_volume(const volume_pieces& p, bool with_d141 = true) {
    std::string v =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<TEI xmlns=\"http://www.tei-c.org/ns/1.0\" "
        "xmlns:frus=\"http://history.state.gov/ns/1.0\">\n"
        "    " +
        p.header + "\n    <text>\n        <body>\n" + p.d140 + "\n";
    if (with_d141) v += p.d141 + "\n";
    v += p.d143 + "\n        </body>\n    </text>\n</TEI>\n";
    return v;
}

}  // namespace hakto::test
