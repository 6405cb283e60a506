#include "terminals/replay/replay.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "protocol/cable/cable_formatter.hpp"
#include "protocol/cable/cable_parser.hpp"
#include "protocol/cable/cable_tape.hpp"
#include "protocol/teletype/line_discipline.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "terminals/frus/bundled.hpp"
#include "terminals/frus/frus_import.hpp"
#include "terminals/memo/memo_writer.hpp"
#include "terminals/replay/replay_texts.hpp"

namespace hakto::terminals {

using namespace std::chrono;
using protocol::code;

std::string zulu(sim::sim_time t) {
    auto s = sim::format_sim_time(t);  // 1972-06-21T16:15:00.000000000Z
    return s.substr(0, 10) + " " + s.substr(11, 8) + "Z";
}

std::string local_time(sim::sim_time t, int offset) {
    auto s = sim::format_sim_time(t + hours{offset});
    return fmt::format("{} {} (UTC{:+})", s.substr(0, 10), s.substr(11, 5), offset);
}

namespace {

std::string series_of(const sim::cable_spec& c) {
    auto tag = protocol::find_series_tag(c.id);
    return tag ? tag->name : std::string{};
}

}  // namespace

std::string_view to_string(replay_event_kind k) noexcept {
    switch (k) {
        case replay_event_kind::stage:
            return "stage";
        case replay_event_kind::punched:
            return "punched";
        case replay_event_kind::line:
            return "line";
        case replay_event_kind::printed:
            return "printed";
        case replay_event_kind::interrupted:
            return "interrupted";
        case replay_event_kind::logged:
            return "logged";
        case replay_event_kind::memo:
            return "memo";
        case replay_event_kind::note:
            return "note";
    }
    return "note";
}

std::string_view to_string(replay_stage s) noexcept {
    switch (s) {
        case replay_stage::none:
            return "";
        case replay_stage::drafting:
            return "drafting";
        case replay_stage::punching:
            return "punching";
        case replay_stage::transmitting:
            return "transmitting";
        case replay_stage::interrupted:
            return "interrupted";
        case replay_stage::relaying:
            return "relaying";
        case replay_stage::received:
            return "received";
        case replay_stage::logged:
            return "logged";
        case replay_stage::president:
            return "president";
        case replay_stage::memo:
            return "memo";
    }
    return "";
}

std::string marked_body(const sim::cable_spec& c) {
    auto doc = c.frus_document.value_or("");
    return fmt::format(
        "(TEXT NOT SUPPLIED. THE CABLE IS FRUS 1969-1976 VOL E-13 DOC {}: GIVE ITS TEI FILE WITH "
        "--FRUS)",
        doc.size() > 1 ? doc.substr(1) : std::string{"?"});
}

class replay::observer final : public sim::network_observer {
  public:
    explicit observer(replay& r) : r_(r) {}

    replay_cable* cable_for(sim::cable_id id) {
        auto it = ids_.find(id);
        return it == ids_.end() ? nullptr : &r_.cables_[it->second];
    }
    void bind(sim::cable_id id, std::size_t index) { ids_[id] = index; }

    void transmission_started(const sim::transmission_event& t) override {
        auto* c = cable_for(t.cable);
        replay_event e;
        e.kind = replay_event_kind::stage;
        e.at = t.line ? t.line->start : r_.engine_.now();
        e.cable = c ? c->spec.id : "";
        e.station = std::string{t.from};
        e.stage = replay_stage::transmitting;
        e.circuit = std::string{t.circuit};
        e.from = std::string{t.from};
        e.to = std::string{t.to};
        e.text = fmt::format("{} {} {} to {} on {} (channel serial {:03}{}){}",
                             t.resend ? "resending" : "sending", e.cable, t.from, t.to, t.circuit,
                             t.serial, t.resend ? ", again in full" : "",
                             r_.options_.crypto ? ", on-line encryption" : "");
        r_.emit(std::move(e));
    }

    void interrupted(const sim::interruption_event& i) override {
        auto* c = cable_for(i.cable);
        replay_event e;
        e.kind = replay_event_kind::interrupted;
        e.at = i.at;
        e.cable = c ? c->spec.id : "";
        e.station = std::string{i.from};
        e.stage = replay_stage::interrupted;
        e.circuit = std::string{i.circuit};
        e.text = fmt::format(
            "{} interrupted on {} after {} characters: higher precedence traffic goes first",
            e.cable, i.circuit, i.characters_through);
        r_.emit(std::move(e));
    }

