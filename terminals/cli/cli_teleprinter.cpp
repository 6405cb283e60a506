#include "terminals/cli/cli_teleprinter.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "protocol/teletype/page_printer.hpp"

namespace hakto::terminals {

namespace po = boost::program_options;

namespace {

/// The settings that mean nothing without --teleprinter.
constexpr std::array<const char*, 10> setting_options{"teleprinter-mode",
                                                      "teleprinter-baud",
                                                      "teleprinter-stop-bits",
                                                      "teleprinter-data-bits",
                                                      "teleprinter-parity",
                                                      "teleprinter-cr-delay",
                                                      "answerback",
                                                      "teleprinter-filing",
                                                      "teleprinter-echo",
                                                      "teleprinter-port-baud"};

/// Longest answer-back: a Model 28's answer-back drum has 20 positions, an ASR-33's 21; a few
/// drums' worth is more than any machine sends.
constexpr std::size_t max_answerback = 64;

std::string value_of(const po::variables_map& vm, const char* name) {
    return vm[name].as<std::string>();
}

expected<int, std::string> whole_number(const std::string& text, const char* option) {
    int n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
        return fmt::format("--{} '{}': not a whole number", option, text.substr(0, 32));
    return n;
}

}  // namespace

void add_teleprinter_options(po::options_description& options) {
    options.add_options()("teleprinter", po::value<std::string>(),
                          "print the page copy on a real teleprinter on serial DEVICE "
                          "(e.g. /dev/ttyUSB0)")(
        "teleprinter-mode", po::value<std::string>(),
        "baudot (the 5-bit codes, default) or ascii (ASR-33 page copy)")(
        "teleprinter-baud", po::value<std::string>(),
        "the machine's rate (default 45.45 baudot, 110 ascii; 50, 56.9, 74.2, 75, 100, ...)")(
        "teleprinter-stop-bits", po::value<std::string>(),
        "1, 1.5 or 2 (default 1.5 baudot, 2 ascii)")(
        "teleprinter-data-bits", po::value<std::string>(), "5 (baudot), 7 (ascii default) or 8")(
        "teleprinter-parity", po::value<std::string>(),
        "none, even or odd (default none baudot, even ascii)")(
        "teleprinter-cr-delay", po::value<std::string>(),
        "ascii: milliseconds after CR before the next character, as NUL fill (default 200)")(
        "answerback", po::value<std::string>(),
        "the answer-back sent when the machine asks who-are-you (FIGS D); none: WRU ignored")(
        "teleprinter-filing", po::value<std::string>(),
        "what files a cable typed on the machine: nnnn (a line NNNN, default) or blank-nnnn (a "
        "blank line, then NNNN)")(
        "teleprinter-echo", "print back what is typed (keyboard and printer on separate loops)")(
        "teleprinter-port-baud", po::value<std::string>(),
        "the rate asked of the adapter when it runs the machine's rate under another (an "
        "alias); pacing follows --teleprinter-baud");
}

expected<std::optional<teleprinter_options>, std::string> teleprinter_from(
    const po::variables_map& vm, protocol::code_set code, bool usos) {
    if (!vm.count("teleprinter")) {
        for (const auto* o : setting_options)
            if (vm.count(o)) return fmt::format("--{} needs --teleprinter DEVICE", o);
        return std::optional<teleprinter_options>{};
    }
    teleprinter_options t;
    t.device = value_of(vm, "teleprinter");
    if (t.device.empty() || t.device.front() == '-')
        return std::string{"--teleprinter needs a serial device, e.g. /dev/ttyUSB0"};
    auto mode = teleprinter_mode::baudot;
    if (vm.count("teleprinter-mode")) {
        auto m = parse_teleprinter_mode(value_of(vm, "teleprinter-mode"));
        if (!m) return "--" + m.error();
        mode = m.value();
    }
    t.settings = teleprinter_settings::defaults(mode);
    if (vm.count("teleprinter-baud")) {
        auto b = parse_baud(value_of(vm, "teleprinter-baud"));
        if (!b) return "--teleprinter-baud " + b.error();
        t.settings.baud = b.value();
    }
    if (vm.count("teleprinter-stop-bits")) {
        const auto s = value_of(vm, "teleprinter-stop-bits");
        if (s == "1")
            t.settings.stop_bits = 1;
        else if (s == "1.5")
            t.settings.stop_bits = 1.5;
        else if (s == "2")
            t.settings.stop_bits = 2;
        else
            return fmt::format("--teleprinter-stop-bits must be 1, 1.5 or 2, not '{}'",
                               s.substr(0, 32));
    }
    if (vm.count("teleprinter-data-bits")) {
        auto d = whole_number(value_of(vm, "teleprinter-data-bits"), "teleprinter-data-bits");
        if (!d) return d.error();
        if (d.value() != 5 && d.value() != 7 && d.value() != 8)
            return fmt::format("--teleprinter-data-bits must be 5, 7 or 8, not {}", d.value());
        t.settings.data_bits = d.value();
    }
    if (vm.count("teleprinter-port-baud")) {
        auto b = parse_baud(value_of(vm, "teleprinter-port-baud"));
        if (!b) return "--teleprinter-port-baud " + b.error();
        t.port_baud = b.value();
    }
    t.echo = vm.count("teleprinter-echo") > 0;
    if (vm.count("teleprinter-parity")) {
        auto p = parse_teleprinter_parity(value_of(vm, "teleprinter-parity"));
        if (!p) return "--" + p.error();
        t.settings.parity = p.value();
    }
    if (auto ok = t.settings.validate(); !ok)
        return fmt::format("--teleprinter {} ({}): {}", t.device,
                           teleprinter_mode_name(t.settings.mode), ok.error());
    if (vm.count("teleprinter-cr-delay")) {
        if (mode != teleprinter_mode::ascii)
            return std::string{
                "--teleprinter-cr-delay is for --teleprinter-mode ascii (a "
                "Baudot machine's line end is the codes the line carries)"};
        auto ms = whole_number(value_of(vm, "teleprinter-cr-delay"), "teleprinter-cr-delay");
        if (!ms) return ms.error();
        // An ASR-33's carriage needs about 200 ms; a second is more than any machine.
        if (ms.value() < 0 || ms.value() > 1000)
            return fmt::format("--teleprinter-cr-delay must be 0 to 1000 ms, not {}", ms.value());
        t.cr_delay = std::chrono::milliseconds{ms.value()};
    }
    if (vm.count("answerback")) {
        t.answerback = value_of(vm, "answerback");
        if (t.answerback.empty() || t.answerback.size() > max_answerback)
            return fmt::format("--answerback must be 1 to {} characters", max_answerback);
    }
    if (vm.count("teleprinter-filing")) {
        auto f = parse_teleprinter_filing(value_of(vm, "teleprinter-filing"));
        if (!f) return "--" + f.error();
        t.filing = f.value();
    }
    t.code = code;
    t.usos = usos;
    return std::optional<teleprinter_options>{std::move(t)};
}

teleprinter_feed::teleprinter_feed(teleprinter& machine, options o)
    : machine_(machine),
      options_(std::move(o)),
      decoder_(protocol::decode_options{options_.code, options_.usos}) {}

bool teleprinter_feed::has_room() const {
    // A line's worth of room (a line end, and the fill of an ASCII machine's carriage return).
    constexpr std::size_t line = 512;
    if (options_.only_while_open && !machine_.is_open()) return false;
    return machine_.pending() + line <= options_.max_pending;
}

void teleprinter_feed::new_line() {
    if (machine_.settings().mode == teleprinter_mode::baudot) {
        const std::array<protocol::code, 3> line_end{protocol::codes::cr, protocol::codes::cr,
                                                     protocol::codes::lf};
        machine_.print_codes(line_end);
    } else {
        machine_.print("\n");
    }
    line_start_ = true;
}

void teleprinter_feed::printed(std::string_view cable, std::uint64_t index, protocol::code c) {
    if (!started_ || cable != cable_ || index == 0) {
        // A new stream: its own shift state from its first code (every stream starts with a
        // shift, protocol/teletype/teletype_encoder.hpp), at the start of a line.
        const bool was_left_out = leaving_out_;
        leaving_out_ = !has_room();
        if (was_left_out && !leaving_out_ && options_.log)
            options_.log(fmt::format("teleprinter: printing again from {}", cable));
        if (!leaving_out_) {
            if (cr_held_) machine_.print("\r");
            if (!line_start_) new_line();
        }
        cr_held_ = false;
        decoder_.reset();
        cable_ = std::string{cable};
        started_ = true;
    } else if (!leaving_out_ && !has_room()) {
        leaving_out_ = true;
        if (options_.log)
            options_.log(fmt::format(
                "teleprinter: {} bytes wait for the machine{}: the rest of {} is not printed; it "
                "prints again from the next cable",
                machine_.pending(), machine_.is_open() ? "" : " (not open)", cable));
    }
    if (leaving_out_) return;
    const auto m = decoder_.feed(c);
    if (m.function == protocol::code_function::line_feed) line_start_ = true;
    if (m.function == protocol::code_function::print ||
        m.function == protocol::code_function::space)
        line_start_ = false;
    if (machine_.settings().mode == teleprinter_mode::baudot) {
        const std::array<protocol::code, 1> one{c};
        machine_.print_codes(one);
        return;
    }
    // ASCII: the page copy's characters; BELL rings (ASCII BEL), WRU and the shifts print
    // nothing.
    const auto glyph = protocol::page_copy_text(m, false, true);
    if (glyph.empty()) return;
    if (glyph == "\r") {
        cr_held_ = true;  // CR CR LF is one line end; a CR alone returns the carriage
        return;
    }
    if (glyph == "\n") {
        cr_held_ = false;
        machine_.print("\n");
        return;
    }
    if (cr_held_) {
        cr_held_ = false;
        machine_.print("\r");
    }
    machine_.print(glyph);
}

}  // namespace hakto::terminals
