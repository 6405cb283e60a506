#include "terminals/teleprinter/teleprinter.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "terminals/teleprinter/serial_termios.hpp"
#include "terminals/teleprinter/teleprinter_input.hpp"
#include "terminals/teleprinter/teleprinter_output.hpp"

namespace hakto::terminals {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

namespace {

// One write is at most this much of the machine's time, so the program is never more than that
// ahead of the machine (besides the UART's own FIFO): one character at a time at teleprinter
// rates, a few hundred at 115200 baud.
constexpr double chunk_seconds = 0.02;
// Substitutions listed in one log line; the rest are counted.
constexpr std::size_t listed_substitutions = 5;

std::string seconds_text(std::chrono::milliseconds ms) {
    return fmt::format("{:g} s", static_cast<double>(ms.count()) / 1000.0);
}

}  // namespace

struct teleprinter::impl {
    impl(asio::io_context& io, teleprinter_options o)
        : options(std::move(o)),
          oconfig{options.settings, options.code, options.usos, options.cr_delay},
          output(oconfig),
          line(oconfig),
          input({options.settings.mode, options.code, options.usos, options.filing,
                 !options.answerback.empty(), 8192}),
          port(io),
          pace(io),
          reopen_timer(io),
          character_time(std::chrono::duration_cast<clock::duration>(
              std::chrono::duration<double>(options.settings.character_seconds()))),
          chunk_max(std::max<std::size_t>(
              1, static_cast<std::size_t>(chunk_seconds / options.settings.character_seconds()))),
          backoff(options.reopen_first) {}

    teleprinter* owner = nullptr;
    teleprinter_options options;
    output_config oconfig;
    teleprinter_output output;
    printed_line line;
    teleprinter_input input;
    asio::serial_port port;
    asio::steady_timer pace;
    asio::steady_timer reopen_timer;
    clock::duration character_time;
    std::size_t chunk_max;
    std::chrono::milliseconds backoff;

    byte_string queue;           // bytes not yet written; the front is being written
    std::size_t unrecorded = 0;  // bytes at the front that are a repeat mark (not the page)
    byte_string inflight;
    bool started = false;
    bool open = false;
    bool writing = false;
    bool pacing = false;
    bool faulted = false;     // the device failed since the last opening: repeat on reopening
    unsigned generation = 0;  // handlers of an earlier opening see a different one and return
    clock::time_point machine_free{};  // when the machine has printed what was written
    std::vector<std::function<void()>> drained;
    std::array<std::uint8_t, 256> read_buffer{};

    void log(const std::string& s) const {
        if (options.log) options.log(s);
    }
    std::string prefix() const { return fmt::format("teleprinter {}", options.device); }

    void try_open();
    void fault(std::string_view step, const std::string& reason);
    void close_port();
    void pump();
    void start_read();
    void maybe_drained();
    bool enqueue(byte_string bytes, std::string_view what);
    void log_substitutions(const std::vector<std::string>& subs) const;
    void echo(std::uint8_t typed);
};

void teleprinter::impl::try_open() {
    if (!started) return;
    const int fd = ::open(options.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        fault("opening", std::strerror(errno));
        return;
    }
    // Exclusive: a second opening of the device gets EBUSY (TIOCEXCL), and a program that locks
    // it (flock, as picocom does) makes ours refuse it as busy.
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        ::close(fd);
        fault("opening", e == EWOULDBLOCK ? "busy (locked by another program)" : std::strerror(e));
        return;
    }
    if (::ioctl(fd, TIOCEXCL) != 0) {
        const int e = errno;
        ::close(fd);
        fault("opening", e == ENOTTY ? "not a serial device (Inappropriate ioctl for device)"
                                     : std::strerror(e));
        return;
    }
    auto port_settings = options.settings;
    if (options.port_baud > 0) port_settings.baud = options.port_baud;
    if (auto r = apply_settings(fd, port_settings, options.device); !r) {
        ::close(fd);
        fault("setting the port", std::strerror(r.error().code.value()));
        return;
    }
    // A driver that cannot take the rate or the frame keeps what it had, or writes back what it
    // set, and TCSETS2 still succeeds: read it back and say so (the device stays in use).
    if (auto st = read_termios(fd, options.device); st) {
        const auto& got = st.value();
        const auto asked = termios_rate(port_settings.baud);
        if (got.ospeed != asked)
            log(
                fmt::format("{}: the driver set {} baud, not {}: this adapter cannot take the "
                            "rate",
                            prefix(), got.ospeed, asked));
        if (got.data_bits != port_settings.data_bits)
            log(fmt::format("{}: the driver set {} data bits, not {}", prefix(), got.data_bits,
                            port_settings.data_bits));
    }
    ::tcflush(fd, TCIFLUSH);  // what was typed while the device was closed is stale
    boost::system::error_code ec;
    port.assign(fd, ec);
    if (ec) {
        ::close(fd);
        fault("opening", ec.message());
        return;
    }
    open = true;
    backoff = options.reopen_first;
    machine_free = clock::now();
    log(fmt::format("{}: open, {} (termios2 rate {})", prefix(), options.settings.describe(),
                    termios_rate(port_settings.baud)));
    if (faulted) {
        faulted = false;
        input.reset();
        // The line it was on is printed again after the repeat mark; the lines before it are not.
        auto r = line.take_repeat(output);
        byte_string front;
        if (!r.line.empty()) {
            front = r.mark + r.line;
            log(fmt::format("{}: repeating the line it was on ({} bytes)", prefix(),
                            r.line.size()));
        } else if (options.settings.mode == teleprinter_mode::baudot) {
            // A machine that was powered off is in LETTERS; tell it the case the rest assumes.
            r.mark.push_back(line.current_shift() == protocol::shift::figures
                                 ? protocol::codes::figs
                                 : protocol::codes::ltrs);
            front = r.mark;
        }
        queue.insert(0, front);
        unrecorded = r.mark.size();
    }
    start_read();
    pump();
}

