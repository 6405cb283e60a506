#include "terminals/memo/memo_rewrite.hpp"

#include <algorithm>

#include "protocol/text/text_util.hpp"

namespace hakto::terminals::memo_detail {

void rule_index::add(pattern_rule r) {
    if (r.elems.empty()) return;
    rules_.push_back(std::make_unique<pattern_rule>(std::move(r)));
}

void rule_index::build() {
    for (auto& r : rules_) by_first_[r->elems.front()].push_back(r.get());
    for (auto& [k, v] : by_first_)
        std::stable_sort(v.begin(), v.end(), [](const pattern_rule* a, const pattern_rule* b) {
            return a->elems.size() > b->elems.size();
        });
}

const std::vector<const pattern_rule*>* rule_index::starting_with(const std::string& first) const {
    auto it = by_first_.find(first);
    return it == by_first_.end() ? nullptr : &it->second;
}

namespace {

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

}  // namespace

memo_rewriter::memo_rewriter(const memo_rules& r) : rules_(r) {
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
        dictionary_.add({pattern_elements(d.key), d.text, r.repairs && r.articles ? d.article : "",
                         0, d.where});
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
std::optional<std::string> memo_rewriter::restate(std::string_view text, int number,
                                                  std::vector<left_out_item>* left_out) const {
    auto folded = protocol::fold_slashed_zero(text);
    auto t = tokenize(folded);
    remove_caveats(t, number, left_out);
    if (left_out && !leave_out_sentences(t, number, left_out, std::string{protocol::trim(text)}))
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

void memo_rewriter::remove_caveats(std::vector<token>& t, int number,
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

bool memo_rewriter::is_sentence_end(const std::vector<token>& t, std::size_t i) const {
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
std::vector<std::pair<std::size_t, std::size_t>> memo_rewriter::sentences(
    const std::vector<token>& t) const {
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
bool memo_rewriter::leave_out_sentences(std::vector<token>& t, int number,
                                        std::vector<left_out_item>* left_out,
                                        const std::string& whole) const {
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

bool memo_rewriter::article_wanted(const std::vector<token>& t, std::size_t i) const {
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

void memo_rewriter::rewrite(std::vector<token>& t, const rule_index& idx, blocks b, mark m) const {
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

void memo_rewriter::sentence_case(std::vector<token>& t) const {
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

}  // namespace hakto::terminals::memo_detail
