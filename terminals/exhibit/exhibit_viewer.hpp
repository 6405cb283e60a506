#pragma once
// One screen's WebSocket (a session of Beast's multi-user chat example): it joins the hall once
// the upgrade is accepted, reads the screen's controls (each at most max_message_bytes) and
// writes the show's messages from a bounded queue. A screen that falls max_queued_messages
// behind is dropped (it reconnects and gets a snapshot). Every way a session ends goes through
// fail(), which counts it and logs the reason. Idle peers are closed by Beast's suggested
// server timeouts.
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace hakto::terminals::exhibit {

class hall;

class viewer_session final : public std::enable_shared_from_this<viewer_session> {
  public:
    viewer_session(boost::asio::ip::tcp::socket socket, std::weak_ptr<hall> h);
    ~viewer_session();
    viewer_session(const viewer_session&) = delete;
    viewer_session& operator=(const viewer_session&) = delete;

    /// Accepts the upgrade `req`, then joins the hall.
    void run(boost::beast::http::request<boost::beast::http::string_body> req);
    /// Queues a message (shared with every other screen's queue).
    void send(std::shared_ptr<const std::string> message);
    /// Messages waiting, the one being written included.
    std::size_t queued() const noexcept { return queue_.size() + (in_flight_ ? 1 : 0); }
    /// Closes the connection (the exhibit is stopping).
    void close();

  private:
    void on_accept(boost::beast::error_code ec);
    void do_read();
    void on_read(boost::beast::error_code ec);
    /// Sends what it is given to this screen alone, while the session lasts.
    std::function<void(std::string)> answer_to_this_screen();
    void do_write();
    void on_write(boost::beast::error_code ec);
    /// The end of the session, for whatever reason: `ec`, or `reason` when there is no error
    /// code. Counts a refused message or a dropped viewer, logs why, closes the socket. Only
    /// the first call does anything.
    void fail(std::string_view where, boost::beast::error_code ec, std::string_view reason = {});
    void close_socket();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    std::weak_ptr<hall> hall_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    std::shared_ptr<const std::string> in_flight_;  // the message being written
    std::size_t max_queue_ = 1000;
    boost::beast::flat_buffer buffer_;
    std::string peer_;       // "127.0.0.1:40312", for the log
    bool loopback_ = false;  // connected from this machine
    bool closed_ = false;
};

}  // namespace hakto::terminals::exhibit
