#pragma once
// The cable model: what a HAKTO/TOHAK backchannel message holds, independent of how it is
// laid out on the page. Reading (cable_parser) and writing (cable_formatter) go through it.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/cable/dtg.hpp"
#include "protocol/cable/precedence.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/text/diagnostic.hpp"

namespace hakto::protocol {

/// A day of the calendar, as a memo or a title dates a document.
struct calendar_date {
    int year = 0, month = 0, day = 0;
    friend bool operator==(const calendar_date&, const calendar_date&) = default;
};

struct paragraph {
    std::optional<int> number;  ///< "1." → 1; nullopt for an unnumbered paragraph
    std::string text;           ///< continuation lines joined by single spaces
    source_position where;      ///< where the paragraph starts in the input (0 if built)
    bool parenthesis = false;   ///< numbered "1)" rather than "1."
    friend bool operator==(const paragraph& a, const paragraph& b) {
        return a.number == b.number && a.text == b.text;
    }
};

/// The ACP 127 envelope (format lines 1–4 and 15), present when the cable travelled or is to
/// travel by tape relay. The White House Situation Room form has format lines 2 and 3 without
/// format line 1 (`OP IMMED` / `DE WTE #0661 0381304`).
struct acp127_envelope {
    std::string channel_designator;               ///< FL1 trigraph, e.g. "WTA"; empty: no FL1
    int channel_serial = 1;                       ///< FL1 3-digit serial
    std::string precedence_prosigns;              ///< FL2 "OO" (empty: from the cable's precedence)
    std::vector<std::string> routing_indicators;  ///< FL2 addressees' RIs
    std::string originating_ri;                   ///< FL3 "DE <RI>"
    int station_serial = 1;                       ///< FL3 "#SSSS", repeated in FL15
    std::string filing_time;                      ///< FL3 JJJHHMM
    std::string security_warning;                 ///< FL4 "ZNY TTTTT"
    friend bool operator==(const acp127_envelope&, const acp127_envelope&) = default;
};

/// Which shape of traffic the cable came in; the writer formats each back in its own style.
enum class cable_form {
    radioteletype,   ///< the abbreviated ACP 126 header of the FRUS E-13 cables (WE DE WTE1Ø)
    acp127,          ///< the full tape-relay envelope (VZCZC … NNNN)
    state_telegram,  ///< a Department of State telegram as archived (PAGE 01, distribution, FM/TO)
    situation_room,  ///< the White House Situation Room form (OP IMMED / DE WTE #0661 …)
    frus_printed,    ///< FRUS as printed without the header: "Hakto 46/226." runs into the text
};
std::string_view to_string(cable_form f);

/// One addressee of a TO or INFO line: "SECSTATE WASHDC IMMEDIATE 4733" is the address
/// SECSTATE WASHDC, the precedence IMMEDIATE for that addressee, and the originator's serial
/// number 4733 of its traffic to it (State telegram practice; protocol facts §1.7).
struct addressee {
    std::string address;             ///< "SECSTATE WASHDC"
    std::optional<precedence> prec;  ///< from the precedence word; nullopt when none is written
    bool niact = false;              ///< NIACT (night action) with the precedence word
    std::optional<int> serial;       ///< 4733
    std::string as_written;          ///< the addressee as it stands on its line
    friend bool operator==(const addressee&, const addressee&) = default;
};

/// A telegram's own reference: the sending post and its number ("PEKING 2167").
struct telegram_ref {
    std::string post;         ///< "PEKING", "PHNOM PENH", "STATE"
    int number = 0;           ///< 2167
    std::string number_text;  ///< "2167" or "02167", as written
    friend bool operator==(const telegram_ref&, const telegram_ref&) = default;
};

/// The archive's page line: "PAGE 01 PEKING 02167 121001Z".
struct page_line {
    int number = 1;
    std::string post;                       ///< "PEKING", "USUN N", "TEL AV"
    std::string telegram_number;            ///< "02167"
    std::optional<std::string> section;     ///< "01 OF 02", a telegram sent in sections
    std::optional<series_tag> series;       ///< "TOSEC 140058" when the page line carries it
    std::optional<std::string> time_group;  ///< "121001Z" (as written: "182351 Z" keeps its space)
    friend bool operator==(const page_line&, const page_line&) = default;
};

/// The Department's distribution block: the action (or originating) office, the offices that
/// had copies for information, and the count line that closes it ("/042 W").
struct distribution_block {
    std::string action_kind = "ACTION";  ///< ACTION (incoming) or ORIGIN (outgoing)
    std::optional<std::string> action;   ///< "EA-09"
    std::vector<std::string> info;       ///< "OCT-01", "EUR-12", …
    std::optional<std::string> count;    ///< "/042 W", "( ISO ) W"
    friend bool operator==(const distribution_block&, const distribution_block&) = default;
};

/// What the archived copy of a State telegram prints above the telegram itself (PlusD): the
/// marking, the page line, a number, the distribution, who drafted, approved and cleared it,
/// and the dashed separator.
struct archive_head {
    std::optional<std::string> marking;  ///< the first line: "CONFIDENTIAL POSS DUPE"
    std::optional<page_line> page;
    std::optional<std::string> number_line;  ///< the number alone on a line ("46")
    std::optional<distribution_block> distribution;
    std::optional<std::string> drafted_by;   ///< "S/S-S:RGHSEITZ"
    std::optional<std::string> approved_by;  ///< "S/S - SGAMMON"
    std::vector<std::string> clearances;     ///< the lines after APPROVED BY
    std::optional<std::string> desired_distribution;
    std::optional<std::string> separator;  ///< "--------------------- 025574", as written
    friend bool operator==(const archive_head&, const archive_head&) = default;
};

/// "E.O. 11652: GDS": the executive order under which the cable is classified, and its
/// declassification category.
struct eo_line {
    std::string order;                    ///< "11652"
    std::optional<std::string> category;  ///< "GDS", "XGDS-1", "N/A"
    std::string as_written;               ///< the whole line
    friend bool operator==(const eo_line&, const eo_line&) = default;
};

/// Which header lines a cable printed, in order (so a cable can be written back as it came).
enum class header_field {
    routing,
    precedence_dtg,
    date_line,
    to,
    from,
    info,
    classification,
    series
};

/// How the cable was laid out where it was read; the formatter can reproduce it.
struct cable_layout {
    std::vector<header_field> header_order;  ///< empty: the canonical order
    bool address_colon = false;              ///< "TO: …" rather than "TO …"
    bool number_on_own_line = false;         ///< "1." alone, the text on the next line
    bool blank_line_between_headers = false;
    bool blank_line_between_paragraphs = false;
    /// The DTG exactly as printed when it was garbled ("201713Z JUN 772"): a faithful copy
    /// keeps the garble.
    std::optional<std::string> dtg_as_printed;
    // State telegrams and the Situation Room form.
    std::string subject_keyword = "SUBJECT";     ///< or "SUBJ"
    std::string reference_keyword = "REF";       ///< or "REFS"
    std::string reference_separator = " ";       ///< between references on one line: "; ", ", "
    bool references_on_own_lines = false;        ///< "REFS: A. …" then "B. …" on the next line
    bool series_on_classification_line = false;  ///< "S E C R E T STATE 233117 TOSEC 140058"
    bool series_in_from = false;                 ///< "FM THE SITUATION ROOM //TOHAK 003//"
    /// How many handling captions close the classification line ("… PEKING 2167 EXDIS").
    std::size_t handling_on_classification_line = 0;
    bool bt_before_text = false;      ///< a BT line between the heading and the text
    bool end_of_message = false;      ///< NNN or NNNN after the text
    std::string end_marker = "NNNN";  ///< as written: NNN or NNNN
    /// FRUS printed form: the series in the edition's case ("Hakto 46/226.").
    bool series_title_case = false;
    friend bool operator==(const cable_layout&, const cable_layout&) = default;
};

struct cable {
    cable_form form = cable_form::radioteletype;
    std::optional<routing_line> routing;
    std::optional<precedence> prec;
    /// The second prosign of "O R 190900Z": the precedence for the information addressees.
    std::optional<precedence> info_prec;
    /// The precedence in words where a line gives it so ("IMMED" in "OP IMMED").
    std::optional<std::string> precedence_words;
    std::optional<dtg> date_time_group;
    /// Operating signals after the DTG ("ZFF-4", "ZFF6", "ZEX").
    std::vector<std::string> operating_signals;
    std::optional<std::string> date_line;  ///< "JUNE 21, 1972", a plain-language date line
    std::optional<std::string> from;
    std::vector<addressee> to;
    std::vector<addressee> info;
    /// The marking normalised: UNCLASSIFIED, LIMITED OFFICIAL USE, CONFIDENTIAL, SECRET or
    /// TOP SECRET; nullopt when the cable gives none.
    std::optional<std::string> classification;
    /// The marking as written: "C O N F I D E N T I A L", "UNCLAS", "TOP SECRET; SENSITIVE; …".
    std::optional<std::string> classification_as_written;
    std::optional<telegram_ref> telegram;  ///< "PEKING 2167" from the classification line
    std::optional<std::string> section;    ///< "SECTION 1 OF 2" on the classification line
    std::optional<series_tag> series;
    std::vector<std::string> handling;      ///< captions and codewords: "NODIS", "CHEROKEE"
    std::vector<std::string> instructions;  ///< passing instructions: "DEPT FOR A AND EA"
    std::optional<std::string>
        repeat_notice;  ///< "FOLLOWING REPEAT TOKYO 15604 ACTION SECSTATE OCT 7."
    std::optional<eo_line> eo;
    std::vector<std::string> tags;  ///< "OVIP (FORD, GERALD)", "PFOR"
    std::optional<std::string> subject;
    std::vector<std::string> references;        ///< "STATE 140795 (NOTAL)", "A. PHNOM PENH 830"
    std::optional<std::string> via;             ///< Situation Room "VIA 86970"
    std::optional<std::string> message_number;  ///< Situation Room "WH40366"
    std::vector<paragraph> paragraphs;
    std::optional<std::string> signoff;
    std::optional<std::string> signature;  ///< "KISSINGER", the last line of a State telegram
    std::optional<acp127_envelope> envelope;
    std::optional<archive_head> archive;
    cable_layout layout;
    /// Fields filled from context rather than read from the cable itself: "dtg.month",
    /// "dtg.year", "series.number", "classification", and for the FRUS printed form "from",
    /// "to", "dtg" (from the title). A faithful copy leaves them out.
    std::set<std::string> inferred;
};

/// The first action addressee's address, or nullopt.
std::optional<std::string> first_addressee(const cable& c);
/// The covering memorandum that followed a cable to the President.
struct memo_bullet {
    std::string text;
    std::vector<int> source_paragraphs;  ///< cable paragraph numbers this bullet restates
};

struct memo {
    std::optional<std::string> date_text;  ///< "June 21, 1972"
    std::optional<std::string> date;       ///< ISO 8601 "1972-06-21"
    std::optional<std::string> for_;       ///< "THE PRESIDENT"
    std::optional<std::string> from;       ///< "AL HAIG"
    std::optional<std::string> subject;
    std::vector<std::string> paragraphs;  ///< running text (opening, closing), in order
    std::vector<memo_bullet> bullets;
    /// Order of body items: for each, true = the next bullet, false = the next paragraph.
    std::vector<bool> body_order;
};

/// A published document (as in FRUS): a title, the cable, the covering memorandum and the
/// numbered source notes. Any part may be absent.
struct document_title {
    std::string text;                     ///< without the trailing note markers
    std::optional<int> document_number;   ///< 143
    std::optional<series_tag> series;     ///< HAKTO 12
    std::optional<std::string> place;     ///< "Beijing"
    std::optional<std::string> dateline;  ///< "June 21, 1972, 1615Z"
    std::optional<dtg> time;              ///< 211615Z JUN 72, from the dateline
    /// "June 21, 1972" from the dateline when it gives no time of day.
    std::optional<calendar_date> date;
    /// Sender and addressee as the title names them: "From the President’s Assistant for
    /// National Security Affairs (Kissinger) to …".
    std::optional<std::string> sender;
    std::optional<std::string> addressee;
};

struct source_note {
    int number = 0;
    std::string text;
};

enum class document_part_kind { title, cable, memo, notes };

struct document_part {
    document_part_kind kind;
    std::size_t first_line = 0;
    std::size_t last_line = 0;
};

/// What the reader took one line of its input to be. `hakto explain` walks the input with it,
/// line by line, to say what each element is.
enum class line_role {
    title,
    preamble,  ///< lines before the header that belong to no cable element
    routing,
    precedence_dtg,
    precedence_words,  ///< "OP IMMED": prosigns and the precedence in words (Situation Room)
    date_line,
    to,  ///< index: into cable::to
    from,
    info,                      ///< index: into cable::info
    via,                       ///< "VIA 86970" (Situation Room)
    message_number,            ///< "WH40366" (Situation Room)
    classification,            ///< a marking alone on its line
    classification_reference,  ///< "C O N F I D E N T I A L PEKING 2167"
    series,
    // The archived State telegram (PlusD): what the archive printed around the telegram.
    page_line,     ///< "PAGE 01 PEKING 02167 121001Z"
    page_break,    ///< a later page line, or the repeated marking at a page's foot and head
    number_line,   ///< a number alone on a line under the page line
    distribution,  ///< ACTION/ORIGIN office, INFO offices, the count
    drafted_by,
    approved_by,
    clearance,
    desired_distribution,
    separator,  ///< the dashed line above the telegram
    // The head of a State telegram's text.
    handling,       ///< captions and codewords: NODIS, EXDIS, CHEROKEE
    instruction,    ///< a passing instruction: "DEPT FOR A AND EA"
    repeat_notice,  ///< "FOLLOWING REPEAT TOKYO 15604 ACTION SECSTATE OCT 7."
    quote,          ///< QUOTE / QTE / UNQUOTE / UNQTE: a repeated cable begins or ends
    eo,             ///< "E.O. 11652: GDS"
    tags,           ///< "TAGS: PFOR, CH"
    subject,        ///< "SUBJECT:" / "SUBJ:"
    reference,      ///< "REF:" / "REFS:"
    acp127_fl1,     ///< VZCZC + channel designator + serial
    acp127_fl2,     ///< precedence prosigns + routing indicators
    acp127_fl3,     ///< DE <RI> #SSN JJJHHMM
    acp127_fl4,     ///< ZNY / ZNR security warning
    acp127_bt,      ///< BT before or after the text
    acp127_fl15,    ///< #SSN again
    acp127_end,     ///< NNNN (NNN in State telegrams)
    paragraph,      ///< index: into cable::paragraphs
    signoff,
    signature,    ///< the drafter's or principal's name closing a State telegram
    page_marker,  ///< "[Page N]" alone on a line
    covering_marker,
    memo_date,
    memo_for,
    memo_from,
    memo_subject,
    memo_bullet,     ///< index: into memo::bullets
    memo_paragraph,  ///< index: into memo::paragraphs
    source_note,     ///< index: into document::notes
};

std::string_view to_string(line_role r);

struct line_reading {
    std::size_t line = 0;  ///< 1-based line of the input
    line_role role = line_role::paragraph;
    std::size_t index = 0;      ///< which paragraph, bullet, note or addressee (see line_role)
    bool continuation = false;  ///< the line continues the element a line before began
};

struct document {
    std::optional<document_title> title;
    cable message;
    std::optional<memo> covering_memo;
    std::vector<source_note> notes;
    std::vector<document_part> parts;
    std::vector<int> page_breaks;        ///< "[Page N]" markers seen, in order
    diagnostics notes_for_reader;        ///< every diagnostic, in input order
    std::vector<line_reading> line_map;  ///< every non-blank line read, in input order
    std::vector<std::string> preamble;   ///< lines before the header, kept as they were
};

std::string_view to_string(document_part_kind k);

}  // namespace hakto::protocol