    void character(const sim::character_event& ch) override {
        auto* c = cable_for(ch.cable);
        replay_event e;
        e.kind = replay_event_kind::line;
        e.at = ch.arrived;
        e.cable = c ? c->spec.id : "";
        e.station = std::string{ch.to};
        e.circuit = std::string{ch.circuit};
        e.from = std::string{ch.from};
        e.to = std::string{ch.to};
        e.index = ch.index;
        e.sent = ch.sent;
        e.on_line = ch.on_line;
        e.delivered = ch.delivered;
        bool last_hop = c && std::find(c->spec.addressees.begin(), c->spec.addressees.end(),
                                       e.to) != c->spec.addressees.end();
        r_.emit(e);
        if (last_hop && ch.delivered != sim::no_code) {
            e.kind = replay_event_kind::printed;
            r_.emit(std::move(e));
        }
    }

    void arrived(sim::cable_id id, const std::string& station, sim::sim_time at) override {
        auto* c = cable_for(id);
        if (!c || station == c->spec.origin) return;
        bool destination = std::find(c->spec.addressees.begin(), c->spec.addressees.end(),
                                     station) != c->spec.addressees.end();
        replay_event e;
        e.kind = replay_event_kind::stage;
        e.at = at;
        e.cable = c->spec.id;
        e.station = station;
        e.stage = destination ? replay_stage::received : replay_stage::relaying;
        e.text = destination ? fmt::format("{} received at {}: decrypted, on the page printer",
                                           c->spec.id, station)
                             : fmt::format(
                                   "{} stored at relay {}; routed by its routing indicator, queued "
                                   "by precedence",
                                   c->spec.id, station);
        r_.emit(std::move(e));
    }

    void delivered(const sim::delivered_cable& d) override { r_.on_delivered(d); }

    void serial_finding(const std::string& station, const std::string& channel,
                        const sim::serial_finding& f) override {
        replay_event e;
        e.kind = replay_event_kind::note;
        e.at = r_.engine_.now();
        e.station = station;
        e.text = fmt::format("channel {}: serial {:03} is a {} (expected {:03})", channel,
                             f.received, sim::to_string(f.verdict), f.expected);
        r_.emit(std::move(e));
    }

