#include "terminals/support/asio_timers.hpp"

namespace hakto::terminals {

asio_timers::~asio_timers() {
    for (auto& [id, t] : timers_) t->cancel();
}

sim::timer_service::timer_id asio_timers::call_at(sim::wall_time deadline, callback f) {
    auto id = next_id_++;
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, deadline);
    timers_.emplace(id, timer);
    timer->async_wait([this, id, timer, f = std::move(f)](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled: the map entry is gone already
        timers_.erase(id);
        f();
    });
    return id;
}

void asio_timers::cancel(timer_id id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    it->second->cancel();
    timers_.erase(it);
}

}  // namespace hakto::terminals
