#pragma once
// A teleprinter's settings applied to a serial device's file descriptor, and read back, with
// Linux termios2: BOTHER sets any integer rate where the driver allows it (the customary
// 45.45, 56.9 and 74.2 baud have no Bnnn constant). The kernel's termios2 speed is an integer,
// so a fractional rate is rounded to the nearest baud the kernel takes: 45.45 -> 45 (1 % slow,
// well within a teleprinter's range finder), 56.9 -> 57, 74.2 -> 74.
//
// <asm/termbits.h> (termios2) clashes with <termios.h>; it is included only in serial_termios.cpp.
#include <cstdint>
#include <string>
#include <system_error>

#include "protocol/text/expected.hpp"
#include "terminals/teleprinter/teleprinter_settings.hpp"

namespace hakto::terminals {

/// The integer rate termios2 is given for `baud` (nearest, at least 1).
unsigned termios_rate(double baud) noexcept;

/// What a device's termios says, in the terms of teleprinter_settings.
struct serial_state {
    int data_bits = 8;           // CS5..CS8
    bool two_stop_bits = false;  // CSTOPB (1.5 stop units with 5 data bits, 2 otherwise)
    teleprinter_parity parity = teleprinter_parity::none;
    bool raw = false;  // no OPOST, no ICANON/ECHO/ISIG/IEXTEN, no IXON/ICRNL/INLCR/IGNCR/ISTRIP
    bool clocal = false;
    bool cread = false;
    bool custom_rate = false;         // BOTHER
    unsigned ispeed = 0, ospeed = 0;  // as termios2 reports them
    unsigned char vmin = 0, vtime = 0;
};

struct serial_error {
    std::error_code code;
    std::string message;  // "teleprinter /dev/ttyUSB0: setting termios2: Input/output error"
};

/// A termios2 in plain integers, so that what the settings make of it can be computed and
/// tested apart from a device.
struct termios_flags {
    std::uint32_t iflag = 0, oflag = 0, cflag = 0, lflag = 0;
    std::uint8_t vmin = 0, vtime = 0;
    std::uint32_t ispeed = 0, ospeed = 0;
};

/// `current` set to `s`: raw mode (no output processing, no line editing, no echo, no signals,
/// no software flow control, no CR/LF translation, no parity checking or stripping), CLOCAL and
/// CREAD, no RTS/CTS and no hang-up on close, VMIN 1 / VTIME 0 (with O_NONBLOCK: reads return
/// what is there or EAGAIN), CS5..CS8, CSTOPB for 1.5 or 2 stop bits, PARENB/PARODD, and the
/// rate with BOTHER in c_ispeed and c_ospeed (termios_rate).
termios_flags configured(termios_flags current, const teleprinter_settings& s) noexcept;
/// What the flags say, in the terms of teleprinter_settings.
serial_state state_of(const termios_flags& f) noexcept;

/// The device's termios2 (TCGETS2), and setting it (TCSETS2). `device` names it in errors.
expected<termios_flags, serial_error> read_flags(int fd, const std::string& device);
expected<void, serial_error> write_flags(int fd, const termios_flags& f, const std::string& device);

/// Sets the device to `s` (read_flags, configured, write_flags).
expected<void, serial_error> apply_settings(int fd, const teleprinter_settings& s,
                                            const std::string& device);

/// What is set on the device now (read_flags, state_of).
expected<serial_state, serial_error> read_termios(int fd, const std::string& device);

}  // namespace hakto::terminals
