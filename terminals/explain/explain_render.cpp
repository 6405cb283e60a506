// The render: walkthroughs as JSON and as text (each line of the cable, its notes and
// diagnostics under it, then the sources cited, numbered in order of first use).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"
#include "terminals/explain/cable_json.hpp"
#include "terminals/explain/explain.hpp"

namespace hakto::terminals {

using namespace hakto::protocol;
using json = nlohmann::ordered_json;

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
std::string wrap_hanging(std::string_view text, std::size_t width, std::size_t first_width,
                         std::size_t indent) {
    auto lines = wrap_words(text, width, first_width, indent);
    std::string out = std::move(lines.front());
    for (std::size_t i = 1; i < lines.size(); ++i) {
        out += '\n';
        out.append(indent, ' ');
        out += lines[i];
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
            out += st.wrap("2", number) +
                   st.wrap("1", wrap_hanging(l.text, o.wrap, gutter, gutter)) + "\n";
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
                    lead + st.wrap("36;1", wrap_hanging(head, o.wrap, gutter + 2, indent.size()));
                out += headline + "\n" + indent +
                       wrap_hanging(refs.empty() ? body : body + " " + refs, o.wrap, indent.size(),
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
                               wrap_hanging(s, o.wrap, gutter + 2, indent.size())) +
                       "\n";
            }
        }
        for (const auto& d : w.unplaced)
            out += fmt::format(
                "! {}\n", st.wrap(severity_code(d.level),
                                  wrap_hanging(fmt::format("{} [{}] {}", to_string(d.level), d.code,
                                                           d.message),
                                               o.wrap, 2, 2)));
    }
    if (!cited.empty()) {
        out += fmt::format("\n{}\n", st.wrap("1", "Sources"));
        for (std::size_t i = 0; i < cited.size(); ++i) {
            const auto* s = table.source(cited[i]);
            auto lead = fmt::format("[{}] ", i + 1);
            out += lead + wrap_hanging(s ? s->text : cited[i], o.wrap, lead.size(), lead.size()) +
                   "\n";
        }
    }
    return out;
}

}  // namespace hakto::terminals
