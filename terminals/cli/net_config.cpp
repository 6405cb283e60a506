#include "terminals/cli/net_config.hpp"

#include <charconv>

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include "terminals/replay/replay_texts.hpp"

namespace hakto::terminals {

expected<std::pair<std::string, peer_address>, std::string> parse_peer(const std::string& text) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0)
        return fmt::format("--peer '{}': must be ID=HOST:PORT", text);
    auto a = read_host_port(text.substr(eq + 1));
    if (!a) return fmt::format("--peer '{}': {}", text, a.error());
    if (a.value().port == 0) return fmt::format("--peer '{}': the port must not be 0", text);
    return std::pair{text.substr(0, eq), a.value()};
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    const auto a = boost::asio::ip::make_address(host, ec);
    if (ec) return false;
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6())
            .is_loopback();
    return a.is_loopback();
}

std::string open_listen_refusal(const std::string& host, bool has_key, bool insecure) {
    if (has_key || insecure || is_loopback_host(host)) return {};
    return fmt::format(
        "--listen {}: not a loopback address, and no --key-file: any host that reaches the port "
        "could act as a neighbour and read and alter its traffic. Give every station the same "
        "--key-file (mode 0600), or --insecure to listen there unauthenticated anyway",
        host.substr(0, 64));
}

bool dials(const sim::station_spec& self, const sim::station_spec& other) {
    if (self.kind != other.kind) return self.kind == sim::station_kind::terminal;
    return self.id > other.id;
}

expected<void, std::string> apply_scenario(node_config& config, const sim::scenario& s,
                                           const std::map<std::string, peer_address>& addresses) {
    const auto* me = s.find_station(config.id);
    if (!me) {
        std::string ids;
        for (const auto& st : s.stations) ids += (ids.empty() ? "" : ", ") + st.id;
        return fmt::format("scenario '{}' has no station '{}' (its stations: {})", s.name,
                           config.id, ids);
    }
    config.routing_indicator = me->routing_indicator;
    config.role = me->kind == sim::station_kind::relay ? protocol::wire::role::relay
                                                       : protocol::wire::role::station;
    std::map<std::string, std::string> peer_of_circuit;
    for (const auto& c : s.circuits) {
        if (c.a != config.id && c.b != config.id) continue;
        const auto& other_id = c.a == config.id ? c.b : c.a;
        const auto* other = s.find_station(other_id);
        if (!other)
            return fmt::format("circuit '{}' names station '{}', which does not exist", c.id,
                               other_id);
        node_peer p;
        p.id = other_id;
        p.circuit = c;
        p.direction = c.a == config.id ? 0 : 1;
        p.dial = dials(*me, *other);
        if (p.dial) {
            auto a = addresses.find(other_id);
            if (a == addresses.end())
                return fmt::format("{} connects to {} over circuit '{}': give --peer {}=HOST:PORT",
                                   config.id, other_id, c.id, other_id);
            p.host = a->second.host;
            p.port = a->second.port;
        } else if (addresses.count(other_id)) {
            return fmt::format("--peer {}: {} connects to {} over circuit '{}', not the other way",
                               other_id, other_id, config.id, c.id);
        }
        peer_of_circuit[c.id] = other_id;
        config.peers.push_back(std::move(p));
    }
    for (const auto& entry : addresses) {
        const auto& id = entry.first;  // a plain reference: clang 14 cannot capture a binding
        if (!peer_of_circuit.empty() &&
            std::none_of(config.peers.begin(), config.peers.end(),
                         [&](const node_peer& p) { return p.id == id; }))
            return fmt::format("--peer {}: not a neighbour of {} in scenario '{}'", id, config.id,
                               s.name);
    }
    for (const auto& r : me->routes) {
        auto it = peer_of_circuit.find(r.circuit);
        if (it == peer_of_circuit.end())
            return fmt::format("station '{}' routes over '{}', which does not reach it", config.id,
                               r.circuit);
        config.routes.emplace_back(r.prefix, it->second);
    }
    return outcome::success();
}

expected<std::vector<net_cable>, std::string> cables_to_file(const std::string& station,
                                                             const filing_options& o,
                                                             std::vector<std::string>& warnings) {
    // The texts found and encoded as the replay does; only this station's cables are kept.
    replay_options ro;
    ro.scenario = o.scenario;
    ro.cables = o.cables;
    ro.frus_files = o.frus_files;
    ro.crypto = o.crypto;
    ro.code = o.code;
    ro.usos = o.usos;
    std::vector<std::string> all_warnings;
    auto prepared = prepare_cables(ro, all_warnings);
    if (!prepared) return prepared.error().message;
    std::vector<net_cable> out;
    for (const auto& rc : prepared.value().cables) {
        if (rc.spec.origin != station) continue;
        net_cable c;
        c.label = rc.spec.id;
        c.origin = rc.spec.origin;
        c.addressees = rc.spec.addressees;
        c.precedence = static_cast<std::uint8_t>(rc.spec.prec);
        c.filed_ns = rc.spec.filed.time_since_epoch().count();
        c.codes.assign(rc.codes.begin(), rc.codes.end());
        out.push_back(std::move(c));
    }
    for (auto& w : all_warnings)
        for (const auto& c : out)
            if (w.rfind(c.label + ":", 0) == 0) warnings.push_back(w);
    return out;
}

}  // namespace hakto::terminals
