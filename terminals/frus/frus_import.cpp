// Assembling the documents: each <div type="document"> read (frus_tei.cpp), recognised as a
// backchannel document or not, its published text built and parsed; finding one by its id,
// number or series tag.
#include "terminals/frus/frus_import.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/text/text_util.hpp"
#include "sim/io/file_reader.hpp"
#include "terminals/frus/frus_tei.hpp"

namespace hakto::terminals {

std::string_view to_string(frus_recognition r) {
    switch (r) {
        case frus_recognition::none:
            return "none";
        case frus_recognition::title_series:
            return "title-series";
        case frus_recognition::title_backchannel:
            return "title-backchannel";
        case frus_recognition::routing_line:
            return "routing-line";
    }
    return "none";
}

namespace {

using namespace hakto::protocol;
using namespace frus_detail;

/// Visits each sub-line of a body line (split at <lb/>).
template <class F>
bool any_sub_line(const std::vector<frus_line>& lines, F&& f) {
    for (const auto& l : lines) {
        std::string_view t = l.text;
        while (!t.empty()) {
            auto nl = t.find('\n');
            if (f(trim(t.substr(0, nl)))) return true;
            if (nl == std::string_view::npos) break;
            t.remove_prefix(nl + 1);
        }
    }
    return false;
}

/// "O 211615Z", "191810Z JUN 72", "P 201713Z JUN 772".
bool looks_like_dtg_line(std::string_view line) {
    auto upper = to_upper_ascii(fold_slashed_zero(line));
    auto words = split_words(upper);
    std::size_t i = 0;
    while (i < words.size() && i < 2 && words[i].size() <= 2 &&
           std::all_of(words[i].begin(), words[i].end(),
                       [](char c) { return precedence_from_letter(c).has_value(); }))
        ++i;
    if (i >= words.size()) return false;
    auto w = words[i];
    return w.size() == 7 &&
           std::all_of(w.begin(), w.begin() + 6, [](char c) { return c >= '0' && c <= '9'; }) &&
           w[6] >= 'A' && w[6] <= 'Z';
}

bool looks_like_cable_line(std::string_view line) {
    if (line.empty() || line.size() > 80) return false;
    auto upper = to_upper_ascii(line);
    return read_routing_line(line).has_value() || looks_like_dtg_line(line) ||
           read_series_tag(line).has_value() || upper == "NNNN" || upper == "BT" ||
           upper.rfind("VZCZC", 0) == 0 || upper.rfind("ZCZC", 0) == 0;
}

bool contains_ci(std::string_view hay, std::string_view needle) {
    auto h = to_upper_ascii(hay);
    auto n = to_upper_ascii(needle);
    return h.find(n) != std::string::npos;
}

void recognise(frus_document& d) {
    if (d.series)
        d.recognised_by = frus_recognition::title_series;
    else if (contains_ci(d.title, "Backchannel Message") ||
             contains_ci(d.title, "Back Channel Message") ||
             contains_ci(d.title, "Back-channel Message"))
        d.recognised_by = frus_recognition::title_backchannel;
    else if (any_sub_line(d.cable_lines, [](std::string_view s) {
                 return s.size() <= 40 && read_routing_line(s).has_value();
             }))
        d.recognised_by = frus_recognition::routing_line;
}

bool starts_with_number(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > 0 && i < s.size() && s[i] == '.';
}

/// A body line with its page-break markers, as the parser reads them: in the cable a page
/// break inside a paragraph becomes a marker line (the parser joins the lines around it), in
/// the memo an inline "[Page N]" (the parser removes it from the text).
std::string render_line(const frus_line& l, bool cable) {
    std::string out;
    for (const auto& p : l.page_breaks)
        if (p.offset == 0) out += fmt::format("[Page {}]\n\n", p.n);
    std::string text = l.text;
    std::vector<const frus_page_break*> mid;
    for (const auto& p : l.page_breaks)
        if (p.offset > 0 && p.offset < text.size()) mid.push_back(&p);
    std::stable_sort(mid.begin(), mid.end(), [](auto a, auto b) { return a->offset > b->offset; });
    for (const auto* p : mid) {
        auto off = p->offset;
        char at = text[off];
        char before = text[off - 1];
        auto marker = fmt::format("[Page {}]", p->n);
        if (cable) {
            if (at == ' ')
                text = text.substr(0, off) + "\n" + marker + "\n" + text.substr(off + 1);
            else if (at == '\n')
                text = text.substr(0, off) + "\n" + marker + text.substr(off);
            else if (before == '\n')
                text = text.substr(0, off) + marker + "\n" + text.substr(off);
            // Inside a word: the cable reader would split the word; the marker is left out.
        } else {
            text.insert(off, at == ' ' ? " " + marker : marker);
        }
    }
    out += text;
    out += '\n';
    return out;
}

void build_published_text(frus_document& d) {
    std::string out;
    if (!d.title.empty()) {
        if (!starts_with_number(d.title) && d.number) out += fmt::format("{}. ", *d.number);
        out += d.title;
        out += '\n';
    }
    auto put = [&](const frus_line& l, bool cable) {
        if (!out.empty()) out += '\n';
        out += render_line(l, cable);
    };
    for (const auto& l : d.cable_lines) put(l, true);
    if (d.has_covering_memo) {
        if (!out.empty()) out += '\n';
        out += "[Covering memorandum]\n";
    }
    for (const auto& l : d.memo_lines) put(l, false);
    if (!d.notes.empty()) {
        // The parser finds the notes by the source note that opens them.
        if (starts_with_word(d.notes.front().text, "Source")) {
            if (!out.empty()) out += '\n';
            for (const auto& n : d.notes) out += fmt::format("  {}. {}\n", n.number, n.text);
        } else {
            d.import_diagnostics.push_back(diagnostic{
                d.notes.front().where, severity::warning, "frus-notes-left-out",
                fmt::format(
                    "the notes do not open with a source note, so the parser could not tell them "
                    "from the text; the {} notes are left out of the published text",
                    d.notes.size())});
        }
    }
    d.published_text = std::move(out);
}

std::string files_list(const std::vector<std::string>& files) {
    std::string s;
    for (const auto& f : files) {
        if (!s.empty()) s += ", ";
        s += f;
    }
    return s.empty() ? "(no files)" : s;
}

}  // namespace

expected<std::vector<frus_document>, frus_error> import_frus(std::string_view xml,
                                                             std::string_view file_name,
                                                             const frus_import_options& options) {
    std::string name{file_name.empty() ? "<input>" : file_name};
    if (std::all_of(xml.begin(), xml.end(), is_ws))
        return frus_error{fmt::format("{}: empty: there is no XML in it", name)};
    line_index index(xml);
    if (auto nul = xml.find('\0'); nul != std::string_view::npos) {
        auto where = index.at(static_cast<std::ptrdiff_t>(nul));
        return frus_error{fmt::format("{}:{}:{}: not XML: a NUL byte (binary data?)", name,
                                      where.line, where.column)};
    }
    pugi::xml_document tree;
    auto result = tree.load_buffer(
        xml.data(), xml.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
    if (result.status == pugi::status_no_document_element) {
        auto first =
            static_cast<std::size_t>(std::find_if_not(xml.begin(), xml.end(), is_ws) - xml.begin());
        auto where = index.at(static_cast<std::ptrdiff_t>(first));
        return frus_error{
            fmt::format("{}:{}:{}: not XML: no root element", name, where.line, where.column)};
    }
    if (!result) {
        auto where = index.at(result.offset);
        return frus_error{fmt::format("{}:{}:{}: not well-formed XML: {}", name, where.line,
                                      where.column, result.description())};
    }
    auto root = tree.document_element();
    if (!root) return frus_error{fmt::format("{}: not XML: no root element", name)};
    auto root_name = local_name(root);
    if (root_name != "TEI" && root_name != "teiCorpus") {
        auto where = index.at(node_offset(root));
        return frus_error{
            fmt::format("{}:{}:{}: not a TEI document: the root element is <{}>, not <TEI>", name,
                        where.line, where.column, root.name())};
    }
    // Every <div type="document">, in document order (iteratively; not inside one another).
    std::vector<pugi::xml_node> divs;
    preorder(root, [&](const pugi::xml_node& n) {
        if (n.type() != pugi::node_element) return false;
        if (local_name(n) == "div" &&
            std::string_view{find_attribute(n, "type").value()} == "document") {
            divs.push_back(n);
            return false;
        }
        return true;
    });
    if (divs.empty())
        return frus_error{fmt::format("{}: no <div type=\"document\"> in this TEI file", name)};

    std::vector<frus_document> out;
    for (const auto& div : divs) {
        frus_document doc;
        doc.file = name;
        read_document_div(div, index, doc);
        recognise(doc);
        if (!doc.is_backchannel() && !options.all_documents) continue;
        bool cable_looking = any_sub_line(doc.cable_lines, looks_like_cable_line);
        if (!cable_looking)
            doc.import_diagnostics.push_back(
                diagnostic{doc.where, doc.is_backchannel() ? severity::warning : severity::note,
                           "frus-no-cable-lines",
                           "no line of the document looks like a cable header (routing line, DTG, "
                           "series tag)"});
        build_published_text(doc);
        doc.parsed = parse_document(doc.published_text, options.parse);
        out.push_back(std::move(doc));
    }
    return out;
}

expected<std::vector<frus_document>, frus_error> import_frus_file(
    const std::string& path, const frus_import_options& options) {
    auto data = sim::read_file(path);
    if (!data) return frus_error{data.error().message()};
    return import_frus(data.value(), path, options);
}

bool frus_document_matches(const frus_document& doc, std::string_view which) {
    which = trim(which);
    if (which.empty()) return false;
    if (iequals(which, doc.id)) return true;
    if (auto n = to_int(which)) return doc.number == n;
    auto tag = read_series_tag(which);
    if (!tag) return false;
    auto same = [&](const std::optional<series_tag>& s) {
        return s && s->name == tag->name && (!tag->number || s->number == tag->number);
    };
    return same(doc.series) || same(doc.parsed.message.series);
}

expected<std::size_t, frus_error> locate_frus_document(const std::vector<frus_document>& docs,
                                                       std::string_view which,
                                                       const std::vector<std::string>& files) {
    auto w = trim(which);
    bool is_id = w.size() > 1 && (w[0] == 'd' || w[0] == 'D') &&
                 std::all_of(w.begin() + 1, w.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!is_id && !to_int(w) && !read_series_tag(w) &&
        std::none_of(docs.begin(), docs.end(), [&](const auto& d) { return iequals(d.id, w); }))
        return frus_error{fmt::format(
            "'{}' is neither a document id (d141), a number (141) nor a series tag (HAKTO 9)", w)};
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < docs.size(); ++i)
        if (frus_document_matches(docs[i], w)) hits.push_back(i);
    if (hits.empty()) return frus_error{fmt::format("{} not found in {}", w, files_list(files))};
    if (hits.size() > 1) {
        std::string ids;
        for (std::size_t k = 0; k < hits.size() && k < 10; ++k)
            ids += (ids.empty() ? "" : ", ") + docs[hits[k]].id;
        if (hits.size() > 10) ids += fmt::format(" and {} more", hits.size() - 10);
        return frus_error{
            fmt::format("{} matches {} in {}; name one by its id", w, ids, files_list(files))};
    }
    return hits.front();
}

expected<frus_document, frus_error> find_frus_document(const std::vector<std::string>& files,
                                                       std::string_view which,
                                                       const frus_import_options& options) {
    auto all = options;
    all.all_documents = true;
    std::vector<frus_document> docs;
    for (const auto& f : files) {
        auto r = import_frus_file(f, all);
        if (!r) return r.error();
        for (auto& d : r.value()) docs.push_back(std::move(d));
    }
    auto at = locate_frus_document(docs, which, files);
    if (!at) return at.error();
    return std::move(docs[at.value()]);
}

}  // namespace hakto::terminals