#pragma once
// The cable reader's own parts, shared by the files that make it up (cable_input.cpp,
// cable_heading.cpp, cable_reader.cpp, cable_document.cpp, cable_parser.cpp). Not part of
// the interface: use cable_parser.hpp.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "protocol/cable/cable.hpp"
#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/garble.hpp"
#include "protocol/text/diagnostic.hpp"
#include "protocol/text/text_util.hpp"

namespace hakto::protocol::reading {

/// Page copy lines are at most 72 characters; far longer lines are still read, as text only.
constexpr std::size_t header_line_limit = 1000;
/// A field joined from continuation lines stays short enough to be written back on one line.
constexpr std::size_t joined_field_limit = 300;
constexpr std::size_t long_line_limit = 4096;

struct input_line {
    std::size_t number = 0;  ///< 1-based
    std::string text;        ///< valid UTF-8, no line ending
};

inline bool blank(const input_line& l) {
    return trim(l.text).empty();
}

/// Collects diagnostics, with a cap per code.
class reporter {
  public:
    explicit reporter(std::size_t cap) : cap_(cap) {}
    void operator()(source_position where, severity s, std::string code, std::string message) {
        auto& n = counts_[code];
        if (++n > cap_) return;
        list_.push_back(diagnostic{where, s, std::move(code), std::move(message)});
    }
    void add(const diagnostics& ds) {
        for (const auto& d : ds) (*this)(d.where, d.level, d.code, d.message);
    }
    diagnostics finish() {
        for (const auto& [code, n] : counts_)
            if (n > cap_)
                list_.push_back(
                    diagnostic{{},
                               severity::note,
                               code,
                               fmt::format("{} more '{}' diagnostics not shown", n - cap_, code)});
        std::stable_sort(list_.begin(), list_.end(), [](const diagnostic& a, const diagnostic& b) {
            auto key = [](const diagnostic& d) {
                return std::pair{d.where.line == 0 ? SIZE_MAX : d.where.line, d.where.column};
            };
            return key(a) < key(b);
        });
        return std::move(list_);
    }

  private:
    std::size_t cap_;
    std::map<std::string, std::size_t> counts_;
    diagnostics list_;
};

enum class address_kind { none, to, from, info };

/// Splits input into lines (LF, CR LF or the page-copy CR CR LF), checks the UTF-8 and
/// replaces what cannot be read with U+FFFD, reporting each place.
std::vector<input_line> split_lines(std::string_view in, reporter& report);

bool is_digits(std::string_view s);

/// "12." at the start of a line (after spaces): the paragraph number and where its text starts.
std::optional<std::pair<int, std::size_t>> paragraph_number(std::string_view line);

bool is_covering_marker(std::string_view line);

/// "[Page 2]" alone on a line.
std::optional<int> page_marker(std::string_view line);

/// Removes "[Page N]" markers inside running text, recording them.
std::string strip_page_markers(std::string_view text, std::vector<int>& pages);

bool is_notes_start(std::string_view line);

/// A published title: "143. Backchannel Message HAKTO 12 From … Beijing, June 21, 1972, 1615Z".
bool looks_like_title(std::string_view line);

/// "June 21, 1972" / "JUNE 21, 1972" / "21 June 1972" at the start of text.
std::optional<calendar_date> read_date_words(std::string_view text, std::size_t& consumed);

std::string join_words(std::string_view a, std::string_view b);

/// "TO GENERAL HAIG", "TO: GENERAL HAIG", "FM THE SITUATION ROOM", "FROM:" …
std::pair<address_kind, std::string_view> read_address(std::string_view line, bool& colon);

/// A sign-off: "WARM REGARDS", "WARM REGARDS.", "REGARDS", "BEST REGARDS", "WARMEST REGARDS".
bool is_signoff(std::string_view line);

/// A name that may sign a State telegram: one to three words of capitals ("KISSINGER",
/// "BRUCE", "INGERSOLL"), nothing else on the line.
bool looks_like_signature(std::string_view line);

/// Where a line stands in a cable; each zone has its own table of line kinds.
enum class zone { head, text_head, text };

/// The addressee list or block that a next line may continue.
enum class open_block {
    none,
    distribution,
    clearances,
    desired,
    to,
    info,
    tags,
    subject,
    reference,
    instruction,
    repeat
};

struct cable_reader;

/// One row of the table of line kinds: which role the line gets, and the function that
/// recognises the line and takes what it says into the cable (returning false when the line
/// is not of its kind, having changed nothing).
struct line_kind {
    line_role role;
    bool (cable_reader::*read)(const input_line&, std::string_view);
};

struct cable_reader {
    cable_reader(const std::vector<input_line>& l, reporter& r, document& d)
        : lines(l), report(r), doc(d), c(d.message) {}
    const std::vector<input_line>& lines;
    reporter& report;
    document& doc;
    cable& c;

