#pragma once
// Discrete-event engine over virtual UTC time.
//
// Layout, chosen for speed (see tests/bench/bench_sim_vs_simpy.cpp):
//  * the queue is a 4-ary min-heap of 16-byte entries (time, sequence << 32 | slot); the four
//    children of a node share one cache line;
//  * handlers live in a slab of 64-byte slots with 32 bytes of inline storage, reused through a
//    free list, so scheduling a small lambda allocates nothing; larger callables are boxed;
//  * a timer keeps its handler in a slot for good: arming it again costs one heap entry;
//  * the slab grows in chunks that never move, so a handler runs in place even when it schedules
//    more events;
//  * the running event's entry stays at the root of the heap until the handler returns, so that
//    the first event it schedules replaces it there (one sift instead of a pop and a push);
//  * cancelling is O(1): the slot is marked and its heap entry is skipped when it comes up.
// Simultaneous events run in the order they were scheduled (the sequence number breaks ties).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/clock.hpp"

namespace hakto::sim {

class engine;

/// Names one scheduled event. It stays usable (for cancel and is_pending) until the event has run
/// or been cancelled; after that those calls return false.
class event_id {
  public:
    constexpr event_id() = default;
    constexpr bool valid() const { return key_ != 0; }
    friend constexpr bool operator==(event_id, event_id) = default;

  private:
    friend class engine;
    explicit constexpr event_id(std::uint64_t key) : key_(key) {}
    std::uint64_t key_ = 0;  // generation << 32 | slot; generation is never 0
};

/// A handler kept by the engine for repeated use (make_timer): arm it for a time, arm it again
/// (the earlier arming is dropped), or disarm it. Destroying the timer releases the handler; a
/// timer must be destroyed before its engine, and not from its own handler.
class timer {
  public:
    timer() = default;
    timer(timer&& o) noexcept : e_(std::exchange(o.e_, nullptr)), slot_(o.slot_) {}
    timer& operator=(timer&& o) noexcept {
        if (this != &o) {
            reset();
            e_ = std::exchange(o.e_, nullptr);
            slot_ = o.slot_;
        }
        return *this;
    }
    ~timer() { reset(); }

    /// Runs the handler at `t` (a time before now() counts as now()).
    event_id arm_at(sim_time t);
    event_id arm_after(sim_duration d);
    /// False if it was not armed.
    bool disarm() noexcept;
    bool armed() const noexcept;
    /// Releases the handler; the timer is then empty.
    void reset() noexcept;
    explicit operator bool() const noexcept { return e_ != nullptr; }

  private:
    friend class engine;
    timer(engine* e, std::uint32_t slot) : e_(e), slot_(slot) {}
    engine* e_ = nullptr;
    std::uint32_t slot_ = 0;
};

class engine {
  public:
    /// Callables up to this size (and alignment 8) are stored in the slot itself.
    static constexpr std::size_t inline_capacity = 32;

    explicit engine(sim_time start = sim_epoch);
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;
    ~engine();

    sim_time now() const noexcept { return sim_time{sim_duration{now_}}; }

    /// Runs `f` at time `t`; `f` is callable as f() or f(engine&). A time before now() is taken as
    /// now(): the event then runs after the events already due at now().
    template <class F>
    event_id schedule_at(sim_time t, F&& f);
    /// Runs `f` after `d` (a negative delay counts as zero).
    template <class F>
    event_id schedule_after(sim_duration d, F&& f) {
        return schedule_at(now() + std::max(d, sim_duration::zero()), std::forward<F>(f));
    }

    /// A handler to run again and again: see timer.
    template <class F>
    timer make_timer(F&& f);

    /// Removes a pending event (for a timer: disarms it). False if it has already run, is running
    /// or was cancelled.
    bool cancel(event_id id) noexcept;
    bool is_pending(event_id id) const noexcept;

    /// Events scheduled and not yet run or cancelled.
    std::size_t pending() const noexcept { return live_; }
    bool empty() const noexcept { return live_ == 0; }
    /// Time of the next event, if any.
    std::optional<sim_time> next_time() noexcept;

    /// Runs the next event. False if there is none.
    bool step();
    /// Runs events until there are none or stop() is called. Returns the number run.
    std::uint64_t run();
    /// Runs the events due at or before `t`, then sets now() to `t` (unless stopped, or `t` is
    /// already past). Returns the number run.
    std::uint64_t run_until(sim_time t);
    /// Makes the current run()/run_until() return once the running handler returns.
    void stop() noexcept { stop_ = true; }

    /// Events run since construction.
    std::uint64_t events_run() const noexcept { return events_run_; }

    /// Drops cancelled entries from the queue and renumbers the pending events 1..n, keeping their
    /// order and ids. Done automatically; public for tests and long-lived simulations.
    void compact();

