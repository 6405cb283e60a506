#include "terminals/frus/frus_import.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "protocol/cable/precedence.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/text/text_util.hpp"
#include "sim/io/file_reader.hpp"

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

/// Deeper nesting than this is not followed (a hostile file must not exhaust the stack).
constexpr std::size_t max_depth = 200;

/// Byte offset → 1-based line and character column.
class line_index {
  public:
    explicit line_index(std::string_view text) : text_(text) {
        starts_.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') starts_.push_back(i + 1);
    }
    source_position at(std::ptrdiff_t offset) const {
        if (offset < 0) return {};
        auto off = std::min(static_cast<std::size_t>(offset), text_.size());
        auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
        auto line = static_cast<std::size_t>(it - starts_.begin());
        auto start = starts_[line - 1];
        return {line, column_of(text_.substr(start, off - start), off - start)};
    }

  private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

std::string_view local_name(const pugi::xml_node& n) {
    std::string_view s = n.name();
    auto colon = s.find(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

/// The attribute with this local name ("id" finds xml:id), or an empty attribute.
pugi::xml_attribute find_attribute(const pugi::xml_node& n, std::string_view local) {
    for (auto a : n.attributes()) {
        std::string_view name = a.name();
        auto colon = name.find(':');
        if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) return a;
    }
    return {};
}

/// Where a node starts: the '<' of an element, the first character of text.
std::ptrdiff_t node_offset(const pugi::xml_node& n) {
    auto off = n.offset_debug();
    return off > 0 && n.type() == pugi::node_element ? off - 1 : off;
}

std::optional<int> to_int(std::string_view s) {
    s = trim(s);
    int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// Collects text with whitespace collapsed; '\n' for a line break; page breaks by offset.
class text_builder {
  public:
    void text(std::string_view s) {
        for (char c : s) {
            if (is_ws(c)) {
                space_ = true;
                continue;
            }
            if (space_ && !s_.empty() && s_.back() != '\n') s_ += ' ';
            space_ = false;
            s_ += c;
        }
    }
    void space() { space_ = true; }
    void line_break() {
        if (!s_.empty() && s_.back() != '\n') s_ += '\n';
        space_ = false;
    }
    void page_break(std::string n) { pages_.push_back({s_.size(), std::move(n)}); }
    bool empty() const { return s_.empty(); }
    /// The text without trailing line breaks, and its page breaks.
    std::pair<std::string, std::vector<frus_page_break>> take() {
        while (!s_.empty() && s_.back() == '\n') s_.pop_back();
        auto out = std::pair{std::move(s_), std::move(pages_)};
        s_.clear();
        pages_.clear();
        space_ = false;
        return out;
    }

  private:
    std::string s_;
    std::vector<frus_page_break> pages_;
    bool space_ = false;
};

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// Elements that make a line (or a run of lines) of their own.
bool is_block(std::string_view n) {
    return one_of(n, {"p",       "ab",       "list",     "table",        "div",        "attachment",
                      "head",    "dateline", "closer",   "opener",       "postscript", "salute",
                      "signed",  "byline",   "trailer",  "floatingText", "lg",         "l",
                      "sp",      "speaker",  "argument", "epigraph",     "docDate",    "docAuthor",
                      "address", "addrLine", "item",     "row",          "cell",       "body",
                      "front",   "back",     "text",     "group"});
}

/// Elements whose text is read as running text without comment.
bool is_known_inline(std::string_view n) {
    return one_of(
        n,
        {"hi",       "persName", "gloss",   "placeName", "orgName",    "name",     "rs",
         "ref",      "date",     "time",    "term",      "foreign",    "emph",     "title",
         "seg",      "add",      "sic",     "corr",      "orig",       "reg",      "abbr",
         "expan",    "unclear",  "num",     "measure",   "geogName",   "roleName", "forename",
         "surname",  "addName",  "genName", "said",      "mentioned",  "soCalled", "q",
         "quote",    "c",        "w",       "span",      "distinct",   "idno",     "label",
         "supplied", "damage",   "country", "region",    "settlement", "bloc",     "objectName"});
}

/// Empty markers with nothing to read.
bool is_ignorable(std::string_view n) {
    return one_of(n, {"anchor", "index", "ptr", "cb", "gb", "milestone", "link", "interp",
                      "certainty", "alt"});
}

/// Elements whose content is left out (and said so).
bool is_skipped(std::string_view n) {
    return one_of(n, {"figure", "graphic", "media", "fw", "del", "gap", "formula", "binaryObject",
                      "figDesc"});
}

/// Visits the descendants of `top` in document order without recursion; `f(node)` returns
/// whether to descend into the node.
template <class F>
void preorder(const pugi::xml_node& top, F&& f) {
    for (auto it = top.first_child(); it;) {
        if (f(it) && it.first_child()) {
            it = it.first_child();
            continue;
        }
        while (it && it != top && !it.next_sibling()) it = it.parent();
        if (!it || it == top) break;
        it = it.next_sibling();
    }
}

/// All the text below `el`, notes left out, whitespace collapsed.
std::string descendant_text(const pugi::xml_node& el) {
    text_builder b;
    preorder(el, [&](const pugi::xml_node& n) {
        if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) b.text(n.value());
        if (n.type() == pugi::node_element && local_name(n) == "lb") b.space();
        return !(n.type() == pugi::node_element && local_name(n) == "note");
    });
    return b.take().first;
}

bool has_block_child(const pugi::xml_node& el) {
    for (auto c : el.children())
        if (c.type() == pugi::node_element && is_block(local_name(c))) return true;
    return false;
}

/// Reads one <div type="document"> into a frus_document.
class document_reader {
  public:
    document_reader(const line_index& index, frus_document& doc) : index_(index), doc_(doc) {}

    void read(const pugi::xml_node& div) {
        doc_.where = pos(div);
        if (auto id = find_attribute(div, "id")) doc_.id = id.value();
        if (auto n = find_attribute(div, "n")) doc_.number = to_int(n.value());
        bool title_seen = false;
        block_where_ = doc_.where;
        for (auto child : div.children()) {
            if (child.type() == pugi::node_element && local_name(child) == "head" && !title_seen) {
                title_seen = true;
                in_title_ = true;
                auto title = capture(child, 1);
                in_title_ = false;
                std::replace(title.begin(), title.end(), '\n', ' ');
                doc_.title = std::move(title);
                continue;
            }
            visit(child, 1);
        }
        flush();
        finish(title_seen);
    }

  private:
    const line_index& index_;
    frus_document& doc_;
    text_builder cur_;
    bool capturing_ = false;
    bool in_title_ = false;
    bool in_note_ = false;
    std::vector<frus_page_break> pending_pages_;
    std::vector<frus_line> lines_;
    source_position block_where_;
    struct tally {
        std::size_t count = 0;
        source_position first;
    };
    std::map<std::string, tally> skipped_, unknown_;
    std::optional<source_position> too_deep_;

    source_position pos(const pugi::xml_node& n) const { return index_.at(node_offset(n)); }

    void report(source_position where, severity level, std::string code, std::string message) {
        doc_.import_diagnostics.push_back(
            diagnostic{where, level, std::move(code), std::move(message)});
    }

    void count(std::map<std::string, tally>& m, const pugi::xml_node& el) {
        auto& t = m[el.name()];
        if (t.count++ == 0) t.first = pos(el);
    }

    /// A child of an element with mixed content.
    void visit(const pugi::xml_node& n, std::size_t depth) {
        switch (n.type()) {
            case pugi::node_pcdata:
            case pugi::node_cdata:
                cur_.text(n.value());
                break;
            case pugi::node_element:
                element(n, depth);
                break;
            default:
                break;  // comments, processing instructions
        }
    }

    void children(const pugi::xml_node& el, std::size_t depth) {
        for (auto c : el.children()) visit(c, depth);
    }

    void element(const pugi::xml_node& el, std::size_t depth) {
        if (depth > max_depth) {
            if (!too_deep_) too_deep_ = pos(el);
            return;
        }
        auto name = local_name(el);
        if (name == "note") return note(el, depth);
        if (name == "pb") {
            auto n = find_attribute(el, "n");
            cur_.page_break(n ? n.value() : "");
            return;
        }
        if (name == "lb") return cur_.line_break();
        if (is_ignorable(name)) return;
        if (is_skipped(name)) return count(skipped_, el);
        if (name == "choice") return choice(el, depth);
        if (name == "list") return list(el, depth);
        if (name == "table") return table(el, depth);
        if (name == "dateline" && !doc_.dateline && lines_.empty() && cur_.empty() && !capturing_)
            return dateline(el, depth);
        bool known = is_block(name) || is_known_inline(name);
        if (!known) count(unknown_, el);
        if (is_block(name) || has_block_child(el)) {
            flush();
            auto outer = block_where_;
            block_where_ = pos(el);
            children(el, depth + 1);
            flush();
            block_where_ = outer;
            return;
        }
        children(el, depth + 1);
    }

    /// <choice>: the corrected, regularised or expanded reading, else the first.
    void choice(const pugi::xml_node& el, std::size_t depth) {
        for (std::string_view want : {"corr", "reg", "expan"})
            for (auto c : el.children())
                if (c.type() == pugi::node_element && local_name(c) == want)
                    return children(c, depth + 1);
        for (auto c : el.children())
            if (c.type() == pugi::node_element) return children(c, depth + 1);
    }

    /// Ends the current line. While capturing (a title, a note, a cell), a block boundary is
    /// a space instead.
    void flush() {
        if (capturing_) {
            cur_.space();
            return;
        }
        auto [text, pages] = cur_.take();
        if (text.empty()) {
            if (!lines_.empty())
                pending_pages_.insert(pending_pages_.end(), pages.begin(), pages.end());
            return;
        }
        frus_line line;
        line.where = block_where_;
        // Page breaks before the first line are the first page: nothing to mark.
        if (!lines_.empty()) line.page_breaks = std::move(pending_pages_);
        pending_pages_.clear();
        for (auto& p : pages) {
            if (p.offset >= text.size())
                pending_pages_.push_back({0, std::move(p.n)});
            else if (p.offset > 0 || !lines_.empty())
                line.page_breaks.push_back(std::move(p));
        }
        line.text = std::move(text);
        lines_.push_back(std::move(line));
    }

    /// The flattened text of an element (notes inside it still become notes).
    std::string capture(const pugi::xml_node& el, std::size_t depth) {
        text_builder outer;
        std::swap(outer, cur_);
        bool was_capturing = std::exchange(capturing_, true);
        children(el, depth + 1);
        capturing_ = was_capturing;
        std::swap(outer, cur_);
        auto [text, pages] = outer.take();
        for (auto& p : pages) pending_pages_.push_back({0, std::move(p.n)});
        std::replace(text.begin(), text.end(), '\n', ' ');
        return text;
    }

    void note(const pugi::xml_node& el, std::size_t depth) {
        if (in_note_) {
            count(skipped_, el);
            return;
        }
        frus_note n;
        n.where = pos(el);
        n.in_title = in_title_;
        n.type = find_attribute(el, "type").value();
        auto given = find_attribute(el, "n");
        auto number = given ? to_int(given.value()) : std::nullopt;
        in_note_ = true;
        n.text = capture(el, depth);
        in_note_ = false;
        if (number) {
            n.number = *number;
        } else {
            n.number = doc_.notes.empty() ? 1 : doc_.notes.back().number + 1;
            report(n.where, severity::note, "frus-note-number",
                   given ? fmt::format("the note number '{}' is not a number; numbered {}",
                                       given.value(), n.number)
                         : fmt::format("a note without a number; numbered {}", n.number));
        }
        doc_.notes.push_back(std::move(n));
    }

    void dateline(const pugi::xml_node& el, std::size_t depth) {
        frus_dateline d;
        d.text = capture(el, depth);
        // The first <placeName> and <date when> inside it.
        preorder(el, [&](const pugi::xml_node& n) {
            if (n.type() != pugi::node_element) return false;
            auto name = local_name(n);
            if (name == "note") return false;
            if (name == "placeName" && !d.place) d.place = descendant_text(n);
            if (name == "date" && !d.when)
                if (auto w = find_attribute(n, "when")) d.when = w.value();
            return true;
        });
        if (!d.when)
            report(pos(el), severity::note, "frus-dateline-no-when",
                   "the dateline has no <date when=\"…\">; its time is only in the text");
        doc_.dateline = std::move(d);
    }

    void list(const pugi::xml_node& el, std::size_t depth) {
        flush();
        auto outer = block_where_;
        std::string head, label;
        bool first = true;
        for (auto c : el.children()) {
            if (c.type() != pugi::node_element) {
                visit(c, depth + 1);
                continue;
            }
            auto name = local_name(c);
            if (name == "head") {
                if (!head.empty()) head += ' ';
                head += capture(c, depth + 1);
            } else if (name == "label") {
                label = capture(c, depth + 1);
            } else if (name == "item") {
                flush();
                block_where_ = pos(c);
                std::string prefix = first ? head : std::string{};
                if (!label.empty()) prefix += (prefix.empty() ? "" : " ") + label;
                if (!prefix.empty()) {
                    cur_.text(prefix);
                    cur_.space();
                }
                children(c, depth + 2);
                flush();
                first = false;
                label.clear();
            } else {
                element(c, depth + 1);
            }
        }
        if (first && !head.empty()) cur_.text(head);
        if (!label.empty()) {
            cur_.space();
            cur_.text(label);
        }
        flush();
        block_where_ = outer;
    }

    void table(const pugi::xml_node& el, std::size_t depth) {
        flush();
        auto outer = block_where_;
        for (auto c : el.children()) {
            if (c.type() != pugi::node_element) continue;
            auto name = local_name(c);
            if (name == "row") {
                block_where_ = pos(c);
                std::string row;
                bool first = true;
                for (auto cell : c.children()) {
                    if (cell.type() != pugi::node_element) continue;
                    if (local_name(cell) != "cell") {
                        element(cell, depth + 2);
                        continue;
                    }
                    if (!first) row += " | ";
                    row += capture(cell, depth + 2);
                    first = false;
                }
                cur_.text(row);
                flush();
            } else {
                block_where_ = pos(c);
                element(c, depth + 1);
                flush();
            }
        }
        block_where_ = outer;
    }

    void finish(bool title_seen) {
        auto& d = doc_;
        if (d.id.empty()) {
            d.id = d.number ? fmt::format("d{}", *d.number) : fmt::format("line{}", d.where.line);
            report(d.where, severity::warning, "frus-no-id",
                   fmt::format("the document has no xml:id; called {}", d.id));
        }
        if (!d.number) {
            auto digits = std::string_view{d.id};
            while (!digits.empty() && !std::isdigit(static_cast<unsigned char>(digits.front())))
                digits.remove_prefix(1);
            d.number = to_int(digits);
            if (!d.number) {
                auto words = split_words(d.title);
                if (!words.empty() && words[0].size() > 1 && words[0].back() == '.')
                    d.number = to_int(words[0].substr(0, words[0].size() - 1));
            }
        }
        if (!title_seen || d.title.empty())
            report(d.where, severity::warning, "frus-no-title", "the document has no <head> title");
        d.series = find_series_tag(d.title);
        if (!d.dateline)
            report(d.where, severity::warning, "frus-no-dateline",
                   "the document has no <dateline>");

        for (const auto& n : d.notes) {
            if (!d.source_note && (n.type == "source" || (n.type.empty() && n.in_title &&
                                                          starts_with_word(n.text, "Source"))))
                d.source_note = n.text;
            if (!d.summary && n.type == "summary") d.summary = n.text;
        }
        if (!d.source_note)
            report(d.where, severity::note, "frus-no-source-note",
                   "the document has no source note");

        // Split at "[Covering memorandum]".
        bool memo = false;
        std::vector<frus_page_break> carry;
        for (auto& l : lines_) {
            auto t = trim(l.text);
            bool marker = iequals(t, "[Covering memorandum]") || iequals(t, "[Covering memo]");
            if (marker && !memo) {
                memo = true;
                carry = std::move(l.page_breaks);
                // The marker line is left out: a page break inside it falls before the next line.
                for (auto& p : carry) p.offset = 0;
                continue;
            }
            if (marker)
                report(l.where, severity::warning, "frus-covering-marker-repeated",
                       "a second [Covering memorandum] marker; kept as a line of the memo");
            if (!carry.empty()) {
                l.page_breaks.insert(l.page_breaks.begin(), carry.begin(), carry.end());
                carry.clear();
            }
            (memo ? d.memo_lines : d.cable_lines).push_back(std::move(l));
        }
        d.has_covering_memo = memo;
        lines_.clear();

        for (const auto& [name, t] : skipped_)
            report(t.first, severity::note, "frus-skipped-element",
                   t.count == 1 ? fmt::format("<{}> is left out", name)
                                : fmt::format("<{}> is left out ({} times)", name, t.count));
        for (const auto& [name, t] : unknown_)
            report(t.first, severity::note, "frus-unknown-element",
                   t.count == 1
                       ? fmt::format(
                             "<{}> is not a TEI element the importer knows; its text is kept", name)
                       : fmt::format("<{}> is not a TEI element the importer knows; its text is "
                                     "kept ({} times)",
                                     name, t.count));
        if (too_deep_)
            report(*too_deep_, severity::warning, "frus-too-deep",
                   fmt::format("elements nested deeper than {} levels are left out", max_depth));
    }
};

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
        document_reader reader(index, doc);
        reader.read(div);
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
