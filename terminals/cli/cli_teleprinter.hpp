#pragma once
// --teleprinter and its settings, the same on hakto replay, hakto station and hakto exhibit
// (docs/hakto.1), read in one place; and the feed that gives a teleprinter what a page printer
// prints (terminals/teleprinter/teleprinter.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/program_options.hpp>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/teletype/teletype_decoder.hpp"
#include "protocol/text/expected.hpp"
#include "terminals/teleprinter/teleprinter.hpp"

namespace hakto::terminals {

/// Declares --teleprinter DEVICE, --teleprinter-mode, --teleprinter-baud,
/// --teleprinter-stop-bits, --teleprinter-data-bits, --teleprinter-parity,
/// --teleprinter-cr-delay, --answerback and --teleprinter-filing. None has a default in the
/// description: the rate and the frame default by mode (teleprinter_settings::defaults).
void add_teleprinter_options(boost::program_options::options_description& options);

/// The teleprinter the options ask for: nullopt without --teleprinter. `code` and `usos` are
/// the command's own (--code, --usos). The error names the option and why ("--teleprinter-baud
/// must be ..."); a setting given without --teleprinter is an error too. Exit 2 for either.
/// log and on_cable are left for the command to set.
expected<std::optional<teleprinter_options>, std::string> teleprinter_from(
    const boost::program_options::variables_map& vm, protocol::code_set code, bool usos);

/// What a page printer prints, as a teleprinter is given it. Baudot mode: the codes exactly as
/// the line delivered them (print_codes). ASCII mode: the codes decoded in their shift state
/// (the code set, USOS) to the page copy's characters, the page copy's CR CR LF line end given
/// as one '\n' (the ASCII machine makes it CR LF and its delay), a CR not followed by LF as a
/// lone CR.
/// A new stream (another cable, or the same one from its first character again: a new run, a
/// copy sent again in full) starts at a new line: a line end goes first when the carriage is not
/// at the line start.
///
/// A machine far behind: when what it has waiting comes within a line of its bound
/// (teleprinter_options::max_pending), the rest of the stream is left out, said once, and the
/// machine prints again from the next stream's first code (its shift state with it), once it has
/// room. With `only_while_open` (the exhibit, whose screens do not wait for a machine that is
/// not there), the same holds while the device is not open: nothing is held for it, and it
/// prints from the next stream after it opens, in step with the screens again.
class teleprinter_feed {
  public:
    struct options {
        protocol::code_set code = protocol::code_set::us_tty;
        bool usos = false;
        std::size_t max_pending = 1 << 20;
        bool only_while_open = false;
        std::function<void(const std::string&)> log;
    };
    teleprinter_feed(teleprinter& machine, options o);
    /// Code number `index` of `cable`, as its page printer got it.
    void printed(std::string_view cable, std::uint64_t index, protocol::code c);

  private:
    void new_line();
    bool has_room() const;

    teleprinter& machine_;
    options options_;
    protocol::teletype_decoder decoder_;
    std::string cable_;
    bool started_ = false;
    bool line_start_ = true;    // the carriage is at the start of a line
    bool cr_held_ = false;      // ASCII: a CR waiting to see whether LF follows
    bool leaving_out_ = false;  // the rest of this stream is left out (the machine is behind)
};

}  // namespace hakto::terminals
