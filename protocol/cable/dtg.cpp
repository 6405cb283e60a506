#include "protocol/cable/dtg.hpp"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "protocol/text/text_util.hpp"

namespace hakto::protocol {
namespace {

constexpr std::array<std::string_view, 12> month_abbrevs = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 12> month_names = {
    "JANUARY", "FEBRUARY", "MARCH",     "APRIL",   "MAY",      "JUNE",
    "JULY",    "AUGUST",   "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"};

int two_digits(std::string_view s, std::size_t at) {
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

/// Two-digit years of the period: 50–99 → 19xx, 00–49 → 20xx.
int expand_year(int yy) {
    return yy >= 50 ? 1900 + yy : 2000 + yy;
}

int days_in_month(int year, int month) {
    using namespace std::chrono;
    return static_cast<int>(static_cast<unsigned>(year_month_day_last{
        std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} / last}
                                                      .day()));
}

}  // namespace

std::optional<int> zone_offset_hours(char zone) {
    char z = static_cast<char>(std::toupper(static_cast<unsigned char>(zone)));
    if (z == 'Z') return 0;
    if (z >= 'A' && z <= 'I') return z - 'A' + 1;     // A=+1 … I=+9
    if (z >= 'K' && z <= 'M') return z - 'K' + 10;    // K=+10, L=+11, M=+12 (J is skipped)
    if (z >= 'N' && z <= 'Y') return -(z - 'N' + 1);  // N=−1 … Y=−12
    return std::nullopt;                              // J (local) or not a zone letter
}

std::optional<char> zone_letter_for_offset(int hours) {
    if (hours == 0) return 'Z';
    if (hours >= 1 && hours <= 9) return static_cast<char>('A' + hours - 1);
    if (hours >= 10 && hours <= 12) return static_cast<char>('K' + hours - 10);
    if (hours <= -1 && hours >= -12) return static_cast<char>('N' - hours - 1);
    return std::nullopt;
}

std::string_view month_abbreviation(int month) {
    if (month < 1 || month > 12) return {};
    return month_abbrevs[static_cast<std::size_t>(month - 1)];
}

std::optional<int> month_from_name(std::string_view name) {
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    auto u = to_upper_ascii(name);
    for (std::size_t i = 0; i < 12; ++i)
        if (u == month_abbrevs[i] || u == month_names[i]) return static_cast<int>(i + 1);
    if (u == "SEPT") return 9;
    return std::nullopt;
}

expected<std::chrono::sys_seconds, dtg_error> to_utc(const dtg& d) {
    using namespace std::chrono;
    if (!d.month || !d.year)
        return dtg_error{dtg_error_code::month_or_year_unknown,
                         "the DTG gives no month or year, so its instant is not known"};
    auto offset = zone_offset_hours(d.zone);
    if (!offset)
        return dtg_error{dtg_error_code::local_zone,
                         fmt::format("zone '{}' is not a fixed offset from UTC", d.zone)};
    year_month_day ymd{year{*d.year}, month{static_cast<unsigned>(*d.month)},
                       std::chrono::day{static_cast<unsigned>(d.day)}};
    if (!ymd.ok() || d.hour < 0 || d.hour > 23 || d.minute < 0 || d.minute > 59)
        return dtg_error{dtg_error_code::invalid_date,
                         fmt::format("{} is not a date and time", format_dtg(d))};
    return sys_seconds{sys_days{ymd}} + hours{d.hour} + minutes{d.minute} - hours{*offset};
}

dtg make_dtg(std::chrono::sys_seconds t, char zone) {
    using namespace std::chrono;
    auto offset = zone_offset_hours(zone).value_or(0);
    auto local = t + hours{offset};
    auto day_point = floor<days>(local);
    year_month_day ymd{day_point};
    hh_mm_ss hms{floor<minutes>(local - day_point)};
    dtg d;
    d.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    d.hour = static_cast<int>(hms.hours().count());
    d.minute = static_cast<int>(hms.minutes().count());
    d.zone = zone_offset_hours(zone)
                 ? static_cast<char>(std::toupper(static_cast<unsigned char>(zone)))
                 : 'Z';
    d.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    d.year = static_cast<int>(ymd.year());
    return d;
}

expected<dtg, dtg_error> in_zone(const dtg& d, char zone) {
    if (!zone_offset_hours(zone))
        return dtg_error{dtg_error_code::local_zone,
                         fmt::format("zone '{}' is not a fixed offset from UTC", zone)};
    auto t = to_utc(d);
    if (!t) return t.error();
    return make_dtg(t.value(), zone);
}

int ordinal_day(int year, int month, int day) {
    using namespace std::chrono;
    year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                       std::chrono::day{static_cast<unsigned>(day)}};
    sys_days first{std::chrono::year{year} / January / 1};
    return static_cast<int>((sys_days{ymd} - first).count()) + 1;
}

expected<std::string, dtg_error> filing_time(const dtg& d) {
    auto z = in_zone(d, 'Z');
    if (!z) return z.error();
    const auto& u = z.value();
    return fmt::format("{:03}{:02}{:02}", ordinal_day(*u.year, *u.month, u.day), u.hour, u.minute);
}

