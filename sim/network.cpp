#include "sim/network.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "protocol/cable/garble.hpp"
#include "sim/noise.hpp"

namespace hakto::sim {

using protocol::code;
using codes_ptr = std::shared_ptr<const std::vector<code>>;

bool delivered_cable::met_objective() const {
    return elapsed() <= protocol::handling_objective(prec);
}

struct network::station {
    station_spec spec;
    /// The station's routing indicator, when it is one as written (else nothing is delivered here).
    std::optional<routing_indicator> own_ri;
    std::unique_ptr<relay> desk;
    std::map<std::string, circuit_id, std::less<>> circuit_of;  // scenario circuit id -> outgoing
    std::map<std::string, const direction_link*, std::less<>>
        link_of;  // the same, the link (the relay owns it)
    struct held_copy {
        codes_ptr codes;
        std::vector<hop_record> hops;
        transmission_counters counters;
        std::uint32_t refs = 0;
    };
    std::unordered_map<cable_id, held_copy> copies;
    std::map<std::string, channel_serial_checker, std::less<>> incoming;
};

/// One direction of a scenario circuit, as the relay at its sending end sees it.
struct network::direction_link final : circuit_link {
    network* net = nullptr;
    std::size_t from = 0, to = 0;
    std::string circuit_name;  // scenario circuit id
    std::string designator;    // "trans-pacific WTE10>WHR"
    circuit line;
    channel_serial_checker* checker = nullptr;         // at the receiving station
    std::shared_ptr<const line_transmission> current;  // shared with the circuit
    std::uint64_t generation = 0;  // of the current transmission, for character events
    std::uint64_t deliverable =
        0;  // characters of it that will arrive (all, or those before a cut)

    direction_link(circuit c) : line(std::move(c)) {}

    const std::string& from_id() const { return net->stations_[from]->spec.id; }
    const std::string& to_id() const { return net->stations_[to]->spec.id; }

    sim_duration transmit(const transmission& t) override {
        auto& st = *net->stations_[from];
        const sim_time now = net->engine_.now();
        auto copy = st.copies.find(t.cable);
        static const std::vector<code> nothing;
        const auto& codes =
            copy != st.copies.end() && copy->second.codes ? *copy->second.codes : nothing;
        line.advance(now);
        if (line.current() == circuit::state::interrupted)
            (void)line.clear(now, "next transmission");
        sim_time start = now;
        if (auto busy = line.busy_until(); busy && *busy > start) start = *busy;
        auto r = line.send(start, codes, t.resend ? "resend in full" : "transmission");
        if (!r) {
            // The line refused (e.g. the key tape ran out): the cable goes on as it was handed
            // in, and the refusal is counted in the circuit's totals.
            current.reset();
            deliverable = 0;
            return line.profile().frames(codes.size()) + (start - now);
        }
        current = std::move(r.value());
        ++generation;
        deliverable = current->size();
        if (net->observer_) {
            net->observer_->transmission_started(transmission_event{
                t.cable, circuit_name, from_id(), to_id(), t.serial, &*current, t.resend});
            if (net->options_.character_events) schedule_characters(t.cable);
        }
        return current->end() - now;
    }

    void schedule_characters(cable_id id) {
        const auto gen = generation;
        for (std::uint64_t k = 0; k < current->size(); ++k) {
            net->engine_.schedule_at(current->arrival_end(k), [this, gen, k, id] {
                if (gen != generation || k >= deliverable || !current || !net->observer_) return;
                const auto& tx = *current;
                net->observer_->character(
                    character_event{id, circuit_name, from_id(), to_id(), k, tx.sender_start(k),
                                    tx.arrival_end(k), tx.sent[k], tx.on_line[k], tx.delivered[k]});
            });
        }
    }

