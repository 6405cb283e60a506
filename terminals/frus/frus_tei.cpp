#include "terminals/frus/frus_tei.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"

namespace hakto::terminals::frus_detail {

using namespace hakto::protocol;

line_index::line_index(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n') starts_.push_back(i + 1);
}

source_position line_index::at(std::ptrdiff_t offset) const {
    if (offset < 0) return {};
    auto off = std::min(static_cast<std::size_t>(offset), text_.size());
    auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
    auto line = static_cast<std::size_t>(it - starts_.begin());
    auto start = starts_[line - 1];
    return {line, column_of(text_.substr(start, off - start), off - start)};
}

std::string_view local_name(const pugi::xml_node& n) {
    std::string_view s = n.name();
    auto colon = s.find(':');
    return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

pugi::xml_attribute find_attribute(const pugi::xml_node& n, std::string_view local) {
    for (auto a : n.attributes()) {
        std::string_view name = a.name();
        auto colon = name.find(':');
        if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) return a;
    }
    return {};
}

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

namespace {

/// Deeper nesting than this is not followed (a hostile file must not exhaust the stack).
constexpr std::size_t max_depth = 200;

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

}  // namespace

void read_document_div(const pugi::xml_node& div, const line_index& index, frus_document& doc) {
    document_reader reader(index, doc);
    reader.read(div);
}

}  // namespace hakto::terminals::frus_detail
