#include "sim/noise.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace hakto::sim {

namespace {

// Stream tags: each effect has its own generator, so enabling one effect leaves the draws of
// the others unchanged.
constexpr std::uint64_t tag_independent = 0x696E646570656E64ULL;  // "independ"
constexpr std::uint64_t tag_bursts = 0x6275727374732E2EULL;       // "bursts.."
constexpr std::uint64_t tag_fades = 0x66616465732E2E2EULL;        // "fades..."
constexpr std::uint64_t tag_fill = 0x66696C6C2E2E2E2EULL;         // "fill...."

std::uint64_t stream_seed(std::uint64_t seed, std::uint64_t tag) noexcept {
    splitmix64 sm(seed ^ tag);
    return sm.next();
}

bool valid_probability(double p) noexcept {
    return std::isfinite(p) && p >= 0.0 && p <= 1.0;
}

sim_duration to_ns(double ns) noexcept {
    if (!(ns < 9.0e18)) {
        return sim_duration{9'000'000'000'000'000'000LL};
    }
    return sim_duration{static_cast<std::int64_t>(std::llround(ns))};
}

}  // namespace

// --- configuration ----------------------------------------------------------------------------

double gilbert_elliott::bad_share() const noexcept {
    const double s = good_to_bad + bad_to_good;
    return s > 0.0 ? good_to_bad / s : 0.0;
}

double gilbert_elliott::mean_error_rate() const noexcept {
    const double b = bad_share();
    return (1.0 - b) * p_good + b * p_bad;
}

// --- receiver ---------------------------------------------------------------------------------

std::string_view frame_fate_name(frame_fate f) noexcept {
    switch (f) {
        case frame_fate::in_step:
            return "in step";
        case frame_fate::slipped:
            return "slipped";
        case frame_fate::lost:
            return "lost";
    }
    return "?";
}

line_counters& line_counters::operator+=(const line_counters& o) noexcept {
    elements_sent += o.elements_sent;
    elements_flipped += o.elements_flipped;
    chars_sent += o.chars_sent;
    chars_delivered += o.chars_delivered;
    chars_garbled += o.chars_garbled;
    frames_lost += o.frames_lost;
    frames_slipped += o.frames_slipped;
    framing_errors += o.framing_errors;
    return *this;
}

std::vector<code> line_result::printed() const {
    std::vector<code> out;
    out.reserve(delivered.size());
    for (const code c : delivered) {
        if (c != no_code) {
            out.push_back(c);
        }
    }
    return out;
}

sim_time fault_start_time(const line_profile& profile, sim_time start, const frame_fault& f) {
    return profile.element_start(start, f.frame, f.start_element);
}

namespace {

class element_receiver {
  public:
    element_receiver(const line_profile& profile, std::span<const code> sent,
                     std::span<const std::uint64_t> changed)
        : sent_(sent),
          changed_(changed),
          unit_(profile.ticks_per_unit()),
          frame_(profile.ticks_per_frame()),
          total_elements_(static_cast<std::uint64_t>(sent.size()) * elements_per_frame) {}

    void run(line_result& r) {
        const std::uint64_t n = sent_.size();
        r.delivered.assign(sent_.begin(), sent_.end());
        std::size_t h = 0;  // first changed element at or after frame k
        std::uint64_t k = 0;
        while (k < n) {
            while (h < changed_.size() && changed_[h] < k * elements_per_frame) {
                ++h;
            }
            if (h == changed_.size()) {
                break;  // the rest is clean and read in step: already copied
            }
            k = changed_[h] / elements_per_frame;
            if (k >= n) {
                break;
            }
            k = element_mode(k, r);
        }
    }

