// hakto audio encode / hakto audio decode: 5-level codes as radioteletype audio (AFSK) in WAV
// files, and back. See docs/audio.md.
#include <cmath>
#include <fstream>
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "protocol/afsk/afsk_demodulator.hpp"
#include "protocol/afsk/afsk_modulator.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/cable_tape.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "sim/audio_noise.hpp"
#include "sim/line_profile.hpp"
#include "terminals/cli/cli_options.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/replay/wav_file.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::protocol;

/// The options both directions share: speed profile, stop, tones, code.
void add_line_options(po::options_description& options) {
    options.add_options()("profile,p", po::value<std::string>()->default_value("60wpm"),
                          "speed profile: 60wpm, 66wpm, 67wpm, 75wpm or 100wpm")(
        "stop", po::value<std::string>(),
        "stop element in units: 1, 1.42, 1.5 or 2 (default: the profile's)")(
        "shift", po::value<int>()->default_value(170),
        "tone shift in Hz: 170 (2125/2295) or 850 (2125/2975)")(
        "mark", po::value<double>()->default_value(afsk_mark_hz), "mark tone in Hz")(
        "space", po::value<double>(), "space tone in Hz (default: mark + shift)")(
        "usos",
        "unshift on space (encode: shift again after a space in figures; decode: a space returns "
        "to LETTERS)");
    add_code_option(options, "code set: ustty or ita2");
}

struct line_choice {
    afsk_params params;
    code_set set = code_set::us_tty;
    bool usos = false;
};

/// Reads the shared options; prints the reason and returns nullopt on a usage error.
std::optional<line_choice> read_line_options(const po::variables_map& vm, int sample_rate,
                                             cli_io io, std::string_view name) {
    line_choice c;
    auto profile = sim::find_profile(vm["profile"].as<std::string>());
    if (!profile) {
        io.err << "hakto audio " << name << ": --profile: " << profile.error().message << "\n";
        return std::nullopt;
    }
    c.params.sample_rate = sample_rate;
    c.params.baud = profile.value().baud();
    c.params.stop_units = profile.value().stop_units();
    if (vm.count("stop")) {
        const auto s = vm["stop"].as<std::string>();
        if (s == "1")
            c.params.stop_units = 1.0;
        else if (s == "1.42")
            c.params.stop_units = 1.42;
        else if (s == "1.5")
            c.params.stop_units = 1.5;
        else if (s == "2")
            c.params.stop_units = 2.0;
        else {
            io.err << "hakto audio " << name << ": --stop must be 1, 1.42, 1.5 or 2\n";
            return std::nullopt;
        }
    }
    const int shift = vm["shift"].as<int>();
    if (shift != 170 && shift != 850) {
        io.err << "hakto audio " << name << ": --shift must be 170 or 850\n";
        return std::nullopt;
    }
    c.params.mark_hz = vm["mark"].as<double>();
    c.params.space_hz = vm.count("space") ? vm["space"].as<double>() : c.params.mark_hz + shift;
    auto set = code_option(vm);
    if (!set) {
        io.err << "hakto audio " << name << ": " << set.error() << "\n";
        return std::nullopt;
    }
    c.set = set.value();
    c.usos = vm.count("usos") > 0;
    if (auto checked = check_afsk_params(c.params); !checked) {
        io.err << "hakto audio " << name << ": " << checked.error().message << "\n";
        return std::nullopt;
    }
    return c;
}

/// The on-line codes of a replay transcript (hakto replay --transcript): the line events of one
/// circuit, in order. Without a circuit, the circuit of the first printed event (the last hop).
expected<std::vector<code>, std::string> transcript_codes(const std::string& text,
                                                          const std::string& shown,
                                                          std::optional<std::string> circuit) {
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("events") ||
        !doc["events"].is_array())
        return fmt::format("{}: not a replay transcript (JSON with an \"events\" array)", shown);
    const auto& events = doc["events"];
    if (!circuit) {
        for (const auto& e : events)
            if (e.value("kind", "") == "printed" && e.contains("circuit") &&
                e["circuit"].is_string()) {
                circuit = e["circuit"].get<std::string>();
                break;
            }
        if (!circuit)
            return fmt::format("{}: no printed characters in the transcript; name a --circuit",
                               shown);
    }
    std::vector<code> out;
    for (const auto& e : events) {
        if (e.value("kind", "") != "line" || !e.contains("circuit") || e["circuit"] != *circuit)
            continue;
        if (!e.contains("on_line") || !e["on_line"].is_string()) continue;
        auto hex = read_hex_codes(e["on_line"].get<std::string>());
        if (!hex || hex.value().size() != 1)
            return fmt::format("{}: a line event's on_line is not one code", shown);
        out.push_back(hex.value()[0]);
    }
    if (out.empty()) return fmt::format("{}: no line events on circuit '{}'", shown, *circuit);
    return out;
}

}  // namespace

