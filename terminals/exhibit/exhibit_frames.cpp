#include "terminals/exhibit/exhibit_frames.hpp"

#include "terminals/exhibit/exhibit_json.hpp"

namespace hakto::terminals::exhibit {

bool frame_builder::add(std::string_view event_json, sim::wall_time now) {
    const bool first = events_.empty();
    if (first)
        since_ = now;
    else
        events_ += ',';
    events_ += event_json;
    return first;
}

std::string frame_builder::take() {
    auto msg = frame_message(++seq_, events_);
    events_.clear();
    return msg;
}

}  // namespace hakto::terminals::exhibit
