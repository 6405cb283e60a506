#include "terminals/net/net_stream.hpp"

#include <fmt/format.h>
#include <boost/asio/write.hpp>

namespace hakto::terminals {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class tcp_stream final : public byte_stream {
  public:
    explicit tcp_stream(tcp::socket s) : socket_(std::move(s)) {
        boost::system::error_code ec;
        socket_.set_option(tcp::no_delay(true), ec);
        auto ep = socket_.remote_endpoint(ec);
        peer_ = ec ? std::string{"(unknown peer)"}
                   : fmt::format("{}:{}", ep.address().to_string(), ep.port());
    }
    void async_read_some(asio::mutable_buffer b, handler h) override {
        socket_.async_read_some(b, std::move(h));
    }
    void async_write(asio::const_buffer b, handler h) override {
        asio::async_write(socket_, b, std::move(h));
    }
    void close() override {
        boost::system::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
    }
    [[nodiscard]] std::string peer() const override { return peer_; }

  private:
    tcp::socket socket_;
    std::string peer_;
};

}  // namespace

std::unique_ptr<byte_stream> make_tcp_stream(tcp::socket socket) {
    return std::make_unique<tcp_stream>(std::move(socket));
}

}  // namespace hakto::terminals
