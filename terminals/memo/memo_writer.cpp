#include "terminals/memo/memo_writer.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "protocol/cable/dtg.hpp"
#include "protocol/text/text_util.hpp"
#include "sim/io/embedded.hpp"

namespace hakto::terminals {

namespace detail {
extern const embedded_file builtin_memo_rule_files[];
extern const std::size_t builtin_memo_rule_files_count;
}  // namespace detail

std::string rule_origin::to_string() const {
    if (file.empty()) return {};
    if (line == 0) return file;
    return fmt::format("{}:{}", file, line);
}

std::string memo_rule_problem::to_string() const {
    if (line == 0) return fmt::format("{}: {}", file, message);
    if (column == 0) return fmt::format("{}:{}: {}", file, line, message);
    return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

std::string memo_rules_error::to_string() const {
    std::string out;
    for (const auto& p : problems) out += p.to_string() + "\n";
    return out;
}

namespace {

// ─── Text: tokens ────────────────────────────────────────────────────────────────────────────

enum class tok { word, punct, space };

struct token {
    tok kind = tok::word;
    std::string text;
    bool settled = false;  ///< written by a phrase rule: the pronoun step leaves it alone
    bool fixed = false;    ///< written by the dictionary: printed as given
};

enum class unit { letter, apostrophe, dot, space, punct };

/// The character class and byte length of the character at `i`. UTF-8 aware where it matters:
/// the right single quote (’) is an apostrophe, other general punctuation (dashes, quotes) is
/// punctuation, any other non-ASCII character counts as a letter. Ill-formed bytes are letters.
std::pair<unit, std::size_t> unit_at(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            return {unit::space, 1};
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            return {unit::letter, 1};
        if (c == '\'') return {unit::apostrophe, 1};
        if (c == '.') return {unit::dot, 1};
        return {unit::punct, 1};
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + len > s.size()) len = 1;
    for (std::size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
            len = 1;
            break;
        }
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80) {
        auto third = static_cast<unsigned char>(s[i + 2]);
        if (third == 0x99) return {unit::apostrophe, 3};
        return {unit::punct, 3};
    }
    if (len == 2 && c == 0xC2) return {unit::punct, 2};  // Latin-1 punctuation and no-break space
    return {unit::letter, len};
}

/// Words (letters and digits, with apostrophes and dots inside: "CHOU'S", "U.S", "2.5"),
/// punctuation (one character each) and runs of white space (as one " ").
std::vector<token> tokenize(std::string_view s) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        auto [u, len] = unit_at(s, i);
        if (u == unit::space) {
            while (i < s.size() && unit_at(s, i).first == unit::space) i += unit_at(s, i).second;
            out.push_back({tok::space, " "});
            continue;
        }
        if (u != unit::letter) {
            out.push_back({tok::punct, std::string{s.substr(i, len)}});
            i += len;
            continue;
        }
        std::size_t j = i + len;
        while (j < s.size()) {
            auto [v, vlen] = unit_at(s, j);
            if (v == unit::letter) {
                j += vlen;
            } else if ((v == unit::apostrophe || v == unit::dot) && j + vlen < s.size() &&
                       unit_at(s, j + vlen).first == unit::letter) {
                j += vlen;
            } else {
                break;
            }
        }
        out.push_back({tok::word, std::string{s.substr(i, j - i)}});
        i = j;
    }
    return out;
}

std::string upper(std::string_view s) {
    return protocol::to_upper_ascii(s);
}

std::string lower(std::string_view s) {
    std::string out{s};
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

void capitalize_first(std::string& s) {
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
}

bool has_upper_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}
bool has_lower_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

/// Single letters joined by dots: "U.S", "A.M", "U.N".
bool is_initials(std::string_view w) {
    if (w.size() < 3) return false;
    for (std::size_t i = 0; i < w.size(); ++i) {
        char c = w[i];
        bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (i % 2 == 0 ? !letter : c != '.') return false;
    }
    return w.size() % 2 == 1;
}

/// A pattern as the upper-case words and punctuation it matches, spaces dropped.
std::vector<std::string> pattern_elements(std::string_view pattern) {
    std::vector<std::string> out;
    for (auto& t : tokenize(pattern))
        if (t.kind != tok::space) out.push_back(upper(t.text));
    return out;
}

std::string pattern_key(std::string_view pattern) {
    std::string out;
    for (auto& e : pattern_elements(pattern)) {
        if (!out.empty()) out += ' ';
        out += e;
    }
    return out;
}

std::string join(const std::vector<token>& t, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to && i < t.size(); ++i) out += t[i].text;
    return std::string{protocol::trim(out)};
}

std::string join(const std::vector<token>& t) {
    return join(t, 0, t.size());
}

// ─── Rules compiled for matching ─────────────────────────────────────────────────────────────

struct pattern_rule {
    std::vector<std::string> elems;
    std::string replacement;
    std::string article;
    std::size_t group = 0;  ///< caveat or leave-out group
    rule_origin where;
};

/// Rules by their first element, longest first.
class rule_index {
  public:
    void add(pattern_rule r) {
        if (r.elems.empty()) return;
        rules_.push_back(std::make_unique<pattern_rule>(std::move(r)));
    }
    void build() {
        for (auto& r : rules_) by_first_[r->elems.front()].push_back(r.get());
        for (auto& [k, v] : by_first_)
            std::stable_sort(v.begin(), v.end(), [](const pattern_rule* a, const pattern_rule* b) {
                return a->elems.size() > b->elems.size();
            });
    }
    const std::vector<const pattern_rule*>* starting_with(const std::string& first) const {
        auto it = by_first_.find(first);
        return it == by_first_.end() ? nullptr : &it->second;
    }
    bool empty() const { return rules_.empty(); }

  private:
    std::vector<std::unique_ptr<pattern_rule>> rules_;
    std::unordered_map<std::string, std::vector<const pattern_rule*>> by_first_;
};

enum class blocks { fixed, fixed_or_settled };

bool blocked(const token& t, blocks b) {
    return t.fixed || (b == blocks::fixed_or_settled && t.settled);
}

struct match {
    std::size_t end = 0;     ///< one past the last token matched
    std::string possessive;  ///< "'s" when the last word carried it
};

std::string possessive_suffix(std::string_view word_upper, std::string_view stem) {
    if (word_upper.size() <= stem.size() || word_upper.substr(0, stem.size()) != stem) return {};
    auto rest = word_upper.substr(stem.size());
    if (rest == "'S" || rest == "\xE2\x80\x99S") return lower(rest);
    return {};
}

std::optional<match> try_match(const std::vector<token>& t, std::size_t i, const pattern_rule& r,
                               bool possessive, blocks b) {
    std::size_t pos = i;
    match m;
    for (std::size_t k = 0; k < r.elems.size(); ++k) {
        while (pos < t.size() && t[pos].kind == tok::space) ++pos;
        if (pos >= t.size() || blocked(t[pos], b)) return std::nullopt;
        auto up = upper(t[pos].text);
        if (up != r.elems[k]) {
            if (!possessive || k + 1 != r.elems.size() || t[pos].kind != tok::word)
                return std::nullopt;
            m.possessive = possessive_suffix(up, r.elems[k]);
            if (m.possessive.empty()) return std::nullopt;
        }
        ++pos;
    }
    m.end = pos;
    return m;
}

