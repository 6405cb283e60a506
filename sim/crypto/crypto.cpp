#include "sim/crypto/crypto.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "protocol/cable/garble.hpp"
#include "sim/random/random.hpp"

namespace hakto::sim {

namespace {

using protocol::codes::figs;
using protocol::codes::ltrs;
using protocol::codes::mask;
using protocol::codes::space;

// Relative frequencies of the 32 codes in English cable text, by shift (US-TTY figures column).
// Letters: English letter frequencies, with a generous share for SP, CR, LF and the shifts.
constexpr std::array<double, 32> letters_weights = {
    0.05,  // 00 NUL
    100,   // 01 E
    15,    // 02 LF
    65,    // 03 A
    160,   // 04 SP
    52,    // 05 S
    58,    // 06 I
    22,    // 07 U
    25,    // 08 CR
    30,    // 09 D
    50,    // 0A R
    1.5,   // 0B J
    58,    // 0C N
    18,    // 0D F
    25,    // 0E C
    5,     // 0F K
    75,    // 10 T
    1,     // 11 Z
    32,    // 12 L
    15,    // 13 W
    38,    // 14 H
    14,    // 15 Y
    17,    // 16 P
    1,     // 17 Q
    62,    // 18 O
    12,    // 19 B
    16,    // 1A G
    15,    // 1B FIGS
    20,    // 1C M
    2,     // 1D X
    8,     // 1E V
    15,    // 1F LTRS
};
// Figures: digits, the punctuation of cables (- . / , : ( ) ?), and LTRS to leave.
constexpr std::array<double, 32> figures_weights = {
    0.05,  // 00 NUL
    50,    // 01 3
    10,    // 02 LF
    12,    // 03 -
    60,    // 04 SP
    0.5,   // 05 BELL
    50,    // 06 8
    50,    // 07 7
    15,    // 08 CR
    1,     // 09 $
    50,    // 0A 4
    2,     // 0B '
    6,     // 0C ,
    0.5,   // 0D !
    4,     // 0E :
    4,     // 0F (
    50,    // 10 5
    1,     // 11 "
    4,     // 12 )
    60,    // 13 2
    0.5,   // 14 #
    50,    // 15 6
    60,    // 16 0
    70,    // 17 1
    50,    // 18 9
    3,     // 19 ?
    0.5,   // 1A &
    3,     // 1B FIGS
    25,    // 1C .
    12,    // 1D /
    1,     // 1E ;
    100,   // 1F LTRS
};

// The letter of each letters-shift code, '\0' for the others.
constexpr std::array<char, 32> letter_of = {
    '\0', 'E', '\0', 'A', '\0', 'S', 'I', 'U', '\0', 'D', 'R', 'J',  'N', 'F', 'C', 'K',
    'T',  'Z', 'L',  'W', 'H',  'Y', 'P', 'Q', 'O',  'B', 'G', '\0', 'M', 'X', 'V', '\0'};

struct score_tables {
    std::array<double, 32> letters{};
    std::array<double, 32> figures{};
    // For two letters in a row: log2(P(b | a) / P(b)) from the English letter-pair counts of
    // protocol/cable/garble.hpp (add-one smoothing, clamped to [-6, 3]); 0 when either is not a
    // letter.
    std::array<std::array<double, 32>, 32> pair{};
};

const score_tables& tables() {
    static const score_tables t = [] {
        score_tables s;
        double sl = 0.0;
        double sf = 0.0;
        for (std::size_t i = 0; i < 32; ++i) {
            sl += letters_weights[i];
            sf += figures_weights[i];
        }
        for (std::size_t i = 0; i < 32; ++i) {
            s.letters[i] = std::log2(letters_weights[i] / sl * 32.0);
            s.figures[i] = std::log2(figures_weights[i] / sf * 32.0);
        }
        std::array<double, 26> column{};
        std::array<double, 26> row{};
        double total = 0.0;
        for (int a = 0; a < 26; ++a) {
            for (int b = 0; b < 26; ++b) {
                const auto n = static_cast<double>(protocol::letter_pair_count(
                    static_cast<char>('A' + a), static_cast<char>('A' + b)));
                row[static_cast<std::size_t>(a)] += n;
                column[static_cast<std::size_t>(b)] += n;
                total += n;
            }
        }
        for (std::size_t x = 0; x < 32; ++x) {
            for (std::size_t y = 0; y < 32; ++y) {
                const char a = letter_of[x];
                const char b = letter_of[y];
                if (a == '\0' || b == '\0') {
                    continue;
                }
                const auto ia = static_cast<std::size_t>(a - 'A');
                const auto ib = static_cast<std::size_t>(b - 'A');
                const double n = static_cast<double>(protocol::letter_pair_count(a, b));
                const double p_b_given_a = (n + 1.0) / (row[ia] + 26.0);
                const double p_b = (column[ib] + 1.0) / (total + 26.0);
                s.pair[x][y] = std::clamp(std::log2(p_b_given_a / p_b), -6.0, 3.0);
            }
        }
        return s;
    }();
    return t;
}

// Depth test: P_depth(x) = sum_a P(a) P(a ⊕ x) with P the letters table; per-code
// log2(32 P_depth(x)), and its mean and variance when x is flat (independent keys).
struct depth_tables {
    std::array<double, 32> llr{};
    double mean_flat = 0.0;
    double variance_flat = 0.0;
};

const depth_tables& depth_llr() {
    static const depth_tables t = [] {
        depth_tables d;
        double total = 0.0;
        for (const double w : letters_weights) {
            total += w;
        }
        for (std::size_t x = 0; x < 32; ++x) {
            double p = 0.0;
            for (std::size_t a = 0; a < 32; ++a) {
                p += letters_weights[a] / total * letters_weights[a ^ x] / total;
            }
            d.llr[x] = std::log2(32.0 * p);
            d.mean_flat += d.llr[x] / 32.0;
        }
        for (const double l : d.llr) {
            d.variance_flat += (l - d.mean_flat) * (l - d.mean_flat) / 32.0;
        }
        return d;
    }();
    return t;
}

// Twelve 5-bit codes from the top 60 bits of one draw.
void codes_of_draw(std::uint64_t bits, code* out) noexcept {
    for (int i = 0; i < 12; ++i) {
        out[i] = static_cast<code>((bits >> 59) & mask);
        bits <<= 5;
    }
}

// Fixed-point score terms (2^-40 bits), as the doubles plain_text_score adds up.
struct fixed_tables {
    static constexpr double scale = 0x1p40;
    std::int64_t figures[32]{};
    std::int64_t letters[32][32]{};  // [previous][code]
};

const fixed_tables& fixed() {
    static const fixed_tables f = [] {
        const score_tables& t = tables();
        fixed_tables x;
        for (std::size_t c = 0; c < 32; ++c) {
            x.figures[c] = std::llround(t.figures[c] * fixed_tables::scale);
            for (std::size_t p = 0; p < 32; ++p) {
                x.letters[p][c] = std::llround((t.letters[c] + t.pair[p][c]) * fixed_tables::scale);
            }
        }
        return x;
    }();
    return f;
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

// --- depth ------------------------------------------------------------------------------------

depth_report detect_depth(std::span<const code> c1, std::span<const code> c2, double z_threshold) {
    depth_report r;
    r.length = std::min(c1.size(), c2.size());
    r.combined.reserve(r.length);
    std::array<std::size_t, 32> counts{};
    for (std::size_t i = 0; i < r.length; ++i) {
        const code x = vernam(c1[i], c2[i]);
        r.combined.push_back(x);
        ++counts[x];
    }
    r.coincidences = counts[0];
    if (r.length > 0) {
        const depth_tables& t = depth_llr();
        const double n = static_cast<double>(r.length);
        r.coincidence_rate = static_cast<double>(r.coincidences) / n;
        double sum = 0.0;
        for (std::size_t x = 0; x < 32; ++x) {
            sum += static_cast<double>(counts[x]) * t.llr[x];
        }
        r.z = (sum - n * t.mean_flat) / std::sqrt(n * t.variance_flat);
        r.in_depth = r.z >= z_threshold;
    }
    return r;
}

// --- resynchronisation ------------------------------------------------------------------------

double plain_text_score(std::span<const code> codes) {
    if (codes.empty()) {
        return 0.0;
    }
    const score_tables& t = tables();
    bool in_figures = false;
    double sum = 0.0;
    code previous = figs;  // not a letter
    for (const code raw : codes) {
        const code c = static_cast<code>(raw & mask);
        if (in_figures) {
            sum += t.figures[c];
            previous = figs;
        } else {
            sum += t.letters[c] + t.pair[previous][c];
            previous = c;
        }
        if (c == figs) {
            in_figures = true;
        } else if (c == ltrs || c == space) {  // space: unshift on space (protocol facts §2.2)
            in_figures = false;
        }
    }
    return sum / static_cast<double>(codes.size());
}

resync_receiver::resync_receiver(key_reader reader, resync_params params)
    : reader_(std::move(reader)), params_(params) {
    if (params_.window == 0) {
        params_.window = 1;
    }
    history_.resize(params_.window);
    terms_.resize(params_.window);
    const fixed_tables& f = fixed();
    letter_terms_ = f.letters;
    figure_terms_ = f.figures;
    // The decision band, in the units of the fixed-point sum over a full window.
    const double n = static_cast<double>(params_.window) * fixed_tables::scale;
    const double low = (params_.garbage_below - 1e-9) * n;
    const double high = (params_.garbage_below + 1e-9) * n;
    constexpr double limit = 0x1p62;
    // sum < low  <=>  sum < ceil(low); sum > high  <=>  sum > floor(high). NaN: always undecided.
    garbage_low_ = !(low > -limit) ? std::numeric_limits<std::int64_t>::min()
                   : low > limit   ? std::numeric_limits<std::int64_t>::max()
                                   : static_cast<std::int64_t>(std::ceil(low));
    garbage_high_ = std::isnan(high) ? std::numeric_limits<std::int64_t>::max()
                    : high < -limit  ? std::numeric_limits<std::int64_t>::min()
                    : high > limit   ? std::numeric_limits<std::int64_t>::max()
                                     : static_cast<std::int64_t>(std::floor(high));
}

expected<void, key_error> resync_receiver::skip(std::ptrdiff_t n) {
    return reader_.step(n);
}

// Adds a character to the window (dropping the oldest once it is full) and keeps the window's
// score terms up to date. The terms are those of plain_text_score over the window alone: its
// first character is read in letters with no letter before it. Dropping the oldest character
// changes only the new first character's term, unless the dropped one was FIGS (then the
// characters it shifted are read in letters now: everything is scored again, lazily).
inline void resync_receiver::remember(const recent& r) {
    const std::size_t window = params_.window;
    std::size_t slot;
    if (filled_ < window) {
        slot = filled_++;
        history_[slot] = r;
    } else {
        slot = head_;
        const code dropped = static_cast<code>(history_[slot].plain & mask);
        history_[slot] = r;
        head_ = head_ + 1 == window ? 0 : head_ + 1;
        if (scored_) {
            score_sum_ -= terms_[slot];
            if (dropped == figs) {
                scored_ = false;
            } else if (window == 1) {
                tail_figures_ = false;  // the window is empty before the new character
                tail_previous_ = figs;
            } else {
                // The new first character: in letters (the dropped one was not FIGS) and now
                // without a letter before it.
                const std::size_t first = head_;
                const std::int64_t t = letter_terms_[figs][history_[first].plain & mask];
                score_sum_ += t - terms_[first];
                terms_[first] = t;
            }
        }
    }
    if (!scored_) {
        return;
    }
    const std::int64_t term = next_term(static_cast<code>(r.plain & mask));
    terms_[slot] = term;
    score_sum_ += term;
}

namespace {

/// The score term of code `c` after `previous` in the shift `in_figures`; moves both on
/// (FIGS enters figures; LTRS and SPACE return to letters).
inline std::int64_t score_term(const std::int64_t (*letter)[32], const std::int64_t* figure,
                               code& previous, bool& in_figures, code c) noexcept {
    std::int64_t term;
    if (in_figures) {
        term = figure[c];
        previous = figs;
    } else {
        term = letter[previous][c];
        previous = c;
    }
    if (c == figs) {
        in_figures = true;
    } else if (c == ltrs || c == space) {
        in_figures = false;
    }
    return term;
}

}  // namespace

std::int64_t resync_receiver::next_term(code c) noexcept {
    return score_term(letter_terms_, figure_terms_, tail_previous_, tail_figures_, c);
}

// Scores the whole window again from its first character.
void resync_receiver::rescore() {
    score_sum_ = 0;
    tail_figures_ = false;
    tail_previous_ = figs;
    for (std::size_t h = 0; h < filled_; ++h) {
        std::size_t i = head_ + h;
        if (i >= filled_) {
            i -= filled_;
        }
        const std::int64_t term = next_term(static_cast<code>(history_[i].plain & mask));
        terms_[i] = term;
        score_sum_ += term;
    }
    scored_ = true;
}

// plain_text_score(window) < garbage_below for the full window, taken on the fixed-point sum
// when it is clear of the threshold (its error is below 1e-10 a character), else from
// plain_text_score itself.
inline bool resync_receiver::window_is_garbage() {
    if (!scored_) {
        rescore();
    }
    if (score_sum_ < garbage_low_) {
        return true;
    }
    if (score_sum_ > garbage_high_) {
        return false;
    }
    window_.resize(filled_);
    for (std::size_t h = 0; h < filled_; ++h) {
        window_[h] = history(h).plain;
    }
    return plain_text_score(window_) < params_.garbage_below;
}

expected<code, key_error> resync_receiver::receive(code cipher) {
    const std::size_t key_position = reader_.position();
    auto decrypted = reader_.decrypt(cipher);
    if (!decrypted) {
        return decrypted.error();
    }
    const code plain = decrypted.value();
    remember(recent{cipher, plain, key_position});
    const std::size_t index = count_++;
    if (!searching_ && filled_ == params_.window && window_is_garbage()) {
        searching_ = true;
        detected_at_ = index;
    }
    if (searching_) {
        search(index);
    }
    return plain;
}

std::size_t resync_receiver::receive(std::span<const code> cipher, std::span<code> plain) {
    const key_tape& tape = reader_.tape_;
    const std::size_t length = tape.size();
    std::size_t done = 0;
    while (done < cipher.size()) {
        if (scored_ && !searching_ && filled_ == params_.window && params_.window >= 2) {
            done +=
                receive_in_step(cipher.data() + done, plain.data() + done, cipher.size() - done);
            if (done == cipher.size()) {
                break;
            }
        }
        // One character as receive(code) takes it.
        const std::size_t key_position = reader_.position_;
        if (key_position >= length) {
            break;  // as decrypt() refuses
        }
        const code c = cipher[done];
        const code p = vernam(c, tape.at(key_position));
        reader_.position_ = key_position + 1;
        remember(recent{c, p, key_position});
        const std::size_t index = count_++;
        if (!searching_ && filled_ == params_.window && window_is_garbage()) {
            searching_ = true;
            detected_at_ = index;
        }
        if (searching_) {
            search(index);
        }
        plain[done++] = p;
    }
    return done;
}

// The usual case, in a loop of its own with the state in locals: the operator in step, the window
// full (of at least two characters) and scored. The same steps as remember() and
// window_is_garbage() for each character. Stops before a character that would drop FIGS out of
// the window or run off the tape, and after a character whose window is not clearly text (having
// dealt with it as receive(code) does). Returns the characters taken.
std::size_t resync_receiver::receive_in_step(const code* cipher, code* plain, std::size_t n) {
    const key_tape& tape = reader_.tape_;
    const std::size_t length = tape.size();
    const std::size_t window = params_.window;
    const std::int64_t(*letter)[32] = letter_terms_;
    const std::int64_t* figure = figure_terms_;
    const std::int64_t high = garbage_high_;
    recent* history = history_.data();
    std::int64_t* terms = terms_.data();
    std::size_t position = reader_.position_;
    std::size_t head = head_;
    std::size_t count = count_;
    std::int64_t sum = score_sum_;
    bool in_figures = tail_figures_;
    code previous = tail_previous_;
    const auto write_back = [&] {
        reader_.position_ = position;
        head_ = head;
        count_ = count;
        score_sum_ = sum;
        tail_figures_ = in_figures;
        tail_previous_ = previous;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t slot = head;
        if (position >= length || history[slot].plain == figs) {
            write_back();
            return i;
        }
        const code c = cipher[i];
        const code p = vernam(c, tape.at(position));
        history[slot] = recent{c, p, position};
        ++position;
        head = head + 1 == window ? 0 : head + 1;
        // The oldest character leaves; the new first one is read with no letter before it.
        sum -= terms[slot];
        const std::int64_t first = letter[figs][history[head].plain];
        sum += first - terms[head];
        terms[head] = first;
        // The new character.
        const std::int64_t term = score_term(letter, figure, previous, in_figures, p);
        terms[slot] = term;
        sum += term;
        const std::size_t index = count++;
        plain[i] = p;
        if (sum > high) {
            continue;  // clearly text
        }
        write_back();
        if (window_is_garbage()) {
            searching_ = true;
            detected_at_ = index;
            search(index);
        }
        return i + 1;
    }
    write_back();
    return n;
}

// Called after each character received while the operator believes the stream is garbage.
void resync_receiver::search(std::size_t index) {
    // The operator's trial: the recent characters decrypted at each offset, walking order
    // 0, +1, -1, +2, -2, ...; the best one is taken if it reads as text and beats all the
    // others by the margin.
    const key_tape& tape = reader_.tape();
    const std::size_t n = history_size();
    window_.resize(n);
    double best = -1e300;
    double second = -1e300;
    std::ptrdiff_t best_offset = 0;
    for (std::size_t i = 0; i <= 2 * params_.max_offset; ++i) {
        const auto magnitude = static_cast<std::ptrdiff_t>((i + 1) / 2);
        const std::ptrdiff_t d = (i % 2 == 1) ? magnitude : -magnitude;
        bool fits = true;
        for (std::size_t h = 0; h < n; ++h) {
            const auto q = static_cast<std::ptrdiff_t>(history(h).key_position) + d;
            if (q < 0 || static_cast<std::size_t>(q) >= tape.size()) {
                fits = false;
                break;
            }
            window_[h] = vernam(history(h).cipher, tape.at(static_cast<std::size_t>(q)));
        }
        if (!fits) {
            continue;
        }
        const double s = plain_text_score(window_);
        if (s > best) {
            second = best;
            best = s;
            best_offset = d;
            best_plain_ = window_;
        } else if (s > second) {
            second = s;
        }
    }
    if (best < params_.text_at_least || best - second < params_.margin) {
        return;  // keep walking with the next character
    }
    if (best_offset != 0) {
        if (!reader_.step(best_offset)) {
            return;
        }
        events_.push_back(resync_event{detected_at_, best_offset, index + 1, reader_.position()});
    } else {
        ++false_alarms_;
    }
    for (std::size_t h = 0; h < n; ++h) {
        history(h).plain = best_plain_[h];
        history(h).key_position = static_cast<std::size_t>(
            static_cast<std::ptrdiff_t>(history(h).key_position) + best_offset);
    }
    scored_ = false;
    searching_ = false;
}

}  // namespace hakto::sim
