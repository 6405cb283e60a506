#pragma once
// The one-time key tape of on-line Vernam encryption: its codes, the ledger of positions used
// to encrypt, and a reader at each end (crypto.hpp says what is modelled).
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
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

}  // namespace hakto::sim
