#pragma once
// The `hakto` command line: one program, subcommands, Boost.Program_options. Data goes to
// `out`, diagnostics to `err`. Exit 0 on success, 1 on bad input, 2 on a usage error.
#include <iosfwd>
#include <string>
#include <vector>

namespace hakto::terminals {

inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 1;
inline constexpr int exit_usage = 2;

struct cli_io {
    std::istream& in;
    std::ostream& out;
    std::ostream& err;
};

/// Runs `hakto <args…>` (args without the program name).
int run_cli(const std::vector<std::string>& args, cli_io io);

}  // namespace hakto::terminals