    void delivered(const transmission& t, const cable& c) override {
        line.advance(net->engine_.now());  // the transmission has left: count it
        auto& st = *net->stations_[from];
        auto copy = st.copies.find(t.cable);
        codes_ptr received;
        std::vector<hop_record> hops;
        transmission_counters counters;
        const bool recording = net->recording_hops();
        if (copy != st.copies.end()) {
            if (recording) hops = copy->second.hops;
            counters = copy->second.counters;
            received = copy->second.codes;
            if (--copy->second.refs == 0) st.copies.erase(copy);
        }
        sim_time arrival = net->engine_.now() + line.config().propagation_delay;
        sim_time start = net->engine_.now();
        if (current) {
            start = current->start;
            arrival = current->arrival_end();
            counters += current->counters;
            received = std::make_shared<const std::vector<code>>(current->printed());
        }
        if (recording) {
            hops.push_back(hop_record{from_id(), to_id(), circuit_name, t.serial, start,
                                      current ? arrival : net->engine_.now(), 1,
                                      current ? current->counters : transmission_counters{}});
        }
        net->engine_.schedule_at(arrival, [net = net, to = to, c, received, hops = std::move(hops),
                                           counters, via = this, serial = t.serial]() mutable {
            net->arrive(to, std::move(c), received, via, serial, std::move(hops), counters);
        });
    }

