#include "terminals/exhibit/exhibit_reply.hpp"

#include <algorithm>
#include <chrono>

#include "protocol/cable/cable.hpp"
#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_lines.hpp"
#include "protocol/cable/dtg.hpp"
#include "protocol/cable/routing_line.hpp"
#include "protocol/cable/series_tag.hpp"

namespace hakto::terminals::exhibit {

std::string keyboard_text(std::string_view text) {
    std::string clean;
    for (char c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            std::string_view{" .,-?:'()/"}.find(c) != std::string_view::npos)
            clean += c;
        else if (c == '\n' || c == '\t')
            clean += ' ';
    }
    while (!clean.empty() && clean.back() == ' ') clean.pop_back();
    while (!clean.empty() && clean.front() == ' ') clean.erase(clean.begin());
    if (clean.size() > max_reply_chars) clean.resize(max_reply_chars);
    return clean;
}

expected<sim::cable_spec, control_error> draft_reply(const std::string& text,
                                                     protocol::precedence prec,
                                                     const sim::scenario& running,
                                                     sim::sim_time at) {
    if (!running.find_station("WTE") || !running.find_station("WTE10"))
        return control_error{control_error::kind_t::not_now, "this scenario has no WTE and WTE10"};
    // The next TOHAK of the series, counting the scenario's and the replies already sent.
    int number = 1;
    for (const auto& c : running.cables)
        if (auto t = protocol::find_series_tag(c.id); t && t->name == "TOHAK" && t->number)
            number = std::max(number, *t->number + 1);
    protocol::cable c;
    c.routing = protocol::read_routing_line("WTE10 DE WTE");
    c.prec = prec;
    c.date_time_group = protocol::make_dtg(
        std::chrono::time_point_cast<std::chrono::seconds>(sim::to_sys_time(at)), 'Z');
    c.to = {protocol::read_addressee("HENRY A KISSINGER")};
    c.from = "GENERAL HAIG";
    c.series = protocol::series_tag{"TOHAK", number, std::nullopt};
    c.paragraphs.push_back(protocol::paragraph{1, text, {}});
    sim::cable_spec spec;
    spec.id = protocol::format_series_tag(*c.series);
    spec.origin = "WTE";
    spec.addressees = {"WTE10"};
    spec.prec = prec;
    spec.filed = at;
    spec.text = protocol::format_cable(c);
    return spec;
}

}  // namespace hakto::terminals::exhibit
