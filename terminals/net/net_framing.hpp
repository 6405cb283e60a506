#pragma once
// Framing: frames over a byte stream, and nothing else (the shape of the Boost.Asio chat
// example's message and session, split in two: this class reads and writes frames; the session,
// terminals/net/net_session.hpp, decides what they mean).
//
//  * Reading: a fixed read buffer feeds the incremental decoder (protocol/wire/wire_frame.hpp);
//  each
//    whole frame goes to on_frame. A bad frame closes the channel with the decoder's reason.
//  * Writing: frames are queued and written one buffer at a time; the queue is bounded
//    (max_queued_bytes): a peer that does not read is cut off rather than let memory grow.
//  * close(reason) is idempotent; on_closed runs once, after which no callback runs.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protocol/wire/wire_frame.hpp"
#include "terminals/net/net_stream.hpp"

namespace hakto::terminals {

class frame_channel : public std::enable_shared_from_this<frame_channel> {
  public:
    struct callbacks {
        std::function<void(protocol::wire::frame)> on_frame;
        std::function<void(const std::string& reason)> on_closed;
    };

    static constexpr std::size_t read_chunk = 4096;
    static constexpr std::size_t default_max_queued = 256 * 1024;

    frame_channel(std::unique_ptr<byte_stream> stream,
                  std::size_t max_queued_bytes = default_max_queued);

    /// Starts reading. Call once.
    void start(callbacks cb);
    /// Queues a frame. False (and the channel closes) when the queue would pass its bound, or
    /// when the channel is closed.
    bool send(const protocol::wire::frame& f);
    /// Sends what is queued, then closes (e.g. after a refuse frame).
    void close_after_flush(const std::string& reason);
    void close(const std::string& reason);

    [[nodiscard]] bool open() const noexcept { return !closed_; }
    [[nodiscard]] std::size_t queued_bytes() const noexcept { return queued_; }
    [[nodiscard]] const std::string& peer() const noexcept { return peer_; }
    [[nodiscard]] std::uint64_t frames_in() const noexcept { return frames_in_; }
    [[nodiscard]] std::uint64_t frames_out() const noexcept { return frames_out_; }

  private:
    void read();
    void write();

    std::unique_ptr<byte_stream> stream_;
    std::string peer_;
    std::size_t max_queued_;
    callbacks cb_;
    protocol::wire::decoder decoder_;
    std::vector<std::uint8_t> read_buffer_;
    std::deque<std::vector<std::uint8_t>> out_;
    std::vector<std::uint8_t> writing_;
    std::size_t queued_ = 0;
    bool write_busy_ = false;
    bool closed_ = false;
    bool closing_ = false;
    std::string closing_reason_;
    std::uint64_t frames_in_ = 0, frames_out_ = 0;
};

}  // namespace hakto::terminals
