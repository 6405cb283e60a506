#pragma once
// The printer port (--printer-port): a plain TCP port where any telnet or nc client sees the
// station's page copy as it prints, at line speed, with CR LF line ends: a second screen, or a
// bridge to a real teleprinter. Clients only read; what they send is read and ignored. Bounds:
// clients (max_clients; more are turned away with a line saying so), and each client's queue
// (a client that does not keep up is dropped).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "protocol/text/expected.hpp"

namespace hakto::terminals {

struct printer_port_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0: an ephemeral port
    std::size_t max_clients = 64;
    std::size_t max_queued_bytes = 64 * 1024;
    std::string greeting;  ///< sent first to each client, e.g. "WTE page printer\r\n"
};

class printer_port {
  public:
    static expected<std::unique_ptr<printer_port>, std::string> open(
        boost::asio::io_context& io, printer_port_options options,
        std::function<void(const std::string&)> log);
    ~printer_port();
    printer_port(const printer_port&) = delete;
    printer_port& operator=(const printer_port&) = delete;

    /// Sends text (already with CR LF line ends) to every client.
    void print(std::string_view text);
    void stop();
    [[nodiscard]] std::uint16_t port() const;
    [[nodiscard]] std::size_t clients() const;

    class impl;

  private:
    struct token {  // open() alone makes printer ports
        explicit token() = default;
    };

  public:
    printer_port(token, std::shared_ptr<impl> p) : impl_(std::move(p)) {}

  private:
    std::shared_ptr<impl> impl_;
};

}  // namespace hakto::terminals
