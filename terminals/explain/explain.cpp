#include "terminals/explain/explain.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/dtg.hpp"
#include "protocol/cable/precedence.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/text/text_util.hpp"
#include "sim/io/embedded.hpp"
#include "terminals/explain/cable_json.hpp"
#include "terminals/memo/memo_writer.hpp"

namespace hakto::terminals {
namespace detail {
extern const embedded_file builtin_explain_files[];
extern const std::size_t builtin_explain_files_count;
}  // namespace detail

using namespace hakto::protocol;
using json = nlohmann::ordered_json;

// ---- The table --------------------------------------------------------------------------------

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
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
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

namespace {

const explain_element_spec* spec_of(std::string_view id) {
    for (const auto& s : explain_element_specs())
        if (s.id == id) return &s;
    return nullptr;
}

/// The {names} a template uses; `bad` gets a message for an unclosed brace.
std::vector<std::string> placeholders_in(std::string_view t, std::string& bad) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '}') {
            bad = "a '}' without its '{'";
            return names;
        }
        if (t[i] != '{') continue;
        auto close = t.find('}', i);
        if (close == std::string_view::npos) {
            bad = "a '{' without its '}'";
            return names;
        }
        names.emplace_back(t.substr(i + 1, close - i - 1));
        i = close;
    }
    return names;
}

class table_reader {
  public:
    table_reader(explain_table& t, std::string_view file, std::vector<std::string>& problems)
        : t_(t), file_(file), problems_(problems) {}

    void read(const toml::table& root) {
        for (const auto& [k, v] : root) {
            if (k == "sources")
                read_sources(v);
            else if (k == "element")
                read_elements(v, "");
            else
                fail(v.source(), fmt::format("unknown section '{}' (sources, element)", k.str()));
        }
        std::set<std::string> used;
        for (const auto& e : t_.elements) {
            auto check = [&](const std::string& s) {
                used.insert(s);
                if (!t_.source(s))
                    problems_.push_back(
                        fmt::format("{}:{}: element.{} cites source '{}', which "
                                    "[sources] does not define",
                                    file_, e.line, e.id, s));
            };
            for (const auto& s : e.sources) check(s);
            for (const auto& n : e.notes)
                for (const auto& s : n.sources) check(s);
        }
        for (const auto& s : explain_element_specs())
            if (!t_.find(s.id))
                problems_.push_back(fmt::format("{}: no [element.{}]", file_, s.id));
    }

  private:
    void fail(const toml::source_region& s, std::string message) {
        if (s.begin.line == 0)
            problems_.push_back(fmt::format("{}: {}", file_, message));
        else
            problems_.push_back(
                fmt::format("{}:{}:{}: {}", file_, s.begin.line, s.begin.column, message));
    }

    void read_sources(const toml::node& n) {
        const auto* t = n.as_table();
        if (!t) return fail(n.source(), "[sources] must be a table");
        for (const auto& [k, v] : *t) {
            const auto* s = v.as_table();
            if (!s) {
                fail(v.source(),
                     fmt::format("sources.{} must be a table with text = \"…\"", k.str()));
                continue;
            }
            explain_source src{std::string{k.str()}, {}};
            for (const auto& [sk, sv] : *s) {
                if (sk != "text")
                    fail(sv.source(),
                         fmt::format("sources.{}: unknown key '{}' (text)", k.str(), sk.str()));
                else if (auto str = sv.value<std::string>())
                    src.text = *str;
                else
                    fail(sv.source(), fmt::format("sources.{}.text must be a string", k.str()));
            }
            if (src.text.empty()) fail(v.source(), fmt::format("sources.{} has no text", k.str()));
            t_.sources.push_back(std::move(src));
        }
    }

    /// A table under [element] is an element when it has a title; its sub-tables are elements
    /// whose ids continue its own ("routing" → "routing.called").
    void read_elements(const toml::node& n, const std::string& prefix) {
        const auto* t = n.as_table();
        if (!t) return fail(n.source(), "[element] must be a table");
        for (const auto& [k, v] : *t) {
            std::string id =
                prefix.empty() ? std::string{k.str()} : prefix + "." + std::string{k.str()};
            const auto* et = v.as_table();
            if (!et) {
                fail(v.source(), fmt::format("element.{} must be a table", id));
                continue;
            }
            read_element(*et, id);
        }
    }

    void read_element(const toml::table& t, const std::string& id) {
        bool is_element = t.contains("title") || t.contains("text");
        explain_element e;
        e.id = id;
        e.line = static_cast<std::size_t>(t.source().begin.line);
        for (const auto& [k, v] : t) {
            if (k == "notes") {
                read_notes(v, id, e);
                continue;
            }
            if (v.is_table()) {
                read_element(*v.as_table(), id + "." + std::string{k.str()});
                continue;
            }
            auto str = v.value<std::string>();
            if (k == "title" || k == "text" || k == "value") {
                if (!str) {
                    fail(v.source(), fmt::format("element.{}.{} must be a string", id, k.str()));
                    continue;
                }
                (k == "title" ? e.title : k == "text" ? e.text : e.value_template) = *str;
            } else if (k == "sources") {
                const auto* a = v.as_array();
                if (!a) {
                    fail(v.source(),
                         fmt::format("element.{}.sources must be an array of source keys", id));
                    continue;
                }
                for (const auto& s : *a) {
                    if (auto key = s.value<std::string>())
                        e.sources.push_back(*key);
                    else
                        fail(s.source(),
                             fmt::format("element.{}.sources holds a value that is not a string",
                                         id));
                }
            } else {
                fail(
                    v.source(),
                    fmt::format("element.{}: unknown key '{}' (title, text, value, sources, notes)",
                                id, k.str()));
            }
        }
        if (!is_element) {
            if (!e.notes.empty())
                fail(t.source(), fmt::format("element.{} has notes but no title or text", id));
            return;  // a table that only groups sub-elements
        }
        const auto* spec = spec_of(id);
        if (!spec) {
            fail(t.source(), fmt::format("element.{} is not an element hakto explain knows", id));
            return;
        }
        if (e.title.empty()) fail(t.source(), fmt::format("element.{} has no title", id));
        if (e.text.empty()) fail(t.source(), fmt::format("element.{} has no text", id));
        if (e.sources.empty()) fail(t.source(), fmt::format("element.{} cites no sources", id));
        std::string bad;
        const auto& value_at = t.contains("value") ? t.get("value")->source() : t.source();
        for (const auto& p : placeholders_in(e.value_template, bad)) {
            if (std::find(spec->placeholders.begin(), spec->placeholders.end(), p) ==
                spec->placeholders.end()) {
                std::string known;
                for (auto k : spec->placeholders) {
                    if (!known.empty()) known += ", ";
                    known += k;
                }
                fail(value_at,
                     fmt::format("element.{}.value: unknown placeholder {{{}}} (known: {})", id, p,
                                 known.empty() ? "none" : known));
            }
        }
        if (!bad.empty()) fail(value_at, fmt::format("element.{}.value holds {}", id, bad));
        if (t_.find(id))
            fail(t.source(), fmt::format("element.{} is defined twice", id));
        else
            t_.elements.push_back(std::move(e));
    }

