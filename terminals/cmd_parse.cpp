// hakto parse [FILE|-] [--format text|json]
#include <ostream>

#include <fmt/format.h>

#include "protocol/cable_formatter.hpp"
#include "protocol/cable_parser.hpp"
#include "terminals/cable_json.hpp"
#include "terminals/cli_support.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::protocol;

std::string or_unknown(const std::optional<std::string>& s) { return s ? *s : "(unknown)"; }

void describe(const document& doc, std::ostream& os) {
    const auto& c = doc.message;
    if (doc.title) os << fmt::format("{:<15}{}\n", "title", doc.title->text);
    if (c.routing)
        os << fmt::format("{:<15}{}  (called {}, calling {}, channel {})\n", "routing", format_routing_line(*c.routing),
                          c.routing->called, c.routing->calling, c.routing->channel.value_or("none"));
    else
        os << fmt::format("{:<15}(none)\n", "routing");
    os << fmt::format("{:<15}{}\n", "precedence",
                      c.prec ? fmt::format("{} {}", precedence_letter(*c.prec), precedence_name(*c.prec)) : "(none)");
    if (c.date_time_group) {
        const auto& g = *c.date_time_group;
        auto utc = iso8601(g);
        os << fmt::format("{:<15}{}{}{}\n", "dtg", format_dtg(g), utc ? " = " + *utc : std::string{},
                          c.inferred.count("dtg.month") ? "  (month and year inferred)" : "");
    } else {
        os << fmt::format("{:<15}(none)\n", "dtg");
    }
    if (c.date_line) os << fmt::format("{:<15}{}\n", "date line", *c.date_line);
    os << fmt::format("{:<15}{}{}\n", "series", c.series ? format_series_tag(*c.series) : "(none)",
                      c.inferred.count("series.number") ? "  (number from the title)" : "");
    os << fmt::format("{:<15}{}\n", "from", or_unknown(c.from));
    os << fmt::format("{:<15}{}\n", "to", or_unknown(c.to));
    for (const auto& i : c.info) os << fmt::format("{:<15}{}\n", "info", i);
    os << fmt::format("{:<15}{}{}\n", "classification", or_unknown(c.classification),
                      c.inferred.count("classification") ? "  (from the source note)" : "");
    os << "paragraphs\n";
    for (const auto& p : c.paragraphs)
        os << fmt::format("  {:<4}{}\n", p.number ? fmt::format("{}.", *p.number) : "-", p.text);
    os << fmt::format("{:<15}{}\n", "signoff", or_unknown(c.signoff));
    if (doc.covering_memo) {
        const auto& m = *doc.covering_memo;
        os << "memo\n";
        os << fmt::format("  {:<13}{}\n", "date", or_unknown(m.date_text));
        os << fmt::format("  {:<13}{}\n", "for", or_unknown(m.for_));
        os << fmt::format("  {:<13}{}\n", "from", or_unknown(m.from));
        os << fmt::format("  {:<13}{}\n", "subject", or_unknown(m.subject));
        std::size_t b = 0, p = 0;
        for (bool is_bullet : m.body_order) {
            if (is_bullet) os << fmt::format("  — {}\n", m.bullets[b++].text);
            else os << fmt::format("  {}\n", m.paragraphs[p++]);
        }
    }
    for (const auto& n : doc.notes) os << fmt::format("note {:<10}{}\n", n.number, n.text);
    os << "parts         ";
    for (const auto& part : doc.parts) os << fmt::format(" {} (lines {}–{})", to_string(part.kind), part.first_line, part.last_line);
    os << "\n";
}

}  // namespace

int cmd_parse(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "format,f", po::value<std::string>()->default_value("text"),
        "output: text (a summary), json, page (page copy, abbreviated header) or acp127 (page copy in "
        "the full ACP 127 envelope)")(
        "as-received", "with page: keep the layout the cable was read with and leave out inferred fields")(
        "wrap", po::value<std::size_t>()->default_value(69), "with page/acp127: wrap text lines at this column (0: no wrapping)")(
        "input", po::value<std::string>()->default_value("-"), "page copy or document to read ('-' for stdin)");
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm = parse_arguments("parse", "[FILE|-] [--format text|json]", options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto format = (*vm)["format"].as<std::string>();
    if (format != "text" && format != "json" && format != "page" && format != "acp127") {
        io.err << "hakto parse: --format must be text, json, page or acp127, not '" << format << "'\n";
        return exit_usage;
    }
    auto path = (*vm)["input"].as<std::string>();
    auto input = read_input(path, io);
    if (!input) {
        io.err << "hakto parse: " << input.error().message << "\n";
        return exit_bad_input;
    }
    auto doc = parse_document(input.value());
    auto shown = path == "-" ? std::string{"<stdin>"} : path;
    for (const auto& d : doc.notes_for_reader) io.err << format_diagnostic(shown, d) << "\n";
    if (format == "json") {
        io.out << to_json(doc).dump(2) << "\n";
    } else if (format == "page" || format == "acp127") {
        format_options fo;
        fo.style = format == "page" ? header_style::abbreviated : header_style::acp127;
        fo.wrap_column = (*vm)["wrap"].as<std::size_t>();
        fo.as_received = vm->count("as-received") > 0;
        io.out << format_cable(doc.message, fo);
    } else {
        describe(doc, io.out);
    }
    return has_errors(doc.notes_for_reader) ? exit_bad_input : exit_ok;
}

}  // namespace hakto::terminals
