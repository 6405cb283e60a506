// hakto import-frus FILE... [--doc dNNN]... [--all] [--format text|json|document]
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "protocol/cable/cable_formatter.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/explain/cable_json.hpp"
#include "terminals/frus/frus_import.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::protocol;
using json = nlohmann::ordered_json;

template <class T>
json opt(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

std::string or_none(const std::optional<std::string>& s) {
    return s ? *s : "(none)";
}

void summarise(const frus_document& d, std::ostream& os) {
    const auto& c = d.parsed.message;
    os << fmt::format("{} ({})\n", d.id, d.file);
    os << fmt::format("  {:<16}{}\n", "title", d.title.empty() ? "(none)" : d.title);
    os << fmt::format("  {:<16}{}\n", "series", d.series ? format_series_tag(*d.series) : "(none)");
    os << fmt::format("  {:<16}{}\n", "recognised by", to_string(d.recognised_by));
    if (d.dateline)
        os << fmt::format("  {:<16}{}, {}\n", "dateline", d.dateline->place.value_or("(no place)"),
                          d.dateline->when.value_or(d.dateline->text));
    else
        os << fmt::format("  {:<16}(none)\n", "dateline");
    os << fmt::format("  {:<16}{}\n", "routing",
                      c.routing ? format_routing_line(*c.routing) : "(none)");
    os << fmt::format(
        "  {:<16}{}\n", "precedence",
        c.prec ? fmt::format("{} {}", precedence_letter(*c.prec), precedence_name(*c.prec))
               : "(none)");
    if (c.date_time_group) {
        auto utc = iso8601(*c.date_time_group);
        os << fmt::format("  {:<16}{}{}{}\n", "dtg", format_dtg(*c.date_time_group),
                          utc ? " = " + *utc : std::string{},
                          c.inferred.count("dtg.month") ? "  (month and year inferred)" : "");
    } else {
        os << fmt::format("  {:<16}(none)\n", "dtg");
    }
    os << fmt::format("  {:<16}{}\n", "cable series",
                      c.series ? format_series_tag(*c.series) : "(none)");
    os << fmt::format("  {:<16}{}\n", "from", or_none(c.from));
    os << fmt::format("  {:<16}{}\n", "to", or_none(first_addressee(c)));
    os << fmt::format("  {:<16}{}\n", "classification", or_none(c.classification));
    os << fmt::format("  {:<16}{}\n", "paragraphs", c.paragraphs.size());
    os << fmt::format("  {:<16}{}\n", "signoff", or_none(c.signoff));
    if (d.parsed.covering_memo)
        os << fmt::format("  {:<16}{}\n", "memo subject", or_none(d.parsed.covering_memo->subject));
    else
        os << fmt::format("  {:<16}(no covering memorandum)\n", "memo subject");
    os << fmt::format("  {:<16}{} from the import, {} from the parser\n", "diagnostics",
                      d.import_diagnostics.size(), d.parsed.notes_for_reader.size());
}

json frus_json(const frus_document& d) {
    json f;
    f["id"] = d.id;
    f["number"] = opt(d.number);
    f["title"] = d.title;
    f["series"] = d.series ? json{{"name", d.series->name},
                                  {"number", opt(d.series->number)},
                                  {"second_serial", opt(d.series->second_serial)}}
                           : json(nullptr);
    f["dateline"] = d.dateline ? json{{"place", opt(d.dateline->place)},
                                      {"when", opt(d.dateline->when)},
                                      {"text", d.dateline->text}}
                               : json(nullptr);
    f["source_note"] = opt(d.source_note);
    f["summary"] = opt(d.summary);
    f["file"] = d.file;
    f["recognised_by"] = std::string{to_string(d.recognised_by)};
    f["covering_memo"] = d.has_covering_memo;
    return f;
}

/// "FILE: doc d140: 12:5: note [code] message"; `where` says which text the place is in.
std::string diagnostic_line(const frus_document& d, std::string_view where, const diagnostic& g) {
    std::string place;
    if (g.where.line != 0) {
        place = fmt::format("{}{}", where, g.where.line);
        if (g.where.column != 0) place += fmt::format(":{}", g.where.column);
        place += ": ";
    }
    return fmt::format("{}: doc {}: {}{} [{}] {}", d.file, d.id, place, to_string(g.level), g.code,
                       g.message);
}

}  // namespace