  private:
    // The receiver is hunting and the line has been at mark just before frame k (frame k - 1
    // was clean, or k is the first frame). Reads element by element until it frames in step on
    // a clean frame (returned) or the transmission ends (returns the frame count).
    std::uint64_t element_mode(std::uint64_t k, line_result& r) {
        const std::uint64_t n = sent_.size();
        std::uint64_t hunt_from = k * frame_;
        std::uint64_t next_unassigned = k;
        for (;;) {
            const std::uint64_t edge = find_edge(hunt_from);
            if (edge == none) {
                for (std::uint64_t f = next_unassigned; f < n; ++f) {
                    lose(f, r);
                }
                return n;
            }
            const std::uint64_t e = element_at_tick(edge);
            const std::uint64_t kb = e / elements_per_frame;
            const int jb = static_cast<int>(e % elements_per_frame);
            for (std::uint64_t f = next_unassigned; f < kb; ++f) {
                lose(f, r);
            }
            if (jb == start_element && frame_clean(kb)) {
                return kb;  // in step on a clean frame: the copy is right from here
            }
            // Sample the middle of the start, data 1..5 and stop elements.
            const std::uint64_t half = unit_ / 2;
            if (value_at_tick(edge + half)) {
                hunt_from = edge + half;  // false start: the line went back to mark
                continue;
            }
            code c = 0;
            for (int i = 1; i <= 5; ++i) {
                if (value_at_tick(edge + static_cast<std::uint64_t>(i) * unit_ + half)) {
                    c = static_cast<code>(c | (1U << (i - 1)));
                }
            }
            const std::uint64_t stop_sample = edge + 6 * unit_ + half;
            const bool framing_error = !value_at_tick(stop_sample);
            record(kb, jb, c, framing_error, r);
            next_unassigned = kb + 1;
            hunt_from = stop_sample;
        }
    }

    static constexpr std::uint64_t none = ~std::uint64_t{0};

    [[nodiscard]] bool changed(std::uint64_t e) const {
        return std::binary_search(changed_.begin(), changed_.end(), e);
    }

    [[nodiscard]] bool frame_clean(std::uint64_t k) const {
        const auto it = std::lower_bound(changed_.begin(), changed_.end(), k * elements_per_frame);
        return it == changed_.end() || *it >= (k + 1) * elements_per_frame;
    }

    // Value (true = mark) of element e as received; before and after the stream the line idles
    // at mark.
    [[nodiscard]] bool element_received(std::uint64_t e) const {
        if (e >= total_elements_) {
            return true;
        }
        const bool sent =
            element_value(sent_[e / elements_per_frame], static_cast<int>(e % elements_per_frame));
        return sent != changed(e);
    }

    [[nodiscard]] std::uint64_t element_at_tick(std::uint64_t t) const {
        const std::uint64_t k = t / frame_;
        const std::uint64_t j = std::min<std::uint64_t>((t % frame_) / unit_, stop_element);
        return k * elements_per_frame + j;
    }

    [[nodiscard]] std::uint64_t element_start_tick(std::uint64_t e) const {
        return (e / elements_per_frame) * frame_ + (e % elements_per_frame) * unit_;
    }

    [[nodiscard]] bool value_at_tick(std::uint64_t t) const {
        return element_received(element_at_tick(t));
    }

    // First element boundary at or after tick `from` where the line goes from mark to space.
    [[nodiscard]] std::uint64_t find_edge(std::uint64_t from) const {
        std::uint64_t e = element_at_tick(from);
        if (element_start_tick(e) < from) {
            ++e;
        }
        for (; e < total_elements_; ++e) {
            const bool before = e == 0 ? true : element_received(e - 1);
            if (before && !element_received(e)) {
                return element_start_tick(e);
            }
        }
        return none;
    }

    void lose(std::uint64_t f, line_result& r) const {
        r.delivered[f] = no_code;
        r.faults.push_back(frame_fault{f, frame_fate::lost, 0, false, sent_[f], no_code});
    }

    void record(std::uint64_t f, int j, code c, bool framing_error, line_result& r) const {
        r.delivered[f] = c;
        if (j != start_element || c != sent_[f] || framing_error) {
            r.faults.push_back(
                frame_fault{f, j == start_element ? frame_fate::in_step : frame_fate::slipped,
                            static_cast<std::uint8_t>(j), framing_error, sent_[f], c});
        }
    }

    std::span<const code> sent_;
    std::span<const std::uint64_t> changed_;
    std::uint64_t unit_;
    std::uint64_t frame_;
    std::uint64_t total_elements_;
};

}  // namespace

