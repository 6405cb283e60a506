#include "sim/pacing.hpp"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

namespace hakto::sim {

wall_time steady_wall_clock::now() {
    return std::chrono::steady_clock::now();
}

void steady_wall_clock::sleep_until(wall_time deadline) {
    std::this_thread::sleep_until(deadline);
}

std::string_view to_string(pacing_error e) {
    switch (e) {
        case pacing_error::needs_command:
            return "stepped pacing advances only by step() or advance()";
        case pacing_error::bad_scale:
            return "the speed factor must be positive";
    }
    return "pacing error";
}

std::string speed_error::message() const {
    if (kind == kind_t::out_of_range)
        return fmt::format("the factor of '{}' must be above 0 and at most 1000000", text);
    return fmt::format("must be real, max, or a factor such as 20x, not '{}'", text);
}

expected<pacing, speed_error> read_speed(std::string_view text) {
    if (text == "max") return pacing::as_fast_as_possible();
    if (text == "real") return pacing::real_time();
    const std::string given{text.substr(0, 32)};
    if (text.size() < 2 || text.size() > 16 || text.back() != 'x')
        return speed_error{speed_error::kind_t::not_a_speed, given};
    const std::string number{text.substr(0, text.size() - 1)};
    // Digits and one point only: std::stod alone would take "inf", "1e3" or " 2".
    if (number.find_first_not_of("0123456789.") != std::string::npos ||
        std::count(number.begin(), number.end(), '.') > 1 || number == ".")
        return speed_error{speed_error::kind_t::not_a_speed, given};
    const double n = std::strtod(number.c_str(), nullptr);
    if (!(n > 0) || n > 1e6) return speed_error{speed_error::kind_t::out_of_range, given};
    // As a fraction, to a thousandth.
    const auto thousandths = static_cast<std::int64_t>(n * 1000 + 0.5);
    if (thousandths == 0) return speed_error{speed_error::kind_t::out_of_range, given};
    return pacing::scaled(thousandths, 1000);
}

std::string speed_name(const pacing& p) {
    if (p.kind == pacing::mode::as_fast_as_possible) return "max";
    if (p.kind == pacing::mode::real_time) return "real";
    if (p.kind == pacing::mode::stepped) return "stepped";
    return fmt::format("{:g}x", speed_factor(p));
}

double speed_factor(const pacing& p) {
    if (p.kind == pacing::mode::as_fast_as_possible) return 0.0;
    if (p.kind == pacing::mode::real_time) return 1.0;
    return static_cast<double>(p.num) / static_cast<double>(p.den);
}

pacer::pacer(engine& e, pacing p, wall_clock& clock) : engine_(e), pacing_(p), clock_(clock) {}

pacer::pacer(engine& e, pacing p) : engine_(e), pacing_(p), clock_(own_clock_) {}

void pacer::stop() noexcept {
    stop_ = true;
    engine_.stop();
}

void pacer::set_pacing(pacing p) noexcept {
    pacing_ = p;
    anchored_ = false;
}

void pacer::anchor() {
    wall_start_ = clock_.now();
    sim_start_ = engine_.now();
    anchored_ = true;
}

wall_time pacer::deadline(sim_time t) const noexcept {
    // wall offset = sim offset × den / num, split so that it stays exact and does not overflow
    // for any offset an int64 of nanoseconds can hold (given modest den).
    const std::int64_t off = (t - sim_start_).count();
    const std::int64_t q = off / pacing_.num;
    const std::int64_t r = off % pacing_.num;
    const std::int64_t wall_ns = q * pacing_.den + r * pacing_.den / pacing_.num;
    return wall_start_ +
           std::chrono::duration_cast<wall_duration>(std::chrono::nanoseconds{wall_ns});
}

expected<void, pacing_error> pacer::check() const {
    if (pacing_.num <= 0 || pacing_.den <= 0) return pacing_error::bad_scale;
    return outcome::success();
}

void pacer::wait_for(sim_time t) {
    const wall_time d = deadline(t);
    while (clock_.now() < d) clock_.sleep_until(d);
}

std::uint64_t pacer::paced_run(std::optional<sim_time> limit) {
    if (!anchored_) anchor();
    stop_ = false;
    std::uint64_t n = 0;
    while (!stop_) {
        const auto next = engine_.next_time();
        if (!next || (limit && *next > *limit)) break;
        wait_for(*next);
        engine_.step();
        ++n;
    }
    if (limit && !stop_ && *limit > engine_.now()) {
        wait_for(*limit);
        engine_.run_until(*limit);  // nothing is due before it: only moves the time
    }
    return n;
}

expected<std::uint64_t, pacing_error> pacer::run() {
    if (auto ok = check(); !ok) return ok.error();
    switch (pacing_.kind) {
        case pacing::mode::stepped:
            return pacing_error::needs_command;
        case pacing::mode::as_fast_as_possible:
            stop_ = false;
            return engine_.run();
        case pacing::mode::real_time:
        case pacing::mode::scaled:
            return paced_run(std::nullopt);
    }
    return std::uint64_t{0};
}

expected<std::uint64_t, pacing_error> pacer::run_until(sim_time t) {
    if (auto ok = check(); !ok) return ok.error();
    switch (pacing_.kind) {
        case pacing::mode::stepped:
            return pacing_error::needs_command;
        case pacing::mode::as_fast_as_possible:
            stop_ = false;
            return engine_.run_until(t);
        case pacing::mode::real_time:
        case pacing::mode::scaled:
            return paced_run(t);
    }
    return std::uint64_t{0};
}

expected<bool, pacing_error> pacer::step() {
    if (auto ok = check(); !ok) return ok.error();
    if (pacing_.paced()) {
        if (!anchored_) anchor();
        const auto next = engine_.next_time();
        if (!next) return false;
        wait_for(*next);
    }
    return engine_.step();
}

expected<std::uint64_t, pacing_error> pacer::advance(sim_duration d) {
    if (auto ok = check(); !ok) return ok.error();
    const sim_time target = engine_.now() + std::max(d, sim_duration::zero());
    if (pacing_.paced()) return paced_run(target);
    stop_ = false;
    return engine_.run_until(target);
}

}  // namespace hakto::sim
