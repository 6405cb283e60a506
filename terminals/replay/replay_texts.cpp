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
    std::vector<frus_document> supplied;
    for (const auto& f : options.frus_files) {
        auto docs = import_frus_file(f);
        if (!docs) {
            warnings.push_back(fmt::format("--frus {}: {}", f, docs.error().message));
            continue;
        }
        for (auto& d : docs.value()) supplied.push_back(std::move(d));
    }

    for (const auto& spec : chosen) {
        std::optional<std::string> text;
        std::string source;
        if (spec.text) {
            text = spec.text;
            source = spec.note.empty() ? std::string{"the scenario"} : spec.note;
        } else if (spec.frus_document) {
            auto bundled = bundled_document(*spec.frus_document);
            auto found =
                std::find_if(supplied.begin(), supplied.end(),
                             [&](const frus_document& d) { return d.id == *spec.frus_document; });
            if (!bundled.empty()) {
                text = std::string{bundled};
                source = fmt::format("bundled (FRUS E-13 doc {})", spec.frus_document->substr(1));
            } else if (found != supplied.end()) {
                text = found->published_text;
                source = fmt::format("{} doc {}", found->file, found->id);
            }
        }
        if (!text)
            warnings.push_back(fmt::format(
                "{}: text not supplied (FRUS E-13 doc {}); its header and timing run with a "
                "marked line. Give the FRUS TEI file with --frus.",
                spec.id, spec.frus_document.value_or("?")));
        auto rc =
            make_replay_cable(spec, std::move(text), std::move(source), options.code, options.usos);
        if (!rc) return rc.error();
        out.cables.push_back(std::move(rc.value()));
    }
    return out;
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
        auto stand_in = spec.header.value_or(spec.id + "\n") + "\n" + marked_body(spec) + "\n";
        rc.source = protocol::parse_document(stand_in);
        rc.source_description = "not supplied: header only, with a marked line";
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
