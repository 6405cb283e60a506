#pragma once
// An operator's in-tray for a station process (hakto station --spool DIR): cable texts dropped
// into a directory are filed at run time (net_node::file) and the files moved out of the way.
//
//  * Polled on the node's timer service (every 250 ms by default). Each regular file DIR/*.txt, in
//  name order,
//    at most max_files a poll and max_file_bytes a file (larger: rejected).
//  * The file is read as page copy (protocol::parse_document): the routing line's called station
//    ("WTE DE WTE10") is the addressee, the precedence prosign of the DTG line the precedence
//    (none: R, ROUTINE), the series tag ("HAKTO 13", also from a title line) the label, or else
//    the file's stem. The whole text is wrapped to page copy and encoded as --send does.
//  * Once the journal has the cable on disk the file moves to DIR/filed/. A file that cannot be
//    filed moves to DIR/rejected/, the reason logged and written beside it (NAME.reason).
//  * Never lost, never doubled: a file still in DIR after a crash is read again on restart; a
//    label the journal already has (net_store::filed_here) is not filed again, the file just
//    moves to filed/.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/timers.hpp"
#include "terminals/net/net_timer.hpp"
#include "terminals/net/node/net_node.hpp"

namespace hakto::terminals {

/// A text to file as a cable: wrapped to page copy (69 columns, CR CR LF line ends) and encoded
/// to line codes, as hakto station --send files it.
expected<std::vector<std::uint8_t>, std::string> encode_filing_text(std::string_view text,
                                                                    protocol::code_set code,
                                                                    bool usos);

/// Reads a spooled cable text: addressee, precedence and label as described above; `name` is the
/// file name used in errors (NAME:LINE:COL: reason), `stem` the label when there is no series tag.
expected<net_cable, std::string> read_spooled_cable(std::string_view text, const std::string& name,
                                                    const std::string& stem,
                                                    protocol::code_set code, bool usos);

struct spool_options {
    std::string dir;
    std::chrono::milliseconds interval{250};
    std::size_t max_file_bytes = 64 * 1024;
    std::size_t max_files = 16;  ///< files taken in one poll
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
};

class net_spool : public std::enable_shared_from_this<net_spool> {
  public:
    /// Creates DIR, DIR/filed and DIR/rejected if need be. `timers` (the node's) must outlive
    /// the spool.
    static expected<std::shared_ptr<net_spool>, std::string> open(
        sim::timer_service& timers, net_node& node, spool_options options,
        std::function<void(const std::string&)> log);
    void start();
    void stop();
    [[nodiscard]] std::uint64_t filed() const noexcept { return filed_; }
    [[nodiscard]] std::uint64_t rejected() const noexcept { return rejected_; }

    net_spool(sim::timer_service& timers, net_node& node, spool_options o,
              std::function<void(const std::string&)> log)
        : timer_(timers), node_(node), options_(std::move(o)), log_(std::move(log)) {}

  private:
    void poll();
    void take(const std::string& name);
    void move_to(const std::string& name, const char* sub, const std::string& reason = {});

    scoped_timer timer_;
    net_node& node_;
    spool_options options_;
    std::function<void(const std::string&)> log_;
    std::set<std::string> in_hand_;  ///< handed to the node, waiting for the journal
    bool stopped_ = false;
    std::uint64_t filed_ = 0, rejected_ = 0;
};

}  // namespace hakto::terminals
