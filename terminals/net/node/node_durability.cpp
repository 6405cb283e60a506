#include "terminals/net/node/node_durability.hpp"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <boost/asio/post.hpp>

#include "terminals/net/net_delivered.hpp"

namespace hakto::terminals {

void node_durability::durable(std::function<void()> fn) {
    after_sync_.push_back(std::move(fn));
    if (flush_posted_) return;
    flush_posted_ = true;
    boost::asio::post(ctx_.io, [this, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.lock()) flush();
    });
}

void node_durability::flush() {
    flush_posted_ = false;
    if (ctx_.stopping) return;
    auto r = store_->sync();
    if (!r) {
        host_.fatal(r.error().message);
        return;
    }
    auto fns = std::move(after_sync_);
    after_sync_.clear();
    for (auto& f : fns) {
        if (ctx_.stopping) return;
        f();
    }
}

void node_durability::tidy() {
    if (tidy_posted_) return;
    tidy_posted_ = true;
    durable([this] {
        tidy_posted_ = false;
        store_->retire(ctx_.config.keep_copies, ctx_.config.keep_cables);
        auto c = store_->compact_if(ctx_.config.compact_bytes);
        if (!c) {
            host_.fatal(c.error().message);
            return;
        }
        if (c.value())
            ctx_.log(fmt::format("journal {} compacted: {} bytes, {} cables held",
                                 store_->log().path(), store_->log().size(),
                                 store_->cables().size()));
    });
}

void node_durability::deliver_after_sync(std::uint64_t id) {
    durable([this, id] {
        const auto* c = store_->cable(id);
        if (!c) return;
        ++ctx_.stats.delivered;
        ctx_.log(fmt::format(
            "delivered {} from {} ({} characters{})", c->label, c->origin, c->codes.size(),
            c->from_peer.empty()
                ? std::string{", filed here"}
                : fmt::format(", from {} channel serial {:03}", c->from_peer, c->from_serial)));
        write_delivery(*c);
        if (ctx_.hooks.on_delivered) ctx_.hooks.on_delivered(*c);
        store_->mark_delivered(id);
        tidy();
    });
}

void node_durability::write_delivery(const net_cable& c) {
    if (!ctx_.config.out_dir) return;
    auto w = write_delivered(*ctx_.config.out_dir, c, ctx_.config.code, ctx_.config.usos);
    if (!w) ctx_.log(fmt::format("--out-dir: cannot write {}", w.error().message()));
}

void node_durability::recover_deliveries() {
    for (const auto& [id, c] : store_->cables()) {
        if (!c.local) continue;
        std::error_code ec;
        if (ctx_.config.out_dir &&
            !std::filesystem::exists(
                std::filesystem::path(*ctx_.config.out_dir) / delivered_file_name(c), ec))
            write_delivery(c);
        store_->mark_delivered(id);
    }
}

std::size_t node_durability::outstanding() const {
    std::size_t n = 0;
    for (const auto& [peer, ch] : store_->outs())
        for (const auto& c : ch.copies) n += c.done ? 0 : 1;
    return n;
}

}  // namespace hakto::terminals
