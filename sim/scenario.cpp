#include "sim/scenario.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "protocol/text/text_util.hpp"
#include "sim/io/embedded.hpp"
#include "sim/io/file_reader.hpp"
#include "sim/routing_table.hpp"

namespace hakto::sim {
namespace {

/// Reads one TOML table into fields, collecting errors that name the field and its place.
class table_reader {
  public:
    table_reader(const toml::table& t, std::string path, std::string_view file,
                 scenario_errors& errors)
        : t_(t), path_(std::move(path)), file_(file), errors_(errors) {}

    scenario_place where() const { return place_of(t_); }
    const std::string& path() const { return path_; }

    void fail(std::string_view key, const toml::node* n, std::string message) const {
        errors_.push_back(scenario_error{std::string{file_}, n ? place_of(*n) : place_of(t_),
                                         key.empty() ? path_ : path_ + "." + std::string{key},
                                         std::move(message)});
    }

    const toml::node* get(std::string_view key) {
        seen_.insert(std::string{key});
        return t_.get(key);
    }

    std::optional<std::string> str(std::string_view key, bool required = false) {
        auto n = get(key);
        if (!n) {
            if (required) fail(key, nullptr, "is required");
            return std::nullopt;
        }
        if (auto v = n->value<std::string>()) return *v;
        fail(key, n, "must be a string");
        return std::nullopt;
    }

    std::optional<double> number(std::string_view key, bool required = false) {
        auto n = get(key);
        if (!n) {
            if (required) fail(key, nullptr, "is required");
            return std::nullopt;
        }
        if (n->is_integer() || n->is_floating_point()) {
            auto v = n->value<double>();
            // TOML allows nan and inf; no field of a scenario means either.
            if (v && std::isfinite(*v)) return v;
            fail(key, n, "must be a finite number");
            return std::nullopt;
        }
        fail(key, n, "must be a number");
        return std::nullopt;
    }

    std::optional<std::int64_t> integer(std::string_view key, bool required = false) {
        auto n = get(key);
        if (!n) {
            if (required) fail(key, nullptr, "is required");
            return std::nullopt;
        }
        if (auto v = n->value_exact<std::int64_t>()) return *v;
        fail(key, n, "must be a whole number");
        return std::nullopt;
    }

    std::optional<bool> boolean(std::string_view key) {
        auto n = get(key);
        if (!n) return std::nullopt;
        if (auto v = n->value<bool>()) return *v;
        fail(key, n, "must be true or false");
        return std::nullopt;
    }

    /// A TOML date-time with an offset (UTC is written with Z).
    std::optional<sim_time> time(std::string_view key, bool required = false) {
        auto n = get(key);
        if (!n) {
            if (required) fail(key, nullptr, "is required");
            return std::nullopt;
        }
        auto dt = n->value<toml::date_time>();
        if (!dt) {
            fail(key, n, "must be a date and time such as 1972-06-21T16:15:00Z");
            return std::nullopt;
        }
        if (!dt->offset) {
            fail(key, n, "needs a time zone: write UTC with a Z (1972-06-21T16:15:00Z)");
            return std::nullopt;
        }
        using namespace std::chrono;
        year_month_day ymd{year{dt->date.year}, month{dt->date.month}, day{dt->date.day}};
        if (!ymd.ok()) {
            fail(key, n, "is not a calendar date");
            return std::nullopt;
        }
        // The simulation clock counts nanoseconds from 1970 in 64 bits (about 1678 to 2262).
        if (dt->date.year < 1700 || dt->date.year > 2200) {
            fail(key, n, "must lie between the years 1700 and 2200");
            return std::nullopt;
        }
        auto t = sys_days{ymd} + hours{dt->time.hour} + minutes{dt->time.minute} +
                 seconds{dt->time.second} + nanoseconds{dt->time.nanosecond} -
                 minutes{dt->offset->minutes};
        return to_sim_time(t);
    }

    std::vector<std::string> strings(std::string_view key, bool required = false) {
        std::vector<std::string> out;
        auto n = get(key);
        if (!n) {
            if (required) fail(key, nullptr, "is required");
            return out;
        }
        if (auto s = n->value<std::string>()) return {*s};
        auto a = n->as_array();
        if (!a) {
            fail(key, n, "must be a string or a list of strings");
            return out;
        }
        for (const auto& e : *a) {
            if (auto s = e.value<std::string>())
                out.push_back(*s);
            else
                fail(key, &e, "must hold strings only");
        }
        return out;
    }