    void interrupted(const transmission& t, sim_duration) override {
        const sim_time now = net->engine_.now();
        auto cut = line.interrupt(now, "preempted by higher precedence");
        if (cut) {
            deliverable = cut.value().characters_through;
            current =
                std::make_shared<const line_transmission>(std::move(cut.value().transmission));
        }
        if (net->observer_)
            net->observer_->interrupted(
                interruption_event{t.cable, circuit_name, from_id(), to_id(), now, deliverable});
        // The far end still receives the cut transmission's opening, serial and all; the
        // operator there discards the incomplete copy. Its serial is in sequence.
        sim_time arrival = now + line.config().propagation_delay;
        if (current && deliverable > 0) arrival = current->arrival_end(deliverable - 1);
        net->engine_.schedule_at(arrival, [net = net, to = to, via = this, serial = t.serial] {
            net->observe_serial(to, *via, serial);
        });
    }
};

network::network(engine& e, network_options options) : engine_(e), options_(options) {}

network::~network() = default;

expected<std::unique_ptr<network>, network_error> network::build(const scenario& s, engine& e,
                                                                 network_options options) {
    std::unique_ptr<network> net{new network(e, options)};
    std::map<std::string, std::size_t, std::less<>> index;
    for (const auto& spec : s.stations) {
        auto st = std::make_unique<station>();
        st->spec = spec;
        auto own = routing_indicator::parse(spec.routing_indicator);
        if (own && own.value().str() == spec.routing_indicator) st->own_ri = own.value();
        net->station_index_[spec.id] =
            net->stations_.size();  // the last of a name, as file() always took
        st->desk = std::make_unique<relay>(e, spec.id, options.relaying);
        index[spec.id] = net->stations_.size();
        net->stations_.push_back(std::move(st));
    }
    std::uint64_t direction_seed = 0;
    for (const auto& cs : s.circuits) {
        auto a = index.find(cs.a), b = index.find(cs.b);
        if (a == index.end() || b == index.end())
            return network_error{
                fmt::format("circuit '{}' names a station that does not exist", cs.id)};
        for (int d = 0; d < 2; ++d, ++direction_seed) {
            std::size_t from = d == 0 ? a->second : b->second;
            std::size_t to = d == 0 ? b->second : a->second;
            circuit_config cfg;
            cfg.name = fmt::format("{} {}>{}", cs.id, net->stations_[from]->spec.id,
                                   net->stations_[to]->spec.id);
            cfg.profile = cs.profile;
            cfg.propagation_delay = cs.propagation_delay;
            cfg.keep_log = options.circuit_logs;
            if (options.noise && cs.noise) {
                cfg.noise = *cs.noise;
                cfg.noise->seed =
                    cs.noise->seed + static_cast<std::uint64_t>(d);  // each direction its own draw
            }
            if (options.crypto && cs.crypto) {
                auto [send, receive] = key_tape::punch_pair(
                    cs.crypto->key_seed * 2 + static_cast<std::uint64_t>(d), cs.crypto->key_length);
                cfg.crypto =
                    crypto_setup{std::move(send), std::move(receive), 0, 0, resync_params{}};
            }
            auto line = circuit::create(std::move(cfg));
            if (!line)
                return network_error{fmt::format("circuit '{}': {}", cs.id, line.error().message)};
            auto link = std::make_unique<direction_link>(std::move(line.value()));
            link->net = net.get();
            link->from = from;
            link->to = to;
            link->circuit_name = cs.id;
            link->designator = link->line.name();
            auto& st = *net->stations_[from];
            auto designator = link->designator;
            link->checker = &net->stations_[to]
                                 ->incoming.emplace(designator, channel_serial_checker{})
                                 .first->second;
            st.link_of[cs.id] = link.get();
            st.circuit_of[cs.id] = st.desk->add_circuit(designator, std::move(link));
        }
    }
    for (auto& st : net->stations_) {
        for (const auto& r : st->spec.routes) {
            auto c = st->circuit_of.find(r.circuit);
            if (c == st->circuit_of.end())
                return network_error{
                    fmt::format("station '{}' routes over '{}', which does not reach it",
                                st->spec.id, r.circuit)};
            if (r.prefix.empty()) {
                st->desk->routes().set_default(c->second);
            } else if (auto added = st->desk->routes().add(r.prefix, c->second); !added) {
                return network_error{fmt::format("station '{}' route '{}': {}", st->spec.id,
                                                 r.prefix, to_string(added.error()))};
            }
        }
    }
    for (const auto& t : s.traffic)
        net->generators_.push_back(generator{t, std::make_unique<xoshiro256ss>(t.seed), 0});
    return net;
}

namespace {

__extension__ using u128 = unsigned __int128;

/// Letter-to-letter transition table from English word statistics (protocol/cable/garble.hpp), so
/// that synthetic text reads like text to a detector that judges letter pairs (the crypto
/// operator's resynchronisation does).
///
/// next() is the upper bound of r mod (row total) in the row's cumulative counts. For speed (it
/// runs once a character) the remainder is taken by multiplication (Lemire, Kaser, Kurz, "Faster
/// remainder by direct computation", 2019: exact for every 64-bit r and 32-bit divisor) and
/// the upper bound is a count of the cumulative counts not above the pick, which the compiler
/// turns into a few vector compares: the same letters as r % total and std::upper_bound.
struct letter_chain {
    static constexpr std::size_t padded = 32;
    std::array<std::array<std::uint32_t, padded>, 26> cumulative{};  // padded with UINT32_MAX
    std::array<u128, 26> magic{};                                    // ceil(2^128 / row total)
    std::array<code, 26> codes{};
    letter_chain() {
        for (std::size_t a = 0; a < 26; ++a) {
            std::uint32_t total = 0;
            for (std::size_t b = 0; b < 26; ++b) {
                total += static_cast<std::uint32_t>(protocol::letter_pair_count(
                    static_cast<char>('A' + a), static_cast<char>('A' + b)));
                cumulative[a][b] = total;
            }
            for (std::size_t b = 26; b < padded; ++b) cumulative[a][b] = ~std::uint32_t{0};
            magic[a] = ~u128{0} / total + 1;
            codes[a] = protocol::code_for(static_cast<char32_t>('A' + a))->value;
        }
    }
    /// r mod d, for the row's d and magic.
    static std::uint32_t remainder(std::uint64_t r, u128 m, std::uint32_t d) noexcept {
        const u128 low = m * r;  // the fraction r / d, in 128 bits
        const u128 bottom = (static_cast<u128>(static_cast<std::uint64_t>(low)) * d) >> 64;
        const u128 top = (low >> 64) * d;
        return static_cast<std::uint32_t>((bottom + top) >> 64);
    }
    std::size_t next(std::size_t previous, std::uint64_t r) const {
        const auto& row = cumulative[previous];
        const std::uint32_t pick = remainder(r, magic[previous], row[25]);
        std::uint32_t n = 0;
        for (std::size_t b = 0; b < padded; ++b) n += row[b] <= pick ? 1U : 0U;
        return n;
    }
};

}  // namespace

std::vector<code> synthetic_page_copy(xoshiro256ss& rng, std::size_t length) {
    static const letter_chain chain;
    // Word-initial letters by their share in English text, roughly.
    static constexpr std::string_view initials = "TTTTTAAAAOOOSSSIIWWCCBBPPHHFFMMDDRRLLEENNGUVYKJQ";
    std::vector<code> out;
    out.reserve(length);
    if (length == 0) return out;
    out.push_back(protocol::codes::ltrs);
    std::size_t column = 0;
    while (out.size() < length) {
        std::size_t word = 2 + rng.next() % 8;
        if (column + word + 1 > 69) {  // line discipline: CR CR LF before column 70
            for (code c : {protocol::codes::cr, protocol::codes::cr, protocol::codes::lf})
                if (out.size() < length) out.push_back(c);
            column = 0;
            continue;
        }
        if (column > 0 && out.size() < length) {
            out.push_back(protocol::codes::space);
            ++column;
        }
        std::size_t letter = static_cast<std::size_t>(initials[rng.next() % initials.size()] - 'A');
        for (std::size_t i = 0; i < word && out.size() < length; ++i, ++column) {
            out.push_back(chain.codes[letter]);
            letter = chain.next(letter, rng.next());
        }
    }
    return out;
}

void network::start_traffic() {
    for (std::size_t g = 0; g < generators_.size(); ++g) {
        auto& gen = generators_[g];
        auto first = gen.spec.start +
                     seconds_to_duration(gen.rng->exponential(3600.0 / gen.spec.cables_per_hour));
        engine_.schedule_at(std::max(first, engine_.now()), [this, g] { generate(g); });
    }
}

void network::generate(std::size_t g) {
    auto& gen = generators_[g];
    const auto& spec = gen.spec;
    if ((spec.count && gen.made >= *spec.count) || (spec.end && engine_.now() > *spec.end)) return;
    double total = 0;
    for (double m : spec.mix) total += m;
    double u = gen.rng->uniform_open() * total;
    std::size_t level = 0;
    while (level + 1 < spec.mix.size() && u > spec.mix[level]) u -= spec.mix[level++];
    auto span = static_cast<std::uint64_t>(spec.max_chars - spec.min_chars) + 1;
    auto length = spec.min_chars + gen.rng->next() % span;
    filing f;
    f.label = fmt::format("{}-{}", spec.origin, gen.made + 1);
    f.origin = spec.origin;
    f.addressees = spec.addressees;
    f.prec = static_cast<protocol::precedence>(level);
    f.filed = engine_.now();
    f.codes = synthetic_page_copy(*gen.rng, length);
    (void)file(std::move(f));
    ++gen.made;
    auto next =
        engine_.now() + seconds_to_duration(gen.rng->exponential(3600.0 / spec.cables_per_hour));
    engine_.schedule_at(next, [this, g] { generate(g); });
}

std::size_t network::station_count() const noexcept {
    return stations_.size();
}

const relay& network::station_relay(std::string_view id) const {
    for (const auto& st : stations_)
        if (st->spec.id == id) return *st->desk;
    return *stations_.front()->desk;
}

std::vector<std::string> network::circuit_directions() const {
    std::vector<std::string> out;
    for (const auto& st : stations_)
        for (std::size_t c = 0; c < st->desk->circuit_count(); ++c)
            out.push_back(st->desk->designator(static_cast<circuit_id>(c)));
    return out;
}

const circuit* network::direction(std::string_view circuit_id_text, std::string_view from) const {
    for (const auto& st : stations_) {
        if (st->spec.id != from) continue;
        auto l = st->link_of.find(circuit_id_text);
        if (l != st->link_of.end()) return &l->second->line;
    }
    return nullptr;
}

transmission_counters network::line_totals() const {
    transmission_counters total;
    for (const auto& st : stations_)
        for (const auto& [id, link] : st->link_of) total += link->line.totals().counters;
    return total;
}

expected<cable_id, network_error> network::file(filing f) {
    std::optional<std::size_t> origin;
    if (auto at = station_index_.find(f.origin); at != station_index_.end()) origin = at->second;
    if (!origin)
        return network_error{fmt::format("no station '{}' to file '{}' at", f.origin, f.label)};
    if (f.addressees.empty()) return network_error{fmt::format("'{}' has no addressee", f.label)};
    cable c;
    c.id = next_id_++;
    c.prec = f.prec;
    c.filed = f.filed;
    for (const auto& a : f.addressees) {
        auto ri = routing_indicator::parse(a);
        if (!ri)
            return network_error{fmt::format("'{}': '{}' is not a routing indicator", f.label, a)};
        c.ris.push_back(ri.value());
    }
    c.length_chars = static_cast<std::uint32_t>(f.codes.size());
    auto codes = std::make_shared<const std::vector<code>>(std::move(f.codes));
    // The codes as filed are kept until the last copy is delivered, to count the garbles.
    cables_[c.id] =
        cable_info{f.label, f.origin, codes, static_cast<std::uint32_t>(f.addressees.size())};
    ++filed_count_;
    sim_time at = std::max(f.filed, engine_.now());
    engine_.schedule_at(at, [this, o = *origin, c, codes, label = f.label, at]() mutable {
        if (observer_) observer_->filed(c.id, label, stations_[o]->spec.id, at);
        arrive(o, std::move(c), codes, nullptr, 0, {}, {});
    });
    return cables_.find(next_id_ - 1)->first;
}

void network::observe_serial(std::size_t si, const direction_link& via, channel_serial serial) {
    auto finding = via.checker->observe(serial);
    if (finding.verdict != serial_verdict::in_sequence) {
        serial_findings_.emplace_back(via.designator, finding);
        if (observer_) observer_->serial_finding(stations_[si]->spec.id, via.designator, finding);
    }
}

void network::arrive(std::size_t si, cable c, codes_ptr codes, const direction_link* via,
                     channel_serial serial, std::vector<hop_record> hops,
                     transmission_counters counters) {
    auto& st = *stations_[si];
    if (via) observe_serial(si, *via, serial);
    if (observer_) observer_->arrived(c.id, st.spec.id, engine_.now());
    // Addressed here (exactly): delivered. The rest is relayed.
    routing_indicators onward;
    bool local = false;
    for (const auto& ri : c.ris) {
        if (st.own_ri && ri == *st.own_ri)
            local = true;
        else
            onward.push_back(ri);
    }
    if (local) deliver(si, c, codes ? *codes : std::vector<code>{}, hops, counters);
    if (onward.empty()) return;
    c.ris = std::move(onward);
    auto& held = st.copies[c.id];
    held.codes = codes;
    held.hops = std::move(hops);
    held.counters = counters;
    auto queued = st.desk->accept(std::move(c));
    if (queued) held.refs += queued.value();
    if (held.refs == 0 && st.desk->held().empty()) st.copies.erase(c.id);
}

void network::deliver(std::size_t si, const cable& c, const std::vector<code>& codes,
                      std::vector<hop_record> hops, transmission_counters counters) {
    auto info = cables_.find(c.id);
    std::uint64_t garbled = 0;
    if (info != cables_.end() && info->second.sent) {
        const auto& sent = *info->second.sent;
        std::size_t n = std::min(sent.size(), codes.size());
        for (std::size_t i = 0; i < n; ++i) garbled += sent[i] != codes[i];
        garbled += std::max(sent.size(), codes.size()) - n;
    }
    const sim_time now = engine_.now();
    ++delivered_count_;
    ++totals_.cables;
    totals_.characters += codes.size();
    totals_.garbled += garbled;
    totals_.garbled_cables += garbled != 0 ? 1 : 0;
    std::uint64_t h = totals_.checksum;
    for (const code x : codes) h = (h ^ x) * 0x100000001b3ULL;  // FNV-1a
    totals_.checksum = h;
    totals_.counters += counters;
    auto& summary = totals_.by_precedence[static_cast<std::size_t>(c.prec)];
    const sim_duration elapsed = now - c.filed;
    ++summary.delivered;
    summary.met += elapsed <= protocol::handling_objective(c.prec);
    summary.elapsed_seconds += to_seconds(elapsed);
    summary.worst = std::max(summary.worst, elapsed);

    if (options_.keep_deliveries || observer_) {
        delivered_cable d;
        d.id = c.id;
        d.destination = stations_[si]->spec.id;
        d.prec = c.prec;
        d.filed = c.filed;
        d.delivered = now;
        d.hops = std::move(hops);
        d.counters = counters;
        d.garbled = garbled;
        if (info != cables_.end()) {
            d.label = info->second.label;
            d.origin = info->second.origin;
            if (options_.keep_codes && info->second.sent) d.sent = *info->second.sent;
        }
        if (options_.keep_codes) d.received = codes;
        if (observer_) observer_->delivered(d);
        if (options_.keep_deliveries) deliveries_.push_back(std::move(d));
    }
    if (info != cables_.end() && --info->second.open_copies == 0) cables_.erase(info);
}

namespace {
/// "0:00:23.8" (tenths of a second).
std::string elapsed_text(sim_duration d) {
    auto tenths = std::chrono::duration_cast<std::chrono::milliseconds>(d).count() / 100;
    return fmt::format("{}:{:02}:{:02}.{}", tenths / 36000, tenths / 600 % 60, tenths / 10 % 60,
                       tenths % 10);
}
}  // namespace

std::string network::speed_of_service_report() const {
    std::string out =
        fmt::format("{:<14} {:<3} {:<7} {:<6} {:<20} {:<20} {:>12} {:>10}  {}\n", "cable", "P",
                    "from", "to", "filed", "delivered", "elapsed", "objective", "met");
    std::array<std::size_t, protocol::precedence_levels> count{}, met{};
    for (const auto& d : deliveries_) {
        auto objective = protocol::handling_objective(d.prec);
        auto t = [](sim_time x) { return format_sim_time(x).substr(0, 19) + "Z"; };
        out += fmt::format("{:<14} {:<3} {:<7} {:<6} {:<20} {:<20} {:>12} {:>10}  {}\n", d.label,
                           protocol::precedence_letter(d.prec), d.origin, d.destination, t(d.filed),
                           t(d.delivered), elapsed_text(d.elapsed()), elapsed_text(objective),
                           d.met_objective() ? "yes" : "NO");
        ++count[static_cast<std::size_t>(d.prec)];
        met[static_cast<std::size_t>(d.prec)] += d.met_objective();
    }
    for (int level = protocol::precedence_levels - 1; level >= 0; --level) {
        auto i = static_cast<std::size_t>(level);
        if (count[i])
            out += fmt::format("{:<10} {} of {} within {}\n",
                               protocol::precedence_name(static_cast<protocol::precedence>(level)),
                               met[i], count[i],
                               elapsed_text(protocol::handling_objective(
                                   static_cast<protocol::precedence>(level))));
    }
    return out;
}

}  // namespace hakto::sim
