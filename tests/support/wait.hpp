#pragma once
// The one waiting helper of the tests: run what is ready on an io_context, and move virtual
// time to the next timer when nothing is, until a condition holds. No sleeps and no real-time
// polling: a test that waits for what never comes fails at once, with the steps it took.
#include <cstddef>

#include <boost/asio/io_context.hpp>

#include "sim/timers.hpp"

namespace hakto::test {

/// Runs `io`'s ready handlers, and the timers of `timers` in deadline order whenever no handler
/// is ready, until `done()` holds (true) or nothing is left to run or `max_steps` have passed
/// (false).
template <class F>
bool run_until(boost::asio::io_context& io, sim::manual_timers& timers, F done,
               std::size_t max_steps = 1'000'000) {
    for (std::size_t step = 0; step < max_steps; ++step) {
        if (done()) return true;
        io.restart();
        if (io.poll() > 0) continue;
        if (!timers.run_next()) return done();
    }
    return done();
}

}  // namespace hakto::test
