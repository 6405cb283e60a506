#pragma once
// The kinds of line a cable holds, each read by a recognizer of its own: a table of line kinds,
// as ACP 127 numbers its format lines. Each function here reads one line (already trimmed) and
// returns what the line says, or nullopt when the line is not of that kind. They know nothing
// of where the line stands; the reader (cable_parser.cpp) decides which kinds may stand where.
//
// The forms: the abbreviated radioteletype header of the FRUS cables, the ACP 127 envelope, the
// State Department telegram as archived (PlusD), the White House Situation Room form, and the
// FRUS printed form. References: protocol facts §1 (format lines, prosigns, precedence, DTG),
// §5 (series); the PlusD header layout as the archived telegrams show it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/cable/cable.hpp"

namespace hakto::protocol {

// ---- Precedence ---------------------------------------------------------------------------

/// The precedence a word names: FLASH, IMMEDIATE (or IMMED), PRIORITY, ROUTINE; State
/// telegrams add NIACT (night action) to IMMEDIATE (protocol facts §1.6, §1.7).
std::optional<precedence> precedence_from_word(std::string_view word);

/// "O 120940Z NOV 75 ZFF-4", "Z O 031530Z", "O R 190900Z OCT 75", "O 182323 Z APR 73 ZFF6",
/// "P 201713Z JUN 772", "191810Z JUN 72", or the prosign alone ("O").
struct precedence_dtg_line {
    std::optional<precedence> prec;              ///< the first prosign: action precedence
    std::optional<precedence> info_prec;         ///< a second, different prosign: info precedence
    std::optional<dtg_reading> reading;          ///< the DTG when one follows
    std::size_t dtg_offset = 0;                  ///< byte offset of the DTG in the line
    std::vector<std::string> operating_signals;  ///< "ZFF-4" after the DTG
    std::string trailing;                        ///< anything else after the DTG
    std::size_t trailing_offset = 0;
    bool zero_for_o = false;  ///< the figure 0 stood for the prosign O ("0 120940Z")
};
std::optional<precedence_dtg_line> read_precedence_dtg_line(std::string_view line,
                                                            std::size_t line_number,
                                                            std::size_t first_column);

/// True for an operating signal written after a DTG: Z and two letters, optionally a digit or
/// "-digit" ("ZFF4", "ZFF-4", "ZEX"); protocol facts §1.6.
bool is_operating_signal(std::string_view word);

/// "OP IMMED": prosigns (one or two letters) and a precedence in words, the first line of the
/// Situation Room form.
struct precedence_words_line {
    std::string prosigns;  ///< "OP"
    std::string words;     ///< "IMMED"
    precedence prec = precedence::routine;
};
std::optional<precedence_words_line> read_precedence_words_line(std::string_view line);

// ---- Addresses ----------------------------------------------------------------------------

/// An addressee from its text: "SECSTATE WASHDC IMMEDIATE 4733" → SECSTATE WASHDC, O, 4733;
/// "AMEMBASSY ATHENS IMMEDIATE NIACT"; "GENERAL HAIG, THE WHITE HOUSE". `garbled_word` is set
/// to a precedence word read through a garble ("INKEDIATE").
addressee read_addressee(std::string_view text, std::string* garbled_word = nullptr);
/// The addressee written back: its text as written when that reads back the same.
std::string format_addressee(const addressee& a);

/// True when a line of this shape continues an addressee list (format lines 7 and 8 run on
/// over several lines): capitals, figures and / - & . only, at most 8 words and 69 characters,
/// no full stop at its end, not BT or NNNN.
bool is_run_on_addressee_shape(std::string_view line);
/// The same, and no other kind of a heading's line would take it first (VIA, a WH number, a
/// series tag, a marking, a caption, E.O., TAGS, SUBJECT, REF, a date, a DTG, a routing line,
/// format lines): the writer writes an addressee on its own line only when it reads back so.
bool reads_back_as_run_on_addressee(std::string_view line);

// ---- Classification -----------------------------------------------------------------------

/// A classification marking at the start of a line: TOP SECRET, SECRET, CONFIDENTIAL,
/// LIMITED OFFICIAL USE, UNCLASSIFIED or UNCLAS, spaced or not ("C O N F I D E N T I A L").
struct classification_marking {
    std::string normalised;  ///< "CONFIDENTIAL"
    std::string as_written;  ///< "C O N F I D E N T I A L"
    std::size_t length = 0;  ///< bytes of the line it takes
};
std::optional<classification_marking> read_classification_marking(std::string_view line);
/// "UNCLAS" → "UNCLASSIFIED", "Top Secret; Sensitive" → "TOP SECRET"; nullopt when the text
/// does not begin with a marking.
std::optional<std::string> normalise_classification(std::string_view marking);

/// A marking alone on its line, perhaps with caveats after it ("CONFIDENTIAL POSS DUPE",
/// "TOP SECRET; SENSITIVE; EXCLUSIVELY EYES ONLY").
std::optional<classification_marking> read_classification_line(std::string_view line);

/// The classification-and-reference line that opens a State telegram's text:
/// "C O N F I D E N T I A L PEKING 2167", "S E C R E T STATE 233117 TOSEC 140058",
/// "LIMITED OFFICIAL USE STATE 239608", "UNCLAS SECTION 1 OF 2 STATE 12345".
struct classification_reference_line {
    classification_marking marking;
    std::optional<telegram_ref> telegram;
    std::optional<series_tag> series;    ///< a TOSEC/SECTO serial on the line
    std::optional<std::string> section;  ///< "SECTION 1 OF 2"
    std::vector<std::string> handling;   ///< captions closing the line ("EXDIS")
};
std::optional<classification_reference_line> read_classification_reference_line(
    std::string_view line);

/// Handling captions and codewords at the start of a line: NODIS, EXDIS, LIMDIS, STADIS,
/// CHEROKEE, … Each caption is an item; what follows them ("MILITARY PLEASE HANDLE AS SPECAT
/// EXCLUSIVE") is one item more. A row of slashes after a caption is padding.
std::optional<std::vector<std::string>> read_handling_line(std::string_view line);
bool is_handling_caption(std::string_view word);

// ---- The archived State telegram (PlusD) --------------------------------------------------

/// "PAGE 01 PEKING 02167 121001Z", "PAGE 01 USUN N 01430 182351 Z", "PAGE 01 STATE 198526",
/// "PAGE 01 STATE 233117 TOSEC 140058".
std::optional<page_line> read_page_line(std::string_view line);
std::string format_page_line(const page_line& p);

/// A line of the distribution block: "ACTION EA-09", "ORIGIN SS-15", "INFO OCT-01 EA-09 …",
/// a continuation of office codes, and the count that ends it ("/042 W", "( ISO ) W").
struct distribution_line {
    enum class kind { action, origin, info, continuation } what = kind::continuation;
    std::vector<std::string> offices;
    std::optional<std::string> count;
};
std::optional<distribution_line> read_distribution_line(std::string_view line);
/// An office of the distribution: letters (and / or digits) and a two-digit copy count,
/// "EUR-25", "S/S-O-00"; protocol facts has no table of them.
bool is_office_code(std::string_view word);

/// "DRAFTED BY S/S-S:RGHSEITZ", "APPROVED BY: S/S-O: LMATTESON": the value after the keyword.
std::optional<std::string> read_keyword_value(std::string_view line, std::string_view keyword);

/// The dashed line between the archive's block and the telegram: "-----", "------ 025574",
/// "------------------022183 082354Z /75".
bool is_separator_line(std::string_view line);

/// A number alone on its line ("46", "66011").
bool is_number_line(std::string_view line);

// ---- The head of the text -----------------------------------------------------------------

/// "E.O. 11652: GDS", "E. O. 11652: GDS", "E.O.11652: GDS-1", "E.O. 11652:XGDS-2".
std::optional<eo_line> read_eo_line(std::string_view line);

/// "TAGS: OVIP (RUSH, KENNETH), AF" → {"OVIP (RUSH, KENNETH)", "AF"}; commas inside
/// parentheses do not split. `open` is set when the line ends with a comma (more follow).
std::optional<std::vector<std::string>> read_tags_line(std::string_view line, bool* open = nullptr);
/// The text after TAGS: ("OVIP (RUSH, KENNETH), AF"), nullopt when the line is not a TAGS line.
std::optional<std::string> read_tags_text(std::string_view line);
/// The tags of a text (split at commas outside parentheses).
std::vector<std::string> split_tags(std::string_view text, bool* open = nullptr);

/// "SUBJECT: …" or "SUBJ: …": the keyword and the rest.
struct keyword_line {
    std::string keyword;  ///< "SUBJECT", "SUBJ", "REF", "REFS"
    std::string text;
};
std::optional<keyword_line> read_subject_line(std::string_view line);

/// "REF: STATE 140795 (NOTAL)", "REFS: A. PHNOM PENH 830", "REF: A) STATE 92867; B) STATE
/// 97839": the references, split where a letter label begins one ("A.", "A)", "(A)").
struct reference_line {
    std::string keyword;
    std::vector<std::string> items;
    std::string separator = " ";  ///< what stood between two items: "; ", ", " or " "
};
std::optional<reference_line> read_reference_line(std::string_view line);
/// The references of a continuation line ("B. PARIS 01382"), which must begin with a letter
/// label; nullopt otherwise.
std::optional<reference_line> read_reference_continuation(std::string_view line);

/// "FOLLOWING REPEAT TOKYO 15604 ACTION SECSTATE OCT 7.": a cable repeated to new addressees.
bool is_repeat_notice(std::string_view line);
/// QUOTE, QTE, UNQUOTE, UNQTE, END QUOTE: the length of the marker at the line's start, or 0.
std::size_t quote_marker_length(std::string_view line, bool* closing = nullptr);

/// "DEPT FOR A AND EA", "USIA FOR IBS/PS": a passing instruction by its shape alone
/// (an office, FOR, whom it is for).
bool looks_like_passing_instruction(std::string_view line);
/// A line that begins a passing instruction of its own (it names whom for, or passes,
/// handles, informs, delivers) rather than running on from the one before ("HI, DOD WASHDC").
bool starts_instruction(std::string_view line);

// ---- The Situation Room form --------------------------------------------------------------

/// "VIA 86970": the value after VIA.
std::optional<std::string> read_via_line(std::string_view line);
/// "WH40366", "WH 29642", "WHS 2291": a White House message number alone on its line.
bool is_message_number(std::string_view line);

// ---- Text ---------------------------------------------------------------------------------

/// "12. " or "12) " at the start of a line: the number, where the text starts, and whether the
/// number closes with a parenthesis.
struct paragraph_start {
    int number = 0;
    std::size_t text_offset = 0;
    bool parenthesis = false;
};
std::optional<paragraph_start> read_paragraph_number(std::string_view line);

/// The end of a message: NNNN (ACP 127 format line 16) or NNN (the State telegrams as archived).
bool is_end_of_message(std::string_view line);

/// A series tag running into the head of the text, as FRUS prints a cable without its header:
/// "Hakto 46/226. 1. After reading…", "Sitto 11. I have reviewed…". The tag and where the text
/// after it starts.
struct series_run_in {
    series_tag tag;
    std::size_t text_offset = 0;
    bool title_case = false;  ///< "Hakto", not "HAKTO"
};
std::optional<series_run_in> read_series_run_in(std::string_view line);

}  // namespace hakto::protocol
