#pragma once
// Backchannel message series: HAKTO (from Kissinger), TOHAK (to him), SITTO/TOSIT (from/to the
// White House Situation Room), SECTO/TOSEC (from/to the Secretary of State), each numbered in
// sequence (protocol facts §5). Some carry a second serial: "Hakto 46/226",
// "Tohak 89/WHS 2289".
#include <optional>
#include <string>
#include <string_view>

namespace hakto::protocol {

struct series_tag {
    std::string name;                          ///< upper case: "HAKTO"
    std::optional<int> number;                 ///< 12; nullopt when not printed
    std::optional<std::string> second_serial;  ///< "226", "WHS 2289"
    int digits = 0;  ///< the number's width when printed with leading zeros ("TOHAK 003": 3)
    friend bool operator==(const series_tag&, const series_tag&) = default;
};

/// True for the series names hakto knows.
bool is_series_name(std::string_view word);

/// Reads a tag that fills the whole (trimmed) text: "HAKTO 7", "HAKTO", "Tohak 89/WHS 2289".
std::optional<series_tag> read_series_tag(std::string_view text);

/// Finds a tag anywhere in a line ("FM THE SITUATION ROOM //TOHAK 003//"); nullopt if none.
std::optional<series_tag> find_series_tag(std::string_view line);

/// "HAKTO 12", "HAKTO" when the number is absent or not wanted, "HAKTO 46/226".
std::string format_series_tag(const series_tag& t, bool with_number = true);

/// The series that answers this one (HAKTO ↔ TOHAK, SITTO ↔ TOSIT, SECTO ↔ TOSEC).
std::string reply_series(std::string_view name);

}  // namespace hakto::protocol
