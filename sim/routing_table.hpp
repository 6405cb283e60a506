#pragma once
// Routing indicators and the routing table of a relay station: routing-indicator prefixes mapped to
// outgoing circuits, longest prefix first, with an optional default route.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/text/expected.hpp"

namespace hakto::sim {

/// Index of an outgoing circuit of one relay station.
using circuit_id = std::uint32_t;

enum class routing_error {
    empty,         ///< no letters
    too_long,      ///< more than 8 letters
    not_a_letter,  ///< not A-Z, or 0-9 after the first letter (lower case is accepted and raised)
    duplicate_prefix,  ///< the table already routes this prefix
};

std::string_view to_string(routing_error e);

/// A routing indicator (ACP 127: 4 to 7 letters; State's handbook allows 5 to 8), or a prefix of
/// one. Held as up to 8 letters in one 64-bit word, first letter in the top byte, so that a prefix
/// test is a mask and a compare.
class routing_indicator {
  public:
    static constexpr std::size_t max_letters = 8;

    constexpr routing_indicator() = default;
    static expected<routing_indicator, routing_error> parse(std::string_view text);

    std::size_t size() const noexcept;
    bool empty() const noexcept { return bits_ == 0; }
    std::string str() const;
    /// True when the first prefix.size() letters are the prefix's (an empty prefix matches all).
    bool starts_with(routing_indicator prefix) const noexcept {
        return (bits_ & prefix.mask()) == prefix.bits_;
    }
    std::uint64_t bits() const noexcept { return bits_; }

    friend constexpr bool operator==(routing_indicator, routing_indicator) = default;

  private:
    std::uint64_t mask() const noexcept;
    std::uint64_t bits_ = 0;
};

class routing_table {
  public:
    /// Routes every RI that starts with `prefix` to `circuit`.
    expected<void, routing_error> add(std::string_view prefix, circuit_id circuit);
    expected<void, routing_error> add(routing_indicator prefix, circuit_id circuit);
    /// Removes a prefix; false if it was not there.
    bool remove(routing_indicator prefix);
    /// Route for RIs that match no prefix.
    void set_default(circuit_id circuit) noexcept { default_circuit_ = circuit; }
    void clear_default() noexcept { default_circuit_ = no_route; }
    std::optional<circuit_id> default_route() const noexcept {
        if (default_circuit_ == no_route) return std::nullopt;
        return default_circuit_;
    }

    /// The circuit of the longest matching prefix, else the default route, else nothing.
    std::optional<circuit_id> route(routing_indicator ri) const noexcept {
        const circuit_id c = lookup(ri);
        if (c == no_route) return std::nullopt;
        return c;
    }
    static constexpr circuit_id no_route = 0xFFFF'FFFFu;
    /// As route(), with no_route for nothing (cheaper to pass around than an optional).
    circuit_id lookup(routing_indicator ri) const noexcept {
        for (const route_entry& e : entries_)  // longest prefix first
            if ((ri.bits() & e.mask) == e.prefix) return e.circuit;
        return default_circuit_;
    }

    std::size_t size() const noexcept { return entries_.size(); }

  private:
    struct route_entry {
        std::uint64_t prefix;
        std::uint64_t mask;
        std::size_t letters;
        circuit_id circuit;
    };
    std::vector<route_entry> entries_;
    circuit_id default_circuit_ = 0xFFFF'FFFFu;  // no_route
};

}  // namespace hakto::sim
