#pragma once
// What every subcommand shares: reading its input, reporting usage errors, and the table of
// subcommands.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/diagnostic.hpp"
#include "protocol/text/expected.hpp"
#include "sim/io/file_reader.hpp"
#include "terminals/cli/cli.hpp"

namespace hakto::terminals {

namespace po = boost::program_options;

/// Reads FILE, or standard input for "-", bounded as every file hakto reads
/// (sim::max_file_bytes).
expected<std::string, sim::file_error> read_input(const std::string& path, cli_io io);

/// What a command sends: the value of --text if given, else the file named by --input (or
/// standard input for "-").
struct input_text {
    std::string text;
    std::string shown;  ///< "<text>", "<stdin>" or the path, for diagnostics
};
expected<input_text, sim::file_error> read_text_or_input(const po::variables_map& vm, cli_io io);

/// The FRUS TEI files to read when the user gave no --frus: the E-13 volume `hakto frus fetch`
/// stored, when a data directory holds it (terminals/frus/frus_volume.hpp), else none. Defined
/// in cmd_frus.cpp; replay, send, exhibit, station and explain take it from here alone.
std::vector<std::string> default_frus_files();
/// The files of --frus FILE... when given, else default_frus_files().
std::vector<std::string> frus_files_option(const po::variables_map& vm);

/// Where each option read from a --config file was given: its name → "FILE:LINE".
using config_origins = std::map<std::string, std::string, std::less<>>;

/// Parses a subcommand's arguments; on error prints "hakto <name>: <reason>" and a hint, and
/// returns nullopt (exit 2). `--help` prints the usage and sets `help_shown`.
/// A subcommand that declares "config" also reads --config FILE: `name = value` lines of its
/// long options, `#` comments; the command line wins. A switch takes true or false (1/0, yes/no,
/// on/off). A bad line is "FILE:LINE: reason" (exit 2); `origins`, when given, gets where each
/// option the file set stands, for the messages that check values later.
std::optional<po::variables_map> parse_arguments(
    std::string_view name, std::string_view synopsis, const po::options_description& options,
    const po::positional_options_description& positional, const std::vector<std::string>& args,
    cli_io io, bool& help_shown, config_origins* origins = nullptr);

/// How an option is named in a message: "--speed" from the command line, "FILE:LINE: speed"
/// from a --config file.
std::string option_place(std::string_view option, const config_origins& origins);

/// A character for a diagnostic: "U+00E9 'é'" (the character itself left out when it does not
/// print: a control, DEL, U+FFFD).
std::string describe_character(char32_t c);

struct hex_error {
    protocol::source_position where;
    std::string reason;
};

/// 5-level codes written as hex: "1B 17 13", "0x1b,0x17"; one or two hex digits a code,
/// separated by spaces, commas or line ends; '#' starts a comment to the end of the line.
expected<std::vector<protocol::code>, hex_error> read_hex_codes(std::string_view text);

struct subcommand {
    std::string_view name;
    std::string_view summary;
    std::function<int(const std::vector<std::string>&, cli_io)> run;
};

int cmd_parse(const std::vector<std::string>& args, cli_io io);
int cmd_encode(const std::vector<std::string>& args, cli_io io);
int cmd_decode(const std::vector<std::string>& args, cli_io io);
int cmd_simulate(const std::vector<std::string>& args, cli_io io);
int cmd_import_frus(const std::vector<std::string>& args, cli_io io);
int cmd_replay(const std::vector<std::string>& args, cli_io io);
int cmd_send(const std::vector<std::string>& args, cli_io io);
int cmd_exhibit(const std::vector<std::string>& args, cli_io io);
int cmd_explain(const std::vector<std::string>& args, cli_io io);
int cmd_audio(const std::vector<std::string>& args, cli_io io);
int cmd_souvenir(const std::vector<std::string>& args, cli_io io);
int cmd_station(const std::vector<std::string>& args, cli_io io);
int cmd_relay(const std::vector<std::string>& args, cli_io io);
int cmd_frus(const std::vector<std::string>& args, cli_io io);

}  // namespace hakto::terminals