line_result receive_elements(const line_profile& profile, std::span<const code> sent,
                             std::span<const std::uint64_t> changed_elements) {
    line_result r;
    element_receiver(profile, sent, changed_elements).run(r);
    r.changed_elements.assign(changed_elements.begin(), changed_elements.end());
    line_counters& c = r.counters;
    c.elements_sent = static_cast<std::uint64_t>(sent.size()) * elements_per_frame;
    c.elements_flipped = changed_elements.size();
    c.chars_sent = sent.size();
    for (const frame_fault& f : r.faults) {
        switch (f.fate) {
            case frame_fate::lost:
                ++c.frames_lost;
                break;
            case frame_fate::slipped:
                ++c.frames_slipped;
                break;
            case frame_fate::in_step:
                break;
        }
        if (f.framing_error) {
            ++c.framing_errors;
        }
        if (f.received != no_code && f.received != f.sent) {
            ++c.chars_garbled;
        }
    }
    c.chars_delivered = c.chars_sent - c.frames_lost;
    return r;
}

// --- the noise model --------------------------------------------------------------------------

noise_model::noise_model() : noise_model(noise_config{}) {}

noise_model::noise_model(noise_config config)
    : config_(std::move(config)),
      independent_rng_(stream_seed(config_.seed, tag_independent)),
      burst_rng_(stream_seed(config_.seed, tag_bursts)),
      fade_rng_(stream_seed(config_.seed, tag_fades)),
      fill_rng_(stream_seed(config_.seed, tag_fill)) {}

expected<noise_model, noise_error> noise_model::create(noise_config config) {
    if (config.independent && !valid_probability(config.independent->p)) {
        return noise_error{fmt::format("independent element error rate {} is not in [0, 1]",
                                       config.independent->p)};
    }
    if (config.bursts) {
        const gilbert_elliott& g = *config.bursts;
        for (const double p : {g.p_good, g.p_bad, g.good_to_bad, g.bad_to_good}) {
            if (!valid_probability(p)) {
                return noise_error{
                    fmt::format("Gilbert-Elliott probability {} is not in [0, 1]", p)};
            }
        }
    }
    for (const outage_window& w : config.scheduled) {
        if (w.end < w.begin) {
            return noise_error{fmt::format("outage window ends ({}) before it begins ({})",
                                           format_sim_time(w.end), format_sim_time(w.begin))};
        }
    }
    if (config.fades) {
        const random_outages& f = *config.fades;
        if (!std::isfinite(f.onsets_per_hour) || f.onsets_per_hour < 0.0) {
            return noise_error{
                fmt::format("random outage rate {} an hour is not a rate", f.onsets_per_hour)};
        }
        if (f.mean_duration.count() < 0) {
            return noise_error{"random outage mean duration is negative"};
        }
    }
    return noise_model(std::move(config));
}

void noise_model::force_error(std::uint64_t element_index) {
    forced_.push_back(element_index);
}

void noise_model::independent_flips(std::uint64_t elements, std::vector<std::uint64_t>& out) {
    const double p = config_.independent->p;
    if (!independent_started_) {
        independent_gap_ = independent_rng_.geometric(p);
        independent_started_ = true;
    }
    std::uint64_t i = independent_gap_;
    while (i < elements) {
        out.push_back(i);
        const std::uint64_t g = independent_rng_.geometric(p);
        if (g == xoshiro256ss::never) {
            i = xoshiro256ss::never;
            break;
        }
        i += g + 1;
    }
    independent_gap_ = i == xoshiro256ss::never ? i : i - elements;
}

void noise_model::burst_flips(std::uint64_t elements, std::vector<std::uint64_t>& out) {
    const gilbert_elliott& ge = *config_.bursts;
    const auto sojourn = [&] {
        const std::uint64_t g = burst_rng_.geometric(bad_ ? ge.bad_to_good : ge.good_to_bad);
        return g == xoshiro256ss::never ? g : g + 1;
    };
    const auto gap = [&] { return burst_rng_.geometric(bad_ ? ge.p_bad : ge.p_good); };
    if (!burst_started_) {
        // Start in the long-run state distribution.
        bad_ = burst_rng_.uniform_open() < ge.bad_share();
        burst_left_ = sojourn();
        burst_gap_ = gap();
        burst_started_ = true;
    }
    std::uint64_t i = 0;
    while (i < elements) {
        std::uint64_t n = std::min(burst_left_, elements - i);
        while (burst_gap_ < n) {
            out.push_back(i + burst_gap_);
            const std::uint64_t used = burst_gap_ + 1;
            i += used;
            n -= used;
            if (burst_left_ != xoshiro256ss::never) {
                burst_left_ -= used;
            }
            burst_gap_ = gap();
        }
        // No error in the next n elements of this state.
        if (burst_gap_ != xoshiro256ss::never) {
            burst_gap_ -= n;
        }
        i += n;
        if (burst_left_ != xoshiro256ss::never) {
            burst_left_ -= n;
        }
        if (burst_left_ == 0) {
            bad_ = !bad_;
            burst_left_ = sojourn();
            burst_gap_ = gap();
        }
    }
}

