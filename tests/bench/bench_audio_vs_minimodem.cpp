// hakto's AFSK demodulator against minimodem (Debian `minimodem`), on the same WAV files in the
// same run.
//
// Text: the bundled HAKTO 12 cable as the line carries it (page copy, CR CR LF, US-TTY with
// unshift on space, so that minimodem, which always applies USOS, prints it the same), repeated.
// hakto writes the WAV files (mark 2125 Hz, space 2295 Hz, 45.45 baud, 1.42 stop); both
// decoders read the same files:
//   hakto:     `hakto audio decode FILE` (the binary), and in-process (wav_reader + demodulator)
//   minimodem: `minimodem --rx -q -f FILE -M 2125 -S 2295 --stopbits 1.42 rtty`
//
// 1. Speed: a clean 48 kHz file of about 10 minutes, each decoder run 5 times, the median wall
//    time. BENCH audio_decode_vs_minimodem <minimodem time / hakto binary time> x.
// 2. Character error rate over a sweep of white-noise SNRs. SNR is signal power over noise
//    power in the full band at the sample rate (see sim/audio_noise.hpp, docs/audio.md); the
//    noise is seeded (xoshiro256**, Box–Muller), one seed per SNR, the same file for both. CER is
//    the edit distance (insertions, deletions, substitutions) between the decoded text and the
//    sent text, over the sent text's length.
//
// Options: --rate HZ (sweep sample rate, default 8000), --copies N (copies of the cable in the
// sweep files, default 8), --from DB --to DB --step DB (default -14 to -4 by 1), --quick.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "protocol/afsk_demodulator.hpp"
#include "protocol/afsk_modulator.hpp"
#include "protocol/cable_formatter.hpp"
#include "protocol/cable_parser.hpp"
#include "protocol/line_discipline.hpp"
#include "protocol/teletype_decoder.hpp"
#include "protocol/teletype_encoder.hpp"
#include "sim/audio_noise.hpp"
#include "terminals/bundled.hpp"
#include "terminals/wav_file.hpp"

namespace {

using namespace hakto;
using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr protocol::decode_options text_options{protocol::code_set::us_tty, true};

std::vector<protocol::code> cable_codes(int copies) {
    auto doc = protocol::parse_document(std::string{terminals::bundled_document("d143")});
    auto page = protocol::to_page_copy_line_ends(protocol::format_cable(doc.message));
    protocol::encode_options eo{protocol::code_set::us_tty, true, false};
    auto once = protocol::encode(page, eo).value().codes;
    std::vector<protocol::code> all;
    for (int i = 0; i < copies; ++i) all.insert(all.end(), once.begin(), once.end());
    return all;
}

std::vector<float> modulate(const std::vector<protocol::code>& codes, int rate, double amplitude) {
    protocol::afsk_params p;
    p.sample_rate = rate;
    auto m = protocol::afsk_modulator::create(p, amplitude).value();
    std::vector<float> out;
    m.idle_units(10, out);
    m.frames(codes, out);
    m.idle_units(10, out);
    return out;
}

/// Edit distance, computed in a diagonal band that doubles until the result fits inside it.
std::size_t edit_distance(const std::string& a, const std::string& b) {
    const auto n = static_cast<std::ptrdiff_t>(a.size()), m = static_cast<std::ptrdiff_t>(b.size());
    std::ptrdiff_t k = std::max<std::ptrdiff_t>(64, std::abs(n - m) + 1);
    for (;;) {
        const std::ptrdiff_t big = n + m + 1;
        std::vector<std::ptrdiff_t> prev(static_cast<std::size_t>(m + 1), big),
            cur(prev.size(), big);
        for (std::ptrdiff_t j = 0; j <= std::min(m, k); ++j) prev[static_cast<std::size_t>(j)] = j;
        for (std::ptrdiff_t i = 1; i <= n; ++i) {
            const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, i - k), hi = std::min(m, i + k);
            std::fill(cur.begin() + std::max<std::ptrdiff_t>(0, lo - 1),
                      cur.begin() + std::min(m, hi + 1) + 1, big);
            if (lo == 0) cur[0] = i;
            for (std::ptrdiff_t j = std::max<std::ptrdiff_t>(1, lo); j <= hi; ++j) {
                const auto J = static_cast<std::size_t>(j);
                std::ptrdiff_t v = prev[J - 1] + (a[static_cast<std::size_t>(i - 1)] != b[J - 1]);
                v = std::min(v, prev[J] + 1);
                v = std::min(v, cur[J - 1] + 1);
                cur[J] = v;
            }
            std::swap(prev, cur);
        }
        const std::ptrdiff_t d = prev[static_cast<std::size_t>(m)];
        if (d <= k) return static_cast<std::size_t>(d);
        k *= 2;
    }
}

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

