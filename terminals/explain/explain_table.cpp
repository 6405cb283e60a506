// The table of explanations: terminals/explain/data/elements.toml (through sim/io/toml_reader)
// into explain_table, each problem with its file, line, column and field; the elements the
// walkthrough knows; the table as JSON for the exhibit.
#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "protocol/text/text_template.hpp"
#include "sim/io/embedded.hpp"
#include "sim/io/toml_reader.hpp"
#include "terminals/explain/explain.hpp"
#include "terminals/explain/explain_walker.hpp"

namespace hakto::terminals {
namespace detail {
extern const embedded_file builtin_explain_files[];
extern const std::size_t builtin_explain_files_count;
}  // namespace detail

using json = nlohmann::ordered_json;

const explain_element* explain_table::find(std::string_view id) const {
    for (const auto& e : elements)
        if (e.id == id) return &e;
    return nullptr;
}

const explain_source* explain_table::source(std::string_view key) const {
    for (const auto& s : sources)
        if (s.key == key) return &s;
    return nullptr;
}

std::string explain_table_error::to_string() const {
    return sim::to_string(problems);
}

const std::vector<std::pair<std::string_view, std::string_view>>& explain_contexts() {
    static const std::vector<std::pair<std::string_view, std::string_view>> contexts = {
        {"june1972", "the HAKTO/TOHAK cables of Kissinger's June 1972 Beijing trip (FRUS E-13)"},
        {"frus", "documents as FRUS prints them (a title, source notes)"},
        {"state", "Department of State telegrams as archived"},
        {"sitroom", "the White House Situation Room form"},
    };
    return contexts;
}

const std::vector<explain_element_spec>& explain_element_specs() {
    static const std::vector<explain_element_spec> specs = {
        {"title", {"number", "series", "dateline"}},
        {"page_marker", {"page"}},
        {"covering_marker", {}},
        {"preamble", {}},
        {"routing", {}},
        {"routing.called", {"called"}},
        {"routing.de", {}},
        {"routing.calling", {"station", "channel"}},
        {"routing.slashed_zero", {}},
        {"precedence", {"letter", "name", "objective"}},
        {"precedence.none", {}},
        {"precedence.info", {"letter", "name"}},
        {"precedence.words", {"prosigns", "words", "name"}},
        {"operating_signal", {"signal"}},
        {"dtg", {"day", "hour", "minute", "zone", "utc"}},
        {"dtg.zone", {"zone", "offset", "beijing", "washington"}},
        {"dtg.month_year", {"month", "year"}},
        {"dtg.no_month_year", {}},
        {"dtg.year_garbled", {"printed"}},
        {"date_line", {"date"}},
        {"to", {"address"}},
        {"from", {"address"}},
        {"info", {"address"}},
        {"addressee.precedence", {"word", "name", "objective"}},
        {"addressee.niact", {}},
        {"addressee.serial", {"serial", "address"}},
        {"via", {"via"}},
        {"message_number", {"number"}},
        {"series.hakto", {"name", "number", "reply"}},
        {"series.tohak", {"name", "number", "reply"}},
        {"series.secto", {"name", "number", "reply"}},
        {"series.other", {"name", "number", "reply"}},
        {"series.no_number", {"name"}},
        {"classification", {"classification"}},
        {"classification.spaced", {"classification"}},
        {"classification_reference", {"classification", "post", "number"}},
        {"archive.marking", {"marking"}},
        {"archive.page", {"page", "post", "number", "time"}},
        {"archive.page_break", {}},
        {"archive.number", {"number"}},
        {"archive.distribution", {"kind", "office"}},
        {"archive.distribution_info", {"offices"}},
        {"archive.distribution_count", {"count"}},
        {"archive.drafted_by", {"value"}},
        {"archive.approved_by", {"value"}},
        {"archive.clearance", {"value"}},
        {"archive.desired_distribution", {}},
        {"archive.separator", {}},
        {"handling.nodis", {"caption"}},
        {"handling.exdis", {"caption"}},
        {"handling.limdis", {"caption"}},
        {"handling.stadis", {"caption"}},
        {"handling.cherokee", {"caption"}},
        {"handling.other", {"caption"}},
        {"instruction", {"text"}},
        {"repeat_notice", {}},
        {"quote", {}},
        {"eo", {"order", "category"}},
        {"tags", {"tags"}},
        {"subject", {"subject"}},
        {"reference", {"references"}},
        {"acp127.fl1", {"channel", "serial"}},
        {"acp127.fl2", {"prosigns", "indicators"}},
        {"acp127.fl3", {"ri", "ssn", "filing"}},
        {"acp127.fl4", {"warning"}},
        {"acp127.bt", {}},
        {"acp127.fl15", {"ssn"}},
        {"acp127.end", {}},
        {"paragraph", {"number"}},
        {"paragraph.unnumbered", {}},
        {"emphasis", {"phrase", "memo"}},
        {"caveat", {"phrase", "rule", "reason"}},
        {"mixed_case", {"word"}},
        {"garble", {"word"}},
        {"signoff", {"signoff"}},
        {"signature", {"signature"}},
        {"memo.date", {"date"}},
        {"memo.for", {"for"}},
        {"memo.from", {"from"}},
        {"memo.subject", {"subject"}},
        {"memo.paragraph", {"restates"}},
        {"memo.bullet", {"number", "restates"}},
        {"source_note", {"number"}},
        {"summary_note", {"number"}},
    };
    return specs;
}

namespace explain_detail {

const explain_element_spec* spec_of(std::string_view id) {
    for (const auto& s : explain_element_specs())
        if (s.id == id) return &s;
    return nullptr;
}

}  // namespace explain_detail

namespace {

using explain_detail::spec_of;

class table_reader {
  public:
    table_reader(explain_table& t, std::string_view file, sim::toml_problems& problems)
        : t_(t), file_(file), problems_(problems) {}