/// The longest rule that matches at `i`.
std::optional<std::pair<const pattern_rule*, match>> find_at(const std::vector<token>& t,
                                                             std::size_t i, const rule_index& idx,
                                                             bool possessive, blocks b) {
    auto up = upper(t[i].text);
    if (auto list = idx.starting_with(up))
        for (auto r : *list)
            if (auto m = try_match(t, i, *r, false, b)) return std::pair{r, *m};
    if (possessive && t[i].kind == tok::word) {
        for (std::string_view suffix : {"'S", "\xE2\x80\x99S"}) {
            if (up.size() <= suffix.size() || up.substr(up.size() - suffix.size()) != suffix)
                continue;
            auto list = idx.starting_with(up.substr(0, up.size() - suffix.size()));
            if (!list) continue;
            for (auto r : *list)
                if (r->elems.size() == 1)
                    if (auto m = try_match(t, i, *r, true, b)) return std::pair{r, *m};
        }
    }
    return std::nullopt;
}

bool closes(const token& t) {
    return t.kind == tok::punct &&
           (t.text == "." || t.text == "," || t.text == ";" || t.text == ":" || t.text == "?" ||
            t.text == "!" || t.text == ")");
}

/// Removes tokens [from, to) and the white space the gap leaves behind.
void erase_tidy(std::vector<token>& t, std::size_t from, std::size_t to) {
    t.erase(t.begin() + static_cast<std::ptrdiff_t>(from),
            t.begin() + static_cast<std::ptrdiff_t>(to));
    if (from > 0 && t[from - 1].kind == tok::space &&
        (from == t.size() || t[from].kind == tok::space || closes(t[from]))) {
        t.erase(t.begin() + static_cast<std::ptrdiff_t>(from - 1));
    } else if (from == 0 && !t.empty() && t[0].kind == tok::space) {
        t.erase(t.begin());
    }
}

// ─── The engine ──────────────────────────────────────────────────────────────────────────────

class engine {
  public:
    explicit engine(const memo_rules& r) : rules_(r) {
        for (std::size_t g = 0; g < r.caveats.size(); ++g)
            for (const auto& p : r.caveats[g].remove)
                caveats_.add({pattern_elements(p.text), "", "", g, p.where});
        for (std::size_t g = 0; g < r.leave_out.size(); ++g) {
            for (const auto& p : r.leave_out[g].starts)
                starts_.push_back({pattern_elements(p.text), "", "", g, p.where});
            for (const auto& p : r.leave_out[g].contains)
                contains_.add({pattern_elements(p.text), "", "", g, p.where});
        }
        auto phrases = [](rule_index& idx, const std::vector<phrase_rule>& list) {
            for (const auto& p : list)
                idx.add({pattern_elements(p.pattern), p.replacement, "", 0, p.where});
        };
        phrases(emphasis_, r.emphasis);
        phrases(phrases_, r.phrases);
        phrases(pronouns_, r.pronouns);
        if (r.repairs) phrases(repairs_, r.repair_phrases);
        for (const auto& d : r.dictionary)
            dictionary_.add({pattern_elements(d.key), d.text,
                             r.repairs && r.articles ? d.article : "", 0, d.where});
        for (auto* idx :
             {&caveats_, &contains_, &emphasis_, &phrases_, &pronouns_, &repairs_, &dictionary_})
            idx->build();
        for (const auto& w : r.no_article_after) no_article_after_.insert(pattern_key(w));
        for (const auto& w : r.no_sentence_end_after) {
            auto k = pattern_key(w);
            if (k.size() > 2 && k.substr(k.size() - 2) == " .") k.resize(k.size() - 2);
            no_sentence_end_after_.insert(k);
        }
    }

    /// The bullet text for one paragraph, or nullopt when nothing substantive is left.
    std::optional<std::string> restate(std::string_view text, int number,
                                       std::vector<left_out_item>* left_out) const {
        auto folded = protocol::fold_slashed_zero(text);
        auto t = tokenize(folded);
        remove_caveats(t, number, left_out);
        if (left_out &&
            !leave_out_sentences(t, number, left_out, std::string{protocol::trim(text)}))
            return std::nullopt;
        if (std::none_of(t.begin(), t.end(), [](const token& k) { return k.kind == tok::word; })) {
            if (left_out)
                left_out->push_back({number, "empty", "nothing left to restate",
                                     std::string{protocol::trim(text)}, "", true});
            return std::nullopt;
        }
        rewrite(t, emphasis_, blocks::fixed_or_settled, mark::settled);
        rewrite(t, phrases_, blocks::fixed_or_settled, mark::settled);
        rewrite(t, pronouns_, blocks::fixed_or_settled, mark::settled);
        rewrite(t, repairs_, blocks::fixed, mark::none);
        rewrite(t, dictionary_, blocks::fixed, mark::fixed);
        sentence_case(t);
        return join(t);
    }

  private:
    enum class mark { none, settled, fixed };

    void remove_caveats(std::vector<token>& t, int number,
                        std::vector<left_out_item>* left_out) const {
        for (std::size_t i = 0; i < t.size();) {
            if (t[i].kind == tok::space) {
                ++i;
                continue;
            }
            auto found = find_at(t, i, caveats_, false, blocks::fixed);
            if (!found) {
                ++i;
                continue;
            }
            const auto& g = rules_.caveats[found->first->group];
            if (left_out)
                left_out->push_back({number, g.name, g.reason, join(t, i, found->second.end),
                                     found->first->where.to_string(), false});
            erase_tidy(t, i, found->second.end);
        }
    }

    bool is_sentence_end(const std::vector<token>& t, std::size_t i) const {
        const auto& k = t[i];
        if (k.kind != tok::punct || k.fixed || (k.text != "." && k.text != "?" && k.text != "!"))
            return false;
        if (i + 1 < t.size() && t[i + 1].kind != tok::space && !closes(t[i + 1])) return false;
        if (k.text == "." && i > 0 && t[i - 1].kind == tok::word) {
            if (rules_.keep_initials && is_initials(t[i - 1].text)) return false;
            if (no_sentence_end_after_.count(upper(t[i - 1].text))) return false;
        }
        return true;
    }