  private:
    replay& r_;
    std::map<sim::cable_id, std::size_t> ids_;
};

replay::replay(sim::engine& e, replay_options options) : engine_(e), options_(std::move(options)) {}

replay::~replay() = default;

int replay::utc_offset(std::string_view station) const {
    if (auto s = scenario_.find_station(station)) return s->utc_offset_hours;
    return 0;
}

void replay::emit(replay_event e) {
    if (e.kind == replay_event_kind::stage || e.kind == replay_event_kind::logged ||
        e.kind == replay_event_kind::memo)
        current_stage_ = e.stage;
    for (auto* s : sinks_) s->event(e);
}

expected<std::unique_ptr<replay>, replay_error> replay::prepare(
    const replay_options& options, sim::engine& e, std::vector<std::string>& warnings) {
    auto prepared = prepare_cables(options, warnings);
    if (!prepared) return prepared.error();
    std::unique_ptr<replay> r{new replay(e, options)};
    r->scenario_ = std::move(prepared.value().scenario);
    r->cables_ = std::move(prepared.value().cables);
    sim::network_options no;
    no.noise = options.noise;
    no.crypto = options.crypto;
    no.character_events = true;
    auto net = sim::network::build(r->scenario_, e, no);
    if (!net) return replay_error{net.error().message};
    r->network_ = std::move(net.value());
    r->observer_ = std::make_unique<observer>(*r);
    r->network_->set_observer(r->observer_.get());
    return r;
}

expected<std::size_t, replay_error> replay::file_cable(sim::cable_spec spec) {
    if (!spec.text)
        return replay_error{
            fmt::format("{}: a cable filed during the replay needs its text", spec.id)};
    if (std::any_of(cables_.begin(), cables_.end(),
                    [&](const replay_cable& c) { return c.spec.id == spec.id; }))
        return replay_error{
            fmt::format("{}: the replay already has a cable of that name", spec.id)};
    spec.filed = std::max(spec.filed, engine_.now());
    auto text = spec.text;
    auto rc = make_replay_cable(spec, std::move(text), "filed during the replay", options_.code,
                                options_.usos);
    if (!rc) return rc.error();
    cables_.push_back(std::move(rc.value()));
    scenario_.cables.push_back(std::move(spec));  // its place in its series, for the memo step
    schedule_cable(cables_.size() - 1);
    return cables_.size() - 1;
}

void replay::start() {
    for (std::size_t i = 0; i < cables_.size(); ++i) schedule_cable(i);
}

void replay::schedule_cable(std::size_t i) {
    auto& rc = cables_[i];
    const auto& spec = rc.spec;
    auto filed = std::max(spec.filed, engine_.now());
    engine_.schedule_at(filed, [this, i] {
        auto& c = cables_[i];
        replay_event e;
        e.at = engine_.now();
        e.cable = c.spec.id;
        e.station = c.spec.origin;
        e.stage = replay_stage::drafting;
        // Where the text came from, as a reader of the log is told it (never a file name:
        // the log is the exhibit's too).
        std::string text_from = c.source_description;
        if (!c.text_supplied)
            text_from = "header only, the text not shown";
        else if (c.spec.frus_document && !c.spec.text)
            text_from = fmt::format("as published, FRUS 1969-1976 vol. E-13 doc {}",
                                    c.spec.frus_document->substr(1));
        e.text = fmt::format(
            "{} ({} {}) released for transmission at {}: {} lines, {} characters; text: {}",
            c.spec.id, protocol::precedence_letter(c.spec.prec),
            protocol::precedence_name(c.spec.prec), c.spec.origin,
            std::count(c.page_copy.begin(), c.page_copy.end(), '\n'), c.codes.size(), text_from);
        emit(e);
        if (!c.caption.empty()) {
            replay_event n;
            n.kind = replay_event_kind::note;
            n.at = e.at;
            n.cable = c.spec.id;
            n.station = c.spec.origin;
            n.text = c.caption;
            emit(std::move(n));
        }
        e.stage = replay_stage::punching;
        e.text = fmt::format("operator punches {} on tape at {:.0f} words a minute", c.spec.id,
                             options_.typing_wpm);
        emit(e);
    });
    // The operator punches at typing speed (6 characters a word), one event a character.
    auto per_code =
        duration_cast<sim::sim_duration>(duration<double>(60.0 / (options_.typing_wpm * 6.0)));
    for (std::size_t k = 0; k < rc.codes.size(); ++k) {
        engine_.schedule_at(filed + per_code * static_cast<std::int64_t>(k + 1), [this, i, k] {
            const auto& c = cables_[i];
            replay_event e;
            e.kind = replay_event_kind::punched;
            e.at = engine_.now();
            e.cable = c.spec.id;
            e.station = c.spec.origin;
            e.index = k;
            e.sent = c.codes[k];
            emit(std::move(e));
        });
    }
    auto sent_at = filed + per_code * static_cast<std::int64_t>(rc.codes.size() + 1);
    engine_.schedule_at(sent_at, [this, i] {
        auto& c = cables_[i];
        auto id = network_->file(sim::filing{c.spec.id, c.spec.origin, c.spec.addressees,
                                             c.spec.prec, c.spec.filed, c.codes});
        if (id)
            observer_->bind(id.value(), i);
        else {
            replay_event e;
            e.kind = replay_event_kind::note;
            e.at = engine_.now();
            e.cable = c.spec.id;
            e.text = id.error().message;
            emit(std::move(e));
        }
    });
}

void replay::on_delivered(const sim::delivered_cable& d) {
    auto it = std::find_if(cables_.begin(), cables_.end(),
                           [&](const replay_cable& c) { return c.spec.id == d.label; });
    if (it == cables_.end()) return;
    auto& c = *it;
    c.delivery = d;
    const int offset = utc_offset(d.destination);
    // The White House (WTE) logs the cable in the Situation Room; elsewhere the cable is
    // logged at the receiving station. Haig covered Kissinger's reports (the HAKTO series) with
    // a memorandum for the President; other traffic has none.
    const bool white_house = d.destination == "WTE";
    const bool calls_for_memo = white_house && series_of(c.spec) == "HAKTO";
    const auto* station = scenario_.find_station(d.destination);
    const std::string place = station && !station->place.empty() ? station->place : d.destination;
    replay_event log;
    log.kind = replay_event_kind::logged;
    log.at = d.delivered;
    log.cable = c.spec.id;
    log.station = d.destination;
    log.stage = replay_stage::logged;
    log.text = fmt::format(
        "{} log: {} received {} ({} {}), filed {} — {} after filing, "
        "objective for {} {}: {}; {} characters garbled on the way",
        white_house ? "Situation Room" : d.destination, c.spec.id, zulu(d.delivered),
        local_time(d.delivered, offset).substr(11), place, zulu(d.filed),
        sim::format_elapsed(d.elapsed()).substr(0, 7), protocol::precedence_name(d.prec),
        sim::format_elapsed(protocol::handling_objective(d.prec)).substr(0, 7),
        d.met_objective() ? "met" : "NOT met", d.garbled);
    emit(log);
    if (!calls_for_memo) return;

    // The covering memorandum, from the copy as received.
    engine_.schedule_after(options_.memo_delay, [this, index = static_cast<std::size_t>(
                                                           it - cables_.begin())] {
        auto& c = cables_[index];
        replay_event e;
        e.at = engine_.now();
        e.cable = c.spec.id;
        e.station = c.delivery->destination;
        if (!c.text_supplied) {
            e.kind = replay_event_kind::note;
            e.stage = replay_stage::memo;
            e.text = fmt::format(
                "{}: no covering memorandum drafted here: only the cable's header was shown",
                c.spec.id);
            emit(std::move(e));
            return;
        }
        // What the page printer gave: decode the received codes and read them as a cable.
        auto printed = protocol::from_page_copy_line_ends(protocol::decode(
            c.delivery->received, protocol::decode_options{options_.code, options_.usos}));
        auto received = protocol::parse_document(printed).message;
        // The report's place in its series, counting the scenario's cables of that series.
        int ordinal = 0;
        for (const auto& s : scenario_.cables) {
            if (series_of(s) == series_of(c.spec)) ++ordinal;
            if (s.id == c.spec.id) break;
        }
        memo_context ctx;
        auto local = engine_.now() + hours{utc_offset(c.delivery->destination)};
        year_month_day today{sys_days{floor<days>(local.time_since_epoch())}};
        ctx.date = protocol::calendar_date{static_cast<int>(today.year()),
                                           static_cast<int>(static_cast<unsigned>(today.month())),
                                           static_cast<int>(static_cast<unsigned>(today.day()))};
        ctx.ordinal = ordinal;
        // The day the report covers: the cable's own date line, else the day it was filed in
        // Beijing.
        if (received.date_line) ctx.covers = protocol::read_calendar_date(*received.date_line);
        if (!ctx.covers) {
            year_month_day filed{sys_days{floor<days>((c.spec.filed).time_since_epoch())}};
            ctx.covers =
                protocol::calendar_date{static_cast<int>(filed.year()),
                                        static_cast<int>(static_cast<unsigned>(filed.month())),
                                        static_cast<int>(static_cast<unsigned>(filed.day()))};
        }
        ctx.place = "Peking";
        std::optional<memo_rules> user_rules;
        if (options_.memo_rules_file) {
            auto loaded =
                extend_memo_rules_from_file(builtin_memo_rules(), *options_.memo_rules_file);
            if (!loaded) {
                e.kind = replay_event_kind::note;
                e.text = loaded.error().to_string();
                emit(std::move(e));
                return;
            }
            user_rules = std::move(loaded.value());
        }
        auto result =
            draft_covering_memo(received, ctx, user_rules ? *user_rules : builtin_memo_rules());
        c.memo = result.memo;
        for (const auto& l : result.left_out) c.memo_left_out.push_back(l.to_string());
        replay_event p;
        p.at = engine_.now();
        p.cable = c.spec.id;
        p.station = c.delivery->destination;
        p.stage = replay_stage::president;
        p.text = fmt::format(
            "Haig's covering memorandum on {} ({} report in the series) goes to the President{}",
            c.spec.id, ordinal_word(ordinal),
            c.historical_memo ? "; the record notes that he saw it (when is not recorded)" : "");
        emit(std::move(p));
        e.kind = replay_event_kind::memo;
        e.stage = replay_stage::memo;
        e.text = fmt::format("MEMORANDUM FOR THE PRESIDENT on {}", c.spec.id);
        e.memo = &*c.memo;
        e.historical = c.historical_memo ? &*c.historical_memo : nullptr;
        e.left_out = c.memo_left_out;
        emit(std::move(e));
    });
}

}  // namespace hakto::terminals
