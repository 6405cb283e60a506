// hakto parse [FILE|-] [--format text|json]
#include <ostream>

#include <fmt/format.h>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/explain/cable_json.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::protocol;

std::string or_unknown(const std::optional<std::string>& s) {
    return s ? *s : "(unknown)";
}

std::string addressee_text(const addressee& a) {
    std::string s = a.address;
    if (a.prec) s += fmt::format("  ({}{})", a.niact ? "NIACT " : "", precedence_name(*a.prec));
    if (a.serial) s += fmt::format("  serial {}", *a.serial);
    return s;
}

std::string joined(const std::vector<std::string>& v, std::string_view sep = ", ") {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : std::string{sep}) + x;
    return s;
}

void describe(const document& doc, std::ostream& os) {
    const auto& c = doc.message;
    auto row = [&](std::string_view name, const std::string& value) {
        os << fmt::format("{:<15}{}\n", name, value);
    };
    if (doc.title) row("title", doc.title->text);
    row("form", std::string{to_string(c.form)});
    for (const auto& p : doc.preamble) row("preamble", p);
    if (c.archive) {
        const auto& a = *c.archive;
        if (a.marking) row("marking", *a.marking);
        if (a.page)
            row("page",
                fmt::format("{} {} {}{}", a.page->number, a.page->post, a.page->telegram_number,
                            a.page->time_group ? " " + *a.page->time_group : std::string{}));
        if (a.distribution) {
            const auto& d = *a.distribution;
            row("distribution",
                fmt::format("{} {}; info {}{}", d.action_kind, d.action.value_or("(none)"),
                            joined(d.info, " "), d.count ? "; count " + *d.count : std::string{}));
        }
        if (a.drafted_by) row("drafted by", *a.drafted_by);
        if (a.approved_by) row("approved by", *a.approved_by);
        for (const auto& cl : a.clearances) row("cleared", cl);
    }
    if (c.routing)
        row("routing", fmt::format("{}  (called {}, calling {}, channel {})",
                                   format_routing_line(*c.routing), c.routing->called,
                                   c.routing->calling, c.routing->channel.value_or("none")));
    else if (c.form == cable_form::radioteletype || c.form == cable_form::acp127)
        row("routing", "(none)");
    std::string prec =
        c.prec ? fmt::format("{} {}", precedence_letter(*c.prec), precedence_name(*c.prec))
               : "(none)";
    if (c.info_prec)
        prec += fmt::format("; info addressees {} {}", precedence_letter(*c.info_prec),
                            precedence_name(*c.info_prec));
    if (c.precedence_words) prec += fmt::format("  (in words: {})", *c.precedence_words);
    row("precedence", prec);
    if (c.date_time_group) {
        const auto& g = *c.date_time_group;
        auto utc = iso8601(g);
        row("dtg", fmt::format("{}{}{}{}", format_dtg(g), utc ? " = " + *utc : std::string{},
                               c.inferred.count("dtg.month") ? "  (month and year inferred)" : "",
                               c.inferred.count("dtg") ? "  (from the title)" : ""));
    } else {
        row("dtg", "(none)");
    }
    if (!c.operating_signals.empty()) row("op. signals", joined(c.operating_signals, " "));
    if (c.date_line) row("date line", *c.date_line);
    row("series", (c.series ? format_series_tag(*c.series) : std::string{"(none)"}) +
                      (c.inferred.count("series.number") ? "  (number from the title)" : ""));
    row("from", or_unknown(c.from) + (c.inferred.count("from") ? "  (from the title)" : ""));
    if (c.to.empty()) row("to", "(unknown)");
    for (const auto& a : c.to)
        row("to", addressee_text(a) + (c.inferred.count("to") ? "  (from the title)" : ""));
    for (const auto& a : c.info) row("info", addressee_text(a));
    if (c.via) row("via", *c.via);
    if (c.message_number) row("message no.", *c.message_number);
    row("classification",
        or_unknown(c.classification) +
            (c.classification_as_written && c.classification_as_written != c.classification
                 ? fmt::format("  (as written: {})", *c.classification_as_written)
                 : std::string{}) +
            (c.inferred.count("classification") ? "  (from the source note)" : ""));
    if (c.telegram) row("telegram", fmt::format("{} {}", c.telegram->post, c.telegram->number));
    if (!c.handling.empty()) row("handling", joined(c.handling));
    for (const auto& i : c.instructions) row("instruction", i);
    if (c.repeat_notice) row("repeat", *c.repeat_notice);
    if (c.eo)
        row("e.o.", fmt::format("{}{}", c.eo->order,
                                c.eo->category ? ": " + *c.eo->category : std::string{}));
    if (!c.tags.empty()) row("tags", joined(c.tags, "; "));
    if (c.subject) row("subject", *c.subject);
    for (const auto& r : c.references) row("reference", r);
    os << "paragraphs\n";
    for (const auto& p : c.paragraphs)
        os << fmt::format("  {:<4}{}\n", p.number ? fmt::format("{}.", *p.number) : "-", p.text);
    row("signoff", or_unknown(c.signoff));
    if (c.signature) row("signature", *c.signature);
    if (doc.covering_memo) {
        const auto& m = *doc.covering_memo;
        os << "memo\n";
        os << fmt::format("  {:<13}{}\n", "date", or_unknown(m.date_text));
        os << fmt::format("  {:<13}{}\n", "for", or_unknown(m.for_));
        os << fmt::format("  {:<13}{}\n", "from", or_unknown(m.from));
        os << fmt::format("  {:<13}{}\n", "subject", or_unknown(m.subject));
        std::size_t b = 0, p = 0;
        for (bool is_bullet : m.body_order) {
            if (is_bullet)
                os << fmt::format("  — {}\n", m.bullets[b++].text);
            else
                os << fmt::format("  {}\n", m.paragraphs[p++]);
        }
    }
    for (const auto& n : doc.notes) os << fmt::format("note {:<10}{}\n", n.number, n.text);
    os << "parts         ";
    for (const auto& part : doc.parts)
        os << fmt::format(" {} (lines {}–{})", to_string(part.kind), part.first_line,
                          part.last_line);
    os << "\n";
}

}  // namespace

