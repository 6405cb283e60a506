#pragma once
// sim::timer_service on Boost.Asio: each timer a steady_timer on the io_context, so callbacks
// run on the thread that runs it. What the network and the exhibit use outside their tests.
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sim/timers.hpp"

namespace hakto::terminals {

class asio_timers final : public sim::timer_service {
  public:
    explicit asio_timers(boost::asio::io_context& io) : io_(io) {}
    ~asio_timers() override;
    asio_timers(const asio_timers&) = delete;
    asio_timers& operator=(const asio_timers&) = delete;

    sim::wall_time now() const override { return std::chrono::steady_clock::now(); }
    timer_id call_at(sim::wall_time deadline, callback f) override;
    void cancel(timer_id id) override;

  private:
    boost::asio::io_context& io_;
    timer_id next_id_ = 1;
    std::map<timer_id, std::shared_ptr<boost::asio::steady_timer>> timers_;
};

}  // namespace hakto::terminals
