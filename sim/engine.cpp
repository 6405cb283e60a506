#include "sim/engine.hpp"

#include <algorithm>

namespace hakto::sim {

engine::engine(sim_time start) : now_(start.time_since_epoch().count()) {
    heap_.reserve(64);
}

engine::~engine() {
    for (std::uint32_t i = 0; i < slot_count_; ++i) {
        slot& s = slot_at(i);
        if ((s.flags & occupied) != 0 && s.drop != nullptr) s.drop(s.storage);
    }
}

void engine::grow() {
    auto chunk = std::make_unique<slot[]>(chunk_size);
    const std::uint32_t base = slot_count_;
    // Linked in reverse so that the lowest index is handed out first.
    for (std::uint32_t k = chunk_size; k-- > 0;) {
        chunk[k].next_free = free_head_;
        free_head_ = base + k;
    }
    chunks_.push_back(std::move(chunk));
    slot_count_ += chunk_size;
}

bool engine::cancel(event_id id) noexcept {
    const auto i = static_cast<std::uint32_t>(id.key_);
    const auto gen = static_cast<std::uint32_t>(id.key_ >> 32);
    if (gen == 0 || i >= slot_count_) return false;
    slot& s = slot_at(i);
    if (s.gen != gen || s.seq == 0) return false;
    if ((s.flags & is_timer) != 0) return disarm_timer(i);
    if (s.drop != nullptr) s.drop(s.storage);
    release_slot(s, i);
    --live_;
    ++stale_;
    // Keep cancelled entries from piling up when events far ahead are cancelled again and again.
    if (stale_ > 1024 && stale_ > live_) compact();
    return true;
}

bool engine::is_pending(event_id id) const noexcept {
    const auto i = static_cast<std::uint32_t>(id.key_);
    const auto gen = static_cast<std::uint32_t>(id.key_ >> 32);
    if (gen == 0 || i >= slot_count_) return false;
    const slot& s = slot_at(i);
    return s.gen == gen && s.seq != 0;
}

bool engine::disarm_timer(std::uint32_t i) noexcept {
    slot& s = slot_at(i);
    if (s.seq == 0) return false;
    s.seq = 0;
    --live_;
    ++stale_;
    if (stale_ > 1024 && stale_ > live_) compact();
    return true;
}

void engine::release_timer(std::uint32_t i) noexcept {
    disarm_timer(i);
    slot& s = slot_at(i);
    if (s.drop != nullptr) s.drop(s.storage);
    release_slot(s, i);
}

void engine::skip_stale() noexcept {
    settle();
    while (!heap_.empty()) {
        const entry& top = heap_.front();
        if (slot_at(static_cast<std::uint32_t>(top.key)).seq ==
            static_cast<std::uint32_t>(top.key >> 32))
            return;
        heap_pop();
        --stale_;
    }
}

std::optional<sim_time> engine::next_time() noexcept {
    skip_stale();
    if (heap_.empty()) return std::nullopt;
    return sim_time{sim_duration{heap_.front().t}};
}

// Runs the live event at the root, whose slot is s. Its entry stays at the root (dead) while the
// handler runs: the first event the handler schedules takes that place.
inline void engine::run_top(slot& s, std::uint32_t i, std::int64_t t) {
    now_ = t;
    s.seq = 0;  // running: no longer pending nor cancellable
    --live_;
    dead_root_ = true;
    if ((s.flags & is_timer) != 0) {
        s.run(s.storage, *this);
    } else {
        s.run(s.storage, *this);  // invokes, then destroys the callable
        release_slot(s, i);
    }
    settle();
}

template <bool Bounded>
std::uint64_t engine::drain(std::int64_t limit) {
    settle();
    stop_ = false;
    std::uint64_t n = 0;
    while (!heap_.empty()) {
        const entry top = heap_.front();
        if constexpr (Bounded) {
            if (top.t > limit) break;
        }
        const auto i = static_cast<std::uint32_t>(top.key);
        slot& s = slot_at(i);  // chunks never move: safe to run in place
        if (s.seq != static_cast<std::uint32_t>(top.key >> 32)) {
            heap_pop();
            --stale_;
            continue;
        }
        run_top(s, i, top.t);
        ++n;
        if (stop_) break;
    }
    events_run_ += n;
    return n;
}

bool engine::step() {
    skip_stale();  // the root, if any, is now live
    if (heap_.empty()) return false;
    const entry top = heap_.front();
    const auto i = static_cast<std::uint32_t>(top.key);
    run_top(slot_at(i), i, top.t);
    ++events_run_;
    return true;
}

std::uint64_t engine::run() {
    return drain<false>(0);
}

std::uint64_t engine::run_until(sim_time t) {
    const std::int64_t limit = t.time_since_epoch().count();
    const std::uint64_t n = drain<true>(limit);
    if (!stop_ && limit > now_) now_ = limit;
    return n;
}

void engine::compact() {
    settle();
    std::vector<entry> live;
    live.reserve(live_ + 1);
    for (const entry& e : heap_)
        if (slot_at(static_cast<std::uint32_t>(e.key)).seq ==
            static_cast<std::uint32_t>(e.key >> 32))
            live.push_back(e);
    std::sort(live.begin(), live.end(), before);
    std::uint32_t seq = 1;
    for (entry& e : live) {
        const auto i = static_cast<std::uint32_t>(e.key);
        slot_at(i).seq = seq;
        e.key = (std::uint64_t{seq} << 32) | i;
        ++seq;
    }
    heap_ = std::move(live);  // ascending order is a valid heap
    stale_ = 0;
    next_seq_ = seq;
}

}  // namespace hakto::sim
