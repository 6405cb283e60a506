#include "terminals/souvenir/souvenir_cable.hpp"

#include <cctype>

#include <fmt/format.h>

#include "protocol/cable/precedence.hpp"
#include "protocol/teletype/page_printer.hpp"

namespace hakto::terminals::souvenir {

namespace {

std::string station_words(const sim::scenario& scn, const std::string& id) {
    const auto* st = scn.find_station(id);
    if (!st || st->place.empty()) return id;
    return fmt::format("{} ({})", id, st->place);
}

}  // namespace

souvenir_text souvenir_of(const replay_cable& c, const sim::scenario& scn, protocol::code_set set,
                          bool usos) {
    souvenir_text s;
    s.title = c.spec.id;
    std::string to;
    for (const auto& a : c.spec.addressees) to += (to.empty() ? "" : ", ") + station_words(scn, a);
    const auto filed = zulu(c.spec.filed);  // "1972-06-21 16:15:00Z"
    s.subtitle = fmt::format("From {} to {}, precedence {} ({}), filed {}",
                             station_words(scn, c.spec.origin), to.empty() ? "?" : to,
                             protocol::precedence_letter(c.spec.prec),
                             protocol::precedence_name(c.spec.prec), filed);
    s.codes = c.codes;
    s.set = set;
    s.usos = usos;
    // The page printer's platen (page_printer.hpp: 72 columns, protocol facts §1.9).
    s.columns = protocol::page_printer_options{}.columns;
    s.caption = c.caption;
    s.date = filed;
    if (auto space = s.date.find(' '); space != std::string::npos) s.date[space] = 'T';
    return s;
}

std::string souvenir_file_name(std::string_view label, format f) {
    std::string slug;
    for (char ch : label) {
        const auto u = static_cast<unsigned char>(ch);
        if (std::isalnum(u) && u < 0x80)
            slug += static_cast<char>(std::tolower(u));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.empty()) slug = "cable";
    return fmt::format("souvenir-{}.{}", slug, format_name(f));
}

}  // namespace hakto::terminals::souvenir
