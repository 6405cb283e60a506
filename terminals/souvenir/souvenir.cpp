#include "terminals/souvenir/souvenir.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fmt/format.h>

#include "protocol/teletype/page_printer.hpp"
#include "protocol/teletype/tape.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/text/text_util.hpp"
#include "protocol/text/utf8.hpp"

namespace hakto::terminals::souvenir {

namespace {

namespace g = geometry;

constexpr const char* mono_face = "DejaVu Sans Mono";
constexpr const char* sans_face = "DejaVu Sans";
/// The largest PNG cairo's image surface can hold on a side.
constexpr int max_png_side = 32767;

// The heights of what flows down the sheet, in points.
constexpr double title_height = 50;
constexpr double caption_line = 11;
constexpr double heading_height = 18;
constexpr double footer_room = 18;
constexpr std::size_t caption_columns = 96;

struct rgb {
    double r, g, b;
};
constexpr rgb ink{0.10, 0.10, 0.10};
constexpr rgb grey{0.42, 0.42, 0.42};
constexpr rgb tape_paper{0.96, 0.91, 0.76};  // the buff of teleprinter tape
constexpr rgb tape_edge{0.70, 0.63, 0.45};
constexpr rgb hole{0.16, 0.14, 0.12};  // through the hole: what lies behind the tape
constexpr rgb shift_ink{0.62, 0.12, 0.10};

void colour(cairo_t* cr, rgb c) {
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/// The page copy: what the page printer prints from the codes, zero as Ø (protocol facts §1.11),
/// without the blank lines after the last line printed.
std::vector<std::string> copy_lines(const souvenir_text& s) {
    protocol::page_printer printer{{s.columns, true}};
    protocol::teletype_decoder receiver{{s.set, s.usos}};
    for (auto c : s.codes) printer.feed(receiver.feed(c));
    auto lines = printer.lines();
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    return lines;
}

std::vector<std::string> caption_lines(const souvenir_text& s) {
    if (s.caption.empty()) return {};
    return protocol::wrap_words(s.caption, caption_columns);
}

/// One thing on the sheet, in the order they flow.
struct item {
    enum class kind { title, caption, tape_heading, strip, copy_heading, copy_line } what;
    std::size_t index = 0;  // the strip, or the line
    double height = 0;
};

struct placed {
    item it;
    std::size_t page = 0;
    double y = 0;  // the item's top on its sheet
};

struct flow {
    std::vector<placed> items;
    std::size_t pages = 1;
    double end = 0;  // below the last item, on the last sheet
};

std::size_t rows_per_strip(const sheet& paper) {
    const double room = paper.width - 2 * paper.margin;
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(room / g::row_pitch)));
}

flow flow_items(const souvenir_text& s, const sheet& paper, bool paginate) {
    std::vector<item> all;
    all.push_back({item::kind::title, 0, title_height});
    const auto caption = caption_lines(s);
    for (std::size_t i = 0; i < caption.size(); ++i)
        all.push_back({item::kind::caption, i, caption_line + (i + 1 == caption.size() ? 8 : 0)});
    const auto per = rows_per_strip(paper);
    const auto strips = (s.codes.size() + per - 1) / per;
    all.push_back({item::kind::tape_heading, 0, heading_height});
    for (std::size_t i = 0; i < strips; ++i) all.push_back({item::kind::strip, i, strip_height});
    const auto lines = copy_lines(s);
    if (!lines.empty()) all.push_back({item::kind::copy_heading, 0, heading_height + 6});
    for (std::size_t i = 0; i < lines.size(); ++i)
        all.push_back({item::kind::copy_line, i, g::copy_line_pitch});

    flow f;
    double y = paper.margin;
    const double bottom = paper.height - paper.margin - footer_room;
    for (const auto& it : all) {
        // A heading goes to the next sheet with what follows it.
        double need = it.height;
        if (it.what == item::kind::tape_heading || it.what == item::kind::copy_heading)
            need += it.what == item::kind::tape_heading ? strip_height : g::copy_line_pitch;
        if (paginate && y + need > bottom && y > paper.margin) {
            ++f.pages;
            y = paper.margin;
        }
        f.items.push_back({it, f.pages - 1, y});
        y += it.height;
    }
    f.end = y;
    return f;
}

void show_text_at(cairo_t* cr, double x, double y, const std::string& text) {
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, text.c_str());
}