    /// [begin, end) token ranges, one a sentence; the white space after a sentence goes with it.
    std::vector<std::pair<std::size_t, std::size_t>> sentences(const std::vector<token>& t) const {
        std::vector<std::pair<std::size_t, std::size_t>> out;
        std::size_t begin = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (!is_sentence_end(t, i)) continue;
            std::size_t end = i + 1;
            while (end < t.size() && (closes(t[end]) || t[end].text == "\"")) ++end;
            while (end < t.size() && t[end].kind == tok::space) ++end;
            out.emplace_back(begin, end);
            begin = end;
            i = end - 1;
        }
        if (begin < t.size()) out.emplace_back(begin, t.size());
        return out;
    }

    /// Drops the sentences the leave-out rules name; false when none is left.
    bool leave_out_sentences(std::vector<token>& t, int number,
                             std::vector<left_out_item>* left_out, const std::string& whole) const {
        std::vector<token> kept;
        std::vector<left_out_item> dropped;
        bool any_kept = false;
        for (auto [b, e] : sentences(t)) {
            std::size_t first = b;
            while (first < e && t[first].kind == tok::space) ++first;
            const pattern_rule* hit = nullptr;
            if (first < e) {
                for (const auto& r : starts_)
                    if (try_match(t, first, r, false, blocks::fixed) &&
                        (!hit || r.elems.size() > hit->elems.size()))
                        hit = &r;
                for (std::size_t i = first; i < e && !hit; ++i)
                    if (t[i].kind != tok::space)
                        if (auto f = find_at(t, i, contains_, false, blocks::fixed);
                            f && f->second.end <= e)
                            hit = f->first;
            }
            if (hit) {
                const auto& g = rules_.leave_out[hit->group];
                dropped.push_back(
                    {number, g.name, g.reason, join(t, b, e), hit->where.to_string(), false});
                continue;
            }
            if (std::any_of(t.begin() + static_cast<std::ptrdiff_t>(b),
                            t.begin() + static_cast<std::ptrdiff_t>(e),
                            [](const token& k) { return k.kind == tok::word; }))
                any_kept = true;
            kept.insert(kept.end(), t.begin() + static_cast<std::ptrdiff_t>(b),
                        t.begin() + static_cast<std::ptrdiff_t>(e));
        }
        if (!any_kept && !dropped.empty()) {
            // The paragraph goes as a whole: one item naming the rule of its first request.
            auto item = dropped.front();
            item.text = whole;
            item.whole_paragraph = true;
            left_out->push_back(std::move(item));
            return false;
        }
        for (auto& d : dropped) left_out->push_back(std::move(d));
        while (!kept.empty() && kept.back().kind == tok::space) kept.pop_back();
        t = std::move(kept);
        return true;
    }

    bool article_wanted(const std::vector<token>& t, std::size_t i) const {
        std::size_t p = i;
        while (p > 0 && t[p - 1].kind == tok::space) --p;
        if (p == 0) return true;
        const auto& prev = t[p - 1];
        if (prev.kind != tok::word) return prev.text != "-" && prev.text != "/";
        auto up = upper(prev.text);
        if (no_article_after_.count(up)) return false;
        auto ends = [&](std::string_view s) {
            return up.size() > s.size() && up.compare(up.size() - s.size(), s.size(), s) == 0;
        };
        return !ends("'S") && !ends("\xE2\x80\x99S");  // after a possessive: "CHOU'S PRC VISIT"
    }

    void rewrite(std::vector<token>& t, const rule_index& idx, blocks b, mark m) const {
        if (idx.empty()) return;
        const bool dictionary = m == mark::fixed;
        for (std::size_t i = 0; i < t.size();) {
            if (t[i].kind == tok::space || blocked(t[i], b)) {
                ++i;
                continue;
            }
            auto found = find_at(t, i, idx, dictionary, b);
            if (!found) {
                ++i;
                continue;
            }
            const auto& [rule, mt] = *found;
            auto repl = tokenize(rule->replacement);
            for (auto& k : repl) {
                k.settled = m == mark::settled;
                k.fixed = m == mark::fixed;
            }
            if (!mt.possessive.empty()) {
                auto last = std::find_if(repl.rbegin(), repl.rend(),
                                         [](const token& k) { return k.kind == tok::word; });
                if (last != repl.rend()) last->text += mt.possessive;
            }
            if (!rule->article.empty() && article_wanted(t, i)) {
                repl.insert(repl.begin(), token{tok::space, " "});
                repl.insert(repl.begin(), token{tok::word, rule->article});
            }
            if (repl.empty()) {
                erase_tidy(t, i, mt.end);
                continue;
            }
            t.erase(t.begin() + static_cast<std::ptrdiff_t>(i),
                    t.begin() + static_cast<std::ptrdiff_t>(mt.end));
            t.insert(t.begin() + static_cast<std::ptrdiff_t>(i), repl.begin(), repl.end());
            i += repl.size();
        }
    }

    void sentence_case(std::vector<token>& t) const {
        bool start = true;
        for (std::size_t i = 0; i < t.size(); ++i) {
            auto& k = t[i];
            if (k.kind == tok::word) {
                if (k.fixed) {
                    // as the dictionary gives it
                } else if (rules_.keep_mixed_case && has_upper_ascii(k.text) &&
                           has_lower_ascii(k.text)) {
                    // printed in mixed case in the cable: a name, kept
                } else if (rules_.keep_initials && is_initials(k.text)) {
                    k.text = upper(k.text);
                } else {
                    k.text = lower(k.text);
                }
                if (start) capitalize_first(k.text);
                start = false;
            } else if (is_sentence_end(t, i)) {
                start = true;
            }
        }
    }

    const memo_rules& rules_;
    rule_index caveats_, contains_, emphasis_, phrases_, pronouns_, repairs_, dictionary_;
    std::vector<pattern_rule> starts_;
    std::set<std::string> no_article_after_, no_sentence_end_after_;
};

// ─── Templates ───────────────────────────────────────────────────────────────────────────────

constexpr std::array<std::string_view, 6> placeholders{"ordinal", "covers", "place",
                                                       "series",  "number", "date"};

/// Empty when the template is well formed; else what is wrong.
std::string check_template(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '}') return fmt::format("a '}}' without its '{{' at character {}", i + 1);
        if (s[i] != '{') continue;
        auto close = s.find('}', i);
        if (close == std::string_view::npos)
            return fmt::format("a '{{' without its '}}' at character {}", i + 1);
        auto name = s.substr(i + 1, close - i - 1);
        if (std::find(placeholders.begin(), placeholders.end(), name) == placeholders.end())
            return fmt::format(
                "unknown placeholder {{{}}}; known: {{ordinal}} {{covers}} {{place}} {{series}} "
                "{{number}} {{date}}",
                name);
        i = close;
    }
    return {};
}

std::string fill_template(std::string_view s,
                          const std::map<std::string, std::string, std::less<>>& values) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '{') {
            auto close = s.find('}', i);
            if (close != std::string_view::npos) {
                auto it = values.find(s.substr(i + 1, close - i - 1));
                if (it != values.end()) {
                    out += it->second;
                    i = close;
                    continue;
                }
            }
        }
        out += s[i];
    }
    return out;
}

// ─── Loading rule files ──────────────────────────────────────────────────────────────────────

class rules_reader {
  public:
    rules_reader(memo_rules& r, std::string_view file, std::vector<memo_rule_problem>& problems)
        : r_(r), file_(file), problems_(problems) {}

