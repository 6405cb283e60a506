#pragma once
// A byte stream as the framing layer sees it: an abstract async stream, so that the same
// framing and session code runs over a TCP socket and over the in-memory test stream that fails
// after N operations (tests/support/net_test_stream.hpp).
//
// Contract: handlers are never called from inside the initiating call (they are posted), at
// most one read and one write are outstanding at a time, and after close() every outstanding
// operation completes with an error.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

namespace hakto::terminals {

class byte_stream {
  public:
    using handler = std::function<void(const boost::system::error_code&, std::size_t)>;
    virtual ~byte_stream() = default;
    /// Reads some bytes (at least one, or an error; end of stream is asio::error::eof).
    virtual void async_read_some(boost::asio::mutable_buffer buffer, handler h) = 0;
    /// Writes the whole buffer, or fails.
    virtual void async_write(boost::asio::const_buffer buffer, handler h) = 0;
    virtual void close() = 0;
    /// "127.0.0.1:40312", for the log.
    [[nodiscard]] virtual std::string peer() const = 0;
};

/// A byte_stream over a connected TCP socket (TCP_NODELAY set: frames are small and paced).
std::unique_ptr<byte_stream> make_tcp_stream(boost::asio::ip::tcp::socket socket);

}  // namespace hakto::terminals
