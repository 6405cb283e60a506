#pragma once
// Message precedence (ACP 121/127; see docs/protocol-facts in the reference material §1.7).
#include <chrono>
#include <optional>
#include <string_view>

namespace hakto::protocol {

/// Ordered from lowest to highest so that `a < b` means "b is handled before a".
enum class precedence : unsigned char {
    routine = 0,    // R
    priority = 1,   // P
    immediate = 2,  // O (from the old "operational immediate")
    flash = 3,      // Z
    emergency = 4,  // Y, EMERGENCY COMMAND PRECEDENCE
};

inline constexpr int precedence_levels = 5;

/// The prosign letter: R, P, O, Z, Y.
char precedence_letter(precedence p);
/// ROUTINE, PRIORITY, IMMEDIATE, FLASH, EMERGENCY COMMAND.
std::string_view precedence_name(precedence p);
/// Parses one prosign letter (upper or lower case); nullopt if it is not one.
std::optional<precedence> precedence_from_letter(char c);
/// Parses a name such as "FLASH" or "immediate", or a single letter.
std::optional<precedence> precedence_from_string(std::string_view s);

/// Handling objective, filing to delivery. ACP 121: FLASH as fast as possible with in-station
/// handling within 10 minutes, IMMEDIATE 30 minutes, PRIORITY 3 hours, ROUTINE 6 hours.
/// EMERGENCY COMMAND has no published figure; it is held to the FLASH objective here.
std::chrono::seconds handling_objective(precedence p);

/// True when traffic of precedence `incoming` interrupts a transmission of `on_line`:
/// FLASH and above interrupt anything strictly lower (ACP 127 FLASH preemption).
bool preempts(precedence incoming, precedence on_line);

}  // namespace hakto::protocol