    void read(const toml::table& root) {
        for (const auto& [k, v] : root) {
            if (k == "sources")
                read_sources(v);
            else if (k == "element")
                read_elements(v, "");
            else
                fail(v, "", fmt::format("unknown section '{}' (sources, element)", k.str()));
        }
        for (const auto& c : citations_)
            if (!t_.source(c.key))
                fail(c.where, c.field,
                     fmt::format("cites source '{}', which [sources] does not define", c.key));
        for (const auto& s : explain_element_specs())
            if (!t_.find(s.id)) fail(sim::toml_place{}, "", fmt::format("no [element.{}]", s.id));
    }

  private:
    /// A source key an element or a note cites, checked once every source is read.
    struct citation {
        std::string field;  ///< "element.dtg.sources", "element.dtg.notes.frus.sources"
        std::string key;
        sim::toml_place where;
    };

    void fail(sim::toml_place where, std::string field, std::string message) {
        problems_.push_back({file_, where, std::move(field), std::move(message)});
    }
    void fail(const toml::node& n, std::string field, std::string message) {
        fail(sim::place_of(n), std::move(field), std::move(message));
    }

    void read_sources(const toml::node& n) {
        const auto* t = n.as_table();
        if (!t) return fail(n, "sources", "must be a table");
        for (const auto& [k, v] : *t) {
            auto field = fmt::format("sources.{}", k.str());
            const auto* s = v.as_table();
            if (!s) {
                fail(v, field, "must be a table with text = \"…\"");
                continue;
            }
            explain_source src{std::string{k.str()}, {}};
            for (const auto& [sk, sv] : *s) {
                if (sk != "text")
                    fail(sv, field, fmt::format("unknown key '{}' (text)", sk.str()));
                else if (auto str = sv.value<std::string>())
                    src.text = *str;
                else
                    fail(sv, field + ".text", "must be a string");
            }
            if (src.text.empty()) fail(v, field, "has no text");
            t_.sources.push_back(std::move(src));
        }
    }

    /// A table under [element] is an element when it has a title; its sub-tables are elements
    /// whose ids continue its own ("routing" → "routing.called").
    void read_elements(const toml::node& n, const std::string& prefix) {
        const auto* t = n.as_table();
        if (!t) return fail(n, "element", "must be a table");
        for (const auto& [k, v] : *t) {
            std::string id =
                prefix.empty() ? std::string{k.str()} : prefix + "." + std::string{k.str()};
            const auto* et = v.as_table();
            if (!et) {
                fail(v, "element." + id, "must be a table");
                continue;
            }
            read_element(*et, id);
        }
    }

    /// The source keys of `sources` (an array), each cited at its place.
    void read_source_keys(const toml::node& v, const std::string& field,
                          std::vector<std::string>& keys, std::vector<citation>& cited) {
        const auto* a = v.as_array();
        if (!a) return fail(v, field, "must be an array of source keys");
        for (const auto& s : *a) {
            if (auto key = s.value<std::string>()) {
                keys.push_back(*key);
                cited.push_back({field, *key, sim::place_of(s)});
            } else {
                fail(s, field, "holds a value that is not a string");
            }
        }
    }