void draw_title(cairo_t* cr, const souvenir_text& s, const sheet& paper, double y) {
    colour(cr, ink);
    cairo_select_font_face(cr, sans_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 16);
    show_text_at(cr, paper.margin, y + 16, s.title);
    cairo_select_font_face(cr, sans_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 9);
    if (!s.subtitle.empty()) show_text_at(cr, paper.margin, y + 31, s.subtitle);
    colour(cr, grey);
    cairo_set_font_size(cr, 7.5);
    show_text_at(cr, paper.margin, y + 43,
                 fmt::format("{} codes of 5-level {}{} on {:.1f} inches of tape, full size: read "
                             "each strip left to right, then the next.",
                             s.codes.size(), protocol::code_set_name(s.set),
                             s.usos ? " (unshift on space)" : "",
                             protocol::tape_length_inches(s.codes.size())));
}

void draw_heading(cairo_t* cr, const sheet& paper, double y, const std::string& text) {
    colour(cr, grey);
    cairo_select_font_face(cr, sans_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 8);
    show_text_at(cr, paper.margin, y + 11, text);
}

/// What each row means to a receiver that has read the tape so far, and whether it is a shift.
struct row_label {
    std::string text;
    bool function = false;  // a name (LTRS, SP…), not a printed character
    bool shift = false;
};

std::vector<row_label> row_labels(const souvenir_text& s) {
    protocol::teletype_decoder receiver{{s.set, s.usos}};
    std::vector<row_label> labels;
    labels.reserve(s.codes.size());
    for (auto c : s.codes) {
        const auto before = receiver.current_shift();
        const auto meaning = receiver.feed(c);
        row_label l;
        l.text = std::string{protocol::code_name(c, before, s.set)};
        l.function = !meaning.printable();
        l.shift = protocol::is_shift(c);
        labels.push_back(std::move(l));
    }
    return labels;
}

void draw_strip(cairo_t* cr, const souvenir_text& s, const std::vector<row_label>& labels,
                const sheet& paper, std::size_t strip, double y) {
    const auto per = rows_per_strip(paper);
    const auto first = strip * per;
    const auto rows = std::min(per, s.codes.size() - first);
    const double x0 = paper.margin;
    const double length = static_cast<double>(rows) * g::row_pitch;

    // The tape.
    cairo_rectangle(cr, x0, y, length, g::tape_width);
    colour(cr, tape_paper);
    cairo_fill_preserve(cr);
    colour(cr, tape_edge);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);

    // The holes, one figure a strip: the feed hole in every row, a code hole for each mark.
    // Each is a circle of its own (a subpath starting at angle 0), so it reads back.
    colour(cr, hole);
    cairo_new_path(cr);
    for (std::size_t i = 0; i < rows; ++i) {
        const double cx = x0 + g::row_lead + static_cast<double>(i) * g::row_pitch;
        const auto c = s.codes[first + i];
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, y + g::feed_offset, g::feed_hole_radius, 0, 2 * std::numbers::pi);
        cairo_close_path(cr);
        for (int channel = 1; channel <= 5; ++channel) {
            if (!(c & (1u << (channel - 1)))) continue;
            cairo_new_sub_path(cr);
            cairo_arc(cr, cx, y + g::channel_offset[channel - 1], g::code_hole_radius, 0,
                      2 * std::numbers::pi);
            cairo_close_path(cr);
        }
    }
    cairo_fill(cr);

    // The strip's number in the margin.
    colour(cr, grey);
    cairo_select_font_face(cr, sans_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 6);
    const auto number = std::to_string(strip + 1);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, number.c_str(), &ext);
    show_text_at(cr, x0 - 4 - ext.x_advance, y + g::feed_offset + 2, number);

    // What each row carries, under it: a character upright, a function's name turned.
    cairo_select_font_face(cr, mono_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    for (std::size_t i = 0; i < rows; ++i) {
        const double cx = x0 + g::row_lead + static_cast<double>(i) * g::row_pitch;
        const auto& l = labels[first + i];
        if (!l.function) {
            colour(cr, ink);
            cairo_set_font_size(cr, 8);
            cairo_text_extents(cr, l.text.c_str(), &ext);
            show_text_at(cr, cx - ext.x_advance / 2, y + g::tape_width + 10, l.text);
            continue;
        }
        colour(cr, l.shift ? shift_ink : grey);
        cairo_set_font_size(cr, 4.6);
        cairo_save(cr);
        cairo_translate(cr, cx - 1.6, y + g::tape_width + 2.5);
        cairo_rotate(cr, std::numbers::pi / 2);
        show_text_at(cr, 0, 0, l.text);
        cairo_restore(cr);
    }
}

