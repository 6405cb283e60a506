#include "sim/relay.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace hakto::sim {

using protocol::precedence;

// ---------------------------------------------------------------------------------------------
// Channel serials

std::string_view to_string(serial_verdict v) {
    switch (v) {
        case serial_verdict::in_sequence:
            return "in sequence";
        case serial_verdict::gap:
            return "missing";
        case serial_verdict::duplicate:
            return "duplicate";
        case serial_verdict::invalid:
            return "invalid";
    }
    return "?";
}

serial_finding channel_serial_checker::observe(channel_serial s) {
    serial_finding f{serial_verdict::in_sequence, expected_, s, 0};
    if (s == 0 || s > max_channel_serial) {
        f.verdict = serial_verdict::invalid;
        findings_.push_back(f);
        return f;
    }
    constexpr int cycle = max_channel_serial;  // serials run 1..999, 0 is not used
    const int ahead = (static_cast<int>(s) - static_cast<int>(expected_) + cycle) % cycle;
    const int behind = cycle - ahead;  // how far before the expected serial (when ahead != 0)
    if (ahead == 0) {
        expected_ = next_channel_serial(s);
        ++received_;
        ++passed_;
        return f;
    }
    if (ahead >= cycle / 2 + 1 && static_cast<std::uint64_t>(behind) <= passed_) {
        f.verdict = serial_verdict::duplicate;  // passed before: a repeat
    } else {
        f.verdict = serial_verdict::gap;
        f.missing = static_cast<std::uint16_t>(ahead);
        expected_ = next_channel_serial(s);
        ++received_;
        passed_ += static_cast<std::uint64_t>(ahead) + 1;
    }
    findings_.push_back(f);
    return f;
}

// ---------------------------------------------------------------------------------------------
// Statistics and report

std::uint64_t circuit_stats::delivered() const {
    std::uint64_t n = 0;
    for (const auto& p : by_precedence) n += p.delivered;
    return n;
}

std::size_t speed_of_service_report::met() const {
    return static_cast<std::size_t>(
        std::count_if(entries.begin(), entries.end(), [](const auto& e) { return e.met; }));
}

namespace {

/// "1972-06-21T16:15:00Z", with the fraction of a second only when there is one.
std::string report_time(sim_time t) {
    std::string s = format_sim_time(t);  // ...:SS.nnnnnnnnnZ
    s.pop_back();
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    s += 'Z';
    return s;
}

}  // namespace

std::string render(const speed_of_service_report& r) {
    std::string out = fmt::format("SPEED OF SERVICE {}: {} cables, {} within objective\n",
                                  r.station.empty() ? "-" : r.station, r.entries.size(), r.met());
    out += fmt::format("{:>8}  {:4}  {:7}  {:24}  {:24}  {:>12}  {:>9}  {}\n", "CABLE", "PREC",
                       "CIRCUIT", "FILED", "DELIVERED", "ELAPSED", "OBJECTIVE", "MET");
    for (const auto& e : r.entries)
        out += fmt::format("{:>8}  {:4}  {:7}  {:24}  {:24}  {:>12}  {:>9}  {}\n", e.cable,
                           protocol::precedence_letter(e.prec), e.circuit, report_time(e.filed),
                           report_time(e.delivered), format_elapsed(e.elapsed),
                           format_elapsed(e.objective), e.met ? "YES" : "NO");
    out += fmt::format("{:17}  {:>6}  {:>6}  {:>12}  {:>12}  {:>9}\n", "PRECEDENCE", "CABLES",
                       "MET", "MEAN", "WORST", "OBJECTIVE");
    for (const auto& s : r.summary)
        out += fmt::format("{:17}  {:>6}  {:>6}  {:>12}  {:>12}  {:>9}\n",
                           protocol::precedence_name(s.prec), s.cables, s.met,
                           format_elapsed(s.mean_elapsed), format_elapsed(s.worst),
                           format_elapsed(protocol::handling_objective(s.prec)));
    return out;
}

std::string_view to_string(relay_error e) {
    switch (e) {
        case relay_error::no_routing_indicator:
            return "cable without a routing indicator";
        case relay_error::unknown_channel:
            return "no such incoming channel";
    }
    return "relay error";
}

// ---------------------------------------------------------------------------------------------
// Relay

relay::relay(engine& e, std::string station, relay_options options)
    : engine_(e), station_(std::move(station)), options_(options) {
    for (std::size_t in = 0; in < preempts_.size(); ++in)
        for (std::size_t on = 0; on < preempts_.size(); ++on)
            preempts_[in][on] =
                protocol::preempts(static_cast<precedence>(in), static_cast<precedence>(on));
}

relay::~relay() = default;  // the circuits' timers release their handlers

circuit_id relay::add_circuit(std::string designator, std::unique_ptr<circuit_link> link) {
    auto cs = std::make_unique<circuit_state>();
    cs->designator = std::move(designator);
    cs->link = std::move(link);
    const auto cid = static_cast<circuit_id>(circuits_.size());
    circuit_state* state = cs.get();  // stays put: circuits are held by pointer
    cs->done = engine_.make_timer([this, state, cid] { finish(*state, cid); });
    circuits_.push_back(std::move(cs));
    return cid;
}

