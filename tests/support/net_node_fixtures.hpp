#pragma once
// The set-up the network node's tests share: a cable of text, a station of one peer over the
// circuit "ab", the cables a node keeps for itself.
#include <cstddef>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/net/net_store.hpp"
#include "terminals/net/node/net_node.hpp"

namespace hakto::test {

/// A cable from A to `to` whose codes spell `text`.
inline terminals::net_cable text_cable(const std::string& label, const std::string& text,
                                       protocol::precedence p = protocol::precedence::routine,
                                       const std::string& to = "B") {
    terminals::net_cable c;
    c.label = label;
    c.origin = "A";
    c.addressees = {to};
    c.precedence = static_cast<std::uint8_t>(p);
    auto codes = protocol::encode(text);
    REQUIRE(codes);
    c.codes.assign(codes.value().codes.begin(), codes.value().codes.end());
    return c;
}

/// Station `id` with one neighbour, `peer`, over the circuit "ab" (which end dials: `dials`),
/// its journal in `journal`, everything routed to the peer; no listening, no dialling out of
/// its own, no pacing.
inline terminals::node_config station(const std::string& id, const std::string& peer, bool dials,
                                      const std::string& journal) {
    terminals::node_config c;
    c.id = id;
    c.journal_dir = journal;
    c.listen = false;
    c.dial_out = false;
    c.speed = 0;
    terminals::node_peer p;
    p.id = peer;
    p.dial = dials;
    p.circuit.id = "ab";
    p.direction = dials ? 0 : 1;
    c.peers.push_back(p);
    c.routes.emplace_back("", peer);
    return c;
}

/// The cables the node keeps as addressed to itself.
inline std::size_t local_count(const terminals::net_node& n) {
    std::size_t k = 0;
    for (const auto& [id, c] : n.store().cables()) k += c.local ? 1 : 0;
    return k;
}

}  // namespace hakto::test
