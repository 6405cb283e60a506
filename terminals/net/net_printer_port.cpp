#include "terminals/net/net_printer_port.hpp"

#include <deque>
#include <list>

#include <fmt/format.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace hakto::terminals {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

class client : public std::enable_shared_from_this<client> {
  public:
    client(tcp::socket s, std::size_t max_queued)
        : socket_(std::move(s)), max_queued_(max_queued) {}
    bool open() const { return open_; }
    void start(const std::string& greeting) {
        boost::system::error_code ec;
        socket_.set_option(tcp::no_delay(true), ec);
        drain();
        if (!greeting.empty()) send(greeting);
    }
    /// False when the client is too far behind (it is closed).
    bool send(std::string_view text) {
        if (!open_) return false;
        if (queued_ + text.size() > max_queued_) {
            close();
            return false;
        }
        queued_ += text.size();
        out_.emplace_back(text);
        if (!busy_) write();
        return true;
    }
    void close() {
        if (!open_) return;
        open_ = false;
        boost::system::error_code ec;
        socket_.shutdown(tcp::socket::shutdown_both, ec);
        socket_.close(ec);
    }

  private:
    void write() {
        if (!open_ || out_.empty()) {
            busy_ = false;
            return;
        }
        busy_ = true;
        writing_.clear();
        while (!out_.empty()) {
            writing_ += out_.front();
            out_.pop_front();
        }
        asio::async_write(socket_, asio::buffer(writing_),
                          [self = shared_from_this()](auto ec, std::size_t) {
                              self->queued_ -= self->writing_.size();
                              if (ec) {
                                  self->close();
                                  return;
                              }
                              self->write();
                          });
    }
    // Whatever a client types is read and dropped; its end of the connection closes ours.
    void drain() {
        socket_.async_read_some(asio::buffer(sink_),
                                [self = shared_from_this()](auto ec, std::size_t) {
                                    if (ec) {
                                        self->close();
                                        return;
                                    }
                                    self->drain();
                                });
    }
    tcp::socket socket_;
    std::size_t max_queued_;
    std::deque<std::string> out_;
    std::string writing_;
    std::size_t queued_ = 0;
    bool busy_ = false;
    bool open_ = true;
    std::array<char, 512> sink_{};
};

}  // namespace

class printer_port::impl : public std::enable_shared_from_this<printer_port::impl> {
  public:
    impl(asio::io_context& io, printer_port_options o, std::function<void(const std::string&)> log)
        : acceptor_(io), options_(std::move(o)), log_(std::move(log)) {}

    std::string listen() {
        boost::system::error_code ec;
        auto addr = asio::ip::make_address(options_.host, ec);
        if (ec) return fmt::format("printer port: '{}' is not an IP address", options_.host);
        tcp::endpoint ep{addr, options_.port};
        acceptor_.open(ep.protocol(), ec);
        if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) acceptor_.bind(ep, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec)
            return fmt::format("printer port {}:{}: {}", options_.host, options_.port,
                               ec.message());
        return {};
    }
    void accept() {
        acceptor_.async_accept([self = shared_from_this()](auto ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
            if (!ec) {
                self->prune();
                if (self->clients_.size() >= self->options_.max_clients) {
                    auto c = std::make_shared<client>(std::move(s), 256);
                    c->send("printer port busy: too many clients\r\n");
                    c->close();
                } else {
                    auto c =
                        std::make_shared<client>(std::move(s), self->options_.max_queued_bytes);
                    c->start(self->options_.greeting);
                    self->clients_.push_back(c);
                }
            }
            self->accept();
        });
    }
    void prune() {
        clients_.remove_if([](const auto& c) { return !c->open(); });
    }
    void print(std::string_view text) {
        for (auto& c : clients_)
            if (!c->send(text) && log_)
                log_("printer port: a client that did not keep up was dropped");
        prune();
    }
    void stop() {
        boost::system::error_code ec;
        acceptor_.close(ec);
        for (auto& c : clients_) c->close();
        clients_.clear();
    }
    tcp::acceptor acceptor_;
    printer_port_options options_;
    std::function<void(const std::string&)> log_;
    std::list<std::shared_ptr<client>> clients_;
};

expected<std::unique_ptr<printer_port>, std::string> printer_port::open(
    asio::io_context& io, printer_port_options options,
    std::function<void(const std::string&)> log) {
    auto p = std::make_shared<impl>(io, std::move(options), std::move(log));
    if (auto err = p->listen(); !err.empty()) return err;
    p->accept();
    return std::make_unique<printer_port>(token{}, std::move(p));
}

printer_port::~printer_port() {
    impl_->stop();
}
void printer_port::print(std::string_view text) {
    impl_->print(text);
}
void printer_port::stop() {
    impl_->stop();
}
std::uint16_t printer_port::port() const {
    boost::system::error_code ec;
    auto ep = impl_->acceptor_.local_endpoint(ec);
    return ec ? 0 : ep.port();
}
std::size_t printer_port::clients() const {
    impl_->prune();
    return impl_->clients_.size();
}

}  // namespace hakto::terminals
