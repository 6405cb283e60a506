#include "sim/routing_table.hpp"

#include <algorithm>

namespace hakto::sim {

std::string_view to_string(routing_error e) {
    switch (e) {
        case routing_error::empty:
            return "empty routing indicator";
        case routing_error::too_long:
            return "routing indicator longer than 8 letters";
        case routing_error::not_a_letter:
            return "routing indicator with a character other than A-Z";
        case routing_error::duplicate_prefix:
            return "prefix already in the routing table";
    }
    return "routing error";
}

namespace {

std::uint64_t mask_for(std::size_t letters) {
    return letters == 0 ? 0 : ~std::uint64_t{0} << (64 - 8 * letters);
}

}  // namespace

expected<routing_indicator, routing_error> routing_indicator::parse(std::string_view text) {
    if (text.empty()) return routing_error::empty;
    if (text.size() > max_letters) return routing_error::too_long;
    routing_indicator ri;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        // ACP 127 routing indicators are letters. Station call signs with a channel number run
        // on ("WTE10", the Beijing trip station of 1972) are routed the same way, so figures
        // are accepted after the first letter.
        bool letter = c >= 'A' && c <= 'Z';
        bool figure = c >= '0' && c <= '9';
        if (!letter && !(figure && i > 0)) return routing_error::not_a_letter;
        ri.bits_ |= std::uint64_t{static_cast<unsigned char>(c)} << (56 - 8 * i);
    }
    return ri;
}

std::size_t routing_indicator::size() const noexcept {
    std::size_t n = 0;
    while (n < max_letters && ((bits_ >> (56 - 8 * n)) & 0xFF) != 0) ++n;
    return n;
}

std::uint64_t routing_indicator::mask() const noexcept {
    return mask_for(size());
}

std::string routing_indicator::str() const {
    std::string s;
    for (std::size_t i = 0; i < max_letters; ++i) {
        const auto c = static_cast<char>((bits_ >> (56 - 8 * i)) & 0xFF);
        if (c == 0) break;
        s += c;
    }
    return s;
}

expected<void, routing_error> routing_table::add(std::string_view prefix, circuit_id circuit) {
    auto ri = routing_indicator::parse(prefix);
    if (!ri) return ri.error();
    return add(ri.value(), circuit);
}

expected<void, routing_error> routing_table::add(routing_indicator prefix, circuit_id circuit) {
    if (prefix.empty()) return routing_error::empty;
    for (const route_entry& e : entries_)
        if (e.prefix == prefix.bits()) return routing_error::duplicate_prefix;
    const std::size_t letters = prefix.size();
    route_entry added{prefix.bits(), mask_for(letters), letters, circuit};
    // Longest first, so that the first match in route() is the longest prefix.
    auto at = std::find_if(entries_.begin(), entries_.end(),
                           [&](const route_entry& e) { return e.letters < letters; });
    entries_.insert(at, added);
    return outcome::success();
}

bool routing_table::remove(routing_indicator prefix) {
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const route_entry& e) { return e.prefix == prefix.bits(); });
    if (it == entries_.end()) return false;
    entries_.erase(it);
    return true;
}

}  // namespace hakto::sim
