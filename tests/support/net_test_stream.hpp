#pragma once
// An in-memory duplex byte stream for the framing and session code (terminals/net/net_stream.hpp),
// that can fail after N operations (the idea of Boost.Beast's test::stream and fail_count):
// tests loop N over every point of an exchange and check that nothing is lost, doubled or
// corrupted, and that nothing hangs or crashes.
#include <algorithm>
#include <cstddef>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "terminals/net/net_stream.hpp"

namespace hakto::test {

/// Counts operations (reads and writes started, on either end); operation number n (from 0)
/// and every later one fail once n >= limit.
class fail_counter {
  public:
    explicit fail_counter(std::size_t limit = std::numeric_limits<std::size_t>::max())
        : limit_(limit) {}
    bool fail() { return count_++ >= limit_; }
    /// The next operation, and every later one, fails: the connection breaks now.
    void fail_from_now() noexcept { limit_ = count_; }
    [[nodiscard]] std::size_t count() const noexcept { return count_; }
    [[nodiscard]] bool tripped() const noexcept { return count_ > limit_; }

  private:
    std::size_t limit_;
    std::size_t count_ = 0;
};

namespace detail {

struct pipe_state {
    explicit pipe_state(boost::asio::io_context& i) : io(i) {}
    boost::asio::io_context& io;
    std::deque<std::uint8_t> to[2];  // bytes waiting for side i
    struct pending_read {
        boost::asio::mutable_buffer buffer;
        hakto::terminals::byte_stream::handler h;
    };
    std::optional<pending_read> reading[2];
    bool closed[2] = {false, false};
    bool broken = false;
    fail_counter* counter = nullptr;
    std::size_t chunk = 64 * 1024;  // at most this many bytes a read

    void post(hakto::terminals::byte_stream::handler h, boost::system::error_code ec,
              std::size_t n) {
        boost::asio::post(io, [h = std::move(h), ec, n] { h(ec, n); });
    }
    /// Completes side i's pending read if it can.
    void serve(int i) {
        if (!reading[i]) return;
        if (closed[i]) {
            auto r = std::move(*reading[i]);
            reading[i].reset();
            post(std::move(r.h), boost::asio::error::operation_aborted, 0);
            return;
        }
        if (!to[i].empty()) {
            auto r = std::move(*reading[i]);
            reading[i].reset();
            std::size_t n = std::min({r.buffer.size(), to[i].size(), chunk});
            auto* p = static_cast<std::uint8_t*>(r.buffer.data());
            std::copy_n(to[i].begin(), n, p);
            to[i].erase(to[i].begin(), to[i].begin() + static_cast<std::ptrdiff_t>(n));
            post(std::move(r.h), {}, n);
            return;
        }
        if (broken || closed[1 - i]) {
            auto r = std::move(*reading[i]);
            reading[i].reset();
            boost::system::error_code ec =
                broken ? boost::system::error_code(boost::asio::error::connection_reset)
                       : boost::system::error_code(boost::asio::error::eof);
            post(std::move(r.h), ec, 0);
        }
    }
};

class memory_stream final : public hakto::terminals::byte_stream {
  public:
    memory_stream(std::shared_ptr<pipe_state> st, int side) : st_(std::move(st)), side_(side) {}
    ~memory_stream() override { close(); }

    void async_read_some(boost::asio::mutable_buffer b, handler h) override {
        if (fails()) {
            st_->post(std::move(h), boost::asio::error::connection_reset, 0);
            return;
        }
        st_->reading[side_] = detail::pipe_state::pending_read{b, std::move(h)};
        st_->serve(side_);
    }
    void async_write(boost::asio::const_buffer b, handler h) override {
        if (fails() || st_->closed[side_] || st_->closed[1 - side_]) {
            st_->post(std::move(h), boost::asio::error::broken_pipe, 0);
            return;
        }
        const auto* p = static_cast<const std::uint8_t*>(b.data());
        st_->to[1 - side_].insert(st_->to[1 - side_].end(), p, p + b.size());
        st_->serve(1 - side_);
        st_->post(std::move(h), {}, b.size());
    }
    void close() override {
        if (st_->closed[side_]) return;
        st_->closed[side_] = true;
        st_->serve(side_);
        st_->serve(1 - side_);
    }
    [[nodiscard]] std::string peer() const override { return side_ == 0 ? "memory:b" : "memory:a"; }

  private:
    bool fails() {
        if (st_->broken) return true;
        if (st_->counter && st_->counter->fail()) {
            // The connection breaks: both ends see it.
            st_->broken = true;
            st_->serve(1 - side_);
            return true;
        }
        return false;
    }
    std::shared_ptr<pipe_state> st_;
    int side_;
};

}  // namespace detail

/// Two connected ends. `counter` (may be null) counts the operations of both; `chunk` bounds
/// the bytes a read returns (small values split frames across reads).
inline std::pair<std::unique_ptr<hakto::terminals::byte_stream>,
                 std::unique_ptr<hakto::terminals::byte_stream>>
memory_pair(boost::asio::io_context& io, fail_counter* counter = nullptr,
            std::size_t chunk = 64 * 1024) {
    auto st = std::make_shared<detail::pipe_state>(io);
    st->counter = counter;
    st->chunk = std::max<std::size_t>(chunk, 1);
    return {std::make_unique<detail::memory_stream>(st, 0),
            std::make_unique<detail::memory_stream>(st, 1)};
}

}  // namespace hakto::test