    /// [element.ID.notes.CONTEXT] with text and sources: what holds for some cables only.
    void read_notes(const toml::node& n, const std::string& id, explain_element& e) {
        const auto* t = n.as_table();
        if (!t)
            return fail(n.source(),
                        fmt::format("element.{}.notes must be a table of contexts", id));
        for (const auto& [ctx, v] : *t) {
            bool known = false;
            std::string names;
            for (const auto& [name, what] : explain_contexts()) {
                known |= name == ctx.str();
                names += (names.empty() ? "" : ", ") + std::string{name};
            }
            if (!known) {
                fail(v.source(), fmt::format("element.{}.notes.{}: unknown context (known: {})", id,
                                             ctx.str(), names));
                continue;
            }
            const auto* nt = v.as_table();
            if (!nt) {
                fail(v.source(),
                     fmt::format("element.{}.notes.{} must be a table with text and sources", id,
                                 ctx.str()));
                continue;
            }
            explain_context_note note{std::string{ctx.str()}, {}, {}};
            for (const auto& [k, x] : *nt) {
                if (k == "text") {
                    if (auto s = x.value<std::string>())
                        note.text = *s;
                    else
                        fail(x.source(), fmt::format("element.{}.notes.{}.text must be a string",
                                                     id, ctx.str()));
                } else if (k == "sources") {
                    const auto* a = x.as_array();
                    if (!a) {
                        fail(x.source(), fmt::format("element.{}.notes.{}.sources must be an array",
                                                     id, ctx.str()));
                        continue;
                    }
                    for (const auto& s : *a)
                        if (auto key = s.value<std::string>())
                            note.sources.push_back(*key);
                        else
                            fail(s.source(), fmt::format("element.{}.notes.{}.sources holds a "
                                                         "value that is not a string",
                                                         id, ctx.str()));
                } else {
                    fail(x.source(),
                         fmt::format("element.{}.notes.{}: unknown key '{}' (text, sources)", id,
                                     ctx.str(), k.str()));
                }
            }
            if (note.text.empty())
                fail(v.source(), fmt::format("element.{}.notes.{} has no text", id, ctx.str()));
            if (note.sources.empty())
                fail(v.source(),
                     fmt::format("element.{}.notes.{} cites no sources", id, ctx.str()));
            e.notes.push_back(std::move(note));
        }
    }

    explain_table& t_;
    std::string file_;
    std::vector<std::string>& problems_;
};

}  // namespace

expected<explain_table, explain_table_error> load_explain_table(std::string_view text,
                                                                std::string_view file) {
    std::vector<std::string> problems;
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        const auto& s = e.source();
        problems.push_back(
            fmt::format("{}:{}:{}: {}", file, s.begin.line, s.begin.column, e.description()));
        return explain_table_error{std::move(problems)};
    }
    explain_table t;
    table_reader{t, file, problems}.read(root);
    if (!problems.empty()) return explain_table_error{std::move(problems)};
    return t;
}

expected<explain_table, explain_table_error> load_builtin_explain_table() {
    for (std::size_t i = 0; i < detail::builtin_explain_files_count; ++i) {
        const auto& f = detail::builtin_explain_files[i];
        if (f.name == "elements.toml") return load_explain_table(f.text, "<builtin:elements.toml>");
    }
    return explain_table_error{{"<builtin>: elements.toml is not built in"}};
}

