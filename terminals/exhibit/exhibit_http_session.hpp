#pragma once
// One HTTP connection (the http_session of Beast's multi-user chat example): it serves the
// page's files (GET and HEAD), and hands a WebSocket upgrade to a viewer session while the
// hall has room (else 503). A request is at most 8 KiB of header and 8 KiB of body and must
// arrive within 30 s.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace hakto::terminals::exhibit {

class hall;

class http_session final : public std::enable_shared_from_this<http_session> {
  public:
    static constexpr std::size_t max_header_bytes = 8192;
    static constexpr std::size_t max_body_bytes = 8192;
    static constexpr std::chrono::seconds request_time{30};

    http_session(boost::asio::ip::tcp::socket socket, std::weak_ptr<hall> h);
    void run() { do_read(); }

  private:
    using request = boost::beast::http::request<boost::beast::http::string_body>;
    void do_read();
    void on_read(boost::beast::error_code ec);
    void respond(const request& req, boost::beast::http::status st, std::string body,
                 std::string_view type);
    void on_write(boost::beast::error_code ec);
    /// GET /souvenir?cable=LABEL&format=png: drawn by the hall's souvenir desk, then answered.
    void souvenir(request req, std::string_view query);
    void shut_down();

    boost::beast::tcp_stream stream_;
    std::weak_ptr<hall> hall_;
    boost::beast::flat_buffer buffer_{16384};
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::optional<boost::beast::http::response<boost::beast::http::string_body>> res_;
    std::string attachment_;  // the next response's download file name, if any
};

}  // namespace hakto::terminals::exhibit
