#pragma once
// The options several subcommands share, each read in one place: --speed (the pacing), an
// address HOST:PORT (--listen, --peer) and --code (the code set).
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/pacing.hpp"

namespace hakto::terminals {

/// --speed as sim::read_speed reads it; the error names the option ("--speed must be …").
expected<sim::pacing, std::string> speed_option(const boost::program_options::variables_map& vm,
                                                std::string_view option = "speed");

struct host_port {
    std::string host;
    std::uint16_t port = 0;
};

/// "127.0.0.1:4000", "[::1]:4000" (the brackets dropped), ":4000" and "4000" (host 127.0.0.1).
/// The error says what was given: "'x:y' is not HOST:PORT (a port from 0 to 65535)".
expected<host_port, std::string> read_host_port(std::string_view text);

/// Declares --code (default ustty) with `help`.
void add_code_option(boost::program_options::options_description& options,
                     const char* help = "code set: ustty (US TTY figures) or ita2");
/// --code as protocol::read_code_set reads it; "--code must be ustty or ita2, not 'X'".
expected<protocol::code_set, std::string> code_option(
    const boost::program_options::variables_map& vm);

}  // namespace hakto::terminals
