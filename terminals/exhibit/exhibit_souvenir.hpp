#pragma once
// The souvenir desk: the exhibit's souvenirs (terminals/souvenir) drawn and printed off the I/O
// thread. A PNG of HAKTO 12 takes about a quarter of a second to draw and compress, and lp may
// wait on the spooler: on the io_context's thread either would stall every screen's frames. The
// desk works on a thread of its own, one job at a time, at most max_jobs waiting; each result
// comes back on the io_context's thread.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "protocol/text/expected.hpp"
#include "terminals/souvenir/souvenir.hpp"
#include "terminals/souvenir/souvenir_print.hpp"

namespace hakto::terminals::exhibit {

class souvenir_desk {
  public:
    static constexpr std::size_t max_jobs = 4;

    explicit souvenir_desk(boost::asio::io_context& io);
    /// Waits for the job in hand (the rest are dropped with their callbacks).
    ~souvenir_desk();
    souvenir_desk(const souvenir_desk&) = delete;
    souvenir_desk& operator=(const souvenir_desk&) = delete;

    using rendered = std::function<void(expected<std::string, souvenir::render_error>)>;
    using printed = std::function<void(expected<std::string, souvenir::print_error>)>;

    /// Draws `s` as `f`; `done` gets the bytes. False (and `done` never called) when the desk
    /// already has max_jobs.
    bool render(souvenir::souvenir_text s, souvenir::format f, rendered done);
    /// Draws `s` as a PDF and gives it to lp as `job` says; `done` gets lp's answer.
    bool print(souvenir::souvenir_text s, souvenir::print_request job, printed done);

  private:
    bool take_job();

    boost::asio::io_context& io_;
    std::atomic<std::size_t> jobs_{0};
    boost::asio::thread_pool pool_{1};
};

}  // namespace hakto::terminals::exhibit
