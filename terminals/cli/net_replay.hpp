#pragma once
// hakto replay --net: the replay across real processes on 127.0.0.1. Every station of the
// scenario runs as its own `hakto station` or `hakto relay` process (ephemeral ports, journals
// in a temporary folder); the destination's page copy is read from its printer port as it
// prints; the covering memorandum is drafted from the copy that arrived over TCP; and the
// result is set beside the in-process replay's, which must be the same.
#include <string>

#include "sim/pacing.hpp"
#include "terminals/cli/cli.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {

struct net_replay_options {
    replay_options replay;
    std::string scenario_argument = "june1972";   ///< as given to the processes
    sim::pacing speed = sim::pacing::scaled(20);  ///< their --speed
    bool compare = false;                         ///< the memo beside the historical one
    std::string binary;    ///< the hakto executable (default: this one, /proc/self/exe)
    std::string work_dir;  ///< journals and logs (default: a new folder under the temp dir)
};

/// Runs it; returns the exit status (0: delivered and the same as in-process).
int run_net_replay(const net_replay_options& options, cli_io io);

}  // namespace hakto::terminals