void teleprinter::impl::fault(std::string_view step, const std::string& reason) {
    // Only a device that was open has a line and a shift to restore; one that never opened
    // gets the output from its start, as it is.
    if (open) faulted = true;
    close_port();
    if (!started) return;
    // A repeat mark not yet written is dropped: the next opening sends a whole one.
    queue.erase(0, unrecorded);
    unrecorded = 0;
    log(fmt::format("{}: {}: {}; reopening in {}", prefix(), step, reason, seconds_text(backoff)));
    reopen_timer.expires_after(backoff);
    backoff = std::min(backoff * 2, options.reopen_max);
    reopen_timer.async_wait([self = owner->shared_from_this(), this](boost::system::error_code ec) {
        if (!ec) try_open();
    });
}

void teleprinter::impl::close_port() {
    ++generation;
    boost::system::error_code ignored;
    if (port.is_open()) port.close(ignored);
    pace.cancel();
    open = false;
    writing = false;
    pacing = false;
}

void teleprinter::impl::pump() {
    if (!open || writing || pacing) return;
    if (queue.empty()) {
        maybe_drained();
        return;
    }
    const std::size_t n = std::min(queue.size(), chunk_max);
    inflight.assign(queue, 0, n);
    writing = true;
    const auto issued = clock::now();
    asio::async_write(port, asio::buffer(inflight.data(), inflight.size()),
                      [self = owner->shared_from_this(), this, gen = generation, issued](
                          boost::system::error_code ec, std::size_t written) {
                          if (gen != generation) return;
                          writing = false;
                          const std::size_t marks = std::min(written, unrecorded);
                          unrecorded -= marks;
                          line.written(std::span(queue.data() + marks, written - marks));
                          queue.erase(0, written);
                          if (ec) {
                              fault("writing", ec.message());
                              return;
                          }
                          // The machine prints `written` characters from when they reached the
                          // device, or from when it finished the ones before, whichever is later.
                          machine_free =
                              std::max(machine_free, issued) +
                              character_time * static_cast<clock::duration::rep>(written);
                          pacing = true;
                          pace.expires_at(machine_free);
                          pace.async_wait([self, this, gen](boost::system::error_code wec) {
                              if (gen != generation || wec) return;
                              pacing = false;
                              pump();
                          });
                      });
}

void teleprinter::impl::start_read() {
    port.async_read_some(
        asio::buffer(read_buffer), [self = owner->shared_from_this(), this, gen = generation](
                                       boost::system::error_code ec, std::size_t n) {
            if (gen != generation) return;
            if (ec) {
                fault("reading",
                      ec == asio::error::eof ? std::string("the device closed") : ec.message());
                return;
            }
            for (std::size_t k = 0; k < n; ++k) {
                const auto events = input.feed(std::span(read_buffer.data() + k, 1));
                bool wru = false;
                for (const auto& e : events) {
                    switch (e.what) {
                        case input_event::kind::wru:
                            wru = true;
                            log(fmt::format("{}: WRU; answering {}", prefix(), options.answerback));
                            owner->print(options.answerback);
                            break;
                        case input_event::kind::cable:
                            log(fmt::format("{}: cable typed ({} bytes)", prefix(), e.text.size()));
                            if (options.on_cable) options.on_cable(e.text);
                            break;
                        case input_event::kind::note:
                            log(fmt::format("{}: {}", prefix(), e.text));
                            break;
                    }
                    if (gen != generation) return;  // on_cable stopped it
                }
                // The WRU itself is not echoed: it would start the machine's own answer-back.
                if (options.echo && !wru) echo(read_buffer[k]);
            }
            start_read();
        });
}

