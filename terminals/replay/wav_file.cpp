#include "terminals/replay/wav_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <sndfile.h>
#include <unistd.h>

namespace hakto::terminals {
namespace {

std::uint32_t le32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
           static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

/// For a RIFF WAVE file: the bytes its data chunk declares and the bytes the file holds after
/// the chunk header. Empty when the file is not RIFF WAVE, has no data chunk, or declares an
/// unknown size (0 or 0xFFFFFFFF, as streaming writers leave it).
std::optional<std::pair<std::uint64_t, std::uint64_t>> data_chunk_sizes(const std::string& path,
                                                                        std::uint64_t file_size) {
    std::ifstream f(path, std::ios::binary);
    unsigned char head[12];
    if (!f.read(reinterpret_cast<char*>(head), 12)) return std::nullopt;
    if (std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0)
        return std::nullopt;
    std::uint64_t pos = 12;
    for (int chunks = 0; chunks < 64; ++chunks) {
        unsigned char ch[8];
        if (!f.read(reinterpret_cast<char*>(ch), 8)) return std::nullopt;
        const std::uint32_t size = le32(ch + 4);
        pos += 8;
        if (std::memcmp(ch, "data", 4) == 0) {
            if (size == 0 || size == 0xFFFFFFFFu) return std::nullopt;
            return std::pair<std::uint64_t, std::uint64_t>{size,
                                                           file_size - std::min(file_size, pos)};
        }
        pos += size + (size & 1U);
        f.seekg(static_cast<std::streamoff>(pos));
    }
    return std::nullopt;
}

}  // namespace

struct wav_reader::handle {
    SNDFILE* file = nullptr;
    std::vector<std::int16_t> frames;  // interleaved, for files of more than one channel
    ~handle() {
        if (file) sf_close(file);
    }
};

wav_reader::wav_reader(wav_reader&&) noexcept = default;
wav_reader& wav_reader::operator=(wav_reader&&) noexcept = default;
wav_reader::~wav_reader() = default;

expected<wav_reader, wav_error> wav_reader::open(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return wav_error{fmt::format("{}: cannot open: no such file", path)};
    if (std::filesystem::is_directory(status))
        return wav_error{fmt::format("{}: cannot open: is a directory", path)};
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return wav_error{fmt::format("{}: cannot open: {}", path, ec.message())};
    if (size == 0)
        return wav_error{fmt::format("{}: empty file (no WAV header, no samples)", path)};
    if (auto sizes = data_chunk_sizes(path, size); sizes && sizes->first > sizes->second)
        return wav_error{fmt::format(
            "{}: truncated WAV: the header declares {} bytes of samples, the file holds {}", path,
            sizes->first, sizes->second)};
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f) {
        std::FILE* probe = std::fopen(path.c_str(), "rb");
        if (!probe)
            return wav_error{fmt::format("{}: cannot open: {}", path, std::strerror(errno))};
        std::fclose(probe);
        return wav_error{fmt::format("{}: not a WAV or other sound file libsndfile reads ({})",
                                     path, sf_strerror(nullptr))};
    }
    // Floating-point files are read scaled to 16-bit full scale (libsndfile does not by default).
    // Only for them: asking for it on an integer file sends its reads down a slower path.
    const int subtype = info.format & SF_FORMAT_SUBMASK;
    if (subtype == SF_FORMAT_FLOAT || subtype == SF_FORMAT_DOUBLE)
        sf_command(f, SFC_SET_SCALE_FLOAT_INT_READ, nullptr, SF_TRUE);
    wav_reader r;
    r.h_ = std::make_unique<handle>();
    r.h_->file = f;
    r.path_ = path;
    r.rate_ = info.samplerate;
    r.channels_ = info.channels;
    r.frames_ = info.frames > 0 ? static_cast<std::uint64_t>(info.frames) : 0;
    if (r.frames_ == 0) return wav_error{fmt::format("{}: the file holds no samples", path)};
    if (r.channels_ < 1) return wav_error{fmt::format("{}: no channels", path)};
    return r;
}

