#pragma once
// On-line Vernam encryption with a one-time key tape.
//
// WHAT THIS MODELS. A one-time key tape (Vernam / one-time tape, "OTT"), as described in the
// open literature (protocol facts §4): each 5-level line code is combined element by element
// with one character of a random key tape, the rule we now call XOR; the far end applies the
// same operation with an identical copy of the tape. It does NOT model any classified machine:
// not the KW-26, not the KW-37, not any other; there is no key generator here at all, only a
// random tape made from a seed.
//
// Rules encoded ("what a faithful simulator must model" 15, protocol facts §4):
// - c = p ⊕ k for every line code, shifts, CR and LF included; the same operation decrypts.
//   Test vector from Vernam's patent: A ⊕ B = G (0x03 ⊕ 0x19 = 0x1A).
// - One key character per line character. Both ends must read the tape at the same offset; a
//   slip of n characters gives random output from that point on.
// - Two copies are punched at once, one per end (key_tape::punch_pair).
// - A key position is never used twice to encrypt: the tape keeps the ranges used, refuses an
//   encryption that would reuse any of them, and records the refusal. Reuse would be fatal:
//   c1 ⊕ c2 = p1 ⊕ p2 (detect_depth shows it).
// - Recovery from a slip, modelled on the 5-UCO practice of the receiving operator "walking"
//   the key tape up or down one character at a time: resync_receiver watches the decrypted
//   stream, notices when it stops looking like plain teleprinter text, tries offsets
//   0, +1, -1, +2, -2, ... ±max_offset on the recent characters until one decryption clearly
//   looks like text again, then steps its reader and reports the slip and where step was
//   regained. This is a heuristic on the text, not a reconstruction of any equipment.
//
// The key tape's codes come from xoshiro256** seeded from one 64-bit seed (sim/noise.hpp): the
// same seed punches the same tape. Twelve 5-bit codes come from the top 60 bits of each draw.
// A punched tape is not held in memory: its codes are made a block at a time when they are read,
// from the generator's state saved at the start of each block, and the last few blocks read are
// kept (a tape of a million codes costs kilobytes, not a megabyte; see detail::key_source).
//
// See docs/crypto-model.md.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "protocol/teletype/teletype_code.hpp"
#include "protocol/text/expected.hpp"
#include "sim/random/random.hpp"

namespace hakto::sim {

using protocol::code;

/// The Vernam combination of one line code with one key code: p ⊕ k (element-wise XOR of the
/// five elements). Encrypts and decrypts.
[[nodiscard]] constexpr code vernam(code text, code key) noexcept {
    return static_cast<code>((text ^ key) & protocol::codes::mask);
}

enum class key_error_kind : std::uint8_t {
    reuse,         ///< the positions asked for were already used to encrypt
    exhausted,     ///< the positions asked for are beyond the end of the tape
    before_start,  ///< a walk back past the start of the tape
};

std::string_view key_error_kind_name(key_error_kind k) noexcept;

struct key_error {
    key_error_kind kind = key_error_kind::reuse;
    std::size_t position = 0;        ///< first position asked for
    std::size_t length = 0;          ///< number of positions asked for
    std::size_t first_conflict = 0;  ///< reuse: the first position already used
    /// e.g. "key reuse refused: positions 0..9 asked for, position 0 already used"
    [[nodiscard]] std::string message() const;
    friend bool operator==(const key_error&, const key_error&) = default;
};

/// A half-open range [begin, end) of key positions.
struct key_range {
    std::size_t begin = 0;
    std::size_t end = 0;
    friend bool operator==(const key_range&, const key_range&) = default;
};

namespace detail {

/// The codes of one physical key tape: a list (key_tape::from_codes), or the xoshiro256** stream
/// of a seed (key_tape::punch), made a block of block_codes at a time from the generator state
/// saved at the start of each block. The blocks read last are cached; at() on the block read last
/// is a compare and a load. Not thread-safe (the cache changes on reads), like the rest of sim.
class key_source {
  public:
    /// Codes a block: 512 draws of twelve codes.
    static constexpr std::size_t block_codes = 12 * 512;