void teleprinter::impl::echo(std::uint8_t typed) {
    if (options.settings.mode == teleprinter_mode::baudot) {
        // As typed: the machine's shift is now what the keyboard left it in, and the next text
        // printed begins with a shift of its own (teleprinter_output::codes).
        const protocol::code c = typed & protocol::codes::mask;
        // Nor a D in figures: WRU in ITA2, and on an answer-back machine in US-TTY too.
        if (c == 0x09 && input.shift() == protocol::shift::figures) return;
        enqueue(output.codes(std::span(&c, 1)), "echo");
        return;
    }
    auto a = static_cast<std::uint8_t>(typed & 0x7F);
    if (a == 0x05) return;                // ENQ: not echoed, as WRU above
    if (a >= 'a' && a <= 'z') a -= 0x20;  // upper case, as the page copy
    byte_string bytes{a};
    if (a == 0x0D) bytes.append(output.cr_fill(), 0x00);
    enqueue(std::move(bytes), "echo");
}

void teleprinter::impl::maybe_drained() {
    if (!queue.empty() || writing || pacing || drained.empty()) return;
    auto callbacks = std::move(drained);
    drained.clear();
    for (auto& f : callbacks) f();
}

bool teleprinter::impl::enqueue(byte_string bytes, std::string_view what) {
    if (queue.size() + bytes.size() > options.max_pending) {
        log(fmt::format("{}: output full ({} bytes pending, at most {}): {} not printed", prefix(),
                        queue.size(), options.max_pending, what));
        return false;
    }
    queue += bytes;
    pump();
    return true;
}

void teleprinter::impl::log_substitutions(const std::vector<std::string>& subs) const {
    if (subs.empty()) return;
    std::string list;
    for (std::size_t i = 0; i < subs.size() && i < listed_substitutions; ++i)
        list += (i ? ", " : "") + subs[i];
    if (subs.size() > listed_substitutions)
        list += fmt::format(" and {} more", subs.size() - listed_substitutions);
    log(fmt::format("{}: {} characters printed as substitutes: {}", prefix(), subs.size(), list));
}

expected<std::shared_ptr<teleprinter>, std::string> teleprinter::create(asio::io_context& io,
                                                                        teleprinter_options o) {
    if (o.device.empty()) return std::string("teleprinter: no device given");
    const auto where = fmt::format("teleprinter {}", o.device);
    if (auto v = o.settings.validate(); !v) return fmt::format("{}: {}", where, v.error());
    if (o.cr_delay.count() < 0)
        return fmt::format("{}: carriage-return delay {} ms: must not be negative", where,
                           o.cr_delay.count());
    if (o.reopen_first.count() <= 0 || o.reopen_max < o.reopen_first)
        return fmt::format("{}: reopening backoff {} ms .. {} ms: must be above 0 and rising",
                           where, o.reopen_first.count(), o.reopen_max.count());
    if (o.max_pending == 0) return fmt::format("{}: the output bound must be above 0", where);
    if (o.port_baud < 0 || o.port_baud > 115200)
        return fmt::format("{}: port rate {} baud: must be above 0 and at most 115200", where,
                           o.port_baud);
    auto p =
        std::shared_ptr<teleprinter>(new teleprinter(std::make_unique<impl>(io, std::move(o))));
    p->impl_->owner = p.get();
    return p;
}

teleprinter::teleprinter(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

teleprinter::~teleprinter() = default;

void teleprinter::start() {
    if (impl_->started) return;
    impl_->started = true;
    impl_->backoff = impl_->options.reopen_first;
    impl_->try_open();
}

void teleprinter::stop() {
    auto& i = *impl_;
    i.started = false;
    i.reopen_timer.cancel();
    i.close_port();
    i.queue.clear();
    i.unrecorded = 0;
    i.maybe_drained();
}

bool teleprinter::print(std::string_view text) {
    auto& i = *impl_;
    auto saved = i.output;
    auto out = i.output.text(text);
    if (!i.enqueue(std::move(out.bytes), "text")) {
        i.output = std::move(saved);  // the shift state stays as the machine has it
        return false;
    }
    i.log_substitutions(out.substitutions);
    return true;
}

bool teleprinter::print_codes(std::span<const protocol::code> codes) {
    auto& i = *impl_;
    if (i.options.settings.mode != teleprinter_mode::baudot) {
        i.log(fmt::format("{}: 5-bit codes cannot be printed in ASCII mode", i.prefix()));
        return false;
    }
    auto saved = i.output;
    if (!i.enqueue(i.output.codes(codes), "codes")) {
        i.output = std::move(saved);
        return false;
    }
    return true;
}

std::size_t teleprinter::pending() const {
    return impl_->queue.size();
}

bool teleprinter::is_open() const {
    return impl_->open;
}

void teleprinter::when_drained(std::function<void()> f) {
    auto& i = *impl_;
    if (i.queue.empty() && !i.writing && !i.pacing) {
        f();
        return;
    }
    i.drained.push_back(std::move(f));
}

const teleprinter_settings& teleprinter::settings() const {
    return impl_->options.settings;
}

}  // namespace hakto::terminals
