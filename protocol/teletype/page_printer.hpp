#pragma once
// A pure model of a page teleprinter (Model 28 style): the paper as lines of columns, and a
// carriage.
//
// - 72 columns by default (Model 15 and 28 page printers, 10 characters per inch; protocol
//   facts §1.9, §2.4).
// - A character at the right margin prints in the last column and the carriage stays there, so
//   further characters pile up on that column (Model 28 behaviour).
// - CR returns the carriage to column 1 without feeding paper; LF feeds one line without moving
//   the carriage. Characters printed after a CR without LF land on the same line: the later
//   character is what the page shows, and every strike on a cell that already held a character
//   is counted as an overprint (protocol facts §2.6).
// - SP moves the carriage one column without printing. BELL and WRU print nothing and are
//   counted. NUL and the shifts do nothing. An unassigned figure prints U+FFFD, so the reader
//   sees that something arrived there.
#include <cstddef>
#include <string>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"

namespace hakto::protocol {

struct page_printer_options {
    std::size_t columns = 72;   ///< platen width; 0 is taken as 1
    bool slashed_zero = false;  ///< print the digit 0 as Ø, as US teleprinters did (§1.11)
};

class page_printer {
  public:
    explicit page_printer(page_printer_options options = {});

    /// Acts on what the decoder says the printer does.
    void feed(const code_meaning& m);
    /// Prints one character at the carriage (' ' only moves the carriage).
    void print(char32_t c);
    void space();
    void carriage_return() noexcept;
    void line_feed();

    /// The page, one UTF-8 string per line fed so far, trailing blanks removed.
    [[nodiscard]] std::vector<std::string> lines() const;
    /// The lines joined with '\n'.
    [[nodiscard]] std::string text() const;

    /// The column the next character prints in, 1-based.
    [[nodiscard]] std::size_t carriage_column() const noexcept { return carriage_ + 1; }
    /// The line the carriage is on, 1-based.
    [[nodiscard]] std::size_t current_line() const noexcept { return line_ + 1; }
    [[nodiscard]] std::size_t columns() const noexcept { return columns_; }
    /// Strikes on a cell that already held a character.
    [[nodiscard]] std::size_t overprints() const noexcept { return overprints_; }
    [[nodiscard]] std::size_t bells() const noexcept { return bells_; }
    [[nodiscard]] std::size_t answer_back_requests() const noexcept { return wru_; }

  private:
    std::size_t columns_;
    bool slashed_zero_;
    std::vector<std::u32string> page_{std::u32string{}};
    std::size_t line_ = 0;      // 0-based
    std::size_t carriage_ = 0;  // 0-based, always < columns_
    std::size_t overprints_ = 0;
    std::size_t bells_ = 0;
    std::size_t wru_ = 0;
};

/// What one code adds to a page copy kept as text (a transcript, a screen): the printed character
/// as UTF-8 (the digit 0 as Ø with `slashed_zero`), " " for SP, "\r" and "\n" for CR and LF,
/// "\a" for BELL when `bell`; nothing for the shifts, NUL, WRU and an unassigned figure.
std::string page_copy_text(const code_meaning& m, bool slashed_zero, bool bell = false);

}  // namespace hakto::protocol
