#pragma once
// A link: one neighbour across one circuit. It holds the connection to it once established (a
// session, terminals/net/net_session.hpp), the sender of this node's direction of the circuit
// (link_sender) and the receiver of the far end's (link_receiver), and hands them the frames of
// the connection. Dialling and accepting are node_connections'.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/text/expected.hpp"
#include "protocol/wire/wire_frame.hpp"
#include "terminals/net/net_session.hpp"
#include "terminals/net/node/link_receiver.hpp"
#include "terminals/net/node/link_sender.hpp"
#include "terminals/net/node/node_context.hpp"

namespace hakto::terminals {

class node_durability;

class node_link {
  public:
    /// The link to `peer`, with its circuit model (on-line encryption with the direction's key
    /// tape, the line's noise) when the node and the circuit have them.
    static expected<std::unique_ptr<node_link>, node_error> make(node_context& ctx, node_host& host,
                                                                 node_durability& durability,
                                                                 const node_peer& peer,
                                                                 std::size_t index);
    node_link(node_context& ctx, node_host& host, node_durability& durability,
              const node_peer& peer, std::size_t index);
    node_link(const node_link&) = delete;
    node_link& operator=(const node_link&) = delete;

    [[nodiscard]] const node_peer& peer() const noexcept { return peer_; }
    [[nodiscard]] std::size_t index() const noexcept { return index_; }
    /// The established connection, if there is one.
    [[nodiscard]] const std::shared_ptr<session>& connection() const noexcept { return s_; }
    [[nodiscard]] bool up() const noexcept { return s_ && s_->established(); }
    /// Counts the connections: tells a callback of an earlier one.
    [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }
    [[nodiscard]] std::uint32_t peer_capabilities() const noexcept {
        return s_ ? s_->peer_hello().capabilities : 0u;
    }

    /// A new connection to the neighbour takes over the channel (what was on the line of the
    /// old one stops; the sender starts again).
    void attach(std::shared_ptr<session> s);
    /// The connection went.
    void detach(std::string_view reason);
    /// Sends a frame on the connection (false: there is none, or it closed).
    bool send(const protocol::wire::frame& f) { return s_ && s_->send(f); }
    /// Closes the connection with a reason (the far end is told).
    void close(const std::string& reason);
    void on_frame(protocol::wire::frame f);
    /// The node stops: no timer left.
    void stop();

    [[nodiscard]] link_sender& sender() noexcept { return sender_; }
    [[nodiscard]] link_receiver& receiver() noexcept { return receiver_; }
    [[nodiscard]] const link_sender& sender() const noexcept { return sender_; }
    [[nodiscard]] const link_receiver& receiver() const noexcept { return receiver_; }

  private:
    void reset(std::string_view reason);

    node_peer peer_;
    std::size_t index_;
    std::shared_ptr<session> s_;
    std::uint64_t generation_ = 0;
    link_sender sender_;
    link_receiver receiver_;
};

/// The links of a node, by neighbour.
class node_links {
  public:
    void add(std::unique_ptr<node_link> l) {
        index_[l->peer().id] = all_.size();
        all_.push_back(std::move(l));
    }
    [[nodiscard]] node_link* find(const std::string& peer) const {
        auto it = index_.find(peer);
        return it == index_.end() ? nullptr : all_[it->second].get();
    }
    [[nodiscard]] node_link& at(std::size_t i) const { return *all_[i]; }
    [[nodiscard]] std::size_t size() const noexcept { return all_.size(); }
    [[nodiscard]] auto begin() const noexcept { return all_.begin(); }
    [[nodiscard]] auto end() const noexcept { return all_.end(); }

  private:
    std::vector<std::unique_ptr<node_link>> all_;
    std::map<std::string, std::size_t> index_;
};

}  // namespace hakto::terminals
