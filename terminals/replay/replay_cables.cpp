#include "terminals/replay/replay_cables.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/dtg.hpp"
#include "protocol/cable/series_tag.hpp"
#include "protocol/text/text_util.hpp"
#include "sim/io/file_reader.hpp"
#include "sim/line_profile.hpp"
#include "terminals/frus/frus_import.hpp"

namespace hakto::terminals {
namespace {

using namespace std::chrono;

bool looks_like_xml(std::string_view s) {
    auto t = protocol::trim(s);
    return !t.empty() && t.front() == '<';
}

/// The replay's name for a cable: its series and number, else its telegram reference, else
/// the title's series, else the file's name.
std::string label_of(const protocol::document& doc, const std::string& file) {
    const auto& c = doc.message;
    if (c.series && c.series->number) return protocol::format_series_tag(*c.series);
    if (c.telegram) return fmt::format("{} {}", c.telegram->post, c.telegram->number);
    if (doc.title && doc.title->series && doc.title->series->number)
        return protocol::format_series_tag(*doc.title->series);
    return std::filesystem::path{file}.stem().string();
}

std::string upper_word_chars(std::string_view s) {
    std::string out;
    for (char ch : s) {
        auto u = static_cast<unsigned char>(ch);
        if (std::isalnum(u))
            out += static_cast<char>(std::toupper(u));
        else if (!out.empty() && out.back() != ' ')
            out += ' ';
    }
    return std::string{protocol::trim(out)};
}

/// A call sign for a station hakto builds for an address (routing indicators are at most 8
/// letters and figures, a letter first): the initials of the address's words and its last
/// word, "SECSTATE WASHDC" → SWASHDC, "AMEMBASSY TOKYO" → ATOKYO.
std::string call_sign_for(std::string_view address, const std::set<std::string>& taken) {
    const auto letters = upper_word_chars(address);
    auto words = protocol::split_words(letters);
    std::string id;
    if (words.empty())
        id = "X";
    else {
        for (std::size_t k = 0; k + 1 < words.size(); ++k) id += words[k][0];
        id += words.back();
    }
    if (!std::isalpha(static_cast<unsigned char>(id[0]))) id = "X" + id;
    if (id.size() > 8) id.resize(8);
    std::string base = id;
    for (int n = 2; taken.count(id); ++n) {
        auto suffix = std::to_string(n);
        id = base.substr(0, std::min(base.size(), 8 - suffix.size())) + suffix;
    }
    return id;
}

std::string fold(std::string_view s) {
    return protocol::to_upper_ascii(protocol::fold_slashed_zero(protocol::trim(s)));
}

/// A plain-language address of the White House (protocol facts §5: WTE, the Situation Room).
bool names_white_house(std::string_view address) {
    auto u = fold(address);
    return u.find("WHITE HOUSE") != std::string::npos ||
           u.find("SITUATION ROOM") != std::string::npos;
}

std::uint64_t seed_of(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a: the same name gives the same key and noise
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
    return h;
}

class placer {
  public:
    placer(sim::scenario& s, std::vector<std::string>& notes) : s_(s), notes_(notes) {
        for (const auto& st : s_.stations) taken_.insert(st.id);
        // The series the scenario's own cables belong to, and their ends: "HAKTO" from WTE10 to
        // WTE.
        for (const auto& c : s_.cables) {
            auto tag = protocol::find_series_tag(c.id);
            if (tag && !c.addressees.empty())
                series_ends_.emplace(tag->name, std::pair{c.origin, c.addressees.front()});
            last_filed_ = std::max(last_filed_, c.filed);
        }
        if (last_filed_ == sim::sim_time{}) last_filed_ = s_.start;
    }

    /// The station of a call sign or routing indicator, when the scenario has it.
    std::optional<std::string> station_of(std::string_view call) const {
        auto u = fold(call);
        for (const auto& st : s_.stations)
            if (fold(st.id) == u ||
                (!st.routing_indicator.empty() && fold(st.routing_indicator) == u))
                return st.id;
        return std::nullopt;
    }

