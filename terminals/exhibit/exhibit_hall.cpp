#include "terminals/exhibit/exhibit_hall.hpp"

#include <iostream>
#include <vector>

#include "terminals/exhibit/exhibit_viewer.hpp"

namespace hakto::terminals::exhibit {

hall::hall(const exhibit_options& options)
    : files_(options.web_root),
      limits_{options.max_queued_messages, options.max_message_bytes},
      max_viewers_(options.max_viewers),
      log_(options.log) {}

bool hall::has_room() const {
    return present_.size() < max_viewers_ && !closing_;
}

std::optional<std::string> hall::join(viewer_session& v, std::weak_ptr<viewer_session> w) {
    auto s = show_.lock();
    if (!s || closing_) return std::nullopt;
    // The snapshot includes every event so far: none may follow it again in a frame.
    s->flush_frame();
    present_.emplace(&v, std::move(w));
    viewer_count_ = present_.size();
    return s->snapshot();
}

void hall::leave(viewer_session& v) {
    present_.erase(&v);
    viewer_count_ = present_.size();
}

expected<void, control_error> hall::control(std::string_view text, bool from_loopback,
                                            show::answer_fn answer) {
    auto s = show_.lock();
    if (!s) return control_error{control_error::kind_t::not_now, "the exhibit is closing"};
    return s->control(text, from_loopback, std::move(answer));
}

std::optional<souvenir::souvenir_text> hall::souvenir(std::string_view label) const {
    auto s = show_.lock();
    if (!s || closing_) return std::nullopt;
    return s->souvenir(label);
}

std::optional<show_health> hall::health() const {
    auto s = show_.lock();
    if (!s || closing_) return std::nullopt;
    return s->health();
}

void hall::log(const std::string& line) const {
    if (log_)
        log_(line);
    else
        std::cerr << "hakto exhibit: " << line << std::endl;
}

void hall::close_all() {
    closing_ = true;
    std::vector<std::shared_ptr<viewer_session>> all;
    for (auto& [p, w] : present_)
        if (auto v = w.lock()) all.push_back(std::move(v));
    for (auto& v : all) v->close();
}

void hall::send_to_all(std::shared_ptr<const std::string> message) {
    // Held while sending: a viewer dropped on the way leaves only after the loop.
    std::vector<std::shared_ptr<viewer_session>> all;
    all.reserve(present_.size());
    for (auto& [p, w] : present_)
        if (auto v = w.lock()) all.push_back(std::move(v));
    for (auto& v : all) v->send(message);
}

std::size_t hall::backlog() const {
    std::size_t most = 0;
    for (const auto& [p, w] : present_) most = std::max(most, p->queued());
    return most;
}

}  // namespace hakto::terminals::exhibit
