#include "sim/circuit_queue.hpp"

namespace hakto::sim {

std::size_t circuit_queue::size() const noexcept {
    std::size_t n = 0;
    for (const ring& r : levels_) n += r.count;
    return n;
}

std::vector<circuit_queue::item> circuit_queue::in_order() const {
    std::vector<item> out;
    out.reserve(size());
    for (std::size_t level = levels_.size(); level-- > 0;)
        for (std::size_t k = 0; k < levels_[level].count; ++k) out.push_back(levels_[level].at(k));
    return out;
}

void circuit_queue::ring::grow() {
    std::vector<item> bigger(buf.empty() ? 16 : buf.size() * 2);
    for (std::size_t k = 0; k < count; ++k) bigger[k] = at(k);
    buf = std::move(bigger);
    head = 0;
}

void circuit_queue::ring::insert_ordered(item it) {
    if (count == buf.size()) grow();
    const std::size_t mask = buf.size() - 1;
    if (count == 0 || it.seq < at(0).seq) {  // an interrupted cable going back to the head
        head = (head + mask) & mask;
        buf[head] = it;
        ++count;
        return;
    }
    std::size_t pos = 0;  // first item that arrived later
    while (pos < count && at(pos).seq < it.seq) ++pos;
    for (std::size_t k = count; k > pos; --k) at(k) = at(k - 1);
    at(pos) = it;
    ++count;
}

}  // namespace hakto::sim
