#pragma once
// A cable of the replay as a souvenir: its line codes, its page copy and, when its text is not
// at hand, the caption visitors read (replay_cable::caption), with a title and a line saying
// from where to where and when. Nothing for the operator goes on it.
#include <string>
#include <string_view>

#include "protocol/teletype/teletype_code.hpp"
#include "sim/scenario.hpp"
#include "terminals/replay/replay.hpp"
#include "terminals/souvenir/souvenir.hpp"

namespace hakto::terminals::souvenir {

/// The souvenir of `c`, one of `scn`'s cables, as a line in code `set` (with `usos`) carries it.
souvenir_text souvenir_of(const replay_cable& c, const sim::scenario& scn, protocol::code_set set,
                          bool usos);

/// "souvenir-hakto-12.png": the label in lower case, each run of other characters a '-'.
std::string souvenir_file_name(std::string_view label, format f);

}  // namespace hakto::terminals::souvenir
