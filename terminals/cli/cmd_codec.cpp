// hakto encode / hakto decode: text ↔ 5-bit teletype codes, as hex, raw bytes (one code per
// byte) or a picture of the 5-level tape.
#include <ostream>

#include <fmt/format.h>

#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/tape.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "terminals/cli/cli_options.hpp"
#include "terminals/cli/cli_support.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::protocol;

std::string hex_lines(const std::vector<code>& codes) {
    std::string out;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        out += fmt::format("{:02X}", codes[i]);
        out += (i + 1) % 16 == 0 || i + 1 == codes.size() ? '\n' : ' ';
    }
    return out;
}

}  // namespace

int cmd_encode(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "input", po::value<std::string>()->default_value("-"), "text to encode ('-' for stdin)")(
        "text,t", po::value<std::string>(), "encode this text instead of a file")(
        "usos", "unshift on space: send FIGS again after a space inside figures")(
        "output,o", po::value<std::string>()->default_value("hex"),
        "hex, raw (one code per byte) or tape (a picture)")(
        "lenient", "substitute characters the code lacks (reported) instead of failing")(
        "wrap", po::value<std::size_t>()->default_value(0),
        "wrap lines at this column first (0: no wrapping)")(
        "raw-line-ends", "send a newline as LF alone instead of the page-copy CR CR LF")(
        "unicode", "with --output tape: draw holes as ● and the feed hole as ·");
    add_code_option(options);
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm = parse_arguments(
        "encode", "[FILE|-|--text TEXT] [--code ustty|ita2] [--usos] [--output hex|raw|tape]",
        options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto set = code_option(*vm);
    auto output = (*vm)["output"].as<std::string>();
    if (!set) {
        io.err << "hakto encode: " << set.error() << "\n";
        return exit_usage;
    }
    if (output != "hex" && output != "raw" && output != "tape") {
        io.err << "hakto encode: --output must be hex, raw or tape\n";
        return exit_usage;
    }
    auto read = read_text_or_input(*vm, io);
    if (!read) {
        io.err << "hakto encode: " << read.error().message() << "\n";
        return exit_bad_input;
    }
    std::string text = std::move(read.value().text);
    const std::string shown = std::move(read.value().shown);
    if (auto wrap = (*vm)["wrap"].as<std::size_t>(); wrap > 0) text = wrap_text(text, wrap);
    if (!vm->count("raw-line-ends")) text = to_page_copy_line_ends(text);
    encode_options eo{set.value(), vm->count("usos") > 0, vm->count("lenient") == 0};
    auto result = encode(text, eo);
    if (!result) {
        for (const auto& u : result.error().characters)
            io.err << fmt::format("{}:{}:{}: error [unencodable] {} is not in {}\n", shown,
                                  u.where.line, u.where.column, describe_character(u.character),
                                  code_set_name(set.value()));
        io.err << "hakto encode: nothing written; --lenient substitutes such characters\n";
        return exit_bad_input;
    }
    for (const auto& s : result.value().substitutions)
        io.err << fmt::format("{}:{}:{}: warning [substituted] {} sent as '{}'\n", shown,
                              s.where.line, s.where.column, describe_character(s.original),
                              s.replacement);
    const auto& codes = result.value().codes;
    if (output == "hex") {
        io.out << hex_lines(codes);
    } else if (output == "raw") {
        io.out.write(reinterpret_cast<const char*>(codes.data()),
                     static_cast<std::streamsize>(codes.size()));
    } else {
        tape_options to;
        to.set = set.value();
        to.usos = eo.usos;
        to.unicode = vm->count("unicode") > 0;
        io.out << render_tape(codes, to);
    }
    return exit_ok;
}

int cmd_decode(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "input", po::value<std::string>()->default_value("-"), "codes to decode ('-' for stdin)")(
        "usos", "unshift on space: a space returns the printer to LETTERS")(
        "format,f", po::value<std::string>()->default_value("hex"), "input form: hex, raw or tape")(
        "raw-line-ends", "print CR and LF as they come instead of ending lines at CR CR LF");
    add_code_option(options, "code set: ustty or ita2");
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm =
        parse_arguments("decode", "[FILE|-] [--format hex|raw|tape] [--code ustty|ita2] [--usos]",
                        options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto set = code_option(*vm);
    auto form = (*vm)["format"].as<std::string>();
    if (!set) {
        io.err << "hakto decode: " << set.error() << "\n";
        return exit_usage;
    }
    if (form != "hex" && form != "raw" && form != "tape") {
        io.err << "hakto decode: --format must be hex, raw or tape\n";
        return exit_usage;
    }
    auto path = (*vm)["input"].as<std::string>();
    auto shown = path == "-" ? std::string{"<stdin>"} : path;
    auto in = read_input(path, io);
    if (!in) {
        io.err << "hakto decode: " << in.error().message() << "\n";
        return exit_bad_input;
    }
    std::vector<code> codes;
    if (form == "hex") {
        auto r = read_hex_codes(in.value());
        if (!r) {
            io.err << fmt::format("{}:{}:{}: error [hex] {}\n", shown, r.error().where.line,
                                  r.error().where.column, r.error().reason);
            return exit_bad_input;
        }
        codes = std::move(r.value());
    } else if (form == "tape") {
        auto r = parse_tape(in.value());
        if (!r) {
            io.err << "hakto decode: " << shown << ": " << r.error().message() << "\n";
            return exit_bad_input;
        }
        codes = std::move(r.value());
    } else {
        codes.assign(in.value().begin(), in.value().end());
    }
    decode_options dop{set.value(), vm->count("usos") > 0};
    auto text = decode_checked(codes, dop);
    if (!text) {
        io.err << "hakto decode: " << shown << ": " << text.error().message() << "\n";
        return exit_bad_input;
    }
    io.out << (vm->count("raw-line-ends") ? text.value() : from_page_copy_line_ends(text.value()));
    return exit_ok;
}

}  // namespace hakto::terminals
