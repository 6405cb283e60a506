#pragma once
// A session: one connection between two stations, over the framing layer
// (terminals/net/net_framing.hpp). It does the handshake (hello both ways, then the
// challenge-response of terminals/net/net_auth.hpp when a key is configured), keeps the connection
// alive (heartbeats when idle, a timeout when the peer goes quiet or never says hello), and hands
// every other frame to its owner. What the frames mean for cables is the node's business
// (terminals/net/node/net_node.hpp).
//
// With a key, every frame after the handshake (both auth frames) is sealed both ways
// (terminals/net/net_seal.hpp): the session seals what it sends and opens what it receives, so
// its owner sees plain frames. A frame that fails to open (tampered, replayed, reordered,
// dropped) or comes in clear closes the connection, with the reason in the log.
//
// Time comes from a sim::timer_service: one timer, set at the nearest deadline (the end of the
// handshake; once up, the idle timeout after the last frame in or the heartbeat after the last
// frame out). So a peer is closed at its timeout exactly, and in virtual time in the tests.
//
// All of it runs on the io_context's one thread: handlers never run concurrently (an implicit
// strand), so there are no locks.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/wire/wire_frame.hpp"
#include "sim/timers.hpp"
#include "terminals/net/net_auth.hpp"
#include "terminals/net/net_framing.hpp"
#include "terminals/net/net_seal.hpp"
#include "terminals/net/net_timer.hpp"

namespace hakto::terminals {

struct session_config {
    std::string self_id;
    protocol::wire::role role = protocol::wire::role::station;
    std::uint32_t capabilities = 0;  ///< authenticate is added when there is a key
    std::optional<shared_key> key;
    std::chrono::milliseconds handshake_timeout{5000};
    std::chrono::milliseconds heartbeat{1000};
    std::chrono::milliseconds idle_timeout{5000};
    std::size_t max_queued_bytes = frame_channel::default_max_queued;
};

class session : public std::enable_shared_from_this<session> {
  public:
    struct hooks {
        /// Listening side: "" to admit a peer that said hello with this id, else the reason to
        /// refuse it.
        std::function<std::string(const std::string& peer_id)> admit;
        std::function<void(const std::shared_ptr<session>&)> established;
        std::function<void(const std::shared_ptr<session>&, protocol::wire::frame)> on_frame;
        std::function<void(const std::shared_ptr<session>&, const std::string& reason)> closed;
        std::function<void(const std::string& line)> log;
    };

    /// `expected_peer`: the id the connecting side expects to reach (empty on the listening side).
    session(sim::timer_service& timers, std::unique_ptr<byte_stream> stream, session_config config,
            bool initiator, std::string expected_peer);

    void start(hooks h);
    /// Sends a frame once established (false if it cannot be queued: the session closes).
    bool send(const protocol::wire::frame& f);
    void close(const std::string& reason);

    [[nodiscard]] bool established() const noexcept { return established_; }
    [[nodiscard]] bool open() const noexcept { return !closed_; }
    [[nodiscard]] const std::string& peer_id() const noexcept { return peer_id_; }
    [[nodiscard]] const std::string& remote() const noexcept { return remote_; }
    [[nodiscard]] const protocol::wire::hello& peer_hello() const noexcept { return peer_hello_; }
    /// When start() ran, on the timer service's clock.
    [[nodiscard]] sim::wall_time started() const noexcept { return started_; }
    [[nodiscard]] std::size_t queued_bytes() const noexcept { return channel_->queued_bytes(); }
    /// True once up with a key: every frame both ways is sealed.
    [[nodiscard]] bool sealed() const noexcept { return seals_.has_value(); }

  private:
    enum class phase { hello, auth, up };
    void frame(protocol::wire::frame f);
    void on_hello(const protocol::wire::hello& h);
    void on_auth(const protocol::wire::auth& a);
    void refuse(const std::string& reason);
    void up();
    /// With a key: the seals of this connection, from the handshake. False: closed.
    bool start_sealing();
    /// A frame from the peer on a sealed connection, opened; false when it cannot be (closed).
    bool open_sealed(protocol::wire::frame& f);
    /// Sets the timer at the nearest deadline.
    void arm();
    /// The timer: a deadline passed (or moved on, when frames came or went meanwhile).
    void on_timer();
    void log(const std::string& line) const;
    bool raw_send(const protocol::wire::frame& f);

    sim::timer_service& timers_;
    std::shared_ptr<frame_channel> channel_;
    session_config config_;
    bool initiator_;
    std::string expected_peer_;
    std::string remote_;
    std::string peer_id_;
    hooks hooks_;
    phase phase_ = phase::hello;
    bool established_ = false;
    bool closed_ = false;
    bool logged_ = false;    // why the handshake failed is in the log
    bool refusing_ = false;  // a refusal sent: the connection closes once it is written
    nonce my_nonce_{};
    protocol::wire::hello my_hello_;
    protocol::wire::hello peer_hello_;
    std::optional<frame_seals> seals_;
    scoped_timer timer_;
    sim::wall_time started_{}, last_in_{}, last_out_{};
    std::uint64_t heartbeats_ = 0;
};

}  // namespace hakto::terminals