void noise_model::draw_fades_until(sim_time end) {
    const random_outages& f = *config_.fades;
    if (!(f.onsets_per_hour > 0.0)) {
        return;
    }
    const double mean_gap_ns = 3.6e12 / f.onsets_per_hour;
    const auto mean_duration = static_cast<double>(f.mean_duration.count());
    while (next_fade_ < end) {
        const sim_duration length = to_ns(fade_rng_.exponential(mean_duration));
        fades_.push_back(outage_window{next_fade_, next_fade_ + length, f.fill});
        ++fades_drawn_;
        next_fade_ += to_ns(fade_rng_.exponential(mean_gap_ns));
    }
}

std::vector<std::uint64_t> noise_model::realise(const line_profile& profile, sim_time start,
                                                std::span<const code> sent) {
    const std::uint64_t frames = sent.size();
    const std::uint64_t elements = frames * elements_per_frame;
    const sim_time end = profile.frame_start(start, frames);

    // (a), (b): element flips, combined by parity (two flips of one element cancel).
    std::vector<std::uint64_t> flips;
    if (config_.independent) {
        independent_flips(elements, flips);
    }
    if (config_.bursts) {
        const std::size_t before = flips.size();
        burst_flips(elements, flips);
        std::inplace_merge(flips.begin(), flips.begin() + static_cast<std::ptrdiff_t>(before),
                           flips.end());
    }

    // (c): outage windows turned into element ranges [first, last).
    struct range {
        std::uint64_t first;
        std::uint64_t last;
        outage_fill fill;
    };
    std::vector<range> ranges;
    const std::uint64_t unit = profile.ticks_per_unit();
    const std::uint64_t frame_ticks = profile.ticks_per_frame();
    const auto element_at = [&](std::uint64_t tick) {
        const std::uint64_t k = tick / frame_ticks;
        const std::uint64_t j = std::min<std::uint64_t>((tick % frame_ticks) / unit, stop_element);
        return k * elements_per_frame + j;
    };
    // Element e spans [start_ns(e), start_ns(e + 1)) with the same rounded times as
    // line_profile::element_start; it is affected when that span overlaps the window.
    const auto start_ns = [&](std::uint64_t e) {
        return profile.ticks_to_ns(
            profile.element_tick(e / elements_per_frame, static_cast<int>(e % elements_per_frame)));
    };
    const auto add_window = [&](const outage_window& w) {
        if (w.end <= start || w.begin >= end || w.end <= w.begin) {
            return;
        }
        const sim_duration a = std::max(w.begin, start) - start;
        const sim_duration b = w.end - start;
        // First element: the one containing instant a.
        std::uint64_t first = element_at(profile.ns_to_ticks_floor(a));
        while (first > 0 && start_ns(first) > a) {
            --first;
        }
        while (first + 1 < elements && start_ns(first + 1) <= a) {
            ++first;
        }
        // One past the last element: the first element starting at or after b.
        std::uint64_t last = element_at(profile.ns_to_ticks_ceil(b));
        while (last > 0 && start_ns(last - 1) >= b) {
            --last;
        }
        while (last < elements && start_ns(last) < b) {
            ++last;
        }
        last = std::min(last, elements);
        if (first < last) {
            ranges.push_back(range{first, last, w.fill});
        }
    };
    for (const outage_window& w : config_.scheduled) {
        add_window(w);
    }
    if (config_.fades) {
        if (!fades_started_) {
            next_fade_ = config_.fades->origin.value_or(start);
            if (config_.fades->onsets_per_hour > 0.0) {
                next_fade_ += to_ns(fade_rng_.exponential(3.6e12 / config_.fades->onsets_per_hour));
            }
            fades_started_ = true;
        }
        std::erase_if(fades_, [&](const outage_window& w) { return w.end <= start; });
        draw_fades_until(end);
        for (const outage_window& w : fades_) {
            add_window(w);
        }
    }

    // Forced values from the outages: a break (space) wins over random reading.
    struct forced_value {
        std::uint64_t element;
        bool mark;
    };
    std::vector<forced_value> outage_values;
    if (!ranges.empty()) {
        std::sort(ranges.begin(), ranges.end(), [](const range& x, const range& y) {
            return x.first < y.first || (x.first == y.first && x.fill < y.fill);
        });
        // Space ranges merged, to test coverage.
        std::vector<std::pair<std::uint64_t, std::uint64_t>> space;
        for (const range& r : ranges) {
            if (r.fill != outage_fill::space) {
                continue;
            }
            if (!space.empty() && r.first <= space.back().second) {
                space.back().second = std::max(space.back().second, r.last);
            } else {
                space.emplace_back(r.first, r.last);
            }
        }
        const auto in_space = [&space](std::uint64_t e) {
            const auto it = std::upper_bound(
                space.begin(), space.end(), e,
                [](std::uint64_t v, const std::pair<std::uint64_t, std::uint64_t>& s) {
                    return v < s.first;
                });
            return it != space.begin() && e < std::prev(it)->second;
        };
        std::uint64_t done = 0;  // elements below this already handled
        std::uint64_t bits = 0;
        int bits_left = 0;
        for (const range& r : ranges) {
            for (std::uint64_t e = std::max(r.first, done); e < r.last; ++e) {
                if (in_space(e)) {
                    outage_values.push_back(forced_value{e, false});
                } else if (r.fill == outage_fill::random) {
                    if (bits_left == 0) {
                        bits = fill_rng_.next();
                        bits_left = 64;
                    }
                    outage_values.push_back(forced_value{e, (bits & 1U) != 0});
                    bits >>= 1;
                    --bits_left;
                } else {
                    outage_values.push_back(forced_value{e, false});
                }
            }
            done = std::max(done, r.last);
        }
    }

    // Combine: flips (by parity), then outage values, then the forced errors, in that order of
    // precedence. Keep the elements whose received value differs from the sent one.
    std::vector<std::uint64_t> forced;
    forced.swap(forced_);
    std::sort(forced.begin(), forced.end());
    forced.erase(std::unique(forced.begin(), forced.end()), forced.end());

    const auto sent_value = [&](std::uint64_t e) {
        return element_value(sent[e / elements_per_frame],
                             static_cast<int>(e % elements_per_frame));
    };
    std::vector<std::uint64_t> changed;
    changed.reserve(flips.size() + outage_values.size() + forced.size());
    std::size_t fi = 0;
    std::size_t oi = 0;
    std::size_t xi = 0;
    while (fi < flips.size() || oi < outage_values.size() || xi < forced.size()) {
        std::uint64_t e = xoshiro256ss::never;
        if (fi < flips.size()) {
            e = std::min(e, flips[fi]);
        }
        if (oi < outage_values.size()) {
            e = std::min(e, outage_values[oi].element);
        }
        if (xi < forced.size()) {
            e = std::min(e, forced[xi]);
        }
        const bool sent_mark = e < elements ? sent_value(e) : true;
        bool received = sent_mark;
        while (fi < flips.size() && flips[fi] == e) {
            received = !received;
            ++fi;
        }
        if (oi < outage_values.size() && outage_values[oi].element == e) {
            received = outage_values[oi].mark;
            ++oi;
        }
        if (xi < forced.size() && forced[xi] == e) {
            received = !sent_mark;
            ++xi;
        }
        if (e < elements && received != sent_mark) {
            changed.push_back(e);
        }
    }
    return changed;
}

line_result noise_model::transmit(const line_profile& profile, sim_time start,
                                  std::span<const code> sent) {
    const std::vector<std::uint64_t> changed = realise(profile, start, sent);
    return receive_elements(profile, sent, changed);
}

}  // namespace hakto::sim