    void read(const toml::table& root) {
        static const std::set<std::string, std::less<>> sections{
            "frame",    "caveat",  "leave_out", "emphasis",   "phrases",
            "pronouns", "repairs", "case",      "dictionary", "remove"};
        for (const auto& [k, v] : root)
            if (!sections.count(k.str()))
                fail(
                    k.source(),
                    fmt::format(
                        "unknown section '{}'; known: frame, caveat, leave_out, emphasis, phrases, "
                        "pronouns, repairs, case, dictionary, remove",
                        k.str()));
        if (auto n = root.get("remove")) read_remove(*n);
        if (auto n = root.get("frame")) read_frame(*n);
        if (auto n = root.get("caveat")) read_caveats(*n);
        if (auto n = root.get("leave_out")) read_leave_out(*n);
        if (auto n = root.get("emphasis")) read_phrases(*n, "emphasis", r_.emphasis);
        if (auto n = root.get("phrases")) read_phrases(*n, "phrases", r_.phrases);
        if (auto n = root.get("pronouns")) read_phrases(*n, "pronouns", r_.pronouns);
        if (auto n = root.get("repairs")) read_repairs(*n);
        if (auto n = root.get("case")) read_case(*n);
        if (auto n = root.get("dictionary")) read_dictionary(*n);
    }

  private:
    rule_origin origin(const toml::source_region& s) const {
        return {file_, static_cast<std::size_t>(s.begin.line)};
    }

    void fail(const toml::source_region& s, std::string message) {
        problems_.push_back({file_, static_cast<std::size_t>(s.begin.line),
                             static_cast<std::size_t>(s.begin.column), std::move(message)});
    }

    const toml::table* table_of(const toml::node& n, std::string_view what) {
        if (auto t = n.as_table()) return t;
        fail(n.source(), fmt::format("{} must be a table", what));
        return nullptr;
    }

    std::optional<std::string> string_of(const toml::node& n, std::string_view what) {
        if (auto v = n.value_exact<std::string>()) return *v;
        fail(n.source(), fmt::format("{} must be a string in quotes", what));
        return std::nullopt;
    }

    std::optional<bool> bool_of(const toml::node& n, std::string_view what) {
        if (auto v = n.value_exact<bool>()) return *v;
        fail(n.source(), fmt::format("{} must be true or false", what));
        return std::nullopt;
    }

    /// A list of patterns, each checked to hold at least one word or sign.
    std::vector<rule_text> patterns_of(const toml::node& n, std::string_view what) {
        std::vector<rule_text> out;
        auto arr = n.as_array();
        if (!arr) {
            fail(n.source(), fmt::format("{} must be a list of strings: [\"…\", \"…\"]", what));
            return out;
        }
        for (const auto& el : *arr) {
            auto s = string_of(el, fmt::format("each item of {}", what));
            if (!s) continue;
            if (pattern_elements(*s).empty()) {
                fail(el.source(), fmt::format("{}: an empty pattern matches nothing", what));
                continue;
            }
            out.push_back({*s, origin(el.source())});
        }
        return out;
    }

    void unknown_keys(const toml::table& t, std::string_view where,
                      std::initializer_list<std::string_view> known) {
        for (const auto& [k, v] : t) {
            if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
            std::string list;
            for (auto x : known) list += (list.empty() ? "" : ", ") + std::string{x};
            fail(k.source(),
                 fmt::format("unknown key '{}' in {}; known: {}", k.str(), where, list));
        }
    }

    /// Same pattern written twice in this file (keys differing only in case or spacing).
    bool duplicate(std::string_view section, const std::string& key, const toml::key& k) {
        auto [it, fresh] = seen_[std::string{section}].emplace(
            key, static_cast<std::size_t>(k.source().begin.line));
        if (!fresh)
            fail(k.source(),
                 fmt::format("{}: '{}' is already given at line {}", section, k.str(), it->second));
        return !fresh;
    }

    void read_frame(const toml::node& n) {
        auto t = table_of(n, "[frame]");
        if (!t) return;
        unknown_keys(*t, "[frame]",
                     {"for", "from", "subject", "opening", "closing", "ordinals", "unknown_ordinal",
                      "subject_by_series", "opening_by_ordinal"});
        auto text = [&](std::string_view key, std::string& out, bool is_template) {
            auto v = t->get(key);
            if (!v) return;
            auto s = string_of(*v, fmt::format("frame.{}", key));
            if (!s) return;
            if (is_template)
                if (auto bad = check_template(*s); !bad.empty()) {
                    fail(v->source(), fmt::format("frame.{}: {}", key, bad));
                    return;
                }
            out = *s;
        };
        text("for", r_.frame.for_, false);
        text("from", r_.frame.from, false);
        text("subject", r_.frame.subject, true);
        text("opening", r_.frame.opening, true);
        text("closing", r_.frame.closing, true);
        text("unknown_ordinal", r_.frame.unknown_ordinal, false);
        if (auto v = t->get("ordinals")) {
            auto words = patterns_of(*v, "frame.ordinals");
            r_.frame.ordinals.clear();
            for (auto& w : words) r_.frame.ordinals.push_back(w.text);
        }
        if (auto v = t->get("subject_by_series")) {
            if (auto st = table_of(*v, "[frame.subject_by_series]"))
                for (const auto& [k, val] : *st)
                    if (auto s =
                            string_of(val, fmt::format("frame.subject_by_series.{}", k.str()))) {
                        if (auto bad = check_template(*s); !bad.empty())
                            fail(val.source(),
                                 fmt::format("frame.subject_by_series.{}: {}", k.str(), bad));
                        else
                            r_.frame.subject_by_series[upper(k.str())] = *s;
                    }
        }
        if (auto v = t->get("opening_by_ordinal")) {
            if (auto ot = table_of(*v, "[frame.opening_by_ordinal]"))
                for (const auto& [k, val] : *ot) {
                    int ord = 0;
                    auto ks = k.str();
                    bool digits = !ks.empty() && ks.size() < 6 &&
                                  std::all_of(ks.begin(), ks.end(),
                                              [](char c) { return c >= '0' && c <= '9'; });
                    if (digits) ord = std::stoi(std::string{ks});
                    if (ord < 1) {
                        fail(k.source(), fmt::format("frame.opening_by_ordinal: the key '{}' must "
                                                     "be an ordinal 1, 2, 3 … in quotes",
                                                     ks));
                        continue;
                    }
                    if (auto s =
                            string_of(val, fmt::format("frame.opening_by_ordinal.\"{}\"", ks))) {
                        if (auto bad = check_template(*s); !bad.empty())
                            fail(val.source(),
                                 fmt::format("frame.opening_by_ordinal.\"{}\": {}", ks, bad));
                        else
                            r_.frame.opening_by_ordinal[ord] = *s;
                    }
                }
        }
    }

    template <class Group>
    Group* group_named(std::vector<Group>& groups, const std::string& name) {
        for (auto& g : groups)
            if (g.name == name) return &g;
        return nullptr;
    }

    static void add_patterns(std::vector<rule_text>& to, std::vector<rule_text> more) {
        for (auto& p : more) {
            auto key = pattern_key(p.text);
            auto same = std::find_if(to.begin(), to.end(), [&](const rule_text& x) {
                return pattern_key(x.text) == key;
            });
            if (same != to.end())
                *same = std::move(p);
            else
                to.push_back(std::move(p));
        }
    }