  private:
    friend class timer;

    struct entry {
        std::int64_t t;
        std::uint64_t key;  // sequence << 32 | slot
    };
    using run_fn = void (*)(void* storage, engine& e);
    using drop_fn = void (*)(void* storage) noexcept;

    static constexpr std::uint32_t no_slot = 0xFFFF'FFFFu;
    static constexpr std::uint32_t occupied = 1;  // holds a callable
    static constexpr std::uint32_t is_timer = 2;  // the callable stays after it runs

    struct slot {
        std::uint32_t seq = 0;   // sequence of the pending event in this slot; 0 = not pending
        std::uint32_t gen = 1;   // names the occupant (one-shot) or the arming (timer)
        run_fn run = nullptr;    // one-shot: invokes then destroys; timer: invokes
        drop_fn drop = nullptr;  // destroys without invoking; null when trivially destructible
        std::uint32_t next_free = no_slot;
        std::uint32_t flags = 0;
        alignas(8) std::byte storage[inline_capacity];
    };
    static_assert(sizeof(slot) == 64);

    static constexpr std::uint32_t chunk_bits = 8;
    static constexpr std::uint32_t chunk_size = 1u << chunk_bits;
    static constexpr std::uint64_t max_seq = 0xFFFF'FFFFu;

    template <class F>
    static constexpr bool fits_inline = sizeof(F) <= inline_capacity &&
                                        alignof(F) <= 8 && std::is_nothrow_move_constructible_v<F>;

    template <class F>
    static void call(F& f, engine& e) {
        if constexpr (std::is_invocable_v<F&, engine&>)
            f(e);
        else
            f();
    }
    template <class F>
    static void run_once(void* p, engine& e) {
        F* f = std::launder(static_cast<F*>(p));
        call(*f, e);
        std::destroy_at(f);
    }
    template <class F>
    static void run_again(void* p, engine& e) {
        call(*std::launder(static_cast<F*>(p)), e);
    }
    template <class F>
    static void drop_inline(void* p) noexcept {
        std::destroy_at(std::launder(static_cast<F*>(p)));
    }
    template <class F>
    struct boxed {
        std::unique_ptr<F> f;
        void operator()(engine& e) { call(*f, e); }
    };
    template <class F>
    void store(slot& s, F&& f, bool repeat);

    static void next_gen(slot& s) noexcept {
        if (++s.gen == 0) s.gen = 1;
    }
    slot& slot_at(std::uint32_t i) noexcept {
        return chunks_[i >> chunk_bits][i & (chunk_size - 1)];
    }
    const slot& slot_at(std::uint32_t i) const noexcept {
        return chunks_[i >> chunk_bits][i & (chunk_size - 1)];
    }
    std::uint32_t acquire_slot() {
        if (free_head_ == no_slot) grow();
        const std::uint32_t i = free_head_;
        free_head_ = slot_at(i).next_free;
        return i;
    }
    void release_slot(slot& s, std::uint32_t i) noexcept {
        s.seq = 0;
        s.flags = 0;
        next_gen(s);
        s.next_free = free_head_;
        free_head_ = i;
    }
    void grow();

    event_id arm(slot& s, std::uint32_t i, sim_time t) {
        if (next_seq_ > max_seq) [[unlikely]]
            compact();
        if (s.seq == 0)
            ++live_;
        else
            ++stale_;  // a timer armed again: its earlier entry is left behind
        const auto seq = static_cast<std::uint32_t>(next_seq_++);
        s.seq = seq;
        const std::int64_t at = std::max(t.time_since_epoch().count(), now_);
        heap_push(entry{at, (std::uint64_t{seq} << 32) | i});
        return event_id{(std::uint64_t{s.gen} << 32) | i};
    }
    event_id arm_timer(std::uint32_t i, sim_time t) {
        slot& s = slot_at(i);
        next_gen(s);  // a new arming: ids of earlier ones no longer reach it
        return arm(s, i, t);
    }
    bool disarm_timer(std::uint32_t i) noexcept;
    void release_timer(std::uint32_t i) noexcept;