void draw_copy_line(cairo_t* cr, const sheet& paper, std::size_t columns, double y,
                    std::string_view line) {
    colour(cr, ink);
    cairo_select_font_face(cr, mono_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10.5);
    std::size_t column = 0;
    while (!line.empty()) {
        auto r = protocol::utf8::read(line);
        if (r.length == 0) break;
        const auto at = std::min(column, columns == 0 ? 0 : columns - 1);
        if (r.value != U' ')
            show_text_at(cr, paper.margin + static_cast<double>(at) * g::copy_pitch, y + 9,
                         protocol::utf8::encode(r.value));
        ++column;
        line.remove_prefix(r.length);
    }
}

void draw_footer(cairo_t* cr, const souvenir_text& s, const sheet& paper, double y,
                 std::size_t page, std::size_t pages) {
    colour(cr, grey);
    cairo_select_font_face(cr, sans_face, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 7);
    auto text = fmt::format("hakto: a souvenir of {}", s.title);
    if (pages > 1) text += fmt::format(" (sheet {} of {})", page + 1, pages);
    show_text_at(cr, paper.margin, y, text);
}

void blank_sheet(cairo_t* cr, double width, double height) {
    cairo_rectangle(cr, 0, 0, width, height);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
}

struct surface_deleter {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct context_deleter {
    void operator()(cairo_t* c) const noexcept { cairo_destroy(c); }
};
using surface_ptr = std::unique_ptr<cairo_surface_t, surface_deleter>;
using context_ptr = std::unique_ptr<cairo_t, context_deleter>;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

/// cairo numbers the surfaces it makes in a process and writes the number into the SVG
/// (`<g id="surface2392">`): the same drawing is given the same name, surface1, every time.
std::string same_surface_ids(std::string svg) {
    const std::string_view mark = "<g id=\"surface";
    const auto at = svg.find(mark);
    if (at == std::string::npos) return svg;
    auto end = at + mark.size();
    while (end < svg.size() && svg[end] >= '0' && svg[end] <= '9') ++end;
    const auto begin = at + mark.size() - std::string_view{"surface"}.size();
    const auto name = svg.substr(begin, end - begin);  // surfaceN
    if (name == "surface1") return svg;
    std::string out;
    out.reserve(svg.size());
    std::size_t from = 0;
    for (auto hit = svg.find(name); hit != std::string::npos; hit = svg.find(name, hit + 1)) {
        const auto after = hit + name.size();
        if (after < svg.size() && svg[after] >= '0' && svg[after] <= '9') continue;
        out.append(svg, from, hit - from);
        out += "surface1";
        from = after;
    }
    out.append(svg, from, std::string::npos);
    return out;
}

render_error cairo_failure(std::string_view what, cairo_status_t st) {
    return render_error{fmt::format("{}: {}", what, cairo_status_to_string(st))};
}

}  // namespace

std::optional<format> read_format(std::string_view name) noexcept {
    if (name == "svg") return format::svg;
    if (name == "pdf") return format::pdf;
    if (name == "png") return format::png;
    return std::nullopt;
}

std::string_view format_name(format f) noexcept {
    switch (f) {
        case format::svg:
            return "svg";
        case format::pdf:
            return "pdf";
        case format::png:
            return "png";
    }
    return "pdf";
}

std::string_view content_type(format f) noexcept {
    switch (f) {
        case format::svg:
            return "image/svg+xml";
        case format::pdf:
            return "application/pdf";
        case format::png:
            return "image/png";
    }
    return "application/octet-stream";
}

layout lay_out(const souvenir_text& s, const sheet& paper, bool paginate) {
    const auto f = flow_items(s, paper, paginate);
    layout l;
    l.rows_per_strip = rows_per_strip(paper);
    l.strips = (s.codes.size() + l.rows_per_strip - 1) / l.rows_per_strip;
    l.pages = paginate ? f.pages : 1;
    l.height = paginate ? paper.height : std::ceil(f.end + footer_room + paper.margin);
    for (const auto& p : f.items)
        if (p.it.what == item::kind::strip) {
            l.first_strip_y = p.y;
            break;
        }
    return l;
}

