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
// 1. Speed: a 48 kHz file of about 13 minutes, clean, and the same with noise at -10 dB; each
//    decoder run 5 times as a process, the median CPU time (user + system, from wait4: the
//    machine may be busy, the CPU time does not depend on it) and wall time.
//    BENCH audio_decode_vs_minimodem <minimodem CPU time / hakto CPU time> x (the clean file).
// 2. Character error rate over a sweep of white-noise SNRs. SNR is signal power over noise
//    power in the full band at the sample rate (see sim/audio_noise.hpp, docs/audio.md); the
//    noise is seeded (xoshiro256**, Box–Muller), one seed per SNR, the same file for both. CER is
//    the edit distance (insertions, deletions, substitutions) between the decoded text and the
//    sent text, over the sent text's length.
//
// Options: --rate HZ (sweep sample rate, default 8000), --copies N (copies of the cable in the
// sweep files, default 20: 24,200 characters a point), --from DB --to DB --step DB (default -12
// to -4 by 0.5), --quick (small files), --sweep-only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "protocol/afsk/afsk_demodulator.hpp"
#include "protocol/afsk/afsk_modulator.hpp"
#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/audio_noise.hpp"
#include "terminals/frus/bundled.hpp"
#include "terminals/replay/wav_file.hpp"

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
    double seconds = 0;      // wall
    double cpu_seconds = 0;  // user + system (a process), or wall (in-process)
    protocol::afsk_report report;
};

decoded hakto_in_process(const std::string& path) {
    const std::clock_t c0 = std::clock();
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
    d.cpu_seconds = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
    d.report = demod.report();
    return d;
}

/// Runs argv with standard output to `out` (standard error discarded); the wall time and the CPU
/// time (user + system) of exactly that process, from wait4.
decoded run_process(const std::vector<std::string>& argv, const fs::path& out) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const auto t0 = clock_type::now();
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        fmt::print(stderr, "bench_audio_vs_minimodem: cannot run {}: {}\n", argv[0],
                   std::strerror(rc));
        std::exit(1);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    decoded d;
    d.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    d.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fmt::print(stderr, "bench_audio_vs_minimodem: {} failed\n", argv[0]);
        std::exit(1);
    }
    d.text = slurp(out);
    return d;
}

std::vector<std::string> minimodem_args(const std::string& wav) {
    return {"minimodem", "--rx", "-q",   "-f",         wav,    "-M",
            "2125",      "-S",   "2295", "--stopbits", "1.42", "rtty"};
}