    explicit key_source(std::vector<code> codes);
    key_source(std::uint64_t seed, std::size_t length);

    [[nodiscard]] std::size_t size() const noexcept { return length_; }
    /// Precondition: position < size().
    [[nodiscard]] code at(std::size_t position) const noexcept {
        const std::size_t offset = position - hot_base_;  // wraps when below
        if (offset < hot_length_) return hot_[offset];
        return at_slow(position);
    }
    /// Copies the codes at [position, position + out.size()) to out. Precondition: in range.
    void read(std::size_t position, std::span<code> out) const;
    /// Every code, in one list (made on the first call for a punched tape).
    [[nodiscard]] std::span<const code> all() const;

  private:
    code at_slow(std::size_t position) const noexcept;
    const code* block(std::size_t b) const;

    struct cached_block {
        std::size_t index = ~std::size_t{0};
        std::unique_ptr<code[]> codes;
    };
    std::size_t length_ = 0;
    bool punched_ = false;
    mutable std::vector<code> list_;  // from_codes, or a punched tape once all() was called
    mutable std::vector<xoshiro256ss> starts_;  // punched: generator state at the start of block b
    mutable std::array<cached_block, 3> cache_{};
    mutable std::size_t victim_ = 0;
    // The block read last (or the whole list): at() looks here first.
    mutable const code* hot_ = nullptr;
    mutable std::size_t hot_base_ = 0;
    mutable std::size_t hot_length_ = 0;
};

}  // namespace detail

/// A key tape: a row of random 5-level codes, and the ledger of the positions used to encrypt.
/// A key_tape object is a handle: copies of the handle are the same physical tape. The two
/// copies of a pair hold the same codes and share one ledger (a key position used by either end
/// to encrypt is used for both).
class key_tape {
  public:
    /// An empty tape.
    key_tape();
    /// One tape of `length` codes punched from `seed`.
    static key_tape punch(std::uint64_t seed, std::size_t length);
    /// The two copies punched at once: identical codes, one ledger.
    static std::pair<key_tape, key_tape> punch_pair(std::uint64_t seed, std::size_t length);
    /// A tape with given codes (each masked to five bits), e.g. for a known test key.
    static key_tape from_codes(std::vector<code> codes);

    [[nodiscard]] std::size_t size() const noexcept { return codes_->size(); }
    /// Precondition: position < size().
    [[nodiscard]] code at(std::size_t position) const noexcept { return codes_->at(position); }
    /// Copies the codes at [position, position + out.size()) to out. Precondition: in range.
    void read(std::size_t position, std::span<code> out) const { codes_->read(position, out); }
    /// Every code of the tape (a punched tape is made in full on the first call).
    [[nodiscard]] std::span<const code> codes() const noexcept;
    /// How often each of the 32 codes occurs on the tape (the makers' uniformity check).
    [[nodiscard]] std::vector<std::size_t> code_counts() const;

    /// True if `position` has been used to encrypt.
    [[nodiscard]] bool used(std::size_t position) const;
    /// The used positions as disjoint ranges, ascending.
    [[nodiscard]] std::vector<key_range> used_ranges() const;
    [[nodiscard]] std::size_t used_count() const;
    /// Every refused claim, in order.
    [[nodiscard]] const std::vector<key_error>& refusals() const noexcept;

    /// Marks [position, position + length) used for encryption. Refuses (and records the
    /// refusal) if any of it is used already or lies beyond the end; then nothing is marked.
    expected<void, key_error> claim(std::size_t position, std::size_t length);

    /// True when both handles are the same physical tape or copies of one pair.
    [[nodiscard]] bool same_key(const key_tape& other) const noexcept;