    zone where = zone::head;
    bool archive_closed = false;  // the telegram's own heading has begun
    bool saw_bt_open = false;     // ACP 127 BT before the text
    bool ended = false;           // BT / NNNN after the text
    bool saw_fl1 = false;         // ACP 127 format line 1 (VZCZC)
    bool from_first = false;      // FM before TO: the State and ACP 127 order (FL6, FL7, FL8)
    bool in_quote = false;
    bool text_head_fields = false;  // E.O., TAGS, SUBJECT or REF read
    open_block open = open_block::none;
    paragraph* current = nullptr;
    bool paragraph_pending_text = false;  // "1." alone; its text comes next
    std::size_t last_blank_line = 0;
    std::size_t header_lines = 0, header_blanks = 0;
    std::size_t paragraph_gaps = 0, paragraph_joins = 0;
    std::optional<std::size_t> signoff_line;
    std::optional<address_kind> pending_address;  // "TO:" with its value on the next line
    std::size_t date_line_number = 0;
    std::size_t index = 0, first = 0, last = 0;  // the line being read, and the cable's lines
    std::set<std::size_t> furniture;             // page lines and markings between pages
    source_position dtg_where, series_where;
    line_role role = line_role::paragraph;  // what the table took the line to be
    bool continuation = false;              // the line continues the element before it
    std::size_t mark_index = 0;             // which addressee (TO, INFO) the line gives

    void mark(const input_line& l, line_role r, std::size_t idx = 0, bool cont = false) {
        doc.line_map.push_back(line_reading{l.number, r, idx, cont});
    }

    static line_role role_of(address_kind k) {
        return k == address_kind::to     ? line_role::to
               : k == address_kind::from ? line_role::from
                                         : line_role::info;
    }

    source_position at(const input_line& l, std::size_t byte = 0) const {
        return {l.number, column_of(l.text, byte)};
    }
    std::size_t lead_of(const input_line& l, std::string_view t) const {
        return static_cast<std::size_t>(t.data() - l.text.data());
    }

    void header_seen(header_field f) {
        ++header_lines;
        c.layout.header_order.push_back(f);
    }

    acp127_envelope& envelope() {
        if (!c.envelope) c.envelope.emplace();
        return *c.envelope;
    }
    archive_head& archive() {
        if (!c.archive) c.archive.emplace();
        return *c.archive;
    }

    /// The next line with text after `i` that is not page furniture, or `last`.
    std::size_t next_text_line(std::size_t i) const {
        for (std::size_t k = i + 1; k < last; ++k)
            if (!blank(lines[k]) && !furniture.count(k)) return k;
        return last;
    }

    // ---- The table: the heading ----------------------------------------------------------

    bool pending(const input_line& l, std::string_view t);

    bool fl1(const input_line& l, std::string_view t);

    bool fl3(const input_line&, std::string_view t);

    bool fl4(const input_line&, std::string_view t) {
        auto upper = to_upper_ascii(t);
        if (upper.rfind("ZNY ", 0) != 0 && upper.rfind("ZNR ", 0) != 0) return false;
        envelope().security_warning = upper;
        return true;
    }

    bool routing(const input_line& l, std::string_view t);

    bool precedence_dtg(const input_line& l, std::string_view t);

    bool precedence_words(const input_line&, std::string_view t);

    bool fl2(const input_line&, std::string_view t);

    // The archived State telegram: what the archive printed above it.

    bool marking(const input_line&, std::string_view t);

    bool page(const input_line&, std::string_view t);

    bool number(const input_line&, std::string_view t);

    bool distribution(const input_line&, std::string_view t);

    bool drafted(const input_line&, std::string_view t);

    bool approved(const input_line&, std::string_view t);

    bool desired(const input_line&, std::string_view t);

    bool separator(const input_line&, std::string_view t) {
        if (archive_closed || !is_separator_line(t)) return false;
        archive().separator = std::string{t};
        open = open_block::none;
        return true;
    }

    bool archive_block_line(const input_line&, std::string_view t);

    // The telegram's own heading.

    bool date_line(const input_line& l, std::string_view t);

    bool address(const input_line& l, std::string_view t);

    bool addressee_continued(const input_line& l, std::string_view t);

    bool via(const input_line&, std::string_view t);

    bool message_number(const input_line&, std::string_view t) {
        if (c.message_number || !is_message_number(t)) return false;
        c.message_number = std::string{t};
        open = open_block::none;
        return true;
    }

    bool series(const input_line& l, std::string_view t);

    bool classification_reference(const input_line& l, std::string_view t);

    bool classification(const input_line&, std::string_view t);

    bool bt(const input_line&, std::string_view t);

    // The head of the text: handling, passing instructions, E.O., TAGS, SUBJECT, REF.

    bool handling(const input_line&, std::string_view t);

    bool repeat_notice(const input_line&, std::string_view t);

    bool quote(const input_line&, std::string_view t);