std::vector<std::string> hakto_args(const std::string& wav) {
    return {HAKTO_BINARY, "audio", "decode", "-q", "--usos", "--raw-line-ends", wav};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    int rate = 8000, copies = 20;
    double from = -12, to = -4, step = 0.5;
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
        // 1. Speed: the same files, each decoder 5 times, medians.
        auto codes = cable_codes(quick ? 1 : 4);
        const std::string reference = protocol::decode(codes, text_options);
        auto clean = modulate(codes, 48000, 0.5);
        const double audio_s = static_cast<double>(clean.size()) / 48000;
        fmt::print(
            "speed: {:.0f} s of 48 kHz 16-bit audio ({} characters), median of 5 runs; CPU = user "
            "+ system\n",
            audio_s, codes.size());
        fmt::print("  {:<22} {:>9} {:>9} {:>11} {:>7}\n", "", "CPU s", "wall s", "x real time",
                   "errors");
        for (const char* kind : {"clean", "noisy"}) {
            std::vector<float> samples = clean;
            const bool noisy = std::string{kind} == "noisy";
            if (noisy) {
                // SNR -10 dB in the full band (Eb/N0 17.2 dB): both decoders read it well.
                const double ps = sim::mean_power(samples);
                const double sigma = sim::noise_sigma_for_snr(ps, -10.0);
                sim::add_white_noise(samples, sigma, 4242);
                const auto scale = static_cast<float>(0.2 / std::sqrt(ps + sigma * sigma));
                for (float& x : samples) x *= scale;
            }
            const auto wav = (dir / fmt::format("speed-{}.wav", kind)).string();
            if (auto w = terminals::write_wav(wav, 48000, samples); !w) {
                fmt::print(stderr, "{}\n", w.error().message);
                return 1;
            }
            std::vector<double> in_cpu, bin_cpu, bin_wall, mm_cpu, mm_wall;
            std::string hb, mm;
            for (int run = 0; run < 5; ++run) {
                in_cpu.push_back(hakto_in_process(wav).cpu_seconds);
                auto b = run_process(hakto_args(wav), out_txt);
                bin_cpu.push_back(b.cpu_seconds);
                bin_wall.push_back(b.seconds);
                hb = b.text;
                auto c = run_process(minimodem_args(wav), out_txt);
                mm_cpu.push_back(c.cpu_seconds);
                mm_wall.push_back(c.seconds);
                mm = c.text;
            }
            fmt::print("  {:<22} {:9.4f} {:9.4f} {:11.0f} {:7}\n", fmt::format("hakto ({})", kind),
                       median(bin_cpu), median(bin_wall), audio_s / median(bin_cpu),
                       edit_distance(reference, hb));
            fmt::print("  {:<22} {:9} {:9.4f} {:11.0f}\n",
                       fmt::format("hakto in-process ({})", kind), "", median(in_cpu),
                       audio_s / median(in_cpu));
            fmt::print("  {:<22} {:9.4f} {:9.4f} {:11.0f} {:7}\n",
                       fmt::format("minimodem ({})", kind), median(mm_cpu), median(mm_wall),
                       audio_s / median(mm_cpu), edit_distance(reference, mm));
            const std::string suffix = noisy ? "_noisy" : "";
            fmt::print("BENCH audio_decode_vs_minimodem{} {:.1f} x\n", suffix,
                       median(mm_cpu) / median(bin_cpu));
            fmt::print("BENCH audio_decode_vs_minimodem_wall{} {:.1f} x\n", suffix,
                       median(mm_wall) / median(bin_wall));
            fmt::print("BENCH audio_decode_hakto_realtime{} {:.0f} x\n", suffix,
                       audio_s / median(bin_cpu));
            fs::remove(wav);
        }
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
    struct point {
        double snr, hakto, minimodem;
    };
    std::vector<point> points;
    for (int index = 0;; ++index) {
        const double snr = from + index * step;
        if (snr > to + 1e-9) break;
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
        auto m = run_process(minimodem_args(wav), out_txt);
        const double cer_h = 100.0 * static_cast<double>(edit_distance(reference, h.text)) /
                             static_cast<double>(reference.size());
        const double cer_m = 100.0 * static_cast<double>(edit_distance(reference, m.text)) /
                             static_cast<double>(reference.size());
        fmt::print("  {:7.1f} {:8.1f} {:10.3f} {:10.3f} {:9.1f}\n", snr,
                   snr + 10 * std::log10(rate / 2.0 / 45.45), cer_h, cer_m, h.report.snr_db);
        const long tenths = std::lround(std::abs(snr) * 10);
        const auto tag = fmt::format("{}{}{}db", snr < 0 ? "m" : "", tenths / 10,
                                     tenths % 10 ? fmt::format("p{}", tenths % 10) : std::string{});
        fmt::print("BENCH audio_cer_hakto_snr_{} {:.3f} %\n", tag, cer_h);
        fmt::print("BENCH audio_cer_minimodem_snr_{} {:.3f} %\n", tag, cer_m);
        points.push_back({snr, cer_h, cer_m});
        fs::remove(wav);
    }
    // Where minimodem's CER falls through 1 %, and hakto's there (log-linear between points).
    for (std::size_t i = 1; i < points.size(); ++i) {
        const auto& a = points[i - 1];
        const auto& b = points[i];
        if (a.minimodem >= 1.0 && b.minimodem < 1.0 && b.minimodem > 0) {
            const double f = std::log(a.minimodem / 1.0) / std::log(a.minimodem / b.minimodem);
            const double snr = a.snr + f * (b.snr - a.snr);
            const double lo = std::max(a.hakto, 1e-4), hi = std::max(b.hakto, 1e-4);
            const double h = std::exp(std::log(lo) + f * (std::log(hi) - std::log(lo)));
            fmt::print(
                "minimodem reaches 1 % CER at {:.2f} dB; hakto there: {:.3f} % (goal: at most 0.1 "
                "%)\n",
                snr, h);
            fmt::print("BENCH audio_cer_hakto_where_minimodem_1pct {:.3f} %\n", h);
            break;
        }
    }
    bool never_worse = true;
    for (const auto& p : points) never_worse = never_worse && p.hakto <= p.minimodem;
    fmt::print("hakto no worse than minimodem at every SNR: {}\n", never_worse ? "yes" : "no");
    fs::remove_all(dir);
    return 0;
}