void draw_souvenir(cairo_t* cr, const souvenir_text& s, const sheet& paper, bool paginate) {
    const auto f = flow_items(s, paper, paginate);
    const auto labels = row_labels(s);
    const auto copy = copy_lines(s);
    const auto caption = caption_lines(s);
    const double height = paginate ? paper.height : std::ceil(f.end + footer_room + paper.margin);
    const double footer_y = paginate ? paper.height - paper.margin / 2 - 4 : f.end + footer_room;
    std::size_t page = 0;
    blank_sheet(cr, paper.width, height);
    for (const auto& p : f.items) {
        if (p.page != page) {
            draw_footer(cr, s, paper, footer_y, page, f.pages);
            cairo_show_page(cr);
            page = p.page;
            blank_sheet(cr, paper.width, height);
        }
        switch (p.it.what) {
            case item::kind::title:
                draw_title(cr, s, paper, p.y);
                break;
            case item::kind::caption:
                colour(cr, ink);
                cairo_select_font_face(cr, sans_face, CAIRO_FONT_SLANT_ITALIC,
                                       CAIRO_FONT_WEIGHT_NORMAL);
                cairo_set_font_size(cr, 8.5);
                show_text_at(cr, paper.margin, p.y + 8, caption[p.it.index]);
                break;
            case item::kind::tape_heading:
                draw_heading(cr, paper, p.y,
                             "THE TAPE (as punched: channels 1 2 . 3 4 5 from "
                             "the top, a hole for each mark)");
                break;
            case item::kind::strip:
                draw_strip(cr, s, labels, paper, p.it.index, p.y);
                break;
            case item::kind::copy_heading:
                draw_heading(cr, paper, p.y + 6, "THE PAGE COPY (as the page printer prints it)");
                break;
            case item::kind::copy_line:
                draw_copy_line(cr, paper, s.columns, p.y, copy[p.it.index]);
                break;
        }
    }
    draw_footer(cr, s, paper, footer_y, page, f.pages);
    if (paginate) cairo_show_page(cr);
}

expected<std::string, render_error> render(const souvenir_text& s, format f,
                                           const render_options& options) {
    const auto& paper = options.paper;
    std::string out;
    const bool paginate = f == format::pdf;
    const auto l = lay_out(s, paper, paginate);
    surface_ptr surface;
    double scale = 1;
    switch (f) {
        case format::svg:
            surface.reset(
                cairo_svg_surface_create_for_stream(append_bytes, &out, paper.width, l.height));
            break;
        case format::pdf:
            surface.reset(
                cairo_pdf_surface_create_for_stream(append_bytes, &out, paper.width, paper.height));
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                           fmt::format("Souvenir tape: {}", s.title).c_str());
            cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "hakto");
            // A fixed date (the cable's): the same souvenir is the same file.
            if (!s.date.empty())
                cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                               s.date.c_str());
            break;
        case format::png: {
            scale = options.png_dpi / g::points_per_inch;
            const double w = std::ceil(paper.width * scale), h = std::ceil(l.height * scale);
            if (!(w >= 1 && h >= 1 && w <= max_png_side && h <= max_png_side))
                return render_error{fmt::format(
                    "the souvenir would be {:.0f} × {:.0f} pixels at {:.0f} dpi, more than a PNG "
                    "of cairo's can hold ({} a side): choose the PDF",
                    w, h, options.png_dpi, max_png_side)};
            surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(w),
                                                     static_cast<int>(h)));
            break;
        }
    }
    if (auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS)
        return cairo_failure("cannot make the surface", st);
    {
        context_ptr cr{cairo_create(surface.get())};
        if (scale != 1) cairo_scale(cr.get(), scale, scale);
        draw_souvenir(cr.get(), s, paper, paginate);
        if (auto st = cairo_status(cr.get()); st != CAIRO_STATUS_SUCCESS)
            return cairo_failure("cannot draw the souvenir", st);
    }
    if (f == format::png) {
        cairo_surface_flush(surface.get());
        if (auto st = cairo_surface_write_to_png_stream(surface.get(), append_bytes, &out);
            st != CAIRO_STATUS_SUCCESS)
            return cairo_failure("cannot write the PNG", st);
    }
    cairo_surface_finish(surface.get());
    if (auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS)
        return cairo_failure("cannot finish the file", st);
    surface.reset();
    if (f == format::svg) return same_surface_ids(std::move(out));
    return out;
}

}  // namespace hakto::terminals::souvenir
