#pragma once
// Date-time groups (DTG) as written on ACP 126/127 traffic: DDHHMM, zone letter, optional month
// and year ("211615Z JUN 72"). Zone letters: Z = UTC; A–M without J = UTC+1…+12; N–Y =
// UTC−1…−12; J = the sender's local time (protocol facts §1.8, RFC 822 military zones).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/text/diagnostic.hpp"
#include "protocol/text/expected.hpp"

namespace hakto::protocol {

struct dtg {
    int day = 1;     ///< 1–31
    int hour = 0;    ///< 0–23
    int minute = 0;  ///< 0–59
    char zone = 'Z';
    std::optional<int> month;  ///< 1–12
    std::optional<int> year;   ///< full year, e.g. 1972
    friend bool operator==(const dtg&, const dtg&) = default;
};

/// Offset of a zone letter from UTC in hours; nullopt for J (local) and non-zone letters.
std::optional<int> zone_offset_hours(char zone);
/// The zone letter for a whole-hour offset in −12…+12 (0 gives Z).
std::optional<char> zone_letter_for_offset(int hours);

/// "JUN" for 6; empty for a value outside 1–12.
std::string_view month_abbreviation(int month);
/// Accepts "JUN", "June", "JUNE", "Jun." (any case); nullopt otherwise.
std::optional<int> month_from_name(std::string_view name);

enum class dtg_error_code { month_or_year_unknown, local_zone, invalid_date };
struct dtg_error {
    dtg_error_code code;
    std::string message;
};

/// The instant the DTG names (needs month, year and a zone other than J).
expected<std::chrono::sys_seconds, dtg_error> to_utc(const dtg& d);
/// The same instant written in another zone, month and year included.
expected<dtg, dtg_error> in_zone(const dtg& d, char zone);
/// The DTG of an instant in a zone.
dtg make_dtg(std::chrono::sys_seconds t, char zone = 'Z');

/// Day of the year, 1 January = 1 (21 June 1972 = 173: 1972 is a leap year).
int ordinal_day(int year, int month, int day);
/// ACP 127 format line 3 filing time JJJHHMM, in UTC ("1731615" for 211615Z JUN 72).
expected<std::string, dtg_error> filing_time(const dtg& d);

/// "211615Z JUN 72" (month and year only when known and asked for).
std::string format_dtg(const dtg& d, bool with_month_year = true);
/// "1972-06-21T16:15:00Z", or nullopt when the instant is not known.
std::optional<std::string> iso8601(const dtg& d);

/// Result of reading a DTG written on a line: the value when one could be read, and what was
/// noticed, with columns counted from `first_column` (the column of text[0] in its line).
struct dtg_reading {
    std::optional<dtg> value;
    bool month_printed = false;
    bool year_printed = false;
    std::size_t length = 0;  ///< characters of `text` the DTG took
    diagnostics notes;
};

/// Reads a DTG at the start of `text`: "211615Z", "211615Z JUN 72", "260517 Z JUN 73",
/// "191810Z JUN 72". Tolerant: a year with stray digits ("772") is read from its last two
/// digits and flagged; impossible fields are errors that name the column.
dtg_reading read_dtg(std::string_view text, std::size_t line, std::size_t first_column);

}  // namespace hakto::protocol
