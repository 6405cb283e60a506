// One HTTPS GET on Boost.Beast (the shape of Beast's SSL HTTP client examples, as a C++20
// coroutine on one io_context): resolve, connect, TLS handshake with the peer verified, the
// request, the header, the body read a piece at a time so that the timeout bounds each wait
// and not the whole download.
#include "terminals/fetch/https_client.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace hakto::terminals {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

fetch_error fail(fetch_error_kind kind, std::string message) {
    return {kind, std::move(message)};
}

std::string lower(std::string_view s) {
    std::string out{s};
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_ip_literal(const std::string& host) {
    error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

/// "HOST:PORT", with brackets around an IPv6 address.
std::string host_port(const https_url& u) {
    return u.host.find(':') != std::string::npos ? fmt::format("[{}]:{}", u.host, u.port)
                                                 : fmt::format("{}:{}", u.host, u.port);
}

/// RFC 9110 §15.4: the redirections that carry a Location to follow with a GET.
bool is_redirect(unsigned status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/// A Location (RFC 9110 §10.2.2: a URI reference) against the URL it came from.
expected<https_url, fetch_error> resolve_location(const https_url& from, std::string_view loc) {
    if (loc.find("://") != std::string_view::npos) return parse_https_url(loc);
    if (loc.rfind("//", 0) == 0) return parse_https_url(fmt::format("https:{}", loc));
    https_url next = from;
    auto fragment = loc.find('#');
    if (fragment != std::string_view::npos) loc = loc.substr(0, fragment);
    if (loc.empty()) return next;
    if (loc.front() == '/') {
        next.target = std::string{loc};
    } else {
        auto path = from.target.substr(0, from.target.find('?'));
        next.target = path.substr(0, path.rfind('/') + 1) + std::string{loc};
    }
    return next;
}

/// What one request returned: a 200 with its body, a redirection, or another status.
struct one_response {
    unsigned status = 0;
    std::string reason;
    std::optional<std::string> location;
    std::optional<std::uint64_t> content_length;
    std::string body;
};

/// The chain's or the host name's failure, as the verify callback saw it.
struct verify_state {
    std::string problem;
};

class one_request {
  public:
    one_request(asio::io_context& ioc, ssl::context& ctx, const https_url& url,
                const https_options& options)
        : resolver_(ioc), stream_(ioc, ctx), url_(url), options_(options) {}

    std::optional<fetch_error> error;
    one_response response;

    asio::awaitable<void> run() {
        error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        auto where = host_port(url_);

        auto endpoints =
            co_await resolver_.async_resolve(url_.host, std::to_string(url_.port), token);
        if (ec) {
            error = fail(fetch_error_kind::resolve,
                         fmt::format("cannot resolve {}: {}", url_.host, ec.message()));
            co_return;
        }
        say(fmt::format("connecting to {}", where));
        auto& tcp_layer = beast::get_lowest_layer(stream_);
        tcp_layer.expires_after(options_.timeout);
        co_await tcp_layer.async_connect(endpoints, token);
        if (ec) {
            error = ec == beast::error::timeout
                        ? timed_out("connecting to " + where)
                        : fail(fetch_error_kind::connect,
                               fmt::format("cannot connect to {}: {}", where, ec.message()));
            co_return;
        }

        // SNI (RFC 6066 §3) names the host; it is not sent for an address literal.
        if (!is_ip_literal(url_.host) &&
            !SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str())) {
            error = fail(fetch_error_kind::tls,
                         fmt::format("cannot set the TLS server name {}", url_.host));
            co_return;
        }
        stream_.set_verify_mode(ssl::verify_peer);
        stream_.set_verify_callback([this, check = ssl::host_name_verification(url_.host)](
                                        bool preverified, ssl::verify_context& vc) mutable {
            X509_STORE_CTX* store = vc.native_handle();
            if (!preverified) {
                int err = X509_STORE_CTX_get_error(store);
                if (verify_.problem.empty())
                    verify_.problem = fmt::format("{} (X.509 error {} at depth {})",
                                                  X509_verify_cert_error_string(err), err,
                                                  X509_STORE_CTX_get_error_depth(store));
                return false;
            }
            // host_name_verification looks at the peer's own certificate (depth 0) only.
            bool ok = check(preverified, vc);
            if (!ok && verify_.problem.empty())
                verify_.problem = fmt::format(
                    "the certificate is not for {} (host name verification)", url_.host);
            return ok;
        });
        tcp_layer.expires_after(options_.timeout);
        co_await stream_.async_handshake(ssl::stream_base::client, token);
        if (ec) {
            if (!verify_.problem.empty())
                error = fail(fetch_error_kind::certificate,
                             fmt::format("certificate verification failed for {}: {}", where,
                                         verify_.problem));
            else if (ec == beast::error::timeout)
                error = timed_out("the TLS handshake with " + where);
            else
                error = fail(fetch_error_kind::tls,
                             fmt::format("TLS handshake with {} failed: {}", where, ec.message()));
            co_return;
        }

        http::request<http::empty_body> req{http::verb::get, url_.target, 11};
        req.set(http::field::host,
                url_.port == 443 ? url_.host : fmt::format("{}:{}", url_.host, url_.port));
        req.set(http::field::user_agent, options_.user_agent);
        req.set(http::field::accept, "*/*");
        req.set(http::field::accept_encoding, "identity");
        req.set(http::field::connection, "close");
        tcp_layer.expires_after(options_.timeout);
        co_await http::async_write(stream_, req, token);
        if (ec) {
            error =
                ec == beast::error::timeout
                    ? timed_out("sending the request to " + where)
                    : fail(fetch_error_kind::protocol,
                           fmt::format("cannot send the request to {}: {}", where, ec.message()));
            co_return;
        }

        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
        parser.body_limit(options_.max_body_bytes);
        tcp_layer.expires_after(options_.timeout);
        co_await http::async_read_header(stream_, buffer, parser, token);
        if (ec) {
            error = read_failure(ec, parser, "the response header");
            co_return;
        }
        const auto& head = parser.get();
        response.status = head.result_int();
        response.reason = std::string{head.reason()};
        if (auto loc = head.find(http::field::location); loc != head.end())
            response.location = std::string{loc->value()};
        if (parser.content_length()) response.content_length = *parser.content_length();
        if (response.status != 200) co_return;  // a redirection or a failure: no body wanted

        // The body a piece at a time: the timeout bounds each wait, not the whole transfer.
        while (!parser.is_done()) {
            tcp_layer.expires_after(options_.timeout);
            co_await http::async_read_some(stream_, buffer, parser, token);
            if (ec == ssl::error::stream_truncated && !parser.content_length() &&
                !parser.chunked()) {
                // A body that ends where the connection ends (RFC 9112 §6.3, rule 8): the peer
                // closed without close_notify; what came is the body. Its check decides.
                error_code eof;
                parser.put_eof(eof);
                ec = eof;
            }
            if (ec) {
                error = read_failure(ec, parser, "the body");
                co_return;
            }
        }
        response.body = parser.release().body();
        if (response.content_length && response.body.size() != *response.content_length) {
            error = truncated(response.body.size());
            co_return;
        }
        error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

  private:
    void say(const std::string& line) const {
        if (options_.progress) options_.progress(line);
    }

    fetch_error timed_out(const std::string& what) const {
        return fail(
            fetch_error_kind::timeout,
            fmt::format("timed out after {} s {}", options_.timeout.count() / 1000.0, what));
    }

    fetch_error truncated(std::size_t got) const {
        return fail(
            fetch_error_kind::truncated,
            response.content_length
                ? fmt::format("{}: the body ended after {} of its {} bytes (Content-Length)",
                              url_.text(), got, *response.content_length)
                : fmt::format("{}: the body ended after {} bytes, before its last chunk",
                              url_.text(), got));
    }

    fetch_error read_failure(const error_code& ec,
                             const http::response_parser<http::string_body>& parser,
                             const char* what) const {
        auto got = parser.is_header_done() ? parser.get().body().size() : 0;
        if (ec == beast::error::timeout)
            return timed_out(fmt::format("reading {} from {}", what, host_port(url_)));
        if (ec == http::error::body_limit)
            return fail(fetch_error_kind::too_large,
                        fmt::format("{}: the body is larger than {} bytes", url_.text(),
                                    options_.max_body_bytes));
        if (ec == http::error::header_limit)
            return fail(fetch_error_kind::too_large,
                        fmt::format("{}: the response header is larger than {} bytes", url_.text(),
                                    options_.max_header_bytes));
        if (parser.is_header_done() &&
            (ec == http::error::partial_message || ec == ssl::error::stream_truncated ||
             ec == asio::error::eof || ec == http::error::end_of_stream ||
             ec == asio::error::connection_reset))
            return truncated(got);
        if (ec == http::error::end_of_stream || ec == ssl::error::stream_truncated)
            return fail(
                fetch_error_kind::protocol,
                fmt::format("{} closed the connection without a response", host_port(url_)));
        return fail(fetch_error_kind::protocol,
                    fmt::format("reading {} from {}: {}", what, host_port(url_), ec.message()));
    }

    tcp::resolver resolver_;
    beast::ssl_stream<beast::tcp_stream> stream_;
    const https_url& url_;
    const https_options& options_;
    verify_state verify_;
};

}  // namespace

std::string https_url::text() const {
    auto h = host.find(':') != std::string::npos ? fmt::format("[{}]", host) : host;
    return port == 443 ? fmt::format("https://{}{}", h, target)
                       : fmt::format("https://{}:{}{}", h, port, target);
}

expected<https_url, fetch_error> parse_https_url(std::string_view url) {
    auto bad = [&](std::string_view why) {
        return fail(fetch_error_kind::bad_url,
                    fmt::format("'{}' is not a usable URL: {}", url, why));
    };
    auto sep = url.find("://");
    if (sep == std::string_view::npos) return bad("it does not start with https://");
    auto scheme = lower(url.substr(0, sep));
    if (scheme != "https")
        return bad(
            fmt::format("{}:// is not accepted, only https:// (TLS with the server's "
                        "certificate verified)",
                        scheme));
    auto rest = url.substr(sep + 3);
    rest = rest.substr(0, rest.find('#'));
    auto end = rest.find_first_of("/?");
    auto authority = rest.substr(0, end);
    https_url out;
    out.target = end == std::string_view::npos ? "/" : std::string{rest.substr(end)};
    if (out.target.front() == '?') out.target.insert(out.target.begin(), '/');
    if (authority.find('@') != std::string_view::npos)
        return bad("user information (NAME@) is not accepted");
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return bad("an IPv6 address without its ']'");
        out.host = std::string{authority.substr(1, close - 1)};
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return bad("text after the IPv6 address");
            port = after.substr(1);
        }
    } else {
        auto colon = authority.rfind(':');
        out.host = std::string{authority.substr(0, colon)};
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (out.host.empty()) return bad("no host");
    if (!port.empty()) {
        unsigned p = 0;
        auto [at, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || at != port.data() + port.size() || p == 0 || p > 65535)
            return bad(fmt::format("the port '{}' is not 1 to 65535", port));
        out.port = static_cast<std::uint16_t>(p);
    }
    return out;
}

expected<https_response, fetch_error> https_get(std::string_view url,
                                                const https_options& options) {
    auto current = parse_https_url(url);
    if (!current) return current.error();

    ssl::context ctx{ssl::context::tls_client};
    // TLS 1.2 at least (RFC 8996 deprecates 1.0 and 1.1).
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    error_code ec;
    if (options.ca_file) {
        ctx.load_verify_file(*options.ca_file, ec);
        if (ec)
            return fail(fetch_error_kind::certificate,
                        fmt::format("cannot load the CA certificates of {}: {}", *options.ca_file,
                                    ec.message()));
    } else {
        ctx.set_default_verify_paths(ec);
        if (ec)
            return fail(fetch_error_kind::certificate,
                        fmt::format("cannot load the system's CA certificates: {}", ec.message()));
    }

    https_response out;
    asio::io_context ioc{1};
    for (int hop = 0;; ++hop) {
        const https_url here = current.value();
        one_request request{ioc, ctx, here, options};
        std::exception_ptr thrown;
        asio::co_spawn(ioc, request.run(), [&](std::exception_ptr e) { thrown = e; });
        ioc.restart();
        ioc.run();
        if (thrown) std::rethrow_exception(thrown);  // not the network's: a bug or no memory
        if (request.error) return *request.error;
        auto& r = request.response;
        if (is_redirect(r.status)) {
            if (!r.location)
                return fail(fetch_error_kind::redirect,
                            fmt::format("{}: HTTP {} without a Location", here.text(), r.status));
            if (hop >= options.max_redirects)
                return fail(fetch_error_kind::redirect,
                            fmt::format("{}: more than {} redirects", url, options.max_redirects));
            auto next = resolve_location(here, *r.location);
            if (!next)
                return fail(fetch_error_kind::redirect,
                            fmt::format("{}: HTTP {} to a URL not followed: {}", here.text(),
                                        r.status, next.error().message));
            current = std::move(next);
            if (options.progress)
                options.progress(
                    fmt::format("redirected (HTTP {}) to {}", r.status, current.value().text()));
            out.redirects = hop + 1;
            continue;
        }
        if (r.status != 200)
            return fail(fetch_error_kind::http_status,
                        fmt::format("{}: HTTP {} {}", here.text(), r.status, r.reason));
        out.url = here.text();
        out.status = r.status;
        out.content_length = r.content_length;
        out.body = std::move(r.body);
        return out;
    }
}

}  // namespace hakto::terminals