void relay::grow_jobs() {
    constexpr std::uint32_t n = 1u << job_chunk_bits;
    const auto base = static_cast<std::uint32_t>(job_chunks_.size()) * n;
    job_chunks_.push_back(std::make_unique<job[]>(n));
    for (std::uint32_t k = n; k-- > 0;) {
        job_chunks_.back()[k].next_free = free_jobs_;
        free_jobs_ = base + k;
    }
}

void relay::hold(cable c, std::span<const routing_indicator> unknown) {
    const sim_time now = engine_.now();
    for (const routing_indicator& ri : unknown) unroutable_.push_back({c.id, ri, now});
    c.ris.assign(unknown.begin(), unknown.end());
    held_.push_back(std::move(c));
}

expected<std::uint32_t, relay_error> relay::accept(cable c) {
    if (c.ris.size() == 1) {  // the usual case: one addressee, routed
        const circuit_id route = routes_.lookup(c.ris.front());
        if (route < circuits_.size()) {
            enqueue(route, std::move(c));
            return std::uint32_t{1};
        }
    }
    return accept_split(std::move(c));
}

expected<std::uint32_t, relay_error> relay::accept_split(cable c) {
    if (c.ris.empty()) return relay_error::no_routing_indicator;
    // One copy per circuit, carrying the RIs that circuit serves; the rest is held.
    struct group {
        circuit_id circuit;
        routing_indicators ris;
    };
    std::vector<group> groups;
    routing_indicators unknown;
    for (const routing_indicator& ri : c.ris) {
        const auto route = routes_.route(ri);
        if (!route || *route >= circuits_.size()) {
            unknown.push_back(ri);
            continue;
        }
        auto g = std::find_if(groups.begin(), groups.end(),
                              [&](const group& x) { return x.circuit == *route; });
        if (g == groups.end()) g = groups.insert(groups.end(), group{*route, {}});
        g->ris.push_back(ri);
    }
    for (group& g : groups) {
        cable copy = c;
        copy.ris = std::move(g.ris);
        enqueue(g.circuit, std::move(copy));
    }
    if (!unknown.empty())
        hold(std::move(c), std::span<const routing_indicator>(unknown.data(), unknown.size()));
    return static_cast<std::uint32_t>(groups.size());
}

std::size_t relay::retry_held() {
    std::vector<cable> again;
    again.swap(held_);
    std::size_t routed = 0;
    for (cable& c : again) {
        auto r = accept(std::move(c));
        if (r && r.value() > 0) ++routed;
    }
    return routed;
}

inline void relay::start_next(circuit_state& cs, circuit_id cid) {
    if (cs.on_line == none && !cs.queue.empty()) start(cs, cid, cs.queue.pop().job);
}

void relay::enqueue(circuit_id cid, cable&& c) {
    if (free_jobs_ == none) grow_jobs();
    const std::uint32_t j = free_jobs_;
    job& jb = job_at(j);
    free_jobs_ = jb.next_free;
    jb.c = std::move(c);
    jb.arrived = engine_.now();
    jb.remaining = sim_duration::zero();
    jb.seq = next_seq_++;
    jb.attempts = 0;
    jb.serial = 0;
    jb.resuming = false;
    circuit_state& cs = *circuits_[cid];
    if (cs.on_line == none && cs.queue.empty()) {
        start(cs, cid, j);
        return;
    }
    cs.queue.push(jb.c.prec, {jb.seq, j});
    if (cs.on_line == none) {  // only from a link callback, between two transmissions
        start_next(cs, cid);
        return;
    }
    // ACP 127: FLASH (and EMERGENCY COMMAND) interrupts lower-precedence traffic on the circuit.
    if (preempts_[static_cast<std::size_t>(jb.c.prec)][static_cast<std::size_t>(cs.line_prec)])
        interrupt(cs, cid);
}

// Field by field: building a temporary and copying it stalls on store forwarding.
void relay::describe(transmission& tx, circuit_id cid, const job& jb, sim_time now, bool resend) {
    tx.circuit = cid;
    tx.serial = jb.serial;
    tx.cable = jb.c.id;
    tx.prec = jb.c.prec;
    tx.length_chars = jb.c.length_chars;
    tx.start = now;
    tx.resend = resend;
}

void relay::start(circuit_state& cs, circuit_id cid, std::uint32_t j) {
    job& jb = job_at(j);
    const sim_time now = engine_.now();
    cs.on_line = j;
    cs.line_job = &jb;
    cs.line_prec = jb.c.prec;
    cs.started = now;
    sim_duration d;
    if (jb.resuming) {  // resend_mode::resume: same transmission, same serial
        jb.resuming = false;
        d = jb.remaining;
        describe(cs.tx, cid, jb, now, true);
        cs.link->resumed(cs.tx, d);
    } else {
        if (jb.attempts == 0) jb.first_start = now;
        cs.serial = next_channel_serial(cs.serial);  // ACP 127 FL1: one serial per transmission
        jb.serial = cs.serial;
        describe(cs.tx, cid, jb, now, jb.attempts > 0);
        ++cs.stats.transmissions;
        ++jb.attempts;
        d = cs.link->transmit(cs.tx);
        if (d < sim_duration::zero()) d = sim_duration::zero();
    }
    cs.ends = now + d;
    cs.done.arm_at(cs.ends);
}