    template <class Group, class Fill>
    void read_groups(const toml::node& n, std::string_view section, std::vector<Group>& groups,
                     std::initializer_list<std::string_view> keys, Fill fill) {
        auto arr = n.as_array();
        if (!arr || !arr->is_array_of_tables()) {
            fail(n.source(),
                 fmt::format("{0} must be written as one or more [[{0}]] tables", section));
            return;
        }
        std::size_t k = 0;
        for (const auto& el : *arr) {
            const auto& t = *el.as_table();
            auto where = fmt::format("[[{}]] number {}", section, ++k);
            unknown_keys(t, where, keys);
            std::string name, reason;
            if (auto v = t.get("name")) {
                if (auto s = string_of(*v, where + " name")) name = *s;
            } else {
                fail(t.source(),
                     where + ": name is required (it names the rule in the left-out list)");
            }
            if (auto v = t.get("reason")) {
                if (auto s = string_of(*v, where + " reason")) reason = *s;
            }
            if (name.empty()) continue;
            auto* g = group_named(groups, name);
            if (!g) {
                groups.push_back(Group{});
                g = &groups.back();
                g->name = name;
                g->where = origin(t.source());
            }
            if (!reason.empty()) g->reason = reason;
            if (g->reason.empty())
                fail(t.source(), where + ": reason is required (it tells the reader why)");
            fill(*g, t, where);
        }
    }

    void read_caveats(const toml::node& n) {
        read_groups(n, "caveat", r_.caveats, {"name", "reason", "remove"},
                    [&](caveat_group& g, const toml::table& t, const std::string& where) {
                        if (auto v = t.get("remove"))
                            add_patterns(g.remove, patterns_of(*v, where + " remove"));
                        else
                            fail(t.source(), where + ": remove = [\"…\"] is required");
                    });
    }

    void read_leave_out(const toml::node& n) {
        read_groups(n, "leave_out", r_.leave_out, {"name", "reason", "starts", "contains"},
                    [&](leave_out_group& g, const toml::table& t, const std::string& where) {
                        auto s = t.get("starts");
                        auto c = t.get("contains");
                        if (s) add_patterns(g.starts, patterns_of(*s, where + " starts"));
                        if (c) add_patterns(g.contains, patterns_of(*c, where + " contains"));
                        if (!s && !c)
                            fail(t.source(),
                                 where + ": starts = [\"…\"] or contains = [\"…\"] is required");
                    });
    }

    void read_phrases(const toml::node& n, std::string_view section,
                      std::vector<phrase_rule>& list) {
        auto t = table_of(n, fmt::format("[{}]", section));
        if (!t) return;
        for (const auto& [k, v] : *t) {
            auto key = pattern_key(k.str());
            if (key.empty()) {
                fail(k.source(),
                     fmt::format("{}: the pattern '{}' holds no word", section, k.str()));
                continue;
            }
            if (duplicate(section, key, k)) continue;
            auto s = string_of(v, fmt::format("{}.\"{}\"", section, k.str()));
            if (!s) continue;
            phrase_rule r{std::string{k.str()}, *s, origin(k.source())};
            auto same = std::find_if(list.begin(), list.end(), [&](const phrase_rule& x) {
                return pattern_key(x.pattern) == key;
            });
            if (same != list.end())
                *same = std::move(r);
            else
                list.push_back(std::move(r));
        }
    }

    void add_words(std::vector<std::string>& to, const toml::node& n, std::string_view what) {
        for (auto& p : patterns_of(n, what)) {
            auto key = pattern_key(p.text);
            if (std::none_of(to.begin(), to.end(),
                             [&](const std::string& x) { return pattern_key(x) == key; }))
                to.push_back(p.text);
        }
    }

    void read_repairs(const toml::node& n) {
        auto t = table_of(n, "[repairs]");
        if (!t) return;
        unknown_keys(*t, "[repairs]", {"enabled", "articles", "no_article_after", "phrases"});
        if (auto v = t->get("enabled"))
            if (auto b = bool_of(*v, "repairs.enabled")) r_.repairs = *b;
        if (auto v = t->get("articles"))
            if (auto b = bool_of(*v, "repairs.articles")) r_.articles = *b;
        if (auto v = t->get("no_article_after"))
            add_words(r_.no_article_after, *v, "repairs.no_article_after");
        if (auto v = t->get("phrases")) read_phrases(*v, "repairs.phrases", r_.repair_phrases);
    }

    void read_case(const toml::node& n) {
        auto t = table_of(n, "[case]");
        if (!t) return;
        unknown_keys(*t, "[case]", {"keep_mixed_case", "keep_initials", "no_sentence_end_after"});
        if (auto v = t->get("keep_mixed_case"))
            if (auto b = bool_of(*v, "case.keep_mixed_case")) r_.keep_mixed_case = *b;
        if (auto v = t->get("keep_initials"))
            if (auto b = bool_of(*v, "case.keep_initials")) r_.keep_initials = *b;
        if (auto v = t->get("no_sentence_end_after"))
            add_words(r_.no_sentence_end_after, *v, "case.no_sentence_end_after");
    }

    void read_dictionary(const toml::node& n) {
        auto t = table_of(n, "[dictionary]");
        if (!t) return;
        for (const auto& [k, v] : *t) {
            auto key = pattern_key(k.str());
            if (key.empty()) {
                fail(k.source(), fmt::format("dictionary: the key '{}' holds no word", k.str()));
                continue;
            }
            if (duplicate("dictionary", key, k)) continue;
            dictionary_entry e{std::string{k.str()}, "", "", origin(k.source())};
            auto what = fmt::format("dictionary.\"{}\"", k.str());
            if (v.is_string()) {
                e.text = *v.value<std::string>();
            } else if (auto et = v.as_table()) {
                unknown_keys(*et, what, {"text", "article"});
                if (auto x = et->get("text")) {
                    if (auto s = string_of(*x, what + ".text")) e.text = *s;
                } else {
                    fail(v.source(), what + ": text = \"…\" is required");
                    continue;
                }
                if (auto x = et->get("article"))
                    if (auto s = string_of(*x, what + ".article")) e.article = *s;
            } else {
                fail(v.source(),
                     what + " must be a string, or a table { text = \"…\", article = \"the\" }");
                continue;
            }
            if (pattern_elements(e.text).empty()) {
                fail(v.source(), what +
                                     ": the text is empty (to take an entry away, use [remove] "
                                     "dictionary = [\"…\"])");
                continue;
            }
            auto same =
                std::find_if(r_.dictionary.begin(), r_.dictionary.end(),
                             [&](const dictionary_entry& x) { return pattern_key(x.key) == key; });
            if (same != r_.dictionary.end())
                *same = std::move(e);
            else
                r_.dictionary.push_back(std::move(e));
        }
    }

