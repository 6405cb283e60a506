#include "sim/line_profile.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <vector>

#include <fmt/format.h>

namespace hakto::sim {

namespace {

// 128-bit intermediates keep a × b / c exact for every 64-bit tick count and time.
__extension__ using u128 = unsigned __int128;

std::uint64_t mul_div_round(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept {
    const u128 p = static_cast<u128>(a) * b;
    return static_cast<std::uint64_t>((p + c / 2) / c);  // round half up
}

std::uint64_t mul_div_floor(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept {
    return static_cast<std::uint64_t>(static_cast<u128>(a) * b / c);
}

std::uint64_t mul_div_ceil(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept {
    return static_cast<std::uint64_t>((static_cast<u128>(a) * b + (c - 1)) / c);
}

std::uint64_t non_negative(sim_duration d) noexcept {
    return d.count() > 0 ? static_cast<std::uint64_t>(d.count()) : 0;
}

struct stop_fraction {
    std::uint32_t num;
    std::uint32_t den;
};

constexpr stop_fraction fraction_of(stop_length s) noexcept {
    switch (s) {
        case stop_length::one:
            return {1, 1};
        case stop_length::one_42:
            return {71, 50};  // 1.42
        case stop_length::one_5:
            return {3, 2};
        case stop_length::two:
            return {2, 1};
    }
    return {1, 1};
}

}  // namespace

std::string_view stop_length_name(stop_length s) noexcept {
    switch (s) {
        case stop_length::one:
            return "1";
        case stop_length::one_42:
            return "1.42";
        case stop_length::one_5:
            return "1.5";
        case stop_length::two:
            return "2";
    }
    return "?";
}

expected<line_profile, profile_error> line_profile::make(std::string name, std::string description,
                                                         std::uint32_t baud_numerator,
                                                         std::uint32_t baud_denominator,
                                                         stop_length stop) {
    if (baud_numerator == 0 || baud_denominator == 0) {
        return profile_error{fmt::format("profile {}: the baud rate {}/{} is not a positive rate",
                                         name, baud_numerator, baud_denominator)};
    }
    if (baud_numerator / baud_denominator >= 1'000'000U) {
        return profile_error{fmt::format("profile {}: {}/{} baud is above 1,000,000 baud", name,
                                         baud_numerator, baud_denominator)};
    }
    line_profile p;
    p.name_ = std::move(name);
    p.description_ = std::move(description);
    const std::uint32_t g = std::gcd(baud_numerator, baud_denominator);
    p.baud_num_ = baud_numerator / g;
    p.baud_den_ = baud_denominator / g;
    p.stop_ = stop;
    const stop_fraction f = fraction_of(stop);
    p.stop_num_ = f.num;
    p.stop_den_ = f.den;
    // Two ticks a half-unit denominator: element boundaries (multiples of 1/stop_den units) and
    // a receiver's mid-element samples (odd half-units) are whole ticks.
    p.ticks_per_unit_ = 2ULL * f.den;
    p.ticks_per_frame_ = 6ULL * p.ticks_per_unit_ + 2ULL * f.num;
    // One tick = 1 / (baud × ticks_per_unit) s = baud_den × 1e9 / (baud_num × ticks_per_unit) ns.
    std::uint64_t num = static_cast<std::uint64_t>(p.baud_den_) * 1'000'000'000ULL;
    std::uint64_t den = static_cast<std::uint64_t>(p.baud_num_) * p.ticks_per_unit_;
    const std::uint64_t gg = std::gcd(num, den);
    p.tick_ns_num_ = num / gg;
    p.tick_ns_den_ = den / gg;
    return p;
}

double line_profile::baud() const noexcept {
    return static_cast<double>(baud_num_) / static_cast<double>(baud_den_);
}

double line_profile::stop_units() const noexcept {
    return static_cast<double>(stop_num_) / static_cast<double>(stop_den_);
}

double line_profile::units_per_frame() const noexcept {
    return 6.0 + stop_units();
}

double line_profile::unit_ns_exact() const noexcept {
    return 1e9 * static_cast<double>(baud_den_) / static_cast<double>(baud_num_);
}

double line_profile::frame_ns_exact() const noexcept {
    return static_cast<double>(ticks_per_frame_) * static_cast<double>(tick_ns_num_) /
           static_cast<double>(tick_ns_den_);
}

double line_profile::characters_per_minute() const noexcept {
    return 60e9 / frame_ns_exact();
}

double line_profile::words_per_minute() const noexcept {
    return characters_per_minute() / 6.0;
}

sim_duration line_profile::ticks_to_ns(std::uint64_t ticks) const noexcept {
    return sim_duration{
        static_cast<std::int64_t>(mul_div_round(ticks, tick_ns_num_, tick_ns_den_))};
}

std::uint64_t line_profile::ns_to_ticks_floor(sim_duration ns) const noexcept {
    return mul_div_floor(non_negative(ns), tick_ns_den_, tick_ns_num_);
}

std::uint64_t line_profile::ns_to_ticks_ceil(sim_duration ns) const noexcept {
    return mul_div_ceil(non_negative(ns), tick_ns_den_, tick_ns_num_);
}

std::uint64_t line_profile::element_tick(std::uint64_t k, int j) const noexcept {
    const std::uint64_t base = k * ticks_per_frame_;
    if (j <= 0) {
        return base;
    }
    if (j >= elements_per_frame) {
        return base + ticks_per_frame_;
    }
    return base + static_cast<std::uint64_t>(j) * ticks_per_unit_;
}

sim_duration line_profile::frames(std::uint64_t k) const noexcept {
    return ticks_to_ns(k * ticks_per_frame_);
}

sim_time line_profile::frame_start(sim_time start, std::uint64_t k) const noexcept {
    return start + frames(k);
}

sim_time line_profile::frame_end(sim_time start, std::uint64_t k) const noexcept {
    return start + frames(k + 1);
}

sim_time line_profile::element_start(sim_time start, std::uint64_t k, int j) const noexcept {
    return start + ticks_to_ns(element_tick(k, j));
}

sim_time line_profile::element_end(sim_time start, std::uint64_t k, int j) const noexcept {
    return start + ticks_to_ns(element_tick(k, std::clamp(j, 0, stop_element) + 1));
}

std::uint64_t line_profile::frames_ended_by(sim_time start, sim_time t) const noexcept {
    if (t < start) {
        return 0;
    }
    const sim_duration d = t - start;
    std::uint64_t m = ns_to_ticks_floor(d) / ticks_per_frame_;
    // The rounding of frames(m) to whole nanoseconds can move the answer by one either way.
    while (m > 0 && frames(m) > d) {
        --m;
    }
    while (frames(m + 1) <= d) {
        ++m;
    }
    return m;
}

std::uint64_t line_profile::frames_started_before(sim_time start, sim_time t) const noexcept {
    if (t <= start) {
        return 0;
    }
    const sim_duration d = t - start;
    // The count is the smallest k with frames(k) >= d.
    std::uint64_t k = ns_to_ticks_ceil(d) / ticks_per_frame_;
    while (k > 0 && frames(k - 1) >= d) {
        --k;
    }
    while (frames(k) < d) {
        ++k;
    }
    return k;
}

std::span<const line_profile> standard_profiles() {
    static const std::vector<line_profile> profiles = [] {
        std::vector<line_profile> v;
        const auto add = [&v](const char* name, const char* description, std::uint32_t num,
                              std::uint32_t den, stop_length stop) {
            v.push_back(line_profile::make(name, description, num, den, stop).value());
        };
        // protocol facts §2.3 table and "what a faithful simulator must model" 6.
        add("60wpm", "60 wpm: US Teletype and military, 45.45 baud, 1.42 stop", 4545, 100,
            stop_length::one_42);
        add("66wpm", "66 wpm: Western Union, 45.45 baud, 1.0 stop", 4545, 100, stop_length::one);
        add("67wpm", "67 wpm: European telex (ITA2), 50 baud, 1.5 stop", 50, 1, stop_length::one_5);
        add("75wpm", "75 wpm: 56.88 baud, 1.42 stop", 5688, 100, stop_length::one_42);
        add("100wpm", "100 wpm: 74.2 baud, 1.42 stop", 742, 10, stop_length::one_42);
        return v;
    }();
    return profiles;
}

const line_profile& profile_60wpm() {
    return standard_profiles()[0];
}

expected<line_profile, profile_error> find_profile(std::string_view name) {
    std::string key;
    for (const char c : name) {
        if (c == ' ' || c == '-' || c == '_' || c == '\t') {
            continue;
        }
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (key.size() > 3 && key.ends_with("wpm")) {
        key.resize(key.size() - 3);
    }
    if (key == "telex" || key == "ita2") {
        key = "67";
    } else if (key == "wu" || key == "westernunion") {
        key = "66";
    }
    for (const line_profile& p : standard_profiles()) {
        if (p.name() == key + "wpm") {
            return p;
        }
    }
    return profile_error{fmt::format(
        "unknown line profile \"{}\": expected one of 60wpm, 66wpm, 67wpm, 75wpm, 100wpm", name)};
}

}  // namespace hakto::sim