int cmd_import_frus(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "doc,d", po::value<std::vector<std::string>>()->composing(),
        "only this document: an id (d140), a number (140) or a series tag (\"HAKTO 7\"); "
        "repeatable")("all,a", "every document, not only the backchannel ones")(
        "format,f", po::value<std::string>()->default_value("text"),
        "output: text (a summary per document), json, or document (the text as published, for "
        "hakto parse)")("input", po::value<std::vector<std::string>>(),
                        "FRUS TEI XML files ('-' for stdin)");
    po::positional_options_description positional;
    positional.add("input", -1);
    bool help = false;
    const std::string_view synopsis =
        "FILE... [--doc dNNN]... [--all] [--format text|json|document]";
    auto vm = parse_arguments("import-frus", synopsis, options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto format = (*vm)["format"].as<std::string>();
    if (format != "text" && format != "json" && format != "document") {
        io.err << "hakto import-frus: --format must be text, json or document, not '" << format
               << "'\n";
        return exit_usage;
    }
    if (!vm->count("input")) {
        io.err << "hakto import-frus: no FILE given\nusage: hakto import-frus " << synopsis << "\n";
        return exit_usage;
    }
    auto files = (*vm)["input"].as<std::vector<std::string>>();
    std::vector<std::string> wanted;
    if (vm->count("doc")) wanted = (*vm)["doc"].as<std::vector<std::string>>();

    frus_import_options opts;
    opts.all_documents = vm->count("all") > 0 || !wanted.empty();
    std::vector<frus_document> docs;
    std::vector<std::string> shown_files;
    for (const auto& path : files) {
        auto shown = path == "-" ? std::string{"<stdin>"} : path;
        shown_files.push_back(shown);
        auto input = read_input(path, io);
        if (!input) {
            io.err << "hakto import-frus: " << input.error().message() << "\n";
            return exit_bad_input;
        }
        auto imported = import_frus(input.value(), shown, opts);
        if (!imported) {
            io.err << "hakto import-frus: " << imported.error().message << "\n";
            return exit_bad_input;
        }
        for (auto& d : imported.value()) docs.push_back(std::move(d));
    }
    if (!wanted.empty()) {
        std::vector<frus_document> chosen;
        for (const auto& w : wanted) {
            auto at = locate_frus_document(docs, w, shown_files);
            if (!at) {
                io.err << "hakto import-frus: " << at.error().message << "\n";
                return exit_bad_input;
            }
            chosen.push_back(docs[at.value()]);
        }
        docs = std::move(chosen);
    }
    if (docs.empty()) {
        std::string names;
        for (const auto& f : shown_files) names += (names.empty() ? "" : ", ") + f;
        io.err << "hakto import-frus: no backchannel documents in " << names
               << " (--all lists every document)\n";
    }

    for (const auto& d : docs) {
        for (const auto& g : d.import_diagnostics) io.err << diagnostic_line(d, "", g) << "\n";
        for (const auto& g : d.parsed.notes_for_reader)
            io.err << diagnostic_line(d, "text ", g) << "\n";
    }
    // Everything is read before anything is written: a bad file leaves no partial output.
    std::ostringstream out;
    if (format == "json") {
        json all = json::array();
        for (const auto& d : docs) {
            json j = to_json(d.parsed);
            j["frus"] = frus_json(d);
            json diags = json::array();
            for (const auto& g : d.import_diagnostics) diags.push_back(to_json(g));
            j["import_diagnostics"] = diags;
            all.push_back(std::move(j));
        }
        out << all.dump(2) << "\n";
    } else if (format == "document") {
        bool first = true;
        for (const auto& d : docs) {
            if (!first) out << "\n";
            first = false;
            out << d.published_text;
        }
    } else {
        bool first = true;
        for (const auto& d : docs) {
            if (!first) out << "\n";
            first = false;
            summarise(d, out);
        }
    }
    io.out << out.str();
    return exit_ok;
}

}  // namespace hakto::terminals
