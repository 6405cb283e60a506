#pragma once
// The connections of a node: listening and accepting, dialling the neighbours it dials (and
// dialling again with back-off: reconnect_min, doubling to reconnect_max, back to the start once
// connected; a connect that hangs is abandoned after the handshake timeout), and the sessions
// (handshake, authentication, heartbeats and timeouts: terminals/net/net_session.hpp) until each
// is established and handed to its link, or closed.
//
// Bounds: at most max_connections connections, and at most max_pending_handshakes that have not
// said hello (past it the oldest goes: good peers say hello at once, so half-open connections
// cannot crowd them out). Every wait is on the node's timer service; the sockets are Asio's.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "protocol/text/expected.hpp"
#include "terminals/net/net_session.hpp"
#include "terminals/net/net_stream.hpp"
#include "terminals/net/net_timer.hpp"
#include "terminals/net/node/node_context.hpp"
#include "terminals/net/node/node_link.hpp"

namespace hakto::terminals {

class node_connections {
  public:
    node_connections(node_context& ctx, node_host& host, node_links& links);
    node_connections(const node_connections&) = delete;
    node_connections& operator=(const node_connections&) = delete;

    /// Opens the listening socket (when the node listens).
    expected<void, node_error> listen();
    /// Accepts, and dials every neighbour this node dials.
    void start();
    /// Stops accepting and dialling; closes every connection.
    void stop();
    /// Takes a connected stream as a session. `initiator`: this side said hello first,
    /// expecting `expected_peer`.
    void adopt(std::unique_ptr<byte_stream> stream, bool initiator,
               const std::string& expected_peer);
    [[nodiscard]] std::uint16_t port() const;

  private:
    /// Dialling one neighbour.
    struct dialler {
        explicit dialler(sim::timer_service& timers) : timer(timers) {}
        scoped_timer timer;  ///< the connect timeout, then the back-off
        sim::wall_duration backoff{};
        bool reported_unreachable = false;
        std::shared_ptr<boost::asio::ip::tcp::socket> socket;
        std::shared_ptr<session> pending;  ///< dialled, in its handshake
    };

    void accept();
    [[nodiscard]] session_config session_cfg() const;
    void enforce_pending_limit();
    void dial(node_link& l);
    void redial(node_link& l);
    void established(const std::shared_ptr<session>& s);
    void closed(const std::shared_ptr<session>& s, const std::string& reason);
    void on_frame(const std::shared_ptr<session>& s, protocol::wire::frame f);
    /// Listening side: "" to admit a neighbour that said hello as `id`, else why not.
    [[nodiscard]] std::string admit(const std::string& id) const;

    node_context& ctx_;
    node_host& host_;
    node_links& links_;
    boost::asio::ip::tcp::acceptor acceptor_;
    scoped_timer accept_retry_;
    std::vector<std::unique_ptr<dialler>> diallers_;  ///< one a link, by its index
    /// Every connection, with the order it came in (the oldest waiting one goes first).
    std::map<std::shared_ptr<session>, std::uint64_t> sessions_;
    std::uint64_t adopted_ = 0;
    /// Callbacks of sockets and sessions hold this weakly: none runs once the node has gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hakto::terminals