int cmd_audio_encode(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "input", po::value<std::string>()->default_value("-"), "what to send ('-' for stdin)")(
        "text,t", po::value<std::string>(), "send this text instead of a file")(
        "as", po::value<std::string>()->default_value("text"),
        "what the input is: text, cable (a cable document, sent as its page copy), codes (hex "
        "5-level "
        "codes, as hakto encode writes them) or transcript (a replay transcript: the codes on one "
        "circuit)")("circuit", po::value<std::string>(),
                    "with --as transcript: the circuit (default: the one into the destination)")(
        "acp127", "with --as cable: the full ACP 127 envelope (ending 2 CR, 8 LF, NNNN, 12 LTRS)")(
        "output,o", po::value<std::string>(), "the WAV file to write (required)")(
        "rate,r", po::value<int>()->default_value(48000), "sample rate, 8000 to 48000 Hz")(
        "lead", po::value<double>()->default_value(0.25),
        "seconds of idle mark tone before and after")(
        "amplitude", po::value<double>()->default_value(0.5),
        "peak amplitude of the tone, 0 to 1 of full scale")(
        "snr", po::value<double>(),
        "add white noise at this SNR in dB (full band; see docs/audio.md)")(
        "seed", po::value<std::uint64_t>()->default_value(1), "the noise's seed")(
        "lenient", "substitute characters the code lacks (reported) instead of failing")(
        "wrap", po::value<std::size_t>()->default_value(0),
        "with text: wrap lines at this column first (0: no wrapping)")(
        "raw-line-ends", "with text: send a newline as LF alone instead of the page-copy CR CR LF");
    add_line_options(options);
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm = parse_arguments(
        "audio encode",
        "[FILE|-|--text TEXT] [--as text|cable|codes|transcript] -o OUT.wav [--rate HZ] "
        "[--profile 60wpm] [--stop 1.42] [--shift 170|850]",
        options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    if (!vm->count("output")) {
        io.err << "hakto audio encode: --output FILE.wav is required\n";
        return exit_usage;
    }
    const int rate = (*vm)["rate"].as<int>();
    if (rate < 8000 || rate > 48000) {
        io.err << "hakto audio encode: --rate must be 8000 to 48000 Hz\n";
        return exit_usage;
    }
    auto line = read_line_options(*vm, rate, io, "encode");
    if (!line) return exit_usage;
    const auto as = (*vm)["as"].as<std::string>();
    if (as != "text" && as != "cable" && as != "codes" && as != "transcript") {
        io.err << "hakto audio encode: --as must be text, cable, codes or transcript\n";
        return exit_usage;
    }
    const double lead = (*vm)["lead"].as<double>();
    if (!(lead >= 0 && lead <= 60)) {
        io.err << "hakto audio encode: --lead must be 0 to 60 seconds\n";
        return exit_usage;
    }
    const double amplitude = (*vm)["amplitude"].as<double>();
    if (!(amplitude > 0 && amplitude <= 1)) {
        io.err << "hakto audio encode: --amplitude must be above 0 and at most 1\n";
        return exit_usage;
    }

    auto read = read_text_or_input(*vm, io);
    if (!read) {
        io.err << "hakto audio encode: " << read.error().message() << "\n";
        return exit_bad_input;
    }
    std::string input = std::move(read.value().text);
    const std::string shown = std::move(read.value().shown);

    std::vector<code> codes;
    encode_options eo{line->set, line->usos, vm->count("lenient") == 0};
    auto report_encode = [&](const expected<encoded, encode_error>& result) {
        if (!result) {
            for (const auto& u : result.error().characters)
                io.err << fmt::format("{}:{}:{}: error [unencodable] {} is not in {}\n", shown,
                                      u.where.line, u.where.column, describe_character(u.character),
                                      code_set_name(line->set));
            io.err
                << "hakto audio encode: nothing written; --lenient substitutes such characters\n";
            return false;
        }
        for (const auto& s : result.value().substitutions)
            io.err << fmt::format("{}:{}:{}: warning [substituted] {} sent as '{}'\n", shown,
                                  s.where.line, s.where.column, describe_character(s.original),
                                  s.replacement);
        return true;
    };
    if (as == "text") {
        if (auto wrap = (*vm)["wrap"].as<std::size_t>(); wrap > 0) input = wrap_text(input, wrap);
        if (!vm->count("raw-line-ends")) input = to_page_copy_line_ends(input);
        auto result = encode(input, eo);
        if (!report_encode(result)) return exit_bad_input;
        codes = std::move(result.value().codes);
    } else if (as == "cable") {
        auto doc = parse_document(input);
        format_options fo;
        if (vm->count("acp127")) fo.style = header_style::acp127;
        auto result = cable_line_codes(doc.message, fo, eo);
        if (!report_encode(result)) return exit_bad_input;
        codes = std::move(result.value().codes);
    } else if (as == "codes") {
        auto r = read_hex_codes(input);
        if (!r) {
            io.err << fmt::format("{}:{}:{}: error [hex] {}\n", shown, r.error().where.line,
                                  r.error().where.column, r.error().reason);
            return exit_bad_input;
        }
        codes = std::move(r.value());
    } else {
        std::optional<std::string> circuit;
        if (vm->count("circuit")) circuit = (*vm)["circuit"].as<std::string>();
        auto r = transcript_codes(input, shown, circuit);
        if (!r) {
            io.err << "hakto audio encode: " << r.error() << "\n";
            return exit_bad_input;
        }
        codes = std::move(r.value());
    }
    if (codes.empty()) {
        io.err << "hakto audio encode: " << shown << ": nothing to send\n";
        return exit_bad_input;
    }

    auto mod = afsk_modulator::create(line->params, amplitude);
    if (!mod) {
        io.err << "hakto audio encode: " << mod.error().message << "\n";
        return exit_usage;
    }
    std::vector<float> samples;
    const auto lead_samples = static_cast<std::uint64_t>(std::llround(lead * rate));
    mod.value().idle_samples(lead_samples, samples);
    mod.value().frames(codes, samples);
    mod.value().idle_samples(lead_samples, samples);
    if (vm->count("snr")) {
        const double sigma =
            sim::noise_sigma_for_snr(sim::mean_power(samples), (*vm)["snr"].as<double>());
        sim::add_white_noise(samples, sigma, (*vm)["seed"].as<std::uint64_t>());
        // Scale so that the noisy signal stays inside full scale (peaks at about 5 sigma).
        float peak = 0;
        for (float x : samples) peak = std::max(peak, std::abs(x));
        if (peak > 0.99f)
            for (float& x : samples) x *= 0.99f / peak;
    }
    const auto path = (*vm)["output"].as<std::string>();
    if (auto w = write_wav(path, rate, samples); !w) {
        io.err << "hakto audio encode: " << w.error().message << "\n";
        return exit_bad_input;
    }
    io.err << fmt::format(
        "hakto audio encode: {}: {} characters, {:.2f} s at {} Hz ({} baud, stop {}, mark {} Hz, "
        "space {} Hz)\n",
        path, codes.size(), static_cast<double>(samples.size()) / rate, rate, line->params.baud,
        line->params.stop_units, line->params.mark_hz, line->params.space_hz);
    return exit_ok;
}