    static bool before(const entry& a, const entry& b) noexcept {
        // Without short-circuit branches: which of two events comes first is data, not pattern.
        return (a.t < b.t) | ((a.t == b.t) & (a.key < b.key));
    }
    /// Writes the smaller of x, y to lo and the other to hi, with masks rather than a branch (the
    /// compiler turns a plain conditional here back into a jump).
    static void order(const entry x, const entry y, entry& lo, entry& hi) noexcept {
        const std::uint64_t m = 0 - static_cast<std::uint64_t>(before(y, x));  // ~0 to swap
        const auto xt = static_cast<std::uint64_t>(x.t), yt = static_cast<std::uint64_t>(y.t);
        const std::uint64_t dt = (xt ^ yt) & m, dk = (x.key ^ y.key) & m;
        lo = entry{static_cast<std::int64_t>(xt ^ dt), x.key ^ dk};
        hi = entry{static_cast<std::int64_t>(yt ^ dt), y.key ^ dk};
    }
    /// Puts `e` in the hole at `i`, moving smaller children up. The last step, against a leaf,
    /// is done with selects: in a small queue that is the only step, and its outcome is random.
    void sift_down(std::size_t i, entry e) noexcept {
        entry* h = heap_.data();
        const std::size_t n = heap_.size();
        for (;;) {
            const std::size_t first = 4 * i + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = std::min(first + 4, n);
            for (std::size_t c = first + 1; c < end; ++c) best = before(h[c], h[best]) ? c : best;
            if (4 * best + 1 >= n) {  // best is a leaf
                order(h[best], e, h[i], h[best]);
                return;
            }
            if (!before(h[best], e)) break;
            h[i] = h[best];
            i = best;
        }
        h[i] = e;
    }
    void heap_push(entry e) {
        if (dead_root_) {  // the running event's entry: take its place
            dead_root_ = false;
            sift_down(0, e);
            return;
        }
        heap_.push_back(e);
        entry* h = heap_.data();
        std::size_t i = heap_.size() - 1;
        while (i > 4) {
            const std::size_t parent = (i - 1) >> 2;
            if (!before(e, h[parent])) {
                h[i] = e;
                return;
            }
            h[i] = h[parent];
            i = parent;
        }
        if (i == 0) {
            h[0] = e;
            return;
        }
        order(h[0], e, h[0], h[i]);  // the last step, below the root, with selects
    }
    void heap_pop() noexcept {
        dead_root_ = false;
        const entry last = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(0, last);
    }
    /// Removes the entry of the event that ran, if nothing replaced it.
    void settle() noexcept {
        if (dead_root_) heap_pop();
    }
    /// Pops stale (cancelled) entries off the top.
    void skip_stale() noexcept;
    void run_top(slot& s, std::uint32_t i, std::int64_t t);
    template <bool Bounded>
    std::uint64_t drain(std::int64_t limit);

    std::vector<entry> heap_;
    std::vector<std::unique_ptr<slot[]>> chunks_;
    std::uint32_t free_head_ = no_slot;
    std::uint32_t slot_count_ = 0;
    std::uint64_t next_seq_ = 1;
    std::size_t live_ = 0;
    std::size_t stale_ = 0;
    std::int64_t now_ = 0;
    std::uint64_t events_run_ = 0;
    bool stop_ = false;
    bool dead_root_ = false;  // heap_[0] belongs to the event now running
};

template <class F>
void engine::store(slot& s, F&& f, bool repeat) {
    using fn = std::decay_t<F>;
    static_assert(std::is_invocable_v<fn&, engine&> || std::is_invocable_v<fn&>,
                  "an event handler is callable as f() or f(engine&)");
    if constexpr (fits_inline<fn>) {
        std::construct_at(reinterpret_cast<fn*>(s.storage), std::forward<F>(f));
        s.run = repeat ? &run_again<fn> : &run_once<fn>;
        s.drop = std::is_trivially_destructible_v<fn> ? nullptr : &drop_inline<fn>;
    } else {
        using box = boxed<fn>;
        std::construct_at(reinterpret_cast<box*>(s.storage),
                          box{std::make_unique<fn>(std::forward<F>(f))});
        s.run = repeat ? &run_again<box> : &run_once<box>;
        s.drop = &drop_inline<box>;
    }
    s.flags = repeat ? (occupied | is_timer) : occupied;
}

template <class F>
event_id engine::schedule_at(sim_time t, F&& f) {
    const std::uint32_t i = acquire_slot();
    slot& s = slot_at(i);
    store(s, std::forward<F>(f), false);
    return arm(s, i, t);
}

template <class F>
timer engine::make_timer(F&& f) {
    const std::uint32_t i = acquire_slot();
    store(slot_at(i), std::forward<F>(f), true);
    return timer{this, i};
}

inline event_id timer::arm_at(sim_time t) {
    return e_->arm_timer(slot_, t);
}
inline event_id timer::arm_after(sim_duration d) {
    return e_->arm_timer(slot_, e_->now() + std::max(d, sim_duration::zero()));
}
inline bool timer::disarm() noexcept {
    return e_ != nullptr && e_->disarm_timer(slot_);
}
inline bool timer::armed() const noexcept {
    return e_ != nullptr && e_->slot_at(slot_).seq != 0;
}
inline void timer::reset() noexcept {
    if (e_ != nullptr) std::exchange(e_, nullptr)->release_timer(slot_);
}

}  // namespace hakto::sim
