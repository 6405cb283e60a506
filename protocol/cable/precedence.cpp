#include "protocol/cable/precedence.hpp"

#include <cctype>

namespace hakto::protocol {

char precedence_letter(precedence p) {
    switch (p) {
        case precedence::routine:
            return 'R';
        case precedence::priority:
            return 'P';
        case precedence::immediate:
            return 'O';
        case precedence::flash:
            return 'Z';
        case precedence::emergency:
            return 'Y';
    }
    return 'R';
}

std::string_view precedence_name(precedence p) {
    switch (p) {
        case precedence::routine:
            return "ROUTINE";
        case precedence::priority:
            return "PRIORITY";
        case precedence::immediate:
            return "IMMEDIATE";
        case precedence::flash:
            return "FLASH";
        case precedence::emergency:
            return "EMERGENCY COMMAND";
    }
    return "ROUTINE";
}

std::optional<precedence> precedence_from_letter(char c) {
    switch (std::toupper(static_cast<unsigned char>(c))) {
        case 'R':
            return precedence::routine;
        case 'P':
            return precedence::priority;
        case 'O':
            return precedence::immediate;
        case 'Z':
            return precedence::flash;
        case 'Y':
            return precedence::emergency;
        default:
            return std::nullopt;
    }
}

std::optional<precedence> precedence_from_string(std::string_view s) {
    if (s.size() == 1) return precedence_from_letter(s[0]);
    auto equals = [&](std::string_view name) {
        if (name.size() != s.size()) return false;
        for (std::size_t i = 0; i < s.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(s[i])) != name[i]) return false;
        return true;
    };
    for (auto p : {precedence::routine, precedence::priority, precedence::immediate,
                   precedence::flash, precedence::emergency})
        if (equals(precedence_name(p))) return p;
    if (equals("EMERGENCY") || equals("ECP")) return precedence::emergency;
    return std::nullopt;
}

std::chrono::seconds handling_objective(precedence p) {
    using namespace std::chrono;
    switch (p) {
        case precedence::emergency:
        case precedence::flash:
            return minutes{10};
        case precedence::immediate:
            return minutes{30};
        case precedence::priority:
            return hours{3};
        case precedence::routine:
            return hours{6};
    }
    return hours{6};
}

bool preempts(precedence incoming, precedence on_line) {
    return incoming >= precedence::flash && incoming > on_line;
}

}  // namespace hakto::protocol
