#include "terminals/net/net_store.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace hakto::terminals {

namespace {

enum record_type : std::uint8_t {
    rec_accept = 1,
    rec_tx = 2,
    rec_done = 3,
    rec_state = 4,
    rec_cancel = 5,
    rec_void = 6,
};

class out_bytes {
  public:
    void u8(std::uint8_t v) { b.push_back(v); }
    void u32(std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
    }
    void u64(std::uint64_t v) {
        for (int s = 56; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
    }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        b.insert(b.end(), s.begin(), s.end());
    }
    void strs(const std::vector<std::string>& v) {
        u32(static_cast<std::uint32_t>(v.size()));
        for (const auto& s : v) str(s);
    }
    std::vector<std::uint8_t> b;
};

class in_bytes {
  public:
    explicit in_bytes(const std::vector<std::uint8_t>& v) : b(v) {}
    bool ok() const { return ok_ && pos == b.size(); }
    bool ok_so_far() const { return ok_; }
    std::uint8_t u8() { return need(1) ? b[pos++] : 0; }
    std::uint32_t u32() {
        if (!need(4)) return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | b[pos++];
        return v;
    }
    std::uint64_t u64() {
        if (!need(8)) return 0;
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | b[pos++];
        return v;
    }
    std::string str() {
        auto n = u32();
        if (!need(n)) return {};
        std::string s(b.begin() + static_cast<std::ptrdiff_t>(pos),
                      b.begin() + static_cast<std::ptrdiff_t>(pos + n));
        pos += n;
        return s;
    }
    std::vector<std::string> strs() {
        auto n = u32();
        std::vector<std::string> v;
        for (std::uint32_t i = 0; i < n && ok_; ++i) v.push_back(str());
        return v;
    }
    std::vector<std::uint8_t> raw() {
        auto n = u32();
        if (!need(n)) return {};
        std::vector<std::uint8_t> v(b.begin() + static_cast<std::ptrdiff_t>(pos),
                                    b.begin() + static_cast<std::ptrdiff_t>(pos + n));
        pos += n;
        return v;
    }

  private:
    bool need(std::size_t n) {
        if (!ok_ || b.size() - pos < n) ok_ = false;
        return ok_;
    }
    const std::vector<std::uint8_t>& b;
    std::size_t pos = 0;
    bool ok_ = true;
};

std::vector<std::uint8_t> accept_payload(
    const net_cable& c, const std::map<std::string, std::vector<std::string>>& routes) {
    out_bytes o;
    o.u64(c.id);
    o.str(c.label);
    o.str(c.origin);
    o.strs(c.addressees);
    o.u8(c.precedence);
    o.u64(static_cast<std::uint64_t>(c.filed_ns));
    o.u32(static_cast<std::uint32_t>(c.codes.size()));
    o.b.insert(o.b.end(), c.codes.begin(), c.codes.end());
    o.str(c.from_peer);
    o.u32(c.from_serial);
    o.u8(c.local ? 1 : 0);
    o.u32(static_cast<std::uint32_t>(routes.size()));
    for (const auto& [peer, addressees] : routes) {
        o.str(peer);
        o.strs(addressees);
    }
    return std::move(o.b);
}

std::vector<std::uint8_t> tx_payload(const std::string& peer, std::uint64_t cable,
                                     std::uint32_t serial, std::uint64_t key,
                                     std::uint64_t length) {
    out_bytes o;
    o.str(peer);
    o.u64(cable);
    o.u32(serial);
    o.u64(key);
    o.u64(length);
    return std::move(o.b);
}

std::vector<std::uint8_t> done_payload(const std::string& peer, std::uint32_t serial) {
    out_bytes o;
    o.str(peer);
    o.u32(serial);
    return std::move(o.b);
}

void read_accept(in_bytes& in, net_cable& c,
                 std::map<std::string, std::vector<std::string>>& routes) {
    c.id = in.u64();
    c.label = in.str();
    c.origin = in.str();
    c.addressees = in.strs();
    c.precedence = in.u8();
    c.filed_ns = static_cast<std::int64_t>(in.u64());
    c.codes = in.raw();
    c.from_peer = in.str();
    c.from_serial = in.u32();
    c.local = in.u8() != 0;
    auto n = in.u32();
    for (std::uint32_t i = 0; i < n && in.ok_so_far(); ++i) {
        auto peer = in.str();
        routes[peer] = in.strs();
    }
}

std::vector<std::uint8_t> cancel_payload(const std::string& peer, std::uint64_t cable,
                                         std::uint32_t serial) {
    out_bytes o;
    o.str(peer);
    o.u64(cable);
    o.u32(serial);
    return std::move(o.b);
}

}  // namespace

