#include "terminals/replay/replay_audio.hpp"

#include <algorithm>
#include <chrono>

namespace hakto::terminals {
namespace {

constexpr auto lead = std::chrono::seconds{1};
constexpr auto longest_idle = std::chrono::minutes{2};  // as the replay's skip of idle hours
constexpr auto idle_kept = std::chrono::seconds{1};
constexpr std::size_t flush_at = 1 << 16;

}  // namespace

expected<std::unique_ptr<replay_audio>, wav_error> replay_audio::create(const replay& r,
                                                                        const std::string& path,
                                                                        int sample_rate) {
    auto w = wav_writer::create(path, sample_rate);
    if (!w) return w.error();
    return std::unique_ptr<replay_audio>(new replay_audio(r, std::move(w.value()), sample_rate));
}

replay_audio::replay_audio(const replay& r, wav_writer writer, int sample_rate)
    : replay_(r), writer_(std::move(writer)), rate_(sample_rate) {}

double replay_audio::idle_cut_seconds() const noexcept {
    return std::chrono::duration<double>(cut_).count();
}

void replay_audio::event(const replay_event& e) {
    if (e.kind != replay_event_kind::line || error_) return;
    // Only the hop into the cable's destination.
    const auto& cables = replay_.cables();
    auto c = std::find_if(cables.begin(), cables.end(),
                          [&](const replay_cable& rc) { return rc.spec.id == e.cable; });
    if (c == cables.end() || std::find(c->spec.addressees.begin(), c->spec.addressees.end(),
                                       e.to) == c->spec.addressees.end())
        return;
    const auto& circuits = replay_.scenario().circuits;
    auto spec = std::find_if(circuits.begin(), circuits.end(),
                             [&](const sim::circuit_spec& s) { return s.id == e.circuit; });
    const sim::line_profile profile = spec == circuits.end() ? sim::profile_60wpm() : spec->profile;
    if (!mod_ || profile.name() != profile_name_) {
        protocol::afsk_params p;
        p.sample_rate = rate_;
        p.baud = profile.baud();
        p.stop_units = profile.stop_units();
        auto m = protocol::afsk_modulator::create(p);
        if (!m) {
            error_ = wav_error{m.error().message};
            return;
        }
        if (mod_) before_mod_ += mod_->position();
        mod_.emplace(std::move(m.value()));
        profile_name_ = profile.name();
    }
    // The event's time is the end of the frame at the far end.
    const sim::sim_time start =
        e.at - sim::sim_duration{static_cast<sim::sim_duration::rep>(profile.frame_ns_exact())};
    if (!origin_) origin_ = start - lead;
    const std::uint64_t written = before_mod_ + mod_->position();
    auto sample_of = [&](sim::sim_time t) {
        const double s = std::chrono::duration<double>(t - *origin_ - cut_).count() * rate_;
        return static_cast<std::uint64_t>(std::max(0.0, s + 0.5));
    };
    std::uint64_t target = sample_of(start);
    if (target > written) {
        const double idle_s = static_cast<double>(target - written) / rate_;
        if (idle_s > std::chrono::duration<double>(longest_idle).count()) {
            cut_ += std::chrono::duration_cast<sim::sim_duration>(
                std::chrono::duration<double>(idle_s) - idle_kept);
            target = sample_of(start);
        }
        if (target > written) mod_->idle_samples(target - written, buffer_);
    }
    mod_->frame(e.on_line, buffer_);
    ++frames_;
    if (buffer_.size() >= flush_at) flush(false);
}

void replay_audio::flush(bool) {
    if (buffer_.empty() || error_) return;
    if (auto w = writer_.write(buffer_); !w) error_ = w.error();
    buffer_.clear();
}

expected<void, wav_error> replay_audio::finish() {
    if (!mod_ && !error_) {
        // No frame reached a destination: a second of idle line, so the file is still audio.
        protocol::afsk_params p;
        p.sample_rate = rate_;
        mod_.emplace(protocol::afsk_modulator::create(p).value());
    }
    if (mod_) mod_->idle_samples(static_cast<std::uint64_t>(rate_), buffer_);
    flush(true);
    if (error_) return *error_;
    return writer_.commit();
}

}  // namespace hakto::terminals
