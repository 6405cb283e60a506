#pragma once
// A station's or relay's part of a scenario (or of its flags), as a node_config: its
// neighbours and which of them it dials, its routes, the cables it files.
//
// Who dials whom on a circuit: a terminal station dials a relay; between two stations of the
// same kind, the one whose id sorts later dials the other. So in the June 1972 network WTE10
// and WTE both dial the relay WHR, which listens.
#include <map>
#include <string>
#include <vector>

#include "protocol/text/expected.hpp"
#include "sim/scenario.hpp"
#include "terminals/cli/cli_options.hpp"
#include "terminals/net/node/net_node.hpp"

namespace hakto::terminals {

/// Where a neighbour listens.
using peer_address = host_port;

/// "WHR=127.0.0.1:4000" (the address as read_host_port reads it; port 0 refused).
expected<std::pair<std::string, peer_address>, std::string> parse_peer(const std::string& text);

/// True for an address only this machine reaches: 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z),
/// "localhost". Any other name is not (it could resolve anywhere).
bool is_loopback_host(const std::string& host);

/// "" when a process may listen on `host`: a loopback address, or with a shared key, or with
/// --insecure. Else why it may not, for the refusal to start.
std::string open_listen_refusal(const std::string& host, bool has_key, bool insecure);

/// True when `self` dials `other` on the circuit between them.
bool dials(const sim::station_spec& self, const sim::station_spec& other);

/// Fills `config` (id already set) from the scenario: role, routing indicator, neighbours,
/// routes. `addresses` gives where the neighbours it dials listen.
expected<void, std::string> apply_scenario(node_config& config, const sim::scenario& s,
                                           const std::map<std::string, peer_address>& addresses);

struct filing_options {
    std::string scenario;             ///< name or path, as replay takes it
    std::vector<std::string> cables;  ///< labels; empty: all of this station's
    std::vector<std::string> frus_files;
    bool crypto = true;
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
};

/// The scenario's cables that originate at `station`, with their texts found and encoded as the
/// replay does (bundled documents, FRUS files, a marked line when a text is not supplied).
expected<std::vector<net_cable>, std::string> cables_to_file(const std::string& station,
                                                             const filing_options& o,
                                                             std::vector<std::string>& warnings);

}  // namespace hakto::terminals
