#include "terminals/exhibit/exhibit_listener.hpp"

#include <fmt/format.h>

#include "terminals/exhibit/exhibit_http_session.hpp"

namespace hakto::terminals::exhibit {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

listener::listener(asio::io_context& io, std::weak_ptr<hall> h)
    : acceptor_(io), hall_(std::move(h)) {}

expected<std::shared_ptr<listener>, exhibit_error> listener::open(asio::io_context& io,
                                                                  const std::string& host,
                                                                  std::uint16_t port,
                                                                  std::weak_ptr<hall> h) {
    auto l = std::make_shared<listener>(io, std::move(h));
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(host, ec);
    if (ec) return exhibit_error{fmt::format("--listen: '{}' is not an IP address", host)};
    tcp::endpoint ep{addr, port};
    auto& a = l->acceptor_;
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return exhibit_error{fmt::format("cannot listen on {}:{}: {}", host, port, ec.message())};
    l->port_ = a.local_endpoint(ec).port();
    return l;
}

void listener::stop() {
    stopping_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void listener::do_accept() {
    acceptor_.async_accept([w = weak_from_this()](boost::system::error_code ec, tcp::socket s) {
        auto self = w.lock();
        if (!self || self->stopping_) return;
        if (!ec) std::make_shared<http_session>(std::move(s), self->hall_)->run();
        self->do_accept();
    });
}

}  // namespace hakto::terminals::exhibit