    std::optional<std::string> white_house() const {
        // The scenario's White House station: WTE by call sign.
        return station_of("WTE");
    }

    /// A series the scenario's own cables belong to ("HAKTO" from the trip station to the White
    /// House), for a cable of its period (from the scenario's start to a week after its last).
    std::optional<std::pair<std::string, std::string>> series_ends(const protocol::cable& c,
                                                                   sim::sim_time filed) const {
        if (!c.series || filed < s_.start - hours{24} || filed > last_filed_ + hours{24 * 7})
            return std::nullopt;
        if (auto it = series_ends_.find(c.series->name); it != series_ends_.end())
            return it->second;
        auto reply = protocol::reply_series(c.series->name);
        if (auto it = series_ends_.find(reply); it != series_ends_.end())
            return std::pair{it->second.second, it->second.first};
        return std::nullopt;
    }

    /// A station built for an address (once per address).
    std::string built_station(const std::string& address) {
        auto key = upper_word_chars(address);
        if (auto it = built_.find(key); it != built_.end()) return it->second;
        auto id = call_sign_for(address, taken_);
        taken_.insert(id);
        sim::station_spec st;
        st.id = id;
        st.routing_indicator = id;
        st.name = address;
        st.place = "(not modelled)";
        st.utc_offset_hours = 0;
        s_.stations.push_back(st);
        built_[key] = id;
        notes_.push_back(
            fmt::format("station {} stands for {} (a modelling choice: call sign made by hakto, "
                        "local time shown as UTC)",
                        id, address));
        return id;
    }

    /// Connects a station to hakto's modelled relay (once), with a route each way.
    void connect(const std::string& station) {
        ensure_relay();
        if (connected_.count(station)) return;
        connected_.insert(station);
        sim::circuit_spec ci;
        ci.id = station + "~" + relay_;
        ci.a = station;
        ci.b = relay_;
        ci.description =
            fmt::format("hakto's modelled circuit, {} to its relay (a modelling choice)", station);
        if (auto p = sim::find_profile("60wpm")) ci.profile = p.value();
        ci.propagation_delay = milliseconds{50};
        if (!s_.circuits.empty()) ci.code = s_.circuits.front().code;
        sim::noise_config noise;
        noise.seed = seed_of(ci.id);
        noise.independent = sim::independent_errors{2e-6};
        ci.noise = noise;
        ci.crypto = sim::crypto_spec{seed_of(ci.id + "/key"), 1'000'000};
        s_.circuits.push_back(ci);
        auto* relay = find(relay_);
        relay->routes.push_back(sim::route_spec{station, ci.id, {}});
        auto* st = find(station);
        // A station hakto built sends everything to the relay; a scenario station keeps its own
        // routes and reaches the built stations through the relay.
        if (st->routes.empty())
            st->routes.push_back(sim::route_spec{"", ci.id, {}});
        else
            via_relay_.emplace(station, ci.id);
    }

    /// A scenario station reaches `to` (a built station) through the relay.
    void route_from(const std::string& station, const std::string& to) {
        auto it = via_relay_.find(station);
        if (it == via_relay_.end()) return;  // a built station: its default route is the relay
        auto* st = find(station);
        bool present = std::any_of(st->routes.begin(), st->routes.end(),
                                   [&](const sim::route_spec& r) { return r.prefix == to; });
        if (!present) st->routes.push_back(sim::route_spec{to, it->second, {}});
    }

    bool is_built(const std::string& id) const {
        return std::any_of(built_.begin(), built_.end(),
                           [&](const auto& kv) { return kv.second == id; });
    }
    const std::string& relay() const { return relay_; }

  private:
    sim::station_spec* find(const std::string& id) {
        for (auto& st : s_.stations)
            if (st.id == id) return &st;
        return nullptr;
    }

