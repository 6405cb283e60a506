#pragma once
// What a station or relay keeps on disk: the cables it holds, where each goes, the channel
// serials and key tape positions of its circuits. Built by replaying the journal
// (terminals/net/net_journal.hpp) on start; every change appends a record.
//
// Records:
//   accept  a cable taken in (filed here, or received whole on a channel with its serial), and
//           where it goes: delivered here, and/or one copy per outgoing circuit (peer) with the
//           addressees that copy serves. Durable before the sender is told it is stored.
//   tx      a copy put on the line: its channel serial (given at the first transmission, kept
//           for a resend) and the key tape stretch it uses. Durable before the first code goes.
//   done    the peer has the copy on its disk: it leaves the queue (kept for repeat requests).
//           For a cancelled serial: the peer has taken it as void.
//   cancel  the transmission of a copy with its serial was broken off for a higher precedence
//           (a FLASH pre-empts it): the serial is used up and void, the copy goes again later
//           under a new one. Durable before the cancel frame goes.
//   void    a serial received as cancelled on a channel: taken, nothing delivered. Durable
//           before the sender is told it is stored.
//   state   written first by a compaction: the next cable number, the last serial received and
//           given on each channel, the next key position of each, every label filed here.
//
// Bounded over a long run: a cable leaves memory once every copy of it is done and is no longer
// among the last `keep_copies` copies of its channel (kept for INT ZDK repeat requests), and,
// when addressed here, once it has been delivered; the newest `keep_cables` such cables stay.
// The journal is compacted when it has grown past a bound: rewritten with a state record and
// the cables still in memory, fsynced, renamed over the old one. Labels filed here are all kept
// (a few bytes each): a label is never filed twice. A cable that found no route and is not
// addressed here is held (in memory and in the journal), never retired.
//
// Exactly once: a channel's receiver takes serial n only after n - 1 (a higher one is a gap:
// it asks for a repeat; a lower one is a duplicate: it is acknowledged and dropped), and it
// tells the sender "stored" only once the accept record is on disk.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "protocol/text/expected.hpp"
#include "terminals/net/net_journal.hpp"

namespace hakto::terminals {

struct net_cable {
    std::uint64_t id = 0;  ///< this node's number for it
    std::string label;
    std::string origin;
    std::vector<std::string> addressees;
    std::uint8_t precedence = 0;  ///< protocol::precedence
    std::int64_t filed_ns = 0;
    std::vector<std::uint8_t> codes;  ///< plain line codes
    std::string from_peer;            ///< empty: filed here
    std::uint32_t from_serial = 0;
    bool local = false;  ///< addressed here: delivered to this station's printer
};

/// One copy of a cable for one outgoing circuit.
struct net_copy {
    std::uint64_t cable = 0;
    std::vector<std::string> addressees;
    std::uint32_t serial = 0;  ///< 0 until first put on the line
    std::uint64_t key_position = 0;
    std::uint32_t attempts = 0;
    bool done = false;
};

struct net_channel_out {
    std::uint32_t last_serial = 0;  ///< last serial given
    std::uint64_t next_key = 0;     ///< first key position never used
    /// Serials cancelled (broken off for a higher precedence) that the peer has not yet
    /// acknowledged as void: the cancel frame goes again, in serial order, on a new connection.
    std::set<std::uint32_t> cancelled;
    /// In the order queued, which is the order of their cables' numbers.
    std::vector<net_copy> copies;
};

class net_store {
  public:
    /// Opens (creating) DIR/journal.log and replays it.
    static expected<std::unique_ptr<net_store>, journal_error> open(const std::string& dir);

    /// Takes a cable in; `routes` maps peer -> addressees of its copy. Not durable until sync().
    expected<std::uint64_t, journal_error> accept(
        net_cable c, const std::map<std::string, std::vector<std::string>>& routes);
    /// Records a transmission of the copy of `cable` to `peer` (its serial is given now if it has
    /// none) using key positions [key, key + length). Returns the serial. Not durable until sync().
    expected<std::uint32_t, journal_error> transmit(const std::string& peer, std::uint64_t cable,
                                                    std::uint64_t key, std::uint64_t length);
    /// The peer has stored the copy with `serial` (or taken the cancelled serial as void).
    expected<void, journal_error> done(const std::string& peer, std::uint32_t serial);
    /// The transmission with `serial` of the copy of `cable` to `peer` is broken off: the serial
    /// is void, the copy has none again (it goes later in full). Not durable until sync().
    expected<void, journal_error> cancel(const std::string& peer, std::uint64_t cable,
                                         std::uint32_t serial);
    /// Serial `serial` from `peer` arrived cancelled: taken as void. Not durable until sync().
    expected<void, journal_error> take_void(const std::string& peer, std::uint32_t serial);
    expected<void, journal_error> sync() { return journal_->sync(); }

