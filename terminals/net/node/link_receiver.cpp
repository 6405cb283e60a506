#include "terminals/net/node/link_receiver.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "protocol/text/utf8.hpp"
#include "terminals/net/net_printer_port.hpp"
#include "terminals/net/node/node_durability.hpp"
#include "terminals/net/node/node_link.hpp"

namespace hakto::terminals {

namespace wire = protocol::wire;

std::string_view link_receiver::name(state s) noexcept {
    switch (s) {
        case state::idle:
            return "idle";
        case state::receiving:
            return "receiving";
        case state::finishing:
            return "finishing";
        case state::skipping:
            return "skipping";
    }
    return "?";
}

bool link_receiver::legal(state from, state to) noexcept {
    switch (to) {
        case state::receiving:
        case state::skipping:
            return from == state::idle;
        case state::finishing:
            return from == state::receiving;
        case state::idle:
            return from != state::idle;
    }
    return false;
}

link_receiver::link_receiver(node_context& ctx, node_host& host, node_durability& durability,
                             node_link& link, const node_peer& peer)
    : ctx_(ctx),
      host_(host),
      durability_(durability),
      link_(link),
      peer_(peer.id),
      machine_(ctx, "receiver", peer.id, state::idle, &link_receiver::legal, &link_receiver::name),
      page_(protocol::decode_options{ctx.config.code, ctx.config.usos}),
      print_(ctx.timers) {
    if (ctx.config.speed > 0)
        frame_ =
            std::chrono::duration_cast<sim::wall_duration>(std::chrono::duration<double, std::nano>(
                static_cast<double>(peer.circuit.profile.frames(1).count()) / ctx.config.speed));
}

void link_receiver::on_begin(wire::begin b) {
    const bool was_taking = taking();
    if (was_taking)
        ctx_.log(
            fmt::format("{} channel serial {:03} from {} abandoned after {} characters: a new "
                        "message began",
                        msg_.b.label, msg_.b.serial, peer_, msg_.printed));
    print_.cancel();
    msg_ = message{};
    if (current() != state::idle)
        machine_.enter(state::idle, was_taking ? "abandoned: a new message began"
                                               : "skipped: a new message began");
    // The channel serial of ACP 127 format line 1 (protocol facts §1.2): one number a message
    // on each channel, in order, so that a receiving station sees a message missed or received
    // twice.
    const auto last = durability_.store().last_received(peer_);
    if (b.serial <= last) {
        ++ctx_.stats.duplicates;
        ctx_.log(
            fmt::format("{} channel serial {:03} from {} is a duplicate (stored before): "
                        "acknowledged, not taken again",
                        b.label, b.serial, peer_));
        skip_ = b.serial;
        machine_.enter(state::skipping,
                       fmt::format("serial {:03} stored before: a duplicate", b.serial));
        link_.send(wire::ack{b.serial, 0, true});
        return;
    }
    if (b.serial > last + 1) {
        skip_ = b.serial;
        machine_.enter(state::skipping,
                       fmt::format("serial {:03} after {:03}: a gap", b.serial, last));
        ask_repeat(last + 1, b.serial - 1,
                   fmt::format("serial {:03} after {:03}, a gap", b.serial, last));
        return;
    }
    if (b.encrypted && !tape_) {
        link_.close(
            fmt::format("{} encrypts on circuit {} and this station has no key tape for it "
                        "(--no-crypto here?)",
                        peer_, link_.peer().circuit.id));
        return;
    }
    if (b.encrypted && b.key_position + b.length > tape_->size()) {
        link_.close("key position past the end of the key tape");
        return;
    }
    msg_.local = std::find(b.addressees.begin(), b.addressees.end(),
                           ctx_.config.routing_indicator) != b.addressees.end();
    if (b.encrypted) {
        msg_.decrypting = true;
        place_key_reader(b);
    }
    msg_.codes.reserve(b.length);
    msg_.plain.reserve(b.length);
    msg_.next_print = ctx_.timers.now();
    msg_.last_print = msg_.next_print - frame_;
    auto reason = fmt::format("begin of {} channel serial {:03}", b.label, b.serial);
    msg_.b = std::move(b);
    page_.reset();
    machine_.enter(state::receiving, reason);
}

void link_receiver::place_key_reader(const wire::begin& b) {
    // The begin frame says where the sender's tape starts; the reader is moved there (it is
    // already there unless a transmission was broken off or the operator walked the tape).
    const auto want = static_cast<std::size_t>(b.key_position);
    if (!(link_.peer_capabilities() & wire::capability::noise)) {
        // A clean line cannot slip: the key is read in step, character for character.
        reader_.emplace(*tape_, want);
        decrypt_.reset();
        return;
    }
    reader_.reset();
    bool placed = false;
    if (decrypt_) {
        const auto at = decrypt_->reader().position();
        placed = at == want || decrypt_->skip(static_cast<std::ptrdiff_t>(want) -
                                              static_cast<std::ptrdiff_t>(at));
    }
    if (!placed) decrypt_.emplace(sim::key_reader(*tape_, want));
}

std::uint32_t link_receiver::receive_limit() const {
    // The flow-control window the sender promised (paced: a few characters) and one frame.
    const bool paced = link_.up() && (link_.peer_capabilities() & wire::capability::pacing);
    return (paced ? ctx_.config.window : ctx_.config.unpaced_window) +
           static_cast<std::uint32_t>(wire::max_codes_per_frame);
}

void link_receiver::on_data(wire::data d) {
    if (current() == state::skipping && d.serial == skip_) return;
    if (!taking() || d.serial != msg_.b.serial) {
        link_.close(
            fmt::format("protocol: data for serial {:03}, no such message begun", d.serial));
        return;
    }
    if (d.offset != msg_.codes.size()) {
        link_.close(
            fmt::format("protocol: data at {} where {} was due", d.offset, msg_.codes.size()));
        return;
    }
    if (msg_.codes.size() + d.codes.size() > msg_.b.length) {
        link_.close("protocol: more data than the begin frame announced");
        return;
    }
    if (msg_.codes.size() + d.codes.size() - msg_.printed > receive_limit()) {
        link_.close(fmt::format("flow control: {} characters beyond the printer, the window is {}",
                                msg_.codes.size() + d.codes.size() - msg_.printed,
                                receive_limit()));
        return;
    }
    // The printer prints a character when it arrives, and at most one a character time:
    // print(k) = max(arrival(k), print(k - 1) + one character). With characters waiting, the
    // slots follow each other a character apart.
    if (msg_.printed == msg_.codes.size())
        msg_.next_print = std::max(ctx_.timers.now(), msg_.last_print + frame_);
    msg_.codes.insert(msg_.codes.end(), d.codes.begin(), d.codes.end());
    print_due();
}

void link_receiver::on_end(const wire::end& e) {
    if (current() == state::skipping && e.serial == skip_) {
        msg_ = message{};
        machine_.enter(state::idle, fmt::format("end of serial {:03}, skipped", e.serial));
        return;
    }
    if (!taking() || e.serial != msg_.b.serial) {
        link_.close(fmt::format("protocol: end of serial {:03}, no such message begun", e.serial));
        return;
    }
    if (e.length != msg_.b.length || msg_.codes.size() != e.length ||
        wire::codes_checksum(msg_.codes) != e.checksum) {
        wire::service s;
        s.first = s.last = e.serial;
        s.text = fmt::format("INT ZDK {:03}", e.serial);
        ctx_.log(fmt::format("{} channel serial {:03} from {}: {} characters, check failed: {}",
                             msg_.b.label, e.serial, peer_, msg_.codes.size(), s.text));
        print_.cancel();
        msg_ = message{};
        machine_.enter(state::idle, fmt::format("check failed: {}", s.text));
        link_.send(s);
        return;
    }
    if (current() == state::receiving)
        machine_.enter(state::finishing, "end: length and checksum right");
    print_due();
}

void link_receiver::ask_repeat(std::uint32_t first, std::uint32_t last, std::string_view why) {
    if (asked_from_ == first) return;  // asked already; the repeats will come
    asked_from_ = first;
    ++ctx_.stats.gaps;
    // Ask for the missing ones as an operator did: INT ZDK, "please retransmit"
    // (protocol facts §1.12).
    wire::service s;
    s.first = first;
    s.last = last;
    s.text = s.first == s.last ? fmt::format("INT ZDK {:03}", s.first)
                               : fmt::format("INT ZDK {:03}-{:03}", s.first, s.last);
    ctx_.log(fmt::format("channel from {}: {}: {}", peer_, why, s.text));
    link_.send(s);
}

void link_receiver::print_break(const std::string& label) {
    if (auto* printer = host_.printer())
        printer->print(fmt::format("\r\n*** {} BROKEN OFF: TO BE SENT AGAIN ***\r\n", label));
}

void link_receiver::on_cancel(const wire::cancel& c) {
    const auto last = durability_.store().last_received(peer_);
    if (c.serial <= last) {
        // Taken as void before (the sender did not hear it): acknowledged again.
        if (current() == state::skipping && skip_ == c.serial) {
            msg_ = message{};
            machine_.enter(state::idle, fmt::format("serial {:03} cancelled, skipped", c.serial));
        }
        link_.send(wire::ack{c.serial, 0, true});
        return;
    }
    if (c.serial > last + 1) {
        ask_repeat(last + 1, c.serial - 1,
                   fmt::format("cancel of serial {:03} after {:03}, a gap", c.serial, last));
        return;
    }
    if (current() == state::finishing && msg_.b.serial == c.serial) {
        link_.close(fmt::format("protocol: cancel of serial {:03} after its end", c.serial));
        return;
    }
    if (taking() && msg_.b.serial == c.serial) {
        ctx_.log(
            fmt::format("{} channel serial {:03} from {} broken off after {} characters "
                        "for a higher precedence: {}",
                        msg_.b.label, c.serial, peer_, msg_.printed, c.text));
        if (msg_.local) print_break(msg_.b.label);
        print_.cancel();
        msg_ = message{};
        page_.reset();
        machine_.enter(state::idle, fmt::format("serial {:03} cancelled: void", c.serial));
    } else {
        ctx_.log(fmt::format("channel serial {:03} from {} cancelled before it began: {}", c.serial,
                             peer_, c.text));
    }
    // The serial is void: taken (nothing delivered), and "stored" once that is on disk.
    if (auto r = durability_.store().take_void(peer_, c.serial); !r) {
        host_.fatal(r.error().message);
        return;
    }
    ++ctx_.stats.voided;
    asked_from_ = 0;
    durability_.durable([this, gen = link_.generation(), serial = c.serial] {
        if (link_.generation() == gen && link_.up()) link_.send(wire::ack{serial, 0, true});
        host_.pump_all();
    });
}

void link_receiver::print_code(std::uint8_t code) {
    std::uint8_t plain = code;
    if (msg_.decrypting && decrypt_) {
        auto p = decrypt_->receive(code);
        plain = p ? p.value() : code;
    } else if (msg_.decrypting && reader_) {
        auto p = reader_->decrypt(code);
        plain = p ? p.value() : code;
    }
    msg_.plain.push_back(plain);
    ++ctx_.stats.characters_printed;
    if (msg_.local) {
        if (auto* printer = host_.printer()) {
            auto m = page_.feed(plain);
            switch (m.function) {
                case protocol::code_function::print:
                    printer->print(protocol::utf8::encode(m.character));
                    break;
                case protocol::code_function::space:
                    printer->print(" ");
                    break;
                case protocol::code_function::line_feed:
                    printer->print("\r\n");
                    break;
                case protocol::code_function::bell:
                    printer->print("\a");
                    break;
                default:
                    break;
            }
        }
        if (ctx_.hooks.on_printed) ctx_.hooks.on_printed(msg_.b.label, msg_.printed, plain);
    }
    ++msg_.printed;
}

void link_receiver::print_due() {
    if (!taking()) return;
    const bool paced = ctx_.config.speed > 0;
    const auto before = msg_.printed;
    const auto now = ctx_.timers.now();
    while (msg_.printed < msg_.codes.size()) {
        if (paced) {
            // A character that arrives a little early for its slot (up to a quarter of a
            // character: network and timer jitter) prints at once; the slots themselves stay a
            // character apart, so the printer never gains on the line.
            if (msg_.next_print > now + frame_ / 4) {
                print_.set_at(msg_.next_print - frame_ / 4, [this, serial = msg_.b.serial] {
                    if (!ctx_.stopping && taking() && msg_.b.serial == serial) print_due();
                });
                break;
            }
            msg_.next_print += frame_;
        }
        print_code(msg_.codes[msg_.printed]);
        msg_.last_print = now;
    }
    // Acknowledge what was printed: every character when paced (the sender's window is a few
    // characters), every 1024 otherwise, and always the last.
    if (msg_.printed != before && link_.up()) {
        const bool all = msg_.printed == msg_.b.length;
        if (paced || all || msg_.printed - msg_.acked >= 1024) {
            const auto printed = msg_.printed;
            if (!link_.send(wire::ack{msg_.b.serial, printed, false})) return;
            msg_.acked = printed;
        }
    }
    if (current() == state::finishing && msg_.printed == msg_.b.length) store();
}

void link_receiver::store() {
    asked_from_ = 0;
    net_cable c;
    c.label = msg_.b.label;
    c.origin = msg_.b.origin;
    c.addressees = msg_.b.addressees;
    c.precedence = msg_.b.precedence;
    c.filed_ns = msg_.b.filed_ns;
    c.codes = std::move(msg_.plain);
    c.from_peer = peer_;
    c.from_serial = msg_.b.serial;
    const auto serial = msg_.b.serial;
    const auto length = msg_.b.length;
    msg_ = message{};
    machine_.enter(state::idle, fmt::format("serial {:03} printed whole: to the journal", serial));
    auto id = host_.take_in(std::move(c));
    if (!id) return;  // the journal cannot be written: the node has stopped
    auto& store = durability_.store();
    if (const auto* cb = store.cable(id.value()); cb && cb->local)
        durability_.deliver_after_sync(id.value());
    // Stored means on disk: the acknowledgement waits for the fsync.
    durability_.durable([this, gen = link_.generation(), serial, length, id = id.value()] {
        ++ctx_.stats.stored;
        const auto* cb = durability_.store().cable(id);
        if (cb && !cb->local)
            ctx_.log(fmt::format("stored {} from {} (channel serial {:03}, {} characters)",
                                 cb->label, peer_, serial, length));
        if (link_.generation() == gen && link_.up()) link_.send(wire::ack{serial, length, true});
        host_.pump_all();
    });
}

void link_receiver::reset(std::string_view reason) {
    print_.cancel();
    if (taking()) {
        ctx_.log(
            fmt::format("{} channel serial {:03} from {} broken off after {} characters; the "
                        "sender will send it again",
                        msg_.b.label, msg_.b.serial, peer_, msg_.printed));
        if (msg_.local) print_break(msg_.b.label);
    }
    msg_ = message{};
    if (current() != state::idle) machine_.enter(state::idle, reason);
    asked_from_ = 0;
    page_.reset();
}

}  // namespace hakto::terminals