    void read_remove(const toml::node& n) {
        auto t = table_of(n, "[remove]");
        if (!t) return;
        unknown_keys(
            *t, "[remove]",
            {"dictionary", "emphasis", "phrases", "pronouns", "repairs", "caveats", "leave_out",
             "no_article_after", "no_sentence_end_after", "subject_by_series"});
        auto each = [&](std::string_view key, auto&& take) {
            auto v = t->get(key);
            if (!v) return;
            for (auto& p : patterns_of(*v, fmt::format("remove.{}", key)))
                if (!take(pattern_key(p.text)))
                    problems_.push_back(
                        {file_, p.where.line, 0,
                         fmt::format("remove.{}: there is no rule '{}' to remove", key, p.text)});
        };
        auto from_phrases = [](std::vector<phrase_rule>& list) {
            return [&list](const std::string& key) {
                return std::erase_if(list, [&](const phrase_rule& x) {
                           return pattern_key(x.pattern) == key;
                       }) > 0;
            };
        };
        each("dictionary", [&](const std::string& key) {
            return std::erase_if(r_.dictionary, [&](const dictionary_entry& x) {
                       return pattern_key(x.key) == key;
                   }) > 0;
        });
        each("emphasis", from_phrases(r_.emphasis));
        each("phrases", from_phrases(r_.phrases));
        each("pronouns", from_phrases(r_.pronouns));
        each("repairs", from_phrases(r_.repair_phrases));
        auto from_texts = [](std::vector<rule_text>& list, const std::string& key) {
            return std::erase_if(
                       list, [&](const rule_text& x) { return pattern_key(x.text) == key; }) > 0;
        };
        each("caveats", [&](const std::string& key) {
            bool any = false;
            for (auto& g : r_.caveats) any |= from_texts(g.remove, key);
            return any;
        });
        each("leave_out", [&](const std::string& key) {
            bool any = false;
            for (auto& g : r_.leave_out) {
                // Both lists lose the key: no short circuit.
                bool from_starts = from_texts(g.starts, key);
                bool from_contains = from_texts(g.contains, key);
                any |= from_starts || from_contains;
            }
            return any;
        });
        auto from_words = [](std::vector<std::string>& list) {
            return [&list](const std::string& key) {
                return std::erase_if(
                           list, [&](const std::string& x) { return pattern_key(x) == key; }) > 0;
            };
        };
        each("no_article_after", from_words(r_.no_article_after));
        each("no_sentence_end_after", from_words(r_.no_sentence_end_after));
        each("subject_by_series",
             [&](const std::string& key) { return r_.frame.subject_by_series.erase(key) > 0; });
    }

    memo_rules& r_;
    std::string file_;
    std::vector<memo_rule_problem>& problems_;
    std::map<std::string, std::map<std::string, std::size_t>> seen_;
};

expected<memo_rules, memo_rules_error> read_rules(memo_rules r, std::string_view text,
                                                  std::string_view file) {
    std::vector<memo_rule_problem> problems;
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        const auto& s = e.source();
        problems.push_back({std::string{file}, static_cast<std::size_t>(s.begin.line),
                            static_cast<std::size_t>(s.begin.column),
                            std::string{e.description()}});
        return memo_rules_error{std::move(problems)};
    }
    rules_reader{r, file, problems}.read(root);
    if (!problems.empty()) return memo_rules_error{std::move(problems)};
    r.files.emplace_back(file);
    return r;
}

constexpr std::array<std::string_view, 12> month_names{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool valid_date(const protocol::calendar_date& d) {
    return d.year > 0 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31;
}

std::string day_text(const protocol::calendar_date& d) {
    if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) return {};
    return fmt::format("{} {}", month_names[static_cast<std::size_t>(d.month - 1)], d.day);
}

}  // namespace

// ─── Public: rules ───────────────────────────────────────────────────────────────────────────

expected<memo_rules, memo_rules_error> load_memo_rules(std::string_view toml_text,
                                                       std::string_view file) {
    memo_rules empty;
    auto r = read_rules(std::move(empty), toml_text, file);
    if (!r) return r;
    std::vector<memo_rule_problem> problems;
    auto need = [&](const std::string& v, std::string_view key) {
        if (v.empty())
            problems.push_back({std::string{file}, 0, 0,
                                fmt::format("[frame] {} is required in a complete rule set", key)});
    };
    need(r.value().frame.for_, "for");
    need(r.value().frame.from, "from");
    need(r.value().frame.subject, "subject");
    need(r.value().frame.opening, "opening");
    if (!problems.empty()) return memo_rules_error{std::move(problems)};
    return r;
}

expected<memo_rules, memo_rules_error> extend_memo_rules(const memo_rules& base,
                                                         std::string_view toml_text,
                                                         std::string_view file) {
    return read_rules(base, toml_text, file);
}

expected<memo_rules, memo_rules_error> extend_memo_rules_from_file(const memo_rules& base,
                                                                   const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return memo_rules_error{{{path, 0, 0, "cannot be opened"}}};
    std::ostringstream s;
    s << f.rdbuf();
    if (f.bad()) return memo_rules_error{{{path, 0, 0, "read error"}}};
    auto text = s.str();
    if (text.size() > (4u << 20))
        return memo_rules_error{{{path, 0, 0, "larger than 4 MiB: not a rule file"}}};
    return extend_memo_rules(base, text, path);
}

expected<memo_rules, memo_rules_error> load_memo_rules_file(const std::string& path) {
    auto base = load_builtin_memo_rules();
    if (!base) return base;
    return extend_memo_rules_from_file(base.value(), path);
}

expected<memo_rules, memo_rules_error> load_builtin_memo_rules() {
    std::vector<const embedded_file*> files;
    for (std::size_t i = 0; i < detail::builtin_memo_rule_files_count; ++i)
        files.push_back(&detail::builtin_memo_rule_files[i]);
    std::sort(files.begin(), files.end(), [](auto a, auto b) { return a->name < b->name; });
    if (files.empty()) return memo_rules_error{{{"<builtin>", 0, 0, "no rule files are built in"}}};
    memo_rules r;
    bool first = true;
    for (auto f : files) {
        auto name = "<builtin:" + std::string{f->name} + ">";
        auto next = first ? load_memo_rules(f->text, name) : extend_memo_rules(r, f->text, name);
        if (!next) return next;
        r = std::move(next.value());
        first = false;
    }
    return r;
}

const memo_rules& builtin_memo_rules() {
    static const memo_rules rules = [] {
        auto r = load_builtin_memo_rules();
        return r ? std::move(r.value()) : memo_rules{};
    }();
    return rules;
}

std::string left_out_item::to_string() const {
    return fmt::format("paragraph {}{}: {}{}{}: {}", paragraph, whole_paragraph ? " (whole)" : "",
                       rule, reason.empty() ? "" : " (" + reason + ")",
                       where.empty() ? "" : " [" + where + "]", text);
}

// ─── Public: writing the memo ────────────────────────────────────────────────────────────────

std::string memo_date_text(const protocol::calendar_date& d) {
    if (!valid_date(d)) return {};
    return fmt::format("{}, {}", day_text(d), d.year);
}

std::string ordinal_word(int n, const memo_rules& rules) {
    if (n <= 0) return rules.frame.unknown_ordinal;
    if (static_cast<std::size_t>(n) <= rules.frame.ordinals.size())
        return rules.frame.ordinals[static_cast<std::size_t>(n - 1)];
    auto suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th"
                  : n % 10 == 1                    ? "st"
                  : n % 10 == 2                    ? "nd"
                  : n % 10 == 3                    ? "rd"
                                                   : "th";
    return fmt::format("{}{}", n, suffix);
}

