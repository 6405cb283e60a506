#pragma once
// The souvenir: a cable as a strip of punched 5-level tape, the characters printed along it,
// and its page copy below, drawn once with cairo onto any of three surfaces (SVG, PDF, PNG).
//
// The tape runs left to right across the sheet, one row of holes a code, the way a strip reads
// when it is held up. Across the tape, top to bottom: channels 1 and 2, the small feed
// (sprocket) hole, channels 3, 4 and 5 (protocol facts §2.5). A hole is a mark, a 1 element
// (§2.3): channel n is punched when bit n-1 of the code is set. Rows are 0.1 inch apart,
// 10 characters per inch (§2.5), and the tape is drawn full size: 11/16 inch wide, the width of
// 5-level tape, with code holes 0.072 inch and feed holes 0.046 inch across (the hole sizes of
// the punched-tape standards, e.g. ECMA-10). A long cable's tape is cut into strips of
// `rows_per_strip` rows, one under the other.
//
// Along each strip, under its row, is what the row means to a receiver that has read the tape
// so far (shifts tracked, with the code set and USOS setting given): the character, or LTRS,
// FIGS, SP, CR, LF… as the function's name. The page copy follows: what the page printer prints
// from those codes, in a monospaced face at 10 characters an inch and 6 lines an inch.
//
// The PDF is paginated on A4 sheets; the SVG and the PNG are one sheet of A4 width and of the
// length the tape and the page copy need. Same input, same bytes: the PDF's creation date is
// the one given (the cable's), never the clock.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cairo.h>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"

namespace hakto::terminals::souvenir {

/// Sizes in points (1/72 inch), cairo's user unit on the SVG and PDF surfaces.
namespace geometry {
inline constexpr double points_per_inch = 72.0;
/// Between two rows along the tape: 0.1 inch (protocol facts §2.5).
inline constexpr double row_pitch = 0.1 * points_per_inch;
/// 5-level tape is 11/16 inch wide.
inline constexpr double tape_width = 11.0 / 16.0 * points_per_inch;
/// The six tracks are 0.1 inch apart, centred across the tape.
inline constexpr double first_track = (tape_width - 5 * row_pitch) / 2;
/// Centre of channel n (index n-1) below the tape's upper edge: channels 1, 2, the feed hole,
/// 3, 4, 5 (protocol facts §2.5).
inline constexpr std::array<double, 5> channel_offset = {
    first_track, first_track + row_pitch, first_track + 3 * row_pitch, first_track + 4 * row_pitch,
    first_track + 5 * row_pitch};
inline constexpr double feed_offset = first_track + 2 * row_pitch;
inline constexpr double code_hole_radius = 0.072 / 2 * points_per_inch;
inline constexpr double feed_hole_radius = 0.046 / 2 * points_per_inch;
/// Centre of the first row after the strip's left end.
inline constexpr double row_lead = row_pitch / 2;
/// The page copy: 10 characters an inch, 6 lines an inch (the Model 28 page printer).
inline constexpr double copy_pitch = 0.1 * points_per_inch;
inline constexpr double copy_line_pitch = points_per_inch / 6;
}  // namespace geometry

enum class format { svg, pdf, png };
/// "svg", "pdf" or "png"; nullopt for anything else.
std::optional<format> read_format(std::string_view name) noexcept;
std::string_view format_name(format f) noexcept;
/// "image/svg+xml", "application/pdf", "image/png".
std::string_view content_type(format f) noexcept;

/// What a souvenir shows.
struct souvenir_text {
    std::string title;     ///< "HAKTO 12", the first line
    std::string subtitle;  ///< one line under it: from, to, when
    /// The codes as the line carries them, the shifts included.
    std::vector<protocol::code> codes;
    protocol::code_set set = protocol::code_set::us_tty;
    bool usos = false;  ///< for the row labels: a SPACE returns the receiver to LETTERS
    /// The page printer's platen: the page copy is what a printer of this width prints from
    /// the codes (page_printer.hpp), zero as Ø as US teleprinters printed it.
    std::size_t columns = 72;
    /// For visitors, when the cable's text is absent: why only its header is on the tape.
    std::string caption;
    /// The PDF's creation date, ISO 8601 ("1972-06-21T16:15:00Z"): the cable's, for the same
    /// bytes every time. Empty: no date.
    std::string date;
};

/// A4 portrait, in points.
struct sheet {
    double width = 595.276;
    double height = 841.89;
    double margin = 36;  ///< half an inch all round
};

/// Where the parts of a souvenir fall.
struct layout {
    std::size_t rows_per_strip = 0;
    std::size_t strips = 0;
    std::size_t pages = 1;     ///< PDF sheets (1 for an unpaginated sheet)
    double height = 0;         ///< of the unpaginated sheet, in points
    double first_strip_y = 0;  ///< the top edge of the first strip's tape, on the first sheet
};

/// A strip's height on the sheet: the tape, the labels under it, the gap to the next.
inline constexpr double label_band = 22;
inline constexpr double strip_gap = 8;
inline constexpr double strip_height = geometry::tape_width + label_band + strip_gap;

/// Lays the souvenir out on `paper`: paginated (sheets of paper.height), or on one sheet as
/// long as it needs.
layout lay_out(const souvenir_text& s, const sheet& paper, bool paginate);

/// Draws the whole souvenir on `cr`, in points from the top left of the first sheet. With
/// `paginate`, each sheet after the first begins with cairo_show_page; without, everything
/// goes on one sheet of lay_out(s, paper, false).height. The one drawing of the three formats.
void draw_souvenir(cairo_t* cr, const souvenir_text& s, const sheet& paper, bool paginate);

struct render_options {
    sheet paper;
    double png_dpi = 150;
};

struct render_error {
    std::string message;  ///< cairo's reason
};

/// The souvenir as the bytes of an SVG, PDF or PNG file.
expected<std::string, render_error> render(const souvenir_text& s, format f,
                                           const render_options& options = {});

}  // namespace hakto::terminals::souvenir
