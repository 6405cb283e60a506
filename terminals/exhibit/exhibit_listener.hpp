#pragma once
// The listener (Beast's multi-user chat example's): binds the exhibit's address and port and
// accepts connections, each an HTTP session of the hall, until stopped.
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "protocol/text/expected.hpp"
#include "terminals/exhibit/exhibit_server.hpp"

namespace hakto::terminals::exhibit {

class hall;

class listener final : public std::enable_shared_from_this<listener> {
  public:
    /// Binds and listens on `host`:`port` (0: an ephemeral port); nothing is accepted until
    /// start().
    static expected<std::shared_ptr<listener>, exhibit_error> open(boost::asio::io_context& io,
                                                                   const std::string& host,
                                                                   std::uint16_t port,
                                                                   std::weak_ptr<hall> h);
    listener(boost::asio::io_context& io, std::weak_ptr<hall> h);

    void start() { do_accept(); }
    /// Stops accepting; the sessions already open go on until the hall closes them.
    void stop();
    std::uint16_t port() const noexcept { return port_; }

  private:
    void do_accept();

    boost::asio::ip::tcp::acceptor acceptor_;
    std::weak_ptr<hall> hall_;
    std::uint16_t port_ = 0;
    bool stopping_ = false;
};

}  // namespace hakto::terminals::exhibit
