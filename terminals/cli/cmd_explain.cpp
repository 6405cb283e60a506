// hakto explain [FILE|-] [--doc dNNN]... [--format text|json] [--wrap N] [--color
// auto|always|never]
#include <unistd.h>

#include <iostream>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/text/text_util.hpp"
#include "terminals/cli/cli_support.hpp"
#include "terminals/explain/explain.hpp"
#include "terminals/frus/bundled.hpp"
#include "terminals/frus/frus_import.hpp"

namespace hakto::terminals {
namespace {

using namespace hakto::protocol;

/// A TEI file starts with markup; page copy never does.
bool looks_like_xml(std::string_view s) {
    auto t = trim(s.substr(0, std::min<std::size_t>(s.size(), 512)));
    if (t.rfind("\xEF\xBB\xBF", 0) == 0) t = trim(t.substr(3));
    return !t.empty() && t.front() == '<';
}

}  // namespace

int cmd_explain(const std::vector<std::string>& args, cli_io io) {
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "format,f", po::value<std::string>()->default_value("text"),
        "output: text (each line of the cable, its notes under it) or json")(
        "wrap,w", po::value<std::size_t>()->default_value(78),
        "wrap text output at this column (0: no wrapping)")(
        "color", po::value<std::string>()->default_value("auto"),
        "colours in text output: auto (on a terminal), always or never")(
        "doc,d", po::value<std::vector<std::string>>()->composing(),
        "with a FRUS TEI file: only this document, an id (d143), a number (143) or a series tag "
        "(\"HAKTO 12\"); "
        "repeatable")("input", po::value<std::string>(),
                      "page copy, a published document or a FRUS TEI XML file ('-' for stdin); "
                      "default: the bundled HAKTO 12, or with --doc the volume 'hakto frus "
                      "fetch' stored");
    po::positional_options_description positional;
    positional.add("input", 1);
    bool help = false;
    const std::string_view synopsis =
        "[FILE|-] [--doc dNNN]... [--format text|json] [--wrap N] [--color auto|always|never]";
    auto vm = parse_arguments("explain", synopsis, options, positional, args, io, help);
    if (!vm) return exit_usage;
    if (help) return exit_ok;
    auto format = (*vm)["format"].as<std::string>();
    if (format != "text" && format != "json") {
        io.err << "hakto explain: --format must be text or json, not '" << format << "'\n";
        return exit_usage;
    }
    auto colour = (*vm)["color"].as<std::string>();
    if (colour != "auto" && colour != "always" && colour != "never") {
        io.err << "hakto explain: --color must be auto, always or never, not '" << colour << "'\n";
        return exit_usage;
    }
    std::vector<std::string> wanted;
    if (vm->count("doc")) wanted = (*vm)["doc"].as<std::vector<std::string>>();

    std::string input, shown;
    if (vm->count("input")) {
        auto path = (*vm)["input"].as<std::string>();
        shown = path == "-" ? std::string{"<stdin>"} : path;
        auto read = read_input(path, io);
        if (!read) {
            io.err << "hakto explain: " << read.error().message() << "\n";
            return exit_bad_input;
        }
        input = std::move(read.value());
    } else if (!wanted.empty()) {
        // --doc without a file: the E-13 volume `hakto frus fetch` stored (docs/frus-import.md).
        auto files = default_frus_files();
        if (files.empty()) {
            io.err << "hakto explain: --doc chooses from a FRUS TEI file: give one, or run 'hakto "
                      "frus fetch' to store the E-13 volume\n";
            return exit_usage;
        }
        shown = files.front();
        auto read = read_input(shown, io);
        if (!read) {
            io.err << "hakto explain: " << read.error().message() << "\n";
            return exit_bad_input;
        }
        input = std::move(read.value());
    } else {
        // FRUS 1969-1976 vol. E-13 doc 143, as published (terminals/frus/data/hakto12.txt).
        input = std::string{bundled_document("d143")};
        shown = "hakto12.txt (bundled: FRUS E-13 doc 143, HAKTO 12)";
    }

    std::vector<walkthrough> walks;
    bool failed = false;
    if (looks_like_xml(input)) {
        frus_import_options opts;
        opts.all_documents = !wanted.empty();
        auto imported = import_frus(input, shown, opts);
        if (!imported) {
            io.err << "hakto explain: " << imported.error().message << "\n";
            return exit_bad_input;
        }
        auto& docs = imported.value();
        std::vector<const frus_document*> chosen;
        for (const auto& w : wanted) {
            auto at = locate_frus_document(docs, w, {shown});
            if (!at) {
                io.err << "hakto explain: " << at.error().message << "\n";
                return exit_bad_input;
            }
            chosen.push_back(&docs[at.value()]);
        }
        if (wanted.empty())
            for (const auto& d : docs) chosen.push_back(&d);
        if (chosen.empty()) {
            io.err << "hakto explain: " << shown
                   << ": no backchannel documents (give one with --doc)\n";
            return exit_bad_input;
        }
        for (const auto* d : chosen) {
            if (has_errors(d->parsed.notes_for_reader)) {
                for (const auto& g : d->parsed.notes_for_reader)
                    io.err << format_diagnostic(fmt::format("{} doc {} text", shown, d->id), g)
                           << "\n";
                failed = true;
                continue;
            }
            auto w = explain_document(fmt::format("{} doc {}", shown, d->id), d->published_text,
                                      d->parsed);
            w.import_diagnostics = d->import_diagnostics;
            walks.push_back(std::move(w));
        }
    } else {
        if (!wanted.empty()) {
            io.err << "hakto explain: --doc applies to a FRUS TEI XML file; " << shown
                   << " is not one\n";
            return exit_usage;
        }
        auto doc = parse_document(input);
        if (has_errors(doc.notes_for_reader)) {
            for (const auto& g : doc.notes_for_reader)
                io.err << format_diagnostic(shown, g) << "\n";
            failed = true;
        } else {
            walks.push_back(explain_document(shown, input, doc));
        }
    }
    // Nothing is written unless everything could be explained.
    if (failed) return exit_bad_input;

    if (format == "json") {
        nlohmann::ordered_json j;
        j["walkthroughs"] = nlohmann::ordered_json::array();
        for (const auto& w : walks) j["walkthroughs"].push_back(to_json(w));
        j["table"] = explain_table_json();
        io.out << j.dump(2) << "\n";
    } else {
        explain_render_options ro;
        ro.wrap = (*vm)["wrap"].as<std::size_t>();
        ro.colour = colour == "always" ||
                    (colour == "auto" && &io.out == &std::cout && isatty(STDOUT_FILENO));
        io.out << render_walkthroughs(walks, builtin_explain_table(), ro);
    }
    return exit_ok;
}

}  // namespace hakto::terminals