    void ensure_relay() {
        if (!relay_.empty()) return;
        relay_ = call_sign_for("XR", taken_);
        taken_.insert(relay_);
        sim::station_spec st;
        st.id = relay_;
        st.routing_indicator = relay_;
        st.name = "hakto's modelled relay (a modelling choice, not a historical station)";
        st.place = "(modelled)";
        st.kind = sim::station_kind::relay;
        s_.stations.push_back(st);
        notes_.push_back(
            fmt::format("relay {}: a store-and-forward relay hakto adds for cables whose route the "
                        "scenario does not have (a modelling choice)",
                        relay_));
    }

    sim::scenario& s_;
    std::vector<std::string>& notes_;
    std::set<std::string> taken_, connected_;
    std::map<std::string, std::string> built_;      // address → station
    std::map<std::string, std::string> via_relay_;  // scenario station → its circuit to the relay
    std::multimap<std::string, std::pair<std::string, std::string>> series_ends_;
    sim::sim_time last_filed_{};
    std::string relay_;
};

}  // namespace

expected<std::vector<given_cable>, given_cable_error> read_given_cables(
    const std::vector<std::string>& files) {
    std::vector<given_cable> out;
    for (const auto& f : files) {
        auto text = sim::read_file(f);
        if (!text) return given_cable_error{text.error().message()};
        if (looks_like_xml(text.value())) {
            auto docs = import_frus(text.value(), f);
            if (!docs) return given_cable_error{docs.error().message};
            if (docs.value().empty())
                return given_cable_error{fmt::format("{}: no backchannel document in it", f)};
            for (auto& d : docs.value()) {
                given_cable g;
                g.file = f;
                g.label = label_of(d.parsed, d.id);
                g.text = d.published_text;
                g.doc = std::move(d.parsed);
                g.description =
                    fmt::format("{} doc {} ({})", f, d.id, protocol::to_string(g.doc.message.form));
                out.push_back(std::move(g));
            }
            continue;
        }
        given_cable g;
        g.file = f;
        g.doc = protocol::parse_document(text.value());
        for (const auto& d : g.doc.notes_for_reader)
            if (d.code == "no-cable" || d.code == "empty" || d.code == "binary-input")
                return given_cable_error{protocol::format_diagnostic(f, d)};
        g.label = label_of(g.doc, f);
        g.text = std::move(text.value());
        g.description = fmt::format("{} ({})", f, protocol::to_string(g.doc.message.form));
        out.push_back(std::move(g));
    }
    // Labels name cables in the replay's log: two alike get the file's name after them.
    std::map<std::string, int> seen;
    for (auto& g : out)
        if (++seen[g.label] > 1) g.label += fmt::format(" ({})", seen[g.label]);
    return out;
}

expected<sim::scenario, given_cable_error> scenario_for_cables(
    sim::scenario base, const std::vector<given_cable>& cables, std::vector<std::string>& notes) {
    placer place{base, notes};
    std::vector<sim::cable_spec> specs;
    for (const auto& g : cables) {
        const auto& c = g.doc.message;
        sim::cable_spec spec;
        spec.id = g.label;
        spec.text = g.text;
        spec.note = g.description;
        // When: the DTG; without one, the title's date at noon, or the scenario's start.
        std::optional<sim::sim_time> filed;
        if (c.date_time_group) {
            if (auto t = protocol::to_utc(*c.date_time_group)) filed = sim::to_sim_time(t.value());
        }
        if (!filed && g.doc.title && g.doc.title->date) {
            const auto& d = *g.doc.title->date;
            auto day = sys_days{year{d.year} / month{static_cast<unsigned>(d.month)} /
                                std::chrono::day{static_cast<unsigned>(d.day)}};
            filed = sim::to_sim_time(time_point_cast<seconds>(day + hours{12}));
            notes.push_back(
                fmt::format("{}: no date-time group; filed at noon UTC of the title's date (a "
                            "modelling choice)",
                            spec.id));
        }
        if (!filed) {
            filed = base.start;
            notes.push_back(
                fmt::format("{}: no date-time group and no date; filed at the scenario's start (a "
                            "modelling choice)",
                            spec.id));
        }
        spec.filed = *filed;
        spec.prec = c.prec.value_or(protocol::precedence::routine);
        if (!c.prec)
            notes.push_back(
                fmt::format("{}: no precedence given; sent ROUTINE (a modelling choice)", spec.id));

        // Who sends it: a call sign the scenario knows, the White House by its address, the
        // scenario's own series and period; else a station built for the originator.
        std::optional<std::string> origin;
        std::vector<std::string> to;
        if (c.routing) {
            origin = place.station_of(protocol::calling_station(*c.routing));
            if (auto d = place.station_of(c.routing->called)) to.push_back(*d);
        }
        if (!origin && c.envelope && !c.envelope->originating_ri.empty())
            origin = place.station_of(c.envelope->originating_ri);
        if (to.empty() && c.envelope)
            for (const auto& ri : c.envelope->routing_indicators)
                if (auto d = place.station_of(ri)) to.push_back(*d);
        auto ends = place.series_ends(c, spec.filed);
        if (!origin && c.from && !c.inferred.count("from") && names_white_house(*c.from))
            origin = place.white_house();
        if (!origin && ends) origin = ends->first;
        // Whom it goes to: every action addressee (up to eight), each the scenario's station
        // when it names one (the White House by its address, a call sign), else a station built
        // for it; the scenario's own series gives the addressee of a cable that names none.
        bool built = false;
        if (to.empty()) {
            std::size_t k = 0;
            for (const auto& a : c.to) {
                if (k++ == 8) {
                    notes.push_back(
                        fmt::format("{}: {} action addressees; the first 8 are modelled", spec.id,
                                    c.to.size()));
                    break;
                }
                std::optional<std::string> d;
                if (names_white_house(a.address)) d = place.white_house();
                if (!d) d = place.station_of(a.address);
                if (!d && ends) d = ends->second;
                if (!d) {
                    d = place.built_station(a.address);
                    built = true;
                }
                if (std::find(to.begin(), to.end(), *d) == to.end()) to.push_back(*d);
            }
            if (to.empty() && ends) to.push_back(ends->second);
        }
        if (!origin) {
            auto who = c.from.value_or(fmt::format("the originator of {}", spec.id));
            origin = place.built_station(who);
            built = true;
        }
        if (to.empty()) {
            to.push_back(place.built_station(fmt::format("the addressee of {}", spec.id)));
            built = true;
        }
        to.erase(std::remove(to.begin(), to.end(), *origin), to.end());
        if (to.empty())
            return given_cable_error{fmt::format(
                "{}: {} is both its originator and its only addressee", g.file, *origin)};
        if (built || place.is_built(*origin) ||
            std::any_of(to.begin(), to.end(),
                        [&](const std::string& d) { return place.is_built(d); })) {
            place.connect(*origin);
            for (const auto& d : to) {
                place.connect(d);
                place.route_from(*origin, d);
                place.route_from(d, *origin);
            }
            std::string dests;
            for (const auto& d : to) dests += (dests.empty() ? "" : ", ") + d;
            notes.push_back(
                fmt::format("{}: {} → {} → {}, a route built for this cable (a modelling choice: "
                            "the record does not say how it travelled)",
                            spec.id, *origin, place.relay(), dests));
        } else {
            std::string dests;
            for (const auto& d : to) dests += (dests.empty() ? "" : ", ") + d;
            notes.push_back(
                fmt::format("{}: {} to {} over the scenario's stations", spec.id, *origin, dests));
        }
        if (!c.info.empty())
            notes.push_back(fmt::format("{}: its {} information addressee(s) are not modelled",
                                        spec.id, c.info.size()));
        spec.origin = *origin;
        spec.addressees = to;
        specs.push_back(std::move(spec));
    }
    base.cables = std::move(specs);
    base.traffic.clear();
    auto first = std::min_element(base.cables.begin(), base.cables.end(),
                                  [](const auto& a, const auto& b) { return a.filed < b.filed; });
    if (first != base.cables.end()) base.start = first->filed - minutes{1};
    return base;
}

}  // namespace hakto::terminals