expected<std::size_t, wav_error> wav_reader::read(std::span<std::int16_t> out) {
    if (out.empty()) return std::size_t{0};
    sf_count_t got = 0;
    if (channels_ == 1) {
        got = sf_readf_short(h_->file, out.data(), static_cast<sf_count_t>(out.size()));
    } else {
        h_->frames.resize(out.size() * static_cast<std::size_t>(channels_));
        got = sf_readf_short(h_->file, h_->frames.data(), static_cast<sf_count_t>(out.size()));
        for (sf_count_t i = 0; i < got; ++i)
            out[static_cast<std::size_t>(i)] = h_->frames[static_cast<std::size_t>(i) * channels_];
    }
    if (got < 0 || sf_error(h_->file) != SF_ERR_NO_ERROR)
        return wav_error{fmt::format("{}: read error: {}", path_, sf_strerror(h_->file))};
    return static_cast<std::size_t>(got);
}

struct wav_writer::handle {
    SNDFILE* file = nullptr;
    ~handle() {
        if (file) sf_close(file);
    }
};

wav_writer::wav_writer(wav_writer&&) noexcept = default;
wav_writer& wav_writer::operator=(wav_writer&& o) noexcept {
    if (this != &o) {
        abandon();
        h_ = std::move(o.h_);
        path_ = std::move(o.path_);
        temp_ = std::move(o.temp_);
        frames_ = o.frames_;
    }
    return *this;
}
wav_writer::~wav_writer() {
    abandon();
}

void wav_writer::abandon() noexcept {
    if (h_ && h_->file) {
        sf_close(h_->file);
        h_->file = nullptr;
        std::error_code ec;
        std::filesystem::remove(temp_, ec);
    }
    h_.reset();
}

expected<wav_writer, wav_error> wav_writer::create(const std::string& path, int sample_rate) {
    if (sample_rate < 8000 || sample_rate > 192000)
        return wav_error{
            fmt::format("{}: sample rate {} Hz is outside 8000–192000 Hz", path, sample_rate)};
    wav_writer w;
    w.path_ = path;
    w.temp_ = fmt::format("{}.{}.tmp", path, static_cast<long>(getpid()));
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(w.temp_.c_str(), SFM_WRITE, &info);
    if (!f) return wav_error{fmt::format("{}: cannot write: {}", path, sf_strerror(nullptr))};
    sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    w.h_ = std::make_unique<handle>();
    w.h_->file = f;
    return w;
}

expected<void, wav_error> wav_writer::write(std::span<const float> samples) {
    if (!h_ || !h_->file) return wav_error{fmt::format("{}: already closed", path_)};
    const auto n = static_cast<sf_count_t>(samples.size());
    if (sf_write_float(h_->file, samples.data(), n) != n) {
        auto message = fmt::format("{}: write failed: {}", path_, sf_strerror(h_->file));
        abandon();
        return wav_error{std::move(message)};
    }
    frames_ += samples.size();
    return outcome::success();
}

expected<void, wav_error> wav_writer::commit() {
    if (!h_ || !h_->file) return wav_error{fmt::format("{}: already closed", path_)};
    sf_write_sync(h_->file);
    const int rc = sf_close(h_->file);
    h_->file = nullptr;
    std::error_code ec;
    if (rc != 0) {
        std::filesystem::remove(temp_, ec);
        return wav_error{fmt::format("{}: closing failed: {}", path_, sf_error_number(rc))};
    }
    std::filesystem::rename(temp_, path_, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temp_, ignored);
        return wav_error{fmt::format("{}: cannot write: {}", path_, ec.message())};
    }
    h_.reset();
    return outcome::success();
}

expected<void, wav_error> write_wav(const std::string& path, int sample_rate,
                                    std::span<const float> samples) {
    auto w = wav_writer::create(path, sample_rate);
    if (!w) return w.error();
    if (auto r = w.value().write(samples); !r) return r.error();
    return w.value().commit();
}

}  // namespace hakto::terminals
