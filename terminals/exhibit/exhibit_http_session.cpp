#include "terminals/exhibit/exhibit_http_session.hpp"

#include <boost/beast/websocket.hpp>

#include "terminals/exhibit/exhibit_hall.hpp"
#include "terminals/exhibit/exhibit_viewer.hpp"

namespace hakto::terminals::exhibit {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

namespace {
constexpr std::string_view plain_text = "text/plain; charset=utf-8";
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

}  // namespace hakto::terminals::exhibit
