#pragma once
// The hall: the screens watching the show, as the sessions share it (the shared state of
// Beast's multi-user chat example). It holds the viewer sessions present, lets a new one in
// while there is room (max_viewers), fans each of the show's messages out to every screen's
// queue, passes the screens' controls to the show, keeps the counts exhibit_server::stats()
// reports, and logs a viewer dropped and why.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "terminals/exhibit/exhibit_files.hpp"
#include "terminals/exhibit/exhibit_server.hpp"
#include "terminals/exhibit/exhibit_show.hpp"
#include "terminals/exhibit/exhibit_souvenir.hpp"

namespace hakto::terminals::exhibit {

class viewer_session;

/// What bounds a viewer session.
struct viewer_limits {
    std::size_t max_queued_messages = 20000;
    std::size_t max_message_bytes = 4096;
};

class hall final : public audience {
  public:
    explicit hall(const exhibit_options& options);
    hall(const hall&) = delete;
    hall& operator=(const hall&) = delete;

    /// The show the screens watch.
    void attach(std::weak_ptr<show> s) { show_ = std::move(s); }

    const page_files& files() const noexcept { return files_; }
    const viewer_limits& limits() const noexcept { return limits_; }
    /// Room for one more viewer (and the exhibit not closing).
    bool has_room() const;

    /// Lets a viewer in: the events gathered so far go out to the screens already watching,
    /// then it is added, and its first message is returned: the snapshot. Nothing when the
    /// exhibit is closing.
    std::optional<std::string> join(viewer_session& v, std::weak_ptr<viewer_session> w);
    void leave(viewer_session& v);
    /// A viewer's control, for the show; `answer` reaches that viewer alone.
    expected<void, control_error> control(std::string_view text, bool from_loopback,
                                          show::answer_fn answer = {});
    /// The souvenir of a cable of the show (GET /souvenir); nothing for one it has not.
    std::optional<souvenir::souvenir_text> souvenir(std::string_view label) const;
    /// Where souvenirs are drawn off the I/O thread (set by the server; may be null).
    void attach_souvenirs(std::shared_ptr<souvenir_desk> d) { souvenirs_ = std::move(d); }
    souvenir_desk* souvenirs() const noexcept { return souvenirs_.get(); }

    /// How the show stands, for /healthz; nothing when the exhibit is closing.
    std::optional<show_health> health() const;

    void viewer_dropped() { ++dropped_; }
    void message_refused() { ++refused_; }
    void log(const std::string& line) const;

    /// Closes every viewer and lets no more in.
    void close_all();

    std::size_t viewers() const noexcept { return viewer_count_.load(); }
    std::uint64_t dropped() const noexcept { return dropped_.load(); }
    std::uint64_t refused() const noexcept { return refused_.load(); }

    // audience
    void send_to_all(std::shared_ptr<const std::string> message) override;
    std::size_t screens() const override { return present_.size(); }
    std::size_t backlog() const override;

  private:
    page_files files_;
    viewer_limits limits_;
    std::size_t max_viewers_;
    std::function<void(const std::string&)> log_;
    std::weak_ptr<show> show_;
    std::shared_ptr<souvenir_desk> souvenirs_;
    std::unordered_map<viewer_session*, std::weak_ptr<viewer_session>> present_;
    bool closing_ = false;
    std::atomic<std::size_t> viewer_count_{0};
    std::atomic<std::uint64_t> dropped_{0}, refused_{0};
};

}  // namespace hakto::terminals::exhibit
