#include "terminals/exhibit/exhibit_viewer.hpp"

#include <fmt/format.h>
#include <boost/asio/error.hpp>

#include "terminals/exhibit/exhibit_hall.hpp"
#include "terminals/exhibit/exhibit_json.hpp"

namespace hakto::terminals::exhibit {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

viewer_session::viewer_session(tcp::socket socket, std::weak_ptr<hall> h)
    : ws_(std::move(socket)), hall_(std::move(h)) {}

viewer_session::~viewer_session() {
    if (auto h = hall_.lock()) h->leave(*this);
}

void viewer_session::run(http::request<http::string_body> req) {
    auto h = hall_.lock();
    if (!h) return;
    max_queue_ = h->limits().max_queued_messages;
    beast::error_code ec;
    auto peer = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    loopback_ = !ec && peer.address().is_loopback();
    peer_ = ec ? std::string{"?"} : fmt::format("{}:{}", peer.address().to_string(), peer.port());
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(h->limits().max_message_bytes);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "hakto-exhibit"); }));
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code e) { self->on_accept(e); });
}

void viewer_session::send(std::shared_ptr<const std::string> message) {
    if (closed_) return;
    if (queued() >= max_queue_) {
        // Too slow to keep up: let it go rather than hold the whole replay in memory.
        fail("send", {}, fmt::format("too slow: {} messages waiting", queued()));
        return;
    }
    queue_.push_back(std::move(message));
    if (!in_flight_) do_write();
}

void viewer_session::close() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    close_socket();
}

void viewer_session::on_accept(beast::error_code ec) {
    if (ec) return fail("handshake", ec);
    auto h = hall_.lock();
    if (!h) return;
    auto snapshot = h->join(*this, weak_from_this());
    if (!snapshot) return close();
    send(std::make_shared<const std::string>(std::move(*snapshot)));
    do_read();
}

void viewer_session::do_read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
    });
}

void viewer_session::on_read(beast::error_code ec) {
    if (ec) return fail("read", ec);
    auto h = hall_.lock();
    if (!h) return;
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!ws_.got_text()) {
        send(std::make_shared<const std::string>(error_message("controls are JSON text")));
    } else if (auto done = h->control(text, loopback_, answer_to_this_screen()); !done) {
        send(std::make_shared<const std::string>(error_message(done.error().message())));
    }
    do_read();
}

std::function<void(std::string)> viewer_session::answer_to_this_screen() {
    // To this screen alone (the operator's: how a souvenir print went), while it is there.
    return [w = weak_from_this()](std::string message) {
        if (auto self = w.lock())
            self->send(std::make_shared<const std::string>(std::move(message)));
    };
}

void viewer_session::do_write() {
    if (queue_.empty() || closed_) return;
    in_flight_ = std::move(queue_.front());
    queue_.pop_front();
    ws_.text(true);
    ws_.async_write(
        asio::buffer(*in_flight_),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void viewer_session::on_write(beast::error_code ec) {
    in_flight_.reset();
    if (ec) return fail("write", ec);
    do_write();
}

void viewer_session::fail(std::string_view where, beast::error_code ec, std::string_view reason) {
    if (closed_) return;  // closed already: by the exhibit, or by an earlier failure
    closed_ = true;
    queue_.clear();
    auto h = hall_.lock();
    if (ec == websocket::error::closed || ec == asio::error::operation_aborted) {
        // The screen said goodbye, or the exhibit closed it: nothing to report.
    } else if (h) {
        std::string why{reason.empty() ? ec.message() : reason};
        if (ec == websocket::error::message_too_big) {
            h->message_refused();
            why = fmt::format("sent a message over {} bytes", h->limits().max_message_bytes);
        } else if (!ec) {
            h->viewer_dropped();
        }
        h->log(fmt::format("viewer {} dropped ({}): {}", peer_, where, why));
    }
    close_socket();
}

void viewer_session::close_socket() {
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

}  // namespace hakto::terminals::exhibit