struct decoded {
    std::string text;
    double seconds = 0;
    protocol::afsk_report report;
};

decoded hakto_in_process(const std::string& path) {
    const auto t0 = clock_type::now();
    auto r = terminals::wav_reader::open(path).value();
    protocol::afsk_params p;
    p.sample_rate = r.sample_rate();
    auto demod = protocol::afsk_demodulator::create(p).value();
    std::vector<std::int16_t> buf(1 << 16);
    std::vector<protocol::afsk_character> chars;
    for (;;) {
        auto n = r.read(buf).value();
        if (n == 0) break;
        demod.feed(std::span<const std::int16_t>(buf.data(), n), chars);
    }
    demod.finish(chars);
    std::vector<protocol::code> codes;
    codes.reserve(chars.size());
    for (const auto& c : chars) codes.push_back(c.value);
    decoded d;
    d.text = protocol::decode(codes, text_options);
    d.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    d.report = demod.report();
    return d;
}

decoded run_command(const std::string& command, const fs::path& out) {
    const auto t0 = clock_type::now();
    const int rc = std::system(fmt::format("{} > '{}' 2>/dev/null", command, out.string()).c_str());
    decoded d;
    d.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    if (rc != 0) {
        fmt::print(stderr, "bench_audio_vs_minimodem: '{}' failed ({})\n", command, rc);
        std::exit(1);
    }
    d.text = slurp(out);
    return d;
}

