#include "terminals/replay/replay_texts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/cable_tape.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_encoder.hpp"
#include "protocol/text/text_util.hpp"
#include "terminals/frus/bundled.hpp"
#include "terminals/frus/frus_import.hpp"

namespace hakto::terminals {

expected<scenario_cables, replay_error> prepare_cables(const replay_options& options,
                                                       std::vector<std::string>& warnings) {
    auto sc = options.scenario_object
                  ? expected<sim::scenario, sim::scenario_errors>{*options.scenario_object}
                  : sim::load_named_scenario(options.scenario);
    if (!sc) {
        std::string m;
        for (const auto& err : sc.error()) m += (m.empty() ? "" : "\n") + err.to_string();
        return replay_error{m};
    }
    scenario_cables out;
    out.scenario = std::move(sc.value());
    auto& scn = out.scenario;
    if (options.seed)
        for (auto& c : scn.circuits)
            if (c.noise) c.noise->seed ^= *options.seed * 0x9E3779B97F4A7C15ull;
    for (auto& c : scn.circuits) {
        c.code = options.code;
        c.usos = options.usos;
    }

    // Which cables, in filing order.
    std::vector<sim::cable_spec> chosen;
    for (const auto& c : scn.cables)
        if (options.cables.empty() ||
            std::find(options.cables.begin(), options.cables.end(), c.id) != options.cables.end())
            chosen.push_back(c);
    for (const auto& want : options.cables)
        if (std::none_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.id == want; }))
            return replay_error{fmt::format("scenario '{}' has no cable '{}'", scn.name, want)};
    std::stable_sort(chosen.begin(), chosen.end(),
                     [](const auto& a, const auto& b) { return a.filed < b.filed; });

    // FRUS texts the user supplied: each file read once; problems are warnings, not fatal.
    auto supplied = read_supplied_texts(options.frus_files, warnings);

    for (const auto& spec : chosen) {
        std::optional<std::string> text;
        std::string source;
        if (auto found = find_text(spec, supplied)) {
            text = std::move(found->text);
            source = std::move(found->source);
        }
        if (!text)
            warnings.push_back(fmt::format(
                "{}: text not supplied (FRUS E-13 doc {}); its header and timing run without "
                "it, with a caption for visitors. Run 'hakto frus fetch', or give the TEI file "
                "with --frus.",
                spec.id, spec.frus_document ? spec.frus_document->substr(1) : "?"));
        auto rc =
            make_replay_cable(spec, std::move(text), std::move(source), options.code, options.usos);
        if (!rc) return rc.error();
        out.cables.push_back(std::move(rc.value()));
    }
    return out;
}

std::vector<frus_document> read_supplied_texts(const std::vector<std::string>& frus_files,
                                               std::vector<std::string>& warnings) {
    std::vector<frus_document> supplied;
    for (const auto& f : frus_files) {
        auto docs = import_frus_file(f);
        if (!docs) {
            warnings.push_back(fmt::format("--frus {}: {}", f, docs.error().message));
            continue;
        }
        for (auto& d : docs.value()) supplied.push_back(std::move(d));
    }
    return supplied;
}

std::optional<found_text> find_text(const sim::cable_spec& spec,
                                    const std::vector<frus_document>& supplied) {
    if (spec.text)
        return found_text{*spec.text, spec.note.empty() ? std::string{"the scenario"} : spec.note};
    if (!spec.frus_document) return std::nullopt;
    if (auto bundled = bundled_document(*spec.frus_document); !bundled.empty())
        return found_text{std::string{bundled},
                          fmt::format("bundled (FRUS E-13 doc {})", spec.frus_document->substr(1))};
    auto found = std::find_if(supplied.begin(), supplied.end(),
                              [&](const frus_document& d) { return d.id == *spec.frus_document; });
    if (found == supplied.end()) return std::nullopt;
    return found_text{found->published_text, fmt::format("{} doc {}", found->file, found->id)};
}

std::string absent_text_caption(const sim::cable_spec& spec) {
    if (!spec.frus_document)
        return fmt::format(
            "Only the header of {} is shown here: the exhibit does not hold its text.", spec.id);
    auto number = spec.frus_document->size() > 1 ? spec.frus_document->substr(1) : "?";
    // The published source of the June 1972 backchannel cables: FRUS 1969-1976, vol. E-13.
    return fmt::format(
        "The text of {} is published by the U.S. Department of State in Foreign Relations of "
        "the United States, 1969-1976, Volume E-13, Document {}. This replay has not been "
        "given the published text, so it shows only the cable's header, sent at its real time "
        "over the same circuits.",
        spec.id, number);
}

expected<replay_cable, replay_error> make_replay_cable(const sim::cable_spec& spec,
                                                       std::optional<std::string> text,
                                                       std::string source_description,
                                                       protocol::code_set code, bool usos) {
    replay_cable rc;
    rc.spec = spec;
    rc.source_description = std::move(source_description);
    if (text) {
        rc.source = protocol::parse_document(*text);
        rc.text_supplied = true;
        if (rc.source.covering_memo) rc.historical_memo = rc.source.covering_memo;
    } else {
        // The header as printed, and nothing where the text would be: the tape carries what
        // hakto has, never a stand-in that visitors would read as part of the cable.
        rc.source = protocol::parse_document(spec.header.value_or(spec.id + "\n"));
        rc.source_description = "not supplied: header only";
        rc.caption = absent_text_caption(spec);
    }
    protocol::format_options fo;
    fo.as_received = true;    // the headers as they were printed
    fo.archive_head = false;  // a State telegram as it was sent, not the archive's page
    fo.style = protocol::header_style::as_read;
    rc.page_copy = protocol::wrap_text(protocol::format_cable(rc.source.message, fo), 69);
    protocol::encode_options eo{code, usos, false};
    auto codes = protocol::encode(protocol::to_page_copy_line_ends(rc.page_copy), eo);
    if (!codes) return replay_error{fmt::format("{}: {}", spec.id, codes.error().message())};
    rc.codes = std::move(codes.value().codes);
    return rc;
}

}  // namespace hakto::terminals