void relay::interrupt(circuit_state& cs, circuit_id cid) {
    const std::uint32_t j = cs.on_line;
    job& jb = *cs.line_job;
    const sim_time now = engine_.now();
    cs.done.disarm();
    const sim_duration sent = now - cs.started;
    cs.stats.busy += sent;
    ++cs.stats.preemptions;
    if (options_.interrupted == resend_mode::resume) {
        jb.remaining = cs.ends - now;
        jb.resuming = true;
    }
    // Back to its original place in its level: the queue orders by arrival sequence.
    cs.queue.push(jb.c.prec, {jb.seq, j});
    cs.on_line = none;
    const transmission cut = cs.tx;
    cs.link->interrupted(cut, sent);
    start_next(cs, cid);
}

void relay::finish(circuit_state& cs, circuit_id cid) {
    const std::uint32_t j = cs.on_line;
    job& jb = *cs.line_job;
    const sim_time now = engine_.now();
    cs.stats.busy += now - cs.started;
    precedence_stats& ps = cs.stats.by_precedence[static_cast<std::size_t>(jb.c.prec)];
    ++ps.delivered;
    ps.wait_ns += static_cast<double>((jb.first_start - jb.arrived).count());
    ps.response_ns += static_cast<double>((now - jb.arrived).count());
    if (options_.keep_records)
        records_.push_back(cable_record{jb.c.id, jb.c.prec, cid, jb.serial, jb.attempts, jb.c.filed,
                                        jb.arrived, jb.first_start, now});
    cs.on_line = none;
    const transmission tx = cs.tx;  // the link may start another transmission from its callback
    cs.link->delivered(tx, jb.c);
    jb.c.text.reset();
    jb.next_free = free_jobs_;
    free_jobs_ = j;
    start_next(cs, cid);
}

void relay::add_incoming(std::string designator, channel_serial first_expected) {
    incoming_.push_back({std::move(designator), channel_serial_checker{first_expected}});
}

const channel_serial_checker* relay::incoming(std::string_view channel) const {
    for (const auto& in : incoming_)
        if (in.designator == channel) return &in.checker;
    return nullptr;
}

expected<relay::received, relay_error> relay::receive(std::string_view channel, channel_serial s,
                                                      cable c) {
    auto in = std::find_if(incoming_.begin(), incoming_.end(),
                           [&](const incoming_channel& x) { return x.designator == channel; });
    if (in == incoming_.end()) return relay_error::unknown_channel;
    received r;
    r.serial = in->checker.observe(s);
    auto queued = accept(std::move(c));
    if (!queued) return queued.error();
    r.queued = queued.value();
    return r;
}

std::optional<cable_id> relay::on_line(circuit_id c) const {
    const circuit_state& cs = *circuits_[c];
    if (cs.on_line == none) return std::nullopt;
    return job_at(cs.on_line).c.id;
}

std::vector<cable_id> relay::queue_order(circuit_id c) const {
    std::vector<cable_id> ids;
    for (const auto& it : circuits_[c]->queue.in_order()) ids.push_back(job_at(it.job).c.id);
    return ids;
}

speed_of_service_report relay::speed_of_service() const {
    speed_of_service_report r;
    r.station = station_;
    r.entries.reserve(records_.size());
    struct acc {
        std::size_t n = 0, met = 0;
        double sum_ns = 0;
        sim_duration worst{};
    };
    std::array<acc, protocol::precedence_levels> by{};
    for (const cable_record& rec : records_) {
        speed_of_service_entry e;
        e.cable = rec.cable;
        e.prec = rec.prec;
        e.circuit = circuits_[rec.circuit]->designator;
        e.filed = rec.filed;
        e.delivered = rec.delivered;
        e.elapsed = rec.delivered - rec.filed;
        e.objective = protocol::handling_objective(rec.prec);  // ACP 121 handling objectives
        e.met = e.elapsed <= e.objective;
        acc& a = by[static_cast<std::size_t>(rec.prec)];
        ++a.n;
        a.met += e.met ? 1 : 0;
        a.sum_ns += static_cast<double>(e.elapsed.count());
        a.worst = std::max(a.worst, e.elapsed);
        r.entries.push_back(std::move(e));
    }
    for (std::size_t level = by.size(); level-- > 0;) {
        const acc& a = by[level];
        if (a.n == 0) continue;
        r.summary.push_back(speed_of_service_summary{
            static_cast<precedence>(level), a.n, a.met,
            sim_duration{std::llround(a.sum_ns / static_cast<double>(a.n))}, a.worst});
    }
    return r;
}

}  // namespace hakto::sim