int cmd_parse(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "format,f", po::value<std::string>()->default_value("text"),
        "output: text (a summary), json, page (page copy in the cable's own form: radioteletype "
        "header, State telegram, Situation Room, FRUS printed), or acp127 (page copy in the full "
        "ACP "
        "127 envelope)")(
        "as-received",
        "with page: keep the layout the cable was read with and leave out inferred fields")(
        "wrap", po::value<std::size_t>()->default_value(69),
        "with page/acp127: wrap text lines at this column (0: no wrapping)")(
        "input", po::value<std::string>()->default_value("-"),
        "page copy or document to read ('-' for stdin)");
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    auto vm = parse_arguments("parse", "[FILE|-] [--format text|json]", options, positional, args,
                              io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto format = (*vm)["format"].as<std::string>();
    if (format != "text" && format != "json" && format != "page" && format != "acp127") {
        io.err << "hakto parse: --format must be text, json, page or acp127, not '" << format
               << "'\n";
        return exit_usage;
    }
    auto path = (*vm)["input"].as<std::string>();
    auto input = read_input(path, io);
    if (!input) {
        io.err << "hakto parse: " << input.error().message() << "\n";
        return exit_bad_input;
    }
    auto doc = parse_document(input.value());
    auto shown = path == "-" ? std::string{"<stdin>"} : path;
    for (const auto& d : doc.notes_for_reader) io.err << format_diagnostic(shown, d) << "\n";
    if (format == "json") {
        io.out << to_json(doc).dump(2) << "\n";
    } else if (format == "page" || format == "acp127") {
        format_options fo;
        fo.style = format == "page" ? header_style::as_read : header_style::acp127;
        fo.wrap_column = (*vm)["wrap"].as<std::size_t>();
        fo.as_received = vm->count("as-received") > 0;
        io.out << format_cable(doc.message, fo);
    } else {
        describe(doc, io.out);
    }
    return has_errors(doc.notes_for_reader) ? exit_bad_input : exit_ok;
}

}  // namespace hakto::terminals