expected<std::unique_ptr<net_store>, journal_error> net_store::open(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return journal_error{fmt::format("journal directory {}: {}", dir, ec.message())};
    std::vector<journal_record> records;
    auto path = (std::filesystem::path(dir) / "journal.log").string();
    auto j = journal::open(path, records);
    if (!j) return j.error();
    auto s = std::make_unique<net_store>(token{});
    s->journal_ = std::move(j.value());
    std::size_t index = 0;
    for (const auto& r : records) {
        ++index;
        in_bytes in(r.payload);
        switch (r.type) {
            case rec_accept: {
                net_cable c;
                std::map<std::string, std::vector<std::string>> routes;
                read_accept(in, c, routes);
                if (!in.ok())
                    return journal_error{
                        fmt::format("journal {}: record {} (accept) is malformed", path, index)};
                s->apply_accept(std::move(c), std::move(routes));
                break;
            }
            case rec_tx: {
                auto peer = in.str();
                auto cable = in.u64();
                auto serial = in.u32();
                auto key = in.u64();
                auto length = in.u64();
                if (!in.ok())
                    return journal_error{
                        fmt::format("journal {}: record {} (tx) is malformed", path, index)};
                s->apply_transmit(peer, cable, serial, key, length);
                break;
            }
            case rec_done: {
                auto peer = in.str();
                auto serial = in.u32();
                if (!in.ok())
                    return journal_error{
                        fmt::format("journal {}: record {} (done) is malformed", path, index)};
                s->apply_done(peer, serial);
                break;
            }
            case rec_cancel: {
                auto peer = in.str();
                auto cable = in.u64();
                auto serial = in.u32();
                if (!in.ok())
                    return journal_error{
                        fmt::format("journal {}: record {} (cancel) is malformed", path, index)};
                s->apply_cancel(peer, cable, serial);
                break;
            }
            case rec_void: {
                auto peer = in.str();
                auto serial = in.u32();
                if (!in.ok())
                    return journal_error{
                        fmt::format("journal {}: record {} (void) is malformed", path, index)};
                s->apply_void(peer, serial);
                break;
            }
            case rec_state: {
                auto next_id = in.u64();
                std::map<std::string, std::uint32_t> rx;
                auto n = in.u32();
                for (std::uint32_t i = 0; i < n && in.ok_so_far(); ++i) {
                    auto peer = in.str();
                    rx[peer] = in.u32();
                }
                std::map<std::string, std::pair<std::uint32_t, std::uint64_t>> tx;
                n = in.u32();
                for (std::uint32_t i = 0; i < n && in.ok_so_far(); ++i) {
                    auto peer = in.str();
                    auto serial = in.u32();
                    tx[peer] = {serial, in.u64()};
                }
                auto labels = in.strs();
                if (!in.ok())
                    return journal_error{
                        fmt::format("journal {}: record {} (state) is malformed", path, index)};
                s->apply_state(next_id, std::move(rx), std::move(tx), std::move(labels));
                break;
            }
            default:
                return journal_error{
                    fmt::format("journal {}: record {} has unknown type {}", path, index, r.type)};
        }
    }
    return s;
}

