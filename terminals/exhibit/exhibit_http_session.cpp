#include "terminals/exhibit/exhibit_http_session.hpp"

#include <boost/beast/websocket.hpp>

#include "terminals/exhibit/exhibit_hall.hpp"
#include "terminals/exhibit/exhibit_health.hpp"
#include "terminals/exhibit/exhibit_viewer.hpp"
#include "terminals/souvenir/souvenir_cable.hpp"

namespace hakto::terminals::exhibit {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

namespace {
constexpr std::string_view plain_text = "text/plain; charset=utf-8";

/// The request's path without its query ("/healthz?probe=1" is "/healthz").
std::string_view path_of(beast::string_view target) {
    std::string_view t{target.data(), target.size()};
    return t.substr(0, t.find('?'));
}

/// A query value URL-decoded (RFC 3986 percent-encoding, '+' as a space, as forms send it);
/// nothing for a broken escape.
std::optional<std::string> url_decoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] != '%') {
            out += s[i];
        } else {
            auto hex = [](char c) -> int {
                if (c >= '0' && c <= '9') return c - '0';
                if (c >= 'a' && c <= 'f') return c - 'a' + 10;
                if (c >= 'A' && c <= 'F') return c - 'A' + 10;
                return -1;
            };
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return out;
}

/// The value of `name` in a query ("cable=HAKTO%2012&format=png"), decoded; "" when absent.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        auto eq = pair.find('=');
        if (pair.substr(0, eq) != name) continue;
        return eq == std::string_view::npos ? std::string{} : url_decoded(pair.substr(eq + 1));
    }
    return std::string{};
}
}  // namespace

http_session::http_session(tcp::socket socket, std::weak_ptr<hall> h)
    : stream_(std::move(socket)), hall_(std::move(h)) {}

void http_session::do_read() {
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(max_body_bytes);
    stream_.expires_after(request_time);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void http_session::on_read(beast::error_code ec) {
    if (ec) return shut_down();
    auto h = hall_.lock();
    if (!h) return;
    auto req = parser_->release();
    if (websocket::is_upgrade(req)) {
        if (!h->has_room())
            return respond(req, http::status::service_unavailable,
                           "the exhibit has as many viewers as it can take\n", plain_text);
        stream_.expires_never();
        std::make_shared<viewer_session>(stream_.release_socket(), hall_)->run(std::move(req));
        return;
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        return respond(req, http::status::method_not_allowed, "GET only\n", plain_text);
    if (path_of(req.target()) == "/healthz") {
        // For monitoring (docs/exhibit.md, "Health"): 200 while the show runs as it should, 503
        // when it has stalled, could not start, or the exhibit is closing.
        auto health = h->health();
        auto a = health ? exhibit::health_reply(*health, h->viewers(), HAKTO_VERSION)
                        : exhibit::stopping_reply(h->viewers(), HAKTO_VERSION);
        return respond(req, a.ok ? http::status::ok : http::status::service_unavailable,
                       std::move(a.body), "application/json");
    }
    if (path_of(req.target()) == "/souvenir") {
        std::string_view t{req.target().data(), req.target().size()};
        const auto q = t.find('?');
        return souvenir(std::move(req), q == std::string_view::npos ? "" : t.substr(q + 1));
    }
    auto f = h->files().find(std::string_view{req.target().data(), req.target().size()});
    if (!f) return respond(req, http::status::not_found, "not found\n", plain_text);
    respond(req, http::status::ok, std::move(f->body), f->content_type);
}

void http_session::respond(const request& req, http::status st, std::string body,
                           std::string_view type) {
    res_.emplace(st, req.version());
    res_->set(http::field::server, "hakto-exhibit");
    res_->set(http::field::content_type, std::string{type});
    res_->set(http::field::cache_control, "no-store");
    res_->set("X-Content-Type-Options", "nosniff");
    if (!attachment_.empty()) {
        res_->set(http::field::content_disposition, "attachment; filename=\"" + attachment_ + "\"");
        attachment_.clear();
    }
    res_->keep_alive(req.keep_alive());
    const bool head = req.method() == http::verb::head;
    res_->body() = std::move(body);
    res_->prepare_payload();
    if (head) res_->body().clear();
    http::async_write(
        stream_, *res_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void http_session::on_write(beast::error_code ec) {
    if (ec) return;
    if (!res_->keep_alive()) return shut_down();
    do_read();
}

void http_session::shut_down() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void http_session::souvenir(request req, std::string_view query) {
    auto h = hall_.lock();
    if (!h) return;
    auto label = query_value(query, "cable");
    auto format_name = query_value(query, "format");
    if (!label || !format_name || label->size() > 64)
        return respond(req, http::status::bad_request, "a broken cable= or format= value\n",
                       plain_text);
    auto f = terminals::souvenir::read_format(format_name->empty() ? "png" : *format_name);
    if (!f)
        return respond(req, http::status::bad_request, "format is svg, pdf or png\n", plain_text);
    // Only a cable the show has (its run's, and the visitors' replies filed in it).
    auto s = h->souvenir(*label);
    if (!s) return respond(req, http::status::not_found, "no such cable in the show\n", plain_text);
    auto* desk = h->souvenirs();
    if (!desk)
        return respond(req, http::status::service_unavailable, "no souvenirs here\n", plain_text);
    auto name = terminals::souvenir::souvenir_file_name(s->title, *f);
    auto held = std::make_shared<request>(std::move(req));
    const bool taken =
        desk->render(std::move(*s), *f,
                     [self = shared_from_this(), held, name = std::move(name), f = *f](auto bytes) {
                         if (!bytes)
                             return self->respond(*held, http::status::internal_server_error,
                                                  "the souvenir could not be drawn\n", plain_text);
                         self->attachment_ = name;
                         self->respond(*held, http::status::ok, std::move(bytes.value()),
                                       terminals::souvenir::content_type(f));
                     });
    if (!taken)
        respond(*held, http::status::service_unavailable,
                "souvenirs are being drawn: try again in a moment\n", plain_text);
}

}  // namespace hakto::terminals::exhibit