    bool eo(const input_line&, std::string_view t);

    bool tags(const input_line&, std::string_view t);

    /// A subject wraps when its line was full: the next line's first word would not have fitted
    /// on it. Drafters broke subject lines near 50 to 65 columns.
    static bool wraps(std::string_view previous, std::string_view next) {
        auto w = split_words(next);
        return !w.empty() && utf8_length(previous) + 1 + utf8_length(w[0]) > 48;
    }

    bool subject(const input_line&, std::string_view t);

    bool reference(const input_line&, std::string_view t);

    bool instruction(const input_line&, std::string_view t);

    /// True when an E.O., TAGS, SUBJECT or REF line follows within the next lines of the head
    /// of the text (before any numbered paragraph).
    bool head_field_ahead(std::size_t i) const;

    /// A line another kind of the head of the text reads, which no block there runs on into.
    static bool claimed_in_text_head(std::string_view t) {
        return read_eo_line(t) || read_tags_line(t) || read_subject_line(t) ||
               read_reference_line(t) || read_handling_line(t) || read_series_tag(t) ||
               read_classification_line(t) || read_classification_reference_line(t) ||
               quote_marker_length(t) || is_repeat_notice(t) || ends_text(t);
    }

    /// BT, NNNN, NNN or the format line 15 serial: what closes a text, never a line of it.
    static bool ends_text(std::string_view t) {
        auto u = to_upper_ascii(t);
        return u == "BT" || is_end_of_message(u) ||
               (u.size() >= 2 && u[0] == '#' && is_digits(u.substr(1)));
    }

    std::size_t previous_text_line(std::size_t i) const {
        for (std::size_t k = i; k-- > first;)
            if (!blank(lines[k]) && !furniture.count(k)) return k;
        return i;
    }

    static bool letter_label(std::string_view t) {
        return t.size() >= 3 &&
               ((std::isupper(static_cast<unsigned char>(t[0])) && (t[1] == '.' || t[1] == ')') &&
                 t[2] == ' ') ||
                (t[0] == '(' && std::isupper(static_cast<unsigned char>(t[1])) && t[2] == ')'));
    }

    std::size_t subject_continuations = 0;
    std::string tags_text;  // the TAGS so far, over their lines

    // The tables. Order matters: the first kind that takes a line has it.
    static const std::vector<line_kind>& head_kinds();

    static const std::vector<line_kind>& text_head_kinds();

    bool read_with(const std::vector<line_kind>& kinds, const input_line& l);

    /// `value` is a view into the line's text.
    void set_address(address_kind k, std::string_view value, const input_line& l);

    void start_paragraph(const input_line& l, std::optional<int> number, std::string_view text,
                         std::size_t text_byte, bool parenthesis = false);

    void check_words(const input_line& l, std::string_view text, std::size_t text_byte) {
        for (const auto& g : find_garbled_words(text))
            report({l.number, column_of(l.text, text_byte + g.offset)}, severity::warning,
                   "garbled-word", fmt::format("'{}' looks garbled: {}", g.word, g.reason));
    }

    void read_body_line(const input_line& l);

    /// A name on the last line of the text, the end of the message after it (NNN, NNNN, BT,
    /// the FL15 serial), or, at the very end of the input, a single name after a line that
    /// closes a sentence.
    bool signature_here(std::size_t i) const;

    bool in_text() const { return where == zone::text; }

    /// Page furniture: later page lines ("PAGE 02 …") and the marking the archive printed at the
    /// foot of a page and the head of the next, up to two lines before the page line.
    void find_furniture();

    /// Lines before the header that no kind reads (a note, a web page's words) are a preamble,
    /// when a header stands further on: a page line, format line 1 or 3, or a precedence and
    /// DTG line with an address line right after it. Returns where the cable begins.
    std::size_t find_header_start() const;

    void read(std::size_t first_line, std::size_t last_line);

    /// Which form the cable came in, from what it holds.
    void decide_form();
};

struct memo_reader {
    memo_reader(const std::vector<input_line>& l, reporter& r, document& d)
        : lines(l), report(r), doc(d) {}
    const std::vector<input_line>& lines;
    reporter& report;
    document& doc;
    memo m;

    void mark(const input_line& l, line_role r, std::size_t index = 0, bool continuation = false) {
        doc.line_map.push_back(line_reading{l.number, r, index, continuation});
    }

    void read(std::size_t first, std::size_t last);
};

std::optional<document_title> read_title(const input_line& l);

void read_notes(const std::vector<input_line>& lines, std::size_t first, std::size_t last,
                document& doc);

/// "Top Secret; Sensitive; Exclusively Eyes Only." in the source note.
std::optional<std::string> classification_from_notes(const std::vector<source_note>& notes);

void infer_from_context(document& doc, const cable_reader& reader, reporter& report);

void cross_check(const document& doc, reporter& report);

}  // namespace hakto::protocol::reading