void net_store::apply_accept(net_cable c, std::map<std::string, std::vector<std::string>> routes) {
    next_id_ = std::max(next_id_, c.id + 1);
    if (!c.from_peer.empty()) {
        auto& last = in_[c.from_peer];
        last = std::max(last, c.from_serial);
    } else {
        filed_labels_.insert(c.label);
    }
    for (auto& [peer, addressees] : routes) {
        net_copy copy;
        copy.cable = c.id;
        copy.addressees = std::move(addressees);
        out_[peer].copies.push_back(std::move(copy));
    }
    auto id = c.id;
    if (routes.empty() && !c.local) unrouted_.insert(id);
    cables_.emplace(id, std::move(c));
}

void net_store::apply_transmit(const std::string& peer, std::uint64_t cable, std::uint32_t serial,
                               std::uint64_t key, std::uint64_t length) {
    auto& ch = out_[peer];
    ch.last_serial = std::max(ch.last_serial, serial);
    ch.next_key = std::max(ch.next_key, key + length);
    for (auto& c : ch.copies)
        if (c.cable == cable) {
            c.serial = serial;
            c.key_position = key;
            ++c.attempts;
        }
}

void net_store::apply_done(const std::string& peer, std::uint32_t serial) {
    auto& ch = out_[peer];
    if (ch.cancelled.erase(serial) > 0) return;
    for (auto& c : ch.copies)
        if (c.serial == serial) c.done = true;
}

void net_store::apply_void(const std::string& peer, std::uint32_t serial) {
    auto& last = in_[peer];
    last = std::max(last, serial);
}

void net_store::apply_cancel(const std::string& peer, std::uint64_t cable, std::uint32_t serial) {
    auto& ch = out_[peer];
    ch.last_serial = std::max(ch.last_serial, serial);
    ch.cancelled.insert(serial);
    for (auto& c : ch.copies)
        if (c.cable == cable && c.serial == serial) c.serial = 0;
}

expected<void, journal_error> net_store::cancel(const std::string& peer, std::uint64_t cable,
                                                std::uint32_t serial) {
    auto w = journal_->append(rec_cancel, cancel_payload(peer, cable, serial));
    if (!w) return w.error();
    apply_cancel(peer, cable, serial);
    return outcome::success();
}

expected<void, journal_error> net_store::take_void(const std::string& peer, std::uint32_t serial) {
    auto w = journal_->append(rec_void, done_payload(peer, serial));
    if (!w) return w.error();
    apply_void(peer, serial);
    return outcome::success();
}

expected<std::uint64_t, journal_error> net_store::accept(
    net_cable c, const std::map<std::string, std::vector<std::string>>& routes) {
    c.id = next_id_;
    auto w = journal_->append(rec_accept, accept_payload(c, routes));
    if (!w) return w.error();
    auto id = c.id;
    apply_accept(std::move(c), routes);
    return id;
}

expected<std::uint32_t, journal_error> net_store::transmit(const std::string& peer,
                                                           std::uint64_t cable, std::uint64_t key,
                                                           std::uint64_t length) {
    auto& ch = out_[peer];
    std::uint32_t serial = 0;
    for (const auto& c : ch.copies)
        if (c.cable == cable) serial = c.serial;
    if (serial == 0) serial = ch.last_serial + 1;
    auto w = journal_->append(rec_tx, tx_payload(peer, cable, serial, key, length));
    if (!w) return w.error();
    apply_transmit(peer, cable, serial, key, length);
    return serial;
}

expected<void, journal_error> net_store::done(const std::string& peer, std::uint32_t serial) {
    auto w = journal_->append(rec_done, done_payload(peer, serial));
    if (!w) return w.error();
    apply_done(peer, serial);
    return outcome::success();
}

