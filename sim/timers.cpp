#include "sim/timers.hpp"

namespace hakto::sim {

timer_service::timer_id manual_timers::call_at(wall_time deadline, callback f) {
    auto id = next_id_++;
    if (deadline < now_) deadline = now_;
    timers_.emplace(key{deadline, id}, std::move(f));
    deadlines_.emplace(id, deadline);
    return id;
}

void manual_timers::cancel(timer_id id) {
    auto it = deadlines_.find(id);
    if (it == deadlines_.end()) return;
    timers_.erase(key{it->second, id});
    deadlines_.erase(it);
}

std::optional<wall_time> manual_timers::next_deadline() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first.at;
}

bool manual_timers::run_next() {
    if (timers_.empty()) return false;
    auto at = timers_.begin()->first.at;
    now_ = at;
    // Every timer due now, including those a callback sets for now.
    while (!timers_.empty() && timers_.begin()->first.at <= now_) {
        auto node = timers_.extract(timers_.begin());
        deadlines_.erase(node.key().id);
        node.mapped()();
    }
    return true;
}

void manual_timers::advance(wall_duration d) {
    const auto until = now_ + d;
    while (!timers_.empty() && timers_.begin()->first.at <= until) run_next();
    now_ = until;
}

}  // namespace hakto::sim