int cmd_audio_decode(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")("input", po::value<std::string>(),
                                                      "the WAV file to read")(
        "output,o", po::value<std::string>()->default_value("text"),
        "text, hex (the 5-level codes), or chars (one line a character: time, code, what it "
        "prints, confidence)")("raw-line-ends",
                               "print CR and LF as they come instead of ending lines at CR CR LF")(
        "quiet,q", "no report on standard error")(
        "squelch", po::value<double>()->default_value(6.0),
        "squelch: how many times the weaker tone the stronger must be for a first character");
    add_line_options(options);
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm = parse_arguments(
        "audio decode",
        "FILE.wav [--output text|hex|chars] [--profile 60wpm] [--shift 170|850] [--usos]", options,
        positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    if (!vm->count("input")) {
        io.err << "hakto audio decode: a WAV file is required\n";
        return exit_usage;
    }
    const auto form = (*vm)["output"].as<std::string>();
    if (form != "text" && form != "hex" && form != "chars") {
        io.err << "hakto audio decode: --output must be text, hex or chars\n";
        return exit_usage;
    }
    const auto path = (*vm)["input"].as<std::string>();
    auto reader = wav_reader::open(path);
    if (!reader) {
        io.err << "hakto audio decode: " << reader.error().message << "\n";
        return exit_bad_input;
    }
    if (const int rate = reader.value().sample_rate(); rate < 8000 || rate > 192000) {
        io.err << fmt::format(
            "hakto audio decode: {}: sample rate {} Hz is outside 8000–192000 Hz\n", path, rate);
        return exit_bad_input;
    }
    auto line = read_line_options(*vm, reader.value().sample_rate(), io, "decode");
    if (!line) return exit_usage;
    afsk_demod_options dopt;
    dopt.squelch_hunting = (*vm)["squelch"].as<double>();
    auto demod = afsk_demodulator::create(line->params, dopt);
    if (!demod) {
        io.err << "hakto audio decode: " << path << ": " << demod.error().message << "\n";
        return exit_bad_input;
    }
    std::vector<std::int16_t> buffer(1 << 16);
    std::vector<afsk_character> chars;
    for (;;) {
        auto n = reader.value().read(buffer);
        if (!n) {
            io.err << "hakto audio decode: " << n.error().message << "\n";
            return exit_bad_input;
        }
        if (n.value() == 0) break;
        demod.value().feed(std::span<const std::int16_t>(buffer.data(), n.value()), chars);
    }
    demod.value().finish(chars);
    const auto report = demod.value().report();
    std::vector<code> codes;
    codes.reserve(chars.size());
    for (const auto& c : chars) codes.push_back(c.value);

    if (form == "text") {
        auto text = decode(codes, decode_options{line->set, line->usos});
        io.out << (vm->count("raw-line-ends") ? text : from_page_copy_line_ends(text));
    } else if (form == "hex") {
        std::string out;
        for (std::size_t i = 0; i < codes.size(); ++i) {
            out += fmt::format("{:02X}", codes[i]);
            out += (i + 1) % 16 == 0 || i + 1 == codes.size() ? '\n' : ' ';
        }
        io.out << out;
    } else {
        teletype_decoder rx{decode_options{line->set, line->usos}};
        for (const auto& c : chars) {
            const auto meaning = rx.feed(c.value);
            std::string what = meaning.function == code_function::print
                                   ? utf8::encode(meaning.character)
                                   : std::string{function_name(meaning.function)};
            io.out << fmt::format("{:10.4f} {:02X} {:<5} {:.2f}{}\n",
                                  static_cast<double>(c.sample) / line->params.sample_rate, c.value,
                                  what, c.confidence, c.framing_error ? " framing-error" : "");
        }
    }
    if (!vm->count("quiet")) {
        io.err << fmt::format(
            "hakto audio decode: {}: {:.2f} s at {} Hz; {} characters ({} framing errors, {} false "
            "starts); "
            "input {:.1f} dBFS, tone {:.1f} dBFS; SNR {:.1f} dB full band (Eb/N0 {:.1f} dB); mean "
            "confidence {:.2f}\n",
            path, static_cast<double>(report.samples) / line->params.sample_rate,
            line->params.sample_rate, report.characters, report.framing_errors, report.false_starts,
            report.input_dbfs, report.tone_dbfs, report.snr_db, report.ebn0_db,
            report.mean_confidence);
        if (report.characters == 0)
            io.err << "hakto audio decode: " << path << ": no teletype signal found\n";
    }
    return exit_ok;
}

int cmd_audio(const std::vector<std::string>& args, cli_io io) {
    const std::string usage =
        "usage: hakto audio encode [FILE|--text TEXT] -o OUT.wav [options]\n"
        "       hakto audio decode FILE.wav [options]\n"
        "'hakto audio encode --help' and 'hakto audio decode --help' list the options.\n";
    if (args.empty()) {
        io.err << usage;
        return exit_usage;
    }
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "encode") return cmd_audio_encode(rest, io);
    if (args[0] == "decode") return cmd_audio_decode(rest, io);
    if (args[0] == "--help" || args[0] == "-h") {
        io.out << usage;
        return exit_ok;
    }
    io.err << "hakto audio: unknown action '" << args[0] << "'\n" << usage;
    return exit_usage;
}

}  // namespace hakto::terminals
