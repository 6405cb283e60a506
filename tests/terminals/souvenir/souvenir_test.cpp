// The souvenir: the holes of the SVG tape read back into codes that decode to the page copy the
// encoder started from; the PDF's sheets, the PNG's size and a hole in it; the same bytes twice;
// a header-only cable with the visitors' caption; lp run on the PDF (a fake lp the test writes).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <cairo.h>
#include <pugixml.hpp>

#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "terminals/replay/replay_texts.hpp"
#include "terminals/souvenir/souvenir.hpp"
#include "terminals/souvenir/souvenir_cable.hpp"
#include "terminals/souvenir/souvenir_print.hpp"

namespace sv = hakto::terminals::souvenir;
namespace g = hakto::terminals::souvenir::geometry;
using hakto::terminals::replay_cable;
using hakto::terminals::replay_options;

namespace {

struct souvenir_case {
    replay_cable cable;
    sv::souvenir_text text;
};

/// A cable of june1972 as the replay prepares it (HAKTO 12 is bundled).
souvenir_case june1972_cable(const std::string& label) {
    replay_options o;
    o.cables = {label};
    std::vector<std::string> warnings;
    auto prepared = hakto::terminals::prepare_cables(o, warnings);
    REQUIRE(prepared);
    REQUIRE(prepared.value().cables.size() == 1);
    auto rc = prepared.value().cables.front();
    auto text = sv::souvenir_of(rc, prepared.value().scenario, o.code, o.usos);
    return {std::move(rc), std::move(text)};
}

std::string rendered(const sv::souvenir_text& t, sv::format f) {
    auto bytes = sv::render(t, f);
    REQUIRE(bytes);
    return bytes.value();
}

struct circle {
    double x, y, r;
};

/// Every circle drawn in the SVG outside its glyph definitions. cairo writes each as a subpath
/// of curves that starts at angle 0 (so its points reach from cx - r to cx + r across) and is
/// symmetric about its centre (so its points' box is centred on it).
std::vector<circle> svg_circles(const std::string& svg) {
    pugi::xml_document doc;
    REQUIRE(doc.load_buffer(svg.data(), svg.size()));
    std::vector<circle> found;
    for (auto node : doc.select_nodes("//*[local-name()='path']")) {
        bool in_defs = false;
        for (auto p = node.node().parent(); p; p = p.parent())
            if (std::string_view{p.name()} == "defs" || std::string_view{p.name()} == "symbol")
                in_defs = true;
        if (in_defs || node.node().attribute("transform")) continue;
        std::istringstream d(node.node().attribute("d").value());
        std::vector<std::vector<double>> subpaths;
        std::string token;
        std::vector<bool> curves;
        while (d >> token) {
            if (token == "M") {
                subpaths.emplace_back();
                curves.push_back(false);
            } else if (token == "C") {
                if (!curves.empty()) curves.back() = true;
            } else if (token != "Z" && token != "L" && !subpaths.empty()) {
                subpaths.back().push_back(std::stod(token));
            }
        }
        for (std::size_t s = 0; s < subpaths.size(); ++s) {
            const auto& v = subpaths[s];
            if (!curves[s] || v.size() < 4) continue;
            double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
            for (std::size_t i = 0; i + 1 < v.size(); i += 2) {
                x0 = std::min(x0, v[i]);
                x1 = std::max(x1, v[i]);
                y0 = std::min(y0, v[i + 1]);
                y1 = std::max(y1, v[i + 1]);
            }
            found.push_back({(x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2});
        }
    }
    return found;
}

/// The tape read back: every feed hole is a row; a code hole beside it, at a channel's offset,
/// is a mark in that channel. Rows in order: strips down the sheet, each left to right.
std::vector<hakto::protocol::code> codes_from_holes(const std::vector<circle>& circles) {
    auto near = [](double a, double b) { return std::abs(a - b) < 0.05; };
    std::vector<circle> feeds, holes;
    for (const auto& c : circles) {
        if (near(c.r, g::feed_hole_radius)) feeds.push_back(c);
        if (near(c.r, g::code_hole_radius)) holes.push_back(c);
    }
    std::sort(feeds.begin(), feeds.end(), [](const circle& a, const circle& b) {
        return std::round(a.y * 10) != std::round(b.y * 10) ? a.y < b.y : a.x < b.x;
    });
    std::vector<hakto::protocol::code> codes(feeds.size(), 0);
    std::size_t placed = 0;
    for (const auto& h : holes) {
        for (std::size_t row = 0; row < feeds.size(); ++row) {
            if (std::abs(feeds[row].x - h.x) > g::row_pitch / 4) continue;
            for (int ch = 0; ch < 5; ++ch)
                if (near(h.y - feeds[row].y, g::channel_offset[ch] - g::feed_offset)) {
                    codes[row] |= static_cast<hakto::protocol::code>(1u << ch);
                    ++placed;
                }
        }
    }
    CHECK(placed == holes.size());  // every code hole stands beside a row, in a channel
    return codes;
}

std::size_t pdf_pages(const std::string& pdf) {
    std::size_t n = 0;
    for (auto at = pdf.find("/Type /Page"); at != std::string::npos;
         at = pdf.find("/Type /Page", at + 1))
        if (pdf.compare(at, 12, "/Type /Pages") != 0) ++n;
    return n;
}

struct png_reader {
    const std::string& bytes;
    std::size_t at = 0;
};
cairo_status_t read_png_bytes(void* closure, unsigned char* data, unsigned int length) {
    auto& r = *static_cast<png_reader*>(closure);
    if (r.at + length > r.bytes.size()) return CAIRO_STATUS_READ_ERROR;
    std::copy_n(r.bytes.data() + r.at, length, data);
    r.at += length;
    return CAIRO_STATUS_SUCCESS;
}

std::string temp_folder(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() /
               ("hakto-souvenir-test-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string write_script(const std::string& dir, const std::string& body) {
    auto path = dir + "/lp";
    std::ofstream(path) << "#!/bin/sh\n" << body;
    ::chmod(path.c_str(), 0755);
    return path;
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("souvenir: the SVG tape's holes read back into HAKTO 12's codes and page copy",
          "[souvenir]") {
    const auto c = june1972_cable("HAKTO 12");
    REQUIRE(c.cable.codes.size() > 1000);
    const auto svg = rendered(c.text, sv::format::svg);
    const auto read = codes_from_holes(svg_circles(svg));
    REQUIRE(read.size() == c.cable.codes.size());
    CHECK(read == c.cable.codes);
    // Decoded as the receiving printer reads them: the page copy the encoder started from, as
    // the encoder's character policy sends it (lower case as upper, Ø as the digit 0), with its
    // CR CR LF line ends.
    auto decoded = hakto::protocol::from_page_copy_line_ends(hakto::protocol::decode(read));
    auto page_copy = c.cable.page_copy;
    for (auto at = page_copy.find("Ø"); at != std::string::npos; at = page_copy.find("Ø"))
        page_copy.replace(at, std::string{"Ø"}.size(), "0");
    for (auto& ch : page_copy)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    CHECK(decoded == page_copy);
    // Long tape: cut into strips of a sheet's width.
    const auto l = sv::lay_out(c.text, {}, false);
    CHECK(l.rows_per_strip == 72);
    CHECK(l.strips == (c.cable.codes.size() + 71) / 72);
}

TEST_CASE("souvenir: the PDF has its sheets, the PNG its size and a hole where the tape has one",
          "[souvenir]") {
    const auto c = june1972_cable("HAKTO 12");
    const auto pdf = rendered(c.text, sv::format::pdf);
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    const auto pages = sv::lay_out(c.text, {}, true).pages;
    CHECK(pages >= 2);
    CHECK(pdf_pages(pdf) == pages);
    // Dated with the cable's filing time, not the clock (cairo 1.16 writes it without "D:").
    CHECK(pdf.find("/CreationDate (") != std::string::npos);
    CHECK(pdf.find("19720621161500Z)") != std::string::npos);

    const auto png = rendered(c.text, sv::format::png);
    png_reader r{png};
    auto* image = cairo_image_surface_create_from_png_stream(read_png_bytes, &r);
    REQUIRE(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
    const auto l = sv::lay_out(c.text, {}, false);
    const double scale = 150.0 / 72.0;
    CHECK(cairo_image_surface_get_width(image) == static_cast<int>(std::ceil(595.276 * scale)));
    CHECK(cairo_image_surface_get_height(image) == static_cast<int>(std::ceil(l.height * scale)));
    // The first row is a shift (LTRS: every channel punched); its channel 1 hole is dark, the
    // tape between channel 2 and the feed hole is not.
    REQUIRE(c.cable.codes.front() == hakto::protocol::codes::ltrs);
    cairo_surface_flush(image);
    const auto* data = cairo_image_surface_get_data(image);
    const int stride = cairo_image_surface_get_stride(image);
    auto brightness = [&](double x_pt, double y_pt) {
        const int x = static_cast<int>(x_pt * scale), y = static_cast<int>(y_pt * scale);
        const auto* px = data + y * stride + x * 4;  // B G R x
        return (px[0] + px[1] + px[2]) / 3;
    };
    const double cx = sv::sheet{}.margin + g::row_lead;
    CHECK(brightness(cx, l.first_strip_y + g::channel_offset[0]) < 80);
    CHECK(brightness(cx, l.first_strip_y + (g::channel_offset[1] + g::feed_offset) / 2) > 150);
    cairo_surface_destroy(image);
}

TEST_CASE("souvenir: the same cable gives the same bytes, in every format", "[souvenir]") {
    const auto c = june1972_cable("HAKTO 12");
    for (auto f : {sv::format::svg, sv::format::pdf, sv::format::png})
        CHECK(rendered(c.text, f) == rendered(c.text, f));
}

TEST_CASE("souvenir: a cable without its text is its header, under the visitors' caption",
          "[souvenir]") {
    const auto c = june1972_cable("HAKTO 7");
    REQUIRE_FALSE(c.cable.text_supplied);
    CHECK_FALSE(c.text.caption.empty());
    CHECK(c.text.caption == c.cable.caption);
    // Words for visitors only: no option, file or command names.
    CHECK(c.text.caption.find("--") == std::string::npos);
    CHECK(c.text.caption.find("hakto") == std::string::npos);
    const auto read = codes_from_holes(svg_circles(rendered(c.text, sv::format::svg)));
    CHECK(read == c.cable.codes);
}

TEST_CASE("souvenir: file names and formats", "[souvenir]") {
    CHECK(sv::souvenir_file_name("HAKTO 12", sv::format::png) == "souvenir-hakto-12.png");
    CHECK(sv::souvenir_file_name("TOHAK 1", sv::format::pdf) == "souvenir-tohak-1.pdf");
    CHECK(sv::souvenir_file_name("../x", sv::format::svg) == "souvenir-x.svg");
    CHECK(sv::read_format("svg") == sv::format::svg);
    CHECK_FALSE(sv::read_format("gif"));
    CHECK(sv::content_type(sv::format::png) == "image/png");
}

TEST_CASE("souvenir: lp gets the PDF with its title and queue, and its failure is told",
          "[souvenir]") {
    const auto dir = temp_folder("lp");
    sv::print_request job;
    job.pdf = "%PDF-1.5 a souvenir";
    job.printer = "kiosk";
    job.lp = write_script(dir, "printf '%s\\n' \"$@\" > " + dir +
                                   "/args\nfor last; do :; done\ncp \"$last\" " + dir +
                                   "/printed.pdf\necho 'request id is kiosk-7 (1 file(s))'\n");
    auto done = sv::print_pdf(job);
    REQUIRE(done);
    CHECK(done.value() == "request id is kiosk-7 (1 file(s))");
    const auto args = slurp(dir + "/args");
    CHECK(args.rfind("-d\nkiosk\n-t\nhakto souvenir\n--\n", 0) == 0);
    CHECK(slurp(dir + "/printed.pdf") == job.pdf);
    // The temporary copy is gone once lp has it.
    const auto given = args.substr(args.rfind("--\n") + 3);
    CHECK_FALSE(std::filesystem::exists(given.substr(0, given.size() - 1)));

    job.lp = write_script(dir, "echo 'lp: The printer or class does not exist.' >&2\nexit 1\n");
    auto failed = sv::print_pdf(job);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message ==
          dir + "/lp exited with status 1: lp: The printer or class does not exist.");

    job.lp = dir + "/no-such-lp";
    auto missing = sv::print_pdf(job);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("not found") != std::string::npos);
    std::filesystem::remove_all(dir);
}