const explain_table& builtin_explain_table() {
    static const explain_table table = [] {
        auto t = load_builtin_explain_table();
        if (!t)
            throw std::runtime_error(fmt::format("the built-in explanation table is broken:\n{}",
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

// ---- The walkthrough --------------------------------------------------------------------------

namespace {

using values = std::map<std::string, std::string>;

std::string fill(std::string_view templ, const values& v) {
    std::string out;
    for (std::size_t i = 0; i < templ.size(); ++i) {
        if (templ[i] == '{') {
            auto close = templ.find('}', i);
            if (close != std::string_view::npos) {
                auto it = v.find(std::string{templ.substr(i + 1, close - i - 1)});
                out += it != v.end() ? it->second : "(unknown)";
                i = close;
                continue;
            }
        }
        out += templ[i];
    }
    return out;
}

/// Byte offset of a 1-based character column.
std::size_t byte_of_column(std::string_view line, std::size_t column) {
    std::size_t col = 1, i = 0;
    while (i < line.size() && col < column) {
        auto c = static_cast<unsigned char>(line[i]);
        i += c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        ++col;
    }
    return std::min(i, line.size());
}

bool is_word_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || u >= 0x80 || c == '\'' || c == '-';
}

/// Finds `word` (case-insensitive) as a whole word at or after `from`; npos when absent.
std::size_t find_word(std::string_view line, std::string_view word, std::size_t from = 0) {
    if (word.empty()) return std::string_view::npos;
    auto upper = to_upper_ascii(line);
    auto w = to_upper_ascii(word);
    for (auto pos = upper.find(w, from); pos != std::string::npos; pos = upper.find(w, pos + 1)) {
        bool before = pos == 0 || !is_word_char(upper[pos - 1]);
        auto end = pos + w.size();
        bool after = end >= upper.size() || !is_word_char(upper[end]) || !is_word_char(w.back());
        if (before && after) return pos;
    }
    return std::string_view::npos;
}

/// The words of a pattern matched with any spacing ("NOT REPEAT NOT", "(PLEASE PROTECT)"):
/// returns {byte offset, byte length} of the first match in `line`, or npos.
std::pair<std::size_t, std::size_t> find_phrase(std::string_view line, std::string_view pattern) {
    auto words = split_words(pattern);
    if (words.empty()) return {std::string_view::npos, 0};
    for (auto start = find_word(line, words[0]); start != std::string_view::npos;
         start = find_word(line, words[0], start + 1)) {
        std::size_t at = start + words[0].size();
        bool ok = true;
        for (std::size_t k = 1; k < words.size() && ok; ++k) {
            while (at < line.size() && line[at] == ' ') ++at;
            ok = at + words[k].size() <= line.size() &&
                 iequals(line.substr(at, words[k].size()), words[k]);
            at += words[k].size();
        }
        if (ok) return {start, at - start};
    }
    return {std::string_view::npos, 0};
}

std::string two(int n) {
    return fmt::format("{:02}", n);
}

std::string duration_text(std::chrono::seconds s) {
    auto m = s.count() / 60;
    if (m < 60) return fmt::format("{} minutes", m);
    auto h = m / 60;
    return h == 1 ? std::string{"1 hour"} : fmt::format("{} hours", h);
}

class walker {
  public:
    walker(const document& doc, const explain_table& table)
        : doc_(doc), table_(table), contexts_(contexts_of(doc)) {}

    /// The contexts whose notes hold for this document: the June 1972 trip's cables (the trip
    /// station WTE10 on the routing line, or a HAKTO or TOHAK of June 1972), FRUS documents,
    /// State telegrams, the Situation Room form.
    static std::set<std::string> contexts_of(const document& doc) {
        std::set<std::string> out;
        const auto& c = doc.message;
        if (doc.title || !doc.notes.empty() || c.form == cable_form::frus_printed)
            out.insert("frus");
        if (c.form == cable_form::state_telegram) out.insert("state");
        if (c.form == cable_form::situation_room) out.insert("sitroom");
        bool trip_station =
            c.routing && (calling_station(*c.routing) == "WTE10" || c.routing->called == "WTE10");
        auto june_1972 = [](const std::optional<dtg>& g) {
            return g && g->month == 6 && g->year == 1972;
        };
        auto backchannel = [](const std::optional<series_tag>& s) {
            return s && (s->name == "HAKTO" || s->name == "TOHAK");
        };
        bool series = backchannel(c.series) || (doc.title && backchannel(doc.title->series));
        bool june = june_1972(c.date_time_group) || (doc.title && june_1972(doc.title->time));
        if (trip_station || (series && june)) out.insert("june1972");
        return out;
    }

    explained_line explain(std::size_t number, std::string text, const line_reading* reading) {
        explained_line l;
        l.number = number;
        l.text = std::move(text);
        line_ = &l;
        if (reading) {
            l.role = std::string{to_string(reading->role)};
            l.continuation = reading->continuation;
            annotate(*reading);
        }
        line_ = nullptr;
        return l;
    }

  private:
    void note(std::string_view id, std::string_view label, std::size_t byte, const values& v = {}) {
        const auto* e = table_.find(id);
        if (!e) return;  // the loader guarantees every known element; nothing to say otherwise
        explain_note n;
        n.element = e->id;
        n.label = std::string{label};
        n.column = label.empty() ? 0 : column_of(line_->text, byte);
        n.title = e->title;
        n.value = e->value_template.empty() ? std::string{} : fill(e->value_template, v);
        n.text = e->text;
        n.sources = e->sources;
        for (const auto& cn : e->notes) {
            if (!contexts_.count(cn.context)) continue;
            if (!n.note.empty()) n.note += ' ';
            n.note += cn.text;
            for (const auto& src : cn.sources)
                if (std::find(n.sources.begin(), n.sources.end(), src) == n.sources.end())
                    n.sources.push_back(src);
        }
        line_->notes.push_back(std::move(n));
    }
    void note_word(std::string_view id, std::string_view word, const values& v = {}) {
        auto at = find_word(line_->text, word);
        note(id, at == std::string_view::npos ? std::string_view{} : word,
             at == std::string_view::npos ? 0 : at, v);
    }
    void note_line(std::string_view id, const values& v = {}) { note(id, {}, 0, v); }

    void annotate(const line_reading& r) {
        const std::string& t = line_->text;
        const auto& c = doc_.message;
        switch (r.role) {
            case line_role::title:
                return title();
            case line_role::preamble:
                if (seen_.insert(line_role::preamble).second) note_line("preamble");
                return;
            case line_role::routing:
                if (!seen_.insert(line_role::routing).second) return;
                return routing();
            case line_role::precedence_dtg:
                if (!seen_.insert(line_role::precedence_dtg).second) return;
                return precedence_dtg();
            case line_role::precedence_words:
                return precedence_words();
            case line_role::date_line:
                return note_line("date_line", {{"date", std::string{trim(t)}}});
            case line_role::to:
            case line_role::from:
            case line_role::info:
                return address(r);
            case line_role::via:
                return note_line("via", {{"via", c.via.value_or("(none)")}});
            case line_role::message_number:
                return note_line("message_number", {{"number", std::string{trim(t)}}});
            case line_role::classification:
                return classification();
            case line_role::classification_reference:
                return classification_reference();
            case line_role::series:
                if (!seen_.insert(line_role::series).second) return;
                series();
                if (c.form == cable_form::frus_printed && !c.paragraphs.empty() &&
                    c.paragraphs.front().where.line == r.line)
                    paragraph(line_reading{r.line, line_role::paragraph, 0, false});
                return;
            case line_role::page_line:
                return page_line();
            case line_role::page_break:
                return note_line("archive.page_break");
            case line_role::number_line:
                return note_line("archive.number", {{"number", std::string{trim(t)}}});
            case line_role::distribution:
                return distribution(r);
            case line_role::drafted_by:
                return note_line("archive.drafted_by",
                                 {{"value", archive_value(&archive_head::drafted_by)}});
            case line_role::approved_by:
                return note_line("archive.approved_by",
                                 {{"value", archive_value(&archive_head::approved_by)}});
            case line_role::clearance:
                return note_line("archive.clearance", {{"value", std::string{trim(t)}}});
            case line_role::desired_distribution:
                if (!r.continuation) note_line("archive.desired_distribution");
                return;
            case line_role::separator:
                return note_line("archive.separator");
            case line_role::handling:
                return handling();
            case line_role::instruction:
                if (!r.continuation) note_line("instruction", {{"text", std::string{trim(t)}}});
                return text_features();
            case line_role::repeat_notice:
                if (!r.continuation) note_line("repeat_notice");
                return;
            case line_role::quote:
                note_line("quote");
                return;
            case line_role::eo:
                return note_line(
                    "eo", {{"order", c.eo ? c.eo->order : "(none)"},
                           {"category", c.eo && c.eo->category ? *c.eo->category : "(none)"}});
            case line_role::tags:
                if (!r.continuation) note_line("tags", {{"tags", joined(c.tags, ", ")}});
                return;
            case line_role::subject:
                if (!r.continuation)
                    note_line("subject", {{"subject", c.subject.value_or("(none)")}});
                return text_features();
            case line_role::reference:
                if (!r.continuation)
                    note_line("reference", {{"references", joined(c.references, "; ")}});
                return;
            case line_role::acp127_fl1:
            case line_role::acp127_fl2:
            case line_role::acp127_fl3:
            case line_role::acp127_fl4:
            case line_role::acp127_bt:
            case line_role::acp127_fl15:
            case line_role::acp127_end:
                return envelope(r.role);
            case line_role::paragraph:
                return paragraph(r);
            case line_role::signoff:
                return note_line("signoff", {{"signoff", std::string{trim(t)}}});
            case line_role::signature:
                return note_line("signature", {{"signature", std::string{trim(t)}}});
            case line_role::page_marker: {
                std::string digits;
                for (char ch : t)
                    if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
                return note_line("page_marker", {{"page", digits}});
            }
            case line_role::covering_marker:
                return note_line("covering_marker");
            case line_role::memo_date:
                return note_line("memo.date", {{"date", c_memo_value(&memo::date_text)}});
            case line_role::memo_for:
                return note_line("memo.for", {{"for", c_memo_value(&memo::for_)}});
            case line_role::memo_from:
                return note_line("memo.from", {{"from", c_memo_value(&memo::from)}});
            case line_role::memo_subject:
                return note_line("memo.subject", {{"subject", c_memo_value(&memo::subject)}});
            case line_role::memo_bullet:
                if (!r.continuation && doc_.covering_memo &&
                    r.index < doc_.covering_memo->bullets.size())
                    note_line("memo.bullet",
                              {{"number", std::to_string(r.index + 1)},
                               {"restates", restates(doc_.covering_memo->bullets[r.index].text)}});
                return;
            case line_role::memo_paragraph:
                if (!r.continuation && doc_.covering_memo &&
                    r.index < doc_.covering_memo->paragraphs.size())
                    note_line("memo.paragraph",
                              {{"restates", restates(doc_.covering_memo->paragraphs[r.index])}});
                return;
            case line_role::source_note: {
                if (r.continuation || r.index >= doc_.notes.size()) return;
                const auto& n = doc_.notes[r.index];
                bool source = starts_with_word(n.text, "Source");
                note_line(source ? "source_note" : "summary_note",
                          {{"number", std::to_string(n.number)}});
                return;
            }
        }
    }

    static std::string joined(const std::vector<std::string>& v, std::string_view sep) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : std::string{sep}) + x;
        return s.empty() ? std::string{"(none)"} : s;
    }

    std::string archive_value(std::optional<std::string> archive_head::*field) const {
        const auto& a = doc_.message.archive;
        return a && (*a).*field ? *((*a).*field) : std::string{"(none)"};
    }

    std::size_t offset_in_line(std::string_view w) const {
        return static_cast<std::size_t>(w.data() - line_->text.data());
    }

    void precedence_words() {
        const auto& c = doc_.message;
        auto words = split_words(line_->text);
        if (words.size() < 2 || !c.prec) return;
        note("precedence.words", words[0], offset_in_line(words[0]),
             {{"prosigns", std::string{words[0]}},
              {"words", std::string{words[1]}},
              {"name", std::string{precedence_name(*c.prec)}}});
        note("precedence", words[1], offset_in_line(words[1]),
             {{"letter", std::string(1, precedence_letter(*c.prec))},
              {"name", std::string{precedence_name(*c.prec)}},
              {"objective", duration_text(handling_objective(*c.prec))}});
    }

    void address(const line_reading& r) {
        const auto& c = doc_.message;
        if (r.role == line_role::from) {
            if (seen_.insert(line_role::from).second)
                note_line("from", {{"address", c.from.value_or("(none)")}});
            // "FM THE SITUATION ROOM //TOHAK 003//": the series between slashes.
            if (c.layout.series_in_from && c.series &&
                line_->text.find("//") != std::string::npos &&
                seen_.insert(line_role::series).second) {
                auto at = line_->text.find("//") + 2;
                auto end = line_->text.find("//", at);
                auto tag = std::string_view{line_->text}.substr(
                    at, end == std::string::npos ? std::string::npos : end - at);
                series_note(tag, at);
            }
            return text_features();
        }
        const auto& list = r.role == line_role::to ? c.to : c.info;
        if (r.index >= list.size() || (list.empty())) {
            note_line(r.role == line_role::to ? "to" : "info", {{"address", "(on the next line)"}});
            return;
        }
        // "TO:" alone: its addressee is on the next line, which the reader gave the same index.
        auto t = trim(line_->text);
        bool keyword_only = t == "TO:" || t == "TO" || t == "INFO:" || t == "INFO";
        const auto& a = list[r.index];
        note_line(r.role == line_role::to ? "to" : "info",
                  {{"address", keyword_only ? std::string{"(on the next line)"} : a.address}});
        if (keyword_only) return;
        auto words = split_words(line_->text);
        for (auto w : words) {
            if (a.prec && (precedence_from_word(w) == a.prec ||
                           (w.size() >= 7 && !precedence_from_word(w) && is_all_caps(w) &&
                            iequals(w.substr(0, 1), precedence_name(*a.prec).substr(0, 1)) &&
                            a.as_written.find(w) != std::string::npos &&
                            a.address.find(w) == std::string::npos))) {
                note("addressee.precedence", w, offset_in_line(w),
                     {{"word", std::string{w}},
                      {"name", std::string{precedence_name(*a.prec)}},
                      {"objective", duration_text(handling_objective(*a.prec))}});
            } else if (a.niact && iequals(w, "NIACT")) {
                note("addressee.niact", w, offset_in_line(w));
            } else if (a.serial && w == words.back() &&
                       std::all_of(w.begin(), w.end(), [](char ch) {
                           return std::isdigit(static_cast<unsigned char>(ch));
                       })) {
                note("addressee.serial", w, offset_in_line(w),
                     {{"serial", std::string{w}}, {"address", a.address}});
            }
        }
        text_features();
    }

    void classification() {
        const auto& c = doc_.message;
        auto t = std::string{trim(line_->text)};
        bool archive = c.archive && c.archive->marking && *c.archive->marking == t &&
                       !seen_.count(line_role::classification);
        seen_.insert(line_role::classification);
        if (archive) {
            note_line("archive.marking", {{"marking", t}});
        } else {
            note_line("classification", {{"classification", t}});
        }
        if (auto m = read_classification_marking(t); m && m->as_written.find(' ') == 1)
            note("classification.spaced", m->as_written, offset_in_line(trim(line_->text)),
                 {{"classification", m->normalised}});
    }

    void classification_reference() {
        const auto& c = doc_.message;
        auto t = trim(line_->text);
        auto r = read_classification_reference_line(t);
        if (!r) return;
        auto lead = offset_in_line(t);
        note_line("classification_reference",
                  {{"classification", r->marking.normalised},
                   {"post", r->telegram ? r->telegram->post : std::string{"(none)"}},
                   {"number", r->telegram ? r->telegram->number_text : std::string{"(none)"}}});
        if (r->marking.as_written.find(' ') == 1)
            note("classification.spaced", r->marking.as_written, lead,
                 {{"classification", r->marking.normalised}});
        if (r->series && c.series && seen_.insert(line_role::series).second) {
            auto name_at = line_->text.find(r->series->name, lead + r->marking.length);
            if (name_at != std::string::npos)
                series_note(std::string_view{line_->text}.substr(name_at), name_at);
        }
        for (const auto& h : r->handling) caption_note(h);
    }

    void caption_note(std::string_view caption) {
        auto at = find_word(line_->text, caption);
        if (at == std::string_view::npos) return;
        auto u = to_upper_ascii(caption);
        std::string id = "handling.other";
        for (std::string_view known : {"NODIS", "EXDIS", "LIMDIS", "STADIS", "CHEROKEE"})
            if (u == known) id = "handling." + to_lower(known);
        note(id, std::string_view{line_->text}.substr(at, caption.size()), at, {{"caption", u}});
    }

    static std::string to_lower(std::string_view s) {
        std::string out{s};
        for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return out;
    }

    void handling() {
        for (auto w : split_words(line_->text)) {
            auto word = w;
            while (!word.empty() && (word.back() == '/' || word.back() == ','))
                word.remove_suffix(1);
            if (is_handling_caption(word)) caption_note(word);
        }
    }

    void page_line() {
        const auto& a = doc_.message.archive;
        if (!a || !a->page) return;
        const auto& p = *a->page;
        note_line("archive.page", {{"page", std::to_string(p.number)},
                                   {"post", p.post},
                                   {"number", p.telegram_number},
                                   {"time", p.time_group.value_or("(none)")}});
    }

    void distribution(const line_reading& r) {
        const auto& a = doc_.message.archive;
        if (!a || !a->distribution) return;
        const auto& d = *a->distribution;
        auto t = trim(line_->text);
        if (starts_with_word(t, "ACTION") || starts_with_word(t, "ORIGIN")) {
            note_line("archive.distribution",
                      {{"kind", d.action_kind}, {"office", d.action.value_or("(none)")}});
        } else if (!r.continuation && starts_with_word(t, "INFO")) {
            note_line("archive.distribution_info", {{"offices", joined(d.info, " ")}});
        }
        if (d.count) {
            auto at = line_->text.find(*d.count);
            if (at != std::string::npos)
                note("archive.distribution_count", *d.count, at, {{"count", *d.count}});
        }
    }

    /// Which paragraph of the cable a piece of the memo restates, judged by the words of four
    /// letters or more the two share (a heuristic: the memo words things its own way).
    std::string restates(std::string_view memo_text) const {
        static const std::set<std::string> common{
            "THAT", "WITH",  "THIS", "WHICH", "FROM",  "HAVE",  "BEEN",  "WERE", "WOULD", "THEIR",
            "THEY", "THERE", "SOME", "ONLY",  "ALSO",  "MIGHT", "COULD", "INTO", "OVER",  "THAN",
            "THEM", "WHAT",  "WHEN", "WILL",  "SINCE", "MADE",  "AGAIN", "SAID", "HAD",   "WAS"};
        auto words_of = [&](std::string_view text) {
            std::set<std::string> out;
            std::string w;
            auto flush = [&] {
                if (w.size() >= 4 && !common.count(w)) out.insert(w);
                w.clear();
            };
            for (char ch : text) {
                if (std::isalpha(static_cast<unsigned char>(ch)))
                    w += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
                else
                    flush();
            }
            flush();
            return out;
        };
        auto memo_words = words_of(memo_text);
        const auto& ps = doc_.message.paragraphs;
        std::size_t best = ps.size();
        std::vector<std::string> best_shared;
        for (std::size_t i = 0; i < ps.size(); ++i) {
            std::vector<std::string> shared;
            for (const auto& w : words_of(ps[i].text))
                if (memo_words.count(w)) shared.push_back(w);
            if (shared.size() > best_shared.size()) {
                best = i;
                best_shared = std::move(shared);
            }
        }
        if (best == ps.size() || best_shared.size() < 3)
            return "no one paragraph of the cable (it shares fewer than three words with each)";
        std::string list;
        for (std::size_t k = 0; k < best_shared.size() && k < 6; ++k) {
            if (!list.empty()) list += ", ";
            list += best_shared[k];
        }
        if (best_shared.size() > 6) list += ", …";
        const auto& p = ps[best];
        auto which = p.number ? fmt::format("paragraph {}", *p.number)
                              : fmt::format("the cable's text block {}", best + 1);
        return fmt::format("{} of the cable (shared words: {})", which, list);
    }

    std::string c_memo_value(std::optional<std::string> memo::*field) const {
        if (!doc_.covering_memo) return "(none)";
        const auto& v = (*doc_.covering_memo).*field;
        return v ? *v : "(none)";
    }

    void title() {
        values v;
        const auto& t = doc_.title;
        v["number"] = t && t->document_number ? std::to_string(*t->document_number) : "(none)";
        v["series"] = t && t->series ? format_series_tag(*t->series) : "(none)";
        v["dateline"] = t && t->dateline ? *t->dateline : "(none)";
        note_line("title", v);
    }

    void routing() {
        const std::string& t = line_->text;
        note_line("routing");
        const auto& r = doc_.message.routing;
        auto words = split_words(t);
        if (words.empty()) return;
        auto offset = [&](std::string_view w) {
            return static_cast<std::size_t>(w.data() - t.data());
        };
        note("routing.called", words[0], offset(words[0]), {{"called", std::string{words[0]}}});
        std::size_t de = 1;
        while (de < words.size() && !iequals(words[de], "DE")) ++de;
        if (de < words.size()) note("routing.de", words[de], offset(words[de]));
        if (de + 1 < words.size()) {
            auto first = offset(words[de + 1]);
            auto last = offset(words.back()) + words.back().size();
            std::string_view calling{t.data() + first, last - first};
            values v;
            v["station"] = r ? calling_station(*r) : std::string{calling};
            v["channel"] = r && r->channel ? *r->channel : "(none)";
            note("routing.calling", calling, first, v);
        }
        if (auto z = t.find("\xC3\x98"); z != std::string::npos)
            note("routing.slashed_zero", "\xC3\x98", z);
    }

    void precedence_dtg() {
        const std::string& t = line_->text;
        const auto& c = doc_.message;
        auto words = split_words(t);
        auto offset = [&](std::string_view w) {
            return static_cast<std::size_t>(w.data() - t.data());
        };
        std::size_t i = 0;
        if (c.prec && !words.empty() && std::isalpha(static_cast<unsigned char>(words[0][0]))) {
            auto p = *c.prec;
            note("precedence", words[0], offset(words[0]),
                 {{"letter", std::string(1, precedence_letter(p))},
                  {"name", std::string{precedence_name(p)}},
                  {"objective", duration_text(handling_objective(p))}});
            i = 1;
            if (words.size() > 2 && words[1].size() == 1 &&
                std::isalpha(static_cast<unsigned char>(words[1][0]))) {
                i = 2;  // "O P 180800Z": a dual precedence, the second for the info addressees
                if (c.info_prec)
                    note("precedence.info", words[1], offset(words[1]),
                         {{"letter", std::string(1, precedence_letter(*c.info_prec))},
                          {"name", std::string{precedence_name(*c.info_prec)}}});
            }
        } else {
            note_line("precedence.none");
        }
        for (auto w : words)
            if (is_operating_signal(w) &&
                std::find(c.operating_signals.begin(), c.operating_signals.end(), w) !=
                    c.operating_signals.end())
                note("operating_signal", w, offset(w), {{"signal", std::string{w}}});
        if (!c.date_time_group || i >= words.size()) return;
        const auto& g = *c.date_time_group;
        // "211615Z" or "260517 Z": the digits, then the zone letter.
        auto digits = words[i];
        std::size_t digit_count = 0;
        while (digit_count < digits.size() &&
               std::isdigit(static_cast<unsigned char>(digits[digit_count])))
            ++digit_count;
        auto utc = iso8601(g);
        note("dtg", digits.substr(0, digit_count), offset(digits),
             {{"day", std::to_string(g.day)},
              {"hour", two(g.hour)},
              {"minute", two(g.minute)},
              {"zone", std::string(1, g.zone)},
              {"utc", utc ? *utc + " (UTC)" : "not known without month and year"}});
        std::size_t zone_at = offset(digits) + digit_count;
        if (digit_count == digits.size() && i + 1 < words.size()) {
            zone_at = offset(words[i + 1]);
            ++i;
        }
        if (zone_at < t.size()) {
            values v{{"zone", std::string(1, g.zone)}};
            auto off = zone_offset_hours(g.zone);
            v["offset"] = !off        ? std::string{" not fixed (local time)"}
                          : *off == 0 ? std::string{}
                                      : fmt::format("{:+}", *off);
            auto at = [&](char z) {
                auto d = in_zone(g, z);
                return d ? format_dtg(d.value())
                         : std::string{"(not known without month and year)"};
            };
            v["beijing"] = at('H');
            v["washington"] = at('Q');
            note("dtg.zone", std::string_view{t}.substr(zone_at, 1), zone_at, v);
        }
        ++i;
        bool month_printed = !c.inferred.count("dtg.month");
        if (month_printed && i < words.size()) {
            auto first = offset(words[i]);
            auto last = offset(words[std::min(i + 1, words.size() - 1)]) +
                        words[std::min(i + 1, words.size() - 1)].size();
            std::string_view printed{t.data() + first, last - first};
            if (c.layout.dtg_as_printed) {
                note("dtg.year_garbled", printed, first, {{"printed", std::string{printed}}});
            } else {
                note("dtg.month_year", printed, first,
                     {{"month", g.month ? std::string{month_abbreviation(*g.month)} : "(none)"},
                      {"year", g.year ? std::to_string(*g.year) : "(none)"}});
            }
        } else if (!month_printed) {
            note_line("dtg.no_month_year");
        }
    }

    void address(line_role role) {
        const auto& c = doc_.message;
        std::string_view id = role == line_role::to     ? "to"
                              : role == line_role::from ? "from"
                                                        : "info";
        if (seen_.insert(role).second || role == line_role::info) {
            std::string value;
            if (role == line_role::to)
                value = first_addressee(c).value_or("(none)");
            else if (role == line_role::from)
                value = c.from.value_or("(none)");
            else {
                auto t = trim(line_->text);
                auto sp = t.find_first_of(" :");
                value = std::string{
                    trim(sp == std::string_view::npos ? std::string_view{} : t.substr(sp + 1))};
            }
            note_line(id, {{"address", value}});
        }
        text_features();
    }

    void series() {
        auto t = trim(line_->text);
        series_note(t, offset_in_line(t));
    }

    /// The series tag at `text` (a view into the line) and what it says.
    void series_note(std::string_view text, std::size_t start) {
        const auto& s = doc_.message.series;
        if (!s) return;
        std::string_view id = s->name == "HAKTO"                         ? "series.hakto"
                              : s->name == "TOHAK"                       ? "series.tohak"
                              : s->name == "SECTO" || s->name == "TOSEC" ? "series.secto"
                                                                         : "series.other";
        std::string number = s->number ? std::to_string(*s->number) : "(no number)";
        if (s->number && doc_.message.inferred.count("series.number"))
            number += " (the number from the title)";
        // The label: the tag as printed, up to its end ("TOHAK 003", "Hakto 46/226").
        auto end = text.find_first_of(".:/", 0);
        auto tag =
            read_series_tag(text.substr(0, end == std::string_view::npos ? text.size() : end));
        std::string_view label = text;
        if (auto words = split_words(text); words.size() >= 2 && tag)
            label = text.substr(
                0, static_cast<std::size_t>(words[1].data() + words[1].size() - text.data()));
        else if (!words.empty())
            label = words[0];
        while (!label.empty() && (label.back() == '.' || label.back() == '/'))
            label.remove_suffix(1);
        note(id, label, start,
             {{"name", s->name}, {"number", number}, {"reply", reply_series(s->name)}});
        auto printed = read_series_tag(text);
        if (printed && !printed->number)
            note("series.no_number", label, start, {{"name", printed->name}});
    }

    void envelope(line_role role) {
        const auto& e = doc_.message.envelope;
        auto t = std::string{trim(line_->text)};
        switch (role) {
            case line_role::acp127_fl1:
                note_line("acp127.fl1",
                          {{"channel", e ? e->channel_designator : "(none)"},
                           {"serial", e ? fmt::format("{:03}", e->channel_serial) : "(none)"}});
                break;
            case line_role::acp127_fl2: {
                std::string ris;
                if (e)
                    for (const auto& ri : e->routing_indicators) {
                        if (!ris.empty()) ris += ' ';
                        ris += ri;
                    }
                note_line("acp127.fl2", {{"prosigns", e ? e->precedence_prosigns : "(none)"},
                                         {"indicators", ris}});
                break;
            }
            case line_role::acp127_fl3:
                note_line("acp127.fl3",
                          {{"ri", e ? e->originating_ri : "(none)"},
                           {"ssn", e ? fmt::format("{:04}", e->station_serial) : "(none)"},
                           {"filing", e && !e->filing_time.empty() ? e->filing_time : "(none)"}});
                break;
            case line_role::acp127_fl4:
                note_line("acp127.fl4", {{"warning", t}});
                break;
            case line_role::acp127_bt:
                note_line("acp127.bt");
                break;
            case line_role::acp127_fl15:
                note_line("acp127.fl15", {{"ssn", t.size() > 1 ? t.substr(1) : t}});
                break;
            default:
                note_line("acp127.end");
                break;
        }
    }

    void paragraph(const line_reading& r) {
        const auto& ps = doc_.message.paragraphs;
        if (!r.continuation && r.index < ps.size()) {
            const auto& p = ps[r.index];
            if (p.number) {
                auto t = trim(line_->text);
                auto dot = t.find('.');
                auto start = static_cast<std::size_t>(t.data() - line_->text.data());
                note("paragraph", t.substr(0, dot == std::string_view::npos ? 0 : dot + 1), start,
                     {{"number", std::to_string(*p.number)}});
            } else {
                note_line("paragraph.unnumbered");
            }
        }
        text_features();
    }

    /// What a line of cable text may hold: emphasis forms, handling caveats, names the edition
    /// printed in mixed case. The patterns come from the covering-memo rules, so explain and
    /// the memo agree on what a caveat is.
    void text_features() {
        const auto& rules = builtin_memo_rules();
        const std::string& t = line_->text;
        for (const auto& e : rules.emphasis) {
            auto [at, len] = find_phrase(t, e.pattern);  // one note a phrase a line
            if (at == std::string_view::npos) continue;
            note("emphasis", std::string_view{t}.substr(at, len), at,
                 {{"phrase", std::string{t.substr(at, len)}}, {"memo", e.replacement}});
        }
        for (const auto& g : rules.caveats) {
            for (const auto& p : g.remove) {
                auto [at, len] = find_phrase(t, p.text);
                if (at == std::string_view::npos) continue;
                note("caveat", std::string_view{t}.substr(at, len), at,
                     {{"phrase", std::string{t.substr(at, len)}},
                      {"rule", g.name},
                      {"reason", g.reason}});
            }
        }
        // Mixed-case words inside capital text (FRUS lowered the case of names in 2010).
        auto words = split_words(t);
        std::size_t capitals = 0, mixed = 0;
        for (auto w : words) {
            if (is_all_caps(w))
                ++capitals;
            else if (has_lower(w))
                ++mixed;
        }
        if (capitals >= 2 && capitals > mixed) {
            // A name is a run of mixed-case words ("Le Duc Tho"); each name once a line.
            auto is_name_word = [](std::string_view w) {
                return has_lower(w) && !is_all_caps(w) &&
                       std::isupper(static_cast<unsigned char>(w[0]));
            };
            std::set<std::string> named;
            for (std::size_t i = 0; i < words.size();) {
                if (!is_name_word(words[i])) {
                    ++i;
                    continue;
                }
                std::size_t j = i + 1;
                while (j < words.size() && is_name_word(words[j])) ++j;
                auto start = static_cast<std::size_t>(words[i].data() - t.data());
                auto stop =
                    static_cast<std::size_t>(words[j - 1].data() - t.data()) + words[j - 1].size();
                auto name = std::string_view{t}.substr(start, stop - start);
                while (!name.empty() && !std::isalpha(static_cast<unsigned char>(name.back())))
                    name.remove_suffix(1);
                if (named.insert(std::string{name}).second)
                    note("mixed_case", name, start, {{"word", std::string{name}}});
                i = j;
            }
        }
    }

    const document& doc_;
    const explain_table& table_;
    std::set<std::string> contexts_;
    explained_line* line_ = nullptr;
    std::set<line_role> seen_;
};

/// Diagnostics without a line that still belong to one: a title check goes to the title, the
/// classification taken from the source note to the source note.
std::optional<line_role> home_of(const diagnostic& d) {
    if (d.code == "title-dtg-mismatch" || d.code == "title-series-mismatch" ||
        d.code == "series-from-title")
        return line_role::title;
    if (d.code == "classification-from-source-note") return line_role::source_note;
    if (d.code == "precedence-missing")
        return line_role::precedence_dtg;  // placed at the cable's start
    return std::nullopt;
}

}  // namespace

walkthrough explain_document(std::string_view name, std::string_view text, const document& doc,
                             const explain_table& table) {
    walkthrough w;
    w.name = std::string{name};
    std::map<std::size_t, const line_reading*> readings;
    for (const auto& r : doc.line_map) readings.emplace(r.line, &r);
    walker walk{doc, table};
    const auto contexts = walker::contexts_of(doc);
    std::map<std::size_t, std::size_t> index_of_line;  // line number → index in w.lines
    std::size_t number = 1, start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        auto raw = text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start);
        while (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        std::string line;
        for (char ch : raw)
            line += (static_cast<unsigned char>(ch) < 0x20 && ch != '\t') || ch == 0x7F ? ' ' : ch;
        if (!trim(line).empty()) {
            auto it = readings.find(number);
            index_of_line[number] = w.lines.size();
            w.lines.push_back(
                walk.explain(number, std::move(line), it == readings.end() ? nullptr : it->second));
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
        ++number;
    }
    // Garbled words: the garble note goes under the line, with the word the diagnostic points at.
    for (const auto& d : doc.notes_for_reader) {
        explained_line* home = nullptr;
        if (auto role = home_of(d)) {
            auto wanted = to_string(*role);
            for (auto& l : w.lines)
                if (l.role == wanted) {
                    home = &l;
                    break;
                }
        }
        if (!home && d.where.line != 0) {
            // The line itself, or the first line after it with text (a cable-wide diagnostic is
            // placed at the start of the cable, which may be a blank line).
            auto it = index_of_line.lower_bound(d.where.line);
            if (it != index_of_line.end()) home = &w.lines[it->second];
        }
        if (!home) {
            w.unplaced.push_back(d);
            continue;
        }
        home->diagnostics.push_back(d);
        if (d.code == "garbled-word" && d.where.column != 0) {
            if (const auto* e = table.find("garble")) {
                auto at = byte_of_column(home->text, d.where.column);
                auto stop = at;
                while (stop < home->text.size() && home->text[stop] != ' ') ++stop;
                auto word = home->text.substr(at, stop - at);
                explain_note n{e->id,
                               word,
                               d.where.column,
                               e->title,
                               fill(e->value_template, {{"word", word}}),
                               e->text,
                               {},
                               e->sources};
                for (const auto& cn : e->notes) {
                    if (!contexts.count(cn.context)) continue;
                    n.note += (n.note.empty() ? "" : " ") + cn.text;
                    for (const auto& src : cn.sources)
                        if (std::find(n.sources.begin(), n.sources.end(), src) == n.sources.end())
                            n.sources.push_back(src);
                }
                // Before the first note about a later column of the line.
                auto before =
                    std::find_if(home->notes.begin(), home->notes.end(),
                                 [&](const explain_note& x) { return x.column > n.column; });
                home->notes.insert(before, std::move(n));
            }
        }
    }
    return w;
}

json to_json(const walkthrough& w) {
    json j;
    j["name"] = w.name;
    json lines = json::array();
    for (const auto& l : w.lines) {
        json notes = json::array();
        for (const auto& n : l.notes)
            notes.push_back(json{{"element", n.element},
                                 {"label", n.label},
                                 {"column", n.column},
                                 {"title", n.title},
                                 {"value", n.value},
                                 {"text", n.text},
                                 {"note", n.note},
                                 {"sources", n.sources}});
        json diags = json::array();
        for (const auto& d : l.diagnostics) diags.push_back(to_json(d));
        lines.push_back(json{{"line", l.number},
                             {"text", l.text},
                             {"role", l.role.empty() ? json(nullptr) : json(l.role)},
                             {"continuation", l.continuation},
                             {"notes", notes},
                             {"diagnostics", diags}});
    }
    j["lines"] = std::move(lines);
    json unplaced = json::array();
    for (const auto& d : w.unplaced) unplaced.push_back(to_json(d));
    j["unplaced_diagnostics"] = std::move(unplaced);
    json imported = json::array();
    for (const auto& d : w.import_diagnostics) imported.push_back(to_json(d));
    j["import_diagnostics"] = std::move(imported);
    return j;
}

// ---- Text -------------------------------------------------------------------------------------

namespace {

struct style {
    bool on = false;
    std::string wrap(std::string_view code, std::string_view s) const {
        if (!on) return std::string{s};
        return fmt::format("\x1b[{}m{}\x1b[0m", code, s);
    }
};

/// Words of `text` wrapped at `width` columns, the first line after `first` (already printed,
/// `first_width` columns wide), the others after `indent` spaces.
std::string wrap_text(std::string_view text, std::size_t width, std::size_t first_width,
                      std::size_t indent) {
    std::string out;
    std::size_t col = first_width;
    bool line_start = true;
    for (auto w : split_words(text)) {
        auto len = utf8_length(w);
        if (width != 0 && !line_start && col + 1 + len > width) {
            out += '\n';
            out.append(indent, ' ');
            col = indent;
            line_start = true;
        }
        if (!line_start) {
            out += ' ';
            ++col;
        }
        out.append(w);
        col += len;
        line_start = false;
    }
    return out;
}

std::string severity_code(severity s) {
    return s == severity::error ? "31" : s == severity::warning ? "33" : "36";
}

}  // namespace

std::string render_walkthroughs(const std::vector<walkthrough>& ws, const explain_table& table,
                                const explain_render_options& o) {
    style st{o.colour};
    std::string out;
    std::vector<std::string> cited;  // source keys in order of first use
    auto ref = [&](const std::vector<std::string>& keys) {
        std::string r;
        for (const auto& k : keys) {
            auto it = std::find(cited.begin(), cited.end(), k);
            std::size_t n = static_cast<std::size_t>(it - cited.begin()) + 1;
            if (it == cited.end()) cited.push_back(k);
            if (!r.empty()) r += ',';
            r += std::to_string(n);
        }
        return r.empty() ? r : fmt::format("[{}]", r);
    };
    // An element explained once is not explained again: its later notes give their value and
    // point back to the line where the explanation stands.
    std::map<std::string, std::size_t> explained_at;
    constexpr std::size_t gutter = 6;  // "  12  "
    const std::string indent(gutter + 2, ' ');
    bool first = true;
    for (const auto& w : ws) {
        if (!first) out += "\n";
        first = false;
        out += st.wrap("1", fmt::format("{}", w.name)) + "\n\n";
        explained_at.clear();
        for (const auto& d : w.import_diagnostics)
            out += st.wrap(severity_code(d.level), format_diagnostic("XML", d)) + "\n";
        for (const auto& l : w.lines) {
            auto number = fmt::format("{:>4}  ", l.number);
            out += st.wrap("2", number) + st.wrap("1", wrap_text(l.text, o.wrap, gutter, gutter)) +
                   "\n";
            for (const auto& n : l.notes) {
                std::string head = n.label.empty() ? n.title
                                                   : fmt::format("{} ({}:{}) {}", n.label, l.number,
                                                                 n.column, n.title);
                std::string body = n.value.empty() ? n.text : n.value + " " + n.text;
                if (!n.note.empty()) body += " " + n.note;
                std::string refs = ref(n.sources);
                auto [first_at, fresh] = explained_at.emplace(n.element, l.number);
                if (!fresh) {
                    body = fmt::format("{}{}(Explained at line {}.)", n.value,
                                       n.value.empty() ? "" : " ", first_at->second);
                    refs.clear();
                }
                std::string lead = std::string(gutter, ' ') + "- ";
                std::string headline =
                    lead + st.wrap("36;1", wrap_text(head, o.wrap, gutter + 2, indent.size()));
                out += headline + "\n" + indent +
                       wrap_text(refs.empty() ? body : body + " " + refs, o.wrap, indent.size(),
                                 indent.size()) +
                       "\n";
            }
            for (const auto& d : l.diagnostics) {
                auto s = fmt::format("{}:{}: {} [{}] {}", d.where.line, d.where.column,
                                     to_string(d.level), d.code, d.message);
                if (d.where.line == 0)
                    s = fmt::format("{} [{}] {}", to_string(d.level), d.code, d.message);
                out += std::string(gutter, ' ') + "! " +
                       st.wrap(severity_code(d.level),
                               wrap_text(s, o.wrap, gutter + 2, indent.size())) +
                       "\n";
            }
        }
        for (const auto& d : w.unplaced)
            out += fmt::format(
                "! {}\n",
                st.wrap(severity_code(d.level),
                        wrap_text(fmt::format("{} [{}] {}", to_string(d.level), d.code, d.message),
                                  o.wrap, 2, 2)));
    }
    if (!cited.empty()) {
        out += fmt::format("\n{}\n", st.wrap("1", "Sources"));
        for (std::size_t i = 0; i < cited.size(); ++i) {
            const auto* s = table.source(cited[i]);
            auto lead = fmt::format("[{}] ", i + 1);
            out +=
                lead + wrap_text(s ? s->text : cited[i], o.wrap, lead.size(), lead.size()) + "\n";
        }
    }
    return out;
}

}  // namespace hakto::terminals