    /// A cable addressed here has been delivered (printed, written to --out-dir).
    void mark_delivered(std::uint64_t id) { delivered_.insert(id); }
    /// Lets finished cables leave memory (see above). Returns how many left.
    std::size_t retire(std::size_t keep_copies, std::size_t keep_cables);
    /// Compacts the journal when it is larger than `max_bytes` and than twice its size after
    /// the last compaction. True when it did. Everything appended so far is durable after it.
    expected<bool, journal_error> compact_if(std::uint64_t max_bytes);
    expected<void, journal_error> compact();
    [[nodiscard]] std::uint64_t compactions() const noexcept { return compactions_; }
    /// A repeat request for serials older than those held: the cables sent under serials
    /// [first, last] on `peer`'s channel are read back from the journal (and its previous
    /// generation, journal.log.prev) and held again, not done, with their serials; cancelled
    /// serials among them are to be announced again. Returns how many serials were found.
    expected<std::size_t, journal_error> restore_for_repeat(const std::string& peer,
                                                            std::uint32_t first,
                                                            std::uint32_t last);
    /// The first serial of a channel still held for repeat requests (last_serial + 1: none).
    [[nodiscard]] std::uint32_t oldest_held(const std::string& peer) const;

    [[nodiscard]] const net_cable* cable(std::uint64_t id) const;
    [[nodiscard]] const std::map<std::uint64_t, net_cable>& cables() const noexcept {
        return cables_;
    }
    /// Last serial stored from a peer's channel (0: none).
    [[nodiscard]] std::uint32_t last_received(const std::string& peer) const;
    [[nodiscard]] net_channel_out& out(const std::string& peer) { return out_[peer]; }
    /// The copy of cable `id` for `peer`'s channel (nullptr: none, or it has left memory).
    [[nodiscard]] net_copy* copy_of(const std::string& peer, std::uint64_t id);
    [[nodiscard]] const std::map<std::string, net_channel_out>& outs() const noexcept {
        return out_;
    }
    /// Labels of the cables filed at this node.
    [[nodiscard]] bool filed_here(const std::string& label) const {
        return filed_labels_.count(label) > 0;
    }
    [[nodiscard]] const journal& log() const noexcept { return *journal_; }

  private:
    struct token {
        explicit token() = default;
    };

  public:
    explicit net_store(token) {}

  private:
    void apply_accept(net_cable c, std::map<std::string, std::vector<std::string>> routes);
    void apply_transmit(const std::string& peer, std::uint64_t cable, std::uint32_t serial,
                        std::uint64_t key, std::uint64_t length);
    void apply_done(const std::string& peer, std::uint32_t serial);
    void apply_cancel(const std::string& peer, std::uint64_t cable, std::uint32_t serial);
    void apply_void(const std::string& peer, std::uint32_t serial);
    void apply_state(std::uint64_t next_id, std::map<std::string, std::uint32_t> in,
                     std::map<std::string, std::pair<std::uint32_t, std::uint64_t>> out,
                     std::vector<std::string> labels);

    std::unique_ptr<journal> journal_;
    std::map<std::uint64_t, net_cable> cables_;
    std::map<std::string, std::uint32_t> in_;
    std::map<std::string, net_channel_out> out_;
    std::set<std::string> filed_labels_;
    std::uint64_t next_id_ = 1;
    std::set<std::uint64_t> delivered_;
    std::set<std::uint64_t> unrouted_;  ///< neither delivered here nor routed: held, never retired
    std::uint64_t compacted_size_ = 0;
    std::uint64_t compactions_ = 0;
};

}  // namespace hakto::terminals