  private:
    struct ledger;
    std::shared_ptr<const detail::key_source> codes_;
    std::shared_ptr<ledger> ledger_;
};

/// A tape reader at one end of the circuit, with its position on its copy of the tape.
class key_reader {
  public:
    key_reader() = default;
    explicit key_reader(key_tape tape, std::size_t position = 0);

    [[nodiscard]] std::size_t position() const noexcept { return position_; }
    [[nodiscard]] const key_tape& tape() const noexcept { return tape_; }

    /// Encrypts at the reader's position and advances. Refused (nothing advances) when the
    /// position was used before or the tape has run out.
    expected<code, key_error> encrypt(code plain);
    /// Encrypts a whole sequence: all of it or, if any position is refused, none of it.
    expected<std::vector<code>, key_error> encrypt(std::span<const code> plain);
    /// Decrypts at the reader's position and advances. Decrypting never uses key up: the
    /// receiving end may read the same stretch again after walking the tape back.
    expected<code, key_error> decrypt(code cipher);
    expected<std::vector<code>, key_error> decrypt(std::span<const code> cipher);
    /// Walks the tape n characters forward (n > 0) or back (n < 0).
    expected<void, key_error> step(std::ptrdiff_t n);

  private:
    friend class resync_receiver;  // reads a run of codes without a call for each
    key_tape tape_;
    std::size_t position_ = 0;
};

// --- depth ------------------------------------------------------------------------------------

/// Two ciphertexts laid over each other. With one key used twice ("in depth"),
/// c1 ⊕ c2 = p1 ⊕ p2: the key drops out, and the combination carries the skew of two plain
/// texts (0 wherever they hold the same code, SP ⊕ E, SP ⊕ T, ... often) instead of the flat
/// distribution that independent keys give.
struct depth_report {
    std::vector<code> combined;  ///< c1 ⊕ c2 for the overlapping length
    std::size_t length = 0;
    std::size_t coincidences = 0;  ///< positions where c1 == c2
    double coincidence_rate = 0.0;
    /// Standard score, against independent keys, of the log-likelihood ratio
    /// sum log2(P_depth(x) / (1/32)) over the combined codes x, where P_depth is the
    /// distribution of p1 ⊕ p2 for two independent plain texts with the letter frequencies of
    /// plain_text_score's table. About 0 for independent keys; it grows with the square root of
    /// the length for texts in depth.
    double z = 0.0;
    bool in_depth = false;  ///< z at or above the threshold
};

depth_report detect_depth(std::span<const code> c1, std::span<const code> c2,
                          double z_threshold = 4.0);

// --- resynchronisation ------------------------------------------------------------------------

/// How much a stretch of decrypted codes looks like plain teleprinter text, in bits a character:
/// the mean of log2(P_text(code) / (1/32)), with P_text a fixed table of English cable text in
/// each shift (the shift followed through FIGS, LTRS and unshift-on-space, starting in
/// letters), plus, for two letters in a row, log2(P(b | a) / P(b)) from the English letter-pair
/// counts of protocol/cable/garble.hpp. Plain cable text scores about +1; random codes about -2.
double plain_text_score(std::span<const code> codes);

struct resync_params {
    std::size_t window = 24;      ///< characters judged at a time
    double garbage_below = -0.5;  ///< a window scoring under this is garbage
    /// A trial offset is taken when its decryption of the window scores at least this, and at
    /// least `margin` more than every other offset tried (0 included).
    double text_at_least = 0.0;
    double margin = 1.0;
    std::size_t max_offset = 8;  ///< walk ±1..±max_offset characters
};

/// One recovery by the receiving operator.
struct resync_event {
    std::size_t detected_at = 0;   ///< index (characters received) at which garbage was noticed
    std::ptrdiff_t offset = 0;     ///< characters the tape was walked (+ forward, - back)
    std::size_t regained_at = 0;   ///< index of the first character decrypted in step again
    std::size_t key_position = 0;  ///< the reader's position for that character
    friend bool operator==(const resync_event&, const resync_event&) = default;
};

/// The receiving end: a key reader and an operator who walks the tape back into step.
class resync_receiver {
  public:
    resync_receiver() = default;
    explicit resync_receiver(key_reader reader, resync_params params = {});

