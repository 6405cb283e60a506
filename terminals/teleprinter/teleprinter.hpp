#pragma once
// A real teleprinter on a serial device (a Model 15 or 28 behind a loop-current interface, an
// ASR-33 on 20 mA; docs/operators-guide.md, "A real teleprinter"): the page copy printed on it,
// paced by the machine, and its keyboard read as cables.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "terminals/teleprinter/teleprinter_settings.hpp"

namespace hakto::terminals {

struct teleprinter_options {
    std::string device;  // "/dev/ttyUSB0" (a symlink is followed at each opening)
    teleprinter_settings settings;
    /// The rate asked of the driver when it is not the machine's: an adapter reprogrammed to run
    /// the line at 45.45 baud when asked for another rate (a CP2102's baud-rate alias, Silicon
    /// Labs AN205). 0: settings.baud. The pacing always follows settings.baud.
    double port_baud = 0;
    protocol::code_set code = protocol::code_set::us_tty;  // baudot mode
    bool usos = false;                                     // baudot mode
    /// ascii: time after CR before the next character, sent as NUL fill characters (ASR-33
    /// practice: the carriage needs about 200 ms to return), at least one.
    std::chrono::milliseconds cr_delay{200};
    std::string answerback;  // sent on WRU; empty = WRU ignored (logged)
    /// Print what is typed (full-duplex wiring, the keyboard and the printer in separate loops,
    /// where the machine does not print its own keyboard). Off for a half-duplex loop, where it
    /// does. A WRU typed is not echoed.
    bool echo = false;
    teleprinter_filing filing = teleprinter_filing::nnnn;
    std::chrono::milliseconds reopen_first{500}, reopen_max{30000};  // backoff, doubling
    /// Bytes held for the machine (bound); past it print() reports full (never drops silently).
    std::size_t max_pending = 1 << 20;
    std::function<void(const std::string&)> log;  // faults, reopenings, WRU, ...
    /// A cable typed on the keyboard: its text without the filing line(s), upper case, lines
    /// ended by '\n'.
    std::function<void(const std::string& text)> on_cable;
};

/// One teleprinter on a serial device: output paced by the machine's character time (and by
/// the device: writes complete before the next), input decoded to text and cables, faults
/// reported and the device reopened with backoff; on reopening, the line it was on is printed
/// again after a repeat mark ("RPT " at the line start, the customary operator's repeat).
///
/// All calls are made on the io_context's thread (or before it runs).
class teleprinter : public std::enable_shared_from_this<teleprinter> {
  public:
    /// Checks the options (a bad rate/combination is an error); does not open the device yet.
    static expected<std::shared_ptr<teleprinter>, std::string> create(boost::asio::io_context& io,
                                                                      teleprinter_options o);
    ~teleprinter();
    teleprinter(const teleprinter&) = delete;
    teleprinter& operator=(const teleprinter&) = delete;

    void start();  // opens (or keeps retrying, logging each failure)
    void stop();   // closes; pending output discarded
    /// Text as it prints on the page copy (UTF-8, '\r' '\n' as the page printer gets them; 'Ø'
    /// prints as zero). Baudot: encoded with the stateful encoder (shifts, USOS) from the code
    /// set; ASCII: upper case, '\n' -> CR LF (a lone '\r' -> CR), CR followed by the delay.
    /// Characters the machine cannot print are replaced (the encoder's lenient policy) and logged.
    /// False (and logged) when max_pending would be passed.
    bool print(std::string_view text);
    /// Raw 5-bit codes exactly as given (baudot mode only), e.g. the codes a line carried.
    /// False (and logged) in ASCII mode or when max_pending would be passed.
    bool print_codes(std::span<const protocol::code> codes);
    std::size_t pending() const;  // bytes not yet written to the device
    bool is_open() const;
    /// Called once when pending() reaches 0 (immediately if it is 0).
    void when_drained(std::function<void()> f);
    const teleprinter_settings& settings() const;

  private:
    struct impl;
    explicit teleprinter(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace hakto::terminals
