#include "terminals/net/node/node_context.hpp"

#include <chrono>
#include <ctime>
#include <iostream>

namespace hakto::terminals {

namespace {

/// The time of day (UTC) a log line on standard error is stamped with: the log's, not a wait.
std::string time_of_day() {
    auto now = std::chrono::system_clock::now();
    auto s = std::chrono::floor<std::chrono::seconds>(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - s).count();
    std::time_t t = std::chrono::system_clock::to_time_t(s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:02}:{:02}:{:02}.{:03}Z", tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

}  // namespace

void node_context::log(const std::string& m) const {
    if (hooks.log)
        hooks.log(fmt::format("{}: {}", config.id, m));
    else
        std::cerr << time_of_day() << " " << config.id << ": " << m << "\n";
}

void node_context::session_log(const std::string& m) {
    const auto now = timers.now();
    if (!log_window_ || now - *log_window_ >= std::chrono::seconds{1}) {
        if (log_suppressed_ > 0)
            log(fmt::format("({} more lines about connections in the last second not shown)",
                            log_suppressed_));
        log_window_ = now;
        log_lines_ = 0;
        log_suppressed_ = 0;
    }
    if (++log_lines_ > 20) {
        ++log_suppressed_;
        return;
    }
    log(m);
}

}  // namespace hakto::terminals
