#pragma once
// One HTTPS GET, whole or not at all (Boost.Beast over Boost.Asio and OpenSSL): the peer's
// certificate verified against the system's CAs (or one PEM file) and the host name, SNI sent,
// redirects followed (https only), the header and the body bounded, every step under a timeout,
// a body shorter than its Content-Length an error. What `hakto frus fetch` downloads with.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/text/expected.hpp"

namespace hakto::terminals {

enum class fetch_error_kind {
    bad_url,      ///< not https://HOST[:PORT]/PATH
    resolve,      ///< the host name does not resolve
    connect,      ///< no TCP connection (refused, unreachable)
    certificate,  ///< the peer's certificate failed verification (chain or host name)
    tls,          ///< any other TLS failure
    timeout,      ///< a step took longer than the timeout
    http_status,  ///< a status other than 200 (after redirects)
    redirect,     ///< too many redirects, or one without Location, or to a non-https URL
    too_large,    ///< the header or the body is over its bound
    truncated,    ///< the body ended before its Content-Length (or its last chunk)
    protocol,     ///< a malformed HTTP response
    check,        ///< the body is not what was asked for (the caller's check)
    store,        ///< the file could not be stored
};

struct fetch_error {
    fetch_error_kind kind = fetch_error_kind::protocol;
    std::string message;  ///< one line: what failed, where, and why
};

struct https_url {
    std::string host;          ///< "raw.githubusercontent.com", "127.0.0.1"
    std::uint16_t port = 443;  ///< the URL's port, 443 when it gives none
    std::string target;        ///< "/HistoryAtState/frus/master/volumes/frus1969-76ve13.xml"
    std::string text() const;  ///< "https://HOST[:PORT]TARGET"
};

/// Reads "https://HOST[:PORT][/PATH][?QUERY]" (a fragment is dropped). Errors: another scheme
/// ("http://" included: only TLS is trusted), user information, an empty host, a bad port.
expected<https_url, fetch_error> parse_https_url(std::string_view url);

struct https_options {
    /// A PEM file of CA certificates that replaces the system's (set_default_verify_paths).
    std::optional<std::string> ca_file;
    /// The longest any one step may take: resolving, connecting, the TLS handshake, sending
    /// the request, each read of the response (a slow download is fine while bytes come).
    std::chrono::milliseconds timeout{std::chrono::seconds{60}};
    std::size_t max_header_bytes = 64u << 10;
    std::uint64_t max_body_bytes = std::uint64_t{64} << 20;
    int max_redirects = 5;
    std::string user_agent = "hakto";
    /// Told each step in one line ("connecting to HOST:PORT", "redirected to URL").
    std::function<void(const std::string&)> progress;
};

struct https_response {
    std::string url;  ///< the URL the body came from, after redirects
    unsigned status = 0;
    std::optional<std::uint64_t> content_length;
    std::string body;
    int redirects = 0;
};

/// GETs `url`; returns the 200 response with its whole body, or what went wrong.
expected<https_response, fetch_error> https_get(std::string_view url, const https_options& options);

}  // namespace hakto::terminals