void net_store::apply_state(std::uint64_t next_id, std::map<std::string, std::uint32_t> in,
                            std::map<std::string, std::pair<std::uint32_t, std::uint64_t>> out,
                            std::vector<std::string> labels) {
    next_id_ = std::max(next_id_, next_id);
    for (const auto& [peer, last] : in) in_[peer] = std::max(in_[peer], last);
    for (const auto& [peer, o] : out) {
        auto& ch = out_[peer];
        ch.last_serial = std::max(ch.last_serial, o.first);
        ch.next_key = std::max(ch.next_key, o.second);
    }
    filed_labels_.insert(labels.begin(), labels.end());
}

std::size_t net_store::retire(std::size_t keep_copies, std::size_t keep_cables) {
    // Copies: the done ones older than the last keep_copies of the channel go.
    for (auto& [peer, ch] : out_) {
        std::size_t done = 0;
        for (const auto& c : ch.copies) done += c.done ? 1 : 0;
        if (done <= keep_copies) continue;
        std::size_t drop = done - keep_copies;
        std::vector<net_copy> kept;
        kept.reserve(ch.copies.size() - drop);
        for (auto& c : ch.copies) {
            if (c.done && drop > 0) {
                --drop;
                continue;
            }
            kept.push_back(std::move(c));
        }
        ch.copies = std::move(kept);
    }
    // Cables: finished when no copy refers to them and, addressed here, delivered.
    std::set<std::uint64_t> referred;
    for (const auto& [peer, ch] : out_)
        for (const auto& c : ch.copies) referred.insert(c.cable);
    std::vector<std::uint64_t> finished;
    for (const auto& [id, c] : cables_)
        if (!referred.count(id) && !unrouted_.count(id) && (!c.local || delivered_.count(id)))
            finished.push_back(id);
    if (finished.size() <= keep_cables) return 0;
    const auto gone = finished.size() - keep_cables;
    for (std::size_t i = 0; i < gone; ++i) {
        cables_.erase(finished[i]);
        delivered_.erase(finished[i]);
    }
    return gone;
}

expected<bool, journal_error> net_store::compact_if(std::uint64_t max_bytes) {
    if (journal_->size() <= max_bytes || journal_->size() <= 2 * compacted_size_) return false;
    if (auto r = compact(); !r) return r.error();
    return true;
}

expected<void, journal_error> net_store::compact() {
    std::vector<journal_record> records;
    {
        out_bytes o;
        o.u64(next_id_);
        o.u32(static_cast<std::uint32_t>(in_.size()));
        for (const auto& [peer, last] : in_) {
            o.str(peer);
            o.u32(last);
        }
        o.u32(static_cast<std::uint32_t>(out_.size()));
        for (const auto& [peer, ch] : out_) {
            o.str(peer);
            o.u32(ch.last_serial);
            o.u64(ch.next_key);
        }
        o.strs(std::vector<std::string>(filed_labels_.begin(), filed_labels_.end()));
        records.push_back({rec_state, std::move(o.b)});
    }
    for (const auto& [id, c] : cables_) {
        std::map<std::string, std::vector<std::string>> routes;
        for (const auto& [peer, ch] : out_)
            for (const auto& cp : ch.copies)
                if (cp.cable == id) routes[peer] = cp.addressees;
        records.push_back({rec_accept, accept_payload(c, routes)});
    }
    // Serials and done marks, in each channel's order (a copy without its cable: none).
    for (const auto& [peer, ch] : out_)
        for (const auto& cp : ch.copies) {
            if (!cables_.count(cp.cable)) continue;
            if (cp.serial != 0)
                records.push_back(
                    {rec_tx, tx_payload(peer, cp.cable, cp.serial, cp.key_position, 0)});
            if (cp.done && cp.serial != 0)
                records.push_back({rec_done, done_payload(peer, cp.serial)});
        }
    // Cancelled serials the peer has not acknowledged yet: their cancel frames go again.
    for (const auto& [peer, ch] : out_)
        for (auto serial : ch.cancelled)
            records.push_back({rec_cancel, cancel_payload(peer, 0, serial)});
    auto j = journal::replace(journal_->path(), records);
    if (!j) return j.error();
    journal_ = std::move(j.value());
    compacted_size_ = journal_->size();
    ++compactions_;
    return outcome::success();
}

