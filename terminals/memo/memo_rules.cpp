// Loading the memo rules: TOML (through sim/io/toml_reader) into memo_rules, every problem with
// its file, line, column and field; the bundled rules; a user's file laid over them.
#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <span>
#include <stdexcept>

#include <fmt/format.h>

#include "protocol/text/text_template.hpp"
#include "sim/io/embedded.hpp"
#include "sim/io/file_reader.hpp"
#include "sim/io/toml_reader.hpp"
#include "terminals/memo/memo_text.hpp"
#include "terminals/memo/memo_writer.hpp"

namespace hakto::terminals {

namespace detail {
extern const embedded_file builtin_memo_rule_files[];
extern const std::size_t builtin_memo_rule_files_count;
}  // namespace detail

using namespace memo_detail;

std::string rule_origin::to_string() const {
    if (file.empty()) return {};
    if (line == 0) return file;
    return fmt::format("{}:{}", file, line);
}

std::string memo_rules_error::to_string() const {
    return sim::to_string(problems);
}

namespace {

sim::toml_place place_of_key(const toml::key& k) {
    const auto& s = k.source();
    return {static_cast<std::size_t>(s.begin.line), static_cast<std::size_t>(s.begin.column)};
}

/// "a, b, c": the names a message offers.
std::string listed(std::span<const std::string_view> names) {
    std::string list;
    for (auto x : names) list += (list.empty() ? "" : ", ") + std::string{x};
    return list;
}

/// A pattern of a list, with its place in the file (for [remove] to point at).
struct placed_pattern {
    rule_text rule;
    sim::toml_place where;
};

class rules_reader {
  public:
    rules_reader(memo_rules& r, std::string_view file, sim::toml_problems& problems)
        : r_(r), file_(file), problems_(problems) {}

