#include "terminals/net/net_framing.hpp"

#include <fmt/format.h>
#include <boost/asio/error.hpp>

namespace hakto::terminals {

namespace wire = protocol::wire;
namespace asio = boost::asio;

frame_channel::frame_channel(std::unique_ptr<byte_stream> stream, std::size_t max_queued_bytes)
    : stream_(std::move(stream)),
      peer_(stream_->peer()),
      max_queued_(max_queued_bytes),
      decoder_(2 * wire::max_sealed_frame + read_chunk),
      read_buffer_(read_chunk) {}

void frame_channel::start(callbacks cb) {
    cb_ = std::move(cb);
    read();
}

void frame_channel::read() {
    if (closed_) return;
    // Never read more than the decoder has room for: it holds at most two frames and a chunk.
    std::size_t n = std::min(read_buffer_.size(), decoder_.room());
    stream_->async_read_some(
        asio::buffer(read_buffer_.data(), n),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t got) {
            if (self->closed_) return;
            if (ec) {
                if (ec == asio::error::eof) {
                    if (self->decoder_.buffered() > 0) {
                        auto t = self->decoder_.partial_type();
                        self->close(fmt::format(
                            "truncated frame: the connection closed {} bytes into a {} frame",
                            self->decoder_.buffered(),
                            t ? wire::frame_type_name(*t) : std::string{"new"}));
                    } else {
                        self->close("closed by the peer");
                    }
                } else {
                    self->close(fmt::format("read failed: {}", ec.message()));
                }
                return;
            }
            auto fed = self->decoder_.feed(std::span(self->read_buffer_.data(), got));
            if (!fed) {
                self->close(fmt::format("bad frame: {}", fed.error().message()));
                return;
            }
            for (;;) {
                auto f = self->decoder_.next();
                if (!f) {
                    self->close(fmt::format("bad frame: {}", f.error().message()));
                    return;
                }
                if (!f.value()) break;
                ++self->frames_in_;
                if (self->cb_.on_frame) self->cb_.on_frame(std::move(*f.value()));
                if (self->closed_) return;
            }
            self->read();
        });
}

bool frame_channel::send(const wire::frame& f) {
    if (closed_ || closing_) return false;
    std::vector<std::uint8_t> bytes;
    wire::encode_to(f, bytes);
    if (queued_ + bytes.size() > max_queued_) {
        close(fmt::format("the peer does not read: {} bytes queued, at most {}", queued_,
                          max_queued_));
        return false;
    }
    queued_ += bytes.size();
    out_.push_back(std::move(bytes));
    ++frames_out_;
    if (!write_busy_) write();
    return true;
}

void frame_channel::write() {
    if (closed_) return;
    if (out_.empty()) {
        write_busy_ = false;
        if (closing_) close(closing_reason_);
        return;
    }
    write_busy_ = true;
    // Coalesce what is queued into one buffer (frames are small: acks, a few codes).
    writing_.clear();
    while (!out_.empty() && writing_.size() < 64 * 1024) {
        auto& b = out_.front();
        writing_.insert(writing_.end(), b.begin(), b.end());
        out_.pop_front();
    }
    stream_->async_write(
        asio::buffer(writing_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
            if (self->closed_) return;
            self->queued_ -= self->writing_.size();
            if (ec) {
                self->close(fmt::format("write failed: {}", ec.message()));
                return;
            }
            self->write();
        });
}

void frame_channel::close_after_flush(const std::string& reason) {
    if (closed_ || closing_) return;
    closing_ = true;
    closing_reason_ = reason;
    if (!write_busy_) close(reason);
}

void frame_channel::close(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    stream_->close();
    auto cb = std::move(cb_.on_closed);
    cb_ = {};
    if (cb) cb(reason);
}

}  // namespace hakto::terminals