    void read_element(const toml::table& t, const std::string& id) {
        bool is_element = t.contains("title") || t.contains("text");
        const auto field = "element." + id;
        explain_element e;
        e.id = id;
        e.line = sim::place_of(t).line;
        std::vector<citation> cited;
        for (const auto& [k, v] : t) {
            if (k == "notes") {
                read_notes(v, id, e, cited);
                continue;
            }
            if (v.is_table()) {
                read_element(*v.as_table(), id + "." + std::string{k.str()});
                continue;
            }
            auto str = v.value<std::string>();
            if (k == "title" || k == "text" || k == "value") {
                if (!str) {
                    fail(v, fmt::format("{}.{}", field, k.str()), "must be a string");
                    continue;
                }
                (k == "title" ? e.title : k == "text" ? e.text : e.value_template) = *str;
            } else if (k == "sources") {
                read_source_keys(v, field + ".sources", e.sources, cited);
            } else {
                fail(v, field,
                     fmt::format("unknown key '{}' (title, text, value, sources, notes)", k.str()));
            }
        }
        if (!is_element) {
            if (!e.notes.empty()) fail(t, field, "has notes but no title or text");
            return;  // a table that only groups sub-elements
        }
        const auto* spec = spec_of(id);
        if (!spec) {
            fail(t, field, "is not an element hakto explain knows");
            return;
        }
        if (e.title.empty()) fail(t, field, "has no title");
        if (e.text.empty()) fail(t, field, "has no text");
        if (e.sources.empty()) fail(t, field, "cites no sources");
        // The value's placeholders are checked now: filling it meets no name the element lacks.
        if (auto checked = protocol::check_template(e.value_template, spec->placeholders); !checked)
            fail(t.contains("value") ? *t.get("value") : static_cast<const toml::node&>(t),
                 field + ".value", checked.error().message);
        if (t_.find(id)) {
            fail(t, field, "is defined twice");
            return;
        }
        t_.elements.push_back(std::move(e));
        citations_.insert(citations_.end(), cited.begin(), cited.end());
    }

    /// [element.ID.notes.CONTEXT] with text and sources: what holds for some cables only.
    void read_notes(const toml::node& n, const std::string& id, explain_element& e,
                    std::vector<citation>& cited) {
        const auto* t = n.as_table();
        if (!t) return fail(n, fmt::format("element.{}.notes", id), "must be a table of contexts");
        for (const auto& [ctx, v] : *t) {
            auto field = fmt::format("element.{}.notes.{}", id, ctx.str());
            bool known = false;
            std::string names;
            for (const auto& [name, what] : explain_contexts()) {
                known |= name == ctx.str();
                names += (names.empty() ? "" : ", ") + std::string{name};
            }
            if (!known) {
                fail(v, field, fmt::format("unknown context (known: {})", names));
                continue;
            }
            const auto* nt = v.as_table();
            if (!nt) {
                fail(v, field, "must be a table with text and sources");
                continue;
            }
            explain_context_note note{std::string{ctx.str()}, {}, {}};
            for (const auto& [k, x] : *nt) {
                if (k == "text") {
                    if (auto s = x.value<std::string>())
                        note.text = *s;
                    else
                        fail(x, field + ".text", "must be a string");
                } else if (k == "sources") {
                    read_source_keys(x, field + ".sources", note.sources, cited);
                } else {
                    fail(x, field, fmt::format("unknown key '{}' (text, sources)", k.str()));
                }
            }
            if (note.text.empty()) fail(v, field, "has no text");
            if (note.sources.empty()) fail(v, field, "cites no sources");
            e.notes.push_back(std::move(note));
        }
    }

    explain_table& t_;
    std::string file_;
    sim::toml_problems& problems_;
    std::vector<citation> citations_;  ///< of the elements taken, in file order
};

}  // namespace

expected<explain_table, explain_table_error> load_explain_table(std::string_view text,
                                                                std::string_view file) {
    auto root = sim::parse_toml(text, file);
    if (!root) return explain_table_error{{root.error()}};
    sim::toml_problems problems;
    explain_table t;
    table_reader{t, file, problems}.read(root.value());
    if (!problems.empty()) return explain_table_error{std::move(problems)};
    return t;
}

expected<explain_table, explain_table_error> load_builtin_explain_table() {
    for (std::size_t i = 0; i < detail::builtin_explain_files_count; ++i) {
        const auto& f = detail::builtin_explain_files[i];
        if (f.name == "elements.toml") return load_explain_table(f.text, "<builtin:elements.toml>");
    }
    return explain_table_error{{{"<builtin>", {}, "", "elements.toml is not built in"}}};
}

const explain_table& builtin_explain_table() {
    // Broken built-in data is a broken build: stop (main reports it) rather than explain by an
    // empty table. The tests load the table and require no problem.
    static const explain_table table = [] {
        auto t = load_builtin_explain_table();
        if (!t)
            throw std::runtime_error(
                fmt::format("the built-in explanation table does not load (a broken build):\n{}",
                            t.error().to_string()));
        return std::move(t.value());
    }();
    return table;
}

json explain_table_json(const explain_table& table) {
    json j;
    json sources = json::object();
    for (const auto& s : table.sources) sources[s.key] = s.text;
    json elements = json::object();
    for (const auto& e : table.elements) {
        json placeholders = json::array();
        if (const auto* spec = spec_of(e.id))
            for (auto p : spec->placeholders) placeholders.push_back(std::string{p});
        json notes = json::object();
        for (const auto& n : e.notes)
            notes[n.context] = json{{"text", n.text}, {"sources", n.sources}};
        elements[e.id] = json{{"title", e.title},          {"text", e.text},
                              {"value", e.value_template}, {"placeholders", placeholders},
                              {"sources", e.sources},      {"notes", notes}};
    }
    j["sources"] = std::move(sources);
    j["elements"] = std::move(elements);
    return j;
}

}  // namespace hakto::terminals