    void read(const toml::table& root) {
        static constexpr std::array<std::string_view, 10> sections{
            "frame",    "caveat",  "leave_out", "emphasis",   "phrases",
            "pronouns", "repairs", "case",      "dictionary", "remove"};
        for (const auto& [k, v] : root)
            if (std::find(sections.begin(), sections.end(), k.str()) == sections.end())
                fail(place_of_key(k), "",
                     fmt::format("unknown section '{}' (known: {})", k.str(), listed(sections)));
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
    rule_origin origin(const toml::node& n) const { return {file_, sim::place_of(n).line}; }
    rule_origin origin(const toml::key& k) const { return {file_, place_of_key(k).line}; }

    void fail(sim::toml_place where, std::string field, std::string message) {
        problems_.push_back({file_, where, std::move(field), std::move(message)});
    }
    void fail(const toml::node& n, std::string field, std::string message) {
        fail(sim::place_of(n), std::move(field), std::move(message));
    }

    const toml::table* table_of(const toml::node& n, std::string_view field) {
        if (auto t = n.as_table()) return t;
        fail(n, std::string{field}, "must be a table");
        return nullptr;
    }

    std::optional<std::string> string_of(const toml::node& n, std::string_view field) {
        if (auto v = n.value_exact<std::string>()) return *v;
        fail(n, std::string{field}, "must be a string in quotes");
        return std::nullopt;
    }

    std::optional<bool> bool_of(const toml::node& n, std::string_view field) {
        if (auto v = n.value_exact<bool>()) return *v;
        fail(n, std::string{field}, "must be true or false");
        return std::nullopt;
    }

    /// A template of [frame], its placeholders checked now: filling it cannot meet a stranger.
    std::optional<std::string> template_of(const toml::node& n, const std::string& field) {
        auto s = string_of(n, field);
        if (!s) return std::nullopt;
        if (auto checked = protocol::check_template(*s, frame_placeholders); !checked) {
            fail(n, field, checked.error().message);
            return std::nullopt;
        }
        return s;
    }

    /// A list of patterns, each checked to hold at least one word or sign.
    std::vector<placed_pattern> placed_patterns_of(const toml::node& n, std::string_view field) {
        std::vector<placed_pattern> out;
        auto arr = n.as_array();
        if (!arr) {
            fail(n, std::string{field}, "must be a list of strings: [\"…\", \"…\"]");
            return out;
        }
        for (const auto& el : *arr) {
            if (!el.is_string()) {
                fail(el, std::string{field}, "each item must be a string in quotes");
                continue;
            }
            auto s = *el.value_exact<std::string>();
            if (pattern_elements(s).empty()) {
                fail(el, std::string{field}, "an empty pattern matches nothing");
                continue;
            }
            out.push_back({{s, origin(el)}, sim::place_of(el)});
        }
        return out;
    }

    std::vector<rule_text> patterns_of(const toml::node& n, std::string_view field) {
        std::vector<rule_text> out;
        for (auto& p : placed_patterns_of(n, field)) out.push_back(std::move(p.rule));
        return out;
    }

    void unknown_keys(const toml::table& t, std::string_view field,
                      std::initializer_list<std::string_view> known) {
        for (const auto& [k, v] : t)
            if (std::find(known.begin(), known.end(), k.str()) == known.end())
                fail(place_of_key(k), std::string{field},
                     fmt::format("unknown key '{}' (known: {})", k.str(), listed(known)));
    }

    /// Same pattern written twice in this file (keys differing only in case or spacing).
    bool duplicate(std::string_view section, const std::string& key, const toml::key& k) {
        auto [it, fresh] = seen_[std::string{section}].emplace(key, place_of_key(k).line);
        if (!fresh)
            fail(place_of_key(k), std::string{section},
                 fmt::format("'{}' is already given at line {}", k.str(), it->second));
        return !fresh;
    }

    void read_frame(const toml::node& n) {
        auto t = table_of(n, "frame");
        if (!t) return;
        unknown_keys(*t, "frame",
                     {"for", "from", "subject", "opening", "closing", "ordinals", "unknown_ordinal",
                      "subject_by_series", "opening_by_ordinal"});
        auto text = [&](std::string_view key, std::string& out, bool is_template) {
            auto v = t->get(key);
            if (!v) return;
            auto field = fmt::format("frame.{}", key);
            auto s = is_template ? template_of(*v, field) : string_of(*v, field);
            if (s) out = *s;
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
            if (auto st = table_of(*v, "frame.subject_by_series"))
                for (const auto& [k, val] : *st)
                    if (auto s =
                            template_of(val, fmt::format("frame.subject_by_series.{}", k.str())))
                        r_.frame.subject_by_series[upper(k.str())] = *s;
        }
        if (auto v = t->get("opening_by_ordinal")) {
            if (auto ot = table_of(*v, "frame.opening_by_ordinal"))
                for (const auto& [k, val] : *ot) {
                    int ord = 0;
                    auto ks = k.str();
                    bool digits = !ks.empty() && ks.size() < 6 &&
                                  std::all_of(ks.begin(), ks.end(),
                                              [](char c) { return c >= '0' && c <= '9'; });
                    if (digits) ord = std::stoi(std::string{ks});
                    if (ord < 1) {
                        fail(
                            place_of_key(k), "frame.opening_by_ordinal",
                            fmt::format("the key '{}' must be an ordinal 1, 2, 3 … in quotes", ks));
                        continue;
                    }
                    if (auto s =
                            template_of(val, fmt::format("frame.opening_by_ordinal.\"{}\"", ks)))
                        r_.frame.opening_by_ordinal[ord] = *s;
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
            fail(n, std::string{section},
                 fmt::format("must be written as one or more [[{}]] tables", section));
            return;
        }
        std::size_t k = 0;
        for (const auto& el : *arr) {
            const auto& t = *el.as_table();
            auto field = fmt::format("{}[{}]", section, k++);
            unknown_keys(t, field, keys);
            std::string name, reason;
            if (auto v = t.get("name")) {
                if (auto s = string_of(*v, field + ".name")) name = *s;
            } else {
                fail(t, field, "name is required (it names the rule in the left-out list)");
            }
            if (auto v = t.get("reason")) {
                if (auto s = string_of(*v, field + ".reason")) reason = *s;
            }
            if (name.empty()) continue;
            auto* g = group_named(groups, name);
            if (!g) {
                groups.push_back(Group{});
                g = &groups.back();
                g->name = name;
                g->where = origin(t);
            }
            if (!reason.empty()) g->reason = reason;
            if (g->reason.empty()) fail(t, field, "reason is required (it tells the reader why)");
            fill(*g, t, field);
        }
    }

    void read_caveats(const toml::node& n) {
        read_groups(n, "caveat", r_.caveats, {"name", "reason", "remove"},
                    [&](caveat_group& g, const toml::table& t, const std::string& field) {
                        if (auto v = t.get("remove"))
                            add_patterns(g.remove, patterns_of(*v, field + ".remove"));
                        else
                            fail(t, field, "remove = [\"…\"] is required");
                    });
    }

    void read_leave_out(const toml::node& n) {
        read_groups(n, "leave_out", r_.leave_out, {"name", "reason", "starts", "contains"},
                    [&](leave_out_group& g, const toml::table& t, const std::string& field) {
                        auto s = t.get("starts");
                        auto c = t.get("contains");
                        if (s) add_patterns(g.starts, patterns_of(*s, field + ".starts"));
                        if (c) add_patterns(g.contains, patterns_of(*c, field + ".contains"));
                        if (!s && !c)
                            fail(t, field, "starts = [\"…\"] or contains = [\"…\"] is required");
                    });
    }

    void read_phrases(const toml::node& n, std::string_view section,
                      std::vector<phrase_rule>& list) {
        auto t = table_of(n, section);
        if (!t) return;
        for (const auto& [k, v] : *t) {
            auto key = pattern_key(k.str());
            if (key.empty()) {
                fail(place_of_key(k), std::string{section},
                     fmt::format("the pattern '{}' holds no word", k.str()));
                continue;
            }
            if (duplicate(section, key, k)) continue;
            auto s = string_of(v, fmt::format("{}.\"{}\"", section, k.str()));
            if (!s) continue;
            phrase_rule r{std::string{k.str()}, *s, origin(k)};
            auto same = std::find_if(list.begin(), list.end(), [&](const phrase_rule& x) {
                return pattern_key(x.pattern) == key;
            });
            if (same != list.end())
                *same = std::move(r);
            else
                list.push_back(std::move(r));
        }
    }

    void add_words(std::vector<std::string>& to, const toml::node& n, std::string_view field) {
        for (auto& p : patterns_of(n, field)) {
            auto key = pattern_key(p.text);
            if (std::none_of(to.begin(), to.end(),
                             [&](const std::string& x) { return pattern_key(x) == key; }))
                to.push_back(p.text);
        }
    }

    void read_repairs(const toml::node& n) {
        auto t = table_of(n, "repairs");
        if (!t) return;
        unknown_keys(*t, "repairs", {"enabled", "articles", "no_article_after", "phrases"});
        if (auto v = t->get("enabled"))
            if (auto b = bool_of(*v, "repairs.enabled")) r_.repairs = *b;
        if (auto v = t->get("articles"))
            if (auto b = bool_of(*v, "repairs.articles")) r_.articles = *b;
        if (auto v = t->get("no_article_after"))
            add_words(r_.no_article_after, *v, "repairs.no_article_after");
        if (auto v = t->get("phrases")) read_phrases(*v, "repairs.phrases", r_.repair_phrases);
    }

    void read_case(const toml::node& n) {
        auto t = table_of(n, "case");
        if (!t) return;
        unknown_keys(*t, "case", {"keep_mixed_case", "keep_initials", "no_sentence_end_after"});
        if (auto v = t->get("keep_mixed_case"))
            if (auto b = bool_of(*v, "case.keep_mixed_case")) r_.keep_mixed_case = *b;
        if (auto v = t->get("keep_initials"))
            if (auto b = bool_of(*v, "case.keep_initials")) r_.keep_initials = *b;
        if (auto v = t->get("no_sentence_end_after"))
            add_words(r_.no_sentence_end_after, *v, "case.no_sentence_end_after");
    }

    void read_dictionary(const toml::node& n) {
        auto t = table_of(n, "dictionary");
        if (!t) return;
        for (const auto& [k, v] : *t) {
            auto key = pattern_key(k.str());
            if (key.empty()) {
                fail(place_of_key(k), "dictionary",
                     fmt::format("the key '{}' holds no word", k.str()));
                continue;
            }
            if (duplicate("dictionary", key, k)) continue;
            dictionary_entry e{std::string{k.str()}, "", "", origin(k)};
            auto field = fmt::format("dictionary.\"{}\"", k.str());
            if (v.is_string()) {
                e.text = *v.value<std::string>();
            } else if (auto et = v.as_table()) {
                unknown_keys(*et, field, {"text", "article"});
                if (auto x = et->get("text")) {
                    if (auto s = string_of(*x, field + ".text")) e.text = *s;
                } else {
                    fail(v, field, "text = \"…\" is required");
                    continue;
                }
                if (auto x = et->get("article"))
                    if (auto s = string_of(*x, field + ".article")) e.article = *s;
            } else {
                fail(v, field, "must be a string, or a table { text = \"…\", article = \"the\" }");
                continue;
            }
            if (pattern_elements(e.text).empty()) {
                fail(v, field,
                     "the text is empty (to take an entry away, use [remove] dictionary = "
                     "[\"…\"])");
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
        auto t = table_of(n, "remove");
        if (!t) return;
        unknown_keys(
            *t, "remove",
            {"dictionary", "emphasis", "phrases", "pronouns", "repairs", "caveats", "leave_out",
             "no_article_after", "no_sentence_end_after", "subject_by_series"});
        auto each = [&](std::string_view key, auto&& take) {
            auto v = t->get(key);
            if (!v) return;
            auto field = fmt::format("remove.{}", key);
            for (auto& p : placed_patterns_of(*v, field))
                if (!take(pattern_key(p.rule.text)))
                    fail(p.where, field,
                         fmt::format("there is no rule '{}' to remove", p.rule.text));
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
    sim::toml_problems& problems_;
    std::map<std::string, std::map<std::string, std::size_t>> seen_;
};

expected<memo_rules, memo_rules_error> read_rules(memo_rules r, std::string_view text,
                                                  std::string_view file) {
    auto root = sim::parse_toml(text, file);
    if (!root) return memo_rules_error{{root.error()}};
    sim::toml_problems problems;
    rules_reader{r, file, problems}.read(root.value());
    if (!problems.empty()) return memo_rules_error{std::move(problems)};
    r.files.emplace_back(file);
    return r;
}

/// The file error as a problem of the rule file: "PATH: cannot open: REASON".
sim::toml_problem file_problem(const sim::file_error& e) {
    auto message = e.message();
    if (auto prefix = e.path + ": "; message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    return {e.path, {}, "", std::move(message)};
}

}  // namespace

expected<memo_rules, memo_rules_error> load_memo_rules(std::string_view toml_text,
                                                       std::string_view file) {
    auto r = read_rules(memo_rules{}, toml_text, file);
    if (!r) return r;
    sim::toml_problems problems;
    auto need = [&](const std::string& v, std::string_view key) {
        if (v.empty())
            problems.push_back({std::string{file},
                                {},
                                fmt::format("frame.{}", key),
                                "is required in a complete rule set"});
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
    // A rule file is a page or two of text: 4 MiB is certainly something else.
    auto text = sim::read_file(path, 4u << 20);
    if (!text) return memo_rules_error{{file_problem(text.error())}};
    return extend_memo_rules(base, text.value(), path);
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
    if (files.empty())
        return memo_rules_error{{{"<builtin>", {}, "", "no rule files are built in"}}};
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
    // Broken built-in data is a broken build: stop (main reports it) rather than write memos by
    // no rules at all. The tests load the bundled rules and require no problem.
    static const memo_rules rules = [] {
        auto r = load_builtin_memo_rules();
        if (!r)
            throw std::runtime_error(
                fmt::format("the built-in memo rules do not load (a broken build):\n{}",
                            r.error().to_string()));
        return std::move(r.value());
    }();
    return rules;
}

}  // namespace hakto::terminals
