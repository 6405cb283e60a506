#include "sim/crypto/key_tape.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "sim/random/random.hpp"

namespace hakto::sim {

namespace {

using protocol::codes::mask;

// Twelve 5-bit codes from the top 60 bits of one draw.
void codes_of_draw(std::uint64_t bits, code* out) noexcept {
    for (int i = 0; i < 12; ++i) {
        out[i] = static_cast<code>((bits >> 59) & mask);
        bits <<= 5;
    }
}

}  // namespace

std::string_view key_error_kind_name(key_error_kind k) noexcept {
    switch (k) {
        case key_error_kind::reuse:
            return "reuse";
        case key_error_kind::exhausted:
            return "exhausted";
        case key_error_kind::before_start:
            return "before start";
    }
    return "?";
}

std::string key_error::message() const {
    const std::size_t last = length == 0 ? position : position + length - 1;
    switch (kind) {
        case key_error_kind::reuse:
            return fmt::format(
                "key reuse refused: positions {}..{} asked for, position {} already used", position,
                last, first_conflict);
        case key_error_kind::exhausted:
            return fmt::format("key tape exhausted: positions {}..{} asked for", position, last);
        case key_error_kind::before_start:
            return fmt::format("key tape walked back before its start (position {})", position);
    }
    return "key error";
}

// --- key_source -------------------------------------------------------------------------------

namespace detail {

key_source::key_source(std::vector<code> codes) : length_(codes.size()), list_(std::move(codes)) {
    for (code& c : list_) {
        c = static_cast<code>(c & mask);
    }
    hot_ = list_.data();
    hot_length_ = list_.size();
}

key_source::key_source(std::uint64_t seed, std::size_t length) : length_(length), punched_(true) {
    starts_.emplace_back(seed);
}

const code* key_source::block(std::size_t b) const {
    for (const cached_block& c : cache_) {
        if (c.index == b) {
            return c.codes.get();
        }
    }
    cached_block& slot = cache_[victim_];
    victim_ = (victim_ + 1) % cache_.size();
    if (!slot.codes) {
        slot.codes = std::make_unique<code[]>(block_codes);
    }
    slot.index = ~std::size_t{0};
    // Blocks are made in order from the seed: the generator state at the start of each block made
    // so far is kept, so a block is made again from its own start.
    for (;;) {
        const std::size_t from = std::min(b, starts_.size() - 1);
        xoshiro256ss rng = starts_[from];
        for (std::size_t k = 0; k < block_codes / 12; ++k) {
            codes_of_draw(rng.next(), slot.codes.get() + 12 * k);
        }
        if (from + 1 == starts_.size()) {
            starts_.push_back(rng);
        }
        if (from == b) {
            break;
        }
    }
    slot.index = b;
    return slot.codes.get();
}

code key_source::at_slow(std::size_t position) const noexcept {
    if (!punched_ || !list_.empty()) {
        return list_[position];
    }
    const std::size_t b = position / block_codes;
    hot_ = block(b);
    hot_base_ = b * block_codes;
    hot_length_ = block_codes;
    return hot_[position - hot_base_];
}

void key_source::read(std::size_t position, std::span<code> out) const {
    std::size_t done = 0;
    while (done < out.size()) {
        const std::size_t p = position + done;
        const std::size_t offset = p - hot_base_;
        if (offset >= hot_length_) {
            (void)at_slow(p);  // makes p's block the hot one
        }
        const std::size_t from = p - hot_base_;
        const std::size_t n = std::min(out.size() - done, hot_length_ - from);
        std::copy_n(hot_ + from, n, out.data() + done);
        done += n;
    }
}

std::span<const code> key_source::all() const {
    if (punched_ && list_.size() != length_) {
        std::vector<code> all(length_);
        read(0, all);
        list_ = std::move(all);
        for (cached_block& c : cache_) {
            c = cached_block{};
        }
        hot_ = list_.data();
        hot_base_ = 0;
        hot_length_ = list_.size();
    }
    return {list_.data(), length_};
}

}  // namespace detail

// --- key_tape ---------------------------------------------------------------------------------

struct key_tape::ledger {
    std::map<std::size_t, std::size_t> used;  // begin -> end, disjoint and not adjacent
    std::vector<key_error> refusals;
};

key_tape::key_tape()
    : codes_(std::make_shared<const detail::key_source>(std::vector<code>{})),
      ledger_(std::make_shared<ledger>()) {}

key_tape key_tape::punch(std::uint64_t seed, std::size_t length) {
    key_tape t;
    t.codes_ = std::make_shared<const detail::key_source>(seed, length);
    return t;
}

std::pair<key_tape, key_tape> key_tape::punch_pair(std::uint64_t seed, std::size_t length) {
    key_tape a = punch(seed, length);
    key_tape b = a;  // same codes, same ledger: the two copies of one key
    return {a, b};
}

key_tape key_tape::from_codes(std::vector<code> codes) {
    key_tape t;
    t.codes_ = std::make_shared<const detail::key_source>(std::move(codes));
    return t;
}

std::span<const code> key_tape::codes() const noexcept {
    return codes_->all();
}

std::vector<std::size_t> key_tape::code_counts() const {
    std::vector<std::size_t> counts(32, 0);
    for (const code c : codes_->all()) {
        ++counts[c & mask];
    }
    return counts;
}

bool key_tape::used(std::size_t position) const {
    const auto& u = ledger_->used;
    auto it = u.upper_bound(position);
    if (it == u.begin()) {
        return false;
    }
    --it;
    return position < it->second;
}

std::vector<key_range> key_tape::used_ranges() const {
    std::vector<key_range> out;
    out.reserve(ledger_->used.size());
    for (const auto& [b, e] : ledger_->used) {
        out.push_back(key_range{b, e});
    }
    return out;
}

std::size_t key_tape::used_count() const {
    std::size_t n = 0;
    for (const auto& [b, e] : ledger_->used) {
        n += e - b;
    }
    return n;
}

const std::vector<key_error>& key_tape::refusals() const noexcept {
    return ledger_->refusals;
}

bool key_tape::same_key(const key_tape& other) const noexcept {
    return ledger_ == other.ledger_;
}

expected<void, key_error> key_tape::claim(std::size_t position, std::size_t length) {
    if (length == 0) {
        return outcome::success();
    }
    auto& u = ledger_->used;
    if (position > size() || length > size() - position) {
        key_error e{key_error_kind::exhausted, position, length, 0};
        ledger_->refusals.push_back(e);
        return e;
    }
    const std::size_t end = position + length;
    auto next = u.upper_bound(position);
    if (next != u.begin()) {
        const auto prev = std::prev(next);
        if (prev->second > position) {
            key_error e{key_error_kind::reuse, position, length, position};
            ledger_->refusals.push_back(e);
            return e;
        }
    }
    if (next != u.end() && next->first < end) {
        key_error e{key_error_kind::reuse, position, length, next->first};
        ledger_->refusals.push_back(e);
        return e;
    }
    // Insert [position, end), merging with touching neighbours.
    std::size_t b = position;
    std::size_t e = end;
    if (next != u.begin()) {
        const auto prev = std::prev(next);
        if (prev->second == position) {
            b = prev->first;
            u.erase(prev);
        }
    }
    next = u.lower_bound(end);
    if (next != u.end() && next->first == end) {
        e = next->second;
        u.erase(next);
    }
    u.emplace(b, e);
    return outcome::success();
}

// --- key_reader -------------------------------------------------------------------------------

key_reader::key_reader(key_tape tape, std::size_t position)
    : tape_(std::move(tape)), position_(position) {}

expected<code, key_error> key_reader::encrypt(code plain) {
    auto claimed = tape_.claim(position_, 1);
    if (!claimed) {
        return claimed.error();
    }
    const code c = vernam(plain, tape_.at(position_));
    ++position_;
    return c;
}

expected<std::vector<code>, key_error> key_reader::encrypt(std::span<const code> plain) {
    auto claimed = tape_.claim(position_, plain.size());
    if (!claimed) {
        return claimed.error();
    }
    std::vector<code> out(plain.size());
    tape_.read(position_, out);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = vernam(plain[i], out[i]);
    }
    position_ += plain.size();
    return out;
}

expected<code, key_error> key_reader::decrypt(code cipher) {
    if (position_ >= tape_.size()) {
        return key_error{key_error_kind::exhausted, position_, 1, 0};
    }
    return vernam(cipher, tape_.at(position_++));
}

expected<std::vector<code>, key_error> key_reader::decrypt(std::span<const code> cipher) {
    if (position_ > tape_.size() || cipher.size() > tape_.size() - position_) {
        return key_error{key_error_kind::exhausted, position_, cipher.size(), 0};
    }
    std::vector<code> out(cipher.size());
    tape_.read(position_, out);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = vernam(cipher[i], out[i]);
    }
    position_ += cipher.size();
    return out;
}

expected<void, key_error> key_reader::step(std::ptrdiff_t n) {
    if (n < 0 && static_cast<std::size_t>(-n) > position_) {
        return key_error{key_error_kind::before_start, position_, 0, 0};
    }
    if (n > 0 && static_cast<std::size_t>(n) > tape_.size() - std::min(position_, tape_.size())) {
        return key_error{key_error_kind::exhausted, position_, static_cast<std::size_t>(n), 0};
    }
    position_ = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(position_) + n);
    return outcome::success();
}

}  // namespace hakto::sim
