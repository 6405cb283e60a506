#pragma once
// The routing line of an ACP 126 radioteletype header: "<called> DE <calling>", where DE is the
// prosign "from" (protocol facts §1.6, §8). The calling station may carry a channel number run
// together ("WTE10"), spaced ("WTE 10") or printed with the slashed zero ("WTE1Ø").
#include <optional>
#include <string>
#include <string_view>

namespace hakto::protocol {

struct routing_line {
    std::string called;                  ///< "WE", "WTE", "VFE" (as printed)
    std::string calling;                 ///< station letters: "WTE"
    std::optional<std::string> channel;  ///< "10"
    bool channel_spaced = false;         ///< printed "WTE 10" rather than "WTE10"
    friend bool operator==(const routing_line&, const routing_line&) = default;
};

/// Reads a routing line; nullopt when the line is not one (no DE between two station groups).
/// The slashed zero Ø and a letter O inside the channel digits are read as the digit 0.
std::optional<routing_line> read_routing_line(std::string_view line);

/// "WE DE WTE10" (digit zero: the teletype code has no Ø).
std::string format_routing_line(const routing_line& r);

/// The calling station with its channel, "WTE10".
std::string calling_station(const routing_line& r);

}  // namespace hakto::protocol