    /// Decrypts the next received code. Watches for garbage (the last `window` characters scoring
    /// under `garbage_below`); from then on, after each character, decrypts the last `window`
    /// received characters at offsets 0, +1, -1, +2, -2, ... ±max_offset, and takes the best
    /// offset once it reads as text and clearly beats the others. A non-zero offset walks the
    /// reader (the characters already printed stay as they were) and is recorded as a
    /// resync_event; offset 0 means the garbage was line noise, counted as a false alarm.
    expected<code, key_error> receive(code cipher);
    /// receive() for each code of `cipher` in turn, the plain codes to `plain` (at least as long).
    /// Stops where receive() would refuse (the reader has run off the tape); returns how many codes
    /// it took.
    std::size_t receive(std::span<const code> cipher, std::span<code> plain);

    [[nodiscard]] const key_reader& reader() const noexcept { return reader_; }
    [[nodiscard]] const std::vector<resync_event>& events() const noexcept { return events_; }
    /// False while the operator believes the stream is garbage and is walking the tape.
    [[nodiscard]] bool in_step() const noexcept { return !searching_; }
    /// Characters received so far.
    [[nodiscard]] std::size_t received() const noexcept { return count_; }
    /// Garbage noticed that went away without walking the tape (line hits, not a slip).
    [[nodiscard]] std::size_t false_alarms() const noexcept { return false_alarms_; }
    /// Moves the reader without the detector noticing (both ends skipping the same key).
    expected<void, key_error> skip(std::ptrdiff_t n);

  private:
    struct recent {
        code cipher;
        code plain;
        std::size_t key_position;
    };

    [[nodiscard]] std::size_t history_size() const noexcept { return filled_; }
    /// The h-th of the last `window` characters, oldest first.
    recent& history(std::size_t h) noexcept {
        std::size_t i = head_ + h;
        if (i >= filled_) i -= filled_;
        return history_[i];
    }
    void remember(const recent& r);
    void search(std::size_t index);
    std::size_t receive_in_step(const code* cipher, code* plain, std::size_t n);
    void rescore();
    /// The score term of the next character of the window, moving the shift state on.
    std::int64_t next_term(code c) noexcept;
    [[nodiscard]] bool window_is_garbage();

    key_reader reader_;
    resync_params params_;
    std::vector<recent> history_;  // the last `window` characters: a ring, `window` slots
    std::size_t filled_ = 0;       // slots in use
    std::size_t head_ = 0;         // the oldest character, once all are in use
    // The window's text score, kept up to date character by character: the terms of
    // plain_text_score for each character in fixed point (2^-40 bits), their sum, and the
    // shift and previous code after the newest character. The decision is taken on the sum
    // when it is below garbage_low_ or above garbage_high_ (1e-9 bits a character either side
    // of garbage_below); between them plain_text_score decides, as it always did.
    const std::int64_t (*letter_terms_)[32] = nullptr;  // [previous][code]
    const std::int64_t* figure_terms_ = nullptr;
    std::vector<std::int64_t> terms_;  // aligned with history_
    std::int64_t score_sum_ = 0;
    std::int64_t garbage_low_ = 0, garbage_high_ = 0;
    bool tail_figures_ = false;
    code tail_previous_ = protocol::codes::figs;
    bool scored_ = true;  // false when the terms no longer describe history_ (recomputed lazily)
    std::vector<code> window_, best_plain_;  // scratch for the trials
    std::vector<resync_event> events_;
    std::size_t count_ = 0;
    std::size_t detected_at_ = 0;
    std::size_t false_alarms_ = 0;
    bool searching_ = false;
};

}  // namespace hakto::sim