expected<std::size_t, journal_error> net_store::restore_for_repeat(const std::string& peer,
                                                                   std::uint32_t first,
                                                                   std::uint32_t last) {
    // The previous generation of the journal, then the journal itself: oldest records first.
    std::vector<journal_record> records;
    for (const auto& path : {journal_->path() + ".prev", journal_->path()}) {
        auto r = journal::read_all(path);
        if (!r) return r.error();
        records.insert(records.end(), std::make_move_iterator(r.value().begin()),
                       std::make_move_iterator(r.value().end()));
    }
    // Which cable went under each serial asked for, and which serials were cancelled.
    std::map<std::uint32_t, std::uint64_t> sent;
    std::set<std::uint32_t> voided;
    for (const auto& r : records) {
        if (r.type != rec_tx && r.type != rec_cancel) continue;
        in_bytes in(r.payload);
        const auto p = in.str();
        const auto cable = in.u64();
        const auto serial = in.u32();
        if (!in.ok_so_far() || p != peer || serial < first || serial > last) continue;
        if (r.type == rec_tx) {
            sent[serial] = cable;
        } else {
            sent.erase(serial);
            voided.insert(serial);
        }
    }
    std::set<std::uint64_t> wanted;
    for (const auto& [serial, cable] : sent) wanted.insert(cable);
    std::map<std::uint64_t, std::pair<net_cable, std::vector<std::string>>> found;
    for (const auto& r : records) {
        if (r.type != rec_accept) continue;
        in_bytes in(r.payload);
        net_cable c;
        std::map<std::string, std::vector<std::string>> routes;
        read_accept(in, c, routes);
        if (!in.ok() || !wanted.count(c.id) || !routes.count(peer)) continue;
        auto addressees = routes[peer];
        found[c.id] = {std::move(c), std::move(addressees)};
    }
    std::size_t restored = 0;
    auto& ch = out_[peer];
    for (const auto& [serial, cable] : sent) {
        auto it = found.find(cable);
        if (it == found.end()) continue;
        if (auto* held = copy_of(peer, cable)) {
            held->done = false;  // in memory after all
            ++restored;
            continue;
        }
        cables_.try_emplace(cable, it->second.first);
        net_copy copy;
        copy.cable = cable;
        copy.addressees = it->second.second;
        copy.serial = serial;
        copy.attempts = 1;
        auto at = std::lower_bound(ch.copies.begin(), ch.copies.end(), cable,
                                   [](const net_copy& c, std::uint64_t v) { return c.cable < v; });
        ch.copies.insert(at, std::move(copy));
        ++restored;
    }
    for (auto serial : voided) {
        ch.cancelled.insert(serial);
        ++restored;
    }
    return restored;
}

std::uint32_t net_store::oldest_held(const std::string& peer) const {
    auto it = out_.find(peer);
    if (it == out_.end()) return 1;
    std::uint32_t oldest = it->second.last_serial + 1;
    for (const auto& c : it->second.copies)
        if (c.serial != 0) oldest = std::min(oldest, c.serial);
    return oldest;
}

net_copy* net_store::copy_of(const std::string& peer, std::uint64_t id) {
    auto ch = out_.find(peer);
    if (ch == out_.end()) return nullptr;
    auto& copies = ch->second.copies;
    auto it = std::lower_bound(copies.begin(), copies.end(), id,
                               [](const net_copy& c, std::uint64_t v) { return c.cable < v; });
    if (it != copies.end() && it->cable == id) return &*it;
    return nullptr;
}

const net_cable* net_store::cable(std::uint64_t id) const {
    auto it = cables_.find(id);
    return it == cables_.end() ? nullptr : &it->second;
}

std::uint32_t net_store::last_received(const std::string& peer) const {
    auto it = in_.find(peer);
    return it == in_.end() ? 0 : it->second;
}

}  // namespace hakto::terminals
