#pragma once
// WAV files through libsndfile: reading the samples of a sound file (any libsndfile format; the
// first channel), and writing 16-bit mono WAV, whole or not at all (a temporary file renamed
// into place). Every error names the file and the reason.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "protocol/text/expected.hpp"

namespace hakto::terminals {

struct wav_error {
    std::string message;  ///< "FILE: reason"
};

class wav_reader {
  public:
    /// Opens FILE. Fails on a missing, empty, unreadable or non-audio file, and on a WAV file
    /// whose data chunk is shorter than its header declares (a truncated file).
    static expected<wav_reader, wav_error> open(const std::string& path);
    wav_reader(wav_reader&&) noexcept;
    wav_reader& operator=(wav_reader&&) noexcept;
    ~wav_reader();

    [[nodiscard]] int sample_rate() const noexcept { return rate_; }
    [[nodiscard]] int channels() const noexcept { return channels_; }
    [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

    /// Reads the next frames' first channel as 16-bit samples into `out` (up to its size);
    /// returns how many, 0 at the end.
    expected<std::size_t, wav_error> read(std::span<std::int16_t> out);

  private:
    struct handle;
    wav_reader() = default;
    std::unique_ptr<handle> h_;
    std::string path_;
    int rate_ = 0;
    int channels_ = 0;
    std::uint64_t frames_ = 0;
};

/// Writes 16-bit mono WAV to a temporary file beside FILE; commit() renames it into place.
/// Dropped without commit(), the temporary file is removed and FILE is left as it was.
class wav_writer {
  public:
    static expected<wav_writer, wav_error> create(const std::string& path, int sample_rate);
    wav_writer(wav_writer&&) noexcept;
    wav_writer& operator=(wav_writer&&) noexcept;
    ~wav_writer();

    /// Samples in [-1, 1] (beyond that they are clipped).
    expected<void, wav_error> write(std::span<const float> samples);
    expected<void, wav_error> commit();
    [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }

  private:
    struct handle;
    wav_writer() = default;
    void abandon() noexcept;
    std::unique_ptr<handle> h_;
    std::string path_, temp_;
    std::uint64_t frames_ = 0;
};

/// create(), write(samples), commit().
expected<void, wav_error> write_wav(const std::string& path, int sample_rate,
                                    std::span<const float> samples);

}  // namespace hakto::terminals
