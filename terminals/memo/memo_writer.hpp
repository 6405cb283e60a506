#pragma once
// The covering memo: how a HAKTO cable becomes a MEMORANDUM FOR THE PRESIDENT. The rules
// (names and abbreviations, caveats, requests, emphasis forms, pronouns, the memo's frame)
// live in TOML files (terminals/memo/data/*.toml, compiled in; docs/covering-memo.md); this is
// the small engine that applies them, and the renderers that print a memo in the period
// layout and set a generated memo beside the historical one.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cable/cable.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/text/expected.hpp"
#include "sim/io/toml_reader.hpp"

namespace hakto::terminals {

/// Where a rule was written: "memo-rules.toml:57".
struct rule_origin {
    std::string file;
    std::size_t line = 0;
    std::string to_string() const;
};

/// A rewrite: the words of `pattern` (any case; spaces do not matter) become `replacement`.
struct phrase_rule {
    std::string pattern;      ///< "NOT REPEAT NOT"
    std::string replacement;  ///< "not"
    rule_origin where;
};

/// A proper noun or abbreviation and how the memo writes it.
struct dictionary_entry {
    std::string key;      ///< "SFRC", as the cable writes it (any case)
    std::string text;     ///< "Senate Foreign Relations Committee", printed as given
    std::string article;  ///< "the", put before it unless a determiner already stands there
    rule_origin where;
};

/// A pattern in a list, with the place it was written.
struct rule_text {
    std::string text;
    rule_origin where;
};

/// Handling caveats removed wherever they stand ("(PLEASE PROTECT)").
struct caveat_group {
    std::string name;
    std::string reason;
    std::vector<rule_text> remove;
    rule_origin where;
};

/// Sentences that are requests or handling lines, not news for the President.
struct leave_out_group {
    std::string name;                 ///< "request"
    std::string reason;               ///< shown to the reader of the left-out list
    std::vector<rule_text> starts;    ///< the sentence begins with one of these
    std::vector<rule_text> contains;  ///< the sentence holds one of these anywhere
    rule_origin where;
};

/// The memo around the bullets.
struct memo_frame {
    std::string for_;     ///< "THE PRESIDENT"
    std::string from;     ///< "AL HAIG"
    std::string subject;  ///< when the series has no entry below
    std::map<std::string, std::string>
        subject_by_series;  ///< "HAKTO" → "Report from Dr. Kissinger"
    /// Placeholders: {ordinal} {covers} {place} {series} {number} {date}.
    std::string opening;
    std::map<int, std::string> opening_by_ordinal;  ///< 1 → the opening of the first report
    std::string closing;                            ///< empty: none
    std::vector<std::string> ordinals;              ///< "first", "second", …
    std::string unknown_ordinal;                    ///< when the ordinal is not known (0)
};

struct memo_rules {
    memo_frame frame;
    std::vector<caveat_group> caveats;
    std::vector<leave_out_group> leave_out;
    std::vector<phrase_rule> emphasis;  ///< "NOT REPEAT NOT" → "not"
    std::vector<phrase_rule> phrases;   ///< settle ambiguous words before the pronouns
    std::vector<phrase_rule> pronouns;  ///< first person → third person
    bool repairs = true;                ///< telegraphic-style repairs on (phrases and articles)
    bool articles = true;               ///< put a dictionary entry's article before it
    std::vector<std::string> no_article_after;  ///< determiners: "THE", "A", "HIS", …
    std::vector<phrase_rule> repair_phrases;    ///< "AT OUTSET" → "AT THE OUTSET"
    std::vector<dictionary_entry> dictionary;
    bool keep_mixed_case = true;  ///< a word the cable prints in mixed case ("Laird") stays so
    bool keep_initials = true;    ///< "U.S", "A.M": single letters joined by dots stay capital
    std::vector<std::string> no_sentence_end_after;  ///< "MR.", "DR.": the period ends no sentence
    std::vector<std::string> files;                  ///< the rule files read, in order
};

/// One thing wrong in a rule file, and where: "teacher.toml:3:9: dictionary."HANOI": must be a
/// string, …" (the one format of hakto's TOML problems, sim/io/toml_reader.hpp). A file that
/// cannot be read is one problem naming it: "teacher.toml: cannot open: REASON".
using memo_rule_problem = sim::toml_problem;

struct memo_rules_error {
    sim::toml_problems problems;
    std::string to_string() const;  ///< one problem a line
};

/// Reads a complete rule set from TOML text; `file` names it in errors and rule origins.
expected<memo_rules, memo_rules_error> load_memo_rules(std::string_view toml,
                                                       std::string_view file);
/// Lays a rule file over `base`: entries with the same pattern replace the base's, new ones are
/// added, `[remove]` takes base rules away, `[frame]` keys replace the base's one by one.
expected<memo_rules, memo_rules_error> extend_memo_rules(const memo_rules& base,
                                                         std::string_view toml,
                                                         std::string_view file);
/// Reads a rule file from disk and lays it over `base`.
expected<memo_rules, memo_rules_error> extend_memo_rules_from_file(const memo_rules& base,
                                                                   const std::string& path);
/// The bundled rules with a user's rule file laid over them (the usual way to override or extend).
expected<memo_rules, memo_rules_error> load_memo_rules_file(const std::string& path);
/// The bundled rules (terminals/memo/data/*.toml, in name order), or why they do not load.
expected<memo_rules, memo_rules_error> load_builtin_memo_rules();
/// The bundled rules, read once. Rules that do not load are a broken build, never empty rules:
/// this throws std::runtime_error with the problems, which stops the program in main ("hakto:
/// internal error: …", exit 70). The tests load them and require no problem.
const memo_rules& builtin_memo_rules();

/// What the memo needs that the cable does not say.
struct memo_context {
    protocol::calendar_date date;  ///< of the memo, a calendar date in Washington
    int ordinal = 1;               ///< the report's place in the series so far; 0: unknown
    std::optional<protocol::calendar_date> covers;  ///< the day the report covers; default: `date`
    std::string place = "Peking";
};

/// The context a cable suggests: the memo date is the DTG in Washington (zone letter
/// `washington_zone`, 'Q' = EDT in summer 1972), the day covered is the cable's date line or
/// else the DTG's UTC date.
memo_context default_memo_context(const protocol::cable& c, int ordinal,
                                  std::string place = "Peking", char washington_zone = 'Q');

/// Something of the cable the memo does not restate, and the rule that left it out.
struct left_out_item {
    int paragraph = 0;   ///< the cable paragraph (its number, or its position when unnumbered)
    std::string rule;    ///< the rule group's name: "caveat", "request", "empty", …
    std::string reason;  ///< why, in words
    std::string text;    ///< what was left out, as the cable has it
    std::string where;   ///< the rule's place: "memo-rules.toml:57" (empty for built-in reasons)
    bool whole_paragraph = false;  ///< the paragraph as a whole was left out
    /// "paragraph 5 (whole): request (a request to Washington …) [memo-rules.toml:97]: PLEASE WIRE
    /// …"
    std::string to_string() const;
};

struct memo_draft {
    protocol::memo memo;
    std::vector<left_out_item> left_out;
};

/// The memo and the list of what was left out. One dash bullet for each substantive paragraph,
/// its source_paragraphs naming the paragraph it restates.
memo_draft draft_covering_memo(const protocol::cable& c, const memo_context& ctx,
                               const memo_rules& rules);
/// The memo alone.
protocol::memo write_covering_memo(const protocol::cable& c, const memo_context& ctx,
                                   const memo_rules& rules);

/// Restates one paragraph's text in the memo's voice (no leave-out rules): for trying a rule.
std::string restate_text(std::string_view cable_text, const memo_rules& rules);

/// "June 21, 1972"; empty for an impossible date.
std::string memo_date_text(const protocol::calendar_date& d);
/// "first" … from the rules; "11th" past the list; the rules' unknown_ordinal for 0 or less.
std::string ordinal_word(int n, const memo_rules& rules = builtin_memo_rules());

/// The memo in the period layout: the date line, MEMORANDUM FOR:, FROM:, SUBJECT:, the
/// opening, "— " bullets, wrapped at `width` columns.
std::string render_memo(const protocol::memo& m, std::size_t width = 72);
/// A generated memo and the historical one: heading lines, opening, then each generated
/// bullet with the historical bullets or paragraphs that restate the same cable paragraph
/// (by their source_paragraphs, or else by the words they share). Side by side at widths of
/// 100 columns or more, one after the other below that.
std::string render_memo_comparison(const protocol::memo& generated,
                                   const protocol::memo& historical, std::size_t width = 72);
/// The left-out list as text, one item a line.
std::string render_left_out(const std::vector<left_out_item>& items, std::size_t width = 72);

}  // namespace hakto::terminals
