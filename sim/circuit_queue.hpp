#pragma once
// The queue of one outgoing circuit: one ring buffer per precedence, each ordered by arrival.
// Highest precedence first (Y > Z > O > P > R, ACP 127), FIFO by original arrival within a level;
// a cable put back after an interruption regains its original place in its level.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/cable/precedence.hpp"

namespace hakto::sim {

class circuit_queue {
  public:
    struct item {
        std::uint64_t seq;  ///< arrival order at the station (smaller = earlier)
        std::uint32_t job;  ///< the caller's handle for the queued cable
    };

    /// Adds an item at the place its sequence number gives it within its precedence level.
    void push(protocol::precedence p, item it) {
        ring& r = levels_[static_cast<std::size_t>(p)];
        if (it.seq > r.latest) {  // the usual case: a new arrival, later than all in the level
            r.latest = it.seq;
            r.push_back(it);
        } else {
            r.insert_ordered(it);
        }
        mask_ |= 1u << static_cast<unsigned>(p);
    }

    bool empty() const noexcept { return mask_ == 0; }
    std::size_t size() const noexcept;
    std::size_t size(protocol::precedence p) const noexcept {
        return levels_[static_cast<std::size_t>(p)].count;
    }
    /// Precedence of the item that pop() would return.
    std::optional<protocol::precedence> top_precedence() const noexcept {
        if (mask_ == 0) return std::nullopt;
        return static_cast<protocol::precedence>(std::bit_width(mask_) - 1);
    }
    /// Removes and returns the next item to send. Precondition: !empty().
    item pop() noexcept {
        const unsigned level = static_cast<unsigned>(std::bit_width(mask_)) - 1;
        ring& r = levels_[level];
        const item it = r.pop_front();
        mask_ &= ~(static_cast<unsigned>(r.count == 0) << level);
        return it;
    }
    /// The items in the order they would be sent.
    std::vector<item> in_order() const;

  private:
    struct ring {
        std::vector<item> buf;  // size is 0 or a power of two
        std::size_t head = 0;
        std::size_t count = 0;
        std::uint64_t latest = 0;  // largest sequence pushed at the back so far

        item& at(std::size_t k) noexcept { return buf[(head + k) & (buf.size() - 1)]; }
        const item& at(std::size_t k) const noexcept { return buf[(head + k) & (buf.size() - 1)]; }
        const item& back() const noexcept { return at(count - 1); }
        void push_back(item it) {
            if (count == buf.size()) grow();
            at(count) = it;
            ++count;
        }
        item pop_front() noexcept {
            const item it = buf[head];
            head = (head + 1) & (buf.size() - 1);
            --count;
            return it;
        }
        void insert_ordered(item it);
        void grow();
    };

    std::array<ring, protocol::precedence_levels> levels_{};
    unsigned mask_ = 0;  // bit p set when level p is not empty
};

}  // namespace hakto::sim