std::string minimodem_command(const std::string& wav) {
    return fmt::format("minimodem --rx -q -f '{}' -M 2125 -S 2295 --stopbits 1.42 rtty", wav);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int rate = 8000, copies = 8;
    double from = -14, to = -4, step = 1;
    bool quick = false, sweep_only = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() { return i + 1 < argc ? std::string{argv[++i]} : std::string{}; };
        if (a == "--rate")
            rate = std::stoi(next());
        else if (a == "--copies")
            copies = std::stoi(next());
        else if (a == "--from")
            from = std::stod(next());
        else if (a == "--to")
            to = std::stod(next());
        else if (a == "--step")
            step = std::stod(next());
        else if (a == "--quick")
            quick = true;
        else if (a == "--sweep-only")
            sweep_only = true;
        else {
            fmt::print(stderr,
                       "usage: bench_audio_vs_minimodem [--rate HZ] [--copies N] [--from DB] [--to "
                       "DB] [--step DB] [--quick]\n");
            return 2;
        }
    }
    if (std::system("minimodem --version > /dev/null 2>&1") != 0) {
        fmt::print(stderr,
                   "bench_audio_vs_minimodem: minimodem is not installed (scripts/install-deps)\n");
        return 1;
    }
    const fs::path dir = fs::temp_directory_path() / fmt::format("hakto-bench-audio-{}", getpid());
    fs::create_directories(dir);
    const auto out_txt = dir / "out.txt";

    if (!sweep_only) {
        // 1. Speed.
        auto codes = cable_codes(quick ? 1 : 3);
        const std::string reference = protocol::decode(codes, text_options);
        const auto wav = (dir / "speed.wav").string();
        auto samples = modulate(codes, 48000, 0.5);
        if (auto w = terminals::write_wav(wav, 48000, samples); !w) {
            fmt::print(stderr, "{}\n", w.error().message);
            return 1;
        }
        const double audio_s = static_cast<double>(samples.size()) / 48000;
        std::vector<double> t_in, t_bin, t_mm;
        std::string hb, mm;
        for (int run = 0; run < 5; ++run) {
            auto a = hakto_in_process(wav);
            t_in.push_back(a.seconds);
            auto b = run_command(
                fmt::format("'{}' audio decode --raw-line-ends '{}'", HAKTO_BINARY, wav), out_txt);
            t_bin.push_back(b.seconds);
            hb = b.text;
            auto c = run_command(minimodem_command(wav), out_txt);
            t_mm.push_back(c.seconds);
            mm = c.text;
        }
        fmt::print("speed: {:.0f} s of 48 kHz audio, {} characters\n", audio_s, codes.size());
        fmt::print("  hakto (binary)     {:8.4f} s  {:7.0f}x real time  errors {}\n", median(t_bin),
                   audio_s / median(t_bin), edit_distance(reference, hb));
        fmt::print("  hakto (in-process) {:8.4f} s  {:7.0f}x real time\n", median(t_in),
                   audio_s / median(t_in));
        fmt::print("  minimodem          {:8.4f} s  {:7.0f}x real time  errors {}\n", median(t_mm),
                   audio_s / median(t_mm), edit_distance(reference, mm));
        fmt::print("BENCH audio_decode_hakto_realtime {:.0f} x\n", audio_s / median(t_bin));
        fmt::print("BENCH audio_decode_minimodem_realtime {:.0f} x\n", audio_s / median(t_mm));
        fmt::print("BENCH audio_decode_in_process_vs_minimodem {:.1f} x\n",
                   median(t_mm) / median(t_in));
        fmt::print("BENCH audio_decode_vs_minimodem {:.1f} x\n", median(t_mm) / median(t_bin));
    }

    // 2. CER sweep.
    auto codes = cable_codes(quick ? 2 : copies);
    const std::string reference = protocol::decode(codes, text_options);
    auto clean = modulate(codes, rate, 1.0);
    const double ps = sim::mean_power(clean);
    fmt::print(
        "CER sweep: {} characters a point, {} Hz sampling; SNR in the full band (0–{} Hz); Eb/N0 = "
        "SNR + {:.1f} dB\n",
        reference.size(), rate, rate / 2, 10 * std::log10(rate / 2.0 / 45.45));
    fmt::print("  {:>7} {:>8} {:>10} {:>10} {:>9}\n", "SNR dB", "Eb/N0", "hakto %", "minimodem %",
               "est. SNR");
    int index = 0;
    for (double snr = from; snr <= to + 1e-9; snr += step, ++index) {
        const double sigma = sim::noise_sigma_for_snr(ps, snr);
        std::vector<float> noisy = clean;
        sim::add_white_noise(noisy, sigma,
                             7000 + static_cast<std::uint64_t>(std::llround(snr * 10 + 1000)));
        const float scale = static_cast<float>(0.2 / std::sqrt(ps + sigma * sigma));
        for (float& x : noisy) x *= scale;
        const auto wav = (dir / fmt::format("snr{}.wav", index)).string();
        if (auto w = terminals::write_wav(wav, rate, noisy); !w) {
            fmt::print(stderr, "{}\n", w.error().message);
            return 1;
        }
        auto h = hakto_in_process(wav);
        auto m = run_command(minimodem_command(wav), out_txt);
        const double cer_h = 100.0 * static_cast<double>(edit_distance(reference, h.text)) /
                             static_cast<double>(reference.size());
        const double cer_m = 100.0 * static_cast<double>(edit_distance(reference, m.text)) /
                             static_cast<double>(reference.size());
        fmt::print("  {:7.1f} {:8.1f} {:10.3f} {:10.3f} {:9.1f}\n", snr,
                   snr + 10 * std::log10(rate / 2.0 / 45.45), cer_h, cer_m, h.report.snr_db);
        const auto tag = fmt::format("{}{:.0f}db", snr < 0 ? "m" : "", std::abs(snr));
        fmt::print("BENCH audio_cer_hakto_snr_{} {:.3f} %\n", tag, cer_h);
        fmt::print("BENCH audio_cer_minimodem_snr_{} {:.3f} %\n", tag, cer_m);
        fs::remove(wav);
    }
    fs::remove_all(dir);
    return 0;
}
