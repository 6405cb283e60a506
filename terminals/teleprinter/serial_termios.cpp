// Only this file sees <asm/termbits.h>: its struct termios and constants clash with <termios.h>.
#include "terminals/teleprinter/serial_termios.hpp"

#include <asm/termbits.h>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace hakto::terminals {

namespace {

serial_error error_from_errno(const std::string& device, std::string_view step) {
    const int e = errno;
    return {std::error_code(e, std::generic_category()),
            fmt::format("teleprinter {}: {}: {}", device, step, std::strerror(e))};
}

}  // namespace

unsigned termios_rate(double baud) noexcept {
    const double r = std::lround(baud);
    return r < 1.0 ? 1u : static_cast<unsigned>(r);
}

termios_flags configured(termios_flags f, const teleprinter_settings& s) noexcept {
    // Raw mode, as cfmakeraw(3) sets it, and no modem-control hang-ups: CLOCAL (a loop interface
    // has no carrier detect), CREAD (the keyboard is read), no RTS/CTS, no HUPCL.
    f.iflag &= ~static_cast<std::uint32_t>(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                                           ICRNL | IXON | IXOFF | IXANY | IUCLC | IMAXBEL | INPCK);
    f.oflag &= ~static_cast<std::uint32_t>(OPOST);
    f.lflag &= ~static_cast<std::uint32_t>(ECHO | ECHONL | ECHOE | ECHOK | ICANON | ISIG | IEXTEN);
    f.cflag &= ~static_cast<std::uint32_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS | HUPCL);
    f.cflag |= CLOCAL | CREAD;
    switch (s.data_bits) {
        case 5:
            f.cflag |= CS5;
            break;
        case 6:
            f.cflag |= CS6;
            break;
        case 7:
            f.cflag |= CS7;
            break;
        default:
            f.cflag |= CS8;
            break;
    }
    // CSTOPB: two stop bits, which a UART sends as 1.5 with 5 data bits (the 16550's rule), so
    // 1.5 and 2 with 5 data bits both ask for CSTOPB and give 1.5 on the wire.
    if (s.stop_bits > 1.0) f.cflag |= CSTOPB;
    if (s.parity != teleprinter_parity::none) {
        f.cflag |= PARENB;
        if (s.parity == teleprinter_parity::odd) f.cflag |= PARODD;
    }
    // VMIN 1, VTIME 0 on a descriptor opened O_NONBLOCK: a read returns what is there, or
    // EAGAIN when nothing is (Asio then waits for readiness). VMIN 0 would make that read
    // return 0, which Asio takes for the end of the file.
    f.vmin = 1;
    f.vtime = 0;
    // The exact rate: BOTHER, the integer in c_ispeed/c_ospeed (input rate = output rate).
    f.cflag &= ~static_cast<std::uint32_t>(CBAUD | (CBAUD << IBSHIFT));
    f.cflag |= BOTHER | (BOTHER << IBSHIFT);
    f.ispeed = termios_rate(s.baud);
    f.ospeed = termios_rate(s.baud);
    return f;
}

serial_state state_of(const termios_flags& f) noexcept {
    serial_state st;
    switch (f.cflag & CSIZE) {
        case CS5:
            st.data_bits = 5;
            break;
        case CS6:
            st.data_bits = 6;
            break;
        case CS7:
            st.data_bits = 7;
            break;
        default:
            st.data_bits = 8;
            break;
    }
    st.two_stop_bits = (f.cflag & CSTOPB) != 0;
    st.parity = (f.cflag & PARENB) == 0   ? teleprinter_parity::none
                : (f.cflag & PARODD) != 0 ? teleprinter_parity::odd
                                          : teleprinter_parity::even;
    st.raw = (f.oflag & OPOST) == 0 && (f.lflag & (ICANON | ECHO | ISIG | IEXTEN)) == 0 &&
             (f.iflag & (IXON | ICRNL | INLCR | IGNCR | ISTRIP)) == 0;
    st.clocal = (f.cflag & CLOCAL) != 0;
    st.cread = (f.cflag & CREAD) != 0;
    st.custom_rate = (f.cflag & CBAUD) == BOTHER;
    st.ispeed = f.ispeed;
    st.ospeed = f.ospeed;
    st.vmin = f.vmin;
    st.vtime = f.vtime;
    return st;
}

expected<termios_flags, serial_error> read_flags(int fd, const std::string& device) {
    struct termios2 t {};
    if (::ioctl(fd, TCGETS2, &t) != 0) return error_from_errno(device, "reading termios2");
    termios_flags f;
    f.iflag = t.c_iflag;
    f.oflag = t.c_oflag;
    f.cflag = t.c_cflag;
    f.lflag = t.c_lflag;
    f.vmin = t.c_cc[VMIN];
    f.vtime = t.c_cc[VTIME];
    f.ispeed = t.c_ispeed;
    f.ospeed = t.c_ospeed;
    return f;
}

expected<void, serial_error> write_flags(int fd, const termios_flags& f,
                                         const std::string& device) {
    struct termios2 t {};
    // The rest of c_cc (and c_line) as they are.
    if (::ioctl(fd, TCGETS2, &t) != 0) return error_from_errno(device, "reading termios2");
    t.c_iflag = f.iflag;
    t.c_oflag = f.oflag;
    t.c_cflag = f.cflag;
    t.c_lflag = f.lflag;
    t.c_cc[VMIN] = f.vmin;
    t.c_cc[VTIME] = f.vtime;
    t.c_ispeed = f.ispeed;
    t.c_ospeed = f.ospeed;
    if (::ioctl(fd, TCSETS2, &t) != 0) return error_from_errno(device, "setting termios2");
    return outcome::success();
}

expected<void, serial_error> apply_settings(int fd, const teleprinter_settings& s,
                                            const std::string& device) {
    auto f = read_flags(fd, device);
    if (!f) return f.error();
    return write_flags(fd, configured(f.value(), s), device);
}

expected<serial_state, serial_error> read_termios(int fd, const std::string& device) {
    auto f = read_flags(fd, device);
    if (!f) return f.error();
    return state_of(f.value());
}

}  // namespace hakto::terminals
