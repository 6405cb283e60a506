#pragma once
// Durability of a node: its store and journal (terminals/net/net_store.hpp), what waits for them
// to be on disk, and the deliveries that follow.
//
//  * Group commit: durable(fn) runs fn once every record appended so far is on disk. Records
//    appended in one turn of the event loop share one fdatasync.
//  * Delivery here: after the sync, the cable is counted, logged, written to --out-dir
//    (terminals/net/net_delivered.hpp), told to on_delivered and marked delivered.
//  * Tidying: once a turn, after the sync, finished cables leave memory and the journal is
//    compacted past its bound (net_store::retire, compact_if).
//  * At start: a cable delivered here whose file is missing (a crash between the journal and the
//    file) is written again.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "terminals/net/net_store.hpp"
#include "terminals/net/node/node_context.hpp"

namespace hakto::terminals {

class node_durability {
  public:
    node_durability(node_context& ctx, node_host& host, std::unique_ptr<net_store> store)
        : ctx_(ctx), host_(host), store_(std::move(store)) {}
    node_durability(const node_durability&) = delete;
    node_durability& operator=(const node_durability&) = delete;

    [[nodiscard]] net_store& store() noexcept { return *store_; }
    [[nodiscard]] const net_store& store() const noexcept { return *store_; }

    /// Runs `fn` once every journal record appended so far is on disk.
    void durable(std::function<void()> fn);
    /// Bounded memory and journal over a long run: once a turn of the event loop, after the
    /// records of that turn are on disk.
    void tidy();
    /// Delivers cable `id` here once its accept record is on disk.
    void deliver_after_sync(std::uint64_t id);
    /// At start: writes the --out-dir files missing for cables delivered here.
    void recover_deliveries();
    /// Copies still to be acknowledged as stored by the next station.
    [[nodiscard]] std::size_t outstanding() const;

  private:
    void flush();
    void write_delivery(const net_cable& c);

    node_context& ctx_;
    node_host& host_;
    std::unique_ptr<net_store> store_;
    std::vector<std::function<void()>> after_sync_;
    bool flush_posted_ = false;
    bool tidy_posted_ = false;
    /// Posted handlers hold this weakly: none runs once the node has gone.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace hakto::terminals
