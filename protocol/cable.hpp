#pragma once
// The cable model: what a HAKTO/TOHAK backchannel message holds, independent of how it is
// laid out on the page. Reading (cable_parser) and writing (cable_formatter) go through it.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/diagnostic.hpp"
#include "protocol/dtg.hpp"
#include "protocol/precedence.hpp"
#include "protocol/routing_line.hpp"
#include "protocol/series_tag.hpp"

namespace hakto::protocol {

struct paragraph {
    std::optional<int> number;  ///< "1." → 1; nullopt for an unnumbered paragraph
    std::string text;           ///< continuation lines joined by single spaces
    source_position where;      ///< where the paragraph starts in the input (0 if built)
    friend bool operator==(const paragraph& a, const paragraph& b) {
        return a.number == b.number && a.text == b.text;
    }
};

/// The ACP 127 envelope (format lines 1–4 and 15), present when the cable travelled or is to
/// travel by tape relay.
struct acp127_envelope {
    std::string channel_designator;               ///< FL1 trigraph, e.g. "WTA"
    int channel_serial = 1;                       ///< FL1 3-digit serial
    std::string precedence_prosigns;              ///< FL2 "OO" (empty: from the cable's precedence)
    std::vector<std::string> routing_indicators;  ///< FL2 addressees' RIs
    std::string originating_ri;                   ///< FL3 "DE <RI>"
    int station_serial = 1;                       ///< FL3 "#SSSS", repeated in FL15
    std::string filing_time;                      ///< FL3 JJJHHMM
    std::string security_warning;                 ///< FL4 "ZNY TTTTT"
    friend bool operator==(const acp127_envelope&, const acp127_envelope&) = default;
};

/// Which header lines a cable printed, in order (so a cable can be written back as it came).
enum class header_field { routing, precedence_dtg, date_line, to, from, info, classification, series };

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
    friend bool operator==(const cable_layout&, const cable_layout&) = default;
};

struct cable {
    std::optional<routing_line> routing;
    std::optional<precedence> prec;
    std::optional<dtg> date_time_group;
    std::optional<std::string> date_line;  ///< "JUNE 21, 1972", a plain-language date line
    std::optional<std::string> from;
    std::optional<std::string> to;
    std::vector<std::string> info;
    std::optional<std::string> classification;
    std::optional<series_tag> series;
    std::vector<paragraph> paragraphs;
    std::optional<std::string> signoff;
    std::optional<acp127_envelope> envelope;
    cable_layout layout;
    /// Fields filled from context rather than read from the cable itself: "dtg.month",
    /// "dtg.year", "series.number", "classification". A faithful copy leaves them out.
    std::set<std::string> inferred;
};

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
    std::string text;                      ///< without the trailing note markers
    std::optional<int> document_number;    ///< 143
    std::optional<series_tag> series;      ///< HAKTO 12
    std::optional<std::string> place;      ///< "Beijing"
    std::optional<std::string> dateline;   ///< "June 21, 1972, 1615Z"
    std::optional<dtg> time;               ///< 211615Z JUN 72, from the dateline
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
    routing,
    precedence_dtg,
    date_line,
    to,
    from,
    info,
    classification,
    series,
    acp127_fl1,   ///< VZCZC + channel designator + serial
    acp127_fl2,   ///< precedence prosigns + routing indicators
    acp127_fl3,   ///< DE <RI> #SSN JJJHHMM
    acp127_fl4,   ///< ZNY / ZNR security warning
    acp127_bt,    ///< BT before or after the text
    acp127_fl15,  ///< #SSN again
    acp127_end,   ///< NNNN
    paragraph,    ///< index: into cable::paragraphs
    signoff,
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
    std::size_t index = 0;     ///< which paragraph, bullet or note (see line_role)
    bool continuation = false; ///< the line continues the element a line before began
};

struct document {
    std::optional<document_title> title;
    cable message;
    std::optional<memo> covering_memo;
    std::vector<source_note> notes;
    std::vector<document_part> parts;
    std::vector<int> page_breaks;  ///< "[Page N]" markers seen, in order
    diagnostics notes_for_reader;  ///< every diagnostic, in input order
    std::vector<line_reading> line_map;  ///< every non-blank line read, in input order
};

std::string_view to_string(document_part_kind k);

}  // namespace hakto::protocol
