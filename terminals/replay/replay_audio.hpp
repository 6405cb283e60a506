#pragma once
// The sound of the circuit for a replay (hakto replay --wav FILE): the line codes as they went on
// the line into each cable's destination (the last hop, what the receiving end hears:
// ciphertext when the circuit is encrypted, shifts and fill included), as AFSK audio at the
// circuit's speed, in simulated time, the mark tone while the line idles.
//
// Timing: sample 0 is one second before the first frame; a frame starts at the sample of its
// simulated start at the far end. An idle stretch longer than two minutes is cut to one second,
// as the replay skips idle hours, so the file follows the paper without hours of steady tone.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/afsk/afsk_modulator.hpp"
#include "terminals/replay/replay.hpp"
#include "terminals/replay/wav_file.hpp"

namespace hakto::terminals {

class replay_audio final : public replay_sink {
  public:
    /// Opens FILE (a temporary beside it until finish()).
    static expected<std::unique_ptr<replay_audio>, wav_error> create(const replay& r,
                                                                     const std::string& path,
                                                                     int sample_rate);
    void event(const replay_event& e) override;
    /// A second of idle line, then the file is renamed into place.
    expected<void, wav_error> finish();
    /// Frames written so far, and seconds of idle line left out.
    [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
    [[nodiscard]] double idle_cut_seconds() const noexcept;

  private:
    replay_audio(const replay& r, wav_writer writer, int sample_rate);
    void flush(bool all);

    const replay& replay_;
    wav_writer writer_;
    int rate_;
    std::optional<protocol::afsk_modulator> mod_;
    std::string profile_name_;
    std::uint64_t before_mod_ = 0;  // samples written by earlier modulators
    std::optional<sim::sim_time> origin_;
    sim::sim_duration cut_{0};  // idle time left out so far
    std::vector<float> buffer_;
    std::uint64_t frames_ = 0;
    std::optional<wav_error> error_;
};

}  // namespace hakto::terminals
