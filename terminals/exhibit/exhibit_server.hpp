#pragma once
// The exhibit: an HTTP and WebSocket server (Boost.Beast, one io_context, one thread) that
// serves the kiosk page and broadcasts a replay, paced by a timer service, to every viewer.
//
//  * The replay runs in an attract loop: when it ends, a pause, then it starts again.
//  * Replay events are gathered into frames, one every frame_interval at most, and each frame
//    goes to every viewer as one JSON text message {"type":"frame","seq":N,"events":[…]},
//    serialized once and shared by every viewer's queue. A new viewer first gets a snapshot
//    (stations, circuits, cable texts, the page printed so far, clocks, stage); pending events
//    are flushed before it, so the snapshot and the frames that follow never overlap.
//  * Visitors send controls as JSON messages: {"type":"pause"|"resume"|"start"|"step"},
//    {"type":"speed","value":"20x"}, {"type":"noise","on":true}, {"type":"reply","text":"…"}.
//  * The operator (operator.html) sends {"type":"operator", "scenario":…, "cables":[…],
//    "speed":"20x", "noise":false, "idle_reset":120, "token":…}: the exhibit's defaults change
//    and the attract loop starts again with them. Operator controls come only from a peer on
//    the loopback address, or, when an operator token is set, from any peer that gives it.
//  * Bounds: viewers, per-viewer send queue (a slow viewer is disconnected), message size,
//    HTTP request size, idle timeouts.
//
// Inside (docs/exhibit.md, "Inside"): the listener (exhibit_listener) accepts connections,
// each an HTTP session (exhibit_http_session) that serves the page's files (exhibit_files) or
// upgrades to a viewer session (exhibit_viewer). The viewers share the hall (exhibit_hall),
// through which the show (exhibit_show: the runs, frames, controls; no sockets) reaches them.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "protocol/text/expected.hpp"
#include "sim/pacing.hpp"
#include "sim/timers.hpp"
#include "terminals/replay/replay.hpp"

namespace hakto::terminals {

struct exhibit_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  ///< 0: an ephemeral port (see exhibit_server::port())
    replay_options replay;      ///< scenario, FRUS files, noise
    sim::pacing speed = sim::pacing::scaled(20);
    /// Seconds without a visitor control before the exhibit returns to the attract loop (0: never).
    std::chrono::seconds idle_reset{120};
    std::optional<std::string> web_root;  ///< serve the page from this folder instead of memory
    /// When set, operator controls need this token (from any address); when not, they are taken
    /// from loopback peers only.
    std::optional<std::string> operator_token;
    std::size_t max_viewers = 2000;
    std::size_t max_queued_messages = 20000;        ///< per viewer; past it the viewer is dropped
    std::size_t max_message_bytes = 4096;           ///< largest WebSocket message a viewer may send
    std::chrono::milliseconds attract_pause{4000};  ///< between the end of a replay and the next
    /// Events run per timer callback at most (keeps the server responsive at --speed max).
    std::size_t batch = 256;
    /// Longest time an event waits to go out with others in one frame (0: a frame an event).
    /// 20 ms is a frame per display refresh at 50 Hz: the paper still prints smoothly, and a
    /// thousand viewers cost a thousand writes a frame instead of a thousand an event.
    std::chrono::milliseconds frame_interval{20};
    /// A frame goes out at once when its events reach this many bytes.
    std::size_t max_frame_bytes = 64 * 1024;
    /// /healthz answers 503 "stalled" when the show, not paused, has not moved for this long
    /// beyond when it was due to (docs/exhibit.md, "Health").
    std::chrono::seconds stall_after{300};
    /// The CUPS queue the operator's "Print souvenir" sends to (lp -d); none: no printing.
    std::optional<std::string> souvenir_printer;
    std::string souvenir_lp = "lp";  ///< the lp program (a path, or found on PATH)
    /// Where a viewer dropped is reported, with the reason (empty: standard error).
    std::function<void(const std::string& line)> log;
    /// A machine that prints the page copy with the screens (hakto exhibit --teleprinter, a real
    /// teleprinter: terminals/teleprinter/): each code printed at a destination goes to
    /// `printed`; while `pending` (bytes the machine has yet to print) is above `hold_back`,
    /// the show waits, at any speed, so that the screens never run ahead of the paper. Unset:
    /// no machine.
    struct machine_hooks {
        std::function<void(const replay_event&)> printed;
        std::function<std::size_t()> pending;
        std::size_t hold_back = 72;  ///< about a line
    };
    machine_hooks machine;
};

struct exhibit_error {
    std::string message;
};

struct exhibit_stats {
    std::size_t viewers = 0;
    std::uint64_t broadcasts = 0;
    std::uint64_t runs = 0;
    std::uint64_t dropped_viewers = 0;
    std::uint64_t refused_messages = 0;
    bool paused = false;
};

class exhibit_server {
  public:
    /// Binds and listens (nothing runs until the io_context does). The replay's scenario is
    /// loaded here so that a bad scenario is reported before serving. The show reads the time
    /// from `timers` and waits with them (terminals::asio_timers on `io` in the program); they
    /// must outlive the server.
    static expected<std::unique_ptr<exhibit_server>, exhibit_error> create(
        boost::asio::io_context& io, sim::timer_service& timers, exhibit_options options);
    ~exhibit_server();
    exhibit_server(const exhibit_server&) = delete;
    exhibit_server& operator=(const exhibit_server&) = delete;

    /// Starts accepting and the first replay.
    void start();
    /// Stops accepting, closes every viewer and cancels the timers; io.run() then returns.
    void stop();
    std::uint16_t port() const;
    exhibit_stats stats() const;
    /// A visitor's reply typed on the exhibit's teleprinter (its text, the filing line left
    /// out): filed as the page's reply form files it (the next TOHAK, IMMEDIATE, into the running
    /// network). Its label, or why it was not filed. On the io_context's thread.
    expected<std::string, exhibit_error> typed_reply(std::string_view text);

    /// Called with each broadcast message just before it is queued, on the io_context's thread,
    /// for the fan-out benchmark. The time is when the message's content came to be: for a frame,
    /// when its first (oldest) event happened; for anything else, now (the timer service's
    /// clock: the steady clock with asio_timers).
    using broadcast_hook =
        std::function<void(std::chrono::steady_clock::time_point, std::string_view)>;
    void on_broadcast(broadcast_hook f);

    class impl;
    /// Use create().
    explicit exhibit_server(std::shared_ptr<impl> p);

  private:
    std::shared_ptr<impl> impl_;
};

}  // namespace hakto::terminals
