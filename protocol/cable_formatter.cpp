#include "protocol/cable_formatter.hpp"

#include <fmt/format.h>

#include "protocol/line_discipline.hpp"
#include "protocol/text_util.hpp"

namespace hakto::protocol {
namespace {

const std::vector<header_field> canonical_order = {
    header_field::routing, header_field::precedence_dtg, header_field::date_line,
    header_field::classification, header_field::to, header_field::from,
    header_field::info, header_field::series};

bool printed(const cable& c, const format_options& o, const char* field) {
    return !(o.as_received && c.inferred.count(field));
}

/// Appends a block of text, wrapped when asked, one '\n' after each line.
void put(std::string& out, std::string_view text, std::size_t wrap) {
    if (wrap == 0) {
        out += text;
        out += '\n';
        return;
    }
    auto wrapped = wrap_text(text, wrap);
    out += wrapped;
    if (wrapped.empty() || wrapped.back() != '\n') out += '\n';
}

std::string address_line(const char* word, const std::string& value, bool colon) {
    // "TO DE X" would read as a routing line ("<called> DE <calling>"): a colon keeps it an
    // address.
    if (starts_with_word(trim(value), "DE")) colon = true;
    return fmt::format("{}{} {}", word, colon ? ":" : "", value);
}

void put_header(std::string& out, const cable& c, const format_options& o) {
    const bool as_received = o.as_received;
    const auto& order = (as_received && !c.layout.header_order.empty()) ? c.layout.header_order : canonical_order;
    const bool colon = as_received && c.layout.address_colon;
    bool first = true;
    auto line = [&](const std::string& s) {
        if (!first && as_received && c.layout.blank_line_between_headers) out += '\n';
        first = false;
        put(out, s, o.wrap_column);
    };
    for (auto f : order) {
        switch (f) {
            case header_field::routing:
                if (c.routing) line(format_routing_line(*c.routing));
                break;
            case header_field::precedence_dtg:
                if (as_received && c.layout.dtg_as_printed)
                    line((c.prec ? std::string(1, precedence_letter(*c.prec)) + " " : std::string{}) +
                         *c.layout.dtg_as_printed);
                else if (c.prec || c.date_time_group)
                    line(format_precedence_dtg(c, printed(c, o, "dtg.month")));
                break;
            case header_field::date_line:
                if (c.date_line) line(*c.date_line);
                break;
            case header_field::to:
                if (c.to) line(address_line("TO", *c.to, colon));
                break;
            case header_field::from:
                if (c.from) line(address_line("FROM", *c.from, colon));
                break;
            case header_field::info:
                for (const auto& i : c.info) line(address_line("INFO", i, colon));
                break;
            case header_field::classification:
                if (c.classification && printed(c, o, "classification")) line(*c.classification);
                break;
            case header_field::series:
                if (c.series) line(format_series_tag(*c.series, printed(c, o, "series.number")));
                break;
        }
    }
}

void put_text(std::string& out, const cable& c, const format_options& o, bool blank_between) {
    const bool own_line = o.as_received && c.layout.number_on_own_line;
    bool first = true;
    for (const auto& p : c.paragraphs) {
        if (!first && blank_between) out += '\n';
        first = false;
        if (p.number && own_line) {
            out += fmt::format("{}.\n", *p.number);
            put(out, p.text, o.wrap_column);
        } else if (p.number) {
            put(out, fmt::format("{}. {}", *p.number, p.text), o.wrap_column);
        } else {
            put(out, p.text, o.wrap_column);
        }
    }
    if (c.signoff) {
        if (blank_between || (o.as_received && c.layout.blank_line_between_headers)) out += '\n';
        put(out, *c.signoff, o.wrap_column);
    }
}

}  // namespace

std::string format_precedence_dtg(const cable& c, bool with_month_year) {
    std::string s;
    if (c.prec) s += precedence_letter(*c.prec);
    if (c.date_time_group) {
        if (!s.empty()) s += ' ';
        s += format_dtg(*c.date_time_group, with_month_year);
    }
    return s;
}

std::string security_warning_for(const std::optional<std::string>& classification) {
    if (!classification) return {};
    auto u = to_upper_ascii(*classification);
    if (u.rfind("TOP SECRET", 0) == 0) return "ZNY TTTTT";
    if (u.rfind("SECRET", 0) == 0) return "ZNY SSSSS";
    if (u.rfind("CONFIDENTIAL", 0) == 0) return "ZNY CCCCC";
    if (u.rfind("UNCLAS", 0) == 0) return "ZNR UUUUU";
    return {};
}

acp127_envelope envelope_for(const cable& c) {
    if (c.envelope) return *c.envelope;
    acp127_envelope e;
    std::string letters = c.routing ? c.routing->calling : std::string{"WTE"};
    // FL1 channel designator: three letters naming the circuit and its direction.
    e.channel_designator = (letters + "AAA").substr(0, 3);
    e.channel_serial = 1;
    if (c.routing) e.routing_indicators.push_back(c.routing->called);
    e.originating_ri = letters + (c.routing ? c.routing->channel.value_or("") : std::string{});
    e.station_serial = 1;
    if (c.date_time_group) {
        auto ft = filing_time(*c.date_time_group);
        if (ft) e.filing_time = ft.value();
    }
    e.security_warning = security_warning_for(c.classification);
    return e;
}

std::string format_cable(const cable& c, const format_options& o) {
    std::string out;
    if (o.style == header_style::abbreviated) {
        put_header(out, c, o);
        bool blank = o.as_received ? c.layout.blank_line_between_paragraphs : true;
        if (!c.paragraphs.empty() || c.signoff) {
            if (!o.as_received || c.layout.blank_line_between_headers) out += '\n';
            put_text(out, c, o, blank);
        }
        return out;
    }
    // ACP 127 format lines (protocol facts §1.2, item 9 of the model list).
    auto e = envelope_for(c);
    out += fmt::format("VZCZC{}{:03}\n", e.channel_designator, e.channel_serial % 1000);  // FL1
    std::string prosigns = e.precedence_prosigns;
    if (prosigns.empty() && c.prec) prosigns = std::string(2, precedence_letter(*c.prec));
    std::string fl2 = prosigns;
    for (const auto& ri : e.routing_indicators) fl2 += (fl2.empty() ? "" : " ") + ri;
    if (!fl2.empty()) out += fl2 + '\n';                                              // FL2
    out += fmt::format("DE {} #{:04}", e.originating_ri, e.station_serial % 10000);   // FL3
    if (!e.filing_time.empty()) out += " " + e.filing_time;
    out += '\n';
    if (!e.security_warning.empty()) out += e.security_warning + '\n';  // FL4
    if (c.prec || c.date_time_group) out += format_precedence_dtg(c) + '\n';  // FL5
    if (c.from) put(out, "FM " + *c.from, o.wrap_column);                   // FL6
    if (c.to) put(out, "TO " + *c.to, o.wrap_column);                       // FL7
    for (const auto& i : c.info) put(out, "INFO " + i, o.wrap_column);      // FL8
    out += "BT\n";                                                          // FL11
    if (c.classification) put(out, *c.classification, o.wrap_column);      // FL12 opens with it
    if (c.series) out += format_series_tag(*c.series) + '\n';
    put_text(out, c, format_options{o.style, o.wrap_column, false}, false);
    out += "BT\n";                                                  // FL13
    out += fmt::format("#{:04}\n", e.station_serial % 10000);       // FL15 repeats the SSN
    out += std::string(8, '\n');                                    // FL16: 8 LF …
    out += "NNNN\n";                                                // … then NNNN
    return out;
}

}  // namespace hakto::protocol