memo_context default_memo_context(const protocol::cable& c, int ordinal, std::string place,
                                  char washington_zone) {
    memo_context ctx;
    ctx.ordinal = ordinal;
    ctx.place = std::move(place);
    if (c.date_time_group) {
        if (auto w = protocol::in_zone(*c.date_time_group, washington_zone))
            ctx.date = {w.value().year.value_or(0), w.value().month.value_or(0), w.value().day};
        if (auto z = protocol::in_zone(*c.date_time_group, 'Z'))
            ctx.covers = protocol::calendar_date{z.value().year.value_or(0),
                                                 z.value().month.value_or(0), z.value().day};
    }
    if (c.date_line)
        if (auto d = protocol::read_calendar_date(*c.date_line)) {
            ctx.covers = *d;
            if (!valid_date(ctx.date)) ctx.date = *d;
        }
    return ctx;
}

memo_draft draft_covering_memo(const protocol::cable& c, const memo_context& ctx,
                               const memo_rules& rules) {
    memo_draft out;
    auto& m = out.memo;
    if (valid_date(ctx.date)) {
        m.date_text = memo_date_text(ctx.date);
        m.date = fmt::format("{:04}-{:02}-{:02}", ctx.date.year, ctx.date.month, ctx.date.day);
    }
    const auto& f = rules.frame;
    if (!f.for_.empty()) m.for_ = f.for_;
    if (!f.from.empty()) m.from = f.from;

    std::string series = c.series ? upper(c.series->name) : std::string{};
    std::map<std::string, std::string, std::less<>> values{
        {"ordinal", ordinal_word(ctx.ordinal, rules)},
        {"covers", day_text(ctx.covers.value_or(ctx.date))},
        {"place", ctx.place},
        {"series", series},
        {"number",
         c.series && c.series->number ? std::to_string(*c.series->number) : std::string{}},
        {"date", m.date_text.value_or("")},
    };
    auto subject = f.subject_by_series.count(series) ? f.subject_by_series.at(series) : f.subject;
    if (!subject.empty()) m.subject = fill_template(subject, values);
    auto opening_it = f.opening_by_ordinal.find(ctx.ordinal);
    auto opening = fill_template(
        opening_it != f.opening_by_ordinal.end() ? opening_it->second : f.opening, values);
    if (!opening.empty()) {
        m.paragraphs.push_back(opening);
        m.body_order.push_back(false);
    }

    engine e{rules};
    for (std::size_t i = 0; i < c.paragraphs.size(); ++i) {
        const auto& p = c.paragraphs[i];
        int number = p.number.value_or(static_cast<int>(i + 1));
        if (auto text = e.restate(p.text, number, &out.left_out)) {
            m.bullets.push_back({std::move(*text), {number}});
            m.body_order.push_back(true);
        }
    }
    if (auto closing = fill_template(f.closing, values); !closing.empty()) {
        m.paragraphs.push_back(closing);
        m.body_order.push_back(false);
    }
    return out;
}

protocol::memo write_covering_memo(const protocol::cable& c, const memo_context& ctx,
                                   const memo_rules& rules) {
    return draft_covering_memo(c, ctx, rules).memo;
}

std::string restate_text(std::string_view cable_text, const memo_rules& rules) {
    engine e{rules};
    return e.restate(cable_text, 0, nullptr).value_or("");
}

// ─── Public: rendering ───────────────────────────────────────────────────────────────────────

namespace {

/// Lines of at most `width` characters (a longer word stands alone on its line).
std::vector<std::string> wrap(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t len = 0;
    for (auto w : protocol::split_words(text)) {
        auto wl = protocol::utf8_length(w);
        if (!line.empty() && len + 1 + wl > width) {
            lines.push_back(std::move(line));
            line.clear();
            len = 0;
        }
        if (!line.empty()) {
            line += ' ';
            ++len;
        }
        line += w;
        len += wl;
    }
    if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
    return lines;
}

/// `text` wrapped at `width`, the first line after `first`, the others after `rest`.
std::string hanging(std::string_view first, std::string_view rest, std::string_view text,
                    std::size_t width) {
    auto indent = protocol::utf8_length(rest);
    auto lines = wrap(text, width > indent + 20 ? width - indent : 20);
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i)
        out += std::string{i == 0 ? first : rest} + lines[i] + "\n";
    return out;
}

std::string pad(std::string s, std::size_t width) {
    auto len = protocol::utf8_length(s);
    if (len < width) s.append(width - len, ' ');
    return s;
}

constexpr std::string_view dash = "\xE2\x80\x94 ";  // "— "

struct body_item {
    bool bullet = false;
    const std::string* text = nullptr;
    const std::vector<int>* sources = nullptr;
};

/// The memo's body items in order (body_order where it fits, else paragraph, bullets, rest).
std::vector<body_item> body_of(const protocol::memo& m) {
    std::vector<body_item> out;
    std::size_t b = 0, p = 0;
    for (bool is_bullet : m.body_order) {
        if (is_bullet && b < m.bullets.size()) {
            out.push_back({true, &m.bullets[b].text, &m.bullets[b].source_paragraphs});
            ++b;
        } else if (!is_bullet && p < m.paragraphs.size()) {
            out.push_back({false, &m.paragraphs[p++], nullptr});
        }
    }
    if (out.empty() && p < m.paragraphs.size()) out.push_back({false, &m.paragraphs[p++], nullptr});
    for (; b < m.bullets.size(); ++b)
        out.push_back({true, &m.bullets[b].text, &m.bullets[b].source_paragraphs});
    for (; p < m.paragraphs.size(); ++p) out.push_back({false, &m.paragraphs[p], nullptr});
    return out;
}

std::set<std::string> content_words(std::string_view text) {
    static const std::set<std::string, std::less<>> common{
        "that", "this",  "with", "which", "their", "they",  "them",      "have", "been", "were",
        "from", "there", "also", "about", "would", "could", "what",      "when", "into", "over",
        "some", "only",  "than", "then",  "again", "chou",  "kissinger", "henry"};
    std::set<std::string> out;
    std::string w;
    auto flush = [&] {
        if (w.size() >= 2 && w.substr(w.size() - 2) == "'s") w.resize(w.size() - 2);
        if (w.size() >= 4 && !common.count(w)) out.insert(w);
        w.clear();
    };
    for (char c : text) {
        if ((c >= 'a' && c <= 'z') || c == '\'')
            w += c;
        else if (c >= 'A' && c <= 'Z')
            w += static_cast<char>(c - 'A' + 'a');
        else
            flush();
    }
    flush();
    return out;
}

std::string paragraphs_label(const std::vector<int>& sources) {
    if (sources.empty()) return "Bullet";
    std::string list;
    for (int s : sources) list += (list.empty() ? "" : ", ") + std::to_string(s);
    return fmt::format("Cable paragraph{} {}", sources.size() > 1 ? "s" : "", list);
}

struct comparison_row {
    std::string label;
    std::vector<std::string> left, right;
};

}  // namespace

