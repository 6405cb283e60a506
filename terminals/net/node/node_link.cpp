#include "terminals/net/node/node_link.hpp"

#include <type_traits>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "sim/circuit.hpp"
#include "sim/crypto/crypto.hpp"
#include "terminals/net/node/node_durability.hpp"

namespace hakto::terminals {

namespace wire = protocol::wire;

node_link::node_link(node_context& ctx, node_host& host, node_durability& durability,
                     const node_peer& peer, std::size_t index)
    : peer_(peer),
      index_(index),
      sender_(ctx, host, durability, *this, peer_),
      receiver_(ctx, host, durability, *this, peer_) {}

expected<std::unique_ptr<node_link>, node_error> node_link::make(node_context& ctx, node_host& host,
                                                                 node_durability& durability,
                                                                 const node_peer& p,
                                                                 std::size_t index) {
    auto l = std::make_unique<node_link>(ctx, host, durability, p, index);
    const auto& cs = p.circuit;
    const bool noisy = ctx.config.noise && cs.noise;
    const bool crypto = ctx.config.crypto && cs.crypto;
    if (noisy || crypto) {
        sim::circuit_config cc;
        cc.name = fmt::format("{} {}>{}", cs.id, ctx.config.id, p.id);
        cc.profile = cs.profile;
        cc.propagation_delay = cs.propagation_delay;
        cc.keep_log = false;
        if (noisy) {
            cc.noise = *cs.noise;
            cc.noise->seed = cs.noise->seed + static_cast<std::uint64_t>(p.direction);
        }
        if (crypto) {
            // The direction seeds of sim::network: key tape key_seed × 2 + direction.
            auto [send, receive] = sim::key_tape::punch_pair(
                cs.crypto->key_seed * 2 + static_cast<std::uint64_t>(p.direction),
                cs.crypto->key_length);
            auto at = static_cast<std::size_t>(durability.store().out(p.id).next_key);
            cc.crypto = sim::crypto_setup{std::move(send), std::move(receive), at, at,
                                          sim::resync_params{}};
            l->receiver_.use_tape(sim::key_tape::punch(
                cs.crypto->key_seed * 2 + static_cast<std::uint64_t>(1 - p.direction),
                cs.crypto->key_length));
        }
        auto made = sim::circuit::create(std::move(cc));
        if (!made) return node_error{fmt::format("circuit '{}': {}", cs.id, made.error().message)};
        l->sender_.use_line(std::move(made.value()), crypto);
    }
    return l;
}

void node_link::reset(std::string_view reason) {
    ++generation_;
    receiver_.reset(reason);
    sender_.reset(reason);
}

void node_link::attach(std::shared_ptr<session> s) {
    reset("a new connection");
    s_ = std::move(s);
}

void node_link::detach(std::string_view reason) {
    s_.reset();
    reset(reason);
}

void node_link::close(const std::string& reason) {
    if (auto s = s_) s->close(reason);  // (the node's closed() hook detaches the link)
}

void node_link::stop() {
    sender_.stop();
    receiver_.stop();
}

void node_link::on_frame(wire::frame f) {
    std::visit(
        [&](auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, wire::begin>)
                receiver_.on_begin(std::move(v));
            else if constexpr (std::is_same_v<T, wire::data>)
                receiver_.on_data(std::move(v));
            else if constexpr (std::is_same_v<T, wire::end>)
                receiver_.on_end(v);
            else if constexpr (std::is_same_v<T, wire::ack>)
                sender_.on_ack(v);
            else if constexpr (std::is_same_v<T, wire::service>)
                sender_.on_service(v);
            else if constexpr (std::is_same_v<T, wire::cancel>)
                receiver_.on_cancel(v);
        },
        f);
}

}  // namespace hakto::terminals
