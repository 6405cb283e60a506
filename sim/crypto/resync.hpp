#pragma once
// The receiving end of an encrypted circuit: a key reader and an operator who notices garbage
// and walks the key tape back into step (5-UCO practice; crypto.hpp).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/crypto/key_tape.hpp"
#include "sim/crypto/text_score.hpp"

namespace hakto::sim {

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
