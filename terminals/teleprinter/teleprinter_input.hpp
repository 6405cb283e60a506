#pragma once
// What is typed on the teleprinter's keyboard, as text and as cables (pure: no device).
//
// Baudot mode: each byte's five low bits are a code, read with the protocol decoder and its
// shift state (USOS as configured). ASCII mode: 7 bits (the parity bit, if the UART passes it,
// stripped), lower case read as upper case, BS and DEL (RUBOUT) rub out the character before.
//
// Lines: Baudot ends a line with LF (CR only returns the carriage; operators type CR CR LF or
// CR LF); ASCII ends one with CR (an ASR-33's RETURN), an LF straight after it being the same
// line end, or with a lone LF.
//
// Filing (teleprinter_filing): a line that is "NNNN" alone (spaces around it allowed) files the
// cable, the lines before it; with blank_line_nnnn only a "NNNN" line after a blank line files
// it (the blank line is not part of the cable), and any other "NNNN" line is cable text. A cable
// with no text is not filed (reported). The cable is bounded (max_cable bytes): past the bound
// the cable so far is discarded and reported, and what follows up to the next filing line is
// discarded too, so a cable is never filed with its start missing.
//
// WRU (who are you): ITA2 has it at FIGS D; US-TTY has '$' there (protocol facts §2.1, the code
// table, line ~395), but answer-back machines on US-TTY lines used FIGS D as WRU as well, so
// when an answerback is configured FIGS D is WRU in both sets. In ASCII, ENQ (0x05). WRU is not
// part of the cable text.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_decoder.hpp"
#include "terminals/teleprinter/teleprinter_settings.hpp"

namespace hakto::terminals {

struct input_config {
    teleprinter_mode mode = teleprinter_mode::baudot;
    protocol::code_set code = protocol::code_set::us_tty;
    bool usos = false;
    teleprinter_filing filing = teleprinter_filing::nnnn;
    bool answers_wru = false;  // an answerback is configured: FIGS D is WRU in US-TTY too
    std::size_t max_cable = 8192;
};

struct input_event {
    enum class kind {
        wru,    // the machine asked who we are
        cable,  // a cable was filed: `text`
        note,   // something worth logging: `text` says what (WRU ignored, cable discarded...)
    };
    kind what = kind::note;
    std::string text;
    friend bool operator==(const input_event&, const input_event&) = default;
};

class teleprinter_input {
  public:
    explicit teleprinter_input(input_config config);

    /// Bytes as read from the device; what they complete, in order.
    std::vector<input_event> feed(std::span<const std::uint8_t> bytes);
    /// The text of the cable being typed (lines ended by '\n'), and the line in progress.
    [[nodiscard]] const std::string& cable_so_far() const noexcept { return cable_; }
    [[nodiscard]] const std::string& line_so_far() const noexcept { return line_; }
    /// Baudot: the shift the keyboard has left the machine in.
    [[nodiscard]] protocol::shift shift() const noexcept { return decoder_.current_shift(); }
    /// Forgets the cable and line being typed and the shift (after a reopening).
    void reset();

  private:
    void character(char c, std::vector<input_event>& events);
    void end_line(std::vector<input_event>& events);
    void wru(std::vector<input_event>& events);

    input_config config_;
    protocol::teletype_decoder decoder_;
    std::string cable_;
    std::string line_;
    bool last_line_blank_ = false;
    bool discarding_ = false;   // past max_cable: up to the next filing line
    bool last_was_cr_ = false;  // ASCII: CR LF is one line end
};

}  // namespace hakto::terminals