    /// Reports every key that no field read (a typo, most likely).
    void reject_unknown() const {
        for (const auto& [k, v] : t_)
            if (!seen_.count(std::string{k.str()}))
                fail(k.str(), &v,
                     fmt::format("is not a field of {}", path_.empty() ? "the scenario" : path_));
    }

  private:
    const toml::table& t_;
    std::string path_;
    std::string_view file_;
    scenario_errors& errors_;
    std::set<std::string> seen_;
};

/// Sub-tables and arrays of tables.
const toml::table* subtable(table_reader& r, std::string_view key) {
    auto n = r.get(key);
    if (!n) return nullptr;
    if (auto t = n->as_table()) return t;
    r.fail(key, n, "must be a table");
    return nullptr;
}

std::vector<const toml::table*> table_list(table_reader& r, std::string_view key) {
    std::vector<const toml::table*> out;
    auto n = r.get(key);
    if (!n) return out;
    auto a = n->as_array();
    if (!a) {
        r.fail(key, n, fmt::format("must be a list of tables ([[{}]])", key));
        return out;
    }
    for (const auto& e : *a) {
        if (auto t = e.as_table())
            out.push_back(t);
        else
            r.fail(key, &e, "must hold tables only");
    }
    return out;
}

std::optional<sim_duration> duration_field(table_reader& r, std::string_view key) {
    // "delay_ms = 270" (a number of milliseconds)
    auto v = r.number(key);
    if (!v) return std::nullopt;
    if (*v < 0 || *v > 3.6e6) {
        r.fail(key, nullptr, "must be between 0 and 3,600,000 ms");
        return std::nullopt;
    }
    return seconds_to_duration(*v / 1000.0);
}

std::optional<double> probability(table_reader& r, std::string_view key) {
    auto v = r.number(key);
    if (v && (*v < 0 || *v > 1)) {
        r.fail(key, r.get(key), "must be a probability between 0 and 1");
        return std::nullopt;
    }
    return v;
}

std::optional<outage_fill> fill_field(table_reader& r) {
    auto s = r.str("fill");
    if (!s) return outage_fill::space;
    if (*s == "space") return outage_fill::space;
    if (*s == "random") return outage_fill::random;
    r.fail("fill", r.get("fill"), "must be \"space\" (a line break) or \"random\"");
    return std::nullopt;
}

std::optional<noise_config> read_noise(const toml::table& t, const std::string& path,
                                       std::string_view file, scenario_errors& errors) {
    table_reader r{t, path, file, errors};
    noise_config n;
    if (auto seed = r.integer("seed")) n.seed = static_cast<std::uint64_t>(*seed);
    if (auto p = probability(r, "element_error_rate")) n.independent = independent_errors{*p};
    if (auto b = subtable(r, "bursts")) {
        table_reader br{*b, path + ".bursts", file, errors};
        gilbert_elliott ge;
        if (auto v = probability(br, "p_good")) ge.p_good = *v;
        if (auto v = probability(br, "p_bad")) ge.p_bad = *v;
        if (auto v = probability(br, "good_to_bad")) ge.good_to_bad = *v;
        if (auto v = probability(br, "bad_to_good")) ge.bad_to_good = *v;
        br.reject_unknown();
        n.bursts = ge;
    }
    std::size_t k = 0;
    for (auto o : table_list(r, "outage")) {
        table_reader orr{*o, fmt::format("{}.outage[{}]", path, k++), file, errors};
        auto b = orr.time("begin", true);
        auto e = orr.time("end", true);
        auto f = fill_field(orr);
        if (b && e && *e <= *b)
            orr.fail("end", orr.get("end"), "must be after begin");
        else if (b && e && f)
            n.scheduled.push_back(outage_window{*b, *e, *f});
        orr.reject_unknown();
    }
    if (auto f = subtable(r, "fades")) {
        table_reader fr{*f, path + ".fades", file, errors};
        random_outages ro;
        auto per_hour = fr.number("per_hour", true);
        auto mean = fr.number("mean_seconds", true);
        if (per_hour && *per_hour < 0)
            fr.fail("per_hour", fr.get("per_hour"), "must not be negative");
        if (mean && *mean <= 0) fr.fail("mean_seconds", fr.get("mean_seconds"), "must be positive");
        if (auto fill = fill_field(fr)) ro.fill = *fill;
        if (per_hour && mean && *per_hour >= 0 && *mean > 0) {
            ro.onsets_per_hour = *per_hour;
            ro.mean_duration = seconds_to_duration(*mean);
            n.fades = ro;
        }
        fr.reject_unknown();
    }
    r.reject_unknown();
    return n;
}

std::optional<protocol::precedence> precedence_field(table_reader& r, std::string_view key) {
    auto s = r.str(key);
    if (!s) return std::nullopt;
    auto p = protocol::precedence_from_string(*s);
    if (!p)
        r.fail(key, r.get(key),
               fmt::format("'{}' is not a precedence (Y, Z, O, P, R or its name)", *s));
    return p;
}

void check_routing_indicator(table_reader& r, std::string_view key, const std::string& ri) {
    if (auto p = routing_indicator::parse(ri); !p)
        r.fail(key, r.get(key),
               fmt::format("'{}' is not a routing indicator: {}", ri, to_string(p.error())));
}

}  // namespace

const station_spec* scenario::find_station(std::string_view id) const {
    for (const auto& s : stations)
        if (s.id == id) return &s;
    return nullptr;
}

const circuit_spec* scenario::find_circuit(std::string_view id) const {
    for (const auto& c : circuits)
        if (c.id == id) return &c;
    return nullptr;
}

expected<scenario, scenario_errors> load_scenario(std::string_view text, std::string_view file) {
    scenario_errors errors;
    auto parsed = parse_toml(text, file);
    if (!parsed) {
        errors.push_back(parsed.error());
        errors.back().field = "scenario";
        return errors;
    }
    const toml::table& root = parsed.value();
    scenario sc;
    table_reader top{root, "", file, errors};
    if (auto head = subtable(top, "scenario")) {
        table_reader r{*head, "scenario", file, errors};
        if (auto v = r.str("name", true)) sc.name = *v;
        if (auto v = r.str("title")) sc.title = *v;
        if (auto v = r.str("description")) sc.description = *v;
        if (auto v = r.time("start", true)) sc.start = *v;
        if (auto v = r.integer("seed")) sc.seed = static_cast<std::uint64_t>(*v);
        r.reject_unknown();
    } else {
        top.fail("scenario", nullptr, "the [scenario] table is required (name, start)");
    }

    std::size_t k = 0;
    for (auto t : table_list(top, "station")) {
        table_reader r{*t, fmt::format("station[{}]", k++), file, errors};
        station_spec s;
        s.where = r.where();
        if (auto v = r.str("id", true)) s.id = *v;
        s.routing_indicator = r.str("routing_indicator").value_or(s.id);
        if (!s.routing_indicator.empty())
            check_routing_indicator(r, r.get("routing_indicator") ? "routing_indicator" : "id",
                                    s.routing_indicator);
        if (auto v = r.str("name")) s.name = *v;
        if (auto v = r.str("place")) s.place = *v;
        if (auto v = r.str("kind")) {
            if (*v == "terminal")
                s.kind = station_kind::terminal;
            else if (*v == "relay")
                s.kind = station_kind::relay;
            else
                r.fail("kind", r.get("kind"), "must be \"terminal\" or \"relay\"");
        }
        if (auto v = r.integer("utc_offset")) {
            if (*v < -12 || *v > 14)
                r.fail("utc_offset", r.get("utc_offset"),
                       "must be whole hours between -12 and +14");
            else
                s.utc_offset_hours = static_cast<int>(*v);
        }
        s.latitude = r.number("latitude");
        s.longitude = r.number("longitude");
        if (s.latitude && (*s.latitude < -90 || *s.latitude > 90)) {
            r.fail("latitude", r.get("latitude"), "must be degrees between -90 and 90");
            s.latitude.reset();
        }
        if (s.longitude && (*s.longitude < -180 || *s.longitude > 180)) {
            r.fail("longitude", r.get("longitude"), "must be degrees between -180 and 180");
            s.longitude.reset();
        }
        if (s.latitude.has_value() != s.longitude.has_value())
            r.fail(s.latitude ? "latitude" : "longitude",
                   r.get(s.latitude ? "latitude" : "longitude"),
                   "latitude and longitude go together: give both or neither");
        std::size_t j = 0;
        for (auto rt : table_list(r, "route")) {
            table_reader rr{*rt, fmt::format("{}.route[{}]", r.path(), j++), file, errors};
            route_spec route;
            route.where = rr.where();
            if (auto v = rr.str("prefix", true)) {
                route.prefix = *v;
                if (!v->empty()) check_routing_indicator(rr, "prefix", *v);
            }
            if (auto v = rr.str("circuit", true)) route.circuit = *v;
            rr.reject_unknown();
            s.routes.push_back(route);
        }
        r.reject_unknown();
        if (!s.id.empty() && sc.find_station(s.id))
            r.fail("id", r.get("id"), fmt::format("station '{}' is defined twice", s.id));
        sc.stations.push_back(std::move(s));
    }

    k = 0;
    for (auto t : table_list(top, "circuit")) {
        table_reader r{*t, fmt::format("circuit[{}]", k++), file, errors};
        circuit_spec c;
        c.where = r.where();
        if (auto v = r.str("id", true)) c.id = *v;
        auto ends = r.strings("between", true);
        if (ends.size() == 2) {
            c.a = ends[0];
            c.b = ends[1];
            if (c.a == c.b) r.fail("between", r.get("between"), "must name two different stations");
        } else if (r.get("between")) {
            r.fail("between", r.get("between"), "must name exactly two stations");
        }
        if (auto v = r.str("description")) c.description = *v;
        if (auto v = r.str("speed")) {
            auto p = find_profile(*v);
            if (p)
                c.profile = p.value();
            else
                r.fail("speed", r.get("speed"), p.error().message);
        }
        if (auto d = duration_field(r, "delay_ms")) c.propagation_delay = *d;
        if (auto v = r.str("code")) {
            if (*v == "ustty" || *v == "us-tty")
                c.code = protocol::code_set::us_tty;
            else if (*v == "ita2")
                c.code = protocol::code_set::ita2;
            else
                r.fail("code", r.get("code"), "must be \"ustty\" or \"ita2\"");
        }
        if (auto v = r.boolean("usos")) c.usos = *v;
        if (auto n = subtable(r, "noise"))
            c.noise = read_noise(*n, r.path() + ".noise", file, errors);
        if (auto cr = subtable(r, "crypto")) {
            table_reader rr{*cr, r.path() + ".crypto", file, errors};
            crypto_spec cs;
            if (auto v = rr.integer("key_seed", true)) cs.key_seed = static_cast<std::uint64_t>(*v);
            if (auto v = rr.integer("key_length")) {
                if (*v < 1 || *v > 100'000'000)
                    rr.fail("key_length", rr.get("key_length"),
                            "must be between 1 and 100,000,000");
                else
                    cs.key_length = static_cast<std::size_t>(*v);
            }
            rr.reject_unknown();
            c.crypto = cs;
        }
        r.reject_unknown();
        for (const auto& end : {c.a, c.b})
            if (!end.empty() && !sc.find_station(end))
                r.fail("between", r.get("between"),
                       fmt::format("no station '{}' (stations come before circuits)", end));
        if (!c.id.empty() && sc.find_circuit(c.id))
            r.fail("id", r.get("id"), fmt::format("circuit '{}' is defined twice", c.id));
        sc.circuits.push_back(std::move(c));
    }

    // Routes must use circuits that touch their station.
    for (std::size_t i = 0; i < sc.stations.size(); ++i) {
        const auto& s = sc.stations[i];
        for (std::size_t j = 0; j < s.routes.size(); ++j) {
            const auto& rt = s.routes[j];
            auto c = sc.find_circuit(rt.circuit);
            std::string field = fmt::format("station[{}].route[{}].circuit", i, j);
            if (!c)
                errors.push_back({std::string{file}, rt.where, field,
                                  fmt::format("no circuit '{}'", rt.circuit)});
            else if (c->a != s.id && c->b != s.id)
                errors.push_back(
                    {std::string{file}, rt.where, field,
                     fmt::format("circuit '{}' does not reach station '{}'", rt.circuit, s.id)});
        }
    }

    k = 0;
    for (auto t : table_list(top, "cable")) {
        table_reader r{*t, fmt::format("cable[{}]", k++), file, errors};
        cable_spec c;
        c.where = r.where();
        if (auto v = r.str("id", true)) c.id = *v;
        if (auto v = r.str("origin", true)) {
            c.origin = *v;
            if (!sc.find_station(*v))
                r.fail("origin", r.get("origin"), fmt::format("no station '{}'", *v));
        }
        c.addressees = r.strings("to", true);
        for (const auto& a : c.addressees) check_routing_indicator(r, "to", a);
        if (auto p = precedence_field(r, "precedence")) c.prec = *p;
        if (auto v = r.time("filed", true)) c.filed = *v;
        c.text = r.str("text");
        c.header = r.str("header");
        c.text_file = r.str("text_file");
        c.frus_document = r.str("frus_document");
        if (auto v = r.integer("length")) {
            if (*v < 1 || *v > 10'000'000)
                r.fail("length", r.get("length"), "must be between 1 and 10,000,000 characters");
            else
                c.length_chars = static_cast<std::uint32_t>(*v);
        }
        if (auto v = r.str("note")) c.note = *v;
        if (!c.text && !c.text_file && !c.frus_document && !c.length_chars)
            r.fail("", nullptr, "needs text, text_file, frus_document or length");
        r.reject_unknown();
        sc.cables.push_back(std::move(c));
    }

    k = 0;
    for (auto t : table_list(top, "traffic")) {
        table_reader r{*t, fmt::format("traffic[{}]", k++), file, errors};
        traffic_spec g;
        g.where = r.where();
        if (auto v = r.str("origin", true)) {
            g.origin = *v;
            if (!sc.find_station(*v))
                r.fail("origin", r.get("origin"), fmt::format("no station '{}'", *v));
        }
        g.addressees = r.strings("to", true);
        for (const auto& a : g.addressees) check_routing_indicator(r, "to", a);
        if (auto v = r.number("cables_per_hour", true)) {
            if (*v <= 0)
                r.fail("cables_per_hour", r.get("cables_per_hour"), "must be positive");
            else
                g.cables_per_hour = *v;
        }
        if (auto m = subtable(r, "mix")) {
            table_reader mr{*m, r.path() + ".mix", file, errors};
            double total = 0;
            for (int level = 0; level < protocol::precedence_levels; ++level) {
                auto p = static_cast<protocol::precedence>(level);
                std::string key(1, protocol::precedence_letter(p));
                auto v = mr.number(key);
                g.mix[static_cast<std::size_t>(level)] = v.value_or(0.0);
                if (v && *v < 0) mr.fail(key, mr.get(key), "must not be negative");
                total += v.value_or(0.0);
            }
            if (total <= 0)
                mr.fail("", nullptr, "needs at least one positive share (R, P, O, Z, Y)");
            mr.reject_unknown();
        }
        if (auto len = r.get("length")) {
            auto a = len->as_array();
            if (!a || a->size() != 2 || !(*a)[0].is_integer() || !(*a)[1].is_integer()) {
                r.fail("length", len, "must be [min, max] in characters");
            } else {
                auto lo = (*a)[0].value<std::int64_t>().value_or(0),
                     hi = (*a)[1].value<std::int64_t>().value_or(0);
                if (lo < 1 || hi < lo || hi > 10'000'000)
                    r.fail("length", len, "must satisfy 1 <= min <= max <= 10,000,000");
                else {
                    g.min_chars = static_cast<std::uint32_t>(lo);
                    g.max_chars = static_cast<std::uint32_t>(hi);
                }
            }
        }
        g.start = r.time("start").value_or(sc.start);
        g.end = r.time("end");
        if (auto v = r.integer("count")) {
            if (*v < 0)
                r.fail("count", r.get("count"), "must not be negative");
            else
                g.count = static_cast<std::uint64_t>(*v);
        }
        if (!g.end && !g.count) r.fail("", nullptr, "needs an end time or a count");
        if (auto v = r.integer("seed")) g.seed = static_cast<std::uint64_t>(*v);
        r.reject_unknown();
        sc.traffic.push_back(std::move(g));
    }
    top.reject_unknown();
    if (sc.stations.empty())
        top.fail("station", nullptr, "a scenario needs at least one [[station]]");
    if (!errors.empty()) return errors;
    return sc;
}

expected<scenario, scenario_errors> load_scenario_file(const std::string& path) {
    auto text = read_file(path, 16u << 20);
    if (!text)
        return scenario_errors{
            {path, {}, "scenario", text.error().message().substr(path.size() + 2)}};
    return load_scenario(text.value(), path);
}

expected<scenario, scenario_errors> load_named_scenario(const std::string& name_or_path) {
    auto text = builtin_scenario_text(name_or_path);
    if (!text.empty()) return load_scenario(text, "<builtin:" + name_or_path + ">");
    return load_scenario_file(name_or_path);
}

}  // namespace hakto::sim

namespace hakto::sim {
namespace detail {
extern const embedded_file builtin_scenario_files[];
extern const std::size_t builtin_scenario_files_count;
}  // namespace detail

std::vector<std::string_view> builtin_scenario_names() {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < detail::builtin_scenario_files_count; ++i) {
        auto n = detail::builtin_scenario_files[i].name;
        out.push_back(n.substr(0, n.rfind('.')));
    }
    return out;
}

std::string_view builtin_scenario_text(std::string_view name) {
    for (std::size_t i = 0; i < detail::builtin_scenario_files_count; ++i) {
        auto n = detail::builtin_scenario_files[i].name;
        if (n.substr(0, n.rfind('.')) == name) return detail::builtin_scenario_files[i].text;
    }
    return {};
}

}  // namespace hakto::sim
