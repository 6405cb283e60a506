#pragma once
// The rewrite rules at work (inside terminals/memo only): one cable paragraph restated in the
// memo's voice. The steps run in a fixed order (docs/covering-memo.md): caveats out, left-out
// sentences out, emphasis forms, phrases, pronouns, repairs, the dictionary, sentence case.
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "terminals/memo/memo_text.hpp"
#include "terminals/memo/memo_writer.hpp"

namespace hakto::terminals::memo_detail {

/// A rule compiled for matching: its pattern as elements.
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
    void add(pattern_rule r);
    void build();
    const std::vector<const pattern_rule*>* starting_with(const std::string& first) const;
    bool empty() const { return rules_.empty(); }

  private:
    std::vector<std::unique_ptr<pattern_rule>> rules_;
    std::unordered_map<std::string, std::vector<const pattern_rule*>> by_first_;
};

/// What a rewrite may not touch: words the dictionary wrote, and also those a phrase rule wrote.
enum class blocks { fixed, fixed_or_settled };

class memo_rewriter {
  public:
    explicit memo_rewriter(const memo_rules& r);

    /// The bullet text for one paragraph (its `number`), or nullopt when nothing substantive is
    /// left. What is left out goes to `left_out`; without it, no leave-out rule applies.
    std::optional<std::string> restate(std::string_view text, int number,
                                       std::vector<left_out_item>* left_out) const;

  private:
    enum class mark { none, settled, fixed };

    void remove_caveats(std::vector<token>& t, int number,
                        std::vector<left_out_item>* left_out) const;
    bool is_sentence_end(const std::vector<token>& t, std::size_t i) const;
    std::vector<std::pair<std::size_t, std::size_t>> sentences(const std::vector<token>& t) const;
    bool leave_out_sentences(std::vector<token>& t, int number,
                             std::vector<left_out_item>* left_out, const std::string& whole) const;
    bool article_wanted(const std::vector<token>& t, std::size_t i) const;
    void rewrite(std::vector<token>& t, const rule_index& idx, blocks b, mark m) const;
    void sentence_case(std::vector<token>& t) const;

    const memo_rules& rules_;
    rule_index caveats_, contains_, emphasis_, phrases_, pronouns_, repairs_, dictionary_;
    std::vector<pattern_rule> starts_;
    std::set<std::string> no_article_after_, no_sentence_end_after_;
};

}  // namespace hakto::terminals::memo_detail