std::string format_dtg(const dtg& d, bool with_month_year) {
    auto s = fmt::format("{:02}{:02}{:02}{}", d.day, d.hour, d.minute, d.zone);
    if (with_month_year && d.month) {
        s += ' ';
        s += month_abbreviation(*d.month);
        // Two digits, as a DTG writes the year; four where two would read back as another
        // century (the reader takes 50–99 as 19xx, 00–49 as 20xx).
        if (d.year) {
            if (*d.year >= 1950 && *d.year <= 2049)
                s += fmt::format(" {:02}", *d.year % 100);
            else
                s += fmt::format(" {:04}", *d.year);
        }
    }
    return s;
}

std::optional<std::string> iso8601(const dtg& d) {
    auto t = to_utc(d);
    if (!t) return std::nullopt;
    auto z = make_dtg(t.value(), 'Z');
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:00Z", *z.year, *z.month, z.day, z.hour,
                       z.minute);
}

dtg_reading read_dtg(std::string_view text, std::size_t line, std::size_t first_column) {
    dtg_reading r;
    auto col = [&](std::size_t i) { return source_position{line, first_column + i}; };
    auto note = [&](std::size_t i, severity s, std::string code, std::string msg) {
        r.notes.push_back(diagnostic{col(i), s, std::move(code), std::move(msg)});
    };
    std::size_t i = 0;
    while (i < text.size() && i < 6 && is_digit(text[i])) ++i;
    if (i != 6) return r;  // not a DTG: six digits are the minimum
    std::size_t p = 6;
    // "260517 Z JUN 73": a space before the zone letter is a common keying variant.
    if (p + 1 < text.size() && text[p] == ' ' && is_alpha(text[p + 1]) &&
        (p + 2 >= text.size() || !is_alpha(text[p + 2])))
        ++p;
    if (p >= text.size() || !is_alpha(text[p])) return r;
    if (p + 1 < text.size() && is_alpha(text[p + 1])) return r;  // a word, not a zone letter
    dtg d;
    d.day = two_digits(text, 0);
    d.hour = two_digits(text, 2);
    d.minute = two_digits(text, 4);
    d.zone = static_cast<char>(std::toupper(static_cast<unsigned char>(text[p])));
    if (p != 6)
        note(6, severity::note, "dtg-spaced-zone",
             "a space stands between the time and the zone letter");
    if (!zone_offset_hours(d.zone) && d.zone != 'J')
        note(p, severity::error, "dtg-zone", fmt::format("'{}' is not a zone letter", d.zone));
    bool bad = false;
    if (d.day < 1 || d.day > 31) {
        note(0, severity::error, "dtg-day",
             fmt::format("day {:02} is not a day of a month", d.day));
        bad = true;
    }
    if (d.hour > 23) {
        note(2, severity::error, "dtg-hour",
             fmt::format("hour {:02} is not an hour of a day", d.hour));
        bad = true;
    }
    if (d.minute > 59) {
        note(4, severity::error, "dtg-minute",
             fmt::format("minute {:02} is not a minute of an hour", d.minute));
        bad = true;
    }
    std::size_t end = p + 1;
    // Optional month and year: " JUN 72".
    std::size_t q = end;
    while (q < text.size() && text[q] == ' ') ++q;
    std::size_t m0 = q;
    while (q < text.size() && is_alpha(text[q])) ++q;
    if (q - m0 == 3) {
        auto month = month_from_name(text.substr(m0, 3));
        if (month) {
            d.month = month;
            r.month_printed = true;
        } else {
            note(m0, severity::error, "dtg-month",
                 fmt::format("'{}' is not a month", text.substr(m0, 3)));
            bad = true;
        }
        end = q;
        std::size_t y = q;
        while (y < text.size() && text[y] == ' ') ++y;
        std::size_t y0 = y;
        while (y < text.size() && is_digit(text[y])) ++y;
        std::size_t ylen = y - y0;
        if (ylen == 2) {
            d.year = expand_year(two_digits(text, y0));
            r.year_printed = true;
            end = y;
        } else if (ylen == 4) {
            d.year = std::stoi(std::string{text.substr(y0, 4)});
            r.year_printed = true;
            end = y;
        } else if (ylen > 0) {
            // A stray repeated digit, as in "JUN 772": an operator reads the last two digits.
            d.year = expand_year(two_digits(text, y - 2));
            r.year_printed = true;
            note(y0, severity::warning, "dtg-year-garbled",
                 fmt::format("year '{}' is garbled; read as '{}'", text.substr(y0, ylen),
                             text.substr(y - 2, 2)));
            end = y;
        }
    }
    if (!bad && d.month && d.year && d.day > days_in_month(*d.year, *d.month)) {
        note(0, severity::error, "dtg-day",
             fmt::format("{} {} has no day {}", month_abbreviation(*d.month), *d.year, d.day));
        bad = true;
    }
    r.length = end;
    if (!bad) r.value = d;
    return r;
}

}  // namespace hakto::protocol