std::string render_memo(const protocol::memo& m, std::size_t width) {
    width = std::max<std::size_t>(width, 40);
    std::string out;
    if (m.date_text) {
        auto len = protocol::utf8_length(*m.date_text);
        out += std::string(width > len ? width - len : 0, ' ') + *m.date_text + "\n\n";
    }
    constexpr std::size_t label = 17;
    auto field = [&](std::string_view name, const std::optional<std::string>& value) {
        if (!value) return;
        out += hanging(pad(std::string{name}, label), std::string(label, ' '), *value, width);
        out += "\n";
    };
    field("MEMORANDUM FOR:", m.for_);
    field("FROM:", m.from);
    field("SUBJECT:", m.subject);
    for (const auto& item : body_of(m)) {
        if (item.bullet)
            out += hanging(dash, "  ", *item.text, width);
        else
            out += hanging("", "", *item.text, width);
        out += "\n";
    }
    while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
        out.pop_back();
    return out;
}

std::string render_memo_comparison(const protocol::memo& generated,
                                   const protocol::memo& historical, std::size_t width) {
    width = std::max<std::size_t>(width, 40);
    std::vector<comparison_row> rows;
    auto opt = [](const std::optional<std::string>& s) {
        return s ? std::vector<std::string>{*s} : std::vector<std::string>{};
    };
    rows.push_back({"Date", opt(generated.date_text), opt(historical.date_text)});
    rows.push_back({"MEMORANDUM FOR", opt(generated.for_), opt(historical.for_)});
    rows.push_back({"FROM", opt(generated.from), opt(historical.from)});
    rows.push_back({"SUBJECT", opt(generated.subject), opt(historical.subject)});

    auto gen = body_of(generated);
    auto hist = body_of(historical);
    auto text_of = [](const body_item& b) {
        return b.bullet ? std::string{dash} + *b.text : *b.text;
    };
    std::size_t g0 = 0, h0 = 0;
    if (!gen.empty() && !gen[0].bullet) g0 = 1;
    if (!hist.empty() && !hist[0].bullet) h0 = 1;
    if (g0 || h0)
        rows.push_back({"Opening", g0 ? std::vector{*gen[0].text} : std::vector<std::string>{},
                        h0 ? std::vector{*hist[0].text} : std::vector<std::string>{}});

    // Each historical item goes with the generated item that restates the same cable paragraph,
    // or else the one whose words it shares most.
    std::vector<std::set<std::string>> gen_words;
    for (std::size_t i = g0; i < gen.size(); ++i) gen_words.push_back(content_words(*gen[i].text));
    std::vector<std::vector<std::string>> paired(gen.size() - g0);
    std::vector<std::string> unpaired;
    for (std::size_t j = h0; j < hist.size(); ++j) {
        std::optional<std::size_t> best;
        if (hist[j].sources && !hist[j].sources->empty()) {
            for (std::size_t i = g0; i < gen.size() && !best; ++i)
                if (gen[i].sources)
                    for (int s : *hist[j].sources)
                        if (std::find(gen[i].sources->begin(), gen[i].sources->end(), s) !=
                            gen[i].sources->end())
                            best = i - g0;
        }
        if (!best) {
            auto words = content_words(*hist[j].text);
            double best_score = 0.0;
            for (std::size_t i = 0; i < gen_words.size(); ++i) {
                std::size_t common = 0;
                for (const auto& w : words) common += gen_words[i].count(w);
                double score =
                    words.empty() ? 0.0
                                  : static_cast<double>(common) / static_cast<double>(words.size());
                if (score > best_score) {
                    best_score = score;
                    best = i;
                }
            }
            if (best_score < 0.2) best.reset();
        }
        if (best)
            paired[*best].push_back(text_of(hist[j]));
        else
            unpaired.push_back(text_of(hist[j]));
    }
    for (std::size_t i = g0; i < gen.size(); ++i) {
        auto label = gen[i].bullet ? paragraphs_label(*gen[i].sources) : std::string{"Closing"};
        rows.push_back({label, {text_of(gen[i])}, paired[i - g0]});
    }
    if (!unpaired.empty()) rows.push_back({"Not paired", {}, unpaired});

    std::string out;
    const bool side_by_side = width >= 100;
    if (side_by_side) {
        std::size_t col = (width - 3) / 2;
        out += pad("GENERATED", col) + " | HISTORICAL\n";
        out += std::string(width, '=') + "\n";
        for (const auto& row : rows) {
            out +=
                row.label + " " +
                std::string(width > row.label.size() + 1 ? width - row.label.size() - 1 : 0, '-') +
                "\n";
            auto lines_of = [&](const std::vector<std::string>& items) {
                std::vector<std::string> lines;
                for (std::size_t k = 0; k < items.size(); ++k) {
                    if (k) lines.emplace_back();
                    bool bullet = items[k].rfind(dash, 0) == 0;
                    auto body = bullet ? std::string_view{items[k]}.substr(dash.size())
                                       : std::string_view{items[k]};
                    auto wrapped = wrap(body, bullet ? col - 2 : col);
                    for (std::size_t l = 0; l < wrapped.size(); ++l)
                        lines.push_back(bullet ? std::string{l == 0 ? dash : "  "} + wrapped[l]
                                               : wrapped[l]);
                }
                if (lines.empty()) lines.emplace_back("(none)");
                return lines;
            };
            auto l = lines_of(row.left);
            auto r = lines_of(row.right);
            for (std::size_t k = 0; k < std::max(l.size(), r.size()); ++k) {
                auto left = k < l.size() ? l[k] : std::string{};
                auto right = k < r.size() ? r[k] : std::string{};
                auto line = pad(left, col) + " | " + right;
                while (!line.empty() && line.back() == ' ') line.pop_back();
                out += line + "\n";
            }
        }
    } else {
        out += "Generated memo and historical memo, paired by cable paragraph\n";
        out += std::string(width, '=') + "\n";
        constexpr std::size_t indent = 14;
        for (const auto& row : rows) {
            out += row.label + "\n";
            auto side = [&](std::string_view name, const std::vector<std::string>& items) {
                if (items.empty()) {
                    out += pad("  " + std::string{name}, indent) + "(none)\n";
                    return;
                }
                for (std::size_t k = 0; k < items.size(); ++k)
                    out += hanging(
                        k == 0 ? pad("  " + std::string{name}, indent) : std::string(indent, ' '),
                        std::string(indent, ' '), items[k], width);
            };
            side("generated", row.left);
            side("historical", row.right);
        }
    }
    return out;
}

std::string render_left_out(const std::vector<left_out_item>& items, std::size_t width) {
    std::string out;
    for (const auto& i : items) {
        auto head = fmt::format("Paragraph {}{}: left out by rule \"{}\"{}{}", i.paragraph,
                                i.whole_paragraph ? " (whole)" : "", i.rule,
                                i.where.empty() ? "" : " at ", i.where);
        out += hanging("", "    ", head, width);
        if (!i.reason.empty()) out += hanging("    why: ", "         ", i.reason, width);
        out += hanging("    text: \"", "          ", i.text + "\"", width);
    }
    return out;
}

}  // namespace hakto::terminals
